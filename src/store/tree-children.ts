/**
 * Listing one level of a device's stored tree without reading the whole subtree: a loose index scan. Seek the
 * first stored path at or after a bound, name the direct child it lies under, then jump the bound past that
 * child's whole subtree — one index seek per child, whatever the size of the subtrees (a console opening
 * `Device.` of a 10,000-parameter device reads some 40 rows, not 10,000).
 */
import { prefixUpperBound } from './text-range.ts';

/** Where the scan of `objectPath`'s children starts: just after the object's own row. */
export function firstChildBound(objectPath: string): string {
  return `${objectPath}\u0000`;
}

/**
 * `path`, the first stored path at or after the current bound inside `objectPath`'s subtree, lies in one direct
 * child of it: which one, whether `path` is that child's own row, and the bound past the child's subtree
 * (undefined: nothing can follow).
 */
export function childOf(
  objectPath: string,
  path: string,
): { childPath: string; ownRow: boolean; next: string | undefined } {
  const rest = path.slice(objectPath.length);
  const dot = rest.indexOf('.');
  if (dot === -1) return { childPath: path, ownRow: true, next: `${path}\u0000` };
  const childPath = objectPath + rest.slice(0, dot + 1);
  // Sorted order puts an object's own row first in its subtree: if `path` is not it, it has none.
  return { childPath, ownRow: path === childPath, next: prefixUpperBound(childPath) };
}
