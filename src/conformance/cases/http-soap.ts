/** HTTP and SOAP: how the DUT carries CWMP over HTTP (TR-069 §3.4, cwmp-spec §1). */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode, labKey } from './helpers.ts';
import { TRANSFER_WAIT_MS, uploadConfiguration } from './transfer-helpers.ts';

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
  {
    id: 'SOAP-006',
    area: AREA,
    title: 'The session’s POSTs travel on one TCP connection (HTTP/1.1 keep-alive)',
    clause: 'TR-069 §3.4.1 (persistent connection for the session)',
    requires: { rpcs: ['GetRPCMethods', 'GetParameterNames'] },
    steps: [
      'In a session, send GetRPCMethods and GetParameterNames',
      'Expect every POST of the session on the same TCP connection',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      await ctx.call({ method: 'GetRPCMethods' });
      await ctx.call({ method: 'GetParameterNames', ParameterPath: ctx.dut.root, NextLevel: true });
      const connections = [...new Set(session.posts.map((p) => p.connection))];
      ctx.expect(
        connections.length === 1,
        `one connection for the ${session.posts.length} POSTs of the session, got ${connections.length}`,
      );
    },
  },
  {
    id: 'SOAP-007',
    area: AREA,
    title: 'The Inform’s POST carries a SOAPAction naming Inform',
    clause: 'TR-069 §3.4.1 (SOAPAction on a request)',
    requires: {},
    steps: ['Take the session’s Inform POST', 'Expect SOAPAction: "…Inform" (the method’s name)'],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const raw = session.posts[0]?.headers.soapaction;
      const action = raw === undefined ? undefined : String(raw);
      ctx.expect(action !== undefined, 'a SOAPAction header on the Inform');
      ctx.expect(
        /^"?(?:[^"#]*#)?Inform"?$/.test(action.trim()),
        `SOAPAction naming Inform, got ${action}`,
      );
    },
  },
  {
    id: 'SOAP-008',
    area: AREA,
    title: 'A POST carrying a response has an empty SOAPAction, if any',
    clause: 'TR-069 §3.4.1 (SOAPAction on a response or fault)',
    requires: { rpcs: ['GetRPCMethods'] },
    steps: [
      'In a session, send GetRPCMethods and X_CORRAL_NoSuchMethod (a fault comes back)',
      'Expect the POSTs carrying the response and the fault to have no SOAPAction value',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const from = session.posts.length;
      await ctx.call({ method: 'GetRPCMethods' });
      await ctx.rpc({ method: 'UnknownMethod', Name: 'X_CORRAL_NoSuchMethod' });
      for (const post of session.posts.slice(from)) {
        const raw = post.headers.soapaction;
        const action = raw === undefined ? undefined : String(raw);
        ctx.expect(
          action === undefined || action.trim() === '' || action.trim() === '""',
          `an empty SOAPAction on a response, got ${action}`,
        );
      }
    },
  },
  {
    id: 'SOAP-009',
    area: AREA,
    title: 'An RPC sent with chunked transfer-encoding is understood',
    clause: 'TR-069 §3.4 (HTTP/1.1: chunked bodies accepted)',
    requires: { rpcs: ['GetParameterNames'] },
    steps: [
      'Send GetParameterNames("{root}", true) in a chunked HTTP response (no Content-Length)',
      'Expect GetParameterNamesResponse listing the root’s children',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const answer = await session.rpc(
        { method: 'GetParameterNames', ParameterPath: ctx.dut.root, NextLevel: true },
        undefined,
        { chunked: true },
      );
      ctx.expect(
        answer.kind === 'response' && answer.message.method === 'GetParameterNamesResponse',
        `GetParameterNamesResponse, got ${describeOutcome(answer)}`,
      );
      ctx.expect(answer.message.ParameterList.length > 0, 'the root’s children');
    },
  },
  {
    id: 'SOAP-010',
    area: AREA,
    title: 'HoldRequests (mustUnderstand) in the InformResponse holds the DUT’s TransferComplete',
    clause: 'TR-069 §3.5 (HoldRequests), §3.7.1.3',
    requires: { rpcs: ['Upload'] },
    steps: [
      'Send Upload of the configuration to the lab; end the session',
      'Answer the Inform of the session that reports it with HoldRequests true',
      'Expect an empty POST next (no TransferComplete); end the session',
      'Ask the DUT to call in; expect the held TransferComplete with its CommandKey in that session',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('hold');
      await uploadConfiguration(ctx, key);
      ctx.endSession();
      const held = await ctx.waitInform(TRANSFER_WAIT_MS);
      held.informResponse({ holdRequests: true });
      await held.waitEmptyPost();
      ctx.expect(
        held.cpeRequests.length === 0,
        `an empty POST after HoldRequests, got ${held.cpeRequests.map((r) => r.method).join(', ')}`,
      );
      const next = await ctx.newSession();
      const complete = next.cpeRequests.find((r) => r.method === 'TransferComplete');
      ctx.expect(complete !== undefined, 'the held TransferComplete in the next session');
      ctx.expect(
        complete.CommandKey === key,
        `TransferComplete's CommandKey "${key}", got "${complete.CommandKey}"`,
      );
    },
  },
  {
    id: 'SOAP-011',
    area: AREA,
    title: 'The empty POST carries no body and no Content-Type',
    clause: 'TR-069 §3.4.1 (the empty HTTP POST)',
    requires: {},
    steps: [
      'Take the empty POST that gave the lab its turn in the session',
      'Expect Content-Length 0 (or no body) and no Content-Type',
    ],
    async run(ctx: CaseContext) {
      const session = await ctx.session();
      const empty = session.posts.find((p) => p.empty);
      ctx.expect(empty !== undefined, 'an empty POST in the session');
      const type = empty.headers['content-type'];
      ctx.expect(type === undefined, `no Content-Type on the empty POST, got ${type}`);
      const length = empty.headers['content-length'];
      ctx.expect(
        length === undefined || Number(length) === 0,
        `Content-Length 0 on the empty POST, got ${length}`,
      );
    },
  },
  {
    id: 'SOAP-014',
    area: AREA,
    title: 'An ACS fault 8005 (retry request) to TransferComplete makes the DUT send it again',
    clause: 'TR-069 §A.3.3 (ACS fault codes: 8005 Retry request); cwmp-spec §6.2',
    requires: { rpcs: ['Upload'] },
    steps: [
      'Send Upload of the configuration to the lab; end the session',
      'Answer the TransferComplete of the session that reports it with fault 8005',
      'Expect the same TransferComplete (CommandKey) sent again in that session, and acknowledge it',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('8005');
      await uploadConfiguration(ctx, key);
      ctx.endSession();
      const session = await ctx.waitInform(TRANSFER_WAIT_MS);
      session.informResponse();
      await session.waitEmptyPost({ retryFault: { method: 'TransferComplete', times: 1 } });
      const sent = session.cpeRequests.filter(
        (r) => r.method === 'TransferComplete' && r.CommandKey === key,
      );
      ctx.expect(
        sent.length === 2,
        `TransferComplete "${key}" sent again after 8005, got it ${sent.length} time(s)`,
      );
    },
  },
];
