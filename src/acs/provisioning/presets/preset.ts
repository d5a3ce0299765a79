import { isXsdType } from '../../../cwmp/parameter-value.ts';
import { parsePath } from '../../../cwmp/path.ts';
import { isSecret } from '../../../store/secret.ts';
import { isSecretParameter } from '../../secret-parameters.ts';
import type { ScriptDeclarations, ScriptScalar } from '../script/types.ts';
import { type Precondition, validatePrecondition } from './precondition.ts';

/**
 * A preset: a named desired state for the devices its precondition matches. Its declarations have the shape
 * preset scripts produce (`ScriptDeclarations`), so presets and scripts feed one planner.
 */
export interface Preset {
  /** Unique; letters, digits, `_`, `-`, `.`, 1-128 characters. */
  name: string;
  /** Merge order: a higher weight is applied later and wins per path. Ties are broken by name. */
  weight: number;
  /** A preset that faults blocks only its own channel. `''` is the default channel. */
  channel: string;
  precondition: Precondition;
  declarations: ScriptDeclarations;
  /**
   * A preset script (src/acs/provisioning/script): run in the sandbox each planning round, its declarations are
   * merged after this preset's own, at this preset's weight (presets/scripts.ts). A script that fails faults
   * this preset's channel only.
   */
  script?: string;
  /**
   * The software version matching devices must run, and the firmware file (a stored file's id) that gets them
   * there: a device reporting another SoftwareVersion is sent a Download of it (presets/plan-software.ts). For
   * a controlled roll-out across a fleet — canary, stages, stop rules — use a firmware campaign instead.
   */
  software?: SoftwareDeclaration;
}

export interface SoftwareDeclaration {
  /** The SoftwareVersion the device must report. */
  version: string;
  /** The stored firmware image (src/store/files.ts) to download when it does not. */
  fileId: string;
}

export interface PresetFieldError {
  /** The offending field: `declarations.values[3].path`, `precondition.all[0].op`, … */
  field: string;
  reason: string;
}

export type PresetResult = { ok: true; value: Preset } | { ok: false; error: PresetFieldError };

export const PRESET_LIMITS = Object.freeze({
  maxDeclarations: 1000,
  maxValueLength: 16 * 1024,
  maxScriptLength: 256 * 1024,
  maxTagLength: 128,
  maxAccessList: 64,
});

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const CHANNEL = /^[A-Za-z0-9_.-]{0,64}$/;
const TAG = /^[^\s,]{1,128}$/;
const RELATIVE_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

class Invalid {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {}
}

function fail(field: string, reason: string): never {
  throw new Invalid(field, reason);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function onlyKeys(x: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(x)) if (!allowed.includes(k)) fail(`${where}.${k}`, 'unknown field');
}

function list(x: unknown, where: string): unknown[] {
  if (!Array.isArray(x)) fail(where, 'must be an array');
  if (x.length > PRESET_LIMITS.maxDeclarations)
    fail(where, `more than ${PRESET_LIMITS.maxDeclarations} items`);
  return x;
}

function path(x: unknown, kind: 'parameter' | 'object' | 'any', where: string): string {
  if (typeof x !== 'string') fail(where, 'must be a string');
  const parsed = parsePath(x);
  if (!parsed.ok) fail(where, `invalid path: ${parsed.error.reason}`);
  if (x === '') fail(where, 'must not be the whole tree');
  if (kind === 'parameter' && parsed.value.partial)
    fail(where, 'must name a parameter, not an object');
  if (kind === 'object' && !parsed.value.partial) fail(where, "must name an object (end with '.')");
  if (parsed.value.segments.some((s) => s.kind === 'wildcard' || s.kind === 'alias'))
    fail(where, 'wildcards and aliases are not supported in preset paths');
  return x;
}

function scalar(x: unknown, where: string): string | number | boolean {
  if (typeof x === 'string') {
    if (x.length > PRESET_LIMITS.maxValueLength) fail(where, 'value too long');
    return x;
  }
  if (typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x))) return x;
  return fail(where, 'must be a string, a finite number or a boolean');
}

/**
 * A declared value: a scalar, or a `Secret` (how a stored preset's secret comes back from the store, which keeps
 * it encrypted — src/acs/provisioning/presets/secrets.ts). Secret text is checked like any string.
 */
function declared(x: unknown, where: string): { value: ScriptScalar; secret: boolean } {
  if (isSecret(x)) return { value: scalar(x.reveal(), where), secret: true };
  return { value: scalar(x, where), secret: false };
}

function relativeName(k: string, where: string): void {
  if (!RELATIVE_NAME.test(k) || k.length > 200)
    fail(`${where}.${k}`, 'must be a relative parameter name');
}

