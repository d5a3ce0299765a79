/** A configuration the auth module refuses at construction. The message names the option, never its value. */
export type AuthConfigErrorCode = 'weak-secret' | 'invalid-realm' | 'invalid-option';

export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code: AuthConfigErrorCode;

  constructor(code: AuthConfigErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toJSON(): { code: AuthConfigErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new AuthConfigError('invalid-option', `${name} must be a positive number`);
  }
  return value;
}

export function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new AuthConfigError('invalid-option', `${name} must be a non-negative number`);
  }
  return value;
}
