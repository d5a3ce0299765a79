import type { XmlElement } from '../xml/element.ts';
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

  read(parent: XmlElement, name: string, ctx: DecodeContext): T[] {
    const el = parent.child(name);
    if (el === undefined) {
      warn(ctx, 'missing-argument', parent, () => `argument ${parent.path()}/${name} is missing; taken as empty`);
      return [];
    }
    return this.decodeElement(el, ctx);
  }

  decodeElement(el: XmlElement, ctx: DecodeContext): T[] {
    const children = el.children;
    const items = new Array<T>(children.length);
    for (let i = 0; i < children.length; i++) items[i] = this.item.decodeElement(children[i]!, ctx);
    const declared = el.attribute('arrayType');
    if (declared !== undefined) {
      const match = ARRAY_COUNT.exec(declared);
      if (match === null || Number(match[1]) !== items.length) {
        warn(ctx, 'array-count-mismatch', el, () => `${el.path()} declares arrayType "${declared}" but has ${items.length} items`);
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

export function array<T>(item: ElementField<T>, itemName: string, arrayType: string): ArrayField<T> {
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

  override isPresent(parent: XmlElement, name: string): boolean {
    return parent.child(name) !== undefined;
  }

  read(parent: XmlElement, name: string, ctx: DecodeContext): T[] {
    const elements = parent.children.filter((c) => c.local === name);
    const first = elements[0];
    if (elements.length === 1 && first !== undefined && this.isArrayWrapper(first)) {
      warn(ctx, 'array-for-repeated', first, () => `${first.path()} is a SOAP array where the schema repeats the element`);
      return first.children.map((c) => this.item.decodeElement(c, ctx));
    }
    return elements.map((e) => this.item.decodeElement(e, ctx));
  }

  private isArrayWrapper(el: XmlElement): boolean {
    if (el.attribute('arrayType') !== undefined) return true;
    return el.children.length > 0 && el.children.every((c) => c.local === this.arrayItemName);
  }

  write(value: T[], name: string, out: XmlWriter, options: EncodeOptions): void {
    for (const v of value) this.item.write(v, name, out, options);
  }
}

export function repeated<T>(item: ElementField<T>, arrayItemName: string): RepeatedField<T> {
  return new RepeatedField(item, arrayItemName);
}
