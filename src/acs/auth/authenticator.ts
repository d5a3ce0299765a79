import type { IncomingMessage } from 'node:http';
import type { Inform } from '../../cwmp/index.ts';

/** The answer to "is this CPE who it says it is?". */
export type CpeAuthOutcome =
  /** `username`: the credential it proved (none where none is asked for: `--accept-any-cpe`, test stubs). */
  | { ok: true; username?: string | null }
  /**
   * 401: `challenges` are the WWW-Authenticate values to send; `reason` is for the log, never a secret. With
   * `retryAfterSeconds`, too many failures came from this address or for this username: 503, come back later.
   */
  | {
      ok: false;
      challenges: string[];
      reason: string;
      username?: string;
      retryAfterSeconds?: number;
    };

/** On an Inform: may this CPE open a session for the device the Inform names? */
export type InformAuthenticator = (
  request: IncomingMessage,
  inform: Inform,
  isTls: boolean,
) => Promise<CpeAuthOutcome>;

/** What the CWMP endpoint asks of CPE authentication. */
export interface CpeAuthenticator {
  inform: InformAuthenticator;
  /** The username a request's Authorization header claims, unverified; undefined without one. */
  claimant(request: IncomingMessage): string | undefined;
  /**
   * A request that no cookie or connection ties to a session (a CPE that reconnects mid-session without its
   * cookie, quirk 19): does it prove, on this request, the credential `username` that opened the session of
   * `deviceId`? Only then does it join that session — never by its address.
   */
  rejoin(
    request: IncomingMessage,
    session: { deviceId: string; username: string; bootstrapping: boolean },
    isTls: boolean,
  ): Promise<CpeAuthOutcome>;
  /** WWW-Authenticate values for a request that carries no credentials (libcurl's probe, quirk 21). */
  challenges(isTls: boolean): string[];
}

/**
 * A bare Inform authenticator (test stubs) as a CpeAuthenticator: it issues no challenges and no request
 * outside a session can prove anything to it.
 */
export function fromInformAuthenticator(inform: InformAuthenticator): CpeAuthenticator {
  return {
    inform,
    claimant: () => undefined,
    rejoin: async () => ({ ok: false, challenges: [], reason: 'no-credentials-kept' }),
    challenges: () => [],
  };
}
