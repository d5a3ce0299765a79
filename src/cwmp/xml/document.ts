/**
 * A parsed message as flat arrays rather than one object per element. A 20,000-entry GetParameterNamesResponse
 * has 60,000 elements; as objects they all survive until decoding ends and the garbage collector copies every one
 * of them, which took a third of the decode time. Here an element is an index into one Int32Array, its text two
 * offsets into the source, sliced only when a field reads it.
 */

import type { SourceLocation } from '../errors.ts';
import { borrowInt32, returnInt32 } from './scratch.ts';
import type { XmlSource } from './source.ts';

/** An element: an index into the document. */
export type XmlNode = number;
export const NO_NODE = -1;

// Layout of one element's record in `records`.
const NAME = 0;
const PARENT = 1;
const FIRST_CHILD = 2;
const LAST_CHILD = 3;
const NEXT_SIBLING = 4;
const CHILD_COUNT = 5;
const OFFSET = 6;
const TEXT_START = 7;
const TEXT_END = 8;
const ATTRIBUTES = 9;
const ATTRIBUTE_COUNT = 10;
const STRIDE = 11;

/** Text that is not one plain slice of the source (entities, CDATA, several chunks) is kept decoded here. */
const COMPLEX_TEXT = -2;

export interface XmlName {
  ns: string;
  local: string;
}

const EMPTY = new Int32Array(0);

export class XmlDocument {
  private readonly source: XmlSource;
  private records: Int32Array;
  private count = 0;
  private readonly names: XmlName[] = [];
  private readonly complexText = new Map<XmlNode, string>();
  private readonly attributeNames: XmlName[] = [];
  private readonly attributeValues: string[] = [];

  constructor(source: XmlSource) {
    this.source = source;
    // About one element per 40 characters in CWMP messages; growing by doubling covers the rest.
    this.records = borrowInt32(STRIDE * Math.max(16, Math.min(source.scan.length >> 5, 1 << 16)));
  }

  get size(): number {
    return this.count;
  }

  /** The root element: the first one added. */
  get root(): XmlNode {
    return this.count > 0 ? 0 : NO_NODE;
  }

  // --- Building (the parser's side) ---

  /**
   * Record a (namespace, local name) pair; elements store its id. The parser calls this once per distinct name and
   * namespace binding (it caches the id), so no lookup is needed here: a rare duplicate entry costs nothing.
   */
  nameId(ns: string, local: string): number {
    this.names.push({ ns, local });
    return this.names.length - 1;
  }

  addElement(nameId: number, parent: XmlNode, offset: number): XmlNode {
    const node = this.count++;
    if ((node + 1) * STRIDE > this.records.length) {
      const grown = new Int32Array(this.records.length * 2);
      grown.set(this.records);
      this.records = grown;
    }
    const r = this.records;
    const base = node * STRIDE;
    r[base + NAME] = nameId;
    r[base + PARENT] = parent;
    r[base + FIRST_CHILD] = NO_NODE;
    r[base + LAST_CHILD] = NO_NODE;
    r[base + NEXT_SIBLING] = NO_NODE;
    r[base + CHILD_COUNT] = 0;
    r[base + OFFSET] = offset;
    r[base + TEXT_START] = 0;
    r[base + TEXT_END] = 0;
    r[base + ATTRIBUTES] = 0;
    r[base + ATTRIBUTE_COUNT] = 0;
    if (parent !== NO_NODE) {
      const p = parent * STRIDE;
      if (r[p + FIRST_CHILD] === NO_NODE) {
        r[p + FIRST_CHILD] = node;
        // CWMP has no mixed content: whatever text a container held is layout, not data.
        this.clearText(parent);
      } else {
        r[r[p + LAST_CHILD]! * STRIDE + NEXT_SIBLING] = node;
      }
      r[p + LAST_CHILD] = node;
      r[p + CHILD_COUNT]!++;
    }
    return node;
  }

  addAttribute(node: XmlNode, name: XmlName, value: string): void {
    const base = node * STRIDE;
    if (this.records[base + ATTRIBUTE_COUNT] === 0)
      this.records[base + ATTRIBUTES] = this.attributeValues.length;
    this.records[base + ATTRIBUTE_COUNT]!++;
    this.attributeNames.push(name);
    this.attributeValues.push(value);
  }

