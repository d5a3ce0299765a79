/**
 * CWMP fault codes (TR-069 §A.5, cwmp-spec.md §6): the ACS's 8000-8899 and the CPE's 9000-9899.
 * A fault travels as a SOAP Fault whose `faultcode` says who is to blame: `Client` (the sender of the
 * request got it wrong) or `Server` (the responder could not do it).
 */

export const FaultCode = {
  // ACS faults (the ACS answering a CPE request).
  AcsMethodNotSupported: 8000,
  AcsRequestDenied: 8001,
  AcsInternalError: 8002,
  AcsInvalidArguments: 8003,
  AcsResourcesExceeded: 8004,
  AcsRetryRequest: 8005,
  AcsVersionIncompatible: 8006,
  // CPE faults (the CPE answering an ACS request, or reporting a transfer / DU operation).
  MethodNotSupported: 9000,
  RequestDenied: 9001,
  InternalError: 9002,
  InvalidArguments: 9003,
  ResourcesExceeded: 9004,
  InvalidParameterName: 9005,
  InvalidParameterType: 9006,
  InvalidParameterValue: 9007,
  NonWritableParameter: 9008,
  NotificationRequestRejected: 9009,
  DownloadFailure: 9010,
  UploadFailure: 9011,
  FileTransferServerAuthenticationFailure: 9012,
  UnsupportedTransferProtocol: 9013,
  MulticastJoinFailure: 9014,
  FileServerUnreachable: 9015,
  FileAccessFailure: 9016,
  DownloadIncomplete: 9017,
  FileCorrupted: 9018,
  FileAuthenticationFailure: 9019,
  DownloadTimeWindowExpired: 9020,
  CancelTransferNotPermitted: 9021,
  InvalidUuidFormat: 9022,
  UnknownExecutionEnvironment: 9023,
  DisabledExecutionEnvironment: 9024,
  DeploymentUnitEnvironmentMismatch: 9025,
  DuplicateDeploymentUnit: 9026,
  SystemResourcesExceeded: 9027,
  UnknownDeploymentUnit: 9028,
  InvalidDeploymentUnitState: 9029,
  DeploymentUnitDowngradeNotPermitted: 9030,
  DeploymentUnitVersionNotSpecified: 9031,
  DeploymentUnitVersionExists: 9032,
} as const;

export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];
export type FaultCodeName = keyof typeof FaultCode;

export type SoapFaultCode = 'Client' | 'Server';

export type FaultCategory =
  | 'acs'
  | 'acs-reserved'
  | 'acs-vendor'
  | 'cpe'
  | 'cpe-reserved'
  | 'cpe-vendor'
  /** 0: "no fault" in TransferComplete / DU results. */
  | 'success'
  /** Anything else: not a CWMP fault code at all. */
  | 'invalid';

export interface FaultInfo {
  code: number;
  /** The FaultCode key for a standard code. */
  name?: FaultCodeName;
  category: FaultCategory;
  /** The standard FaultString, or a description of the range for non-standard codes. */
  faultString: string;
  soapFaultCode: SoapFaultCode;
}

type Entry = readonly [faultString: string, soap: SoapFaultCode];

/*
 * Strings follow the TR-069 fault table as digested in cwmp-spec.md §6. Client/Server follows the same
 * table; for 9023-9032, which it leaves open, we use 'Server' as RDK-B CcspCwmp does. ASCII hyphens
 * only: some CPE parsers choke on non-ASCII text.
 */
const TABLE: Readonly<Record<FaultCode, Entry>> = {
  8000: ['Method not supported', 'Server'],
  8001: ['Request denied (no reason specified)', 'Server'],
  8002: ['Internal error', 'Server'],
  8003: ['Invalid arguments', 'Client'],
  8004: ['Resources exceeded', 'Server'],
  8005: ['Retry request', 'Server'],
  8006: ['ACS version incompatible with CPE', 'Server'],
  9000: ['Method not supported', 'Server'],
  9001: ['Request denied (no reason specified)', 'Server'],
  9002: ['Internal error', 'Server'],
  9003: ['Invalid arguments', 'Client'],
  9004: ['Resources exceeded', 'Server'],
  9005: ['Invalid parameter name', 'Client'],
  9006: ['Invalid parameter type', 'Client'],
  9007: ['Invalid parameter value', 'Client'],
  9008: ['Attempt to set a non-writable parameter', 'Client'],
  9009: ['Notification request rejected', 'Server'],
  9010: ['Download failure', 'Server'],
  9011: ['Upload failure', 'Server'],
  9012: ['File transfer server authentication failure', 'Server'],
  9013: ['Unsupported protocol for file transfer', 'Server'],
  9014: ['File transfer failure: unable to join multicast group', 'Server'],
  9015: ['File transfer failure: unable to contact file server', 'Server'],
  9016: ['File transfer failure: unable to access file', 'Server'],
  9017: ['File transfer failure: unable to complete download', 'Server'],
  9018: ['File transfer failure: file corrupted', 'Server'],
  9019: ['File transfer failure: file authentication failure', 'Server'],
  9020: [
    'File transfer failure: unable to complete download within specified time windows',
    'Server',
  ],
  9021: ['Cancelation of file transfer not permitted in current transfer state', 'Client'],
  9022: ['Invalid UUID format', 'Client'],
  9023: ['Unknown Execution Environment', 'Server'],
  9024: ['Disabled Execution Environment', 'Server'],
  9025: ['Deployment Unit to Execution Environment mismatch', 'Server'],
  9026: ['Duplicate Deployment Unit', 'Server'],
  9027: ['System resources exceeded', 'Server'],
  9028: ['Unknown Deployment Unit', 'Server'],
  9029: ['Invalid Deployment Unit state', 'Server'],
  9030: ['Invalid Deployment Unit update - downgrade not permitted', 'Server'],
  9031: ['Invalid Deployment Unit update - version not specified', 'Server'],
  9032: ['Invalid Deployment Unit update - version already exists', 'Server'],
};

