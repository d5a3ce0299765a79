import { isNcName } from './name.ts';
import { type ScanName, scanName, type XmlSource } from './source.ts';

/** A qualified name, split and checked once per distinct name: CWMP repeats a handful of names thousands of times. */
export class QName implements ScanName {
  readonly raw: string;
  readonly words: Int32Array;
  readonly lastMask: number;
  /** The document name id this QName resolved to, valid while the bindings generation is `generation`. */
  nameId = -1;
  generation = -1;
  /** The element name that came after this one, as its next sibling, last time: most likely to again. */
  nextSibling: QName | null = null;
  /** The name of this element's first child last time. */
  firstChild: QName | null = null;

  constructor(
    raw: string,
    /** As written in the message. */
    readonly name: string,
    readonly prefix: string,
    readonly local: string,
  ) {
    const scan = scanName(raw);
    this.raw = raw;
    this.words = scan.words;
    this.lastMask = scan.lastMask;
  }
}

export function isNameEnd(c: number): boolean {
  return (
    c <= 0x20 || c === 0x3e /* > */ || c === 0x2f /* / */ || c === 0x3d /* = */ || Number.isNaN(c)
  );
}

/** Reports an invalid name; never returns. */
type Refuse = (message: string, offset: number) => never;

/**
 * Names met so far, kept from one message to the next: every Inform spells the same few dozen, and splitting and
 * checking them afresh was a sixth of decoding one. Element names are kept only when ASCII, since those read the
 * same in text and in bytes (see XmlSource); and only so many, so that a device inventing names cannot grow it.
 */
const byFirstChar = new Map<number, QName[]>();
const attributeNames = new Map<string, QName>();
let keptNames = 0;
const MAX_KEPT_NAMES = 1024;
/** Per first character: past a few, a name is cheaper to split again than to look for among many. */
const MAX_PER_FIRST_CHAR = 16;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * A fresh value for a parse's namespace bindings generation (QName.generation). Drawn from one counter, so that a
 * name id cached by an earlier parse never passes for one of this parse.
 */
let generations = 0;
export function newGeneration(): number {
  return ++generations;
}

/**
 * The names of one parse. Element names are matched in place, without slicing a new string: first against the
 * name the same place held last time (a struct's members, an array's items come in the same order each time),
 * then against the names seen with the same first character.
 */
export class NameTable {
  /** Names this parse met that are not kept across messages (not ASCII, or no room left). */
  private ownByFirstChar: Map<number, QName[]> | null = null;
  private ownAttributes: Map<string, QName> | null = null;

  constructor(
    private readonly source: XmlSource,
    private readonly refuse: Refuse,
  ) {}

  /**
   * The element name starting at `start`. `previous` is the sibling just closed (null for a first child), `parent`
   * the enclosing element's name (null for the root).
   */
  element(start: number, previous: QName | null, parent: QName | null): QName {
    const source = this.source;
    const s = source.scan;
    const expected = previous !== null ? previous.nextSibling : parent?.firstChild;
    if (
      expected != null &&
      source.matches(start, expected) &&
      isNameEnd(s.charCodeAt(start + expected.raw.length))
    ) {
      return expected;
    }
    const q = this.lookUp(start);
    if (previous !== null) previous.nextSibling = q;
    else if (parent !== null) parent.firstChild = q;
    return q;
  }

  private lookUp(start: number): QName {
    const s = this.source.scan;
    const first = s.charCodeAt(start);
    const kept = byFirstChar.get(first);
    const own = this.ownByFirstChar?.get(first);
    const found = this.match(start, kept) ?? this.match(start, own);
    if (found !== undefined) return found;
    let end = start;
    while (!isNameEnd(s.charCodeAt(end))) end++;
    if (end === start) this.refuse('expected an element name after "<"', start - 1);
    const q = this.split(s.slice(start, end), this.source.slice(start, end), start - 1);
    if (
      keptNames < MAX_KEPT_NAMES &&
      ASCII.test(q.raw) &&
      (kept?.length ?? 0) < MAX_PER_FIRST_CHAR
    ) {
      if (kept === undefined) byFirstChar.set(first, [q]);
      else kept.push(q);
      keptNames++;
    } else if (own === undefined) {
      this.ownByFirstChar ??= new Map();
      this.ownByFirstChar.set(first, [q]);
    } else if (own.length < MAX_PER_FIRST_CHAR) {
      own.push(q);
    }
    return q;
  }

  private match(start: number, candidates: QName[] | undefined): QName | undefined {
    if (candidates === undefined) return undefined;
    const source = this.source;
    for (const q of candidates) {
      if (source.matches(start, q) && isNameEnd(source.scan.charCodeAt(start + q.raw.length))) {
        return q;
      }
    }
    return undefined;
  }

  /** Attribute names (as written): few, so a plain map suffices. */
  attribute(name: string, offset: number): QName {
    let q = attributeNames.get(name) ?? this.ownAttributes?.get(name);
    if (q === undefined) {
      q = this.split(name, name, offset);
      if (keptNames < MAX_KEPT_NAMES) {
        attributeNames.set(name, q);
        keptNames++;
      } else {
        this.ownAttributes ??= new Map();
        this.ownAttributes.set(name, q);
      }
    }
    return q;
  }

  private split(raw: string, name: string, offset: number): QName {
    const colon = name.indexOf(':');
    const prefix = colon === -1 ? '' : name.slice(0, colon);
    const local = colon === -1 ? name : name.slice(colon + 1);
    if (!isNcName(local) || (colon !== -1 && !isNcName(prefix))) {
      this.refuse(`invalid name "${truncate(name)}"`, offset);
    }
    return new QName(raw, name, prefix, local);
  }
}

export function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
