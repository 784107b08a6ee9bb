import { generateKeyPair } from '../../src/keys/generate';
import { startEarlyKeyGenerationFor as startEarlyKeyGeneration } from '../../src/cli/start-keygen';
import { takeEarlyKey } from '../../src/keys/early-keygen';

describe("early key generation (overlaps module loading with OpenSSL's prime search)", () => {
  it.each([
    [['jira', '--jira-url', 'x', '--tenant', 'y'], true],
    [['jira', '--bits', '2048'], true],
    [['jira', '--bits=2048'], true],
    [['jira', '--private-key', 'k.pem'], false],
    [['jira', '--private-key=k.pem'], false],
    [['jira', '--bits', '4096'], false],
    [['jira', '--help'], false],
    [['verify', '--jira-url', 'x'], false],
    // Read with the option table: a value-taking flag takes the next word, whatever it looks like.
    [['jira', '--consumer-key', '--private-key'], true],
    [['jira', '--json', '--private-key', 'k.pem'], false],
    [['keys', 'generate', '--bits', '2048'], false],
    [[], false],
  ])('argv %j starts one: %s', async (args, started) => {
    startEarlyKeyGeneration(['node', 'cli.js', ...args]);
    const key = takeEarlyKey(2048);
    expect(key !== undefined).toBe(started);
    if (key) expect((await key).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(takeEarlyKey(2048)).toBeUndefined(); // taken once
  });

  it('generateKeyPair uses the early key once, then generates its own', async () => {
    startEarlyKeyGeneration(['node', 'cli.js', 'jira']);
    const early = takeEarlyKey(2048)!;
    startEarlyKeyGeneration(['node', 'cli.js', 'jira']);
    const first = await generateKeyPair();
    const second = await generateKeyPair();
    expect(first.fingerprint).not.toBe(second.fingerprint);
    expect(takeEarlyKey(2048)).toBeUndefined();
    await early;
  });

  it('a different size is never served from the early key', async () => {
    startEarlyKeyGeneration(['node', 'cli.js', 'jira']);
    expect(takeEarlyKey(3072)).toBeUndefined();
    expect(takeEarlyKey(2048)).toBeDefined();
  });
});
