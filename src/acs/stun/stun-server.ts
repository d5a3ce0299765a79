import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import {
  encodeAddress,
  encodeXorAddress,
  StunAttribute,
  type TransportAddress,
} from '../../cwmp/stun/attributes.ts';
import {
  attributeOf,
  decodeStun,
  encodeStun,
  integrityMatches,
  isRfc5389,
  type StunMessage,
  StunType,
} from '../../cwmp/stun/message.ts';
import type { Secret } from '../../store/secret.ts';
import type { Log } from '../log.ts';
import { DatagramRateLimit } from './address-rate.ts';

/** A device's binding, as its authenticated Binding Requests show it. */
export interface StunBinding extends TransportAddress {
  deviceId: string;
  /** When the last Binding Request came (ms). */
  seenAt: number;
}

export interface StunServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /**
   * The STUN credentials a device uses (STUNUsername / STUNPassword): looked up by username. Corral gives a
   * device its own ACS credential (zero-touch), so this is the CPE credential store.
   */
  credentials?: (username: string) => Promise<{ deviceId: string; password: Secret } | null>;
  /** Answer a Binding Request without USERNAME and MESSAGE-INTEGRITY with 401 (TR-111: the CPE then sends them). */
  requireCredentials?: boolean;
  /** A device's binding was seen, and `changed` says whether its address or port differs from the last one. */
  onBinding?: (binding: StunBinding, changed: boolean) => void | Promise<void>;
  log: Log;
  clock?: () => number;
  rateLimit?: { perSecond?: number; burst?: number; globalPerSecond?: number };
}

export interface RunningStunServer {
  readonly address: string;
  readonly port: number;
  /** The device's binding from its last authenticated Binding Request, if any. */
  binding(deviceId: string): StunBinding | undefined;
  /**
   * A datagram from the STUN port: UDP connection requests leave from here, so that a NAT filtering on address
   * and port lets them in (the device's binding was made toward this very port).
   */
  send(datagram: Buffer, to: TransportAddress): Promise<void>;
  readonly listening: boolean;
  close(): Promise<void>;
}

const SOFTWARE = Buffer.from('corral');

/**
 * The STUN server of TR-111 Part 2 (TR-069 Annex G): it answers Binding Requests, classic (RFC 3489) and
 * RFC 5389 alike, with the mapped address they came from, and records the bindings of devices that say who they
 * are (USERNAME with a valid MESSAGE-INTEGRITY). Whoever asks is answered — that is what STUN is — but at most
 * `perSecond` per address (burst `burst`) and `globalPerSecond` in all; past that, silence. A response is never
 * much larger than a request: 44 bytes for the smallest request (20), less than the 44-byte TR-111 request.
 */
export async function startStunServer(options: StunServerOptions): Promise<RunningStunServer> {
  const clock = options.clock ?? Date.now;
  const limit = new DatagramRateLimit({ clock, ...options.rateLimit });
  const bindings = new Map<string, StunBinding>();
  const family = options.host.includes(':') ? 'udp6' : 'udp4';
  const socket: Socket = createSocket({ type: family, reuseAddr: false });
  let listening = false;
  let limited = 0;

  socket.on('message', (bytes, from) => {
    if (!limit.take(from.address)) {
      // One line per thousand refusals: a flood must not become a flood of log lines.
      if (limited++ % 1000 === 0) {
        options.log('stun-rate-limited', { remoteAddress: from.address, refused: limited }, 'warn');
      }
      return;
    }
    handle(bytes, from).catch((error: unknown) =>
      options.log(
        'stun-error',
        { error: error instanceof Error ? error.name : 'unknown' },
        'error',
      ),
    );
  });
  socket.on('error', (error) =>
    options.log(
      'stun-socket-error',
      { code: (error as NodeJS.ErrnoException).code ?? null },
      'error',
    ),
  );

  async function handle(bytes: Buffer, from: RemoteInfo): Promise<void> {
    const decoded = decodeStun(bytes);
    if (!decoded.ok) return; // Not STUN, or malformed: no answer to what may be spoofed.
    const request = decoded.message;
    if (request.type !== StunType.BindingRequest) return;
    const username = attributeOf(request, StunAttribute.Username);
    let deviceId: string | null = null;
    let key: Buffer | undefined;
    if (username !== undefined && options.credentials !== undefined) {
      const found = await options.credentials(username.toString('utf8'));
      const candidate = found === null ? undefined : Buffer.from(found.password.reveal(), 'utf8');
      if (candidate === undefined || !integrityMatches(bytes, candidate)) {
        options.log('stun-auth-failed', { remoteAddress: from.address }, 'warn');
        return reply(errorResponse(request, 401, 'Unauthorized'), from);
      }
      deviceId = found!.deviceId;
      key = candidate;
    } else if (options.requireCredentials === true) {
      return reply(errorResponse(request, 401, 'Unauthorized'), from);
    }
    const mapped = { address: from.address, port: from.port };
    const attributes: StunMessage['attributes'] = isRfc5389(request)
      ? [
          {
            type: StunAttribute.XorMappedAddress,
            value: encodeXorAddress(mapped, request.transactionId),
          },
          { type: StunAttribute.MappedAddress, value: encodeAddress(mapped) },
        ]
      : [{ type: StunAttribute.MappedAddress, value: encodeAddress(mapped) }];
    if (key !== undefined) attributes.push({ type: StunAttribute.Software, value: SOFTWARE });
    const response = encodeStun(
      { type: StunType.BindingSuccess, transactionId: request.transactionId, attributes },
      key === undefined ? {} : { integrityKey: key },
    );
    await reply(response, from);
    if (
      deviceId !== null &&
      attributeOf(request, StunAttribute.ConnectionRequestBinding) !== undefined
    ) {
      const previous = bindings.get(deviceId);
      const binding = { deviceId, ...mapped, seenAt: clock() };
      bindings.set(deviceId, binding);
      const changed = previous?.address !== mapped.address || previous?.port !== mapped.port;
      // The device says its mapping changed once it has seen the new one: on the request after the change.
      const bindingChange = attributeOf(request, StunAttribute.BindingChange) !== undefined;
      if (changed || bindingChange) {
        options.log('stun-binding', {
          deviceId,
          address: mapped.address,
          port: mapped.port,
          bindingChange,
        });
      }
      await options.onBinding?.(binding, changed);
    }
  }

  function reply(bytes: Buffer, to: { address: string; port: number }): Promise<void> {
    return new Promise((resolve) => socket.send(bytes, to.port, to.address, () => resolve()));
  }

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port, options.host, () => {
      socket.off('error', reject);
      listening = true;
      resolve();
    });
  });
  const bound = socket.address();
  return {
    address: bound.address,
    port: bound.port,
    binding: (deviceId) => bindings.get(deviceId),
    send: (datagram, to) =>
      new Promise((resolve, reject) =>
        socket.send(datagram, to.port, to.address, (error) => (error ? reject(error) : resolve())),
      ),
    get listening() {
      return listening;
    },
    close: () =>
      new Promise((resolve) => {
        if (!listening) return resolve();
        listening = false;
        socket.close(() => resolve());
      }),
  };
}

function errorResponse(request: StunMessage, code: number, reason: string): Buffer {
  const value = Buffer.concat([
    Buffer.from([0, 0, Math.floor(code / 100), code % 100]),
    Buffer.from(reason, 'utf8'),
  ]);
  return encodeStun({
    type: StunType.BindingError,
    transactionId: request.transactionId,
    attributes: [{ type: StunAttribute.ErrorCode, value }],
  });
}
