/**
 * Corral's CWMP protocol layer: the SOAP codec for every RPC of CWMP 1.0–1.4, fault codes, value accessors and
 * parameter paths. Pure: no I/O, no global state.
 */
export {
  type CwmpEnvelope,
  type DecodeOptions,
  type DecodeResult,
  decodeEnvelope,
} from './envelope/decode.ts';
export { type EncodeOptions, type EnvelopeToEncode, encodeEnvelope } from './envelope/encode.ts';
export type { CwmpHeader } from './envelope/header.ts';
export { CwmpDecodeError, type DecodeErrorCode, type SourceLocation } from './errors.ts';
export * from './messages/index.ts';
export * from './namespaces.ts';
export * from './parameter-value.ts';
export type { DecodeWarning } from './warnings.ts';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './xml/limits.ts';
