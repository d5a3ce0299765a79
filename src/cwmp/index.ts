/**
 * Corral's CWMP protocol layer: the SOAP codec for every RPC of CWMP 1.0–1.4, fault codes, value accessors and
 * parameter paths. Pure: no I/O, no global state.
 */

export * from './auth/index.ts';
export * from './datetime.ts';
export {
  type CwmpEnvelope,
  type DecodeOptions,
  type DecodeResult,
  decodeEnvelope,
} from './envelope/decode.ts';
export { type EncodeOptions, type EnvelopeToEncode, encodeEnvelope } from './envelope/encode.ts';
export type { CwmpHeader } from './envelope/header.ts';
export { CwmpDecodeError, type DecodeErrorCode, type SourceLocation } from './errors.ts';
export {
  CwmpFault,
  type CwmpFaultOptions,
  type FaultCategory,
  FaultCode,
  type FaultCodeName,
  type FaultInfo,
  faultInfo,
  isAcsFaultCode,
  isCpeFaultCode,
  isKnownFaultCode,
  isPermanentFault,
  isVendorFaultCode,
  type SoapFaultCode,
  setParameterValuesFault,
} from './faults.ts';
export * from './file-types.ts';
export * from './messages/index.ts';
export * from './namespaces.ts';
export * from './parameter-value.ts';
export * from './path.ts';
export * from './values.ts';
export type { DecodeWarning } from './warnings.ts';
export { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './xml/limits.ts';
