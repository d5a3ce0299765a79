/**
 * Reads a scenario file (one scenario object, or an array of them) and checks all of it before any run: every
 * problem is one line naming the file, the scenario (in an array) and the step.
 */
import { XSD_TYPES } from '../../cwmp/parameter-value.ts';
import { rpcArgumentsProblem } from './rpc-arguments.ts';
import type { ResponseExpectation, Scenario, ScenarioStep, ValueExpectation } from './scenario.ts';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const STEP_KINDS = ['send', 'set', 'get', 'waitEvent', 'connectionRequest', 'pause'] as const;
const STEP_KEYS: Record<(typeof STEP_KINDS)[number], string[]> = {
  send: ['send', 'args', 'expect'],
  set: ['set', 'restore'],
  get: ['get'],
  waitEvent: ['waitEvent', 'timeout'],
  connectionRequest: ['connectionRequest'],
  pause: ['pause'],
};
const SCENARIO_KEYS = ['id', 'title', 'clause', 'notes', 'requires', 'steps'];
const XSD: readonly string[] = XSD_TYPES;

/** Thrown inside the parser: the message is the problem, its place is added by the caller. */
class Problem extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function expectation(where: string, v: unknown): ValueExpectation {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return { equals: String(v) };
  if (isObject(v) && Object.keys(v).length === 1) {
    if (typeof v.equals === 'string') return { equals: v.equals };
    if (typeof v.match === 'string') {
      try {
        new RegExp(v.match);
      } catch (error) {
        throw new Problem(
          `${where}: ${describe(v.match)} is not a regular expression (${(error as Error).message})`,
        );
      }
      return { match: v.match };
    }
  }
  throw new Problem(
    `${where}: expected a value, {"equals": "…"} or {"match": "regex"}, got ${describe(v)}`,
  );
}

function expectations(where: string, v: unknown): Record<string, ValueExpectation> {
  if (!isObject(v) || Object.keys(v).length === 0)
    throw new Problem(`${where}: expected an object of names and values, got ${describe(v)}`);
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, expectation(`${where} ${k}`, x)]),
  );
}

function stringList(where: string, v: unknown): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new Problem(`${where} must be a list of strings, got ${describe(v)}`);
  return v as string[];
}

function seconds(where: string, v: unknown, max: number): number {
  if (typeof v !== 'number' || !(v > 0) || v > max)
    throw new Problem(
      `${where} must be a number of seconds above 0 and at most ${max}, got ${describe(v)}`,
    );
  return v;
}

/** `{root}` stands for a root object: check with one. */
const rooted = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.replaceAll('{root}', 'Device.')
    : Array.isArray(v)
      ? v.map(rooted)
      : isObject(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rooted(x)]))
        : v;

function step(raw: unknown): ScenarioStep {
  if (!isObject(raw)) throw new Problem(`expected an object, got ${describe(raw)}`);
  const kinds = STEP_KINDS.filter((k) => k in raw);
  if (kinds.length !== 1)
    throw new Problem(
      kinds.length === 0
        ? `no action: a step is one of ${STEP_KINDS.join(', ')}`
        : `more than one action (${kinds.join(', ')}): one per step`,
    );
  const kind = kinds[0]!;
  for (const key of Object.keys(raw))
    if (!STEP_KEYS[kind].includes(key))
      throw new Problem(
        `unknown key ${describe(key)} (a ${kind} step takes ${STEP_KEYS[kind].join(', ')})`,
      );
  switch (kind) {
    case 'send': {
      if (typeof raw.send !== 'string')
        throw new Problem(`send must name an RPC, got ${describe(raw.send)}`);
      const args = raw.args ?? {};
      if (!isObject(args)) throw new Problem(`args must be an object, got ${describe(args)}`);
      const problem = rpcArgumentsProblem(raw.send, rooted(args) as Record<string, unknown>);
      if (problem !== undefined) throw new Problem(problem);
      const expect: ResponseExpectation = {};
      if (raw.expect !== undefined) {
        if (!isObject(raw.expect))
          throw new Problem(`expect must be an object, got ${describe(raw.expect)}`);
        for (const key of Object.keys(raw.expect))
          if (!['fault', 'values', 'fields'].includes(key))
            throw new Problem(`expect: unknown key ${describe(key)} (fault, values or fields)`);
        const { fault, values, fields } = raw.expect;
        if (fault !== undefined) {
          if (!Number.isInteger(fault) || (fault as number) < 8000 || (fault as number) > 9899)
            throw new Problem(
              `expect.fault must be a CWMP fault code (8000–9899), got ${describe(fault)}`,
            );
          if (values !== undefined || fields !== undefined)
            throw new Problem('expect: a fault has no values or fields');
          expect.fault = fault as number;
        }
        if (values !== undefined) {
          if (raw.send !== 'GetParameterValues')
            throw new Problem(
              'expect.values goes with GetParameterValues (use fields for other RPCs)',
            );
          expect.values = expectations('expect.values', values);
        }
        if (fields !== undefined) expect.fields = expectations('expect.fields', fields);
      }
      return { kind: 'send', method: raw.send, args, expect };
    }
    case 'set': {
      if (!isObject(raw.set) || Object.keys(raw.set).length === 0)
        throw new Problem(
          `set must be an object of parameter names and values, got ${describe(raw.set)}`,
        );
      const values: Record<string, { value: string; type?: string }> = {};
      for (const [name, v] of Object.entries(raw.set)) {
        if (name.endsWith('.') || name === '')
          throw new Problem(`set: ${describe(name)} is not a parameter name`);
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          values[name] = { value: String(v) };
        else if (
          isObject(v) &&
          typeof v.value === 'string' &&
          typeof v.type === 'string' &&
          XSD.includes(v.type)
        )
          values[name] = { value: v.value, type: v.type };
        else
          throw new Problem(
            `set ${name}: expected a value or {"value": "…", "type": "${XSD.slice(0, 3).join('|')}|…"}, got ${describe(v)}`,
          );
      }
      if (raw.restore !== undefined && typeof raw.restore !== 'boolean')
        throw new Problem(`restore must be true or false, got ${describe(raw.restore)}`);
      return { kind: 'set', values, restore: raw.restore !== false };
    }
    case 'get':
      return { kind: 'get', values: expectations('get', raw.get) };
    case 'waitEvent': {
      if (
        typeof raw.waitEvent !== 'string' ||
        !/^(\d+ [A-Z ]+|M \S+|X [0-9A-F]{6} .+)$/.test(raw.waitEvent)
      )
        throw new Problem(
          `waitEvent must be an event code such as "1 BOOT" or "M Reboot", got ${describe(raw.waitEvent)}`,
        );
      const timeoutSeconds = raw.timeout === undefined ? 60 : seconds('timeout', raw.timeout, 3600);
      return { kind: 'wait-event', event: raw.waitEvent, timeoutSeconds };
    }
    case 'connectionRequest':
      if (raw.connectionRequest !== true) throw new Problem('connectionRequest takes true');
      return { kind: 'connection-request' };
    case 'pause':
      return { kind: 'pause', seconds: seconds('pause', raw.pause, 600) };
  }
}

