import { NO_NODE, type XmlNode } from '../xml/document.ts';
import { attribute, type XmlWriter } from '../xml/writer.ts';
import { type DecodeContext, type EncodeOptions, Field, warn } from './field.ts';
import type { ElementField } from './struct.ts';

const ARRAY_COUNT = /\[\s*(\d+)\s*\]\s*$/;

/**
 * A SOAP-encoded array (`<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[3]">`). Items are taken
 * from the children whatever their names, and the declared count is never trusted (quirk 6).
 */
export class ArrayField<T> extends Field<T[]> {
  constructor(
    private readonly item: ElementField<T>,
    private readonly itemName: string,
    /** The arrayType written on encode, without the count: `cwmp:ParameterValueStruct`, `xsd:string`. */
    private readonly arrayType: string,
  ) {
    super();
  }

  read(parent: XmlNode, name: string, ctx: DecodeContext): T[] {
    const el = ctx.doc.child(parent, name);
    if (el === NO_NODE) {
      warn(
        ctx,
        'missing-argument',
        parent,
        () => `argument ${ctx.doc.path(parent)}/${name} is missing; taken as empty`,
      );
      return [];
    }
    return this.decodeElement(el, ctx);
  }

  override readFound(el: XmlNode, _parent: XmlNode, _name: string, ctx: DecodeContext): T[] {
    return this.decodeElement(el, ctx);
  }

  decodeElement(el: XmlNode, ctx: DecodeContext): T[] {
    const doc = ctx.doc;
    const items = new Array<T>(doc.childCount(el));
    let i = 0;
    for (let c = doc.firstChild(el); c !== NO_NODE; c = doc.nextSibling(c))
      items[i++] = this.item.decodeElement(c, ctx);
    const declared = doc.attribute(el, 'arrayType');
    if (declared !== undefined) {
      const match = ARRAY_COUNT.exec(declared);
      if (match === null || Number(match[1]) !== items.length) {
        warn(
          ctx,
          'array-count-mismatch',
          el,
          () => `${doc.path(el)} declares arrayType "${declared}" but has ${items.length} items`,
        );
      }
    }
    return items;
  }

  write(value: T[], name: string, out: XmlWriter, options: EncodeOptions): void {
    out.open(name, attribute('soap-enc:arrayType', `${this.arrayType}[${value.length}]`));
    for (const v of value) this.item.write(v, this.itemName, out, options);
    out.close(name);
  }
}

export function array<T>(
  item: ElementField<T>,
  itemName: string,
  arrayType: string,
): ArrayField<T> {
  return new ArrayField(item, itemName, arrayType);
}

/**
 * An element that simply repeats (XSD maxOccurs="unbounded": ChangeDUState's Operations, DUStateChangeComplete's
 * Results). Some implementations send a SOAP array there instead; that is accepted with a warning.
 */
export class RepeatedField<T> extends Field<T[]> {
  constructor(
    private readonly item: ElementField<T>,
    /** The item element name such a SOAP array would use, e.g. `OpResultStruct`. */
    private readonly arrayItemName: string,
  ) {
    super();
  }

  read(parent: XmlNode, name: string, ctx: DecodeContext): T[] {
    const doc = ctx.doc;
    if (parent === NO_NODE) return [];
    const elements = doc.children(parent).filter((c) => doc.local(c) === name);
    const first = elements[0];
    if (elements.length === 1 && first !== undefined && this.isArrayWrapper(first, ctx)) {
      warn(
        ctx,
        'array-for-repeated',
        first,
        () => `${doc.path(first)} is a SOAP array where the schema repeats the element`,
      );
      return doc.children(first).map((c) => this.item.decodeElement(c, ctx));
    }
    return elements.map((e) => this.item.decodeElement(e, ctx));
  }

  private isArrayWrapper(el: XmlNode, ctx: DecodeContext): boolean {
    const doc = ctx.doc;
    if (doc.attribute(el, 'arrayType') !== undefined) return true;
    const children = doc.children(el);
    return children.length > 0 && children.every((c) => doc.local(c) === this.arrayItemName);
  }

  write(value: T[], name: string, out: XmlWriter, options: EncodeOptions): void {
    for (const v of value) this.item.write(v, name, out, options);
  }
}

export function repeated<T>(item: ElementField<T>, arrayItemName: string): RepeatedField<T> {
  return new RepeatedField(item, arrayItemName);
}