  /** A raw chunk of character data, `source[start, end)`, with no entity in it. */
  appendSourceText(node: XmlNode, start: number, end: number): void {
    const base = node * STRIDE;
    if (this.records[base + FIRST_CHILD] !== NO_NODE) return;
    if (this.records[base + TEXT_START] === this.records[base + TEXT_END]) {
      this.records[base + TEXT_START] = start;
      this.records[base + TEXT_END] = end;
    } else {
      this.appendDecodedText(node, this.source.slice(start, end));
    }
  }

  appendDecodedText(node: XmlNode, text: string): void {
    const base = node * STRIDE;
    if (this.records[base + FIRST_CHILD] !== NO_NODE) return;
    this.complexText.set(node, this.text(node) + text);
    this.records[base + TEXT_START] = COMPLEX_TEXT;
    this.records[base + TEXT_END] = 0;
  }

  private clearText(node: XmlNode): void {
    const base = node * STRIDE;
    if (this.records[base + TEXT_START] === COMPLEX_TEXT) this.complexText.delete(node);
    this.records[base + TEXT_START] = 0;
    this.records[base + TEXT_END] = 0;
  }

  /**
   * Hand the document's arrays back for the next message. Nothing may read the document afterwards: only the
   * envelope decoder, which owns its documents from parse to result, calls this.
   */
  release(): void {
    returnInt32(this.records);
    this.records = EMPTY;
    this.count = 0;
    this.source.release();
  }

  // --- Reading (the decoder's side) ---

  ns(node: XmlNode): string {
    return this.names[this.records[node * STRIDE + NAME]!]!.ns;
  }

  local(node: XmlNode): string {
    return this.names[this.records[node * STRIDE + NAME]!]!.local;
  }

  parent(node: XmlNode): XmlNode {
    return this.records[node * STRIDE + PARENT]!;
  }

  firstChild(node: XmlNode): XmlNode {
    return this.records[node * STRIDE + FIRST_CHILD]!;
  }

  nextSibling(node: XmlNode): XmlNode {
    return this.records[node * STRIDE + NEXT_SIBLING]!;
  }

  childCount(node: XmlNode): number {
    return this.records[node * STRIDE + CHILD_COUNT]!;
  }

  /** Offset of the start tag in the scanned source (see XmlSource). */
  offset(node: XmlNode): number {
    return this.records[node * STRIDE + OFFSET]!;
  }

  /** Where the element's start tag is in the message: offset, line and column in characters. */
  locate(node: XmlNode): SourceLocation {
    return this.source.locate(this.offset(node));
  }

  /** The element's character data (meaningful for leaves: containers' layout whitespace is dropped). */
  text(node: XmlNode): string {
    const base = node * STRIDE;
    const start = this.records[base + TEXT_START]!;
    if (start === COMPLEX_TEXT) return this.complexText.get(node)!;
    const end = this.records[base + TEXT_END]!;
    return this.source.booleanWord(start, end) ?? this.source.slice(start, end);
  }

  /** The first child with this local name, whatever its namespace (CWMP argument elements are unqualified). */
  child(node: XmlNode, local: string): XmlNode {
    if (node === NO_NODE) return NO_NODE;
    for (let c = this.firstChild(node); c !== NO_NODE; c = this.nextSibling(c)) {
      if (this.local(c) === local) return c;
    }
    return NO_NODE;
  }

  children(node: XmlNode): XmlNode[] {
    const out: XmlNode[] = [];
    for (let c = this.firstChild(node); c !== NO_NODE; c = this.nextSibling(c)) out.push(c);
    return out;
  }

  /** The value of an attribute by local name (and namespace, when given). */
  attribute(node: XmlNode, local: string, ns?: string): string | undefined {
    const base = node * STRIDE;
    const first = this.records[base + ATTRIBUTES]!;
    const end = first + this.records[base + ATTRIBUTE_COUNT]!;
    for (let i = first; i < end; i++) {
      const name = this.attributeNames[i]!;
      if (name.local === local && (ns === undefined || name.ns === ns))
        return this.attributeValues[i];
    }
    return undefined;
  }

  /** `Envelope/Body/Inform/DeviceId`: where an element is, for messages. */
  path(node: XmlNode): string {
    const names: string[] = [];
    for (let n = node; n !== NO_NODE; n = this.parent(n)) names.push(this.local(n));
    return names.reverse().join('/');
  }
}
