import { NO_NODE, type XmlNode } from '../xml/document.ts';
import type { XmlWriter } from '../xml/writer.ts';
import {
  type DecodeContext,
  type EncodeOptions,
  Field,
  type FieldType,
  fail,
  warn,
} from './field.ts';

/** A field that can also decode an element it is handed (an array item, a struct): most can. */
export interface ElementField<T> extends Field<T> {
  decodeElement(el: XmlNode, ctx: DecodeContext): T;
}

/** A hand-written element field whose element must be there: absent, the message cannot be used. */
export abstract class RequiredElementField<T> extends Field<T> implements ElementField<T> {
  abstract decodeElement(el: XmlNode, ctx: DecodeContext): T;

  read(parent: XmlNode, name: string, ctx: DecodeContext): T {
    const el = ctx.doc.child(parent, name);
    if (el === NO_NODE)
      return fail('missing-field', `required argument ${name} is missing`, ctx, parent);
    return this.decodeElement(el, ctx);
  }

  override readFound(el: XmlNode, _parent: XmlNode, _name: string, ctx: DecodeContext): T {
    return this.decodeElement(el, ctx);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a field map holds fields of every value type
export type Fields = Record<string, Field<any>>;

type OptionalKeys<F extends Fields> = {
  [K in keyof F]: undefined extends FieldType<F[K]> ? K : never;
}[keyof F];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type of a struct: optional() fields become optional properties. */
export type StructType<F extends Fields> = Simplify<
  { [K in Exclude<keyof F, OptionalKeys<F>>]: FieldType<F[K]> } & {
    [K in OptionalKeys<F>]?: Exclude<FieldType<F[K]>, undefined>;
  }
>;

/**
 * An XSD sequence. Property names are the element names of the schema (`DeviceId`, `CommandKey`): the language of
 * TR-069, and no mapping to get wrong. Children are matched by local name in any order.
 */
export class StructField<F extends Fields>
  extends Field<StructType<F>>
  implements ElementField<StructType<F>>
{
  private readonly keys: string[];
  /** The fields in order, beside their names: walked once per struct decoded. */
  private readonly members: Array<{ readonly key: string; readonly field: Field<unknown> }>;

  constructor(
    readonly typeName: string,
    readonly fields: F,
  ) {
    super();
    this.keys = Object.keys(fields);
    this.members = this.keys.map((key) => ({ key, field: fields[key]! }));
  }

  read(parent: XmlNode, name: string, ctx: DecodeContext): StructType<F> {
    const el = ctx.doc.child(parent, name);
    if (el !== NO_NODE) return this.decodeElement(el, ctx);
    warn(
      ctx,
      'missing-argument',
      parent,
      () => `argument ${ctx.doc.path(parent)}/${name} is missing`,
    );
    // Decode as if empty, so each member applies its own rule (default with a warning, or refuse if essential).
    return this.decodeMembers(NO_NODE, ctx);
  }

  override readFound(
    el: XmlNode,
    _parent: XmlNode,
    _name: string,
    ctx: DecodeContext,
  ): StructType<F> {
    return this.decodeElement(el, ctx);
  }

  decodeElement(el: XmlNode, ctx: DecodeContext): StructType<F> {
    return this.decodeMembers(this.unwrap(el, ctx), ctx);
  }

  private decodeMembers(el: XmlNode, ctx: DecodeContext): StructType<F> {
    const doc = ctx.doc;
    const value: Record<string, unknown> = {};
    // Devices write members in the schema's order: each is then the next child, found without a search. It is the
    // first child of its name too, since every child passed over was an earlier member's.
    let next = el === NO_NODE ? NO_NODE : doc.firstChild(el);
    for (const { key, field } of this.members) {
      let v: unknown;
      if (next !== NO_NODE && doc.local(next) === key) {
        v = field.readFound(next, el, key, ctx);
        next = doc.nextSibling(next);
      } else {
        v = field.read(el, key, ctx);
      }
      if (v !== undefined) value[key] = v;
    }
    return value as StructType<F>;
  }

  /** Some devices wrap a struct in an element named after its type (`<Fault><FaultStruct>…`): look inside. */
  private unwrap(el: XmlNode, ctx: DecodeContext): XmlNode {
    const doc = ctx.doc;
    if (doc.childCount(el) !== 1 || this.keys.length === 0) return el;
    const only = doc.firstChild(el);
    if (this.keys.some((k) => doc.child(el, k) !== NO_NODE)) return el;
    if (!this.keys.some((k) => doc.child(only, k) !== NO_NODE)) return el;
    warn(
      ctx,
      'wrapped-struct',
      el,
      () => `${doc.path(el)} wraps its ${this.typeName} in <${doc.local(only)}>`,
    );
    return only;
  }

  write(value: StructType<F>, name: string, out: XmlWriter, options: EncodeOptions): void {
    out.open(name);
    this.writeMembers(value, out, options);
    out.close(name);
  }

  writeMembers(value: StructType<F>, out: XmlWriter, options: EncodeOptions): void {
    const record = value as Record<string, unknown>;
    for (const key of this.keys) this.fields[key]!.write(record[key], key, out, options);
  }
}

export function struct<F extends Fields>(typeName: string, fields: F): StructField<F> {
  return new StructField(typeName, fields);
}