const NAMES = new Map<number, FaultCodeName>(
  (Object.entries(FaultCode) as [FaultCodeName, FaultCode][]).map(([name, code]) => [code, name]),
);

export function isKnownFaultCode(code: number): code is FaultCode {
  return NAMES.has(code);
}

/** Any code the ACS may send (8000-8899: standard, reserved or vendor). */
export function isAcsFaultCode(code: number): boolean {
  return Number.isInteger(code) && code >= 8000 && code <= 8899;
}

/** Any code the CPE may send (9000-9899: standard, reserved or vendor). */
export function isCpeFaultCode(code: number): boolean {
  return Number.isInteger(code) && code >= 9000 && code <= 9899;
}

export function isVendorFaultCode(code: number): boolean {
  return (
    Number.isInteger(code) && ((code >= 8800 && code <= 8899) || (code >= 9800 && code <= 9899))
  );
}

/** Meaning of any number as a fault code; never throws. */
export function faultInfo(code: number): FaultInfo {
  const name = NAMES.get(code);
  if (name !== undefined) {
    const [faultString, soapFaultCode] = TABLE[code as FaultCode];
    return { code, name, category: code < 9000 ? 'acs' : 'cpe', faultString, soapFaultCode };
  }
  // Unknown codes blame the responder: we cannot claim the request was wrong.
  const other = (category: FaultCategory, faultString: string): FaultInfo => ({
    code,
    category,
    faultString,
    soapFaultCode: 'Server',
  });
  if (code === 0) return other('success', 'No fault');
  if (isVendorFaultCode(code)) {
    return other(code < 9000 ? 'acs-vendor' : 'cpe-vendor', 'Vendor-specific fault');
  }
  if (isAcsFaultCode(code)) return other('acs-reserved', 'Reserved ACS fault code');
  if (isCpeFaultCode(code)) return other('cpe-reserved', 'Reserved CPE fault code');
  return other('invalid', 'Not a CWMP fault code');
}

/*
 * "Permanent" means: sending the same request again, unchanged, to a device in the same state will
 * fail the same way, so retrying is pointless (quirk 16: never retry forever). These are faults about
 * the request itself (unsupported method, bad arguments, names, types, values, writability, UUIDs,
 * DU versions, an unsupported URL scheme) or a refusal by policy (9009 canDeny, 9025, 9026), and 9021: a transfer
 * that cannot be cancelled now is under way and will only end, never become cancellable — and a retried cancel
 * would hold the device's queue meanwhile.
 * Transient: internal errors, resource shortage, request denied (often "busy"), retry request,
 * transfer failures (network, server), and state-dependent refusals (9024, 9029).
 * Vendor and reserved codes are unknown, so they are not called permanent.
 */
const PERMANENT = new Set<number>([
  FaultCode.AcsMethodNotSupported,
  FaultCode.AcsInvalidArguments,
  FaultCode.AcsVersionIncompatible,
  FaultCode.MethodNotSupported,
  FaultCode.InvalidArguments,
  FaultCode.InvalidParameterName,
  FaultCode.InvalidParameterType,
  FaultCode.InvalidParameterValue,
  FaultCode.NonWritableParameter,
  FaultCode.NotificationRequestRejected,
  FaultCode.UnsupportedTransferProtocol,
  FaultCode.CancelTransferNotPermitted,
  FaultCode.InvalidUuidFormat,
  FaultCode.UnknownExecutionEnvironment,
  FaultCode.DeploymentUnitEnvironmentMismatch,
  FaultCode.DuplicateDeploymentUnit,
  FaultCode.UnknownDeploymentUnit,
  FaultCode.DeploymentUnitDowngradeNotPermitted,
  FaultCode.DeploymentUnitVersionNotSpecified,
  FaultCode.DeploymentUnitVersionExists,
]);

export function isPermanentFault(code: number): boolean {
  return PERMANENT.has(code);
}

/** One entry of a SetParameterValues fault: why this parameter could not be set. */
export interface SetParameterValuesFault {
  parameterName: string;
  faultCode: number;
  faultString: string;
}

/** A SetParameterValuesFault with the standard string for its code unless one is given. */
export function setParameterValuesFault(
  parameterName: string,
  faultCode: number,
  faultString: string = faultInfo(faultCode).faultString,
): SetParameterValuesFault {
  return { parameterName, faultCode, faultString };
}

export interface CwmpFaultOptions {
  setParameterValuesFaults?: readonly SetParameterValuesFault[];
  cause?: unknown;
}

/**
 * "Answer with this SOAP Fault." Thrown or returned by RPC handlers on either side; the codec turns it
 * into soap:Fault / cwmp:Fault, and decodes received faults into it.
 */
export class CwmpFault extends Error {
  override readonly name = 'CwmpFault';
  readonly code: number;
  readonly faultString: string;
  /** Empty unless this is a SetParameterValues fault with per-parameter detail. */
  readonly setParameterValuesFaults: readonly SetParameterValuesFault[];

  constructor(code: number, faultString?: string, options: CwmpFaultOptions = {}) {
    const text = faultString ?? faultInfo(code).faultString;
    super(
      `CWMP fault ${code}: ${text}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.faultString = text;
    this.setParameterValuesFaults = options.setParameterValuesFaults ?? [];
  }

  /** The SOAP faultcode to send: from the fault table, 'Server' for codes outside it. */
  get soapFaultCode(): SoapFaultCode {
    return faultInfo(this.code).soapFaultCode;
  }

  get permanent(): boolean {
    return isPermanentFault(this.code);
  }
}
