import type { SourceLocation } from './errors.ts';

/** Something odd the decoder tolerated (vendor-quirks.md): the message decoded, but an operator may want to know. */
export interface DecodeWarning {
  code: string;
  message: string;
  /** How many times it occurred in the message; the message and location are those of the first. */
  count: number;
  location?: SourceLocation;
}

type Lazy<T> = T | (() => T);

/**
 * Collects warnings, one entry per code, so a 5,000-parameter response with one quirk yields one entry, not 5,000.
 * Message and location may be given lazily: only the first occurrence of a code pays for them.
 */
export class WarningCollector {
  private readonly byCode = new Map<string, DecodeWarning>();

  add(code: string, message: Lazy<string>, location?: Lazy<SourceLocation>): void {
    const existing = this.byCode.get(code);
    if (existing) {
      existing.count++;
      return;
    }
    const warning: DecodeWarning = {
      code,
      message: typeof message === 'function' ? message() : message,
      count: 1,
    };
    if (location) warning.location = typeof location === 'function' ? location() : location;
    this.byCode.set(code, warning);
  }

  list(): DecodeWarning[] {
    return [...this.byCode.values()];
  }
}
