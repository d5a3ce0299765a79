import { Buffer } from 'node:buffer';
import { CwmpDecodeError, locate } from '../errors.ts';
import type { WarningCollector } from '../warnings.ts';
import type { DecodeLimits } from './limits.ts';

/** XML 1.0 §2.2 excludes these from Char; quirk 13 says devices send them anyway. */
export const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * One pass over the text as UTF-16 code units: line ends normalised to LF (XML 1.0 §2.11) and forbidden
 * characters replaced by U+FFFD. A typed-array loop rather than `String.replace`, whose cost per match (about
 * 100 ns and tens of bytes) would let 30 MB of `\r` or `\u0002` cost seconds and a gigabyte.
 */
export function sanitizeText(text: string): string {
  const units = new Uint16Array(text.length);
  Buffer.from(units.buffer).write(text, 'utf16le');
  let write = 0;
  let wide = false;
  for (let read = 0; read < units.length; read++) {
    let c = units[read]!;
    if (c < 0x20) {
      if (c === 0x0d) {
        c = 0x0a;
        if (units[read + 1] === 0x0a) read++;
      } else if (c !== 0x09 && c !== 0x0a) {
        c = 0xfffd;
      }
    } else if (c === 0xfffe || c === 0xffff) {
      c = 0xfffd;
    }
    if (c > 0xff) wide = true;
    units[write++] = c;
  }
  if (wide) return Buffer.from(units.buffer, 0, write * 2).toString('utf16le');
  // Keep a Latin-1 message a one-byte string: V8 scans those faster.
  const bytes = new Uint8Array(write);
  bytes.set(units.subarray(0, write));
  return Buffer.from(bytes.buffer).toString('latin1');
}

/**
 * A whole message already decoded to text, made fit to parse. Forbidden characters are replaced by U+FFFD with a
 * warning (lenient and safe: nothing downstream ever sees a NUL or a control character from a device).
 */
export function cleanText(input: string, limits: DecodeLimits, warnings: WarningCollector): string {
  if (input.length > limits.maxBytes) {
    throw new CwmpDecodeError(
      'message-too-large',
      `message of ${input.length} characters exceeds the limit of ${limits.maxBytes}`,
    );
  }
  let s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (!s.isWellFormed()) {
    warnings.add('unpaired-surrogate', 'unpaired UTF-16 surrogates replaced by U+FFFD');
    s = s.toWellFormed();
  }
  const firstForbidden = s.search(FORBIDDEN_CHAR);
  if (firstForbidden !== -1) {
    const code = s.charCodeAt(firstForbidden).toString(16).toUpperCase().padStart(4, '0');
    warnings.add(
      'illegal-xml-character',
      `characters XML 1.0 forbids (such as U+${code}) replaced by U+FFFD`,
      locate(s, firstForbidden),
    );
  }
  // XML 1.0 §2.11 end-of-line handling too; a value's own CR arrives as &#13; and survives.
  if (firstForbidden !== -1 || s.includes('\r')) s = sanitizeText(s);
  return s;
}
