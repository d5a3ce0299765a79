/**
 * Session retry (TR-069 §3.2.1.1, Table 3; cwmp-spec §4.1): the lab breaks the DUT's session at its Inform — a 503,
 * or the connection closed unanswered — and expects the retry inside the back-off window of the retry's number,
 * with RetryCount counting the failures and the undelivered events kept. The lab first sets
 * CWMPRetryMinimumWaitInterval to 1 s where it is writable (restored after), so a case takes seconds, not minutes;
 * the session is set off by ScheduleInform where listed (no connection request spent), else by a connection request.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { labKey, nextInform, readValues } from './helpers.ts';

const AREA = 'Session retry';
const REQUIRES = { rpcs: ['GetParameterValues', 'SetParameterValues'] };

/** The lab's margins around the window: its own latency, the DUT's timer granularity. */
const EARLY_MS = 300;
const LATE_MS = 1500;

export interface Policy {
  m: number;
  k: number;
  restore: () => Promise<void>;
}

/** Reads m and k; sets m to 1 s when the DUT lets the lab (restore() puts it back). */
export async function retryPolicy(ctx: CaseContext): Promise<Policy> {
  const ms = `${ctx.dut.root}ManagementServer.`;
  const mName = `${ms}CWMPRetryMinimumWaitInterval`;
  const kName = `${ms}CWMPRetryIntervalMultiplier`;
  const answer = await ctx.rpc({ method: 'GetParameterValues', ParameterNames: [mName, kName] });
  if (answer.kind === 'fault') {
    ctx.note('no CWMPRetry* parameters: the default windows apply (m 5 s, k 2000)');
    return { m: 5, k: 2000, restore: async () => {} };
  }
  const values = await readValues(ctx, [mName, kName]);
  const m = Number(values.get(mName)?.value) || 5;
  const k = Number(values.get(kName)?.value) || 2000;
  if (m === 1) return { m, k, restore: async () => {} };
  const set = await ctx.rpc({
    method: 'SetParameterValues',
    ParameterList: [{ name: mName, value: '1', type: 'unsignedInt' }],
    ParameterKey: labKey('retry'),
  });
  if (set.kind === 'fault') {
    ctx.note(
      `CWMPRetryMinimumWaitInterval not set to 1 (fault ${set.fault.FaultCode}): m stays ${m} s`,
    );
    return { m, k, restore: async () => {} };
  }
  return {
    m: 1,
    k,
    restore: async () => {
      await ctx.rpc({
        method: 'SetParameterValues',
        ParameterList: [{ name: mName, value: String(m), type: 'unsignedInt' }],
        ParameterKey: labKey('retry'),
      });
    },
  };
}

/** The wait before retry `n` (1, 2, …): [m·(k/1000)^(n-1), m·(k/1000)^n] seconds, capped at n = 10. */
export function window(policy: Policy, n: number): { min: number; max: number } {
  const f = policy.k / 1000;
  const i = Math.min(n, 10);
  return { min: policy.m * f ** (i - 1), max: policy.m * f ** i };
}

