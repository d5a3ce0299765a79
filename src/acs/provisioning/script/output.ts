import { isXsdType } from '../../../cwmp/parameter-value.ts';
import { parsePath } from '../../../cwmp/path.ts';
import type {
  DeclaredAbsentInstance,
  DeclaredAttributes,
  DeclaredFreshness,
  DeclaredInstance,
  DeclaredValue,
  ScriptDeclarations,
  ScriptLimits,
  ScriptScalar,
} from './types.ts';

/** What the sandbox hands back, once parsed; every field is untrusted. */
export interface CollectedOutput {
  declarations: ScriptDeclarations;
  logs: string[];
}

export type OutputResult = { ok: true; value: CollectedOutput } | { ok: false; message: string };

/** Relative parameter names inside an instance: `Name`, `X_VENDOR-COM_Port`, `Stats.Bytes`. */
const RELATIVE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/;
const MAX_RECORD_ENTRIES = 64;
const MAX_TAG_LENGTH = 128;
const MAX_ACCESS_ENTRIES = 16;
const MAX_ACCESS_ENTRY_LENGTH = 64;
/** Ten years: anything longer is a mistake, not a freshness requirement. */
const MAX_AGE_SECONDS = 10 * 365 * 24 * 3600;

class Invalid extends Error {}

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Invalid(message);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function path(x: unknown, kind: 'parameter' | 'object' | 'any', where: string): string {
  check(typeof x === 'string', `${where}: path must be a string`);
  const parsed = parsePath(x);
  check(parsed.ok, `${where}: invalid path${parsed.ok ? '' : ` (${parsed.error.reason})`}`);
  check(parsed.value.segments.length > 0, `${where}: the path must not be empty`);
  const wild = parsed.value.segments.some((s) => s.kind === 'wildcard');
  check(!wild, `${where}: wildcards are not allowed`);
  if (kind === 'parameter')
    check(!parsed.value.partial, `${where}: a parameter path must not end in '.'`);
  if (kind === 'object') check(parsed.value.partial, `${where}: an object path must end in '.'`);
  return x;
}

function scalar(x: unknown, limits: ScriptLimits, where: string): ScriptScalar {
  if (typeof x === 'string') {
    check(
      x.length <= limits.maxValueLength,
      `${where}: longer than ${limits.maxValueLength} characters`,
    );
    check(x.isWellFormed(), `${where}: not well-formed Unicode`);
    return x;
  }
  check(
    typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)),
    `${where}: not a scalar`,
  );
  return x;
}

