/**
 * A fleet of simulated devices in one process (`corral sim`): N devices of one profile, each a DeviceModel over
 * the profile's shared template with its own serial number (prefix + number) and credentials, started at a given
 * rate, informing periodically, answering Connection Requests on one shared listener (a path per device), with
 * sessions bounded by a fleet-wide limit, and statistics kept for the whole fleet.
 */
import type { DeviceProfile } from '../../datamodel/profile.ts';
import { RealScheduler, type Scheduler, type Timer } from '../clock/scheduler.ts';
import { ConnectionRequestServer } from '../connreq/connection-request-server.ts';
import { type UdpAgentOptions, UdpConnectionRequestAgent } from '../connreq/udp-agent.ts';
import { type XmppAgentOptions, XmppConnectionRequestAgent } from '../connreq/xmpp-agent.ts';
import type { DeviceBehaviour } from '../device/behaviour.ts';
import { loadDeviceState, saveDeviceState } from '../device/device-state.ts';
import {
  type SessionGate,
  type SessionRecord,
  SimulatedDevice,
} from '../device/simulated-device.ts';
import { type DeviceTemplate, templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import { deviceIdentity, serialNumber } from './identity.ts';
import { type FleetSnapshot, FleetStats } from './stats.ts';

export interface FleetOptions {
  devices: number;
  acsUrl: string;
  profile: DeviceProfile;
  /** Default `CRL`: serial numbers CRL00000001, CRL00000002, … */
  serialPrefix?: string;
  /** Devices started per second; default 100. Infinity starts them all at once. */
  rate?: number;
  /** Default: real time. */
  scheduler?: Scheduler;
  behaviour?: DeviceBehaviour;
  /** ManagementServer.Username/Password for all devices (e.g. a bootstrap credential); default per device. */
  acsUsername?: string;
  acsPassword?: string;
  /** Overrides the profile's PeriodicInformInterval (seconds). */
  periodicInterval?: number;
  ca?: string | Buffer | readonly (string | Buffer)[];
  /** The shared Connection Request listener; false for none. Default 127.0.0.1, a free port. */
  connectionRequest?: { host: string; port: number; publicHost?: string; limit?: number } | false;
  /**
   * STUN on (TR-111): every device starts with STUNEnable true, this server (default: its ACS's host, port 3478),
   * this STUNMinimumKeepAlivePeriod, and its own ACS credential as its STUN credential.
   */
  stun?: { server?: { address: string; port: number }; minimumKeepAliveSeconds?: number };
  /**
   * XMPP connection requests (TR-069 Annex K): each device logs in to this server as `<serial, lower case>@domain`
   * with `password` (the accounts must exist) and reports its JID as ConnReqJabberID.
   */
  xmpp?: Omit<XmppAgentOptions, 'username'>;
  /** Values every device starts with (and returns to on a factory reset), by full path: `--set` of corral sim. */
  parameters?: Readonly<Record<string, string>>;
  /**
   * UDP connection requests through STUN (TR-069 Annex G), for devices whose STUNEnable is true: the local address
   * each such device binds its own UDP port on (default 127.0.0.1), or false for none.
   */
  udpConnectionRequest?: UdpAgentOptions | false;
  /** Sessions in flight at once, fleet-wide; default 256. */
  maxConcurrentSessions?: number;
  random?: () => number;
  onSession?: (record: SessionRecord, device: SimulatedDevice) => void;
  /**
   * Persistence: each device's undelivered events, outbox and bootstrap state are saved here (one file per serial
   * number) after each of its sessions and when the fleet stops, and restored when a fleet starts.
   */
  stateDir?: string;
}

/** A counting semaphore: the fleet's SessionGate. */
export class Semaphore implements SessionGate {
  private waiting: (() => void)[] = [];
  private free: number;

  constructor(readonly size: number) {
    if (!(size >= 1)) throw new RangeError('size must be ≥ 1');
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          const next = this.waiting.shift();
          if (next !== undefined) next();
          else this.free++;
        });
      };
      if (this.free > 0) {
        this.free--;
        grant();
      } else {
        this.waiting.push(grant);
      }
    });
  }
}

