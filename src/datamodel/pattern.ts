/**
 * XSD pattern facets as JavaScript RegExps. XSD patterns are implicitly anchored and treat `^` and `$` as ordinary
 * characters; `\i` and `\c` are the XML name-character classes. Character-class subtraction (`[a-z-[aeiou]]`) has
 * no JavaScript form: such a pattern is reported as unsupported and not enforced, rather than enforced wrongly.
 */

const cache = new Map<string, RegExp | null>();

// XML name characters, approximated to ASCII: \i starts a name, \c continues one.
const NAME_CLASSES: Readonly<Record<string, string>> = {
  i: '[A-Za-z_:]',
  I: '[^A-Za-z_:]',
  c: '[\\w.:\\-]',
  C: '[^\\w.:\\-]',
};

function translate(pattern: string): string | null {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return null;
      i++;
      const nameClass = NAME_CLASSES[next];
      if (nameClass === undefined) out += `\\${next}`;
      else if (!inClass) out += nameClass;
      else if (next === 'i' || next === 'c') out += nameClass.slice(1, -1);
      else return null; // a negated class inside a class has no JavaScript form
      continue;
    }
    if (inClass) {
      // Inside a class both dialects agree ('^' negates only first), except for '[': subtraction or nesting.
      if (c === '[') return null;
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      continue;
    }
    out += c === '^' || c === '$' ? `\\${c}` : c;
  }
  return inClass ? null : out;
}

/** The anchored RegExp for an XSD pattern, or null if it cannot be expressed in JavaScript. Cached. */
export function compilePattern(pattern: string): RegExp | null {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  let re: RegExp | null = null;
  const body = translate(pattern);
  if (body !== null) {
    // Unicode mode first (for \p{…}); without it, XSD's "\-" and similar escapes still compile.
    for (const flags of ['u', '']) {
      try {
        re = new RegExp(`^(?:${body})$`, flags);
        break;
      } catch {
        // try the next flag set
      }
    }
  }
  cache.set(pattern, re);
  return re;
}
