import { readDateTime, UNKNOWN_TIME } from '../datetime.ts';
import { CwmpDecodeError, type DecodeErrorCode } from '../errors.ts';
import {
  formatBoolean,
  readBoolean,
  readInt,
  readUnsignedInt,
  type ValueResult,
} from '../values.ts';
import type { WarningCollector } from '../warnings.ts';
import { NO_NODE, type XmlDocument, type XmlNode } from '../xml/document.ts';
import type { XmlWriter } from '../xml/writer.ts';

/**
 * The building blocks message schemas are written with. A schema is data: one Field per argument, and the same
 * Field decodes the element, encodes the value and gives the TypeScript type (`FieldType<F>`), so decoder, encoder
 * and types cannot drift apart.
 */

export interface DecodeContext {
  readonly warnings: WarningCollector;
  readonly doc: XmlDocument;
}

export interface EncodeOptions {
  /** Quirk 1: some CPEs reject `true`/`false` and want `1`/`0`. */
  booleanStyle: 'word' | 'digit';
}

export abstract class Field<T> {
  /** Set by `optional()`: an absent element is `undefined`, not a warning or an error. */
  readonly isOptional: boolean = false;

  /** Read this field, named `name`, from among `parent`'s children. */
  abstract read(parent: XmlNode, name: string, ctx: DecodeContext): T;
  abstract write(value: T, name: string, out: XmlWriter, options: EncodeOptions): void;
  /**
   * `read`, when the caller has already found `el`, the first child of `parent` named `name`: fields read from that
   * one element skip the search.
   */
  readFound(_el: XmlNode, parent: XmlNode, name: string, ctx: DecodeContext): T {
    return this.read(parent, name, ctx);
  }
  /** Does `parent` carry this field at all? (Repeated fields may appear zero or many times.) */
  isPresent(parent: XmlNode, name: string, ctx: DecodeContext): boolean {
    return ctx.doc.child(parent, name) !== NO_NODE;
  }
}

export type FieldType<F> = F extends Field<infer T> ? T : never;

export function fail(
  code: DecodeErrorCode,
  message: string,
  ctx: DecodeContext,
  el: XmlNode,
): never {
  throw new CwmpDecodeError(code, message, whereIs(ctx, el));
}

export function warn(ctx: DecodeContext, code: string, el: XmlNode, message: () => string): void {
  ctx.warnings.add(code, message, () => whereIs(ctx, el));
}

function whereIs(ctx: DecodeContext, el: XmlNode) {
  return { ...ctx.doc.locate(el), path: ctx.doc.path(el) };
}

/**
 * A leaf: its text, parsed. Missing, empty or malformed, it takes `fallback` with a warning (devices omit arguments
 * they think useless, and garble some), unless the field is essential: then the message cannot be used and
 * decoding fails. A receiver that must be strict (a CPE checking the ACS's arguments) looks at the warnings.
 */
export abstract class Scalar<T> extends Field<T> {
  protected abstract readonly typeName: string;
  protected abstract readonly fallback: T;
  protected essential = false;
  /** Set by `maxLength()`: longer text refuses the message (the XSD's bound, security.md: uncapped fields). */
  protected maxChars = Number.POSITIVE_INFINITY;

  /** Set by `required()`: a message without a usable value here is refused. */
  get isRequired(): boolean {
    return this.essential;
  }

  protected abstract parse(text: string): T | undefined;
  protected abstract format(value: T, options: EncodeOptions): string;

  read(parent: XmlNode, name: string, ctx: DecodeContext): T {
    const el = ctx.doc.child(parent, name);
    if (el === NO_NODE) return this.missing(parent, name, ctx, 'missing');
    return this.decodeElement(el, ctx);
  }

  override readFound(el: XmlNode, _parent: XmlNode, _name: string, ctx: DecodeContext): T {
    return this.decodeElement(el, ctx);
  }

  decodeElement(el: XmlNode, ctx: DecodeContext): T {
    const text = ctx.doc.text(el);
    if (text.length > this.maxChars) {
      return fail(
        'field-too-long',
        `${ctx.doc.local(el)} is ${text.length} characters long; at most ${this.maxChars} are allowed`,
        ctx,
        el,
      );
    }
    // Text that starts with printable ASCII is not blank: trim only what might be.
    const first = text.charCodeAt(0);
    const blank = text.length === 0 || ((first <= 0x20 || first >= 0x7f) && text.trim() === '');
    // An essential string that is blank is as unusable as a missing one (an Inform with an empty SerialNumber).
    if (blank && this.essential) return this.missing(el, ctx.doc.local(el), ctx, 'empty');
    const value = this.parse(text);
    if (value !== undefined) return value;
    if (blank) return this.missing(el, ctx.doc.local(el), ctx, 'empty');
    if (this.essential)
      return fail('invalid-field', `"${clip(text)}" is not a valid ${this.typeName}`, ctx, el);
    // A real dump has `<Writable>30</Writable>` in one of 227 entries: losing the whole response would be worse.
    warn(
      ctx,
      'invalid-argument',
      el,
      () =>
        `${ctx.doc.path(el)} is "${clip(text)}", not a valid ${this.typeName}; taken as ${JSON.stringify(this.fallback)}`,
    );
    return this.fallback;
  }

