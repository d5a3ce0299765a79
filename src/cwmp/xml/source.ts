import { Buffer } from 'node:buffer';
import { locate, type SourceLocation } from '../errors.ts';
import { borrowZeroedUint8, returnUint8 } from './scratch.ts';

/**
 * The text of a message as the parser scans it. Either the message itself, or, for UTF-8 bytes, their Latin-1
 * reading: one character per byte, made by a copy rather than a decode (Node 20 decodes UTF-8 at about
 * 300 MB/s, a third of a whole parse). Markup is ASCII, which reads the same either way and never occurs inside
 * a multi-byte sequence, so the parser scans both alike; what it hands out (names, values, text) goes through
 * `slice`, which decodes the UTF-8 where there is any. Offsets are then byte offsets, turned into character
 * offsets only when an error or warning is located.
 */
export class XmlSource {
  /** The text the parser scans. */
  readonly scan: string;
  /** The UTF-8 bytes `scan` is the Latin-1 reading of, and a view to read them by words; null for text. */
  private readonly bytes: Buffer | null;
  private readonly utf8: DataView | null;
  /** For each 32-byte chunk of `utf8`, whether a byte in it is not ASCII; null when none is. */
  private wideChunks: Uint8Array | null;
  private decoded: string | null = null;

  private constructor(scan: string, bytes: Buffer | null, wideChunks: Uint8Array | null) {
    this.scan = scan;
    this.bytes = bytes;
    this.utf8 = bytes && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.wideChunks = wideChunks;
  }

  static ofText(text: string): XmlSource {
    return new XmlSource(text, null, null);
  }

  /**
   * UTF-8 bytes, already checked valid, when they need none of the text clean-up (no forbidden character, no CR
   * to normalise): otherwise null, and the caller decodes and cleans the text instead.
   */
  static ofCleanUtf8(message: Uint8Array): XmlSource | null {
    // Uint8Array in the signature: the public codec's types must not need Node's (a consumer without @types/node).
    const bytes = Buffer.isBuffer(message)
      ? message
      : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    const wideChunks = scanForCleanup(bytes);
    if (wideChunks === undefined) return null;
    return new XmlSource(latin1Reading(bytes), bytes, wideChunks);
  }

  /** The message's text between two scan offsets (which must fall on markup, never inside a character). */
  slice(start: number, end: number): string {
    const wide = this.wideChunks;
    if (wide !== null) {
      const last = (end - 1) >> CHUNK_BITS;
      for (let chunk = start >> CHUNK_BITS; chunk <= last; chunk++) {
        if (wide[chunk] === 1) return this.bytes!.toString('utf8', start, end);
      }
    }
    return this.scan.slice(start, end);
  }

  /**
   * "true" or "false" when that is the text between two scan offsets, without making a new string of it: every
   * entry of a large GetParameterNamesResponse has one, and each string made is work for the garbage collector.
   */
  booleanWord(start: number, end: number): 'true' | 'false' | undefined {
    const s = this.scan;
    const c = s.charCodeAt(start);
    if (end - start === 4 && c === 0x74 && s.startsWith('rue', start + 1)) return 'true';
    if (end - start === 5 && c === 0x66 && s.startsWith('alse', start + 1)) return 'false';
    return undefined;
  }

  /**
   * Does the scan read `name` at `offset`? Four bytes at a time where there are bytes: names are compared at
   * every start and end tag, and String.startsWith costs about twice as much.
   */
  matches(offset: number, name: ScanName): boolean {
    const view = this.utf8;
    const words = name.words;
    const last = words.length - 1;
    if (view === null || offset + 4 * words.length > view.byteLength) {
      return this.scan.startsWith(name.raw, offset);
    }
    for (let i = 0; i < last; i++) {
      if (view.getInt32(offset + 4 * i, true) !== words[i]) return false;
    }
    return (view.getInt32(offset + 4 * last, true) & name.lastMask) === words[last];
  }

  /** Hand the chunk map back for the next message (see XmlDocument.release). */
  release(): void {
    if (this.wideChunks !== null) returnUint8(this.wideChunks);
    this.wideChunks = null;
  }

  /** The length in scan offsets of `text`, a slice of this source: where an error found inside it lies. */
  scanLength(text: string): number {
    return this.wideChunks === null ? text.length : Buffer.byteLength(text, 'utf8');
  }

  /** Line and column of a scan offset, as character positions in the message's text. */
  locate(offset: number): SourceLocation {
    if (this.wideChunks === null) return locate(this.scan, offset);
    const bytes = this.bytes!;
    this.decoded ??= bytes.toString('utf8');
    return locate(this.decoded, bytes.toString('utf8', 0, offset).length);
  }
}

