import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { AuthThrottle, type AuthThrottleOptions } from '../acs/http/auth-throttle.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import { StandardDefinitions } from '../datamodel/standard/standard-definitions.ts';
import { type Role, roleAtLeast } from '../store/api-keys.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import type { Store } from '../store/store.ts';
import type { App, Log, RouteDeps } from './app.ts';
import { auditRequests } from './audit.ts';
import { Authenticator, claimedKey, digest, presentsSecret } from './auth.ts';
import type { ConnectionRequester } from './connection-request.ts';
import {
  type BrowserSessionLimits,
  DEFAULT_SESSION_LIMITS,
  sessionCookieOf,
  sessionPrincipal,
} from './console/browser-session.ts';
import { dashboardRoute } from './console/dashboard.ts';
import { eventRoutes } from './console/events.ts';
import { loginRoutes } from './console/login.ts';
import { serveConsole } from './console/static.ts';
import { DefinitionsRegistry } from './datamodel-registry.ts';
import {
  ApiError,
  fromStoreError,
  fromValidation,
  tooManyFailures,
  type ValidationIssue,
} from './errors.ts';
import {
  healthRoutes,
  type ListenerChecks,
  type MetricsText,
  metricsRoute,
} from './metrics/routes.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditRoutes } from './routes/audit.ts';
import { campaignRoutes } from './routes/campaigns.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { dataModelRoutes } from './routes/datamodel.ts';
import { deviceRoutes } from './routes/devices.ts';
import { type ApiFiles, fileRoutes } from './routes/files.ts';
import { indexedParameterRoutes } from './routes/indexed-parameters.ts';
import { OPENAPI_INFO, openApiRoute } from './routes/openapi.ts';
import { presetRoutes } from './routes/presets.ts';
import { provisioningRoutes } from './routes/provisioning.ts';
import { taskRoutes } from './routes/tasks.ts';
import { traceRoutes } from './routes/traces.ts';
import { userRoutes } from './routes/users.ts';
import { type TypeBoxProvider, validatorCompiler } from './validator.ts';

export interface ApiOptions {
  store: Store;
  /** Where the API listens; port 0 picks a free port. */
  host: string;
  port: number;
  /**
   * `CORRAL_API_KEY`: accepted as an admin, compared in constant time, never stored. At least 16
   * characters; empty means none.
   */
  adminKey?: string;
  /** Asks a CPE to open a session now (the ACS's connection-request sender). */
  connectionRequest: ConnectionRequester;
  /** Where uploaded files' bytes go (the file server's blob store); without it the file routes answer 503. */
  files?: ApiFiles;
  /** Structured events; never given a token, password or request body. */
  log: Log;
  /** ms since the epoch; default Date.now. */
  clock?: () => number;
  /** Throttling of failed API keys per address and per claimed key (auth-throttle.ts); the defaults fit. */
  authThrottle?: AuthThrottleOptions;
  /** The other listeners /ready checks, by name (the store and the API itself are always checked). */
  listeners?: ListenerChecks;
  /** Served at /metrics (any role) when given: the process's own registry, not prom-client's global one. */
  metrics?: Registry;
  /** Served at /metrics instead of `metrics` when given: every worker's, summed (serve --workers). */
  allMetrics?: MetricsText;
  /**
   * `CORRAL_METRICS_TOKEN`: a bearer token good for /metrics only (a scraper needs no API key). At least 16
   * characters; empty means none.
   */
  metricsToken?: string;
  /** The built web console (Vite's output folder), served at `/`; without it only the API answers. */
  consoleDir?: string;
  /**
   * What writes are checked against and devices reported on: files the user loaded over the standard
   * definitions (LayeredDefinitions); default the standard definitions Corral ships, loaded on first use.
   */
  definitions?: DeviceDefinitions;
  /**
   * Where BBF files uploaded through the API (`PUT /api/v1/datamodel/files/{name}`) are kept, to load again at
   * start; without it they last as long as the process.
   */
  datamodelDir?: string;
  /**
   * The store's changes as they happen (store/change-feed.ts): with it the API serves the console's live events
   * (`/api/v1/events`) and its dashboard (`/api/v1/dashboard`). Give the store wrapped by `withChangeFeed`.
   */
  changes?: ChangeFeed;
  /** CWMP sessions open now, for the dashboard. */
  sessionsInFlight?: () => number;
  /** The dashboard's "seen recently": an Inform within this window (the periodic interval); default 1 h. */
  recentWindowMs?: number;
  /** Console users' browser sessions: idle and absolute limits; the defaults are 30 min and 12 h. */
  browserSessions?: Partial<BrowserSessionLimits>;
}

/** One route as registered: what the authorization tests enumerate. */
export interface RouteInfo {
  method: string;
  url: string;
  role: Role;
}

