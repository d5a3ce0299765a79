/**
 * HTTP redirects at session start (TR-069 §3.4.5; cwmp-spec §1.4): the ACS may answer the Inform with 302 or 307;
 * the DUT posts the Inform again to the Location and holds the rest of the session there.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { nextInform } from './helpers.ts';

const AREA = 'HTTP and SOAP';
const REDIRECTED = '/corral-redirected';

async function expectRedirectFollowed(ctx: CaseContext, status: 302 | 307): Promise<void> {
  const first = await nextInform(ctx);
  const origin = `${ctx.tls.enabled ? 'https' : 'http'}://${String(first.posts[0]?.headers.host ?? '')}`;
  first.redirect(status, `${origin}${REDIRECTED}`);
  // The re-posted Inform comes at once: a step's wait, no more.
  const session = await ctx.waitSession();
  await ctx.call({ method: 'GetRPCMethods' });
  const elsewhere = session.posts.filter((p) => p.path !== REDIRECTED).map((p) => p.path);
  ctx.expect(
    elsewhere.length === 0,
    `every POST of the session at ${REDIRECTED} after the ${status}, got ${elsewhere.join(', ')}`,
  );
  ctx.expect(
    Number(session.inform?.body.RetryCount) === 0,
    `the same attempt (RetryCount 0), got ${session.inform?.body.RetryCount}`,
  );
}

export const HTTP_REDIRECT_CASES: ConformanceCase[] = [
  {
    id: 'SOAP-012',
    area: AREA,
    title: 'A 307 to the Inform is followed: the session goes on at the Location',
    clause: 'TR-069 §3.4.5 (redirects at session start)',
    requires: {},
    steps: [
      'Set off a session (ScheduleInform, else a connection request)',
      `Answer its Inform with 307 and Location ${REDIRECTED} on the lab`,
      'Expect the Inform posted there again, and every later POST of the session there',
    ],
    run: (ctx) => expectRedirectFollowed(ctx, 307),
  },
  {
    id: 'SOAP-013',
    area: AREA,
    title: 'A 302 to the Inform is followed: the session goes on at the Location',
    clause: 'TR-069 §3.4.5 (redirects at session start)',
    requires: {},
    steps: [
      'Set off a session (ScheduleInform, else a connection request)',
      `Answer its Inform with 302 and Location ${REDIRECTED} on the lab`,
      'Expect the Inform posted there again, and every later POST of the session there',
    ],
    run: (ctx) => expectRedirectFollowed(ctx, 302),
  },
];
