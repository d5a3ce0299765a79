/**
 * UDP connection requests through STUN (TR-069 Annex G, TR-111 Part 2; cwmp-spec §5.2), where the DUT has
 * ManagementServer.STUNEnable and UDPConnectionRequestAddress: the lab runs its own STUN server for the case, points
 * the DUT at it (STUNEnable, STUNServerAddress/Port, a STUNUsername/STUNPassword of its own), and waits for the DUT's
 * binding; then it sends signed UDP connection requests to the binding — a good one must open a session with
 * 6 CONNECTION REQUEST, a replay or a bad signature none. The STUN settings are put back (all but STUNPassword,
 * which no one can read back).
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import type { DutSession } from '../dut-session.ts';
import { LabStun } from '../lab-stun.ts';
import { sessionWithEvent, sessionWithin } from './event-session.ts';
import { labKey } from './helpers.ts';
import { labHost } from './lab-address.ts';

const AREA = 'Connection request';
const REQUIRES = { rpcs: ['GetParameterValues', 'SetParameterValues'] };
/** The DUT binds once its session is over; a keep-alive may take a while on a real one. */
const BINDING_WITHIN_MS = 30_000;
/** A request must open a session within 30 s (TR-069 §3.2.2). */
const SESSION_WITHIN_MS = 30_000;
/** How long the lab waits for a session that must not come. */
const NO_SESSION_MS = 5000;
const SETTINGS = ['STUNEnable', 'STUNServerAddress', 'STUNServerPort', 'STUNUsername'];

interface Stunned {
  stun: LabStun;
  binding: { address: string; port: number };
  credentials: { username: string; password: string };
  /** Whether the body left a session of the lab's open. */
  inSession: boolean;
}

/**
 * A session of the lab's by a signed UDP request (HTTP connection requests are few: a DUT may take ten a minute),
 * else by an HTTP one.
 */
async function anySession(ctx: CaseContext, s: Stunned): Promise<void> {
  await s.stun.send(s.stun.request(s.binding, s.credentials), s.binding);
  if ((await sessionWithEvent(ctx, '6 CONNECTION REQUEST', SESSION_WITHIN_MS)) === undefined)
    await ctx.session();
  s.inSession = true;
}

/**
 * Runs `body` with the DUT bound to the lab's STUN server; the body ends in a session of the lab's (or leaves
 * none), in which the STUN settings are put back.
 */
async function withStun(ctx: CaseContext, body: (s: Stunned) => Promise<void>): Promise<void> {
  const { username, password } = ctx.connectionRequestCredentials;
  if (username === undefined || password === undefined)
    ctx.skip(
      'no --connection-request-username/--connection-request-password to sign UDP requests with',
    );
  const ms = `${ctx.dut.root}ManagementServer.`;
  const names = await ctx.call({ method: 'GetParameterNames', ParameterPath: ms, NextLevel: true });
  const has = new Set(names.ParameterList.map((p) => p.Name.slice(ms.length)));
  for (const needed of ['STUNEnable', 'UDPConnectionRequestAddress', ...SETTINGS])
    if (!has.has(needed)) ctx.skip(`the DUT has no ${ms}${needed}: no UDP connection requests`);
  const before = await ctx.call({
    method: 'GetParameterValues',
    ParameterNames: SETTINGS.map((n) => ms + n),
  });
  const stun = await LabStun.start(labHost(ctx));
  let stunned: Stunned | undefined;
  const put = (values: Record<string, string>) =>
    ctx.call({
      method: 'SetParameterValues',
      ParameterList: Object.entries(values).map(([n, value]) => ({
        name: ms + n,
        value,
        type: before.ParameterList.find((p) => p.name === ms + n)?.type ?? 'string',
      })),
      ParameterKey: labKey('stun'),
    });
  try {
    await put({
      STUNEnable: 'true',
      STUNServerAddress: labHost(ctx),
      STUNServerPort: String(stun.port),
      STUNUsername: stun.credential.username,
    });
    await ctx.call({
      method: 'SetParameterValues',
      ParameterList: [
        { name: `${ms}STUNPassword`, value: stun.credential.password, type: 'string' },
      ],
      ParameterKey: labKey('stun'),
    });
    ctx.endSession();
    const binding = await stun.waitBinding(BINDING_WITHIN_MS);
    ctx.expect(
      binding !== undefined,
      `a STUN Binding Request with CONNECTION-REQUEST-BINDING and the lab's credential within ${BINDING_WITHIN_MS / 1000} s`,
    );
    ctx.note(`the DUT bound ${binding.address}:${binding.port}`);
    stunned = { stun, binding, credentials: { username, password }, inSession: false };
    await body(stunned);
  } finally {
    // Put back in a session of the lab's: the one the body left, else a new one.
    if (stunned !== undefined && !stunned.inSession)
      await anySession(ctx, stunned).catch(() => undefined);
    await stun.close();
    await put(
      Object.fromEntries(before.ParameterList.map((p) => [p.name.slice(ms.length), p.value])),
    ).catch((error: unknown) =>
      ctx.note(`the STUN settings could not be put back: ${(error as Error).message}`),
    );
    ctx.note('STUNPassword is left as the lab set it (a password cannot be read back to restore)');
  }
}

