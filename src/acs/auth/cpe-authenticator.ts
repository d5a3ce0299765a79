import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type CredentialSecret,
  HttpAuthServer,
  MemoryNonceCountTracker,
  parseBasicCredentials,
  parseCredentials,
} from '../../cwmp/auth/index.ts';
import type { Inform } from '../../cwmp/index.ts';
import { allowListAdmits } from '../../store/credentials.ts';
import { parseDeviceId } from '../../store/device-id.ts';
import type { Store } from '../../store/store.ts';
import { AuthThrottle, type AuthThrottleOptions } from '../http/auth-throttle.ts';
import { deviceIdOf } from '../session/inform.ts';
import type { CpeAuthenticator, CpeAuthOutcome } from './authenticator.ts';

export interface CpeAuthOptions {
  store: Store;
  /** The ACS's master key; the nonce secret is derived from it (a separate key per purpose). */
  secretKey: Uint8Array;
  realm?: string;
  /** Labs only: every CPE is admitted without credentials. */
  acceptAnyCpe?: boolean;
  /** Throttling of failed attempts per address and per username; defaults in DEFAULT_CPE_AUTH_THROTTLE. */
  throttle?: AuthThrottleOptions;
  clock?: () => number;
}

/**
 * Five wrong answers for one username, then doubling delays; an address gets a thousand, since thousands of
 * CPEs may share it behind carrier-grade NAT and one broken CPE must not lock the others out.
 */
export const DEFAULT_CPE_AUTH_THROTTLE: AuthThrottleOptions = {
  freeFailures: 5,
  freeAddressFailures: 1000,
};

/**
 * What counts against the throttle: a wrong secret, or a username nobody has — what a guesser sees. Not the first
 * step of Digest, an expired nonce, or a policy refusal (an allow-list, a superseded bootstrap credential), which
 * a whole fleet sharing one bootstrap username can meet without guessing anything.
 */
const GUESSES: ReadonlySet<string> = new Set(['bad-response', 'bad-password', 'unknown-user']);

/**
 * Default-deny CPE authentication (security.md item 1): HTTP Digest (Basic only over TLS) against the device's
 * own credential, or a shared bootstrap credential whose allow-list admits the device the Inform names. A
 * credential of another device never admits this one. Unknown or wrong CPEs get 401 with a fresh challenge and
 * nothing is stored.
 *
 * Once the ACS keeps a credential of the device's own (given by zero-touch, or by an operator), the shared one
 * no longer admits that device — a leaked bootstrap secret must not keep working for devices that have moved
 * on — except on an Inform carrying 0 BOOTSTRAP: a factory reset puts the shared credential back in the
 * device, and refusing it then would lock the device out for good. That is all the authenticator can tell at
 * this point (the device id, the events, which credential the username names), and 0 BOOTSTRAP is the one
 * event a device that lost its own credential sends. A device re-admitted so gets a fresh credential from
 * zero-touch (acsCredentials), which replaces the old one. The price: whoever holds the shared secret can still
 * re-bootstrap a device its allow-list names; disabling the bootstrap credential once the fleet has moved on
 * closes that too.
 */
