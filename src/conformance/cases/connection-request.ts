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
  {
    id: 'CR-004',
    area: AREA,
    title: 'A connection request to another path on the same port starts no session',
    clause:
      'TR-069 §3.2.2 (the ConnectionRequestURL only); certification-plan.md (connection-request hardening)',
    requires: {},
    steps: [
      'End the session; GET the ConnectionRequestURL’s host and port at /corral-not-the-path, answering Digest',
      'Expect no 200/204 (401, 403 or 404)',
    ],
    async run(ctx: CaseContext) {
      ctx.endSession();
      const answer = await ctx.connectionRequest({ path: '/corral-not-the-path' });
      if (!answer.ok) return ctx.skip(`no connection request possible: ${answer.detail}`);
      if (answer.status === 200 || answer.status === 204) {
        // A session may follow: take it, so the next case starts clean.
        await ctx.waitSession().catch(() => undefined);
        ctx.endSession();
      }
      ctx.expect(
        answer.status !== 200 && answer.status !== 204,
        `no session from another path (401, 403 or 404), got ${answer.status}`,
      );
    },
  },
  {
    id: 'CR-005',
    area: AREA,
    title: 'A replayed connection request (the same Digest answer again) is refused',
    clause: 'TR-069 §3.2.2; RFC 7616 (nonce count); certification-plan.md (nonce reuse refused)',
    requires: {},
    steps: [
      'End the session; send a connection request with Digest; expect 200/204',
      'Send the very same Authorization again; expect no 200/204',
      'Take the session the first request started',
    ],
    async run(ctx: CaseContext) {
      ctx.endSession();
      const answer = await ctx.connectionRequest({ replay: true });
      if (!answer.ok) return ctx.skip(`no connection request possible: ${answer.detail}`);
      ctx.expect(
        answer.status === 200 || answer.status === 204,
        `the first request accepted (200 or 204), got ${answer.status}`,
      );
      await ctx.waitSession();
      ctx.expect(answer.replayStatus !== undefined, 'an answer to the replayed request');
      ctx.expect(
        answer.replayStatus !== 200 && answer.replayStatus !== 204,
        `the replay refused (401), got ${answer.replayStatus}`,
      );
    },
  },
];
