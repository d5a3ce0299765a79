/**
 * What bench/pg-sizing.ts puts in each store: the fleet of src/cli/bench/bulk-devices.ts (its deterministic
 * device facts, `bulkDevice`), and, past its three parameters, more of a Device:2 gateway's model — Ethernet
 * ports, radios, SSIDs, IP interfaces, LAN hosts — so that a device carries a realistic parameter count.
 * The same rows go to PostgreSQL and SQLite, so their sizes compare.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { BULK_MARKED, BULK_UNMARKED, bulkDevice } from '../src/cli/bench/bulk-devices.ts';

/** bulk-devices.ts writes these three per device (one of them operator-marked). */
export const BASE_PARAMETERS = 3;

export interface ExtraPath {
  path: string;
  type: string;
  writable: number;
  value: (n: number) => string;
}

/** A well-mixed 32-bit hash of n and a salt (the bench's own; bulk-devices.ts keeps its private). */
function hash(n: number, salt: number): number {
  let h = Math.imul(n ^ Math.imul(salt, 0x27d4eb2f), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

const mac = (n: number, salt: number): string => {
  const h = hash(n, salt);
  const b = [0x00, 0xd0, 0x9e, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return b.map((x) => x.toString(16).padStart(2, '0')).join(':');
};

type Kind = 'bool' | 'count' | 'small' | 'mac' | 'ip' | 'name' | 'status' | 'text';

function leafValue(kind: Kind, n: number, salt: number): string {
  const h = hash(n, salt);
  switch (kind) {
    case 'bool':
      return h % 4 === 0 ? 'false' : 'true';
    case 'count':
      return String(h % 4_000_000_000);
    case 'small':
      return String(h % 100);
    case 'mac':
      return mac(n, salt);
    case 'ip':
      return `192.168.${(h >>> 8) % 4}.${(h % 250) + 2}`;
    case 'name':
      return `host-${(h % 100_000).toString(36)}`;
    case 'status':
      return h % 5 === 0 ? 'Down' : 'Up';
    case 'text':
      return `value-${h.toString(36)}`;
  }
}

const TYPE: Record<Kind, string> = {
  bool: 'boolean',
  count: 'unsignedLong',
  small: 'unsignedInt',
  mac: 'string',
  ip: 'string',
  name: 'string',
  status: 'string',
  text: 'string',
};

/** Object families of a gateway's model: an instance's parameters, and how many instances a gateway has. */
const FAMILIES: { object: string; instances: number; leaves: [string, Kind, boolean][] }[] = [
  {
    object: 'Device.DeviceInfo.',
    instances: 0,
    leaves: [
      ['Manufacturer', 'text', false],
      ['ManufacturerOUI', 'text', false],
      ['ModelName', 'text', false],
      ['ProductClass', 'text', false],
      ['SerialNumber', 'text', false],
      ['HardwareVersion', 'text', false],
      ['ProvisioningCode', 'text', true],
      ['MemoryStatus.Total', 'count', false],
      ['MemoryStatus.Free', 'count', false],
      ['ProcessStatus.CPUUsage', 'small', false],
    ],
  },
  {
    object: 'Device.ManagementServer.',
    instances: 0,
    leaves: [
      ['URL', 'text', true],
      ['Username', 'text', true],
      ['PeriodicInformEnable', 'bool', true],
      ['PeriodicInformInterval', 'small', true],
      ['ConnectionRequestURL', 'text', false],
      ['ParameterKey', 'text', false],
      ['STUNEnable', 'bool', true],
    ],
  },
  {
    object: 'Device.Ethernet.Interface.',
    instances: 4,
    leaves: [
      ['Enable', 'bool', true],
      ['Status', 'status', false],
      ['Name', 'text', false],
      ['MACAddress', 'mac', false],
      ['MaxBitRate', 'small', true],
      ['Stats.BytesSent', 'count', false],
      ['Stats.BytesReceived', 'count', false],
      ['Stats.PacketsSent', 'count', false],
      ['Stats.PacketsReceived', 'count', false],
      ['Stats.ErrorsReceived', 'small', false],
    ],
  },
  {
    object: 'Device.WiFi.Radio.',
    instances: 2,
    leaves: [
      ['Enable', 'bool', true],
      ['Status', 'status', false],
      ['OperatingFrequencyBand', 'text', false],
      ['Channel', 'small', true],
      ['AutoChannelEnable', 'bool', true],
      ['TransmitPower', 'small', true],
      ['OperatingStandards', 'text', true],
      ['Stats.Noise', 'small', false],
    ],
  },
  {
    object: 'Device.WiFi.SSID.',
    instances: 4,
    leaves: [
      ['Enable', 'bool', true],
      ['Status', 'status', false],
      ['BSSID', 'mac', false],
      ['MACAddress', 'mac', false],
      ['LowerLayers', 'text', true],
      ['Stats.BytesSent', 'count', false],
      ['Stats.BytesReceived', 'count', false],
    ],
  },
  {
    object: 'Device.WiFi.AccessPoint.',
    instances: 4,
    leaves: [
      ['Enable', 'bool', true],
      ['SSIDReference', 'text', true],
      ['SSIDAdvertisementEnabled', 'bool', true],
      ['Security.ModeEnabled', 'text', true],
      ['AssociatedDeviceNumberOfEntries', 'small', false],
    ],
  },
  {
    object: 'Device.IP.Interface.',
    instances: 3,
    leaves: [
      ['Enable', 'bool', true],
      ['Status', 'status', false],
      ['Name', 'text', false],
      ['IPv4Address.1.IPAddress', 'ip', true],
      ['IPv4Address.1.SubnetMask', 'text', true],
      ['IPv4Address.1.AddressingType', 'text', false],
      ['Stats.BytesSent', 'count', false],
      ['Stats.BytesReceived', 'count', false],
    ],
  },
  {
    object: 'Device.DHCPv4.Server.Pool.',
    instances: 1,
    leaves: [
      ['Enable', 'bool', true],
      ['MinAddress', 'ip', true],
      ['MaxAddress', 'ip', true],
      ['SubnetMask', 'text', true],
      ['LeaseTime', 'small', true],
    ],
  },
  // Repeated as often as needed: a busy LAN's hosts table makes up the rest of a large model.
  {
    object: 'Device.Hosts.Host.',
    instances: Number.POSITIVE_INFINITY,
    leaves: [
      ['PhysAddress', 'mac', false],
      ['IPAddress', 'ip', false],
      ['HostName', 'name', false],
      ['Active', 'bool', false],
      ['Layer1Interface', 'text', false],
      ['LeaseTimeRemaining', 'small', false],
    ],
  },
];

/** The first `count` extra paths of a gateway's model (none of bulk-devices.ts's three). */
export function extraPaths(count: number): ExtraPath[] {
  const out: ExtraPath[] = [];
  const taken = new Set([BULK_MARKED, BULK_UNMARKED, 'Device.DeviceInfo.SoftwareVersion']);
  for (const family of FAMILIES) {
    const last = family.instances === 0 ? 1 : family.instances;
    for (let i = 1; i <= last && out.length < count; i++) {
      const object = family.instances === 0 ? family.object : `${family.object}${i}.`;
      for (const [leaf, kind, writable] of family.leaves) {
        const path = `${object}${leaf}`;
        if (out.length >= count || taken.has(path)) continue;
        const salt = out.length + 17;
        out.push({
          path,
          type: TYPE[kind],
          writable: writable ? 1 : 0,
          value: (n) => leafValue(kind, n, salt),
        });
      }
    }
  }
  return out;
}

/** Device n's row, as addBulkDevices writes it to SQLite (key n + 1: SQLite's rowids in a fresh table). */
export function deviceRow(n: number, now: number) {
  const d = bulkDevice(n, now);
  return {
    key: n + 1,
    facts: d,
    remoteAddress: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    firstInformAt: d.lastInformAt - 86_400_000,
    lastBootAt: d.lastInformAt - 3_600_000,
  };
}

/** Devices of one PostgreSQL batch: about 200,000 parameter rows a statement. */
export function batchSize(parameters: number): number {
  return Math.max(100, Math.min(20_000, Math.floor(200_000 / Math.max(1, parameters))));
}

/**
 * Devices `from`..`to - 1` into PostgreSQL through the real schema: one INSERT … SELECT FROM unnest(…) per table,
 * keys given (OVERRIDING SYSTEM VALUE) so that they match SQLite's.
 */
export async function insertPostgresBatch(
  client: pg.ClientBase,
  from: number,
  to: number,
  extras: readonly ExtraPath[],
  now: number,
): Promise<void> {
  const dev = {
    key: [] as number[],
    id: [] as string[],
    pc: [] as string[],
    sn: [] as string[],
    sv: [] as string[],
    ra: [] as string[],
    first: [] as number[],
    last: [] as number[],
    boot: [] as number[],
  };
  const par = {
    key: [] as number[],
    path: [] as string[],
    value: [] as string[],
    type: [] as string[],
    writable: [] as number[],
    at: [] as number[],
    indexed: [] as number[],
  };
  const tag = { key: [] as number[], tag: [] as string[] };
  const param = (
    key: number,
    path: string,
    value: string,
    type: string,
    writable: number,
    at: number,
    indexed: number,
  ) => {
    par.key.push(key);
    par.path.push(path);
    par.value.push(value);
    par.type.push(type);
    par.writable.push(writable);
    par.at.push(at);
    par.indexed.push(indexed);
  };
  for (let n = from; n < to; n++) {
    const r = deviceRow(n, now);
    const d = r.facts;
    dev.key.push(r.key);
    dev.id.push(d.id);
    dev.pc.push(d.productClass);
    dev.sn.push(d.serialNumber);
    dev.sv.push(d.softwareVersion);
    dev.ra.push(r.remoteAddress);
    dev.first.push(r.firstInformAt);
    dev.last.push(d.lastInformAt);
    dev.boot.push(r.lastBootAt);
    param(r.key, BULK_MARKED, d.ssid, 'string', 1, d.lastInformAt, 1);
    param(r.key, BULK_UNMARKED, d.uptime, 'unsignedInt', 0, d.lastInformAt, 0);
    param(
      r.key,
      'Device.DeviceInfo.SoftwareVersion',
      d.softwareVersion,
      'string',
      0,
      d.lastInformAt,
      0,
    );
    for (const e of extras) param(r.key, e.path, e.value(n), e.type, e.writable, d.lastInformAt, 0);
    for (const t of d.tags) {
      tag.key.push(r.key);
      tag.tag.push(t);
    }
  }
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO devices (key, id, manufacturer, oui, product_class, serial_number, software_version,
       hardware_version, remote_address, first_inform_at, last_inform_at, last_boot_at)
     OVERRIDING SYSTEM VALUE
     SELECT k, i, 'Bulk', '00D09E', pc, sn, sv, 'HW1', ra, fi, li, lb
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
       $8::bigint[], $9::bigint[]) AS u(k, i, pc, sn, sv, ra, fi, li, lb)`,
    [dev.key, dev.id, dev.pc, dev.sn, dev.sv, dev.ra, dev.first, dev.last, dev.boot],
  );
  await client.query(
    `INSERT INTO parameters (device_key, path, value, type, writable, value_at, indexed)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::bigint[],
       $7::smallint[])`,
    [par.key, par.path, par.value, par.type, par.writable, par.at, par.indexed],
  );
  if (tag.key.length > 0) {
    await client.query(
      'INSERT INTO device_tags (device_key, tag) SELECT * FROM unnest($1::bigint[], $2::text[])',
      [tag.key, tag.tag],
    );
  }
  await client.query('COMMIT');
}

/** The extra parameters into a SQLite store that addBulkDevices filled (keys 1..count). */
export function addSqliteExtras(
  db: Database.Database,
  count: number,
  extras: readonly ExtraPath[],
  now: number,
  progress: (done: number) => void,
): void {
  if (extras.length === 0) return;
  const insert = db.prepare(
    'INSERT INTO parameters (device_key, path, value, type, writable, value_at, indexed) VALUES (?, ?, ?, ?, ?, ?, 0)',
  );
  const batch = db.transaction((start: number, end: number) => {
    for (let n = start; n < end; n++) {
      const at = bulkDevice(n, now).lastInformAt;
      for (const e of extras) insert.run(n + 1, e.path, e.value(n), e.type, e.writable, at);
    }
  });
  const step = batchSize(extras.length + BASE_PARAMETERS);
  for (let start = 0; start < count; start += step) {
    batch(start, Math.min(count, start + step));
    progress(Math.min(count, start + step));
  }
}