/** Breaks the DUT's session once per refusal, checking each retry's RetryCount, timing and events. */
async function refuseAndExpectRetries(
  ctx: CaseContext,
  refusals: readonly (number | 'drop')[],
): Promise<void> {
  const policy = await retryPolicy(ctx);
  try {
    let session = await nextInform(ctx);
    const first = session.inform!.body;
    ctx.expect(
      Number(first.RetryCount) === 0,
      `RetryCount 0 on the first attempt, got ${first.RetryCount}`,
    );
    const kept = first.Event.map((e) => e.EventCode);
    for (const [i, how] of refusals.entries()) {
      const n = i + 1;
      const refusedAt = Date.now();
      session.refuse(how);
      const w = window(policy, n);
      const last = n === refusals.length;
      session = last
        ? await ctx.waitSession(w.max * 1000 + LATE_MS + 2000)
        : await ctx.waitInform(w.max * 1000 + LATE_MS + 2000);
      const waited = Date.now() - refusedAt;
      const inform = session.inform!.body;
      ctx.note(`retry ${n} after ${(waited / 1000).toFixed(2)} s (window ${w.min}–${w.max} s)`);
      ctx.expect(
        Number(inform.RetryCount) === n,
        `RetryCount ${n} on retry ${n}, got ${inform.RetryCount}`,
      );
      ctx.expect(
        waited >= w.min * 1000 - EARLY_MS && waited <= w.max * 1000 + LATE_MS,
        `retry ${n} within ${w.min}–${w.max} s of the failure, came after ${(waited / 1000).toFixed(2)} s`,
      );
      const codes = inform.Event.map((e) => e.EventCode);
      const lost = kept.filter((c) => !codes.includes(c));
      ctx.expect(
        lost.length === 0,
        `the undelivered events kept on retry ${n}, lost ${lost.join(' | ')}`,
      );
    }
  } finally {
    await policy.restore();
  }
}

export const SESSION_RETRY_CASES: ConformanceCase[] = [
  {
    id: 'RETRY-001',
    area: AREA,
    title:
      'A session refused with 503 is retried within the first back-off window, RetryCount 1, events kept',
    clause: 'TR-069 §3.2.1.1, Table 3; §A.3.3.1 (RetryCount)',
    requires: REQUIRES,
    steps: [
      'Read CWMPRetryMinimumWaitInterval (m) and CWMPRetryIntervalMultiplier (k); set m to 1 s where writable',
      'Set off a session (ScheduleInform, else a connection request); answer its Inform with 503',
      'Expect the next Inform between m and m·k/1000 seconds later, RetryCount 1, the same events',
      'Restore m',
    ],
    run: (ctx) => refuseAndExpectRetries(ctx, [503]),
  },
  {
    id: 'RETRY-002',
    area: AREA,
    title: 'A session whose connection the lab drops is retried within the first back-off window',
    clause: 'TR-069 §3.2.1.1, Table 3 (a failed session: no InformResponse)',
    requires: REQUIRES,
    steps: [
      'Set m to 1 s where writable',
      'Set off a session; close the connection of its Inform without an answer',
      'Expect the next Inform between m and m·k/1000 seconds later, RetryCount 1, the same events',
      'Restore m',
    ],
    run: (ctx) => refuseAndExpectRetries(ctx, ['drop']),
  },
  {
    id: 'RETRY-003',
    area: AREA,
    title:
      'Two failures in a row: the second retry comes within the second window with RetryCount 2',
    clause: 'TR-069 §3.2.1.1, Table 3 (retry #2: m·k/1000 to m·(k/1000)²)',
    requires: REQUIRES,
    steps: [
      'Set m to 1 s where writable',
      'Set off a session; answer its Inform with 503, and the retry’s too',
      'Expect retry 1 in the first window (RetryCount 1), retry 2 in the second (RetryCount 2), the same events',
      'Restore m',
    ],
    run: (ctx) => refuseAndExpectRetries(ctx, [503, 503]),
  },
  {
    id: 'RETRY-004',
    area: AREA,
    title: 'After a successful session RetryCount is back to 0',
    clause: 'TR-069 §3.2.1.1 (RetryCount reset once an InformResponse arrives)',
    requires: REQUIRES,
    steps: [
      'Set m to 1 s where writable; set off a session; answer its Inform with 503',
      'Take the retry (RetryCount 1) to its end',
      'Set off another session; expect RetryCount 0',
    ],
    async run(ctx: CaseContext) {
      await refuseAndExpectRetries(ctx, [503]);
      const session = await nextInform(ctx);
      const count = Number(session.inform!.body.RetryCount);
      session.informResponse();
      await session.waitEmptyPost();
      ctx.expect(count === 0, `RetryCount 0 after a successful session, got ${count}`);
    },
  },
];
