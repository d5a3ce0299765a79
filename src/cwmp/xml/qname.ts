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
 * The names a parse has met. Element names are matched in place, without slicing a new string: first against the
 * name the same place held last time (a struct's members, an array's items come in the same order each time),
 * then against the names seen with the same first character.
 */
export class NameTable {
  private readonly byFirstChar = new Map<number, QName[]>();
  private readonly attributes = new Map<string, QName>();

  constructor(
    private readonly source: XmlSource,
    private readonly refuse: Refuse,
  ) {}

  /**
   * The element name starting at `start`, and the end of the name. `previous` is the sibling just closed (null for
   * a first child), `parent` the enclosing element's name (null for the root).
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
    const source = this.source;
    const s = source.scan;
    const first = s.charCodeAt(start);
    const candidates = this.byFirstChar.get(first);
    if (candidates !== undefined) {
      for (const q of candidates) {
        if (source.matches(start, q) && isNameEnd(s.charCodeAt(start + q.raw.length))) return q;
      }
    }
    let end = start;
    while (!isNameEnd(s.charCodeAt(end))) end++;
    if (end === start) this.refuse('expected an element name after "<"', start - 1);
    const q = this.split(s.slice(start, end), source.slice(start, end), start - 1);
    if (candidates === undefined) this.byFirstChar.set(first, [q]);
    else if (candidates.length < 16) candidates.push(q);
    return q;
  }

  /** Attribute names (as written): few, so a plain map suffices. */
  attribute(name: string, offset: number): QName {
    let q = this.attributes.get(name);
    if (q === undefined) {
      q = this.split(name, name, offset);
      this.attributes.set(name, q);
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
