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
  // Most suites wait on spawned CLIs, sockets and timers rather than the CPU: two workers halve the
  // wall time on a 2-core machine (jest's default there is one).
  maxWorkers: 2,
  // `npx jest` builds dist/ first when it is missing or older than the sources (the CLI suites spawn it).
  globalSetup: '<rootDir>/test/global-setup.ts',
  // 2048-bit RSA keys from committed primes, not OpenSSL's prime search (test/helpers/fast-keys.ts).
  setupFiles: ['<rootDir>/test/helpers/fast-keys-setup.ts'],
};
