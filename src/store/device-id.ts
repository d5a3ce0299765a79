import { excerpt, StoreError } from './errors.ts';

/**
 * Device ids: `OUI-ProductClass-SerialNumber`, each part escaped so that the id is URL-safe and unambiguous.
 *
 * - Kept as is: ASCII letters, digits and `.` (so an ordinary id reads `00D09E-IGD-AB12345`).
 * - Every other character, `-` and `_` included, is written `_XX` per UTF-8 byte with uppercase hex
 *   (`-` → `_2D`, `_` → `_5F`, NUL → `_00`, `/` → `_2F`, U+202E → `_E2_80_AE`).
 *
 * So the id holds only `[A-Za-z0-9._-]`: it needs no escaping in a URL path, a query string, a file name
 * or HTML. The two unescaped `-` are the separators, so an empty ProductClass (`OUI--SN`) and a ProductClass
 * containing `-` both decode to exactly what the device sent. The id always contains `-`, so it is never
 * `.` or `..`. The encoding is canonical: decoding refuses any other spelling (lowercase hex, an escaped
 * letter), so one device has one id.
 *
 * The parts are untrusted device input of any length; a string that is not well-formed UTF-16 (a lone
 * surrogate, which no XML document can carry) is refused, since it could not be stored losslessly.
 */
export interface DeviceIdParts {
  oui: string;
  productClass: string;
  serialNumber: string;
}

const PLAIN = /^[A-Za-z0-9.]$/;
const CANONICAL = /^(?:[A-Za-z0-9.]|_[0-9A-F]{2})*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function hex(byte: number): string {
  return `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

export function encodeIdPart(text: string): string {
  if (!text.isWellFormed()) {
    throw new StoreError('invalid', 'device', 'a device id part is not well-formed Unicode');
  }
  let out = '';
  for (const ch of text) {
    if (PLAIN.test(ch)) out += ch;
    else for (const byte of encoder.encode(ch)) out += hex(byte);
  }
  return out;
}

function decodeIdPart(part: string): string | undefined {
  if (!CANONICAL.test(part)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < part.length; ) {
    if (part[i] === '_') {
      bytes.push(Number.parseInt(part.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(part.charCodeAt(i));
      i += 1;
    }
  }
  let text: string;
  try {
    text = decoder.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  return encodeIdPart(text) === part ? text : undefined;
}

/** The id of the device the DeviceId struct names. */
export function encodeDeviceId(parts: DeviceIdParts): string {
  return `${encodeIdPart(parts.oui)}-${encodeIdPart(parts.productClass)}-${encodeIdPart(parts.serialNumber)}`;
}

/** The parts of a device id, or undefined when `id` is not a canonical device id. */
export function parseDeviceId(id: string): DeviceIdParts | undefined {
  const parts = id.split('-');
  if (parts.length !== 3) return undefined;
  const [oui, productClass, serialNumber] = parts.map(decodeIdPart);
  if (oui === undefined || productClass === undefined || serialNumber === undefined)
    return undefined;
  return { oui, productClass, serialNumber };
}

/** `parseDeviceId`, throwing a typed `invalid` error for what is not a device id. */
export function decodeDeviceId(id: string): DeviceIdParts {
  const parts = parseDeviceId(id);
  if (parts === undefined) {
    throw new StoreError('invalid', 'device', `not a device id: ${excerpt(id)}`);
  }
  return parts;
}

export function isDeviceId(id: string): boolean {
  return parseDeviceId(id) !== undefined;
}
