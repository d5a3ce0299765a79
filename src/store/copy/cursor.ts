import type { Cell } from './endpoint.ts';

/**
 * A copy's position in a table, the key of its last copied row, as JSON text kept in the target's progress
 * table: each cell tagged with its kind so integers, text and bytes come back as they were.
 */
type Tagged = null | { i: string } | { n: number } | { s: string } | { b: string };

export function encodeCursor(cells: readonly Cell[]): string {
  return JSON.stringify(
    cells.map((c): Tagged => {
      if (c === null) return null;
      if (typeof c === 'bigint') return { i: c.toString() };
      if (typeof c === 'number') return { n: c };
      if (typeof c === 'string') return { s: c };
      return { b: c.toString('base64') };
    }),
  );
}

export function decodeCursor(text: string): Cell[] {
  const parsed = JSON.parse(text) as Tagged[];
  if (!Array.isArray(parsed)) throw new Error('the recorded copy position is not a list');
  return parsed.map((t): Cell => {
    if (t === null) return null;
    if ('i' in t) return BigInt(t.i);
    if ('n' in t) return t.n;
    if ('s' in t) return t.s;
    return Buffer.from(t.b, 'base64');
  });
}