function scenario(
  file: string,
  raw: unknown,
  prefix: string,
  errors: string[],
): Scenario | undefined {
  const at = (text: string) => errors.push(`${file}: ${prefix}${text}`);
  if (!isObject(raw)) {
    at(`a scenario must be an object, got ${describe(raw)}`);
    return undefined;
  }
  const before = errors.length;
  for (const key of Object.keys(raw))
    if (!SCENARIO_KEYS.includes(key))
      at(`unknown key ${describe(key)} (a scenario has ${SCENARIO_KEYS.join(', ')})`);
  if (typeof raw.id !== 'string' || !ID.test(raw.id))
    at(`id must be 1–32 letters, digits, "_", "-" or ".", got ${describe(raw.id)}`);
  if (typeof raw.title !== 'string' || raw.title.trim() === '')
    at(`title must be a non-empty string`);
  for (const key of ['clause', 'notes'])
    if (raw[key] !== undefined && typeof raw[key] !== 'string') at(`${key} must be a string`);
  const requires: Scenario['requires'] = {};
  if (raw.requires !== undefined) {
    if (!isObject(raw.requires)) at('requires must be an object (rpcs, objects, destructive)');
    else {
      try {
        for (const key of Object.keys(raw.requires))
          if (!['rpcs', 'objects', 'destructive'].includes(key))
            throw new Problem(
              `requires: unknown key ${describe(key)} (rpcs, objects or destructive)`,
            );
        if (raw.requires.rpcs !== undefined)
          requires.rpcs = stringList('requires.rpcs', raw.requires.rpcs);
        if (raw.requires.objects !== undefined) {
          requires.objects = stringList('requires.objects', raw.requires.objects);
          const bad = requires.objects.find((o) => !o.endsWith('.'));
          if (bad !== undefined)
            throw new Problem(
              `requires.objects: ${describe(bad)} is not an object path (ends in ".")`,
            );
        }
        if (raw.requires.destructive !== undefined) {
          if (typeof raw.requires.destructive !== 'boolean')
            throw new Problem('requires.destructive must be true or false');
          requires.destructive = raw.requires.destructive;
        }
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        at(error.message);
      }
    }
  }
  const steps: ScenarioStep[] = [];
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) at('steps must be a non-empty list');
  else
    for (const [i, s] of raw.steps.entries()) {
      try {
        steps.push(step(s));
      } catch (error) {
        if (!(error instanceof Problem)) throw error;
        at(`step ${i + 1}: ${error.message}`);
      }
    }
  if (errors.length > before) return undefined;
  return {
    file,
    id: raw.id as string,
    title: (raw.title as string).trim(),
    clause: typeof raw.clause === 'string' ? raw.clause : 'the operator’s own scenario',
    notes: typeof raw.notes === 'string' ? raw.notes : undefined,
    requires,
    steps,
  };
}

/** The scenarios of one file's text, or every problem found in it (one line each). */
export function parseScenarios(
  file: string,
  text: string,
): { scenarios: Scenario[]; errors: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { scenarios: [], errors: [`${file}: not JSON (${(error as Error).message})`] };
  }
  const errors: string[] = [];
  const scenarios: Scenario[] = [];
  if (Array.isArray(raw)) {
    if (raw.length === 0) errors.push(`${file}: an empty list of scenarios`);
    for (const [i, r] of raw.entries()) {
      const label =
        isObject(r) && typeof r.id === 'string' ? r.id.slice(0, 32) : `scenario ${i + 1}`;
      const s = scenario(file, r, `${label}: `, errors);
      if (s !== undefined) scenarios.push(s);
    }
  } else {
    const s = scenario(file, raw, '', errors);
    if (s !== undefined) scenarios.push(s);
  }
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (seen.has(s.id)) errors.push(`${file}: the id ${s.id} is used twice`);
    seen.add(s.id);
  }
  return errors.length > 0 ? { scenarios: [], errors } : { scenarios, errors };
}
