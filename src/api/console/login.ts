import { Type } from 'typebox';
import type { AuthThrottle } from '../../acs/http/auth-throttle.ts';
import { PasswordBusy } from '../../store/password-hash.ts';
import { Secret } from '../../store/secret.ts';
import { csrfTokenOf } from '../../store/user-sessions.ts';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { ApiError, tooManyFailures } from '../errors.ts';
import { bodyErrors, errors, NoContent } from '../schemas/common.ts';
import { RoleName } from '../schemas/records.ts';
import {
  type BrowserSessionLimits,
  clearSessionCookie,
  setSessionCookie,
} from './browser-session.ts';

const TAGS = ['console'];
const SessionView = Type.Object({
  user: Type.Union([Type.Object({ name: Type.String(), role: RoleName }), Type.Null()], {
    description: 'The logged-in user; null for a caller with an API key',
  }),
  role: RoleName,
  csrfToken: Type.Union([Type.String(), Type.Null()], {
    description: 'Send as `X-CSRF-Token` on every change made with the session cookie',
  }),
});

/**
 * Login, logout and "who am I" for the console. Login is open (it is how one gets a session) and throttled per
 * claimed user and per address exactly as failed API keys are: after 5 failures for a name, that name waits
 * 1 s, 2 s, 4 s … (up to 5 min) — but only for addresses that have failed themselves. The answer never says
 * whether the name exists.
 */
export function loginRoutes(
  app: App,
  { store, log }: RouteDeps,
  throttle: AuthThrottle,
  limits: BrowserSessionLimits,
): void {
  app.post(
    '/api/v1/login',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        summary: 'Log in as a console user: sets the HttpOnly session cookie',
        security: [],
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionView, ...bodyErrors(429) },
      },
    },
    async (request, reply) => {
      const { username } = request.body;
      const claim = `user:${username}`;
      const verdict = throttle.check(request.ip, claim);
      if (!verdict.ok) {
        log(
          'console-login-throttled',
          {
            remoteAddress: request.ip,
            by: verdict.by,
            retryAfterSeconds: verdict.retryAfterSeconds,
          },
          'warn',
        );
        throw tooManyFailures(reply, 'logins', verdict.retryAfterSeconds);
      }
      const password = new Secret(request.body.password);
      const user = await store.users.verifyPassword(username, password).catch((error: unknown) => {
        if (error instanceof PasswordBusy) {
          throw new ApiError('unavailable', 'too many logins at once; try again in a moment');
        }
        throw error;
      });
      if (user === null) {
        throttle.failed(request.ip, claim);
        // Not the name typed: it may be a password typed in the wrong box.
        log('console-login-failed', { remoteAddress: request.ip }, 'warn');
        throw new ApiError('unauthenticated', 'wrong user name or password');
      }
      const { session, token } = await store.userSessions.create(user.name, limits);
      setSessionCookie(reply, request, token, limits.maxAgeMs);
      log('console-login', { user: user.name, session: session.id, remoteAddress: request.ip });
      return {
        user: { name: user.name, role: user.role },
        role: user.role,
        csrfToken: csrfTokenOf(token),
      };
    },
  );

  app.get(
    '/api/v1/session',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Who is calling: the console user and the CSRF token of their session',
        response: { 200: SessionView, ...errors() },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') return { user: null, role: principal.role, csrfToken: null };
      return {
        user: { name: principal.name, role: principal.role },
        role: principal.role,
        csrfToken: csrfTokenOf(principal.token),
      };
    },
  );

  app.post(
    '/api/v1/logout',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'End the browser session (its cookie stops working at once)',
        response: { 204: NoContent, ...errors() },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind === 'user') {
        await store.userSessions.revoke(principal.token);
        log('console-logout', { user: principal.name, session: principal.sessionId });
      }
      clearSessionCookie(reply, request);
      return reply.code(204).send(null);
    },
  );
}
