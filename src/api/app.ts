import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Log } from '../acs/log.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import type { Role } from '../store/api-keys.ts';
import type { ChangeFeed } from '../store/change-feed.ts';
import { parseDeviceId } from '../store/device-id.ts';
import type { Store } from '../store/store.ts';
import type { Principal } from './auth.ts';
import type { ConnectionRequester } from './connection-request.ts';
import type { DefinitionsRegistry } from './datamodel-registry.ts';
import { ApiError } from './errors.ts';
import type { TypeBoxProvider } from './validator.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role that may call the route. Every route must name one (startApi refuses otherwise). */
    role?: Role;
    /** Open to anyone, without a key: only /health and /ready, which say nothing but up or not. */
    public?: true;
  }
  interface FastifyRequest {
    /** Set by the authentication hook before any handler runs. */
    principal: Principal | null;
  }
}

/** The Fastify instance the routes are registered on, with TypeBox schemas typing the handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxProvider
>;

/** The ACS's log function: an event, its fields (never a secret) and its level (refusals warn, failures error). */
export type { Log, LogLevel } from '../acs/log.ts';

/** What route handlers work with. */
export interface RouteDeps {
  store: Store;
  connectionRequest: ConnectionRequester;
  log: Log;
  clock: () => number;
  /** Aborted when the API closes: long waits end early. */
  closing: AbortSignal;
  /** The store's changes, when the store publishes them (a task's wait ends as soon as it is done). */
  changes?: ChangeFeed;
  /** The data-model definitions writes are checked against and devices reported on. */
  definitions: () => Promise<DeviceDefinitions>;
  /** The BBF files uploaded through the API, which those definitions include. */
  datamodelFiles: () => Promise<DefinitionsRegistry>;
}

/** A device id from the path, checked to be canonical (a 400 naming `deviceId` otherwise). */
export function deviceIdParam(id: string): string {
  if (parseDeviceId(id) === undefined) {
    throw new ApiError('invalid', 'deviceId is not a device id', 'deviceId');
  }
  return id;
}

/** The caller; the hook guarantees it on every route. */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (request.principal === null) throw new ApiError('unauthenticated', 'an API key is required');
  return request.principal;
}

/** Fires when the client goes away before the response is sent, or the API closes. */
export function requestSignal(reply: FastifyReply, closing: AbortSignal): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => controller.abort());
  return AbortSignal.any([controller.signal, closing]);
}
