/**
 * Apply a string transform block by block. Concatenation costs tens of bytes per piece until the result is
 * flattened: 30 MB of `&lt;` would take a gigabyte. Block by block, that temporary cost is bounded by the block
 * size, and the blocks are joined into one flat string.
 */
export const BLOCK_SIZE = 1 << 12;

export function transformInBlocks(
  text: string,
  transform: (block: string, offset: number) => string,
  /** Moves a proposed block end to a place where cutting is safe (not inside a `\r\n` or an entity reference). */
  safeEnd: (text: string, end: number) => number = (_, end) => end,
): string {
  if (text.length <= BLOCK_SIZE) return transform(text, 0);
  const parts: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + BLOCK_SIZE);
    if (end < text.length) end = Math.max(start + 1, safeEnd(text, end));
    const part = transform(text.slice(start, end), start);
    // Flatten now (ToNumber reads the whole string, which makes V8 flatten a rope): a block built by `+=` would
    // otherwise keep one rope node per replacement alive until the final join.
    Number(part);
    parts.push(part);
    start = end;
  }
  return parts.join('');
}