export class Fleet {
  readonly devices: SimulatedDevice[] = [];
  readonly stats = new FleetStats();
  readonly template: DeviceTemplate;
  readonly scheduler: Scheduler;
  readonly gate: Semaphore;
  cr: ConnectionRequestServer | undefined;
  /** The UDP connection-request side of devices that have turned STUN on (a socket while it stays on). */
  readonly udp = new Map<SimulatedDevice, UdpConnectionRequestAgent>();
  /** Each device's XMPP login, with `xmpp`. */
  readonly xmpp = new Map<SimulatedDevice, XmppConnectionRequestAgent>();
  started = 0;
  private startTimer: Timer | undefined;
  private readonly ownScheduler: RealScheduler | undefined;

  private constructor(private readonly options: FleetOptions) {
    if (!Number.isInteger(options.devices) || options.devices < 1)
      throw new RangeError('devices must be a positive integer');
    this.template = templateFor(simulatorProfile(options.profile));
    this.ownScheduler = options.scheduler === undefined ? new RealScheduler() : undefined;
    this.scheduler = options.scheduler ?? this.ownScheduler!;
    this.gate = new Semaphore(options.maxConcurrentSessions ?? 256);
  }

  /** Creates the devices and starts them at the configured rate. */
  static async start(options: FleetOptions): Promise<Fleet> {
    const fleet = new Fleet(options);
    if (options.connectionRequest !== false) {
      const cr = options.connectionRequest ?? { host: '127.0.0.1', port: 0 };
      fleet.cr = await ConnectionRequestServer.start(cr);
    }
    fleet.createDevices();
    fleet.startDevices();
    return fleet;
  }

  private createDevices(): void {
    const o = this.options;
    const root = this.template.model.root;
    const interval =
      o.periodicInterval === undefined
        ? {}
        : { [`${root}ManagementServer.PeriodicInformInterval`]: String(o.periodicInterval) };
    const onSession = (record: SessionRecord, device: SimulatedDevice) => {
      this.stats.record(record);
      this.saveState(device);
      // The ACS may have turned STUN on or off, or moved its server.
      this.syncUdp(device);
      o.onSession?.(record, device);
    };
    const width = Math.max(8, String(o.devices).length);
    const ms = `${root}ManagementServer.`;
    const stunValues = (serial: string): Record<string, string> => {
      if (o.stun === undefined) return {};
      const { server, minimumKeepAliveSeconds } = o.stun;
      const own = deviceIdentity(this.template, { serialNumber: serial, acsUrl: o.acsUrl });
      return {
        [`${ms}STUNEnable`]: 'true',
        [`${ms}STUNServerAddress`]: server?.address ?? '',
        [`${ms}STUNServerPort`]: String(server?.port ?? 3478),
        [`${ms}STUNUsername`]: o.acsUsername ?? own[`${ms}Username`] ?? '',
        [`${ms}STUNPassword`]: o.acsPassword ?? this.template.value(`${ms}Password`) ?? '',
        ...(minimumKeepAliveSeconds === undefined
          ? {}
          : { [`${ms}STUNMinimumKeepAlivePeriod`]: String(minimumKeepAliveSeconds) }),
      };
    };
    for (let i = 1; i <= o.devices; i++) {
      const serial = serialNumber(o.serialPrefix ?? 'CRL', i, width);
      const token = this.cr === undefined ? undefined : ConnectionRequestServer.newToken();
      const crUrl = token === undefined ? undefined : this.cr!.urlFor(token);
      const template = this.template;
      const identity = () =>
        deviceIdentity(template, {
          serialNumber: serial,
          acsUrl: o.acsUrl,
          ...(o.acsUsername === undefined ? {} : { acsUsername: o.acsUsername }),
          ...(o.acsPassword === undefined ? {} : { acsPassword: o.acsPassword }),
          ...(crUrl === undefined ? {} : { connectionRequestUrl: crUrl }),
          extra: { ...o.parameters, ...interval, ...stunValues(serial) },
        });
      const device = new SimulatedDevice({
        template,
        identity,
        scheduler: this.scheduler,
        gate: this.gate,
        onSession,
        ...(o.behaviour === undefined ? {} : { behaviour: o.behaviour }),
        ...(o.ca === undefined ? {} : { ca: o.ca }),
        ...(o.random === undefined ? {} : { random: o.random }),
      });
      const saved = o.stateDir === undefined ? undefined : loadDeviceState(o.stateDir, serial);
      if (saved !== undefined) device.restoreState(saved);
      if (token !== undefined) this.cr!.bind(token, device);
      if (o.xmpp !== undefined) {
        this.xmpp.set(
          device,
          new XmppConnectionRequestAgent(device, { ...o.xmpp, username: serial.toLowerCase() }),
        );
      }
      this.devices.push(device);
    }
  }

