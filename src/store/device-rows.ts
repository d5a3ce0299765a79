/** The devices table's row, its mapping to a DeviceRecord, and the checks on what is written to it. */
import type { DeviceIdentity, DeviceRecord, InformInput } from './devices.ts';
import { StoreError } from './errors.ts';

export interface DeviceRow {
  key: number;
  id: string;
  manufacturer: string;
  oui: string;
  product_class: string;
  serial_number: string;
  software_version: string | null;
  hardware_version: string | null;
  remote_address: string | null;
  first_inform_at: number;
  last_inform_at: number;
  last_boot_at: number | null;
  last_bootstrap_at: number | null;
}

/** The `devices` columns a DeviceRecord is made of. */
export const DEVICE_COLUMNS = `key, id, manufacturer, oui, product_class, serial_number, software_version,
  hardware_version, remote_address, first_inform_at, last_inform_at, last_boot_at, last_bootstrap_at`;

export const SELECT_DEVICE = `SELECT ${DEVICE_COLUMNS.split(',')
  .map((c) => `d.${c.trim()}`)
  .join(', ')} FROM devices d`;

const MAX_TAG_CHARS = 256;

/** Event codes and CommandKeys are string(64) and string(32) on the wire; hostile devices send more. */
const MAX_EVENT_CHARS = 65_536;

function deviceText(what: string, value: unknown, max = Number.POSITIVE_INFINITY): string {
  if (typeof value !== 'string' || !value.isWellFormed() || value.length > max) {
    const limit = Number.isFinite(max) ? ` of at most ${max} characters` : '';
    throw new StoreError('invalid', 'device', `${what} must be well-formed text${limit}`);
  }
  return value;
}

export function validateIdentity(d: DeviceIdentity): void {
  deviceText('Manufacturer', d?.manufacturer);
  deviceText('OUI', d?.oui);
  deviceText('ProductClass', d?.productClass);
  deviceText('SerialNumber', d?.serialNumber);
}

export function deviceRecordOf(row: DeviceRow, tags: string[]): DeviceRecord {
  return {
    id: row.id,
    manufacturer: row.manufacturer,
    oui: row.oui,
    productClass: row.product_class,
    serialNumber: row.serial_number,
    softwareVersion: row.software_version,
    hardwareVersion: row.hardware_version,
    remoteAddress: row.remote_address,
    firstInformAt: row.first_inform_at,
    lastInformAt: row.last_inform_at,
    lastBootAt: row.last_boot_at,
    lastBootstrapAt: row.last_bootstrap_at,
    tags,
  };
}

export function validTags(tags: readonly string[]): string[] {
  if (!Array.isArray(tags)) throw new StoreError('invalid', 'device', 'tags are a list of strings');
  return tags.map((t) => {
    if (typeof t !== 'string' || t === '' || t.length > MAX_TAG_CHARS || !t.isWellFormed()) {
      throw new StoreError('invalid', 'device', `a tag is 1-${MAX_TAG_CHARS} characters of text`);
    }
    return t;
  });
}

/** An Inform's address and events, checked, and whether it reports a (re)bootstrap or a boot. */
export function informOf(input: InformInput): {
  remote: string | null;
  events: { code: string; commandKey: string }[];
  bootstrap: boolean;
  boot: boolean;
} {
  const remote =
    input.remoteAddress == null
      ? null
      : deviceText('remote address', input.remoteAddress, MAX_EVENT_CHARS);
  const events = (input.events ?? []).map((e) => ({
    code: deviceText('event code', e.code, MAX_EVENT_CHARS),
    commandKey: deviceText('CommandKey', e.commandKey ?? '', MAX_EVENT_CHARS),
  }));
  const bootstrap = events.some((e) => e.code === '0 BOOTSTRAP');
  const boot = events.some((e) => e.code === '1 BOOT');
  return { remote, events, bootstrap, boot };
}
