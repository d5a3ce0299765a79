import { Buffer, isUtf8 } from 'node:buffer';
import { CwmpDecodeError } from '../errors.ts';
import type { WarningCollector } from '../warnings.ts';
import type { DecodeLimits } from './limits.ts';
import { cleanText } from './sanitize.ts';
import { XmlSource } from './source.ts';

const DECLARED_ENCODING = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;

/**
 * A message as the parser reads it. Valid UTF-8 that needs no clean-up, nearly every message, is read in place
 * (XmlSource.ofCleanUtf8); anything else is decoded to text and cleaned first.
 */
export function readMessage(
  input: string | Uint8Array,
  limits: DecodeLimits,
  warnings: WarningCollector,
): XmlSource {
  if (typeof input !== 'string' && input.byteLength <= limits.maxBytes) {
    const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (isUtf8Message(bytes) && isUtf8(bytes)) {
      const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      const source = XmlSource.ofCleanUtf8(hasBom ? bytes.subarray(3) : bytes);
      if (source !== null) return source;
    }
  }
  return XmlSource.ofText(cleanText(decodeText(input, limits, warnings), limits, warnings));
}

/** No UTF-16 byte order mark, and no XML declaration naming another encoding. */
function isUtf8Message(bytes: Buffer): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return false;
  const declared = declaredEncoding(bytes);
  return declared === undefined || UTF8_NAMES.has(declared);
}

const UTF8_NAMES = new Set(['utf-8', 'utf8', 'us-ascii']);

function declaredEncoding(bytes: Buffer): string | undefined {
  return DECLARED_ENCODING.exec(bytes.toString('latin1', 0, 200))?.[1]?.toLowerCase();
}

/**
 * Bytes → text, before any parsing. UTF-8 unless a BOM or the XML declaration says otherwise; invalid UTF-8 is
 * decoded with U+FFFD and a warning rather than refused, since a device's garbled serial number should not cost
 * the whole session.
 */
export function decodeText(
  input: string | Uint8Array,
  limits: DecodeLimits,
  warnings: WarningCollector,
): string {
  if (typeof input === 'string') return input;
  if (input.byteLength > limits.maxBytes) {
    throw new CwmpDecodeError(
      'message-too-large',
      `message of ${input.byteLength} bytes exceeds the limit of ${limits.maxBytes}`,
    );
  }
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);

  const declared = declaredEncoding(bytes);
  if (declared !== undefined && !UTF8_NAMES.has(declared)) {
    try {
      return new TextDecoder(declared).decode(bytes);
    } catch {
      warnings.add(
        'unknown-encoding',
        `unsupported encoding "${declared}" declared; read as UTF-8`,
      );
    }
  }
  if (!isUtf8(bytes))
    warnings.add('invalid-utf8', 'the message is not valid UTF-8; bad bytes replaced by U+FFFD');
  return bytes.toString('utf8');
}