function record(x: unknown, limits: ScriptLimits, where: string): Record<string, ScriptScalar> {
  check(isRecord(x), `${where}: must be an object`);
  const names = Object.keys(x);
  check(names.length <= MAX_RECORD_ENTRIES, `${where}: more than ${MAX_RECORD_ENTRIES} entries`);
  const entries: [string, ScriptScalar][] = names.map((name) => {
    check(RELATIVE_NAME.test(name) && name.length <= 256, `${where}: invalid parameter name`);
    return [name, scalar(x[name], limits, `${where}.${name}`)];
  });
  // fromEntries defines own properties: a name like `__proto__` cannot reach a prototype.
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function tagName(x: unknown, where: string): string {
  check(typeof x === 'string', `${where}: tag must be a string`);
  check(
    x.length > 0 && x.length <= MAX_TAG_LENGTH,
    `${where}: tag must be 1-${MAX_TAG_LENGTH} characters`,
  );
  check(x.isWellFormed() && !/\p{Cc}/u.test(x), `${where}: tag holds a control character`);
  return x;
}

function instanceKey(object: string, keys: Record<string, ScriptScalar>): string {
  return JSON.stringify([object, Object.entries(keys)]);
}

/** Turns the sandbox's serialised output into validated, merged declarations. */
export function parseOutput(text: string, limits: ScriptLimits): OutputResult {
  try {
    return { ok: true, value: parseOrThrow(text, limits) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, message: e.message };
    if (e instanceof SyntaxError) return { ok: false, message: 'the output is not JSON' };
    throw e;
  }
}

/** The logs only, from a run that failed: anything malformed yields none. */
export function parseLogs(text: string, limits: ScriptLimits): string[] {
  try {
    const raw: unknown = JSON.parse(text);
    return isRecord(raw) ? logsOf(raw, limits) : [];
  } catch {
    return [];
  }
}

function logsOf(raw: Record<string, unknown>, limits: ScriptLimits): string[] {
  const logs = raw.logs;
  check(Array.isArray(logs) && logs.length <= limits.maxLogLines, 'too many log lines');
  const out = logs.map((line) => {
    check(typeof line === 'string', 'a log line is not a string');
    return line.length > limits.maxLogLineLength + 1
      ? line.slice(0, limits.maxLogLineLength)
      : line;
  });
  const dropped = raw.droppedLogs;
  if (typeof dropped === 'number' && dropped > 0)
    out.push(`(${Math.floor(dropped)} more lines not kept)`);
  return out;
}

function parseOrThrow(text: string, limits: ScriptLimits): CollectedOutput {
  const raw: unknown = JSON.parse(text);
  check(isRecord(raw), 'the output is not an object');
  const ops = raw.ops;
  check(Array.isArray(ops), 'the output has no declarations list');
  check(ops.length <= limits.maxDeclarations, `more than ${limits.maxDeclarations} declarations`);

  const values = new Map<string, DeclaredValue>();
  const attributes = new Map<string, DeclaredAttributes>();
  const instances = new Map<string, DeclaredInstance | DeclaredAbsentInstance>();
  const present = new Set<string>();
  const fresh = new Map<string, DeclaredFreshness>();
  const tags = new Map<string, boolean>();

  ops.forEach((op: unknown, i) => {
    const where = `declaration ${i + 1}`;
    check(isRecord(op), `${where}: not an object`);
    switch (op.op) {
      case 'value': {
        const p = path(op.path, 'parameter', where);
        const declared: DeclaredValue = { path: p, value: scalar(op.value, limits, where) };
        if (op.type !== undefined) {
          check(typeof op.type === 'string' && isXsdType(op.type), `${where}: unknown type`);
          declared.type = op.type;
        }
        values.set(p, declared);
        return;
      }
      case 'attributes': {
        const p = path(op.path, 'any', where);
        const merged: DeclaredAttributes = { ...attributes.get(p), path: p };
        if (op.notification !== undefined) {
          const n = op.notification;
          check(
            Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 6,
            `${where}: notification must be 0-6`,
          );
          merged.notification = n as number;
        }
        if (op.accessList !== undefined) {
          const list = op.accessList;
          check(
            Array.isArray(list) && list.length <= MAX_ACCESS_ENTRIES,
            `${where}: invalid accessList`,
          );
          for (const entry of list) {
            check(
              typeof entry === 'string' &&
                entry.length > 0 &&
                entry.length <= MAX_ACCESS_ENTRY_LENGTH,
              `${where}: invalid accessList entry`,
            );
          }
          merged.accessList = [...(list as string[])];
        }
        check(
          merged.notification !== undefined || merged.accessList !== undefined,
          `${where}: no attribute given`,
        );
        attributes.set(p, merged);
        return;
      }
      case 'instance':
      case 'noInstance': {
        const object = path(op.object, 'object', where);
        const keys = record(op.keys, limits, `${where}: keys`);
        check(Object.keys(keys).length > 0, `${where}: at least one key parameter is needed`);
        const id = instanceKey(object, keys);
        if (op.op === 'noInstance') {
          present.delete(id);
          instances.set(id, { object, keys });
          return;
        }
        const extra = record(op.values ?? {}, limits, `${where}: values`);
        const earlier = present.has(id) ? (instances.get(id) as DeclaredInstance).values : {};
        instances.set(id, {
          object,
          keys,
          values: Object.fromEntries([...Object.entries(earlier), ...Object.entries(extra)]),
        });
        present.add(id);
        return;
      }
      case 'fresh': {
        const p = path(op.path, 'any', where);
        const age = op.maxAgeSeconds;
        check(
          typeof age === 'number' && Number.isFinite(age) && age >= 0 && age <= MAX_AGE_SECONDS,
          `${where}: maxAgeSeconds must be 0-${MAX_AGE_SECONDS}`,
        );
        const before = fresh.get(p);
        fresh.set(p, {
          path: p,
          maxAgeSeconds: before ? Math.min(before.maxAgeSeconds, age) : age,
        });
        return;
      }
      case 'tag':
      case 'untag': {
        const name = tagName(op.name, where);
        tags.set(name, op.op === 'tag');
        return;
      }
      default:
        throw new Invalid(`${where}: unknown kind`);
    }
  });

  const all = [...instances.entries()];
  return {
    declarations: {
      values: [...values.values()],
      attributes: [...attributes.values()],
      instances: all.filter(([id]) => present.has(id)).map(([, v]) => v as DeclaredInstance),
      absentInstances: all
        .filter(([id]) => !present.has(id))
        .map(([, v]) => ({ object: v.object, keys: v.keys })),
      fresh: [...fresh.values()],
      addTags: [...tags].filter(([, add]) => add).map(([name]) => name),
      removeTags: [...tags].filter(([, add]) => !add).map(([name]) => name),
    },
    logs: logsOf(raw, limits),
  };
}