  /** Starts devices so that `rate` per second have started since the fleet began; a tick every 10-1000 ms. */
  private startDevices(): void {
    const rate = this.options.rate ?? 100;
    const begin = this.scheduler.now();
    const tickMs = Number.isFinite(rate) ? Math.min(1000, Math.max(10, 1000 / rate)) : 0;
    const tick = () => {
      this.startTimer = undefined;
      const due = Number.isFinite(rate)
        ? Math.min(
            this.devices.length,
            Math.floor(((this.scheduler.now() - begin) / 1000) * rate) + 1,
          )
        : this.devices.length;
      while (this.started < due) {
        const device = this.devices[this.started++]!;
        device.start();
        this.syncUdp(device);
        this.xmpp
          .get(device)
          ?.start()
          .catch(() => {
            // Unreachable server or refused login: @xmpp/client retries; HTTP and UDP still work.
          });
      }
      if (this.started < this.devices.length)
        this.startTimer = this.scheduler.setTimer(tickMs, tick);
    };
    tick();
  }

  /** Made on first need: a fleet without STUN spends nothing on it. */
  private syncUdp(device: SimulatedDevice): void {
    const options = this.options.udpConnectionRequest;
    if (options === false) return;
    let agent = this.udp.get(device);
    if (agent === undefined) {
      if (device.managementServer.get('STUNEnable') !== 'true') return;
      agent = new UdpConnectionRequestAgent(device, options ?? { host: '127.0.0.1' });
      this.udp.set(device, agent);
    }
    agent.sync().catch(() => {
      // A port that cannot be bound leaves the device reachable by HTTP only, as a real one would be.
    });
  }

  private saveState(device: SimulatedDevice): void {
    if (this.options.stateDir !== undefined)
      saveDeviceState(this.options.stateDir, device.serialNumber, device.saveState());
  }

  /** The device with this serial number (for the local control: a rare look-up, so no index is kept). */
  device(serialNumber: string): SimulatedDevice | undefined {
    return this.devices.find((d) => d.serialNumber === serialNumber);
  }

  get allStarted(): boolean {
    return this.started === this.devices.length;
  }

  snapshot(): FleetSnapshot {
    return this.stats.snapshot(this.devices.length, this.started);
  }

  /** Stops starting devices, lets sessions in flight finish, closes the listener. */
  async stop(): Promise<void> {
    this.startTimer?.cancel();
    this.startTimer = undefined;
    await Promise.all(this.devices.map((d) => d.stop()));
    await Promise.all([...this.udp.values()].map((agent) => agent.close()));
    await Promise.all([...this.xmpp.values()].map((agent) => agent.stop()));
    for (const d of this.devices) this.saveState(d);
    await this.cr?.close();
    this.ownScheduler?.clear();
  }
}
