import { StoreError } from './errors.ts';

/** A page size or offset: `value` (else `fallback`), a whole number from 0 to `max`, else a typed 'invalid'. */
export function page(
  value: number | undefined,
  fallback: number,
  max: number,
  name: string,
): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new StoreError('invalid', 'store', `${name} must be an integer from 0 to ${max}`);
  }
  return n;
}
