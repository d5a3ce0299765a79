/**
 * Corral's store: the ACS's storage behind one interface (store.ts explains the design), and the
 * embedded SQLite implementation.
 */
export * from './api-keys.ts';
export * from './audit.ts';
export * from './campaigns.ts';
export * from './credentials.ts';
export * from './device-id.ts';
export * from './devices.ts';
export * from './errors.ts';
export * from './files.ts';
export type { JsonValue } from './json.ts';
export * from './parameters.ts';
export * from './presets.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.ts';
export { isSecret, Secret } from './secret.ts';
export { SECRET_KEY_BYTES } from './secret-box.ts';
export {
  DEFAULT_SQLITE_PATH,
  openSqliteStore,
  SqliteStore,
  type SqliteStoreOptions,
} from './sqlite/sqlite-store.ts';
export * from './store.ts';
export * from './task-args.ts';
export * from './tasks.ts';
export * from './traces.ts';
