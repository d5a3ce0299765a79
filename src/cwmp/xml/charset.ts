import { Buffer, isUtf8 } from 'node:buffer';
import { CwmpDecodeError } from '../errors.ts';
import type { WarningCollector } from '../warnings.ts';
import type { DecodeLimits } from './limits.ts';

const DECLARED_ENCODING = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;

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

  const declared = DECLARED_ENCODING.exec(bytes.toString('latin1', 0, 200))?.[1]?.toLowerCase();
  if (
    declared !== undefined &&
    declared !== 'utf-8' &&
    declared !== 'utf8' &&
    declared !== 'us-ascii'
  ) {
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
