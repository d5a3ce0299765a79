import type {
  QuickJSContext,
  QuickJSHandle,
  QuickJSRuntime,
  VmCallResult,
} from 'quickjs-emscripten';
import { acquireModule } from './engine-pool.ts';
import { serializeInput } from './input.ts';
import { parseLogs, parseOutput } from './output.ts';
import { PRELUDE_SOURCE } from './prelude.ts';
import {
  DEFAULT_SCRIPT_LIMITS,
  type ScriptFailureReason,
  type ScriptInput,
  ScriptInputError,
  type ScriptLimits,
  type ScriptOutcome,
} from './types.ts';

const SCRIPT_NAME = 'preset.js';
const MAX_MESSAGE = 300;
/** Extra time granted to read the logs of a run that failed. */
const LOG_READ_MS = 5;

type Failure = Extract<ScriptOutcome, { ok: false }>;

/** Thrown inside a run to end it with a failure outcome. */
class RunFailure extends Error {
  constructor(
    readonly reason: ScriptFailureReason,
    message: string,
  ) {
    super(message);
  }
}

function resolveLimits(overrides: Partial<ScriptLimits> | undefined): ScriptLimits {
  const limits = { ...DEFAULT_SCRIPT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ScriptInputError(`limit ${name} must be a positive integer`);
    }
  }
  if (limits.memoryBytes > 1024 * 1024 * 1024)
    throw new ScriptInputError('memoryBytes is above 1 GiB');
  return limits;
}

/** Printable, bounded, one line. */
function clean(text: string): string {
  const line = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ');
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}

/** A string handle's text, or undefined when it is not a string or is longer than `max`. */
function readString(ctx: QuickJSContext, handle: QuickJSHandle, max: number): string | undefined {
  if (ctx.typeof(handle) !== 'string') return undefined;
  const length = ctx.getProp(handle, 'length');
  const n = ctx.getNumber(length);
  length.dispose();
  return n <= max ? ctx.getString(handle) : undefined;
}

function errorText(ctx: QuickJSContext, error: QuickJSHandle): { name: string; message: string } {
  try {
    if (ctx.typeof(error) === 'string')
      return { name: '', message: readString(ctx, error, 4096) ?? '' };
    if (ctx.typeof(error) !== 'object')
      return { name: '', message: `a ${ctx.typeof(error)} was thrown` };
    const field = (key: string) => {
      const h = ctx.getProp(error, key);
      try {
        return readString(ctx, h, 4096) ?? '';
      } finally {
        h.dispose();
      }
    };
    return { name: field('name'), message: field('message') };
  } catch {
    return { name: '', message: 'an unreadable value was thrown' };
  }
}

/** CPU time of this process, ms. A run is synchronous on this thread, so its cost is the difference. */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The phases of one run inside a fresh runtime and context of a pooled module. */
class Run {
  /** CPU-time deadline (cpuNow scale): a busy machine does not make a script time out. */
  deadline = 0;
  /** Wall-clock deadline (performance.now scale): a hard cap however the CPU is shared. */
  wallDeadline = 0;
  interrupted = false;
  collect: QuickJSHandle | undefined;

  constructor(
    readonly rt: QuickJSRuntime,
    readonly ctx: QuickJSContext,
    readonly limits: ScriptLimits,
  ) {
    rt.setMemoryLimit(limits.memoryBytes);
    rt.setMaxStackSize(limits.maxStackBytes);
    rt.setInterruptHandler(() => {
      if (cpuNow() <= this.deadline && performance.now() <= this.wallDeadline) return false;
      this.interrupted = true;
      return true;
    });
  }

  /** The failure a thrown sandbox value stands for. */
  fault(error: QuickJSHandle): RunFailure {
    if (this.interrupted) {
      try {
        this.checkDeadline();
      } catch (e) {
        return e as RunFailure;
      }
    }
    const { name, message } = errorText(this.ctx, error);
    if (
      name === 'InternalError' &&
      /^(out of memory|string too long|invalid array length)/.test(message)
    ) {
      return new RunFailure('out-of-memory', `the script ran out of memory (${message})`);
    }
    if (name === 'InternalError' && message === 'stack overflow') {
      return new RunFailure('out-of-memory', 'the script overflowed its stack');
    }
    return new RunFailure('threw', clean(name ? `${name}: ${message}` : `uncaught: ${message}`));
  }

  /** An interrupt swallowed on the way (a promise job's rejection absorbs it) still ends the run. */
  checkDeadline(): void {
    if (this.interrupted) {
      throw new RunFailure(
        'timeout',
        `the script ran longer than its limit (${this.limits.timeoutMs} ms of CPU, ${this.limits.wallTimeoutMs} ms in all)`,
      );
    }
  }

  unwrap(result: VmCallResult<QuickJSHandle>): QuickJSHandle {
    if (result.error === undefined) return result.value;
    const failure = this.fault(result.error);
    result.error.dispose();
    throw failure;
  }