/** A name in the form `XmlSource.matches` compares: its scan text, and that text as little-endian 32-bit words. */
export interface ScanName {
  raw: string;
  words: Int32Array;
  /** Which bytes of the last word belong to the name. */
  lastMask: number;
}

/** `raw` must be scan text: characters below U+0100 when the source is bytes (otherwise words are unused). */
export function scanName(raw: string): ScanName {
  const words = new Int32Array((raw.length + 3) >> 2);
  for (let i = 0; i < raw.length; i++) {
    words[i >> 2]! |= (raw.charCodeAt(i) & 0xff) << ((i & 3) * 8);
  }
  const rest = raw.length & 3;
  return { raw, words, lastMask: rest === 0 ? -1 : (1 << (rest * 8)) - 1 };
}

/** Node makes a Latin-1 string of at least this many bytes outside the heap (EXTERN_APEX in string_bytes.cc). */
const EXTERNAL_STRING_BYTES = 0xfbee9 + 1;
/** A string larger than this goes to V8's large-object space, which costs milliseconds per string here. */
const LARGE_STRING_BYTES = 128 * 1024;

/**
 * The bytes as a Latin-1 string. A large message short of Node's external threshold is padded up to it and the
 * string sliced back to size (a slice of an external string is a view, not a copy): 0.8 ms for 750 kB against
 * 4 ms for a string of its own.
 */
function latin1Reading(bytes: Buffer): string {
  if (bytes.length <= LARGE_STRING_BYTES || bytes.length >= EXTERNAL_STRING_BYTES) {
    return bytes.toString('latin1');
  }
  const padded = Buffer.allocUnsafe(EXTERNAL_STRING_BYTES);
  bytes.copy(padded);
  return padded.toString('latin1').slice(0, bytes.length);
}

/** log2 of the chunk size `wideChunks` records. */
const CHUNK_BITS = 5;

/**
 * One pass over the bytes, four at a time: which 32-byte chunks hold a byte that is not ASCII (null when none
 * does), or undefined when a byte needs the text clean-up (a control character XML forbids, a CR, or
 * U+FFFE/U+FFFF, whose UTF-8 is EF BF BE/BF).
 */
function scanForCleanup(bytes: Buffer): Uint8Array | null | undefined {
  const n = bytes.length;
  let wide: Uint8Array | null = null;
  /** Classifies `bytes[from, to)`, marking its wide chunks; false if a byte is forbidden. */
  const check = (from: number, to: number): boolean => {
    let found = classify(bytes, from, to, wide);
    if (found === WIDE && wide === null) {
      wide = borrowZeroedUint8((n >> CHUNK_BITS) + 1);
      found = classify(bytes, from, to, wide);
    }
    return found !== FORBIDDEN;
  };
  // Bytes one by one up to a 4-byte boundary, then words, then the tail.
  const head = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3);
  if (!check(0, head)) return undefined;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, (n - head) >> 2);
  // Two words per step: one test for eight bytes, nearly always passed.
  let w = 0;
  for (; w + 1 < words.length; w += 2) {
    const x = words[w]!;
    const y = words[w + 1]!;
    // A byte below 0x20 sets its top bit in x - 0x20202020 (a borrow only spreads above such a byte); a byte
    // from 0x80 has it set already.
    if (((x - 0x20202020) | x | (y - 0x20202020) | y) & 0x80808080) {
      if (!check(head + w * 4, head + w * 4 + 8)) return undefined;
    }
  }
  if (w < words.length && !check(head + w * 4, head + w * 4 + 4)) return undefined;
  if (!check(head + words.length * 4, n)) return undefined;
  return wide;
}

const WIDE = 1;
const FORBIDDEN = 2;

/** Marks the chunks of `bytes[from, to)` that hold a byte beyond ASCII; says whether any did, or a byte is forbidden. */
function classify(bytes: Buffer, from: number, to: number, wide: Uint8Array | null): number {
  let found = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) {
      // U+FFFE and U+FFFF, which XML forbids: EF BF BE and EF BF BF.
      if (c === 0xef && bytes[i + 1] === 0xbf && (bytes[i + 2]! & 0xfe) === 0xbe) return FORBIDDEN;
      if (wide === null) return WIDE;
      wide[i >> CHUNK_BITS] = 1;
      found = WIDE;
    } else if (c < 0x20 && c !== 0x0a && c !== 0x09) {
      return FORBIDDEN;
    }
  }
  return found;
}
