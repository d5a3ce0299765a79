/**
 * XMPP connection requests (TR-069 Annex K; cwmp-spec §5.3), where the DUT reports a ConnReqJabberID and the lab has
 * an XMPP login (--xmpp-service/--xmpp-jid/--xmpp-password) on the same server: the lab logs in with the ACS's own
 * XMPP client (src/acs/xmpp) for the case and sends the connectionRequest IQ with the connection-request
 * credentials — the right ones must be answered with a result and a session with 6 CONNECTION REQUEST, wrong ones
 * with an error (not-authorized) and no session. A ConnReqAllowedJabberIDs that leaves the lab out gets the lab's
 * bare JID for the case, and is put back.
 */
import { XmppConnector, type XmppRequestOutcome } from '../../acs/xmpp/xmpp-connector.ts';
import type { CaseContext, ConformanceCase } from '../case.ts';
import { sessionWithEvent } from './event-session.ts';
import { labKey } from './helpers.ts';

const AREA = 'Connection request';
const REQUIRES = { rpcs: ['GetParameterValues', 'SetParameterValues'] };
/** The lab's login and the IQ's answer, on a loaded machine. */
const ANSWER_WITHIN_MS = 20_000;
const SESSION_WITHIN_MS = 30_000;
const NO_SESSION_MS = 5000;

interface Xmpp {
  to: string;
  credentials: { username: string; password: string };
  send(credentials: { username: string; password: string }): Promise<XmppRequestOutcome>;
}

function describeOutcome(outcome: XmppRequestOutcome): string {
  return outcome.ok
    ? 'a result'
    : `${outcome.reason}${outcome.condition === undefined ? '' : ` (${outcome.condition})`}`;
}

/** Runs `body` with the lab logged in to XMPP and allowed by the DUT; puts ConnReqAllowedJabberIDs back. */
async function withXmpp(ctx: CaseContext, body: (x: Xmpp) => Promise<void>): Promise<void> {
  const settings = ctx.xmpp;
  if (settings === undefined)
    ctx.skip('no --xmpp-service/--xmpp-jid/--xmpp-password: the lab has no XMPP login');
  const { username, password } = ctx.connectionRequestCredentials;
  if (username === undefined || password === undefined)
    ctx.skip(
      'no --connection-request-username/--connection-request-password for the request to carry',
    );
  const ms = `${ctx.dut.root}ManagementServer.`;
  const names = await ctx.call({ method: 'GetParameterNames', ParameterPath: ms, NextLevel: true });
  const has = new Set(names.ParameterList.map((p) => p.Name.slice(ms.length)));
  if (!has.has('ConnReqJabberID'))
    ctx.skip(`the DUT has no ${ms}ConnReqJabberID: no XMPP connection requests`);
  const read = await ctx.call({
    method: 'GetParameterValues',
    ParameterNames: [
      `${ms}ConnReqJabberID`,
      ...(has.has('ConnReqAllowedJabberIDs') ? [`${ms}ConnReqAllowedJabberIDs`] : []),
    ],
  });
  const value = (n: string) => read.ParameterList.find((p) => p.name === ms + n)?.value ?? '';
  const to = value('ConnReqJabberID');
  if (to === '') ctx.skip('the DUT reports an empty ConnReqJabberID (no XMPP connection up)');
  const bare = settings.jid.split('/')[0]!;
  const allowed = value('ConnReqAllowedJabberIDs');
  const list = allowed
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const admitted = list.length === 0 || list.some((a) => a === settings.jid || a === bare);
  const setAllowed = (v: string) =>
    ctx.call({
      method: 'SetParameterValues',
      ParameterList: [{ name: `${ms}ConnReqAllowedJabberIDs`, value: v, type: 'string' }],
      ParameterKey: labKey('xmpp'),
    });
  if (!admitted) {
    await setAllowed([...list, bare].join(','));
    ctx.note(`ConnReqAllowedJabberIDs got the lab's ${bare} for the case`);
  }
  const connector = new XmppConnector(settings, () => {});
  connector.start();
  try {
    ctx.endSession();
    await body({
      to,
      credentials: { username, password },
      send: (credentials) => connector.connectionRequest(to, credentials, ANSWER_WITHIN_MS),
    });
  } finally {
    await connector.stop();
    if (!admitted)
      await setAllowed(allowed).catch((error: unknown) =>
        ctx.note(`ConnReqAllowedJabberIDs could not be put back: ${(error as Error).message}`),
      );
  }
}

export const XMPP_CONNECTION_REQUEST_CASES: ConformanceCase[] = [
  {
    id: 'CR-010',
    area: AREA,
    title:
      'An XMPP connection request is answered with a result and opens a session with 6 CONNECTION REQUEST',
    clause: 'TR-069 Annex K (K.2.2, K.2.3); cwmp-spec §5.3',
    requires: REQUIRES,
    steps: [
      'Read ConnReqJabberID (skip when absent or empty); admit the lab in ConnReqAllowedJabberIDs if need be',
      'Log in to XMPP; end the session; send the connectionRequest IQ with the connection-request credentials',
      `Expect an IQ result, then a session with 6 CONNECTION REQUEST within ${SESSION_WITHIN_MS / 1000} s`,
    ],
    async run(ctx: CaseContext) {
      await withXmpp(ctx, async (x) => {
        const outcome = await x.send(x.credentials);
        ctx.expect(outcome.ok, `an IQ result from ${x.to}, got ${describeOutcome(outcome)}`);
        const session = await sessionWithEvent(ctx, '6 CONNECTION REQUEST', SESSION_WITHIN_MS);
        ctx.expect(
          session !== undefined,
          `a session with 6 CONNECTION REQUEST within ${SESSION_WITHIN_MS / 1000} s`,
        );
      });
    },
  },
  {
    id: 'CR-011',
    area: AREA,
    title: 'An XMPP connection request with a wrong password gets an error and opens no session',
    clause: 'TR-069 Annex K (K.2.3: not-authorized); cwmp-spec §5.3',
    requires: REQUIRES,
    steps: [
      'As CR-010, with a wrong password in the IQ',
      'Expect an IQ error (not-authorized), not a result',
      `Expect no session with 6 CONNECTION REQUEST within ${NO_SESSION_MS / 1000} s`,
    ],
    async run(ctx: CaseContext) {
      await withXmpp(ctx, async (x) => {
        const outcome = await x.send({ ...x.credentials, password: 'corral-wrong-password' });
        ctx.expect(
          !outcome.ok && outcome.reason === 'error',
          `an IQ error, got ${describeOutcome(outcome)}`,
        );
        if (outcome.condition !== 'not-authorized')
          ctx.note(`the error is ${outcome.condition}, TR-069 Annex K names not-authorized`);
        const session = await sessionWithEvent(ctx, '6 CONNECTION REQUEST', NO_SESSION_MS);
        ctx.expect(session === undefined, 'no session from a refused XMPP request');
      });
    },
  },
];
