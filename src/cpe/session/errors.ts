/**
 * Why a CPE session failed, as a typed value: the retry policy and the fleet's statistics read `kind`; `faultCode`
 * carries the ACS's CWMP fault (8xxx) when the ACS answered with one.
 */

export type SessionErrorKind =
  /** TCP connect failed (refused, unreachable, DNS). */
  | 'connect'
  /** TLS handshake or certificate verification failed. */
  | 'tls'
  /** No answer from the ACS within the session timeout. */
  | 'timeout'
  /** The connection closed in the middle of an exchange. */
  | 'dropped'
  /** An HTTP status the session cannot go on with (e.g. 500, 503, 404). */
  | 'http-status'
  /** 401 the credentials cannot answer (refused, or a scheme/algorithm not supported). */
  | 'auth'
  /** More than five redirects, or a redirect without a usable Location. */
  | 'redirect'
  /** The ACS sent something that is not a CWMP envelope. */
  | 'decode'
  /** The ACS answered with a SOAP fault where the session cannot go on (the Inform). */
  | 'fault'
  /** A CWMP message out of place (a request where a response was due, …). */
  | 'protocol'
  /** The device stopped the session (shutdown, injected drop). */
  | 'aborted';

export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly kind: SessionErrorKind;
  readonly status: number | undefined;
  readonly faultCode: number | undefined;

  constructor(
    kind: SessionErrorKind,
    message: string,
    options: { status?: number; faultCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.faultCode = options.faultCode;
  }
}

/** A Node socket/TLS error as a SessionError. */
export function networkError(error: unknown): SessionError {
  if (error instanceof SessionError) return error;
  const e = error as NodeJS.ErrnoException;
  const code = e.code ?? '';
  if (
    [
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ENOTFOUND',
      'EAI_AGAIN',
      'EADDRNOTAVAIL',
    ].includes(code)
  )
    return new SessionError('connect', `cannot connect to the ACS: ${code}`, { cause: error });
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)
  )
    return new SessionError('tls', `TLS failed: ${code}`, { cause: error });
  if (code === 'ETIMEDOUT')
    return new SessionError('timeout', 'the ACS did not answer in time', { cause: error });
  return new SessionError('dropped', `connection lost: ${code || e.message}`, { cause: error });
}
