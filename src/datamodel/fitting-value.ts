/**
 * A value that fits a syntax where the usual starting value does not (initial-value.ts): an OUI of exactly six
 * hex digits, a UUID, a three-byte colour, a list of at least one item, a version matching `\d+\.\d+`. A device
 * built from a bare data model starts with these so that everything the ACS reads is valid for its type; the
 * candidates are the all-zero shapes such values commonly take, tried in turn against the syntax.
 */
import type { Syntax } from './definition.ts';
import { startingValue } from './initial-value.ts';
import { validateValue } from './validate.ts';

const UNKNOWN_TIME = '0001-01-01T00:00:00Z';
const SHAPES = [
  '0',
  '0.0',
  '0/0',
  '0000',
  '00000000',
  '00000000-0000-0000-0000-000000000000',
  '0:0',
  UNKNOWN_TIME,
];

function candidates(syntax: Syntax): string[] {
  const out: string[] = [...SHAPES];
  const lengths = (syntax.sizes ?? []).map((s) => s.minLength ?? 0).filter((n) => n > 0);
  for (const n of lengths) {
    if (syntax.type === 'hexBinary') out.push('00'.repeat(n));
    else if (syntax.type === 'base64') out.push(Buffer.alloc(n).toString('base64'));
    // `A` then a space: a country code with its environment (RegulatoryDomain `[A-Z][A-Z][ OI]`).
    else out.push('0'.repeat(n), 'A'.repeat(n), 'a'.repeat(n), `${'A'.repeat(n - 1)} `);
  }
  return out;
}

function fitsAs(syntax: Syntax, value: string): string | undefined {
  const check = validateValue(syntax, value);
  return check.ok ? check.value : undefined;
}

/** Its starting value if that is valid, else the first candidate that is; undefined if none fits. */
export function fittingValue(syntax: Syntax): string | undefined {
  const start = fitsAs(syntax, startingValue(syntax));
  if (start !== undefined) return start;
  if (syntax.list !== undefined) {
    const { list, ...item } = syntax;
    const one = fittingValue(item);
    if (one === undefined) return undefined;
    return fitsAs(
      syntax,
      Array(Math.max(1, list.minItems ?? 1))
        .fill(one)
        .join(','),
    );
  }
  for (const c of candidates(syntax)) {
    const v = fitsAs(syntax, c);
    if (v !== undefined) return v;
  }
  return undefined;
}
