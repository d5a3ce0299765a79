import {
  boolean,
  type DecodeContext,
  type EncodeOptions,
  type FieldType,
  optional,
  string,
  unsignedInt,
  warn,
} from '../schema/field.ts';
import { struct } from '../schema/struct.ts';
import { formatBoolean } from '../values.ts';
import { NO_NODE, type XmlNode } from '../xml/document.ts';
import { attribute, type XmlWriter } from '../xml/writer.ts';

/** The SOAP Header elements CWMP defines (cwmp-spec.md §1.2), all in the cwmp namespace. */
const HeaderStruct = struct('Header', {
  /** Opaque (quirk 7: `inform`, `SAGEM_ID_7589`, empty); echoed back in the response. */
  ID: optional(string),
  HoldRequests: optional(boolean),
  /** CWMP 1.3+, in Inform only: seconds the CPE waits for the ACS. */
  SessionTimeout: optional(unsignedInt),
  /** CWMP 1.4, in Inform only: "1.0,1.1,1.2,1.3,1.4". */
  SupportedCWMPVersions: optional(string),
  /** CWMP 1.4, in InformResponse only: the version the ACS chose. */
  UseCWMPVersion: optional(string),
  /** Deprecated before 1.0 was widely deployed; tolerated, never needed (quirk 9). */
  NoMoreRequests: optional(boolean),
});

export type CwmpHeader = FieldType<typeof HeaderStruct>;

const MUST_UNDERSTAND: Readonly<Record<keyof CwmpHeader, '0' | '1'>> = {
  ID: '1',
  HoldRequests: '1',
  SessionTimeout: '0',
  SupportedCWMPVersions: '0',
  UseCWMPVersion: '1',
  NoMoreRequests: '0',
};

export function decodeHeader(header: XmlNode, ctx: DecodeContext): CwmpHeader {
  const doc = ctx.doc;
  for (let c = doc.firstChild(header); c !== NO_NODE; c = doc.nextSibling(c)) {
    if (!(doc.local(c) in MUST_UNDERSTAND) && doc.attribute(c, 'mustUnderstand') === '1') {
      warn(
        ctx,
        'unknown-header',
        c,
        () => `header ${doc.local(c)} is marked mustUnderstand but is not CWMP's; ignored`,
      );
    }
  }
  return HeaderStruct.decodeElement(header, ctx);
}

export function hasHeaderFields(header: CwmpHeader): boolean {
  return Object.values(header).some((v) => v !== undefined);
}

export function encodeHeader(header: CwmpHeader, out: XmlWriter, options: EncodeOptions): void {
  out.open('soap-env:Header');
  for (const key of Object.keys(MUST_UNDERSTAND) as (keyof CwmpHeader)[]) {
    const value = header[key];
    if (value === undefined) continue;
    const text =
      typeof value === 'boolean' ? formatBoolean(value, options.booleanStyle) : String(value);
    out.leaf(`cwmp:${key}`, text, attribute('soap-env:mustUnderstand', MUST_UNDERSTAND[key]));
  }
  out.close('soap-env:Header');
}
