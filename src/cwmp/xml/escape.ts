import { transformInBlocks } from './blocks.ts';

/**
 * Text and attribute escaping for the encoder. Escapes the five metacharacters and never emits a character XML 1.0
 * forbids: controls, U+FFFE/U+FFFF and unpaired surrogates become U+FFFD, since no escape can carry them.
 */
const NEEDS_WORK = /[&<>"'\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const HAS_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return transformInBlocks(text, escapeBlock, keepSurrogatePairs);
}

/** A block must not end between the two halves of a surrogate pair, or each half would read as unpaired. */
function keepSurrogatePairs(text: string, end: number): number {
  const last = text.charCodeAt(end - 1);
  return last >= 0xd800 && last <= 0xdbff ? end + 1 : end;
}

function escapeBlock(text: string): string {
  if (!text.isWellFormed()) text = text.toWellFormed();
  if (HAS_FORBIDDEN.test(text)) text = text.replace(FORBIDDEN, '\uFFFD');
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    let replacement: string;
    switch (text.charCodeAt(i)) {
      case 0x26:
        replacement = '&amp;';
        break;
      case 0x3c:
        replacement = '&lt;';
        break;
      case 0x3e:
        replacement = '&gt;';
        break;
      case 0x22:
        replacement = '&quot;';
        break;
      case 0x27:
        replacement = '&apos;';
        break;
      case 0x0d:
        // A raw CR would be read back as LF (XML end-of-line handling); a character reference survives.
        replacement = '&#13;';
        break;
      default:
        continue;
    }
    out += text.slice(last, i) + replacement;
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
