/**
 * Fills a fresh SQLite store with `count` devices in bulk, for benchmarks at fleet scale (the device list at
 * 1,000,000 devices; the performance issue's scale scenario). It writes the store's tables directly — one
 * transaction per 50,000 devices, prepared statements — because a million Informs through the ACS would take
 * the better part of an hour; the rows are what Informs would have left: device columns, three parameters each
 * (one of them operator-marked, so in the value index), tags on a share of them.
 */
import Database from 'better-sqlite3';
import { encodeDeviceId } from '../../store/device-id.ts';

export const BULK_PRODUCT_CLASSES = ['HG8245', 'F670L', 'VMG8825', 'FritzBox7590', 'DIR-842'];
export const BULK_VERSIONS = Array.from({ length: 20 }, (_, i) => `1.${i}.0`);
/** The marked parameter (in the value index) and an unmarked one. */
export const BULK_MARKED = 'Device.WiFi.SSID.1.SSID';
export const BULK_UNMARKED = 'Device.DeviceInfo.UpTime';

/** A well-mixed 32-bit hash of n and a salt: facts independent of each other and of the serial order. */
function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Deterministic, so that runs compare: device n's facts. */
export function bulkDevice(n: number, now: number) {
  const productClass = BULK_PRODUCT_CLASSES[mix(n, 1) % BULK_PRODUCT_CLASSES.length]!;
  const serialNumber = `SN${n.toString().padStart(9, '0')}`;
  return {
    id: encodeDeviceId({ oui: '00D09E', productClass, serialNumber }),
    productClass,
    serialNumber,
    softwareVersion: BULK_VERSIONS[mix(n, 2) % BULK_VERSIONS.length]!,
    // Spread over the last day, not in key order.
    lastInformAt: now - (mix(n, 3) % 86_400_000),
    ssid: `net-${mix(n, 4) % 50_000}`,
    uptime: String(mix(n, 5) % 1_000_000),
    tags: [...(mix(n, 6) % 100 === 0 ? ['lab'] : []), ...(mix(n, 7) % 10 < 3 ? ['north'] : [])],
  };
}

/** Adds devices `from`..`from + count - 1`; `progress` is called after each transaction. */
export function addBulkDevices(
  path: string,
  count: number,
  progress: (done: number) => void = () => {},
  from = 0,
): void {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF'); // a benchmark's fixture, rebuilt if lost
    db.prepare(
      'INSERT INTO indexed_parameters (pattern, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ).run(BULK_MARKED, Date.now());
    const device = db.prepare(
      `INSERT INTO devices (id, manufacturer, oui, product_class, serial_number, software_version, hardware_version,
         remote_address, first_inform_at, last_inform_at, last_boot_at)
       VALUES (?, 'Bulk', '00D09E', ?, ?, ?, 'HW1', ?, ?, ?, ?)`,
    );
    const parameter = db.prepare(
      `INSERT INTO parameters (device_key, path, value, type, writable, value_at, indexed) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const tag = db.prepare('INSERT INTO device_tags (device_key, tag) VALUES (?, ?)');
    const now = Date.now();
    const batch = db.transaction((start: number, end: number) => {
      for (let n = start; n < end; n++) {
        const d = bulkDevice(n, now);
        const key = Number(
          device.run(
            d.id,
            d.productClass,
            d.serialNumber,
            d.softwareVersion,
            `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            d.lastInformAt - 86_400_000,
            d.lastInformAt,
            d.lastInformAt - 3_600_000,
          ).lastInsertRowid,
        );
        parameter.run(key, BULK_MARKED, d.ssid, 'string', 1, d.lastInformAt, 1);
        parameter.run(key, BULK_UNMARKED, d.uptime, 'unsignedInt', 0, d.lastInformAt, 0);
        parameter.run(
          key,
          'Device.DeviceInfo.SoftwareVersion',
          d.softwareVersion,
          'string',
          0,
          d.lastInformAt,
          0,
        );
        for (const t of d.tags) tag.run(key, t);
      }
    });
    const STEP = 50_000;
    for (let start = from; start < from + count; start += STEP) {
      batch(start, Math.min(start + STEP, from + count));
      progress(Math.min(start + STEP, from + count) - from);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
