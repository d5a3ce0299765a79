import type { XmlNode } from '../xml/document.ts';
import type { XmlWriter } from '../xml/writer.ts';
import type { DecodeContext, EncodeOptions } from './field.ts';
import { type Fields, StructField, type StructType } from './struct.ts';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** One RPC element of the Body: its method name and its arguments. */
export class MessageSchema<N extends string, F extends Fields> {
  readonly method: N;
  readonly body: StructField<F>;

  constructor(method: N, fields: F) {
    this.method = method;
    this.body = new StructField(method, fields);
  }

  decode(el: XmlNode, ctx: DecodeContext): MessageOf<this> {
    return { method: this.method, ...this.body.decodeElement(el, ctx) } as MessageOf<this>;
  }

  /** Writes the arguments only; the envelope writes the `cwmp:Method` element around them. */
  encodeArguments(message: StructType<F>, out: XmlWriter, options: EncodeOptions): void {
    this.body.writeMembers(message, out, options);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: matches a schema of any fields
export type AnyMessageSchema = MessageSchema<string, any>;

/** The message type a schema describes: `{ method: 'Inform', DeviceId: …, Event: …, … }`. */
export type MessageOf<S> =
  S extends MessageSchema<infer N, infer F> ? Simplify<{ method: N } & StructType<F>> : never;

export function message<N extends string, F extends Fields>(
  method: N,
  fields: F,
): MessageSchema<N, F> {
  return new MessageSchema(method, fields);
}
