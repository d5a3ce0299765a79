import { CwmpDecodeError, locate } from '../errors.ts';
import { type CwmpMessage, SCHEMA_BY_METHOD } from '../messages/index.ts';
import { cwmpFaultElement, decodeFault } from '../messages/fault.ts';
import { CWMP_1_0, CWMP_1_3_NONSTANDARD, isCwmpNamespace, SOAP_ENVELOPE_NS } from '../namespaces.ts';
import type { DecodeContext } from '../schema/field.ts';
import { type DecodeWarning, WarningCollector } from '../warnings.ts';
import { decodeText } from '../xml/charset.ts';
import type { XmlElement } from '../xml/element.ts';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../xml/limits.ts';
import { parseXml } from '../xml/parse.ts';
import { type CwmpHeader, decodeHeader } from './header.ts';

/** One CWMP SOAP envelope: the namespace it travelled in, its CWMP headers and its single Body element. */
export interface CwmpEnvelope<M extends CwmpMessage = CwmpMessage> {
  /** The CPE's own `urn:dslforum-org:cwmp-1-x`: an ACS answers in it (quirk 4). */
  cwmpNamespace: string;
  header: CwmpHeader;
  body: M;
}

export interface DecodeOptions {
  limits?: Partial<DecodeLimits>;
}

export type DecodeResult =
  | { ok: true; envelope: CwmpEnvelope; warnings: DecodeWarning[] }
  | { ok: false; error: CwmpDecodeError; warnings: DecodeWarning[] };

/**
 * Decode one CWMP message (bytes as received, or text). Never throws for bad input: a message that cannot be
 * used comes back as a typed CwmpDecodeError saying what is wrong and where; quirks that can be tolerated come
 * back as warnings beside the envelope.
 */
export function decodeEnvelope(input: string | Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const limits = options.limits ? { ...DEFAULT_DECODE_LIMITS, ...options.limits } : DEFAULT_DECODE_LIMITS;
  const warnings = new WarningCollector();
  try {
    const text = decodeText(input, limits, warnings);
    const document = parseXml(text, limits, warnings);
    const envelope = decodeSoap(document.root, { warnings, text: document.text });
    return { ok: true, envelope, warnings: warnings.list() };
  } catch (error) {
    if (error instanceof CwmpDecodeError) return { ok: false, error, warnings: warnings.list() };
    throw error;
  }
}

function decodeSoap(root: XmlElement, ctx: DecodeContext): CwmpEnvelope {
  if (root.local !== 'Envelope' || root.ns !== SOAP_ENVELOPE_NS) {
    throw new CwmpDecodeError(
      'not-soap-envelope',
      `the root element is {${root.ns}}${root.local}, not a SOAP 1.1 Envelope`,
      locate(ctx.text, root.offset),
    );
  }
  let headerEl: XmlElement | undefined;
  let bodyEl: XmlElement | undefined;
  for (const c of root.children) {
    if (c.ns !== SOAP_ENVELOPE_NS) continue;
    if (c.local === 'Header') headerEl ??= c;
    else if (c.local === 'Body') bodyEl ??= c;
  }
  if (bodyEl === undefined) {
    throw new CwmpDecodeError('missing-body', 'the Envelope has no SOAP Body', locate(ctx.text, root.offset));
  }
  if (bodyEl.children.length !== 1) {
    throw new CwmpDecodeError(
      'unexpected-body',
      bodyEl.children.length === 0
        ? 'the SOAP Body is empty'
        : `the SOAP Body holds ${bodyEl.children.length} elements; CWMP sends exactly one`,
      { ...locate(ctx.text, bodyEl.offset), path: bodyEl.path() },
    );
  }
  const methodEl = bodyEl.children[0]!;
  const header = headerEl === undefined ? {} : decodeHeader(headerEl, ctx);
  const isFault = methodEl.local === 'Fault' && methodEl.ns === SOAP_ENVELOPE_NS;
  const cwmpNamespace = resolveCwmpNamespace(isFault ? cwmpFaultElement(methodEl) : methodEl, headerEl, ctx);
  return { cwmpNamespace, header, body: isFault ? decodeFault(methodEl, ctx) : decodeRpc(methodEl, ctx) };
}

function decodeRpc(el: XmlElement, ctx: DecodeContext): CwmpMessage {
  const schema = SCHEMA_BY_METHOD.get(el.local);
  if (schema === undefined) {
    ctx.warnings.add('unknown-method', `unknown method ${el.local}`, locate(ctx.text, el.offset));
    return { method: 'UnknownMethod', Name: el.local };
  }
  return schema.decode(el, ctx) as CwmpMessage;
}

/** The CWMP namespace of the message: that of its RPC element, else of its headers (quirk 4, 5). */
function resolveCwmpNamespace(
  methodEl: XmlElement | undefined,
  headerEl: XmlElement | undefined,
  ctx: DecodeContext,
): string {
  const candidates = [methodEl?.ns, ...(headerEl?.children.map((c) => c.ns) ?? [])];
  const found = candidates.find((ns): ns is string => ns !== undefined && isCwmpNamespace(ns));
  if (found === CWMP_1_3_NONSTANDARD) {
    ctx.warnings.add('nonstandard-namespace', `${CWMP_1_3_NONSTANDARD} is not a BBF namespace; read as CWMP 1.4`);
  }
  if (found !== undefined) return found;
  const seen = methodEl?.ns ?? '';
  ctx.warnings.add(
    'unknown-cwmp-namespace',
    `the RPC element's namespace "${seen}" is not a CWMP namespace; read as ${CWMP_1_0}`,
  );
  return seen.startsWith('urn:dslforum-org:cwmp-') ? seen : CWMP_1_0;
}
