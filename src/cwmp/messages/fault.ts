import { repeated } from '../schema/array.ts';
import {
  type DecodeContext,
  type EncodeOptions,
  type FieldType,
  fail,
  optional,
  string,
  unsignedInt,
} from '../schema/field.ts';
import { struct } from '../schema/struct.ts';
import { NO_NODE, type XmlDocument, type XmlNode } from '../xml/document.ts';
import type { XmlWriter } from '../xml/writer.ts';

/** A SOAP 1.1 Fault carrying the CWMP fault detail (cwmp-spec.md §6.1). */

const SetParameterValuesFaultStruct = struct('SetParameterValuesFault', {
  ParameterName: string.required(),
  FaultCode: unsignedInt.required(),
  FaultString: optional(string),
});
export type SetParameterValuesFault = FieldType<typeof SetParameterValuesFaultStruct>;

const CwmpFaultDetail = struct('Fault', {
  FaultCode: unsignedInt.required(),
  FaultString: optional(string),
  /** Only in a fault answering SetParameterValues: one per parameter that could not be set. */
  SetParameterValuesFault: repeated(SetParameterValuesFaultStruct, 'SetParameterValuesFaultStruct'),
});

export type FaultMessage = {
  method: 'Fault';
  /** SOAP faultcode without its prefix: 'Client' (the request was wrong) or 'Server'. */
  faultcode: string;
  faultstring: string;
} & FieldType<typeof CwmpFaultDetail>;

/** The `cwmp:Fault` element inside `detail`, whose namespace is the message's CWMP namespace. */
export function cwmpFaultElement(doc: XmlDocument, fault: XmlNode): XmlNode {
  return doc.child(doc.child(fault, 'detail'), 'Fault');
}

export function decodeFault(el: XmlNode, ctx: DecodeContext): FaultMessage {
  const doc = ctx.doc;
  const detail = cwmpFaultElement(doc, el);
  if (detail === NO_NODE) {
    return fail('missing-field', 'SOAP Fault without a CWMP fault detail (detail/Fault)', ctx, el);
  }
  const textOf = (name: string) => {
    const child = doc.child(el, name);
    return child === NO_NODE ? '' : doc.text(child);
  };
  // A QName: `SOAP-ENV:Client`, or plain `Client` as TR-069's examples write it.
  const faultcode = textOf('faultcode');
  return {
    method: 'Fault',
    faultcode: faultcode.slice(faultcode.lastIndexOf(':') + 1).trim(),
    faultstring: textOf('faultstring'),
    ...CwmpFaultDetail.decodeElement(detail, ctx),
  };
}

export function encodeFault(fault: FaultMessage, out: XmlWriter, options: EncodeOptions): void {
  out.open('soap-env:Fault');
  out.leaf('faultcode', fault.faultcode);
  out.leaf('faultstring', fault.faultstring);
  out.open('detail');
  CwmpFaultDetail.write(fault, 'cwmp:Fault', out, options);
  out.close('detail');
  out.close('soap-env:Fault');
}
