import { CwmpDecodeError } from '../errors.ts';
import { cwmpFaultElement, decodeFault } from '../messages/fault.ts';
import { type CwmpMessage, SCHEMA_BY_METHOD } from '../messages/index.ts';
import {
  CWMP_1_0,
  CWMP_1_3_NONSTANDARD,
  isCwmpNamespace,
  SOAP_ENVELOPE_NS,
} from '../namespaces.ts';
import type { DecodeContext } from '../schema/field.ts';
import { type DecodeWarning, WarningCollector } from '../warnings.ts';
import { readMessage } from '../xml/charset.ts';
import { NO_NODE, type XmlNode } from '../xml/document.ts';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from '../xml/limits.ts';
import { parseSource } from '../xml/parse.ts';
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
export function decodeEnvelope(
  input: string | Uint8Array,
  options: DecodeOptions = {},
): DecodeResult {
  const limits = options.limits
    ? { ...DEFAULT_DECODE_LIMITS, ...options.limits }
    : DEFAULT_DECODE_LIMITS;
  const warnings = new WarningCollector();
  try {
    const doc = parseSource(readMessage(input, limits, warnings), limits, warnings);
    try {
      const envelope = decodeSoap(doc.root, { warnings, doc });
      return { ok: true, envelope, warnings: warnings.list() };
    } finally {
      // The envelope holds strings only, never the document: its arrays can serve the next message.
      doc.release();
    }
  } catch (error) {
    if (error instanceof CwmpDecodeError) return { ok: false, error, warnings: warnings.list() };
    throw error;
  }
}

function decodeSoap(root: XmlNode, ctx: DecodeContext): CwmpEnvelope {
  const doc = ctx.doc;
  const where = (node: XmlNode) => ({
    ...doc.locate(node),
    path: doc.path(node),
  });
  if (doc.local(root) !== 'Envelope' || doc.ns(root) !== SOAP_ENVELOPE_NS) {
    throw new CwmpDecodeError(
      'not-soap-envelope',
      `the root element is {${doc.ns(root)}}${doc.local(root)}, not a SOAP 1.1 Envelope`,
      where(root),
    );
  }
  let headerEl = NO_NODE;
  let bodyEl = NO_NODE;
  for (let c = doc.firstChild(root); c !== NO_NODE; c = doc.nextSibling(c)) {
    if (doc.ns(c) !== SOAP_ENVELOPE_NS) continue;
    if (doc.local(c) === 'Header' && headerEl === NO_NODE) headerEl = c;
    else if (doc.local(c) === 'Body' && bodyEl === NO_NODE) bodyEl = c;
  }
  if (bodyEl === NO_NODE)
    throw new CwmpDecodeError('missing-body', 'the Envelope has no SOAP Body', where(root));
  const count = doc.childCount(bodyEl);
  if (count !== 1) {
    throw new CwmpDecodeError(
      'unexpected-body',
      count === 0
        ? 'the SOAP Body is empty'
        : `the SOAP Body holds ${count} elements; CWMP sends exactly one`,
      where(bodyEl),
    );
  }
  const methodEl = doc.firstChild(bodyEl);
  const header = headerEl === NO_NODE ? {} : decodeHeader(headerEl, ctx);
  const isFault = doc.local(methodEl) === 'Fault' && doc.ns(methodEl) === SOAP_ENVELOPE_NS;
  const cwmpNamespace = resolveCwmpNamespace(
    isFault ? cwmpFaultElement(doc, methodEl) : methodEl,
    headerEl,
    ctx,
  );
  return {
    cwmpNamespace,
    header,
    body: isFault ? decodeFault(methodEl, ctx) : decodeRpc(methodEl, ctx),
  };
}

function decodeRpc(el: XmlNode, ctx: DecodeContext): CwmpMessage {
  const name = ctx.doc.local(el);
  const schema = SCHEMA_BY_METHOD.get(name);
  if (schema === undefined) {
    ctx.warnings.add('unknown-method', `unknown method ${name}`, ctx.doc.locate(el));
    return { method: 'UnknownMethod', Name: name };
  }
  return schema.decode(el, ctx) as CwmpMessage;
}

/** The CWMP namespace of the message: that of its RPC element, else of its headers (quirk 4, 5). */
function resolveCwmpNamespace(methodEl: XmlNode, headerEl: XmlNode, ctx: DecodeContext): string {
  const doc = ctx.doc;
  const candidates = [methodEl, ...(headerEl === NO_NODE ? [] : doc.children(headerEl))]
    .filter((node) => node !== NO_NODE)
    .map((node) => doc.ns(node));
  const found = candidates.find((ns): ns is string => ns !== undefined && isCwmpNamespace(ns));
  if (found === CWMP_1_3_NONSTANDARD) {
    ctx.warnings.add(
      'nonstandard-namespace',
      `${CWMP_1_3_NONSTANDARD} is not a BBF namespace; read as CWMP 1.4`,
    );
  }
  if (found !== undefined) return found;
  const seen = methodEl === NO_NODE ? '' : doc.ns(methodEl);
  ctx.warnings.add(
    'unknown-cwmp-namespace',
    `the RPC element's namespace "${seen}" is not a CWMP namespace; read as ${CWMP_1_0}`,
  );
  return seen.startsWith('urn:dslforum-org:cwmp-') ? seen : CWMP_1_0;
}
