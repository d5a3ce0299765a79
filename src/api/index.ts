/**
 * Corral's northbound REST API: devices, tasks (with connection request and wait), faults, tags, session
 * traces, API keys and credentials, behind API keys with roles, documented at /openapi.json.
 */
export {
  ApiConfigError,
  type ApiOptions,
  MAX_BODY_BYTES,
  MIN_ADMIN_KEY_LENGTH,
  type RouteInfo,
  type RunningApi,
  startApi,
} from './api.ts';
export type { Principal } from './auth.ts';
export {
  type ConnectionRequester,
  type ConnectionRequestOutcome,
  MAX_WAIT_SECONDS,
} from './connection-request.ts';
export { API_ERROR_STATUS, ApiError, type ApiErrorBody, type ApiErrorCode } from './errors.ts';