function relativeValues(
  x: unknown,
  where: string,
  nonEmpty: boolean,
): Record<string, string | number | boolean> {
  if (!isRecord(x)) fail(where, 'must be an object of relative names to values');
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(x)) {
    relativeName(k, where);
    out[k] = scalar(v, `${where}.${k}`);
  }
  if (nonEmpty && Object.keys(out).length === 0)
    fail(where, 'must name at least one key parameter');
  return out;
}

/** An instance's `values`: each a scalar, or `{ value, secret: true }`; secret-named ones are secrets anyway. */
function instanceValues(
  x: unknown,
  where: string,
): { values: Record<string, ScriptScalar>; secret: string[] } {
  if (!isRecord(x)) fail(where, 'must be an object of relative names to values');
  const values: Record<string, ScriptScalar> = {};
  const secret: string[] = [];
  for (const [k, v] of Object.entries(x)) {
    relativeName(k, where);
    let flagged = false;
    let given = v;
    const wrapped = isRecord(v) && !isSecret(v);
    if (wrapped) {
      onlyKeys(v, ['value', 'secret'], `${where}.${k}`);
      if (v.secret !== undefined && typeof v.secret !== 'boolean')
        fail(`${where}.${k}.secret`, 'must be a boolean');
      flagged = v.secret === true;
      given = v.value;
    }
    const d = declared(given, `${where}.${k}${wrapped ? '.value' : ''}`);
    values[k] = d.value;
    if (flagged || d.secret || isSecretParameter(k)) secret.push(k);
  }
  return { values, secret };
}

function tags(x: unknown, where: string): string[] {
  return list(x, where).map((t, i) =>
    typeof t === 'string' && TAG.test(t)
      ? t
      : fail(`${where}[${i}]`, 'must be a tag (1-128 characters, no spaces or commas)'),
  );
}

/** Validates declarations, returning a normalised copy (no extra fields). */
function declarations(x: unknown, w: string): ScriptDeclarations {
  if (!isRecord(x)) fail(w, 'must be an object');
  const fields = [
    'values',
    'attributes',
    'instances',
    'absentInstances',
    'fresh',
    'addTags',
    'removeTags',
  ];
  onlyKeys(x, fields, w);
  const get = (k: string) => x[k] ?? [];
  const values = list(get('values'), `${w}.values`).map((v, i) => {
    const at = `${w}.values[${i}]`;
    if (!isRecord(v)) fail(at, 'must be an object');
    onlyKeys(v, ['path', 'value', 'type', 'secret'], at);
    const type = v.type;
    if (type !== undefined && (typeof type !== 'string' || !isXsdType(type)))
      fail(`${at}.type`, 'must be an XSD type (string, int, unsignedInt, boolean, …)');
    if (v.secret !== undefined && typeof v.secret !== 'boolean')
      fail(`${at}.secret`, 'must be a boolean');
    const where = path(v.path, 'parameter', `${at}.path`);
    const given = declared(v.value, `${at}.value`);
    const out = { path: where, value: given.value };
    const secret = v.secret === true || given.secret || isSecretParameter(where);
    return { ...out, ...(type === undefined ? {} : { type }), ...(secret ? { secret } : {}) };
  });
  const attributes = list(get('attributes'), `${w}.attributes`).map((v, i) => {
    const at = `${w}.attributes[${i}]`;
    if (!isRecord(v)) fail(at, 'must be an object');
    onlyKeys(v, ['path', 'notification', 'accessList'], at);
    const out: ScriptDeclarations['attributes'][number] = {
      path: path(v.path, 'any', `${at}.path`),
    };
    if (v.notification !== undefined) {
      const n = v.notification;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 6)
        fail(`${at}.notification`, 'must be an integer 0-6');
      out.notification = n;
    }
    if (v.accessList !== undefined) {
      const a = v.accessList;
      if (
        !Array.isArray(a) ||
        a.length > PRESET_LIMITS.maxAccessList ||
        !a.every((e) => typeof e === 'string' && e.length <= 64)
      )
        fail(`${at}.accessList`, 'must be an array of at most 64 short strings');
      out.accessList = [...a];
    }
    if (out.notification === undefined && out.accessList === undefined)
      fail(at, 'must declare notification or accessList');
    return out;
  });
  const instance = (v: unknown, at: string, withValues: boolean) => {
    if (!isRecord(v)) fail(at, 'must be an object');
    onlyKeys(v, withValues ? ['object', 'keys', 'values'] : ['object', 'keys'], at);
    const object = path(v.object, 'object', `${at}.object`);
    const keys = relativeValues(v.keys, `${at}.keys`, true);
    if (!withValues) return { object, keys, values: {} };
    const { values, secret } = instanceValues(v.values ?? {}, `${at}.values`);
    return { object, keys, values, ...(secret.length > 0 ? { secret } : {}) };
  };
  const instances = list(get('instances'), `${w}.instances`).map((v, i) =>
    instance(v, `${w}.instances[${i}]`, true),
  );
  const absentInstances = list(get('absentInstances'), `${w}.absentInstances`).map((v, i) => {
    const { object, keys } = instance(v, `${w}.absentInstances[${i}]`, false);
    return { object, keys };
  });
  const fresh = list(get('fresh'), `${w}.fresh`).map((v, i) => {
    const at = `${w}.fresh[${i}]`;
    if (!isRecord(v)) fail(at, 'must be an object');
    onlyKeys(v, ['path', 'maxAgeSeconds'], at);
    const age = v.maxAgeSeconds;
    if (typeof age !== 'number' || !Number.isFinite(age) || age < 0)
      fail(`${at}.maxAgeSeconds`, 'must be a non-negative number');
    return { path: path(v.path, 'any', `${at}.path`), maxAgeSeconds: age };
  });
  const addTags = tags(get('addTags'), `${w}.addTags`);
  const removeTags = tags(get('removeTags'), `${w}.removeTags`);
  const both = addTags.find((t) => removeTags.includes(t));
  if (both !== undefined) fail(`${w}.removeTags`, `tag '${both}' is both added and removed`);
  return { values, attributes, instances, absentInstances, fresh, addTags, removeTags };
}

