import { CwmpDecodeError, type DecodeErrorCode } from '../errors.ts';
import type { WarningCollector } from '../warnings.ts';
import { NO_NODE, XmlDocument, type XmlNode } from './document.ts';
import { decodeEntities } from './entities.ts';
import type { DecodeLimits } from './limits.ts';
import { isNcName } from './name.ts';
import { isNameEnd, NameTable, newGeneration, type QName, truncate } from './qname.ts';
import { cleanText } from './sanitize.ts';
import { XmlSource } from './source.ts';

/**
 * A non-validating XML parser for the subset SOAP allows: elements, attributes, namespaces, character data,
 * CDATA, comments and processing instructions. No DTD of any kind (SOAP 1.1 §3 forbids one), so no entity but the
 * five predefined ones and character references. Single forward pass with indexOf over the text: time linear in
 * the input, memory bounded by the limits.
 */

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

// Character codes the scanner compares against.
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOSTROPHE = 0x27;

// XML 1.0 §2.2 Char excludes these; quirk 13 says devices send them anyway.
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Parse a whole message already decoded to text (cleaned first: see cleanText). */
export function parseXml(
  input: string,
  limits: DecodeLimits,
  warnings: WarningCollector,
): XmlDocument {
  return parseSource(XmlSource.ofText(cleanText(input, limits, warnings)), limits, warnings);
}

/** Parse a message as readMessage gives it. */
export function parseSource(
  source: XmlSource,
  limits: DecodeLimits,
  warnings: WarningCollector,
): XmlDocument {
  return new Parser(source, limits, warnings).parse();
}

class Parser {
  private readonly s: string;
  private readonly source: XmlSource;
  private readonly limits: DecodeLimits;
  private pos = 0;
  private elementCount = 0;
  /** Current prefix → namespace bindings; `undo` restores them when an element that declared some closes. */
  private readonly bindings = new Map<string, string>([['xml', XML_NAMESPACE]]);
  private readonly undo: Array<[prefix: string, previous: string | undefined]> = [];
  /** Bumped whenever the bindings change, so QNames can cache what they resolved to. */
  private generation = newGeneration();
  private readonly doc: XmlDocument;
  /** The open elements, `depth` of them (written in place rather than pushed and popped, once per element). */
  private depth = 0;
  private readonly stack: XmlNode[] = [];
  private readonly qnames: QName[] = [];
  private readonly declarationCounts: number[] = [];
  /** The innermost open element and its name (NO_NODE and null outside the root). */
  private top: XmlNode = NO_NODE;
  private topName: QName | null = null;
  private readonly names: NameTable;
  /** The element just closed, while its next sibling may follow; null at the start of a parent's content. */
  private previous: QName | null = null;
  private root: XmlNode = NO_NODE;
  private nextAmpersand = 0;

  constructor(
    source: XmlSource,
    limits: DecodeLimits,
    private readonly warnings: WarningCollector,
  ) {
    this.source = source;
    this.s = source.scan;
    this.limits = limits;
    this.doc = new XmlDocument(source);
    this.names = new NameTable(source, (message, offset) =>
      this.fail('xml-syntax', message, offset),
    );
  }

  parse(): XmlDocument {
    const s = this.s;
    for (;;) {
      // Tags often follow one another directly: look before searching.
      const lt = s.charCodeAt(this.pos) === LT ? this.pos : s.indexOf('<', this.pos);
      const textEnd = lt === -1 ? s.length : lt;
      if (textEnd > this.pos) this.characterData(this.pos, textEnd);
      if (lt === -1) break;
      const next = s.charCodeAt(lt + 1);
      if (next === SLASH) this.closeTag(lt);
      else if (next === BANG) this.markupDeclaration(lt);
      else if (next === QUESTION) this.processingInstruction(lt);
      else this.openTag(lt);
    }
    if (this.depth > 0) {
      this.fail(
        'xml-syntax',
        `element <${this.topName!.name}> is never closed`,
        this.doc.offset(this.top),
      );
    }
    if (this.root === NO_NODE) {
      const isBlank = WHITESPACE_ONLY.test(s);
      this.fail(
        isBlank ? 'empty-message' : 'xml-syntax',
        isBlank ? 'the message is empty' : 'no root element',
        0,
      );
    }
    return this.doc;
  }

  private fail(code: DecodeErrorCode, message: string, offset: number): never {
    throw new CwmpDecodeError(code, message, this.source.locate(offset));
  }