/** A signed request to the binding, and the session it must open. */
async function requested(ctx: CaseContext, s: Stunned, datagram: Buffer): Promise<DutSession> {
  await s.stun.send(datagram, s.binding);
  const session = await sessionWithEvent(ctx, '6 CONNECTION REQUEST', SESSION_WITHIN_MS);
  ctx.expect(
    session !== undefined,
    `a session with 6 CONNECTION REQUEST within ${SESSION_WITHIN_MS / 1000} s of a signed UDP request`,
  );
  s.inSession = true;
  return session;
}

/** No session with 6 CONNECTION REQUEST after `datagram`. */
async function ignored(
  ctx: CaseContext,
  s: Stunned,
  datagram: Buffer,
  what: string,
): Promise<void> {
  ctx.endSession();
  s.inSession = false;
  // A session still on its way (an earlier request's copies) would be taken for this one's.
  for (let stray = await sessionWithin(ctx, 1000); stray !== undefined; ) {
    ctx.note('a session already on its way was taken first');
    ctx.endSession();
    stray = await sessionWithin(ctx, 1000);
  }
  await s.stun.send(datagram, s.binding);
  const session = await sessionWithEvent(ctx, '6 CONNECTION REQUEST', NO_SESSION_MS);
  ctx.expect(
    session === undefined,
    `no session from ${what}, but the DUT opened one with 6 CONNECTION REQUEST`,
  );
}

export const UDP_CONNECTION_REQUEST_CASES: ConformanceCase[] = [
  {
    id: 'CR-006',
    area: AREA,
    title: 'With STUN on, the DUT binds to the STUN server and reports the mapped address',
    clause: 'TR-069 Annex G (G.2.1, G.2.2); TR-111 Part 2; cwmp-spec §5.2',
    requires: REQUIRES,
    steps: [
      'Run a STUN server; set STUNEnable, STUNServerAddress/Port, STUNUsername/Password to it',
      `End the session; expect an authenticated Binding Request with CONNECTION-REQUEST-BINDING within ${BINDING_WITHIN_MS / 1000} s`,
      'Expect UDPConnectionRequestAddress to be the mapped address (host:port), NATDetected to say whether it differs from the local one',
    ],
    async run(ctx: CaseContext) {
      await withStun(ctx, async (s) => {
        // The new address may come by active notification; else the lab asks.
        if ((await sessionWithin(ctx, 3000)) === undefined) await anySession(ctx, s);
        s.inSession = true;
        const ms = `${ctx.dut.root}ManagementServer.`;
        const answer = await ctx.call({
          method: 'GetParameterValues',
          ParameterNames: [`${ms}UDPConnectionRequestAddress`],
        });
        const reported = answer.ParameterList[0]?.value ?? '';
        const mapped = s.binding.address.includes(':')
          ? `[${s.binding.address}]:${s.binding.port}`
          : `${s.binding.address}:${s.binding.port}`;
        ctx.expect(
          reported === mapped,
          `UDPConnectionRequestAddress ${mapped}, got ${JSON.stringify(reported)}`,
        );
      });
    },
  },
  {
    id: 'CR-007',
    area: AREA,
    title: 'A signed UDP connection request opens a session with 6 CONNECTION REQUEST',
    clause: 'TR-069 Annex G (G.2.4, the UDP Connection Request message); TR-111 Part 2',
    requires: REQUIRES,
    steps: [
      'Bind the DUT to the lab’s STUN server (as CR-006)',
      'Send a UDP connection request (ts, id, un, cn, HMAC-SHA1 sig) to the binding from the STUN port',
      `Expect a session with 6 CONNECTION REQUEST within ${SESSION_WITHIN_MS / 1000} s`,
    ],
    async run(ctx: CaseContext) {
      await withStun(ctx, async (s) => {
        await requested(ctx, s, s.stun.request(s.binding, s.credentials));
      });
    },
  },
  {
    id: 'CR-008',
    area: AREA,
    title: 'A replayed UDP connection request (an id already taken) is ignored',
    clause: 'TR-069 Annex G (G.2.4: a message whose id was seen, or an older ts, is discarded)',
    requires: REQUIRES,
    steps: [
      'Bind the DUT; send a signed UDP request; take its session',
      `Send the very same datagram again; expect no session with 6 CONNECTION REQUEST within ${NO_SESSION_MS / 1000} s`,
    ],
    async run(ctx: CaseContext) {
      await withStun(ctx, async (s) => {
        const datagram = s.stun.request(s.binding, s.credentials);
        await requested(ctx, s, datagram);
        await ignored(ctx, s, datagram, 'a replayed request');
      });
    },
  },
  {
    id: 'CR-009',
    area: AREA,
    title: 'A UDP connection request with a wrong signature is ignored; a right one still works',
    clause: 'TR-069 Annex G (G.2.4: the CPE checks un and sig)',
    requires: REQUIRES,
    steps: [
      'Bind the DUT; send a UDP request signed with a wrong password',
      `Expect no session with 6 CONNECTION REQUEST within ${NO_SESSION_MS / 1000} s`,
      'Send a right one; expect its session',
    ],
    async run(ctx: CaseContext) {
      await withStun(ctx, async (s) => {
        const forged = s.stun.request(s.binding, {
          ...s.credentials,
          password: 'corral-wrong-password',
        });
        await ignored(ctx, s, forged, 'a request signed with a wrong password');
        await requested(ctx, s, s.stun.request(s.binding, s.credentials));
      });
    },
  },
];
