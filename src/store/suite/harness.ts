import type { DeviceIdentity, InformInput, InformOutcome } from '../devices.ts';
import type { ParameterUpdate } from '../parameters.ts';
import type { Store, StoreOptions } from '../store.ts';

/** What a store implementation gives the suite: a store plus access to its storage from outside. */
export interface StoreHarness {
  readonly store: Store;
  /** Close the store and open a new one on the same storage (same options unless overridden). */
  reopen(overrides?: Partial<StoreOptions>): Promise<Store>;
  /** Every byte the backend keeps at rest (database and journal files, or a full dump). */
  rawDump(): Promise<Buffer>;
  /** Row count of every table the implementation owns (to show a deletion left nothing behind). */
  rowCounts(): Promise<Record<string, number>>;
  /** Close and remove the storage. */
  destroy(): Promise<void>;
}

export type StoreFactory = (options: StoreOptions) => Promise<StoreHarness>;

/** A clock the tests move by hand. */
export class TestClock {
  now = Date.UTC(2026, 0, 1);

  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }

  readonly read = (): number => this.now;
}

export const SECRET_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);
export const OTHER_KEY = new Uint8Array(32).map((_, i) => (i * 53 + 7) & 0xff);

export interface Fixture {
  harness: StoreHarness;
  store: Store;
  clock: TestClock;
}

/**
 * Run `fn` with a fresh store, and always clean up. `options` are merged over the suite's defaults (a
 * hand-moved clock, the test key, small limits where the test says so).
 */
export async function withStore(
  factory: StoreFactory,
  options: Partial<StoreOptions>,
  fn: (f: Fixture) => Promise<void>,
): Promise<void> {
  const clock = new TestClock();
  const harness = await factory({ secretKey: SECRET_KEY, clock: clock.read, ...options });
  try {
    await fn({ harness, store: harness.store, clock });
  } finally {
    await harness.destroy();
  }
}

export function identity(
  serialNumber: string,
  overrides: Partial<DeviceIdentity> = {},
): DeviceIdentity {
  return { manufacturer: 'Acme', oui: '00D09E', productClass: 'IGD', serialNumber, ...overrides };
}

export function inform(
  device: DeviceIdentity,
  options: {
    events?: string[];
    parameters?: ParameterUpdate[];
    remoteAddress?: string;
    at?: number;
  } = {},
): InformInput {
  return {
    device,
    events: (options.events ?? ['2 PERIODIC']).map((code) => ({ code, commandKey: '' })),
    parameters: options.parameters ?? [],
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
    ...(options.at === undefined ? {} : { at: options.at }),
  };
}

/** Create a device by its first Inform and return its id. */
export async function addDevice(
  store: Store,
  serialNumber: string,
  options: Parameters<typeof inform>[1] & { device?: Partial<DeviceIdentity> } = {},
): Promise<InformOutcome> {
  return store.devices.recordInform(
    inform(identity(serialNumber, options.device), {
      events: ['0 BOOTSTRAP', '1 BOOT'],
      ...options,
    }),
  );
}

/** Assert that `promise` rejects with a StoreError of `code`. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    if ((e as { code?: unknown }).code === code && (e as Error).name === 'StoreError') return;
    throw new Error(`expected a StoreError '${code}', got ${String(e)}`, { cause: e });
  }
  throw new Error(`expected a StoreError '${code}', but it resolved`);
}

export const HOSTILE_STRINGS: readonly string[] = [
  '<script>alert(1)</script>',
  "'; DROP TABLE devices; --",
  '../../../etc/passwd',
  'nul\u0000inside',
  '\u202eRTL\u202c override \u2066isolate\u2069',
  "=cmd|' /C calc'!A0",
  '$(id);`id`\nnewline',
  '😀 ünïcödé \u{10ffff}',
  'A'.repeat(10_000),
  '-',
  '',
];
