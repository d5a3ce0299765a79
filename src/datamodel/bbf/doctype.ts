/**
 * The one DTD feature BBF data-model files use: tr-106-types.xml declares a few internal general entities
 * (`<!ENTITY octet "(25[0-5]|…)">`) to shorten its patterns. The codec's XML parser refuses every DOCTYPE, as a
 * SOAP parser must, so this pre-pass takes the DOCTYPE out and expands those entities itself, accepting only what
 * is safe: internal general entities whose text has no markup, referring only to entities declared before them,
 * with bounded expansion. External subsets, external or parameter entities are refused, never fetched.
 */
import { DataModelLoadError } from '../load-error.ts';

const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const ENTITY_REF = new RegExp(`&(${NAME});`, 'g');
/** No single entity may expand beyond this many characters. */
const MAX_ENTITY_LENGTH = 64 * 1024;

function fail(message: string, text: string, at: number): never {
  const line = text.slice(0, at).split('\n').length;
  throw new DataModelLoadError('doctype', message, { line });
}

/** Offset of a `<!DOCTYPE` in the prolog (after the XML declaration, comments, PIs), or -1. */
function findDoctype(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end === -1) return -1;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i);
      if (end === -1) return -1;
      i = end + 3;
    } else {
      return text.startsWith('<!DOCTYPE', i) ? i : -1;
    }
  }
}

function expand(value: string, entities: ReadonlyMap<string, string>): string {
  return value.replace(ENTITY_REF, (ref, name: string) => entities.get(name) ?? ref);
}

/**
 * The text with its DOCTYPE blanked out (newlines kept, so line numbers still match) and its internal entities
 * expanded. Text without a DOCTYPE comes back unchanged. Throws DataModelLoadError('doctype').
 */
export function expandInternalEntities(
  text: string,
  maxLength = text.length * 2 + (1 << 20),
): string {
  const start = findDoctype(text);
  if (start === -1) return text;
  const open = text.indexOf('[', start);
  const close = text.indexOf('>', start);
  if (close === -1) fail('unterminated DOCTYPE', text, start);
  const header = text.slice(start, open === -1 || open > close ? close : open);
  if (/\b(SYSTEM|PUBLIC)\b/.test(header))
    fail('DOCTYPE with an external subset: refused', text, start);
  const entities = new Map<string, string>();
  let end = close + 1;
  if (open !== -1 && open < close) {
    let i = open + 1;
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (i >= text.length) fail('unterminated DOCTYPE internal subset', text, start);
      if (text[i] === ']') {
        const gt = text.indexOf('>', i);
        if (gt === -1 || text.slice(i + 1, gt).trim() !== '')
          fail('malformed DOCTYPE end', text, i);
        end = gt + 1;
        break;
      }
      if (text.startsWith('<!--', i)) {
        const e = text.indexOf('-->', i);
        if (e === -1) fail('unterminated comment in DOCTYPE', text, i);
        i = e + 3;
        continue;
      }
      const decl = new RegExp(`^<!ENTITY\\s+(${NAME})\\s+(?:"([^"]*)"|'([^']*)')\\s*>`).exec(
        text.slice(i, i + MAX_ENTITY_LENGTH),
      );
      if (decl === null) {
        fail(
          'only internal general entity declarations are accepted in a DOCTYPE (no parameter or external entities, no element declarations)',
          text,
          i,
        );
      }
      const [whole, name, dq, sq] = decl;
      const raw = dq ?? sq ?? '';
      if (raw.includes('<')) fail(`entity ${name} contains markup: refused`, text, i);
      const value = expand(raw, entities);
      if (value.length > MAX_ENTITY_LENGTH) fail(`entity ${name} expands too far`, text, i);
      // The first declaration of a name binds (XML 1.0 §4.2).
      if (!entities.has(name!)) entities.set(name!, value);
      i += whole.length;
    }
  }
  const blank = text.slice(start, end).replace(/[^\n]/g, '');
  const body = text.slice(end);
  let length = start + blank.length + body.length;
  const expanded = body.replace(ENTITY_REF, (ref, name: string) => {
    const v = entities.get(name);
    if (v === undefined) return ref;
    length += v.length - ref.length;
    if (length > maxLength) fail('entity expansion makes the document too large', text, start);
    return v;
  });
  return text.slice(0, start) + blank + expanded;
}
