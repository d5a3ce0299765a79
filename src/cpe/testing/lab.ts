/**
 * A lab for end-to-end tests: the real ACS (startAcs) over a SQLite store in a temp directory, a Connection
 * Request server, a loopback file server, and simulated devices on a SimulatedClock — all on 127.0.0.1 with
 * random ports. The ACS admits every CPE, or asks for HTTP Digest with per-device credentials.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningAcs, startAcs } from '../../acs/acs.ts';
import { createCpeAuthenticator } from '../../acs/auth/cpe-authenticator.ts';
import { FsBlobStore } from '../../acs/files/blob-store.ts';
import { type RunningFileServer, startFileServer } from '../../acs/files/file-server.ts';
import { deriveFileUrlKey } from '../../acs/files/signed-url.ts';
import type { ZeroTouchSettings } from '../../acs/provisioning/zero-touch.ts';
import { HttpAuthClient } from '../../cwmp/auth/index.ts';
import type { DeviceProfile } from '../../datamodel/profile.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { encodeDeviceId } from '../../store/device-id.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { SimulatedClock } from '../clock/simulated-clock.ts';
import { ConnectionRequestServer } from '../connreq/connection-request-server.ts';
import type { DeviceBehaviour } from '../device/behaviour.ts';
import { SimulatedDevice } from '../device/simulated-device.ts';
import { deviceIdentity } from '../fleet/identity.ts';
import { type DeviceTemplate, templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import { FileServer } from './file-server.ts';

export interface LabOptions {
  auth?: 'any' | 'digest';
  profile?: DeviceProfile;
  /** Run the ACS's zero-touch bootstrap preset. */
  zeroTouch?: ZeroTouchSettings;
  /** Run the ACS's own file server too (`fileServer`, blobs in the lab's directory): Downloads by fileId. */
  servedFiles?: boolean;
}

export interface LabDeviceOptions {
  behaviour?: DeviceBehaviour;
  extra?: Record<string, string>;
  /** Default 0.5: the first periodic Inform half an interval after boot. */
  random?: () => number;
}

export class Lab {
  readonly logs: { event: string; fields: Record<string, unknown> }[] = [];
  readonly clock = new SimulatedClock();
  readonly template: DeviceTemplate;
  acs!: RunningAcs;
  store!: SqliteStore;
  cr!: ConnectionRequestServer;
  files!: FileServer;
  /** With `servedFiles`: the ACS's file server and its blob store. */
  fileServer: RunningFileServer | undefined;
  blobs: FsBlobStore | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'corral-cpe-lab-'));
  private readonly secretKey = randomBytes(32);
  private readonly devices: SimulatedDevice[] = [];
  private acsPort = 0;

  private constructor(private readonly options: LabOptions) {
    this.template = templateFor(simulatorProfile(options.profile ?? DEVICE2_GATEWAY));
  }

  static async start(options: LabOptions = {}): Promise<Lab> {
    const lab = new Lab(options);
    lab.store = await openSqliteStore({
      path: join(lab.dir, 'corral.db'),
      secretKey: lab.secretKey,
    });
    if (options.servedFiles) {
      lab.blobs = await FsBlobStore.open(lab.dir);
      lab.fileServer = await startFileServer({
        host: '127.0.0.1',
        port: 0,
        store: lab.store,
        blobs: lab.blobs,
        signingKey: deriveFileUrlKey(lab.secretKey),
        maxUploadBytes: 1 << 20,
        log: (event, fields) => lab.logs.push({ event, fields }),
      });
    }
    await lab.startAcs();
    // Tests knock far more often than TR-069's rate limit is meant for.
    lab.cr = await ConnectionRequestServer.start({ host: '127.0.0.1', port: 0, limit: 1000 });
    lab.files = await new FileServer().start();
    return lab;
  }

  /** Starts the ACS (again, on the same port after stopAcs). */
  async startAcs(): Promise<void> {
    this.acs = await startAcs({
      store: this.store,
      authenticate:
        this.options.auth === 'digest'
          ? createCpeAuthenticator({ store: this.store, secretKey: this.secretKey })
          : async () => ({ ok: true }),
      host: '127.0.0.1',
      port: this.acsPort,
      maxSessions: 1000,
      sessionTimeoutMs: 30_000,
      bodyLimits: { maxBytes: 1 << 20, maxDecodedBytes: 4 << 20 },
      admission: false,
      ...(this.options.zeroTouch ? { zeroTouch: this.options.zeroTouch } : {}),
      ...(this.fileServer ? { fileServer: this.fileServer } : {}),
      log: (event, fields) => this.logs.push({ event, fields }),
    });
    this.acsPort = this.acs.port;
  }

  async stopAcs(): Promise<void> {
    await this.acs.close(200);
  }

  /** A device (not started) with its own identity, its Connection Request path, and its ACS credentials. */
  async device(serial: string, options: LabDeviceOptions = {}): Promise<SimulatedDevice> {
    const token = ConnectionRequestServer.newToken();
    const identity = deviceIdentity(this.template, {
      serialNumber: serial,
      acsUrl: this.acs.url,
      acsPassword: `pw-${serial}`,
      connectionRequestUrl: this.cr.urlFor(token),
      connectionRequestPassword: `cr-pw-${serial}`,
      extra: options.extra ?? {},
    });
    const device = new SimulatedDevice({
      template: this.template,
      identity: () => identity,
      scheduler: this.clock,
      random: options.random ?? (() => 0.5),
      ...(options.behaviour === undefined ? {} : { behaviour: options.behaviour }),
    });
    this.cr.bind(token, device);
    if (this.options.auth === 'digest') {
      const username = identity[`${this.template.model.root}ManagementServer.Username`]!;
      await this.store.credentials.setCpe(this.idOf(device), {
        username,
        password: new Secret(`pw-${serial}`),
      });
    }
    this.devices.push(device);
    return device;
  }

  idOf(device: SimulatedDevice): string {
    const info = `${device.model.root}DeviceInfo.`;
    return encodeDeviceId({
      oui: device.model.getValue(`${info}ManufacturerOUI`),
      productClass: device.model.getValue(`${info}ProductClass`),
      serialNumber: device.serialNumber,
    });
  }

  /** What the ACS does: a GET on the device's ConnectionRequestURL, answering its Digest challenge. */
  async connectionRequest(device: SimulatedDevice): Promise<number> {
    const ms = `${device.model.root}ManagementServer.`;
    const url = device.model.getValue(`${ms}ConnectionRequestURL`);
    const client = new HttpAuthClient({
      username: device.model.getValue(`${ms}ConnectionRequestUsername`),
      password: device.model.getValue(`${ms}ConnectionRequestPassword`),
    });
    const first = await get(url);
    if (first.status !== 401) return first.status;
    const answer = client.respond(first.challenges, {
      method: 'GET',
      uri: new URL(url).pathname,
      tls: false,
    });
    if (!answer.ok) return 401;
    return (await get(url, answer.authorization)).status;
  }

  async close(): Promise<void> {
    for (const d of this.devices) await d.stop();
    await this.acs.close(200);
    await this.cr.close();
    await this.files.close();
    await this.fileServer?.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function get(
  url: string,
  authorization?: string,
): Promise<{ status: number; challenges: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { headers: authorization === undefined ? {} : { Authorization: authorization } },
      (res) => {
        res.resume();
        res.on('end', () => {
          const challenges: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
              challenges.push(res.rawHeaders[i + 1]!);
          resolve({ status: res.statusCode ?? 0, challenges });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
