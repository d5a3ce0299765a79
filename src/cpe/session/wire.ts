/**
 * How a device writes its messages on the wire, and the quirks real devices show (vendor-quirks.md) that a
 * simulated one can be told to reproduce: booleans as 1/0 (item 1), another SOAP envelope prefix (item 5), another
 * CWMP namespace (item 4), and deliberately malformed messages to test an ACS's error paths.
 */
import {
  type CwmpEnvelope,
  type CwmpMessage,
  encodeEnvelope,
  type ParameterValue,
} from '../../cwmp/index.ts';

export interface WireStyle {
  /** `digit`: booleans as 1/0, parameter values included (TP-Link TD-W9970 style). Default `word`. */
  booleanStyle?: 'word' | 'digit';
  /** The SOAP envelope prefix; default `soap-env`. E.g. `SOAP-ENV`, `soapenv`, `soap`. */
  soapPrefix?: string;
  /** URL values declared `xsd:unsignedInt` (item 11, Cisco femto style): a wrong type, not a legal variation. */
  urlsAsUnsignedInt?: boolean;
}

const PREFIX = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Encodes a message in the device's style. */
export function encodeMessage(envelope: CwmpEnvelope, style: WireStyle = {}): string {
  let body = style.booleanStyle === 'digit' ? withDigitBooleans(envelope.body) : envelope.body;
  if (style.urlsAsUnsignedInt === true) body = withMistypedUrls(body);
  let xml = encodeEnvelope(
    { cwmpNamespace: envelope.cwmpNamespace, header: envelope.header, body },
    { booleanStyle: style.booleanStyle ?? 'word' },
  );
  const prefix = style.soapPrefix;
  if (prefix !== undefined && prefix !== 'soap-env') {
    if (!PREFIX.test(prefix)) throw new TypeError(`"${prefix}" is not an XML prefix`);
    // Only markup carries the prefix: text and attribute values are escaped and never hold `<soap-env:`.
    xml = xml
      .replaceAll('<soap-env:', `<${prefix}:`)
      .replaceAll('</soap-env:', `</${prefix}:`)
      .replaceAll('xmlns:soap-env=', `xmlns:${prefix}=`)
      .replaceAll(' soap-env:mustUnderstand=', ` ${prefix}:mustUnderstand=`);
  }
  return xml;
}

/** A message cut short: not well-formed XML (the ACS should answer 400 and end the session). */
export function malformed(xml: string): string {
  return xml.slice(0, Math.max(1, Math.floor(xml.length * 0.6)));
}

function withDigitBooleans(body: CwmpMessage): CwmpMessage {
  if (!('ParameterList' in body) || !Array.isArray(body.ParameterList)) return body;
  const list = body.ParameterList as unknown[];
  if (!list.every(isParameterValue)) return body;
  return {
    ...body,
    ParameterList: list.map((p) =>
      p.type === 'boolean' && (p.value === 'true' || p.value === 'false')
        ? { ...p, value: p.value === 'true' ? '1' : '0' }
        : p,
    ),
  } as CwmpMessage;
}

function withMistypedUrls(body: CwmpMessage): CwmpMessage {
  if (!('ParameterList' in body) || !Array.isArray(body.ParameterList)) return body;
  const list = body.ParameterList as unknown[];
  if (!list.every(isParameterValue)) return body;
  return {
    ...body,
    ParameterList: list.map((p) =>
      /^https?:\/\//.test(p.value) ? { ...p, type: 'unsignedInt' } : p,
    ),
  } as CwmpMessage;
}

function isParameterValue(v: unknown): v is ParameterValue {
  return typeof v === 'object' && v !== null && 'name' in v && 'value' in v && 'type' in v;
}
