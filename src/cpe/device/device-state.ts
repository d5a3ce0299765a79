/**
 * What of a simulated device survives a restart of the simulator (`corral sim --state-dir`): whether it has
 * bootstrapped with its ACS, its undelivered events, and its outbox of unacknowledged TransferComplete /
 * DUStateChangeComplete requests. One JSON file per device (its serial number), written atomically (a temporary
 * file renamed over the old one). The data model's differences from the template are not kept: a restarted
 * device comes back with its identity and the profile's values.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InformEvent } from '../session/event-queue.ts';
import type { CpeRequest } from '../session/session-runner.ts';

export interface DeviceState {
  version: 1;
  bootstrapped: boolean;
  events: InformEvent[];
  outbox: { message: CpeRequest; events: InformEvent[] }[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function fileFor(dir: string, serial: string): string {
  if (!SAFE_NAME.test(serial))
    throw new Error(`serial number ${JSON.stringify(serial)} cannot name a state file`);
  return join(dir, `${serial}.json`);
}

function isEvent(v: unknown): v is InformEvent {
  const e = v as InformEvent;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    typeof e.commandKey === 'string'
  );
}

/** Checks a parsed state file; throws on anything that is not one. */
export function parseDeviceState(text: string): DeviceState {
  const v = JSON.parse(text) as Partial<DeviceState>;
  if (v?.version !== 1 || typeof v.bootstrapped !== 'boolean')
    throw new Error('not a device state (version 1)');
  if (!Array.isArray(v.events) || !v.events.every(isEvent)) throw new Error('bad events');
  if (
    !Array.isArray(v.outbox) ||
    !v.outbox.every(
      (o) =>
        typeof o === 'object' &&
        o !== null &&
        typeof (o.message as { method?: unknown })?.method === 'string' &&
        Array.isArray(o.events) &&
        o.events.every(isEvent),
    )
  ) {
    throw new Error('bad outbox');
  }
  return { version: 1, bootstrapped: v.bootstrapped, events: v.events, outbox: v.outbox };
}

export function saveDeviceState(dir: string, serial: string, state: DeviceState): void {
  const file = fileFor(dir, serial);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The saved state, or undefined when there is none. A corrupt file throws (naming it). */
export function loadDeviceState(dir: string, serial: string): DeviceState | undefined {
  const file = fileFor(dir, serial);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseDeviceState(text);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}
