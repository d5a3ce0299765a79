/**
 * A certificate no DUT can trust, for the Secure CWMP cases: self-signed, made on the spot with the openssl command
 * line (undefined when openssl is not installed: those cases skip, saying so). Made once per run.
 */
import { opensslPair } from './openssl-pair.ts';

let made: { cert: string; key: string } | undefined | null = null;

export function untrustedCertificate(): { cert: string; key: string } | undefined {
  if (made !== null) return made;
  made = opensslPair((run) =>
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-subj',
      '/CN=corral-untrusted',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ),
  );
  return made;
}
