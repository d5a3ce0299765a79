/** The XML namespaces of a CWMP envelope and the CWMP versions they stand for (cwmp-spec.md §0, §1.3). */

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP_ENCODING_NS = 'http://schemas.xmlsoap.org/soap/encoding/';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export const CWMP_1_0 = 'urn:dslforum-org:cwmp-1-0';
export const CWMP_1_1 = 'urn:dslforum-org:cwmp-1-1';
export const CWMP_1_2 = 'urn:dslforum-org:cwmp-1-2';
/** No BBF schema defines it, yet some ACSs (GenieACS) emit it for CWMP 1.4: accepted, never emitted by Corral. */
export const CWMP_1_3_NONSTANDARD = 'urn:dslforum-org:cwmp-1-3';

export const CWMP_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4'] as const;
export type CwmpVersion = (typeof CWMP_VERSIONS)[number];

/** CWMP 1.2, 1.3 and 1.4 all share the cwmp-1-2 namespace. */
export function namespaceForVersion(version: CwmpVersion): string {
  if (version === '1.0') return CWMP_1_0;
  if (version === '1.1') return CWMP_1_1;
  return CWMP_1_2;
}

/**
 * The highest version a namespace can mean on its own (1.3 and 1.4 are told apart only by headers). Undefined for
 * a namespace that is not CWMP's.
 */
export function versionOfNamespace(namespace: string): CwmpVersion | undefined {
  switch (namespace) {
    case CWMP_1_0:
      return '1.0';
    case CWMP_1_1:
      return '1.1';
    case CWMP_1_2:
      return '1.2';
    case CWMP_1_3_NONSTANDARD:
      return '1.4';
    default:
      return undefined;
  }
}

export function isCwmpNamespace(namespace: string): boolean {
  return versionOfNamespace(namespace) !== undefined;
}

/** `SupportedCWMPVersions` ("1.0,1.1,1.2,1.3,1.4") → the versions Corral knows, in the order given. */
export function parseVersionList(list: string): CwmpVersion[] {
  const known = new Set<string>(CWMP_VERSIONS);
  return list
    .split(',')
    .map((v) => v.trim())
    .filter((v): v is CwmpVersion => known.has(v));
}

/** The highest version both sides support (TR-069 A6 §3.7.4), or undefined: answer with fault 8006. */
export function negotiateVersion(
  peerSupports: readonly CwmpVersion[],
  weSupport: readonly CwmpVersion[] = CWMP_VERSIONS,
): CwmpVersion | undefined {
  for (let i = CWMP_VERSIONS.length - 1; i >= 0; i--) {
    const v = CWMP_VERSIONS[i]!;
    if (peerSupports.includes(v) && weSupport.includes(v)) return v;
  }
  return undefined;
}
