import { randomBytes, randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { encodeUdpConnectionRequest } from '../../cwmp/udp-connection-request.ts';
import type { ChangeFeed } from '../../store/change-feed.ts';
import type { Store } from '../../store/store.ts';
import type { RunningStunServer } from '../stun/stun-server.ts';
import type { ConnectionRequestResult } from './http-connection-request.ts';
import { NO_CREDENTIALS, reportedManagementServerValue } from './reported.ts';

export interface UdpConnectionRequestOptions {
  store: Store;
  stun: RunningStunServer;
  /** The store's changes: the device's next Inform is how the ACS learns the request arrived. */
  changes: ChangeFeed;
  /** How long the device has to open its session (TR-069: 30 s). */
  timeoutMs?: number;
  /** Copies of the datagram (UDP may drop one), and the gap between them. */
  copies?: number;
  copyIntervalMs?: number;
  clock?: () => number;
}

/** `host:port` or `[v6]:port`, as a device reports its UDPConnectionRequestAddress. */
export function parseUdpAddress(text: string): { address: string; port: number } | null {
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  if (match === null) return null;
  const port = Number(match[2]);
  const address = match[1] ?? '';
  if (isIP(address) === 0 || port < 1 || port > 65535) return null;
  return { address, port };
}

/**
 * The UDP connection request (TR-069 Annex G): a signed GET in one datagram, sent `copies` times from the STUN
 * server's port to where the device's binding is — its last authenticated STUN binding, else the
 * UDPConnectionRequestAddress it reported — then a wait for its Inform. The CPE answers nothing, so the only
 * proof of arrival is the session: a device that does not call in within `timeoutMs` is 'timeout'.
 *
 * Message ids come from one counter per process starting at a random point and are never reused within it; with
 * `ts`, that is what a CPE checks to ignore a replay.
 */
export function createUdpConnectionRequester(options: UdpConnectionRequestOptions) {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const copies = options.copies ?? 3;
  const gapMs = options.copyIntervalMs ?? 200;
  const clock = options.clock ?? Date.now;
  let nextId = randomInt(0, 2 ** 32);

  return async (deviceId: string): Promise<ConnectionRequestResult> => {
    const target = options.stun.binding(deviceId) ?? (await reportedAddress(deviceId));
    if (target === null)
      return { ok: false, reason: 'no-url', detail: 'no UDP connection-request address' };
    const credential = await options.store.credentials.getConnectionRequest(deviceId);
    if (credential === null) return NO_CREDENTIALS;
    const id = nextId;
    nextId = (nextId + 1) % 2 ** 32;
    const datagram = encodeUdpConnectionRequest(
      { host: target.address, port: target.port },
      {
        ts: Math.floor(clock() / 1000),
        id,
        username: credential.username,
        cnonce: randomBytes(8).toString('hex'),
      },
      credential.password.reveal(),
    );
    const informed = nextInform(options.changes, deviceId, timeoutMs);
    try {
      for (let i = 0; i < copies; i++) {
        if (i > 0) await Promise.race([delay(gapMs), informed.promise]);
        if (informed.settled) break;
        await options.stun.send(datagram, target);
      }
    } catch (error) {
      informed.cancel();
      return {
        ok: false,
        reason: 'unreachable',
        detail: `the datagram could not be sent (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      };
    }
    const called = await informed.promise;
    if (!called) {
      return {
        ok: false,
        reason: 'timeout',
        detail: `no session from the device within ${Math.round(timeoutMs / 1000)} s of the UDP request to ${target.address}:${target.port}`,
      };
    }
    return { ok: true, status: 0 };
  };

  async function reportedAddress(deviceId: string) {
    const value = await reportedManagementServerValue(
      options.store,
      deviceId,
      'UDPConnectionRequestAddress',
    );
    return value === undefined ? null : parseUdpAddress(value);
  }
}

/** Resolves true at the device's next Inform, false after `timeoutMs`. */
function nextInform(changes: ChangeFeed, deviceId: string, timeoutMs: number) {
  let settle: (value: boolean) => void = () => {};
  const state = { settled: false };
  const promise = new Promise<boolean>((resolve) => {
    settle = (value) => {
      if (state.settled) return;
      state.settled = true;
      unsubscribe();
      clearTimeout(timer);
      resolve(value);
    };
  });
  const unsubscribe = changes.subscribe((change) => {
    if (change.kind === 'device' && change.deviceId === deviceId && change.change === 'inform')
      settle(true);
  });
  const timer = setTimeout(() => settle(false), timeoutMs);
  return {
    promise,
    get settled() {
      return state.settled;
    },
    cancel: () => settle(false),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
