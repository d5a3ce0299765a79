import { encodeFault } from '../messages/fault.ts';
import type { CwmpMessage } from '../messages/index.ts';
import { SCHEMA_BY_METHOD } from '../messages/index.ts';
import { CWMP_1_0, SOAP_ENCODING_NS, SOAP_ENVELOPE_NS, XSD_NS, XSI_NS } from '../namespaces.ts';
import type { EncodeOptions } from '../schema/field.ts';
import { escapeXml } from '../xml/escape.ts';
import { isNcName } from '../xml/name.ts';
import { XmlWriter } from '../xml/writer.ts';
import type { CwmpEnvelope } from './decode.ts';
import { encodeHeader, hasHeaderFields } from './header.ts';

export type { EncodeOptions };

const DEFAULT_ENCODE_OPTIONS: EncodeOptions = { booleanStyle: 'word' };

/** The envelope to encode; the namespace defaults to cwmp-1-0 and the header to none. */
export interface EnvelopeToEncode<M extends CwmpMessage = CwmpMessage> {
  cwmpNamespace?: string;
  header?: CwmpEnvelope['header'];
  body: M;
}

/** Encode one message as a CWMP SOAP envelope (UTF-8 text; conventional prefixes; one RPC element in the Body). */
export function encodeEnvelope(
  envelope: EnvelopeToEncode,
  options: Partial<EncodeOptions> = {},
): string {
  const opts = { ...DEFAULT_ENCODE_OPTIONS, ...options };
  const out = new XmlWriter();
  out.raw('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.open(
    'soap-env:Envelope',
    `xmlns:soap-env="${SOAP_ENVELOPE_NS}" xmlns:soap-enc="${SOAP_ENCODING_NS}" xmlns:xsd="${XSD_NS}" ` +
      `xmlns:xsi="${XSI_NS}" xmlns:cwmp="${escapeXml(envelope.cwmpNamespace ?? CWMP_1_0)}"`,
  );
  if (envelope.header && hasHeaderFields(envelope.header)) encodeHeader(envelope.header, out, opts);
  out.open('soap-env:Body');
  encodeBody(envelope.body, out, opts);
  out.close('soap-env:Body');
  out.close('soap-env:Envelope');
  return out.toString();
}

function encodeBody(body: CwmpMessage, out: XmlWriter, options: EncodeOptions): void {
  if (body.method === 'Fault') {
    encodeFault(body, out, options);
    return;
  }
  const name = body.method === 'UnknownMethod' ? body.Name : body.method;
  if (!isNcName(name)) throw new TypeError(`"${name}" is not a valid method name`);
  out.open(`cwmp:${name}`);
  SCHEMA_BY_METHOD.get(name)?.encodeArguments(body as never, out, options);
  out.close(`cwmp:${name}`);
}
