/**
 * The CPE simulator: device data models and the answers to the RPCs that read and change them; the CWMP session
 * client (Inform, events, retry back-off, HTTP with cookies, authentication and redirects); the simulated device
 * (reboot, factory reset, transfers, deployment units, notifications, periodic and scheduled informs); the
 * Connection Request server; and fleets of devices in one process (`corral sim`).
 */
export * from './clock/index.ts';
export {
  ConnectionRequestServer,
  type ConnectionRequestServerOptions,
  type ConnectionRequestStats,
  type ConnectionRequestTarget,
} from './connreq/connection-request-server.ts';
export { ConnectionRequestLimiter } from './connreq/rate-limit.ts';
export type { DeviceBehaviour } from './device/behaviour.ts';
export type { SessionGate, SessionRecord } from './device/session-record.ts';
export { SimulatedDevice, type SimulatedDeviceOptions } from './device/simulated-device.ts';
export { requestedDiagnostics, runDiagnostic } from './diagnostics/diagnostics.ts';
export { Fleet, type FleetOptions, Semaphore } from './fleet/fleet.ts';
export { deviceIdentity, type IdentityOptions, serialNumber } from './fleet/identity.ts';
export { loadProfile, PROFILE_NAMES, ProfileLoadError } from './fleet/load-profile.ts';
export { type FleetSnapshot, FleetStats, LatencyHistogram } from './fleet/stats.ts';
export * from './methods/index.ts';
export * from './model/index.ts';
export { SIMULATOR_RPC_METHODS, simulatorProfile } from './profile/simulator-profile.ts';
export { SessionError, type SessionErrorKind } from './session/errors.ts';
export { EventQueue, type InformEvent } from './session/event-queue.ts';
export { type EventRule, eventRule } from './session/event-rules.ts';
export { buildInform, deviceIdOf } from './session/inform.ts';
export { type RetryPolicy, retryDelayMs, retryWaitRange } from './session/retry-backoff.ts';
export {
  type CpeRequest,
  runSession,
  type SessionFaults,
  type SessionPlan,
  type SessionResult,
} from './session/session-runner.ts';
export type { WireStyle } from './session/wire.ts';
