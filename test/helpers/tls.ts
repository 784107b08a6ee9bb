import forge from 'node-forge';
import { fixtureKeyObjects } from './keys';

/**
 * A self-signed certificate for a host name, made in-process with node-forge (no openssl binary):
 * what a JIRA with a private certificate presents. Valid from now for one day.
 */
export function selfSignedCertificate(hostname: string): { key: string; cert: string } {
  const pair = fixtureKeyObjects('c');
  const key = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(pair.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  certificate.serialNumber = '01';
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
  const subject = [{ name: 'commonName', value: hostname }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: hostname }] }]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(certificate) };
}
