/**
 * Runs the selected cases in order against the DUT: each is skipped when the DUT does not meet its requirements,
 * bounded by its own timeout, and ends with a verdict — pass, fail (the expectation or step that failed), skip (why)
 * or error (the lab's own problem) — and the evidence of its exchange.
 */
import type { CwmpMessage } from '../cwmp/index.ts';
import {
  type CaseContext,
  CaseSkipped,
  type ConformanceCase,
  type DutFacts,
  ExpectationFailed,
} from './case.ts';
import type { EvidenceEntry } from './evidence.ts';
import type { ConformanceLab } from './lab.ts';
import { runLocalChange } from './local-change.ts';
import { StepFailure } from './step-failure.ts';

export type Verdict = 'pass' | 'fail' | 'skip' | 'error';

export interface CaseResult {
  id: string;
  area: string;
  title: string;
  clause: string;
  /** The case's steps, as the catalogue says them. */
  steps: string[];
  verdict: Verdict;
  /** The expectation not met, the step that failed, why it was skipped, or the lab's error. */
  reason?: string;
  notes: string[];
  durationMs: number;
  evidence: EvidenceEntry[];
}

export interface RunOptions {
  includeDestructive?: boolean;
  /** Each case's whole budget (default 120 s). */
  caseTimeoutMs?: number;
  onCaseStart?: (c: ConformanceCase, index: number, total: number) => void;
  onCaseEnd?: (result: CaseResult, index: number, total: number) => void;
}

/** Cases whose id matches one of the comma-separated globs (`*`, `?`); all without a pattern. */
export function selectCases(
  cases: readonly ConformanceCase[],
  pattern: string | undefined,
): ConformanceCase[] {
  if (pattern === undefined || pattern.trim() === '') return [...cases];
  const globs = pattern
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '')
    .map(
      (g) =>
        new RegExp(
          `^${g
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          'i',
        ),
    );
  return cases.filter((c) => globs.some((g) => g.test(c.id)));
}

export async function runCases(
  lab: ConformanceLab,
  facts: DutFacts,
  cases: readonly ConformanceCase[],
  options: RunOptions = {},
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [index, c] of cases.entries()) {
    options.onCaseStart?.(c, index, cases.length);
    const result = await runOne(lab, facts, c, options);
    results.push(result);
    options.onCaseEnd?.(result, index, cases.length);
  }
  lab.endSession();
  return results;
}

async function runOne(
  lab: ConformanceLab,
  facts: DutFacts,
  c: ConformanceCase,
  options: RunOptions,
): Promise<CaseResult> {
  const began = Date.now();
  const from = lab.evidence.next;
  const notes: string[] = [];
  const done = (verdict: Verdict, reason?: string): CaseResult => ({
    id: c.id,
    area: c.area,
    title: c.title,
    clause: c.clause,
    steps: c.steps,
    verdict,
    ...(reason === undefined ? {} : { reason }),
    notes,
    durationMs: Date.now() - began,
    evidence: lab.evidence.since(from),
  });
  // A case that waits long by design (a firmware image flashed) says so; the run's bound covers the others.
  const timeoutMs = Math.max(c.timeoutMs ?? 0, options.caseTimeoutMs ?? 120_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    const ctx = contextFor(lab, facts, notes);
    await Promise.race([
      (async () => {
        await checkRequirements(c, facts, ctx, options);
        await c.run(ctx);
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new StepFailure('timeout', `the case took longer than ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
      }),
    ]);
    return done('pass');
  } catch (error) {
    if (error instanceof CaseSkipped) return done('skip', error.message);
    // A failed or broken case leaves the session in an unknown state: the next case starts a fresh one.
    lab.endSession();
    if (error instanceof ExpectationFailed) return done('fail', error.message);
    if (error instanceof StepFailure) return done('fail', `${error.reason}: ${error.message}`);
    return done('error', (error as Error).stack ?? String(error));
  } finally {
    clearTimeout(timer);
  }
}

async function checkRequirements(
  c: ConformanceCase,
  facts: DutFacts,
  ctx: CaseContext,
  options: RunOptions,
): Promise<void> {
  if (c.requires.destructive === true && options.includeDestructive !== true)
    ctx.skip('destructive (run with --include-destructive)');
  const missing = (c.requires.rpcs ?? []).filter((m) => !facts.methods.includes(m));
  if (missing.length > 0) ctx.skip(`the DUT does not list ${missing.join(', ')} in GetRPCMethods`);
  for (const object of c.requires.objects ?? []) {
    const path = object.replace('{root}', facts.root);
    const answer = await ctx.rpc({
      method: 'GetParameterNames',
      ParameterPath: path,
      NextLevel: true,
    });
    if (answer.kind === 'fault')
      ctx.skip(`the DUT has no ${path} (fault ${answer.fault.FaultCode})`);
  }
}

function contextFor(lab: ConformanceLab, facts: DutFacts, notes: string[]): CaseContext {
  const ctx: CaseContext = {
    dut: facts,
    expect(condition: unknown, what: string): asserts condition {
      if (!condition) throw new ExpectationFailed(what);
    },
    skip(reason: string): never {
      throw new CaseSkipped(reason);
    },
    session: () => lab.session(),
    async rpc(message: CwmpMessage) {
      return (await lab.session()).rpc(message);
    },
    async call(message) {
      const answer = await ctx.rpc(message);
      if (answer.kind === 'fault')
        throw new ExpectationFailed(
          `${message.method} to succeed, got fault ${answer.fault.FaultCode} (${answer.fault.FaultString ?? ''})`,
        );
      return answer.message as never;
    },
    endSession: () => lab.endSession(),
    newSession: () => lab.newSession(),
    connectionRequest: (o) => lab.connectionRequest(o),
    connectionRequestCredentials: {
      ...(lab.options.connectionRequest?.username === undefined
        ? {}
        : { username: lab.options.connectionRequest.username }),
      ...(lab.options.connectionRequest?.password === undefined
        ? {}
        : { password: lab.options.connectionRequest.password }),
    },
    xmpp: lab.options.xmpp,
    waitSession: (timeoutMs) => lab.waitSession(timeoutMs),
    waitInform: (timeoutMs) => lab.waitInform(timeoutMs),
    note: (text) => {
      notes.push(text);
    },
    tls: {
      enabled: lab.endpoint.secure,
      issuer: lab.options.tlsIssuer,
      serve: (context) => lab.endpoint.setTls(context),
    },
    local: {
      configured: lab.options.localChange !== undefined,
      parameter: lab.options.localChange?.parameter,
      async change(path, value) {
        const command = lab.options.localChange?.command;
        if (command === undefined)
          ctx.skip('no --local-change-command: the DUT cannot be made to change a value');
        ctx.note(
          `the DUT changed ${path} by itself (--local-change-command) to ${JSON.stringify(value)}`,
        );
        const outcome = await runLocalChange(command, path, value);
        if (!outcome.ok) throw new StepFailure('local-change', outcome.detail ?? 'failed');
      },
    },
    cpeAuth: {
      configured: lab.options.cpeCredentials !== undefined,
      challengeBasic: (on) => lab.endpoint.challengeBasic(on),
      get basicSeen() {
        return lab.endpoint.basicSeen;
      },
    },
    firmware: lab.options.firmware,
    files: {
      url: (name) => lab.fileUrl(name),
      offer: (name, body, status) => lab.endpoint.files.offer(name, body, status),
      received: (name) => lab.endpoint.files.received(name),
      requests: (name) => lab.endpoint.files.requests(name),
    },
  };
  return ctx;
}
