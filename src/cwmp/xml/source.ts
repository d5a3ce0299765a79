import { Buffer } from 'node:buffer';
import { locate, type SourceLocation } from '../errors.ts';

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
  /** The UTF-8 bytes `scan` reads, when some are not ASCII; null when `scan` is the message itself. */
  private readonly bytes: Buffer | null;
  /** For each 32-byte chunk of `bytes`, whether a byte in it is not ASCII (and so must be decoded). */
  private readonly wideChunks: Uint8Array | null;
  private decoded: string | null = null;

  private constructor(scan: string, bytes: Buffer | null, wideChunks: Uint8Array | null) {
    this.scan = scan;
    this.bytes = bytes;
    this.wideChunks = wideChunks;
  }

  static ofText(text: string): XmlSource {
    return new XmlSource(text, null, null);
  }

  /**
   * UTF-8 bytes, already checked valid, when they need none of the text clean-up (no forbidden character, no CR
   * to normalise): otherwise null, and the caller decodes and cleans the text instead.
   */
  static ofCleanUtf8(bytes: Buffer): XmlSource | null {
    const wideChunks = scanForCleanup(bytes);
    if (wideChunks === null) return null;
    const scan = bytes.toString('latin1');
    return wideChunks.length === 0
      ? new XmlSource(scan, null, null)
      : new XmlSource(scan, bytes, wideChunks);
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

  /** The length in scan offsets of `text`, a slice of this source: where an error found inside it lies. */
  scanLength(text: string): number {
    return this.bytes === null ? text.length : Buffer.byteLength(text, 'utf8');
  }

  /** Line and column of a scan offset, as character positions in the message's text. */
  locate(offset: number): SourceLocation {
    if (this.bytes === null) return locate(this.scan, offset);
    this.decoded ??= this.bytes.toString('utf8');
    return locate(this.decoded, this.bytes.toString('utf8', 0, offset).length);
  }
}

/** log2 of the chunk size `wideChunks` records. */
const CHUNK_BITS = 5;

/**
 * One pass over the bytes, four at a time: which 32-byte chunks hold a byte that is not ASCII (an empty array
 * when none does), or null when a byte needs the text clean-up (a control character XML forbids, a CR, or
 * U+FFFE/U+FFFF, whose UTF-8 is EF BF BE/BF).
 */
function scanForCleanup(bytes: Buffer): Uint8Array | null {
  if (bytes.includes(NONCHARACTER_FFFE) || bytes.includes(NONCHARACTER_FFFF)) return null;
  const n = bytes.length;
  const wide = new Uint8Array((n >> CHUNK_BITS) + 1);
  // Bytes one by one up to a 4-byte boundary, then words, then the tail.
  const head = Math.min(n, (4 - (bytes.byteOffset & 3)) & 3);
  let found = classify(bytes, 0, head, wide);
  const words = new Int32Array(bytes.buffer, bytes.byteOffset + head, (n - head) >> 2);
  for (let w = 0; w < words.length && found !== FORBIDDEN; w++) {
    const x = words[w]!;
    // A byte below 0x20 sets its top bit in x - 0x20202020 (a borrow only spreads above such a byte); a byte
    // from 0x80 has it set already.
    if (((x - 0x20202020) | x) & 0x80808080) {
      const at = head + w * 4;
      const inWord = classify(bytes, at, at + 4, wide);
      if (inWord !== 0) found = inWord;
    }
  }
  if (found !== FORBIDDEN) {
    const inTail = classify(bytes, head + words.length * 4, n, wide);
    if (inTail !== 0) found = inTail;
  }
  if (found === FORBIDDEN) return null;
  return found === WIDE ? wide : NO_CHUNKS;
}

const WIDE = 1;
const FORBIDDEN = 2;

/** Marks the chunks of `bytes[from, to)` that hold a byte beyond ASCII; says whether any did, or a byte is forbidden. */
function classify(bytes: Buffer, from: number, to: number, wide: Uint8Array): number {
  let found = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) {
      wide[i >> CHUNK_BITS] = 1;
      found = WIDE;
    } else if (c < 0x20 && c !== 0x0a && c !== 0x09) {
      return FORBIDDEN;
    }
  }
  return found;
}

const NO_CHUNKS = new Uint8Array(0);
const NONCHARACTER_FFFE = Buffer.from([0xef, 0xbf, 0xbe]);
const NONCHARACTER_FFFF = Buffer.from([0xef, 0xbf, 0xbf]);
