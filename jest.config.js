/** Tests run from TypeScript sources; type-checking is done once by `tsc -p tsconfig.test.json`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  // Examples import the package by name, as users do; in tests that name is the source tree.
  moduleNameMapper: { '^jira-oauth-kit$': '<rootDir>/src/index.ts' },
  testTimeout: 60000,
  // Much of a suite's time is spent waiting on sockets, spawned CLIs and terminals rather than the
  // CPU: three workers keep both cores of a 2-core machine busy (54 s against 59 s with two; jest's
  // default there is one). A number: jest reads a share of the cores only up to '100%', and takes
  // '150%' for 150 workers.
  maxWorkers: 3,
  // `npx jest` builds dist/ first when it is missing or older than the sources (the CLI suites spawn it).
  globalSetup: '<rootDir>/test/global-setup.ts',
  // 2048-bit RSA keys from committed primes, not OpenSSL's prime search (test/helpers/fast-keys.ts).
  setupFiles: ['<rootDir>/test/helpers/fast-keys-setup.ts'],
};
