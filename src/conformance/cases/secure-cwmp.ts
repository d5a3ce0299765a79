/**
 * Secure CWMP (TR-069 §3.3, cwmp-spec §1.4 "TLS"): with `--tls-cert/--tls-key` the lab is an HTTPS ACS that takes
 * any TLS version (so that it can judge one); the DUT must speak TLS 1.2 or later to it, and must start no session with an ACS that shows a certificate it cannot trust
 * or offers only TLS 1.0. The lab serves what must be refused, sets off a session, expects none, then serves its
 * own certificate again and takes the DUT's retry (CWMPRetryMinimumWaitInterval set to 1 s for it, restored after).
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { StepFailure } from '../step-failure.ts';
import { untrustedCertificate } from '../untrusted-certificate.ts';
import { labKey } from './helpers.ts';
import { retryPolicy, window } from './session-retry.ts';

const AREA = 'Secure CWMP';
/** How long the lab waits for a session that must not come: ScheduleInform's second, a handshake, a margin. */
export const NO_SESSION_MS = 3000;

export function requireTls(ctx: CaseContext): void {
  if (!ctx.tls.enabled) ctx.skip('the lab speaks plain HTTP (run with --tls-cert and --tls-key)');
}

type Offer = Parameters<CaseContext['tls']['serve']>[0];

/** Serves `offer`, sets off a session, expects the DUT not to start it, then takes its retry on the lab's own TLS. */
export async function expectRefused(ctx: CaseContext, offer: Offer, what: string): Promise<void> {
  const policy = await retryPolicy(ctx);
  let restored = false;
  try {
    if (ctx.dut.methods.includes('ScheduleInform')) {
      await ctx.call({ method: 'ScheduleInform', DelaySeconds: 1, CommandKey: labKey('tls') });
      ctx.endSession();
      ctx.tls.serve(offer);
    } else {
      ctx.endSession();
      ctx.tls.serve(offer);
      const knock = await ctx.connectionRequest();
      if (!knock.ok) return ctx.skip(`no connection request possible: ${knock.detail}`);
    }
    let accepted = false;
    try {
      const session = await ctx.waitInform(NO_SESSION_MS);
      accepted = true;
      session.informResponse();
      await session.waitEmptyPost();
    } catch (error) {
      if (!(error instanceof StepFailure) || error.reason !== 'timeout') throw error;
    }
    ctx.expect(!accepted, `no session with ${what}, but the DUT posted its Inform`);
    ctx.tls.serve(undefined);
    restored = true;
    // The refused session is a failed one: the DUT retries, now on the lab's own certificate.
    const retry = await ctx.waitSession(window(policy, 3).max * 1000 + 3000);
    ctx.note(`the DUT came back with RetryCount ${retry.inform?.body.RetryCount}`);
  } finally {
    if (!restored) ctx.tls.serve(undefined);
    await policy.restore();
  }
}

export const SECURE_CWMP_CASES: ConformanceCase[] = [
  {
    id: 'TLS-001',
    area: AREA,
    title: 'The DUT speaks TLS 1.2 or later to an HTTPS ACS',
    clause: 'TR-069 §3.3 (TLS 1.2 or later, Amendment 6)',
    requires: {},
    steps: [
      'Take the session in hand (over the lab’s HTTPS)',
      'Expect every POST over TLS 1.2 or 1.3',
    ],
    async run(ctx: CaseContext) {
      requireTls(ctx);
      const session = await ctx.session();
      const versions = [...new Set(session.posts.map((p) => p.tls ?? 'none'))];
      ctx.expect(
        versions.every((v) => v === 'TLSv1.2' || v === 'TLSv1.3'),
        `TLS 1.2 or 1.3, got ${versions.join(', ')}`,
      );
    },
  },
  {
    id: 'TLS-002',
    area: AREA,
    title: 'The DUT starts no session with an ACS whose certificate it cannot trust',
    clause: 'TR-069 §3.3 (the CPE validates the ACS certificate)',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      'Serve a self-signed certificate; set off a session (ScheduleInform, else a connection request)',
      `Expect no Inform within ${NO_SESSION_MS / 1000} s`,
      'Serve the lab’s certificate again; take the DUT’s retry',
    ],
    async run(ctx: CaseContext) {
      requireTls(ctx);
      const untrusted = untrustedCertificate();
      if (untrusted === undefined)
        return ctx.skip('openssl is not installed: no certificate to offer');
      await expectRefused(ctx, untrusted, 'a self-signed certificate');
    },
  },
  {
    id: 'TLS-003',
    area: AREA,
    title: 'The DUT starts no session with an ACS that offers only TLS 1.0',
    clause: 'TR-069 §3.3 (TLS 1.2 or later; no downgrade)',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      'Serve the lab’s certificate over TLS 1.0 only; set off a session',
      `Expect no Inform within ${NO_SESSION_MS / 1000} s`,
      'Serve TLS 1.2 and later again; take the DUT’s retry',
    ],
    async run(ctx: CaseContext) {
      requireTls(ctx);
      await expectRefused(
        ctx,
        { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
        'TLS 1.0 only',
      );
    },
  },
];
