/**
 * Text and attribute escaping for the encoder. Escapes the five metacharacters and never emits a character XML 1.0
 * forbids: controls, U+FFFE/U+FFFF and unpaired surrogates become U+FFFD, since no escape can carry them.
 */
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const METACHARACTERS = /[&<>"']/g;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// \r would be read back as \n (XML end-of-line handling), so it travels as a character reference.
const CARRIAGE_RETURN = /\r/g;

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function replaceMetacharacter(c: string): string {
  return REPLACEMENTS[c]!;
}

export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text) && !text.includes('\r')) return text;
  return text
    .toWellFormed()
    .replace(FORBIDDEN, '\uFFFD')
    .replace(METACHARACTERS, replaceMetacharacter)
    .replace(CARRIAGE_RETURN, '&#13;');
}
