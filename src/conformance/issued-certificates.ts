/**
 * Certificates with one defect each, for the Secure CWMP cases: issued by the CA the DUT trusts for the lab
 * (--tls-ca-cert/--tls-ca-key), so that the defect — an expired validity, another host's name — is the only reason
 * to refuse them (a certificate from an unknown CA would be refused for that alone, proving nothing). Made on the
 * spot with the openssl command line (its `ca` command sets a validity in the past); undefined when openssl is
 * missing or refuses the CA. The CA's key is written to a private temporary directory, removed at once.
 */
import { writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { opensslPair } from './openssl-pair.ts';

export interface Issuer {
  cert: string;
  key: string;
}

export interface IssuedCertificate {
  cert: string;
  key: string;
}

const CA_CONFIG = `[ ca ]
default_ca = lab
[ lab ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
[ any ]
commonName = supplied
`;

const made = new Map<string, IssuedCertificate | undefined>();

/**
 * A certificate for `host` (an IP address or a DNS name) issued by `issuer`: `expired` valid only for a day in
 * 2020, otherwise valid from yesterday for two days. Made once per issuer, host and kind.
 */
export function issueCertificate(
  issuer: Issuer,
  host: string,
  expired: boolean,
): IssuedCertificate | undefined {
  const id = `${issuer.cert}\u0000${host}\u0000${expired}`;
  if (made.has(id)) return made.get(id);
  const result = opensslPair((run, dir) => {
    writeFileSync(join(dir, 'ca.pem'), issuer.cert);
    writeFileSync(join(dir, 'ca.key'), issuer.key, { mode: 0o600 });
    writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
    writeFileSync(join(dir, 'index.txt'), '');
    writeFileSync(join(dir, 'serial'), `${Date.now().toString(16).padStart(16, '0')}\n`);
    const san = isIP(host) === 0 ? `DNS:${host}` : `IP:${host}`;
    writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\n`);
    const cn = host.replace(/[^A-Za-z0-9.:-]/g, '_');
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'req.csr',
      '-subj',
      `/CN=${cn}`,
    );
    const day = 86_400_000;
    const stamp = (ms: number) =>
      `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
    const [from, to] = expired
      ? ['20200101000000Z', '20200102000000Z']
      : [stamp(Date.now() - day), stamp(Date.now() + day)];
    run(
      'ca',
      '-batch',
      '-config',
      'ca.cnf',
      '-cert',
      'ca.pem',
      '-keyfile',
      'ca.key',
      '-in',
      'req.csr',
      '-out',
      'cert.pem',
      '-startdate',
      from,
      '-enddate',
      to,
      '-extfile',
      'ext.cnf',
      '-notext',
    );
  });
  made.set(id, result);
  return result;
}
