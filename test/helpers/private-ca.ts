import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Whether the openssl command is here to make certificates. */
export const opensslAvailable = ((): boolean => {
  const version = spawnSync('openssl', ['version']);
  return !version.error && version.status === 0;
})();

/**
 * A private certificate authority in `dir` and a server certificate it signs for 127.0.0.1 and
 * localhost: `caFile` is what NODE_EXTRA_CA_CERTS names; `key` and `cert` go to the server.
 */
export function makePrivateCa(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
  const openssl = (command: string): void => void execFileSync('openssl', command.split(' '), { cwd: dir, stdio: 'ignore' });
  openssl(
    'req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=kit-test-CA -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign',
  );
  openssl('req -newkey rsa:2048 -nodes -keyout key.pem -out server.csr -subj /CN=127.0.0.1');
  writeFileSync(path.join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out cert.pem -days 1 -extfile san.cnf');
  return { caFile: path.join(dir, 'ca.pem'), key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
}
