/** HTTP connection requests (TR-069 §3.2.2, cwmp-spec §5.1). */
import type { CaseContext, ConformanceCase } from '../case.ts';

const AREA = 'Connection request';

export const CONNECTION_REQUEST_CASES: ConformanceCase[] = [
  {
    id: 'CR-001',
    area: AREA,
    title: 'A connection request without credentials gets 401 and starts no session',
    clause: 'TR-069 §3.2.2',
    requires: {},
    steps: [
      'End the session; GET the ConnectionRequestURL without Authorization',
      'Expect 401 with a Digest challenge',
    ],
    async run(ctx: CaseContext) {
      ctx.endSession();
      const answer = await ctx.connectionRequest({ authenticate: false });
      if (!answer.ok) return ctx.skip(`no connection request possible: ${answer.detail}`);
      ctx.expect(answer.status === 401, `401, got ${answer.status}`);
    },
  },
  {
    id: 'CR-002',
    area: AREA,
    title: 'A connection request with Digest gets 200/204 and a session with 6 CONNECTION REQUEST',
    clause: 'TR-069 §3.2.2, §3.7.1.5',
    requires: {},
    steps: [
      'End the session; GET the ConnectionRequestURL, answering the Digest challenge',
      'Expect 200 or 204',
      'Expect a session whose Inform carries 6 CONNECTION REQUEST',
    ],
    async run(ctx: CaseContext) {
      ctx.endSession();
      const answer = await ctx.connectionRequest();
      if (!answer.ok) return ctx.skip(`no connection request possible: ${answer.detail}`);
      ctx.expect(answer.challenged, 'a Digest challenge before the request is accepted');
      ctx.expect(
        answer.status === 200 || answer.status === 204,
        `200 or 204, got ${answer.status}`,
      );
      const session = await ctx.waitSession();
      const events = session.inform?.body.Event.map((e) => e.EventCode) ?? [];
      ctx.expect(
        events.includes('6 CONNECTION REQUEST'),
        `6 CONNECTION REQUEST, got ${events.join(' | ')}`,
      );
    },
  },
  {
    id: 'CR-003',
    area: AREA,
    title: 'A connection request with a wrong password gets 401',
    clause: 'TR-069 §3.2.2',
    requires: {},
    steps: [
      'End the session; GET the ConnectionRequestURL, answering the challenge with a wrong password',
      'Expect 401',
    ],
    async run(ctx: CaseContext) {
      ctx.endSession();
      const answer = await ctx.connectionRequest({ password: 'corral-wrong-password' });
      if (!answer.ok) return ctx.skip(`no connection request possible: ${answer.detail}`);
      ctx.expect(answer.challenged, 'a Digest challenge');
      ctx.expect(answer.status === 401, `401, got ${answer.status}`);
    },
  },
];
