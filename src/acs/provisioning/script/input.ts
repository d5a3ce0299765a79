import { isSecretParameter } from '../../secret-parameters.ts';
import {
  type ScriptInput,
  ScriptInputError,
  type ScriptLimits,
  type ScriptParameter,
} from './types.ts';

/** FNV-1a over UTF-16 code units: a string seed → an unsigned 32-bit one, the same on every host. */
export function seedToUint32(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new ScriptInputError('seed must be a non-negative safe integer or a string');
    }
    return seed % 0x1_0000_0000;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function isScalar(v: unknown): v is string | number | boolean {
  return (
    typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))
  );
}

function entriesOf(parameters: ScriptInput['parameters']): Iterable<[string, ScriptParameter]> {
  return parameters instanceof Map
    ? parameters.entries()
    : Object.entries(parameters as Record<string, ScriptParameter>);
}

/**
 * The input as the one JSON string the sandbox receives: copied field by field (never a reference, never an
 * accessor of the caller's objects), secrets left out, the seed reduced to 32 bits, the limits the in-sandbox
 * API enforces added.
 */
export function serializeInput(input: ScriptInput, limits: ScriptLimits): string {
  if (!Number.isFinite(input.sessionTime)) throw new ScriptInputError('sessionTime must be finite');
  const parameters: Record<string, ScriptParameter> = {};
  for (const [path, p] of entriesOf(input.parameters)) {
    if (typeof path !== 'string' || p === null || typeof p !== 'object') continue;
    if (p.secret === true || isSecretParameter(path)) continue;
    if (!isScalar(p.value) || typeof p.type !== 'string') continue;
    const copy: ScriptParameter = { value: p.value, type: p.type };
    if (typeof p.writable === 'boolean') copy.writable = p.writable;
    if (typeof p.valueAt === 'number' && Number.isFinite(p.valueAt)) copy.valueAt = p.valueAt;
    // defineProperty: a path spelt `__proto__` stays an ordinary key.
    Object.defineProperty(parameters, path, {
      value: copy,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const id = input.deviceId;
  return JSON.stringify({
    parameters,
    deviceId: {
      manufacturer: String(id.manufacturer),
      oui: String(id.oui),
      productClass: String(id.productClass),
      serialNumber: String(id.serialNumber),
    },
    tags: input.tags.filter((t) => typeof t === 'string'),
    events: input.events.map((e) => ({ code: String(e.code), commandKey: String(e.commandKey) })),
    sessionTime: input.sessionTime,
    seed: seedToUint32(input.seed),
    limits: {
      maxDeclarations: limits.maxDeclarations,
      maxLogLines: limits.maxLogLines,
      maxLogLineLength: limits.maxLogLineLength,
    },
  });
}