export interface RunningApi {
  /** `http://host:port` (no trailing slash). */
  url: string;
  port: number;
  /** Every route the server answers, with the least role it needs. */
  routes: readonly RouteInfo[];
  /** Stop listening; requests waiting for a task answer at once (202). Idempotent. */
  close(): Promise<void>;
}

/** A misconfiguration refused at start-up. */
export class ApiConfigError extends Error {
  override readonly name = 'ApiConfigError';
}

/** The most a request body may be (a task with thousands of parameters fits easily). */
export const MAX_BODY_BYTES = 1 << 20;
export const MIN_ADMIN_KEY_LENGTH = 16;

/**
 * The northbound REST API (Fastify): every route needs an API key and a role (401 / 403 before the body is
 * read), JSON in and out, errors as `{ error: { code, message, field? } }`, and an OpenAPI 3.1 document
 * generated from the same route schemas that validate the requests.
 */
export async function startApi(options: ApiOptions): Promise<RunningApi> {
  // An empty key (CORRAL_API_KEY set to nothing) means none; a short one is a mistake.
  const adminKey = options.adminKey || undefined;
  if (adminKey !== undefined && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    throw new ApiConfigError(`the admin key must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  }
  const metricsToken = options.metricsToken || undefined;
  if (metricsToken !== undefined && metricsToken.length < MIN_ADMIN_KEY_LENGTH) {
    throw new ApiConfigError(
      `the metrics token must be at least ${MIN_ADMIN_KEY_LENGTH} characters`,
    );
  }
  const metricsDigest = metricsToken !== undefined ? digest(metricsToken) : null;
  const closing = new AbortController();
  // Opened on first use: an API that never checks a write pays nothing for the definitions.
  let opening: Promise<DefinitionsRegistry> | undefined;
  const registry = () => {
    opening ??= (async () =>
      DefinitionsRegistry.open(
        options.definitions ?? (await StandardDefinitions.load()),
        options.datamodelDir ?? null,
      ))();
    return opening;
  };
  const deps: RouteDeps = {
    store: options.store,
    connectionRequest: options.connectionRequest,
    log: options.log,
    clock: options.clock ?? Date.now,
    closing: closing.signal,
    ...(options.changes !== undefined ? { changes: options.changes } : {}),
    definitions: async () => (await registry()).current(),
    datamodelFiles: () => registry(),
  };
  const app: App = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // Device ids of hostile devices are long; Node's header limit (16 KiB) bounds the URL anyway.
    routerOptions: { maxParamLength: 16_384 },
    exposeHeadRoutes: false,
    requestTimeout: 30_000,
    connectionTimeout: 0,
    return503OnClosing: true,
    // On close, idle keep-alive sockets go at once; requests in flight finish (waits end at once).
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxProvider>();
  app.setValidatorCompiler(validatorCompiler);
  acceptEmptyJson(app);

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (route) => {
    if (route.config?.public === true) return;
    const role = route.config?.role;
    if (role === undefined) {
      throw new ApiConfigError(`route ${route.method} ${route.url} names no role`);
    }
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, role });
    if (route.schema !== undefined) {
      const note = `Requires role ${role} or above.`;
      route.schema.description = route.schema.description
        ? `${route.schema.description} ${note}`
        : note;
    }
  });
  await app.register(swagger, { openapi: OPENAPI_INFO });

  app.decorateRequest('principal', null);
  const auth = new Authenticator(options.store, adminKey);
  const throttle = new AuthThrottle({ clock: deps.clock, ...options.authThrottle });
  const loginThrottle = new AuthThrottle({ clock: deps.clock, ...options.authThrottle });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public === true) return;
    // The metrics token opens /metrics and nothing else; any other credential goes the usual way.
    if (
      metricsDigest !== null &&
      request.routeOptions.url === '/metrics' &&
      presentsSecret(request.headers, metricsDigest)
    )
      return;
    // A request with no credential at all is no guess (a browser, a probe): it is answered 401, not counted.
    const claim = claimedKey(request.headers);
    // No API key but the console's cookie: a logged-in browser (an API key wins where both are sent).
    const cookie = claim === null ? sessionCookieOf(request) : null;
    if (cookie !== null) {
      request.principal = await sessionPrincipal(request, cookie, options.store);
      authorize(request.principal.role, request.routeOptions.config?.role);
      return;
    }
    if (claim !== null) {
      const verdict = throttle.check(request.ip, claim);
      if (!verdict.ok) {
        options.log(
          'api-auth-throttled',
          {
            method: request.method,
            route: request.routeOptions.url ?? null,
            remoteAddress: request.ip,
            keyId: claim,
            by: verdict.by,
            retryAfterSeconds: verdict.retryAfterSeconds,
          },
          'warn',
        );
        throw tooManyFailures(reply, 'authentications', verdict.retryAfterSeconds);
      }
    }
    const result = await auth.authenticate(request.headers);
    if (!result.ok) {
      if (claim !== null) throttle.failed(request.ip, claim);
      options.log(
        'api-auth-failed',
        {
          method: request.method,
          route: request.routeOptions.url ?? null,
          remoteAddress: request.ip,
          reason: result.reason,
          ...(claim !== null ? { keyId: claim } : {}),
        },
        'warn',
      );
      throw new ApiError('unauthenticated', 'a valid API key is required');
    }
    request.principal = result.principal;
    authorize(result.principal.role, request.routeOptions.config?.role);
  });
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  });
  app.addHook('onResponse', async (request, reply) => {
    options.log('api-request', {
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      by: request.principal?.id ?? null,
      ms: Math.round(reply.elapsedTime),
    });
  });
  auditRequests(app, deps);
  app.setErrorHandler((error, request, reply) =>
    sendError(toApiError(error, request, options.log), reply),
  );
  app.setNotFoundHandler((_request, reply) =>
    sendError(new ApiError('not-found', 'no such route'), reply),
  );

  deviceRoutes(app, deps);
  indexedParameterRoutes(app, deps);
  dataModelRoutes(app, deps);
  taskRoutes(app, deps);
  traceRoutes(app, deps);
  apiKeyRoutes(app, deps);
  credentialRoutes(app, deps);
  presetRoutes(app, deps);
  auditRoutes(app, deps);
  fileRoutes(app, deps, options.files ?? null);
  campaignRoutes(app, deps);
  provisioningRoutes(app, deps);
  userRoutes(app, deps);
  loginRoutes(app, deps, loginThrottle, {
    ...DEFAULT_SESSION_LIMITS,
    ...options.browserSessions,
  });
  openApiRoute(app);
  healthRoutes(app, options.store, () => app.server, options.listeners ?? {});
  const metricsText = options.allMetrics ?? options.metrics;
  if (metricsText !== undefined) metricsRoute(app, metricsText);
  if (options.changes !== undefined) {
    eventRoutes(app, deps, options.changes);
    dashboardRoute(app, deps, {
      changes: options.changes,
      ...(options.sessionsInFlight ? { sessionsInFlight: options.sessionsInFlight } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.recentWindowMs ? { recentWindowMs: options.recentWindowMs } : {}),
    });
  }
  if (options.consoleDir !== undefined) serveConsole(app, options.consoleDir);

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> = Promise.resolve();
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    routes,
    close() {
      if (!closing.signal.aborted) {
        closing.abort();
        closed = app.close();
      }
      return closed;
    },
  };
}

function authorize(role: Role, needed: Role = 'read-only'): void {
  if (!roleAtLeast(role, needed)) {
    throw new ApiError('forbidden', `this needs the ${needed} role or above`);
  }
}

function sendError(error: ApiError, reply: FastifyReply): FastifyReply {
  if (error.code === 'unauthenticated') reply.header('www-authenticate', 'Bearer realm="corral"');
  return reply.code(error.status).send(error.toJSON());
}

const FASTIFY_CODES: Record<string, () => ApiError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    new ApiError('body-too-large', `the body is over ${MAX_BODY_BYTES} bytes`),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiError('unsupported-media-type', 'the body must be application/json'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ApiError('malformed-json', 'the body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ApiError('malformed-json', 'the body is empty'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ApiError('invalid', 'Content-Length does not match the body'),
};

/**
 * Any failure as an ApiError. Only messages known to be safe are passed on (ours, the store's, Ajv's rule
 * descriptions); anything unexpected is logged by name and message and answered as a bare 500.
 */
function toApiError(error: unknown, request: FastifyRequest, log: Log): ApiError {
  if (error instanceof ApiError) return error;
  const fromStore = fromStoreError(error);
  if (fromStore !== null) return fromStore;
  const fastify = error as Partial<FastifyError> | null | undefined;
  if (Array.isArray(fastify?.validation)) {
    const context = fastify?.validationContext ?? 'body';
    return fromValidation(fastify?.validation as ValidationIssue[], '', context);
  }
  const known = typeof fastify?.code === 'string' ? FASTIFY_CODES[fastify.code] : undefined;
  if (known !== undefined) return known();
  if (fastify?.statusCode === 400) return new ApiError('invalid', 'malformed request');
  if (fastify?.statusCode === 503) return new ApiError('unavailable', 'shutting down');
  log(
    'api-error',
    {
      method: request.method,
      route: request.routeOptions.url ?? null,
      error: fastify?.name ?? typeof error,
      message: fastify?.message ?? null,
    },
    'error',
  );
  return new ApiError('internal', 'internal error');
}

/**
 * `Content-Type: application/json` with an empty body (what many clients send on a bodiless POST) reads as
 * no body; anything else goes to Fastify's own parser (secure-json-parse: `__proto__` refused).
 */
function acceptEmptyJson(app: App): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else json(request, body as string, done);
  });
}
