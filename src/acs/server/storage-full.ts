/**
 * Whether an error means the disk (or the database) is full: the store cannot take a write until an operator
 * frees space. A CPE is then told to come back later (503), not that it did something wrong (500).
 */
export function isStorageFull(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
  }
  return false;
}
