/** The lab's address as the DUT reaches it: the host of the lab's own file URLs (the Host the DUT posted to). */
import type { CaseContext } from '../case.ts';

export function labHost(ctx: CaseContext): string {
  return new URL(ctx.files.url('x')).hostname.replace(/^\[(.*)\]$/, '$1');
}
