/**
 * What makes one simulated device itself among its fleet: serial number, ACS URL and credentials, Connection
 * Request URL and credentials. Only parameters the profile's data model has are set; everything else stays the
 * template's (and costs nothing per device).
 */
import type { DeviceTemplate } from '../model/template.ts';

export interface IdentityOptions {
  serialNumber: string;
  acsUrl: string;
  /** Default: TR-069's usual OUI-ProductClass-SerialNumber. */
  acsUsername?: string;
  /** Default: the profile's. */
  acsPassword?: string;
  connectionRequestUrl?: string;
  /** Default: `cr-<serial>`. */
  connectionRequestUsername?: string;
  connectionRequestPassword?: string;
  /** Any other values, by full path. */
  extra?: Readonly<Record<string, string>>;
}

/** `<prefix><n>`, n zero-padded to `width` digits: CRL00000001. */
export function serialNumber(prefix: string, n: number, width = 8): string {
  return `${prefix}${String(n).padStart(width, '0')}`;
}

export function deviceIdentity(
  template: DeviceTemplate,
  o: IdentityOptions,
): Record<string, string> {
  const root = template.model.root;
  const has = (path: string) => template.model.parameter(path) !== undefined;
  const value = (path: string) => template.value(path) ?? '';
  const info = `${root}DeviceInfo.`;
  const ms = `${root}ManagementServer.`;
  const out: Record<string, string> = {};
  const set = (path: string, v: string | undefined) => {
    if (v !== undefined && has(path)) out[path] = v;
  };
  set(`${info}SerialNumber`, o.serialNumber);
  set(`${ms}URL`, o.acsUrl);
  const defaultUser = [
    value(`${info}ManufacturerOUI`),
    value(`${info}ProductClass`),
    o.serialNumber,
  ]
    .filter((s) => s !== '')
    .join('-');
  set(`${ms}Username`, o.acsUsername ?? defaultUser);
  set(`${ms}Password`, o.acsPassword);
  set(`${ms}ConnectionRequestURL`, o.connectionRequestUrl);
  set(`${ms}ConnectionRequestUsername`, o.connectionRequestUsername ?? `cr-${o.serialNumber}`);
  set(`${ms}ConnectionRequestPassword`, o.connectionRequestPassword);
  for (const [path, v] of Object.entries(o.extra ?? {})) set(path, v);
  return out;
}
