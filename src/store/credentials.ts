import type { DeviceIdParts } from './device-id.ts';
import type { Secret } from './secret.ts';

/**
 * CPE authentication (security.md item 1) and connection-request credentials (item 10). Passwords — and
 * the whole connection-request pair — are encrypted at rest (item 13). Credentials are keyed by device id,
 * not by device row, so they can be provisioned before the device's first Inform; deleting the device
 * deletes them.
 */
export interface CpeCredential {
  deviceId: string;
  /** In clear at rest: the ACS looks a device up by the Digest username. */
  username: string;
  password: Secret;
  updatedAt: number;
}

export interface ConnectionRequestCredential {
  deviceId: string;
  username: string;
  password: Secret;
  updatedAt: number;
}

/**
 * Which devices a shared bootstrap credential admits. Each non-empty constraint must hold; at least one
 * must be given (a bootstrap credential for everyone is refused). `serialPattern` is a glob: `*` any run,
 * `?` one character, everything else literal (no regular expression: linear time on hostile serials).
 */
export interface AllowList {
  ouis: string[];
  productClasses: string[];
  serialPattern: string | null;
}

export interface BootstrapCredentialInfo {
  username: string;
  allow: AllowList;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface BootstrapCredential extends BootstrapCredentialInfo {
  password: Secret;
}

export interface CredentialStore {
  /** Conflict when another device already uses `username`. */
  setCpe(deviceId: string, credential: { username: string; password: Secret }): Promise<void>;
  getCpe(deviceId: string): Promise<CpeCredential | null>;
  findCpeByUsername(username: string): Promise<CpeCredential | null>;
  deleteCpe(deviceId: string): Promise<boolean>;
  setConnectionRequest(
    deviceId: string,
    credential: { username: string; password: Secret },
  ): Promise<void>;
  getConnectionRequest(deviceId: string): Promise<ConnectionRequestCredential | null>;
  deleteConnectionRequest(deviceId: string): Promise<boolean>;
  /** Create or replace the bootstrap credential with this username. */
  putBootstrap(credential: {
    username: string;
    password: Secret;
    allow: AllowList;
    enabled?: boolean;
  }): Promise<BootstrapCredentialInfo>;
  getBootstrap(username: string): Promise<BootstrapCredential | null>;
  /** Without passwords. */
  listBootstrap(): Promise<BootstrapCredentialInfo[]>;
  deleteBootstrap(username: string): Promise<boolean>;
}

export function isLimited(allow: AllowList): boolean {
  return allow.ouis.length > 0 || allow.productClasses.length > 0 || allow.serialPattern !== null;
}

/** Whether the allow-list admits this device (false for an unlimited list: default deny). */
export function allowListAdmits(allow: AllowList, device: DeviceIdParts): boolean {
  if (!isLimited(allow)) return false;
  if (allow.ouis.length > 0 && !allow.ouis.includes(device.oui)) return false;
  if (allow.productClasses.length > 0 && !allow.productClasses.includes(device.productClass)) {
    return false;
  }
  return allow.serialPattern === null || globMatches(allow.serialPattern, device.serialNumber);
}

/** `*` and `?` glob over code points, in O(pattern × text) at worst (no backtracking blow-up). */
export function globMatches(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
