/**
 * Vendor extensions (TR-106 §3.3): a name `X_<VENDOR>_<Name>`, VENDOR an OUI or IEEE Company ID (six upper-case
 * hexadecimal digits) or the vendor's domain name in upper case with its dots written as hyphens
 * (`X_EXAMPLE-COM_`). Whatever sits below such a segment is the vendor's to define.
 */

const OUI_OR_CID = /^X_[0-9A-F]{6}_[A-Za-z0-9]/;
const DOMAIN = /^X_[A-Z0-9]+(?:-[A-Z0-9]+)+_[A-Za-z0-9]/;

/** Does the path pass through a vendor extension (any segment starting `X_`)? */
export function isVendorPath(path: string): boolean {
  return path.split('.').some((s) => s.startsWith('X_'));
}

/** Why a segment that starts `X_` is badly named; undefined when it is well named or no vendor extension at all. */
export function badVendorSegment(segment: string): string | undefined {
  if (!segment.startsWith('X_')) return undefined;
  if (OUI_OR_CID.test(segment) || DOMAIN.test(segment)) return undefined;
  return 'a vendor extension must be named X_<OUI>_Name (six upper-case hex digits) or X_<DOMAIN-NAME>_Name (TR-106 §3.3)';
}
