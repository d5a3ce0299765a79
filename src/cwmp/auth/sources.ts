/**
 * Time and randomness come in from outside so that every computation here is reproducible in tests. The defaults
 * (system clock, node:crypto CSPRNG) are what production code passes.
 */
import { randomBytes } from 'node:crypto';

/** Milliseconds since the Unix epoch. */
export type Clock = () => number;

/** `size` random bytes; must be cryptographically strong in production. */
export type RandomSource = (size: number) => Uint8Array;

export const systemClock: Clock = () => Date.now();

export const cryptoRandom: RandomSource = (size) => randomBytes(size);
