/**
 * A simulated device's UDP connection-request side (TR-069 Annex G, TR-111 Part 2; cwmp-spec.md §5.2), active
 * while its ManagementServer.STUNEnable is true:
 * - From its own UDP port it sends STUN Binding Requests with CONNECTION-REQUEST-BINDING to the STUN server
 *   (STUNServerAddress, or the ACS's host when empty) every keep-alive period, with USERNAME and MESSAGE-INTEGRITY
 *   (STUNUsername / STUNPassword) once the server has asked for them with a 401.
 * - The mapped address in the answer becomes UDPConnectionRequestAddress (and NATDetected says whether it differs
 *   from the local one); when it changes, the next request carries BINDING-CHANGE and goes at once.
 * - On the same port it takes UDP connection requests: the right username, a valid HMAC-SHA1 signature, an id not
 *   seen before and a timestamp not older than the last accepted one — else the datagram is ignored, as the CPE
 *   answers nothing either way — then a session with 6 CONNECTION REQUEST, rate-limited as the HTTP ones are.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import {
  CONNECTION_REQUEST_BINDING_VALUE,
  decodeAddress,
  decodeXorAddress,
  MAGIC_COOKIE,
  StunAttribute,
  type TransportAddress,
} from '../../cwmp/stun/attributes.ts';
import {
  attributeOf,
  decodeStun,
  encodeStun,
  integrityMatches,
  type StunMessage,
  StunType,
} from '../../cwmp/stun/message.ts';
import {
  decodeUdpConnectionRequest,
  udpSignatureMatches,
} from '../../cwmp/udp-connection-request.ts';
import type { Timer } from '../clock/index.ts';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { ConnectionRequestLimiter } from './rate-limit.ts';

export interface UdpAgentOptions {
  /** The local address to bind (the device's own; 0.0.0.0 in a network namespace). */
  host: string;
  /** Keep-alive when STUNMinimumKeepAlivePeriod is 0 (unset), in ms; default 30 s. */
  defaultKeepAliveMs?: number;
  /** Accepted requests per window before the device ignores more; default 10 per 60 s. */
  limit?: number;
  windowMs?: number;
  /** Take a replayed request (an id already seen, an older timestamp): a deviation, to test a conformance lab. */
  acceptReplayed?: boolean;
}

export interface UdpAgentStats {
  bindings: number;
  accepted: number;
  /** Ignored: bad signature, wrong username, replayed id, stale timestamp, malformed, over the limit. */
  ignored: number;
}

/** Ids remembered per device, to ignore a replay (the ACS sends each request a few times). */
const SEEN_IDS = 64;

export class UdpConnectionRequestAgent {
  readonly stats: UdpAgentStats = { bindings: 0, accepted: 0, ignored: 0 };
  private socket: Socket | undefined;
  private timer: Timer | undefined;
  private mapped: TransportAddress | undefined;
  private bindingChanged = false;
  private authenticate = false;
  private lastTs = 0;
  private readonly seen: number[] = [];
  private readonly limiter: ConnectionRequestLimiter<string>;
  private pending: { id: Buffer; key: Buffer | undefined } | undefined;
  private opening: Promise<void> | undefined;
  /** The last request taken: with acceptReplayed, its copies (a second apart at most) still count once. */
  private last: { id: number; at: number } | undefined;
  /** The server and username of the last Binding Request. */
  private boundTo: string | undefined;

  constructor(
    private readonly device: SimulatedDevice,
    private readonly options: UdpAgentOptions,
  ) {
    this.limiter = new ConnectionRequestLimiter(options.limit ?? 10, options.windowMs ?? 60_000);
  }

  /** The local port, once bound. */
  get port(): number | undefined {
    return this.socket?.address().port;
  }

