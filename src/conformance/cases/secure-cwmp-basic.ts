/**
 * Basic authentication only over TLS (TR-069 §3.4.4; cwmp-spec "Basic auth is allowed only over TLS"): with
 * --cpe-username/--cpe-password the lab asks the DUT for Digest; these cases ask for Basic only instead. Over
 * plain HTTP the DUT must not answer — its password would go in clear — and gives the session up or retries; the
 * lab then asks for Digest again and takes the DUT's next session. Over HTTPS the DUT may answer Basic, and must
 * answer it right. The Authorization header is evidence by its scheme only: the password never reaches a report.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { StepFailure } from '../step-failure.ts';
import { labKey } from './helpers.ts';
import { retryPolicy, window } from './session-retry.ts';

const AREA = 'Secure CWMP';
/** How long the lab waits for the DUT's first POST to challenge, after ScheduleInform's second. */
const FIRST_POST_MS = 10_000;
/** How long it keeps challenging with Basic after that: the DUT's first retries (m set to 1 s) fall in it. */
const BASIC_BOUND_MS = 4000;

function requireCredentials(ctx: CaseContext): void {
  if (!ctx.cpeAuth.configured)
    ctx.skip(
      'no --cpe-username/--cpe-password: the lab asks the DUT for no authentication, so none to challenge',
    );
}

/** Sets off a session of the DUT's own: ScheduleInform in 1 s where listed, else a connection request. */
async function setOffSession(ctx: CaseContext): Promise<void> {
  if (ctx.dut.methods.includes('ScheduleInform')) {
    await ctx.call({ method: 'ScheduleInform', DelaySeconds: 1, CommandKey: labKey('basic') });
    ctx.endSession();
    return;
  }
  ctx.endSession();
  const knock = await ctx.connectionRequest();
  if (!knock.ok) ctx.skip(`no connection request possible: ${knock.detail}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const SECURE_CWMP_BASIC_CASES: ConformanceCase[] = [
  {
    id: 'TLS-006',
    area: AREA,
    title: 'Over plain HTTP the DUT does not answer a Basic challenge with its password',
    clause: 'TR-069 §3.4.4 (Basic authentication only over TLS); cwmp-spec §1.4',
    requires: { rpcs: ['GetParameterValues', 'SetParameterValues'] },
    steps: [
      'Set CWMPRetryMinimumWaitInterval to 1 s where writable; set off a session (ScheduleInform, else a connection request)',
      'Answer every POST of the DUT with 401 and WWW-Authenticate: Basic only',
      `Expect no Authorization: Basic on that session or its retries within ${BASIC_BOUND_MS / 1000} s of the first`,
      'Ask for Digest again; take the DUT’s retry, else call it in (it must not be stuck); restore the retry interval',
    ],
    async run(ctx: CaseContext) {
      requireCredentials(ctx);
      if (ctx.tls.enabled)
        return ctx.skip(
          'the lab speaks HTTPS, where Basic may be answered (TLS-007): this case needs plain HTTP',
        );
      const policy = await retryPolicy(ctx);
      let challenging = false;
      try {
        await setOffSession(ctx);
        ctx.cpeAuth.challengeBasic(true);
        challenging = true;
        const deadline = Date.now() + FIRST_POST_MS;
        while (ctx.cpeAuth.basicSeen.challenged === 0 && Date.now() < deadline) await sleep(100);
        ctx.expect(
          ctx.cpeAuth.basicSeen.challenged > 0,
          `the DUT to post its Inform within ${FIRST_POST_MS / 1000} s, to be challenged with Basic`,
        );
        await sleep(BASIC_BOUND_MS);
        const seen = ctx.cpeAuth.challengeBasic(false);
        challenging = false;
        ctx.note(
          `the lab answered ${seen.challenged} POST(s) with 401 Basic; ${seen.basic} carried Authorization: Basic`,
        );
        ctx.expect(
          seen.basic === 0,
          `no Authorization: Basic over plain HTTP, but ${seen.basic} POST(s) carried one (the password in clear)`,
        );
        // The challenged session failed for the DUT: it retries, now asked for Digest as before; a DUT that gave
        // up instead is called in, so that it is not left waiting for its next periodic Inform.
        const waitMs = window(policy, 3).max * 1000 + 3000;
        try {
          const retry = await ctx.waitSession(waitMs);
          ctx.note(`the DUT came back with RetryCount ${retry.inform?.body.RetryCount}`);
        } catch (error) {
          if (!(error instanceof StepFailure) || error.reason !== 'timeout') throw error;
          await ctx.newSession();
          ctx.note(`no retry within ${waitMs / 1000} s: a connection request brought the DUT back`);
        }
      } finally {
        if (challenging) ctx.cpeAuth.challengeBasic(false);
        await policy.restore();
      }
    },
  },
  {
    id: 'TLS-007',
    area: AREA,
    title: 'Over TLS the DUT answers a Basic challenge with the right credentials',
    clause: 'TR-069 §3.4.4 (Basic authentication over TLS); RFC 7617',
    requires: {},
    steps: [
      'Set off a session (ScheduleInform, else a connection request); answer its POSTs with 401 and WWW-Authenticate: Basic only',
      'Expect the DUT’s session, its POSTs authenticated with Basic and the right credentials',
      'Ask for Digest again',
    ],
    async run(ctx: CaseContext) {
      requireCredentials(ctx);
      if (!ctx.tls.enabled)
        return ctx.skip(
          'the lab speaks plain HTTP, where Basic must not be answered (TLS-006): run with --tls-cert and --tls-key',
        );
      await setOffSession(ctx);
      ctx.cpeAuth.challengeBasic(true);
      let seen = ctx.cpeAuth.basicSeen;
      try {
        const session = await ctx.waitSession(FIRST_POST_MS);
        ctx.expect(session.inform !== undefined, 'an Inform accepted with Basic');
      } catch (error) {
        if (error instanceof StepFailure && error.reason === 'timeout') {
          seen = ctx.cpeAuth.basicSeen;
          ctx.expect(
            false,
            `a session authenticated with Basic over TLS; ${seen.challenged} POST(s) challenged, ${seen.basic} with Basic, none right`,
          );
        }
        throw error;
      } finally {
        seen = ctx.cpeAuth.challengeBasic(false);
      }
      ctx.note(
        `the lab answered ${seen.challenged} POST(s) with 401 Basic; ${seen.accepted} came with the right Basic credentials`,
      );
      ctx.expect(seen.accepted > 0, 'the Inform accepted with the right Basic credentials');
    },
  },
];