export type DeclarationsResult =
  | { ok: true; value: ScriptDeclarations }
  | { ok: false; error: PresetFieldError };

/**
 * Validates declarations by the rules a preset's own obey (a script's output is held to them too, so the
 * planner sees one kind of input whoever wrote it).
 */
export function validateDeclarations(input: unknown, where = 'declarations'): DeclarationsResult {
  try {
    return { ok: true, value: declarations(input, where) };
  } catch (err) {
    if (err instanceof Invalid)
      return { ok: false, error: { field: err.field, reason: err.reason } };
    throw err;
  }
}

/**
 * A stored preset row (`name`, opaque `definition`) checked as a preset: the definition must not carry a name
 * of its own (the row's is the name). Rows are untrusted input, like API bodies.
 */
export function presetFromRecord(name: string, definition: unknown): PresetResult {
  if (!isRecord(definition))
    return { ok: false, error: { field: '(root)', reason: 'must be an object' } };
  if ('name' in definition)
    return { ok: false, error: { field: 'name', reason: 'is given by the path, not the body' } };
  return validatePreset({ ...definition, name });
}

const FILE_ID = /^[0-9a-f]{32}$/;

function software(x: unknown): SoftwareDeclaration {
  if (!isRecord(x)) fail('software', 'must be an object { version, fileId }');
  onlyKeys(x, ['version', 'fileId'], 'software');
  const { version, fileId } = x;
  if (typeof version !== 'string' || version.length === 0 || version.length > 64)
    fail('software.version', 'must be a SoftwareVersion of 1-64 characters');
  if (typeof fileId !== 'string' || !FILE_ID.test(fileId))
    fail('software.fileId', 'must be a stored file id (32 hex characters)');
  return { version, fileId };
}

/** Validates untrusted input (an API body, a stored row) into a Preset, or says which field is wrong. */
export function validatePreset(input: unknown): PresetResult {
  try {
    if (!isRecord(input)) fail('(root)', 'must be an object');
    onlyKeys(
      input,
      ['name', 'weight', 'channel', 'precondition', 'declarations', 'script', 'software'],
      '',
    );
    const { name, weight, channel = '', script } = input;
    if (typeof name !== 'string' || !NAME.test(name))
      fail('name', 'must be 1-128 letters, digits, _, - or .');
    if (typeof weight !== 'number' || !Number.isSafeInteger(weight))
      fail('weight', 'must be an integer');
    if (typeof channel !== 'string' || !CHANNEL.test(channel))
      fail('channel', 'must be 0-64 letters, digits, _, - or .');
    const precondition = input.precondition ?? { all: [] };
    const e = validatePrecondition(precondition, 'precondition');
    if (e) fail(e.field, e.reason);
    if (
      script !== undefined &&
      (typeof script !== 'string' || script.length > PRESET_LIMITS.maxScriptLength)
    )
      fail('script', `must be a string of at most ${PRESET_LIMITS.maxScriptLength} characters`);
    const preset: Preset = {
      name,
      weight,
      channel,
      precondition: precondition as Precondition,
      declarations: declarations(input.declarations ?? {}, 'declarations'),
    };
    if (script !== undefined) preset.script = script;
    if (input.software !== undefined) preset.software = software(input.software);
    return { ok: true, value: preset };
  } catch (err) {
    if (err instanceof Invalid)
      return { ok: false, error: { field: err.field.replace(/^\./, ''), reason: err.reason } };
    throw err;
  }
}
