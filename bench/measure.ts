/** Run `fn` repeatedly for about `ms` milliseconds; return operations per second. */
export function runFor(fn: () => void, ms = 400): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    n++;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (n * 1000) / elapsed;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
