import fc from 'fast-check';
import { KitError } from '../../src/errors';
import { parsePrivateKey } from '../../src/keys/load';
import { keyFixtures } from '../helpers/keys';

/** Whatever bytes a user points --private-key at, the kit answers with its own error type. */
describe('PEM loading on arbitrary input', () => {
  const { pkcs8, pkcs1 } = keyFixtures();

  async function outcome(text: string): Promise<'ok' | string> {
    try {
      await parsePrivateKey(text, { passphrase: 'x' });
      return 'ok';
    } catch (error) {
      if (error instanceof KitError) return error.code;
      throw error;
    }
  }

  it('never throws anything but KitError on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        await outcome(Buffer.from(bytes).toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but KitError on damaged real keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(pkcs8, pkcs1), fc.nat(), fc.nat(), fc.string({ maxLength: 20 }), async (pem, at, length, insert) => {
        const start = at % pem.length;
        const damaged = pem.slice(0, start) + insert + pem.slice(start + (length % 40));
        const result = await outcome(damaged);
        expect(typeof result).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
