/** HTTP and SOAP: how the DUT carries CWMP over HTTP (TR-069 §3.4, cwmp-spec §1). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode } from './helpers.ts';

const AREA = 'HTTP and SOAP';

export const HTTP_SOAP_CASES: ConformanceCase[] = [
  {
    id: 'SOAP-001',
    area: AREA,
    title: 'The response echoes the request’s cwmp:ID header',
    clause: 'TR-069 §3.5 (cwmp:ID)',
    requires: { rpcs: ['GetRPCMethods'] },
    steps: [
      'Send GetRPCMethods with a cwmp:ID of the lab’s',
      'Expect the response to carry that ID',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({ method: 'GetRPCMethods' });
      ctx.expect(
        answer.envelope.header.ID === answer.sentId,
        `the response's cwmp:ID to be "${answer.sentId}", got "${answer.envelope.header.ID ?? '(none)'}"`,
      );
    },
  },
  {
    id: 'SOAP-002',
    area: AREA,
    title: 'An empty POST ends the DUT’s turn, and 204 ends the session',
    clause: 'TR-069 §3.7.1.4, §3.4.1',
    requires: {},
    steps: [
      'Ask the DUT to call in (connection request)',
      'Answer its Inform; expect an empty POST (no body, no SOAPAction)',
      'Answer 204',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.newSession();
      const last = session.posts.at(-1);
      ctx.expect(last?.empty === true, 'the last POST before the lab’s turn to be empty');
      ctx.expect(
        last.headers.soapaction === undefined,
        `an empty POST without SOAPAction, got SOAPAction: ${last.headers.soapaction}`,
      );
      ctx.endSession();
    },
  },
  {
    id: 'SOAP-003',
    area: AREA,
    title: 'An unknown RPC is answered with fault 9000 and the session goes on',
    clause: 'TR-069 §A.3.1, Table 19 (9000 Method not supported)',
    requires: {},
    steps: [
      'Send X_CORRAL_NoSuchMethod',
      'Expect fault 9000',
      'Send GetParameterNames on the root in the same session; expect a response',
    ],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({ method: 'UnknownMethod', Name: 'X_CORRAL_NoSuchMethod' });
      ctx.expect(faultCode(answer) === 9000, `fault 9000, got ${describeOutcome(answer)}`);
      const after = await ctx.rpc({
        method: 'GetParameterNames',
        ParameterPath: ctx.dut.root,
        NextLevel: true,
      });
      ctx.expect(after.kind === 'response', `the session to go on, got ${describeOutcome(after)}`);
    },
  },
  {
    id: 'SOAP-004',
    area: AREA,
    title: 'The DUT returns the lab’s session cookie on every later POST',
    clause: 'TR-069 §3.4.2 (cookies)',
    requires: {},
    steps: [
      'Open a session; the InformResponse sets a cookie',
      'Expect every later POST of the session to return it',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.newSession();
      await ctx.rpc({ method: 'GetRPCMethods' });
      const later = session.posts.slice(1);
      ctx.expect(later.length > 0, 'POSTs after the InformResponse');
      for (const [i, post] of later.entries())
        ctx.expect(
          (post.headers.cookie ?? '').includes(session.cookie),
          `POST ${i + 2} of the session to carry Cookie ${session.cookie}, got ${post.headers.cookie ?? 'none'}`,
        );
    },
  },
  {
    id: 'SOAP-005',
    area: AREA,
    title: 'Every POST carrying an envelope is Content-Type text/xml',
    clause: 'TR-069 §3.4.1',
    requires: {},
    steps: ['Open a session and exchange an RPC', 'Expect text/xml on every non-empty POST'],
    async run(ctx: CaseContext) {
      const session = await ctx.newSession();
      await ctx.rpc({ method: 'GetRPCMethods' });
      for (const post of session.posts.filter((p) => !p.empty))
        ctx.expect(
          /^text\/xml\b/i.test(post.headers['content-type'] ?? ''),
          `Content-Type text/xml, got ${post.headers['content-type'] ?? 'none'}`,
        );
    },
  },
];