  execute(source: string, inputJson: string): string {
    const { ctx, rt } = this;
    this.deadline = cpuNow() + this.limits.timeoutMs;
    this.wallDeadline = performance.now() + this.limits.wallTimeoutMs;

    const compiled = ctx.evalCode(source, SCRIPT_NAME, { strict: true, compileOnly: true });
    if (compiled.error !== undefined) {
      const { name, message } = errorText(ctx, compiled.error);
      const failure =
        name === 'SyntaxError'
          ? new RunFailure('syntax', clean(`SyntaxError: ${message}`))
          : this.fault(compiled.error);
      compiled.error.dispose();
      throw failure;
    }
    compiled.value.dispose();

    const prelude = this.unwrap(
      ctx.evalCode(PRELUDE_SOURCE, 'corral-prelude.js', { strict: true }),
    );
    const input = ctx.newString(inputJson);
    try {
      this.collect = this.unwrap(ctx.callFunction(prelude, ctx.undefined, input));
    } finally {
      input.dispose();
      prelude.dispose();
    }

    this.unwrap(ctx.evalCode(source, SCRIPT_NAME, { strict: true })).dispose();

    // Promise jobs the script queued run too, under the same deadline.
    const jobs = rt.executePendingJobs(-1);
    if (jobs.error !== undefined) {
      const failure = this.fault(jobs.error);
      jobs.error.dispose();
      throw failure;
    }

    this.checkDeadline();
    const output = this.unwrap(ctx.callFunction(this.collect, ctx.undefined, ctx.false));
    this.checkDeadline();
    try {
      const text = readString(ctx, output, this.limits.maxOutputLength);
      if (text === undefined) {
        throw new RunFailure(
          'invalid-output',
          `the output is longer than ${this.limits.maxOutputLength} characters`,
        );
      }
      return text;
    } finally {
      output.dispose();
    }
  }

  /** Best effort: what the script logged before it failed. */
  logsAfterFailure(): string[] {
    if (this.collect === undefined) return [];
    this.interrupted = false;
    this.deadline = cpuNow() + LOG_READ_MS;
    this.wallDeadline = performance.now() + LOG_READ_MS;
    const result = this.ctx.callFunction(this.collect, this.ctx.undefined, this.ctx.true);
    if (result.error !== undefined) {
      result.error.dispose();
      return [];
    }
    try {
      const text = readString(this.ctx, result.value, this.limits.maxOutputLength);
      return text === undefined ? [] : parseLogs(text, this.limits);
    } finally {
      result.value.dispose();
    }
  }

  dispose(): void {
    this.collect?.dispose();
    this.ctx.dispose();
    this.rt.dispose();
  }
}

/**
 * Runs a preset's script in a QuickJS sandbox (a fresh runtime and context in a pooled wasm module) and returns
 * what it declared. Every fault of the script — a syntax error, an exception, a timeout, running out of memory
 * or stack, output that breaks the rules — is an outcome, never an exception; only input the caller should
 * not have passed throws (`ScriptInputError`).
 */
export async function runPresetScript(
  source: string,
  input: ScriptInput,
  limits?: Partial<ScriptLimits>,
): Promise<ScriptOutcome> {
  if (typeof source !== 'string') throw new ScriptInputError('source must be a string');
  const resolved = resolveLimits(limits);
  const inputJson = serializeInput(input, resolved);
  const pooled = await acquireModule(resolved.memoryBytes);

  let run: Run | undefined;
  const started = cpuNow();
  try {
    const rt = pooled.module.newRuntime();
    run = new Run(rt, rt.newContext(), resolved);
    const text = run.execute(source, inputJson);
    const cpuMs = cpuNow() - started;
    const parsed = parseOutput(text, resolved);
    run.dispose();
    if (!parsed.ok) {
      return {
        ok: false,
        reason: 'invalid-output',
        message: clean(parsed.message),
        logs: parseLogs(text, resolved),
      };
    }
    return { ok: true, declarations: parsed.value.declarations, logs: parsed.value.logs, cpuMs };
  } catch (e) {
    if (!(e instanceof RunFailure)) {
      // The engine itself failed (a host stack overflow inside wasm, an abort): its state is unknown, so the
      // module is dropped without touching it again.
      pooled.retire();
      const stack = e instanceof RangeError && /call stack/i.test(e.message);
      return stack
        ? {
            ok: false,
            reason: 'out-of-memory',
            message: 'the script overflowed the host stack',
            logs: [],
          }
        : { ok: false, reason: 'threw', message: 'the script engine failed', logs: [] };
    }
    const failure: Failure = { ok: false, reason: e.reason, message: e.message, logs: [] };
    try {
      if (run !== undefined) {
        failure.logs = run.logsAfterFailure();
        run.dispose();
      }
      if (e.reason === 'out-of-memory') pooled.retire();
    } catch {
      pooled.retire();
    }
    return failure;
  }
}
