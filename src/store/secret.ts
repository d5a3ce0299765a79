import { timingSafeEqual } from 'node:crypto';

const REDACTED = '[redacted]';

/**
 * A secret string (a CPE password, a connection-request password, an API key). It prints, serialises and
 * inspects as "[redacted]": logging a record, returning it from the API or putting it in an error cannot
 * leak it. Only `reveal()` gives the text, at the one place that needs it (building a Digest challenge
 * answer, sending a Download RPC).
 *
 * In task arguments and parameter updates a Secret value also means "encrypt this at rest".
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  /** Constant-time comparison (for the same length; the length itself is not hidden). */
  equals(other: Secret | string): boolean {
    const a = Buffer.from(this.#value, 'utf8');
    const b = Buffer.from(typeof other === 'string' ? other : other.reveal(), 'utf8');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
