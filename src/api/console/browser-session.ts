import type { FastifyReply, FastifyRequest } from 'fastify';
import { Secret } from '../../store/secret.ts';
import type { Store } from '../../store/store.ts';
import { csrfTokenMatches } from '../../store/user-sessions.ts';
import type { Principal } from '../auth.ts';
import { ApiError } from '../errors.ts';

/**
 * The console's browser sessions on the API side. The cookie is HttpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), Path=/ and Secure when the API is reached over TLS. A change made with it —
 * any method but GET and HEAD — must also carry `X-CSRF-Token`, which only the console's own page can know (it
 * gets it from /api/v1/login or /api/v1/session): the second wall behind SameSite.
 */
export const SESSION_COOKIE = 'corral_session';
export const CSRF_HEADER = 'x-csrf-token';

export interface BrowserSessionLimits {
  /** A session unused this long ends; default 30 min. */
  idleMs: number;
  /** A session ends this long after login whatever happens; default 12 h. */
  maxAgeMs: number;
}

export const DEFAULT_SESSION_LIMITS: BrowserSessionLimits = {
  idleMs: 30 * 60_000,
  maxAgeMs: 12 * 3_600_000,
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token in the request's cookie, or null (no cookie, or not ours). */
export function sessionCookieOf(request: FastifyRequest): Secret | null {
  const header = request.headers.cookie;
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 && value.length <= 128 ? new Secret(value) : null;
    }
  }
  return null;
}

/**
 * The user the cookie's session belongs to, checked for CSRF on a change; throws 401 when the session is unknown
 * or over (the console then shows its login page), 403 'csrf' when a change lacks the token.
 */
export async function sessionPrincipal(
  request: FastifyRequest,
  token: Secret,
  store: Store,
): Promise<Principal> {
  const found = await store.userSessions.verify(token);
  if (found === null) {
    throw new ApiError('unauthenticated', 'the session has ended: log in again');
  }
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !csrfTokenMatches(token, presented)) {
      throw new ApiError('csrf', `a change needs the session's ${CSRF_HEADER} header`);
    }
  }
  return {
    kind: 'user',
    id: found.user.name,
    name: found.user.name,
    role: found.user.role,
    sessionId: found.session.id,
    token,
  };
}

export function setSessionCookie(
  reply: FastifyReply,
  request: FastifyRequest,
  token: Secret,
  maxAgeMs: number,
): void {
  reply.header(
    'set-cookie',
    cookie(request, `${SESSION_COOKIE}=${token.reveal()}; Max-Age=${Math.floor(maxAgeMs / 1000)}`),
  );
}

export function clearSessionCookie(reply: FastifyReply, request: FastifyRequest): void {
  reply.header('set-cookie', cookie(request, `${SESSION_COOKIE}=; Max-Age=0`));
}

function cookie(request: FastifyRequest, value: string): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${value}; Path=/; HttpOnly; SameSite=Strict${secure}`;
}
