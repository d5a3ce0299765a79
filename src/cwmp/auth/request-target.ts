/**
 * Whether the Digest `uri` names the resource of the request line (RFC 7616 §3.4.6). Exact equality first; then,
 * because some clients put the absolute form in one place and the origin form in the other, both are reduced to
 * path + query and compared. A `uri` that parses as neither is a mismatch.
 */
const ABSOLUTE_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export function sameRequestTarget(digestUri: string, requestTarget: string): boolean {
  if (digestUri === requestTarget) return true;
  const a = pathAndQuery(digestUri);
  const b = pathAndQuery(requestTarget);
  return a !== undefined && a === b;
}

function pathAndQuery(target: string): string | undefined {
  if (target.startsWith('/')) return target;
  if (!ABSOLUTE_RE.test(target)) return undefined;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  return `${url.pathname}${url.search}`;
}
