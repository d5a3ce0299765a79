/**
 * PostgreSQL text cannot hold U+0000, which device strings may (SQLite's TEXT keeps it). Every string bound
 * to a statement is escaped and every string read back unescaped: U+0000 → U+0001 U+0001, U+0001 → U+0001
 * U+0002. The mapping is a prefix code that keeps code-point order (U+0000 < U+0001 < everything else), so
 * equality, `COLLATE "C"` order and prefix ranges on escaped text agree with the originals.
 */
const SPECIAL = /[\u0000\u0001]/;

export function toDb(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\u0000\u0001]/g, (c) => (c === '\u0000' ? '\u0001\u0001' : '\u0001\u0002'));
}

export function fromDb(s: string): string {
  if (!s.includes('\u0001')) return s;
  return s.replace(/\u0001([\u0001\u0002])/g, (_, c: string) =>
    c === '\u0001' ? '\u0000' : '\u0001',
  );
}