  private characterData(start: number, end: number): void {
    const top = this.top;
    this.pos = end;
    if (top === NO_NODE) {
      if (!WHITESPACE_ONLY.test(this.s.slice(start, end)))
        this.fail('xml-syntax', 'text outside the root element', start);
      return;
    }
    // One cursor for the next '&' in the whole message: searching afresh from each text would be quadratic.
    if (this.nextAmpersand !== -1 && this.nextAmpersand < start)
      this.nextAmpersand = this.s.indexOf('&', start);
    const amp = this.nextAmpersand;
    if (amp === -1 || amp >= end) this.doc.appendSourceText(top, start, end);
    else this.doc.appendDecodedText(top, this.entities(this.source.slice(start, end), start));
  }

  private entities(raw: string, offset: number): string {
    const result = decodeEntities(raw, () =>
      this.warnings.add(
        'illegal-xml-character',
        'character references to characters XML 1.0 forbids (such as &#0;) replaced by U+FFFD',
        () => this.source.locate(offset),
      ),
    );
    if (typeof result === 'string') return result;
    const before = this.source.scanLength(raw.slice(0, result.index));
    return this.fail(result.code, result.message, offset + before);
  }

  private markupDeclaration(lt: number): void {
    const s = this.s;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end === -1) this.fail('xml-syntax', 'unterminated comment', lt);
      this.pos = end + 3;
    } else if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      if (end === -1) this.fail('xml-syntax', 'unterminated CDATA section', lt);
      const top = this.top;
      if (top === NO_NODE) this.fail('xml-syntax', 'CDATA outside the root element', lt);
      this.doc.appendDecodedText(top, this.source.slice(lt + 9, end));
      this.pos = end + 3;
    } else if (s.startsWith('<!DOCTYPE', lt) || s.startsWith('<!ENTITY', lt)) {
      // Refused where it stands, before anything in it is read: a DTD is how XXE, billion-laughs and
      // quadratic-blowup attacks get in, and SOAP 1.1 forbids one.
      this.fail(
        'doctype-forbidden',
        'document type declarations are not allowed in SOAP messages',
        lt,
      );
    } else {
      this.fail('xml-syntax', 'markup declarations are not allowed', lt);
    }
  }

  private processingInstruction(lt: number): void {
    const end = this.s.indexOf('?>', lt + 2);
    if (end === -1) this.fail('xml-syntax', 'unterminated processing instruction', lt);
    this.pos = end + 2;
  }

  private readName(start: number): number {
    const s = this.s;
    let p = start;
    while (!isNameEnd(s.charCodeAt(p))) p++;
    return p;
  }

  private resolve(prefix: string, offset: number): string {
    const ns = this.bindings.get(prefix);
    if (ns !== undefined) return ns;
    if (prefix === '') return '';
    return this.fail(
      'unbound-prefix',
      `namespace prefix "${truncate(prefix)}" is not declared`,
      offset,
    );
  }

  private openTag(lt: number): void {
    const s = this.s;
    if (this.root !== NO_NODE && this.depth === 0) {
      this.fail('xml-syntax', 'more than one root element', lt);
    }
    if (this.depth >= this.limits.maxDepth) {
      this.fail('depth-exceeded', `elements nest deeper than ${this.limits.maxDepth}`, lt);
    }
    if (++this.elementCount > this.limits.maxElements) {
      this.fail('too-many-elements', `more than ${this.limits.maxElements} elements`, lt);
    }
    const name = this.names.element(lt + 1, this.previous, this.topName);
    const rawName = name.raw;
    const nameEnd = lt + 1 + rawName.length;

    let p = nameEnd;
    let pending: Array<{ prefix: string; local: string; value: string }> | null = null;
    let declarations = 0;
    let attributeCount = 0;
    let selfClosing = false;
    for (;;) {
      const before = p;
      let c = s.charCodeAt(p);
      while (isSpace(c)) c = s.charCodeAt(++p);
      if (c === GT) {
        p++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(p + 1) !== GT) this.fail('xml-syntax', 'expected ">" after "/"', p);
        selfClosing = true;
        p += 2;
        break;
      }
      if (Number.isNaN(c))
        this.fail('xml-syntax', `unterminated start tag <${truncate(name.name)}>`, lt);
      if (p === before) this.fail('xml-syntax', 'attributes must be separated by white space', p);
      if (++attributeCount > this.limits.maxAttributes) {
        this.fail(
          'too-many-attributes',
          `more than ${this.limits.maxAttributes} attributes on one element`,
          p,
        );
      }
      const attrStart = p;
      p = this.readName(p);
      if (p === attrStart) this.fail('xml-syntax', 'expected an attribute name', p);
      const attrName = this.source.slice(attrStart, p);
      c = s.charCodeAt(p);
      while (isSpace(c)) c = s.charCodeAt(++p);
      if (c !== EQUALS)
        this.fail('xml-syntax', `attribute "${truncate(attrName)}" has no value`, p);
      c = s.charCodeAt(++p);
      while (isSpace(c)) c = s.charCodeAt(++p);
      if (c !== QUOTE && c !== APOSTROPHE)
        this.fail('xml-syntax', 'attribute values must be quoted', p);
      const valueEnd = s.indexOf(c === QUOTE ? '"' : "'", p + 1);
      if (valueEnd === -1) this.fail('xml-syntax', 'unterminated attribute value', p);
      let value = this.source.slice(p + 1, valueEnd);
      if (value.includes('<'))
        this.fail('xml-syntax', '"<" is not allowed in an attribute value', p);
      if (value.includes('&')) value = this.entities(value, p + 1);
      p = valueEnd + 1;

      if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
        const prefix = attrName === 'xmlns' ? '' : attrName.slice(6);
        if (prefix !== '' && !isNcName(prefix))
          this.fail('xml-syntax', `invalid prefix "${truncate(prefix)}"`, attrStart);
        this.undo.push([prefix, this.bindings.get(prefix)]);
        this.generation = newGeneration();
        if (value === '' && prefix !== '') this.bindings.delete(prefix);
        else this.bindings.set(prefix, value);
        declarations++;
      } else {
        const q = this.names.attribute(attrName, attrStart);
        pending ??= [];
        for (const a of pending) {
          if (a.prefix === q.prefix && a.local === q.local) {
            this.fail('xml-syntax', `duplicate attribute "${truncate(attrName)}"`, attrStart);
          }
        }
        pending.push({ prefix: q.prefix, local: q.local, value });
      }
    }

    const parent = this.top;
    if (name.generation !== this.generation) {
      name.nameId = this.doc.nameId(this.resolve(name.prefix, lt), name.local);
      name.generation = this.generation;
    }
    const node = this.doc.addElement(name.nameId, parent, lt);
    if (parent === NO_NODE) this.root = node;
    if (pending !== null) {
      for (const a of pending) {
        this.doc.addAttribute(
          node,
          { ns: a.prefix === '' ? '' : this.resolve(a.prefix, lt), local: a.local },
          a.value,
        );
      }
    }
    this.pos = p;
    if (selfClosing) {
      this.previous = name;
      this.restoreBindings(declarations);
    } else {
      this.previous = null;
      const depth = this.depth++;
      this.stack[depth] = node;
      this.qnames[depth] = name;
      this.declarationCounts[depth] = declarations;
      this.top = node;
      this.topName = name;
    }
  }

  private closeTag(lt: number): void {
    const s = this.s;
    if (this.depth === 0) this.fail('xml-syntax', 'end tag without a start tag', lt);
    const depth = --this.depth;
    const open = this.qnames[depth]!;
    const qname = open.name;
    this.top = depth === 0 ? NO_NODE : this.stack[depth - 1]!;
    this.topName = depth === 0 ? null : this.qnames[depth - 1]!;
    let p = lt + 2 + open.raw.length;
    if (!this.source.matches(lt + 2, open) || !isNameEnd(s.charCodeAt(p))) {
      const found = this.source.slice(lt + 2, this.readName(lt + 2));
      this.fail(
        'xml-syntax',
        `end tag </${truncate(found)}> does not match <${truncate(qname)}>`,
        lt,
      );
    }
    let c = s.charCodeAt(p);
    while (isSpace(c)) c = s.charCodeAt(++p);
    if (c !== GT) this.fail('xml-syntax', `malformed end tag </${truncate(qname)}>`, lt);
    this.pos = p + 1;
    this.previous = open;
    this.restoreBindings(this.declarationCounts[depth]!);
  }

  private restoreBindings(count: number): void {
    if (count > 0) this.generation = newGeneration();
    for (let i = 0; i < count; i++) {
      const [prefix, previous] = this.undo.pop()!;
      if (previous === undefined) this.bindings.delete(prefix);
      else this.bindings.set(prefix, previous);
    }
  }
}
