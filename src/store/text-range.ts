/**
 * Prefix search as a range, so that it uses a B-tree index and is exact for any text. `LIKE` is
 * case-insensitive in SQLite and needs escaping, and `substr`/`length` stop at an embedded NUL; a
 * comparison `lower <= x < upper` does neither. SQLite compares TEXT as UTF-8 bytes (BINARY), which is
 * code-point order; PostgreSQL does the same under `COLLATE "C"`.
 */

const MAX_CODE_POINT = 0x10ffff;

/**
 * The least string greater than every string that starts with `prefix`, or undefined when none exists
 * (`prefix` empty, or only U+10FFFF). Strings `s` starting with `prefix` are exactly `prefix <= s < upper`.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < MAX_CODE_POINT) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // no surrogates in UTF-8 text
      points.push(next);
      return String.fromCodePoint(...points);
    }
  }
  return undefined;
}

/** Code-point (UTF-8 byte) order, the order SQLite's BINARY collation gives. */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}

/** A range `[lower, upper)` selecting a path and, for a partial path, everything under it. */
export function subtreeRange(path: string): { lower: string; upper: string | undefined } {
  return path.endsWith('.')
    ? { lower: path, upper: prefixUpperBound(path) }
    : { lower: path, upper: `${path}\u0000` };
}
