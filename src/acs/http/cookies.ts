/** The session cookie's name. */
export const SESSION_COOKIE = 'corral_session';

/**
 * Cookies a CPE sent back. Tolerant (quirk 2): `;` or `,` between cookies, stray spaces, quoted values; bounded,
 * since a hostile header could hold thousands.
 */
export function parseCookies(header: string | undefined, max = 32): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(/[;,]/)) {
    if (cookies.size >= max) break;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/** `Path=/` because some CPEs return a cookie only when it carries one (quirk 2, AMIT AX-1122). */
export function sessionCookie(sessionId: string): string {
  return `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly`;
}
