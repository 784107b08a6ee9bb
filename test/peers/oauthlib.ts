import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describeIf } from '../helpers/skip';
import { OAUTHLIB_PROBE_VARIABLE, PYTHON, probeOauthlib } from './oauthlib-probe';

/**
 * Our OAuth 1.0a signatures are checked by Debian's python3-oauthlib, an implementation we did
 * not write. One long-lived python process per jest worker answers JSON lines.
 */

export { PYTHON };

export const oauthlibStatus: { available: boolean; reason: string } = (() => {
  const known = process.env[OAUTHLIB_PROBE_VARIABLE];
  const answer = known === undefined ? undefined : (JSON.parse(known) as ReturnType<typeof probeOauthlib>);
  const { available, reason } = answer?.python === PYTHON ? answer : probeOauthlib();
  return { available, reason };
})();

/** `describe` where python3-oauthlib is available; elsewhere a skip with the reason printed. */
export const describeWithOauthlib = describeIf(oauthlibStatus);

export interface OauthlibVerifyJob {
  method: string;
  uri: string;
  headers: Record<string, string>;
  body?: string;
  signatureMethod: 'RSA-SHA1' | 'HMAC-SHA1';
  rsaPublicKeyPem?: string;
  clientSecret?: string;
  resourceOwnerSecret?: string;
}

export interface OauthlibVerdict {
  valid: boolean;
  baseString: string;
  params: Array<[string, string]>;
  oauthParams: Record<string, string>;
}

let bridge: { child: ChildProcessWithoutNullStreams; waiting: Array<(line: string) => void> } | undefined;

function start(): NonNullable<typeof bridge> {
  if (!oauthlibStatus.available) throw new Error(`python3-oauthlib is not available: ${oauthlibStatus.reason}`);
  const child = spawn(PYTHON, [path.join(__dirname, 'oauthlib_verify.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  child.on('exit', () => {
    bridge = undefined;
    for (const resolve of waiting.splice(0)) resolve(JSON.stringify({ error: 'python3-oauthlib bridge exited' }));
  });
  // Let jest exit even while the bridge is idle.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return { child, waiting };
}

export function oauthlibVerify(job: OauthlibVerifyJob): Promise<OauthlibVerdict> {
  bridge ??= start();
  const current = bridge;
  return new Promise((resolve, reject) => {
    current.waiting.push((line) => {
      const answer = JSON.parse(line) as OauthlibVerdict & { error?: string };
      if (answer.error) reject(new Error(`python3-oauthlib: ${answer.error}`));
      else resolve(answer);
    });
    current.child.stdin.write(`${JSON.stringify({ op: 'verify', ...job })}\n`);
  });
}

export function closeOauthlib(): void {
  bridge?.child.kill();
  bridge = undefined;
}
