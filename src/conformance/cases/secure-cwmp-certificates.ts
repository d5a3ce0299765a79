/**
 * Secure CWMP, the certificate's own checks (TR-069 §3.3; RFC 5280 validity, RFC 6125 / RFC 2818 host name): the
 * DUT must start no session with an ACS whose certificate has expired, or names another host — each issued by the
 * CA the DUT trusts for the lab (--tls-ca-cert/--tls-ca-key), so that the defect is the only reason to refuse it.
 * The lab serves it, sets off a session, expects none, then takes the DUT's retry on its own certificate.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { issueCertificate } from '../issued-certificates.ts';
import { labHost } from './lab-address.ts';
import { expectRefused, NO_SESSION_MS, requireTls } from './secure-cwmp.ts';

const AREA = 'Secure CWMP';
/** A name no DUT reaches the lab by (.invalid is reserved, RFC 2606). */
const OTHER_HOST = 'corral-wrong-host.invalid';

function issued(ctx: CaseContext, host: string, expired: boolean) {
  requireTls(ctx);
  const issuer = ctx.tls.issuer;
  if (issuer === undefined)
    return ctx.skip(
      'no --tls-ca-cert/--tls-ca-key: a certificate the DUT trusts but for its defect needs the CA it trusts',
    );
  const cert = issueCertificate(issuer, host, expired);
  if (cert === undefined)
    return ctx.skip('openssl is missing or refused the CA: no certificate to offer');
  return cert;
}

export const SECURE_CWMP_CERTIFICATE_CASES: ConformanceCase[] = [
  {
    id: 'TLS-004',
    area: AREA,
    title: 'The DUT starts no session with an ACS whose certificate has expired',
    clause: 'TR-069 §3.3 (the CPE validates the ACS certificate); RFC 5280 §4.1.2.5 (validity)',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      'Serve a certificate for the lab’s host, issued by the CA the DUT trusts, valid only on 1 January 2020',
      'Set off a session (ScheduleInform, else a connection request)',
      `Expect no Inform within ${NO_SESSION_MS / 1000} s`,
      'Serve the lab’s certificate again; take the DUT’s retry',
    ],
    async run(ctx: CaseContext) {
      const cert = issued(ctx, labHost(ctx), true);
      await expectRefused(ctx, cert, 'an expired certificate');
    },
  },
  {
    id: 'TLS-005',
    area: AREA,
    title: 'The DUT starts no session with an ACS whose certificate names another host',
    clause: 'TR-069 §3.3 (the CPE checks the ACS’s host name against its certificate); RFC 6125',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      `Serve a valid certificate issued by the CA the DUT trusts, for ${OTHER_HOST} only`,
      'Set off a session (ScheduleInform, else a connection request)',
      `Expect no Inform within ${NO_SESSION_MS / 1000} s`,
      'Serve the lab’s certificate again; take the DUT’s retry',
    ],
    async run(ctx: CaseContext) {
      const cert = issued(ctx, OTHER_HOST, false);
      await expectRefused(ctx, cert, `a certificate for ${OTHER_HOST}`);
    },
  },
];
