/** An installation for the copy tests, made through the Store API, and all of it read back. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue } from '../json.ts';
import { isSecret, Secret } from '../secret.ts';
import { openSqliteStore } from '../sqlite/sqlite-store.ts';
import type { Store } from '../store.ts';
import { addDevice, SECRET_KEY, TestClock } from '../suite/harness.ts';
import type { TaskArgs } from '../task-args.ts';

const dirs: string[] = [];

/** Remove every directory made here. */
export function removeInstallations(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary directory, removed by removeInstallations. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export const WEIRD = 'nul\u0000and\u0001one ünïcödé 😀';
export const SECRET_VALUE = 'wifi-key-secret-5f2a';

/** An installation made through the Store API: every table gets rows. */
export async function makeInstallation(
  devices = 12,
): Promise<{ dir: string; path: string; ids: string[] }> {
  const dir = tempDir('corral-copy-');
  writeFileSync(join(dir, 'secret.key'), `${Buffer.from(SECRET_KEY).toString('hex')}\n`, {
    mode: 0o600,
  });
  const path = join(dir, 'corral.db');
  const clock = new TestClock();
  const store = await openSqliteStore({ path, secretKey: SECRET_KEY, clock: clock.read });
  try {
    const ids: string[] = [];
    for (let i = 0; i < devices; i++) {
      clock.advance(1000);
      const { device } = await addDevice(store, `SN${String(i).padStart(3, '0')}`, {
        parameters: [
          { path: 'Device.DeviceInfo.SoftwareVersion', value: `1.${i}`, type: 'string' },
          { path: 'Device.X.Weird', value: WEIRD, type: 'string' },
          { path: 'Device.WiFi.Key', value: new Secret(`${SECRET_VALUE}-${i}`), type: 'string' },
          { path: 'Device.X.', writable: false },
        ],
        remoteAddress: '192.0.2.7',
      });
      ids.push(device.id);
      await store.devices.addTags(device.id, ['lab', `t${i % 3}`]);
    }
    // A deleted device: SQLite's AUTOINCREMENT never hands its key out again, nor must the target.
    const gone = (await addDevice(store, 'GONE')).device.id;
    await store.devices.delete(gone);
    await store.devices.setProvisioningState(ids[0]!, { step: 2, note: WEIRD });
    await store.parameters.markIndexed('Device.DeviceInfo.SoftwareVersion');
    const id = ids[0]!;
    await store.credentials.setCpe(id, { username: 'cpe-0', password: new Secret('cpe-pw-1') });
    await store.credentials.setConnectionRequest(id, {
      username: 'cr',
      password: new Secret('cr-pw-2'),
    });
    await store.credentials.putBootstrap({
      username: 'boot',
      password: new Secret('boot-pw-3'),
      allow: { ouis: ['00D09E'], productClasses: [], serialPattern: 'SN*' },
    });
    // Tasks in several states.
    const gpv: TaskArgs = { type: 'getParameterValues', parameterNames: ['Device.'] };
    const done = await store.tasks.enqueue(id, { args: gpv, createdBy: 'key-1' });
    await store.tasks.enqueue(id, { args: { type: 'reboot', commandKey: 'rb' } });
    const claimed = await store.tasks.claimNext(id, 'sess-1');
    assert.equal(claimed.status, 'claimed');
    await store.tasks.complete(done.id, 'sess-1', { result: { ok: WEIRD } });
    const failing = await store.tasks.enqueue(ids[1]!, { args: gpv });
    await store.tasks.claimNext(ids[1]!, 'sess-2');
    await store.tasks.fault(failing.id, 'sess-2', { code: 9005, message: 'bad', permanent: true });
    const cancelled = await store.tasks.enqueue(ids[2]!, { args: gpv });
    await store.tasks.cancel(cancelled.id);
    await store.tasks.enqueue(ids[3]!, {
      args: {
        type: 'download',
        commandKey: 'fw',
        fileType: '1 Firmware Upgrade Image',
        url: 'https://files.example/fw.bin',
        username: 'dl',
        password: new Secret('download-pw-4'),
        fileSize: 0,
        targetFileName: '',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
    });
    await store.tasks.claimNext(ids[3]!, 'sess-3'); // left running
    await store.presets.put('wifi', {
      declarations: { values: [{ path: 'A.Password', value: new Secret('preset-pw-5') }] },
    } as unknown as JsonValue);
    const file = await store.files.create({
      name: 'fw-2.bin',
      fileType: '1 Firmware Upgrade Image',
      target: { oui: '00D09E', productClass: 'IGD', softwareVersion: '1.0' },
      size: 1234,
      sha256: 'a'.repeat(64),
      blobId: 'blob-1',
      createdBy: 'key:ops',
    });
    await store.files.recordUpload(ids[4]!, {
      fileType: '1 Vendor Configuration File',
      name: 'backup.cfg',
      size: 42,
      sha256: 'b'.repeat(64),
      blobId: 'u-1',
    });
    const campaign = await store.campaigns.create({
      name: 'fw',
      definition: { fileId: file.id, softwareVersion: '2.0', stages: [{ devices: 2 }] },
      createdBy: 'alice',
    });
    await store.campaigns.approve(campaign.id, 'bob');
    await store.campaigns.start(
      campaign.id,
      ids.slice(0, 4).map((deviceId, i) => ({
        deviceId,
        stage: 0,
        state: i === 3 ? ('skipped' as const) : ('pending' as const),
      })),
    );
    await store.users.create({
      name: 'alice',
      role: 'admin',
      password: new Secret('alice-password-long'),
      createdBy: 'cli',
    });
    await store.userSessions.create('alice', { idleMs: 60_000, maxAgeMs: 3_600_000 });
    await store.apiKeys.create({ name: 'ops', role: 'operator', createdBy: 'alice' });
    for (let i = 0; i < 5; i++)
      await store.audit.record({ actor: 'alice', action: `a${i}`, target: WEIRD, details: { i } });
    for (let i = 0; i < 3; i++)
      await store.traces.append(ids[5]!, 'trace-1', {
        direction: i % 2 === 0 ? 'cpe-to-acs' : 'acs-to-cpe',
        body: `<soap>${i}${WEIRD}</soap>`,
        at: clock.now + i,
      });
    return { dir, path, ids };
  } finally {
    await store.close();
  }
}

/** Everything the Store API gives back, secrets revealed. */
export async function readBack(store: Store, ids: readonly string[]): Promise<unknown> {
  const reveal = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v, (_, x) => (isSecret(x) ? { secret: x.reveal() } : x)));
  const revealDeep = (v: unknown): unknown => {
    if (isSecret(v)) return { secret: v.reveal() };
    if (Array.isArray(v)) return v.map(revealDeep);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealDeep(x)]));
    return v;
  };
  const perDevice = [];
  for (const id of ids) {
    perDevice.push({
      device: await store.devices.get(id),
      events: await store.devices.events(id),
      provisioning: await store.devices.getProvisioningState(id),
      parameters: await store.parameters.list(id),
      secret: (await store.parameters.reveal(id, 'Device.WiFi.Key'))?.reveal(),
      queue: revealDeep(await store.tasks.queue(id)),
      cpe: revealDeep(await store.credentials.getCpe(id)),
      cr: revealDeep(await store.credentials.getConnectionRequest(id)),
      uploads: await store.files.uploads(id),
      traces: await Promise.all(
        (await store.traces.sessions(id)).map(async (s) => ({
          s,
          m: await store.traces.read(id, s.sessionId),
        })),
      ),
    });
  }
  const campaigns = await store.campaigns.list();
  return reveal({
    perDevice,
    tasks: revealDeep(await store.tasks.list({ limit: 1000 } as never)),
    tags: await store.devices.listTags(),
    indexed: await store.parameters.listIndexed(),
    bootstrap: revealDeep(await store.credentials.getBootstrap('boot')),
    presets: revealDeep(await store.presets.list()),
    files: await store.files.list(),
    campaigns: await Promise.all(
      campaigns.map(async (c) => ({ c, d: await store.campaigns.devices(c.id) })),
    ),
    users: await store.users.list(),
    apiKeys: await store.apiKeys.list(),
    audit: await store.audit.list({ limit: 1000 }),
  });
}