  /** Follows the device's settings: binds and keeps the binding alive while STUNEnable is true, else stops. */
  async sync(): Promise<void> {
    const enabled = this.device.running && this.setting('STUNEnable') === 'true';
    if (!enabled) return this.close();
    // One socket however often sync runs: a second call while the first is binding waits for it.
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined; // the next sync tries again
      throw error;
    });
    await this.opening;
    // Another STUN server or credential takes effect at once, not at the next keep-alive.
    if (this.boundTo !== this.settingsKey()) this.bind();
  }

  private copyOfLast(id: number): boolean {
    return this.last?.id === id && this.device.scheduler.now() - this.last.at < 1000;
  }

  private settingsKey(): string {
    const server = this.server();
    return `${server?.address}:${server?.port} ${this.setting('STUNUsername')}`;
  }

  private async open(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (bytes, from) => this.receive(bytes, from));
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, this.options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    this.bind();
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => {});
    this.opening = undefined;
    this.timer?.cancel();
    this.timer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private setting(name: string): string {
    return this.device.managementServer.get(name);
  }

  /** The STUN server: STUNServerAddress:STUNServerPort, the ACS URL's host when the address is empty. */
  private server(): TransportAddress | undefined {
    let address = this.setting('STUNServerAddress');
    if (address === '') {
      try {
        address = new URL(this.device.managementServer.url).hostname.replace(/^\[|\]$/g, '');
      } catch {
        return undefined;
      }
    }
    return { address, port: Number(this.setting('STUNServerPort')) || 3478 };
  }

  /** One Binding Request now, and the next one keep-alive later. */
  private bind(): void {
    this.timer?.cancel();
    const socket = this.socket;
    const server = this.server();
    if (socket === undefined || server === undefined) return;
    this.boundTo = this.settingsKey();
    const id = Buffer.concat([Buffer.alloc(4), randomBytes(12)]);
    id.writeUInt32BE(MAGIC_COOKIE, 0);
    const attributes: StunMessage['attributes'] = [
      {
        type: StunAttribute.ConnectionRequestBinding,
        value: Buffer.from(CONNECTION_REQUEST_BINDING_VALUE, 'ascii'),
      },
    ];
    if (this.bindingChanged)
      attributes.push({ type: StunAttribute.BindingChange, value: Buffer.alloc(0) });
    const username = this.setting('STUNUsername');
    let key: Buffer | undefined;
    if (this.authenticate && username !== '') {
      attributes.push({ type: StunAttribute.Username, value: Buffer.from(username, 'utf8') });
      key = Buffer.from(this.setting('STUNPassword'), 'utf8');
    }
    this.pending = { id, key };
    const bytes = encodeStun(
      { type: StunType.BindingRequest, transactionId: id, attributes },
      key === undefined ? {} : { integrityKey: key },
    );
    socket.send(bytes, server.port, server.address);
    const seconds = Number(this.setting('STUNMinimumKeepAlivePeriod'));
    const every = seconds > 0 ? seconds * 1000 : (this.options.defaultKeepAliveMs ?? 30_000);
    this.timer = this.device.scheduler.setTimer(every, () => this.bind());
  }

  private receive(bytes: Buffer, from: TransportAddress): void {
    const stun = decodeStun(bytes);
    if (stun.ok) this.onStun(bytes, stun.message);
    else this.onConnectionRequest(bytes, from);
  }

  private onStun(bytes: Buffer, message: StunMessage): void {
    const pending = this.pending;
    if (pending === undefined || !message.transactionId.equals(pending.id)) return;
    if (message.type === StunType.BindingError) {
      const error = attributeOf(message, StunAttribute.ErrorCode);
      const code = error === undefined ? 0 : (error[2] ?? 0) * 100 + (error[3] ?? 0);
      // The server wants credentials: send them from now on, at once.
      if (code === 401 && !this.authenticate && this.setting('STUNUsername') !== '') {
        this.authenticate = true;
        this.bind();
      }
      return;
    }
    if (message.type !== StunType.BindingSuccess) return;
    if (pending.key !== undefined && !integrityMatches(bytes, pending.key)) return;
    this.pending = undefined;
    const xor = attributeOf(message, StunAttribute.XorMappedAddress);
    const plain = attributeOf(message, StunAttribute.MappedAddress);
    const mapped =
      (xor === undefined ? null : decodeXorAddress(xor, message.transactionId)) ??
      (plain === undefined ? null : decodeAddress(plain));
    if (mapped === null) return;
    this.stats.bindings++;
    const sentChange = this.bindingChanged;
    this.bindingChanged = false;
    if (this.mapped?.address === mapped.address && this.mapped.port === mapped.port) return;
    const first = this.mapped === undefined;
    this.mapped = mapped;
    const local = this.socket?.address();
    const nat =
      local === undefined || local.port !== mapped.port || !isLocal(local.address, mapped.address);
    const ms = this.device.managementServer.path;
    this.device.setLocalValue(`${ms}NATDetected`, String(nat));
    this.device.setLocalValue(
      `${ms}UDPConnectionRequestAddress`,
      `${mapped.address}:${mapped.port}`,
    );
    // A new mapping: say so to the server at once (BINDING-CHANGE), not at the next keep-alive.
    if (!first && !sentChange) {
      this.bindingChanged = true;
      this.bind();
    }
  }

  private onConnectionRequest(bytes: Buffer, _from: TransportAddress): void {
    const decoded = decodeUdpConnectionRequest(bytes);
    const credentials = this.device.connectionRequestCredentials();
    if (!decoded.ok || credentials === undefined) {
      this.stats.ignored++;
      return;
    }
    const { request } = decoded;
    const ok =
      request.username === credentials.username &&
      udpSignatureMatches(request, credentials.password) &&
      (this.options.acceptReplayed === true
        ? !this.copyOfLast(request.id)
        : !this.seen.includes(request.id) && request.ts >= this.lastTs) &&
      this.limiter.take('device', this.device.scheduler.now());
    if (!ok) {
      this.stats.ignored++;
      return;
    }
    this.last = { id: request.id, at: this.device.scheduler.now() };
    this.seen.push(request.id);
    if (this.seen.length > SEEN_IDS) this.seen.shift();
    this.lastTs = request.ts;
    this.stats.accepted++;
    this.device.connectionRequest();
  }
}

/** Whether the mapped address is the device's own (no NAT): bound to it, or bound to any and it is loopback. */
function isLocal(bound: string, mapped: string): boolean {
  return bound === mapped || ((bound === '0.0.0.0' || bound === '::') && mapped.startsWith('127.'));
}