  private missing(el: XmlNode, name: string, ctx: DecodeContext, why: 'missing' | 'empty'): T {
    const where = why === 'missing' ? `${ctx.doc.path(el)}/${name}` : ctx.doc.path(el);
    if (this.essential) {
      return fail('missing-field', `required argument ${name} is ${why}`, ctx, el);
    }
    warn(
      ctx,
      `${why}-argument`,
      el,
      () => `argument ${where} is ${why}; taken as ${JSON.stringify(this.fallback)}`,
    );
    return this.fallback;
  }

  write(value: T, name: string, out: XmlWriter, options: EncodeOptions): void {
    out.leaf(name, this.format(value, options));
  }

  /** The same field, but a message without it is refused instead of defaulted. */
  required(): this {
    const copy = this.copy();
    copy.essential = true;
    return copy;
  }

  /** The same field, refusing a message whose text here is longer than `chars`. */
  maxLength(chars: number): this {
    const copy = this.copy();
    copy.maxChars = chars;
    return copy;
  }

  /**
   * A copy of the same class and own properties. Not Object.create(this): every such object gets a hidden class
   * of its own, which makes each property access in the decoder a megamorphic lookup.
   */
  private copy(): this {
    return Object.assign(Object.create(Object.getPrototypeOf(this)), this) as this;
  }
}

class StringField extends Scalar<string> {
  protected readonly typeName: string = 'string';
  protected readonly fallback: string = '';
  protected parse(text: string): string | undefined {
    return text;
  }
  protected format(value: string): string {
    return value;
  }
}

/**
 * Text kept as sent (TR-069 dateTimes are too varied in the wild to coerce here; read them with readDateTime), but
 * checked, so a malformed one is reported (quirk 12: `2019-03-05T11:54::14`, no time zone).
 */
class DateTimeField extends StringField {
  protected override readonly typeName: string = 'dateTime';
  protected override readonly fallback: string = UNKNOWN_TIME;
  protected override parse(text: string): string | undefined {
    const trimmed = text.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  override decodeElement(el: XmlNode, ctx: DecodeContext): string {
    const value = super.decodeElement(el, ctx);
    const checked = readDateTime(value);
    if (!checked.ok) {
      const reason = checked.error.reason;
      warn(
        ctx,
        'invalid-datetime',
        el,
        () => `${ctx.doc.path(el)} "${clip(value)}": ${reason}; kept as sent`,
      );
    } else if (checked.warning !== undefined) {
      const note = checked.warning;
      warn(ctx, 'nonstandard-datetime', el, () => `${ctx.doc.path(el)} "${clip(value)}": ${note}`);
    }
    return value;
  }
}

/** Integers through the value readers of values.ts, so the codec and the data model agree on every edge. */
class IntegerField extends Scalar<number> {
  protected readonly fallback = 0;
  constructor(
    protected readonly typeName: string,
    private readonly reader: (raw: string) => ValueResult<number>,
  ) {
    super();
  }
  protected parse(text: string): number | undefined {
    const result = this.reader(text);
    return result.ok ? result.value : undefined;
  }
  protected format(value: number): string {
    return String(value);
  }
}

class BooleanField extends Scalar<boolean> {
  protected readonly typeName = 'boolean';
  protected readonly fallback = false;
  protected parse(text: string): boolean | undefined {
    // The common spellings first: this runs once per entry of a 20,000-entry GetParameterNamesResponse.
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    const result = readBoolean(text);
    return result.ok ? result.value : undefined;
  }
  protected format(value: boolean, options: EncodeOptions): string {
    return formatBoolean(value, options.booleanStyle);
  }
}

// The leaf fields are typed as Scalar, the exported contract, not as their (module-private) classes: a schema
// built from them then has a nameable type, which declaration emit (the package's .d.ts) needs.
export const string: Scalar<string> = new StringField();
export const dateTime: Scalar<string> = new DateTimeField();
export const int: Scalar<number> = new IntegerField('int', readInt);
export const unsignedInt: Scalar<number> = new IntegerField('unsignedInt', readUnsignedInt);
export const boolean: Scalar<boolean> = new BooleanField();

class OptionalField<T> extends Field<T | undefined> {
  override readonly isOptional = true;
  constructor(private readonly inner: Field<T>) {
    super();
  }
  read(parent: XmlNode, name: string, ctx: DecodeContext): T | undefined {
    return this.inner.isPresent(parent, name, ctx) ? this.inner.read(parent, name, ctx) : undefined;
  }
  override readFound(el: XmlNode, parent: XmlNode, name: string, ctx: DecodeContext): T {
    return this.inner.readFound(el, parent, name, ctx);
  }
  write(value: T | undefined, name: string, out: XmlWriter, options: EncodeOptions): void {
    if (value !== undefined) this.inner.write(value, name, out, options);
  }
}

/** An argument the schema marks minOccurs="0": absent decodes to `undefined` and is not written. */
export function optional<T>(field: Field<T>): Field<T | undefined> {
  return new OptionalField(field);
}

export function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