export function createCpeAuthenticator(options: CpeAuthOptions): CpeAuthenticator {
  const clock = options.clock ?? Date.now;
  const server = new HttpAuthServer({
    realm: options.realm ?? 'Corral ACS',
    secret: createHmac('sha256', options.secretKey).update('corral/cwmp-digest-nonce').digest(),
    clock,
    nonceCounts: new MemoryNonceCountTracker({ clock }),
    // SHA-256 first (RFC 7616: the client takes the first it supports); MD5 for the CPEs TR-069 requires it of.
    algorithms: ['SHA-256', 'MD5'],
  });
  const { store } = options;
  const throttle = new AuthThrottle({ clock, ...DEFAULT_CPE_AUTH_THROTTLE, ...options.throttle });

  /**
   * The secret `username` may prove for `deviceId`: the device's own credential, or a shared bootstrap
   * credential whose allow-list names the device and which the device has not moved on from. `refusal` says
   * why a known username does not admit this device (the log's reason, never a secret).
   */
  const secretFor = async (
    username: string,
    deviceId: string,
    bootstrapping: boolean,
  ): Promise<{ secret?: CredentialSecret; refusal?: string }> => {
    const own = await store.credentials.findCpeByUsername(username);
    if (own !== null) {
      return own.deviceId === deviceId
        ? { secret: { password: own.password.reveal() } }
        : { refusal: 'credential-of-another-device' };
    }
    const shared = await store.credentials.getBootstrap(username);
    if (shared === null) return {};
    if (!shared.enabled) return { refusal: 'bootstrap-credential-disabled' };
    const device = parseDeviceId(deviceId);
    if (device === undefined || !allowListAdmits(shared.allow, device))
      return { refusal: 'bootstrap-credential-not-allowed-for-device' };
    if (!bootstrapping && (await store.credentials.getCpe(deviceId)) !== null)
      return { refusal: 'bootstrap-credential-superseded' };
    return { secret: { password: shared.password.reveal() } };
  };

  /** Verify the request's credentials as `deviceId`; `only`: the one username that may be used. */
  const verify = async (
    request: IncomingMessage,
    deviceId: string,
    bootstrapping: boolean,
    isTls: boolean,
    only?: string,
  ): Promise<CpeAuthOutcome> => {
    const address = request.socket.remoteAddress;
    const claim = claimedUsername(request) ?? 'malformed';
    if (request.headers.authorization !== undefined) {
      // A guesser is stopped before its guess is checked (and before it costs a store read).
      const verdict = throttle.check(address, claim);
      if (!verdict.ok) {
        return {
          ok: false,
          reason: `throttled-by-${verdict.by}`,
          username: claim,
          challenges: [],
          retryAfterSeconds: verdict.retryAfterSeconds,
        };
      }
    }
    let refusal: string | undefined;
    const result = await server.verify(
      {
        authorization: request.headers.authorization,
        method: request.method ?? 'POST',
        uri: request.url ?? '/',
        tls: isTls,
      },
      async (username) => {
        if (only !== undefined && username !== only) {
          refusal = 'not-the-sessions-credential';
          return undefined;
        }
        const found = await secretFor(username, deviceId, bootstrapping);
        refusal = found.refusal;
        return found.secret;
      },
    );
    if (result.ok) return { ok: true, username: result.username };
    // A known username that does not admit this device is not an unknown user (the log must say which).
    const reason =
      result.reason === 'unknown-user' && refusal !== undefined ? refusal : result.reason;
    if (GUESSES.has(reason)) throttle.failed(address, claim);
    return {
      ok: false,
      reason,
      ...(result.username !== undefined ? { username: result.username } : {}),
      challenges: server.challenges({ tls: isTls, stale: result.reason === 'stale-nonce' }),
    };
  };

  return {
    inform: options.acceptAnyCpe
      ? async () => ({ ok: true, username: null })
      : (request, inform, isTls) =>
          verify(request, deviceIdOf(inform), bootstrapping(inform), isTls),
    claimant: options.acceptAnyCpe ? () => undefined : claimedUsername,
    rejoin: (request, session, isTls) =>
      verify(request, session.deviceId, session.bootstrapping, isTls, session.username),
    challenges: (isTls) => server.challenges({ tls: isTls }),
  };
}

/** The username an Authorization header names (Digest or Basic), unverified. */
function claimedUsername(request: IncomingMessage): string | undefined {
  const parsed = parseCredentials(request.headers.authorization);
  if (!parsed.ok) return undefined;
  if (parsed.value.scheme === 'basic') {
    const basic = parseBasicCredentials(parsed.value);
    return basic.ok ? basic.value.username : undefined;
  }
  return parsed.value.params.get('username');
}

function bootstrapping(inform: Inform): boolean {
  return inform.Event.some((e) => e.EventCode === '0 BOOTSTRAP');
}
