/** An XML NCName (no colon), as far as CWMP needs: letters, digits and `_.-`, and the non-ASCII name ranges. */
const NCNAME = /^[A-Za-z_\u00C0-\uFFFD][\w.\-\u00B7-\uFFFD]*$/;

export function isNcName(name: string): boolean {
  return NCNAME.test(name);
}
