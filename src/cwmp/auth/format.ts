/**
 * Writing auth-params. A value that cannot be written safely (a control character, so CR/LF header injection) is
 * refused: the writers return `undefined` and their callers turn that into a typed failure.
 */

/** One auth-param to write; `quoted: false` writes a bare token (algorithm, qop in credentials, nc, stale). */
export interface ParamToWrite {
  readonly name: string;
  readonly value: string;
  readonly quoted: boolean;
}

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isToken(value: string): boolean {
  return TOKEN_RE.test(value);
}

/** Whether a value fits in a quoted-string (no control characters other than HTAB). */
export function isQuotable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return false;
  }
  return true;
}

/** `"…"` with `"` and `\` escaped; undefined when the value holds a control character. */
export function quoteString(value: string): string | undefined {
  if (!isQuotable(value)) return undefined;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** `Scheme name="value", name=token, …`; undefined when any value cannot be written. */
export function formatAuthElement(
  scheme: string,
  params: readonly ParamToWrite[],
): string | undefined {
  const parts: string[] = [];
  for (const p of params) {
    let v: string | undefined;
    if (p.quoted) v = quoteString(p.value);
    else v = isToken(p.value) ? p.value : undefined;
    if (v === undefined) return undefined;
    parts.push(`${p.name}=${v}`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
