import type { DecodeErrorCode } from '../errors.ts';
import { transformInBlocks } from './blocks.ts';

export interface EntityError {
  code: DecodeErrorCode;
  message: string;
  /** Offset of the offending reference within the decoded string. */
  index: number;
}

const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};
/** A reference is at most "&#x10FFFF;": anything longer is not one, however it ends. */
const MAX_REFERENCE_LENGTH = 10;

class EntityFailure extends Error {
  constructor(readonly detail: EntityError) {
    super(detail.message);
  }
}

/**
 * Replace the five predefined entities and character references. Any other entity is undefined (there is no DTD)
 * and so an error. A reference to a character XML forbids (quirk 13: `&#2;`) becomes U+FFFD, as a raw one does,
 * and `onForbidden` is told so that the caller can warn.
 */
export function decodeEntities(raw: string, onForbidden: () => void): string | EntityError {
  try {
    return transformInBlocks(
      raw,
      (block, offset) => decodeBlock(block, offset, onForbidden),
      endOutsideReference,
    );
  } catch (error) {
    if (error instanceof EntityFailure) return error.detail;
    throw error;
  }
}

/** Never cut a block inside a reference: move the cut to its `&`. */
function endOutsideReference(text: string, end: number): number {
  const amp = text.lastIndexOf('&', end - 1);
  if (amp === -1 || amp < end - MAX_REFERENCE_LENGTH) return end;
  const semi = text.indexOf(';', amp);
  return semi === -1 || semi >= end ? amp : end;
}

function decodeBlock(raw: string, offset: number, onForbidden: () => void): string {
  let out = '';
  let from = 0;
  const failAt = (index: number, code: DecodeErrorCode, message: string): never => {
    throw new EntityFailure({ code, message, index: offset + index });
  };
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > MAX_REFERENCE_LENGTH)
      failAt(amp, 'xml-syntax', 'unterminated entity reference');
    const name = raw.slice(amp + 1, semi);
    let replacement: string | undefined;
    if (name.charCodeAt(0) === 0x23 /* # */) {
      const isHex = name.charCodeAt(1) === 0x78; /* x */
      const digits = name.slice(isHex ? 2 : 1);
      if (!(isHex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) {
        failAt(amp, 'xml-syntax', `malformed character reference "&${name};"`);
      }
      const codePoint = Number.parseInt(digits, isHex ? 16 : 10);
      if (isXmlChar(codePoint)) {
        replacement = String.fromCodePoint(codePoint);
      } else {
        onForbidden();
        replacement = '\uFFFD';
      }
    } else {
      replacement = PREDEFINED[name];
      if (replacement === undefined) {
        failAt(
          amp,
          'undefined-entity',
          `undefined entity "&${name.slice(0, 20)};" (only the five predefined entities exist without a DTD)`,
        );
      }
    }
    out += raw.slice(from, amp) + replacement;
    from = semi + 1;
  }
  return out + raw.slice(from);
}

/** XML 1.0 §2.2 Char. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}
