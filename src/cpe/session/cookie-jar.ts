/**
 * The cookies of one CWMP session (cwmp-spec.md §1.4): a CPE returns every cookie the ACS set, for the rest of the
 * session only, and must hold several of them and at least 512 bytes. Domain and Path are honoured (RFC 6265 §5.1.3,
 * §5.1.4) so that after a redirect to another host the cookies of the first are not sent to the second. Expiry
 * within a session is honoured too: Max-Age=0 or a past Expires deletes a cookie.
 */

interface StoredCookie {
  name: string;
  value: string;
  /** Lower-case host or domain. */
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
}

/** More than TR-069's minimum of 512 bytes and "multiple cookies", bounded against a hostile ACS. */
export const MAX_COOKIES = 32;
export const MAX_COOKIE_BYTES = 4096;

export class CookieJar {
  private cookies: StoredCookie[] = [];

  get size(): number {
    return this.cookies.length;
  }

  /** Takes the Set-Cookie headers of a response from `url`. Malformed ones are ignored. */
  store(setCookie: readonly string[] | string | undefined, url: URL, now = Date.now()): void {
    if (setCookie === undefined) return;
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie) {
      if (line.length > MAX_COOKIE_BYTES) continue;
      this.storeOne(line, url, now);
    }
  }

  /** The Cookie header for a request to `url`, or undefined when no cookie applies. */
  header(url: URL): string | undefined {
    const host = url.hostname.toLowerCase();
    const https = url.protocol === 'https:';
    const out = this.cookies
      .filter(
        (c) =>
          (c.hostOnly ? host === c.domain : domainMatches(host, c.domain)) &&
          pathMatches(url.pathname || '/', c.path) &&
          (https || !c.secure),
      )
      .map((c) => `${c.name}=${c.value}`);
    return out.length === 0 ? undefined : out.join('; ');
  }

  clear(): void {
    this.cookies = [];
  }

  private storeOne(line: string, url: URL, now: number): void {
    const [pair = '', ...attributes] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === '' || /[\s;,]/.test(name)) return;
    const host = url.hostname.toLowerCase();
    let domain = host;
    let hostOnly = true;
    let path = defaultPath(url.pathname);
    let secure = false;
    let expired = false;
    let maxAgeSeen = false;
    for (const attribute of attributes) {
      const i = attribute.indexOf('=');
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const val = i < 0 ? '' : attribute.slice(i + 1).trim();
      if (key === 'domain' && val !== '') {
        const d = val.replace(/^\./, '').toLowerCase();
        // A cookie for a domain the host is not in is refused (RFC 6265 §5.3 step 6).
        if (!domainMatches(host, d)) return;
        domain = d;
        hostOnly = false;
      } else if (key === 'path' && val.startsWith('/')) {
        path = val;
      } else if (key === 'secure') {
        secure = true;
      } else if (key === 'max-age' && /^-?\d+$/.test(val)) {
        maxAgeSeen = true;
        expired = Number(val) <= 0;
      } else if (key === 'expires' && !maxAgeSeen) {
        const t = Date.parse(val);
        if (!Number.isNaN(t)) expired = t <= now;
      }
    }
    this.cookies = this.cookies.filter(
      (c) => !(c.name === name && c.domain === domain && c.path === path),
    );
    if (expired) return;
    if (this.cookies.length >= MAX_COOKIES) this.cookies.shift();
    this.cookies.push({ name, value, domain, hostOnly, path, secure });
  }
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^[\d.]+$/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function defaultPath(pathname: string): string {
  if (!pathname.startsWith('/')) return '/';
  const last = pathname.lastIndexOf('/');
  return last <= 0 ? '/' : pathname.slice(0, last);
}
