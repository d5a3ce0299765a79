/**
 * PostgreSQL's B-tree entries hold ~2.7 kB; device strings and parameter values may be tens of kB (SQLite
 * has no such limit). Such columns are indexed on their first KEY_CHARS characters, `left(col, 256)`, which
 * orders like the column itself when the column follows as a tie-break. A condition on the column is
 * written twice: on the key, so the index serves it, and on the whole value, so it is exact.
 */
export const KEY_CHARS = 256;

export function keyOf(column: string): string {
  return `left(${column}, ${KEY_CHARS})`;
}

/** What `key(col) <op> key(x)` must hold whenever `col <op> x` does. */
const KEY_OP: Readonly<Record<string, string>> = {
  '=': '=',
  '<': '<=',
  '<=': '<=',
  '>': '>=',
  '>=': '>=',
};

/** `column <op> ?` with its index key condition first; the value is bound twice. */
export function keyed(
  column: string,
  op: string,
  value: string,
  args: (string | number)[],
): string {
  const keyOp = KEY_OP[op];
  args.push(value);
  if (keyOp === undefined) return `${column} ${op} ?`;
  args.push(value);
  return `${column} ${op} ? AND ${keyOf(column)} ${keyOp} left(?, ${KEY_CHARS})`;
}
