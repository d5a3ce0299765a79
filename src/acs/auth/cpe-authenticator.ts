import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpAuthServer, MemoryNonceCountTracker } from '../../cwmp/auth/index.ts';
import type { Inform } from '../../cwmp/index.ts';
import { allowListAdmits } from '../../store/credentials.ts';
import type { Store } from '../../store/store.ts';
import type { CpeAuthenticator } from '../server/cwmp-handler.ts';
import { deviceIdOf } from '../session/inform.ts';

export interface CpeAuthOptions {
  store: Store;
  /** The ACS's master key; the nonce secret is derived from it (a separate key per purpose). */
  secretKey: Uint8Array;
  realm?: string;
  /** Labs only: every CPE is admitted without credentials. */
  acceptAnyCpe?: boolean;
  clock?: () => number;
}

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
  if (options.acceptAnyCpe) return async () => ({ ok: true });
  const clock = options.clock ?? Date.now;
  const server = new HttpAuthServer({
    realm: options.realm ?? 'Corral ACS',
    secret: createHmac('sha256', options.secretKey).update('corral/cwmp-digest-nonce').digest(),
    clock,
    nonceCounts: new MemoryNonceCountTracker({ clock }),
  });
  const { store } = options;

  return async (request: IncomingMessage, inform: Inform, isTls: boolean) => {
    const deviceId = deviceIdOf(inform);
    const device = {
      oui: inform.DeviceId.OUI,
      productClass: inform.DeviceId.ProductClass,
      serialNumber: inform.DeviceId.SerialNumber,
    };
    let superseded = false;
    const result = await server.verify(
      {
        authorization: request.headers.authorization,
        method: request.method ?? 'POST',
        uri: request.url ?? '/',
        tls: isTls,
      },
      async (username) => {
        const own = await store.credentials.findCpeByUsername(username);
        if (own !== null)
          return own.deviceId === deviceId ? { password: own.password.reveal() } : undefined;
        const shared = await store.credentials.getBootstrap(username);
        if (!shared?.enabled || !allowListAdmits(shared.allow, device)) return undefined;
        if (!bootstrapping(inform) && (await store.credentials.getCpe(deviceId)) !== null) {
          superseded = true;
          return undefined;
        }
        return { password: shared.password.reveal() };
      },
    );
    if (result.ok) return { ok: true };
    return {
      ok: false,
      reason: superseded ? 'bootstrap-credential-superseded' : result.reason,
      challenges: server.challenges({ tls: isTls, stale: result.reason === 'stale-nonce' }),
    };
  };
}

function bootstrapping(inform: Inform): boolean {
  return inform.Event.some((e) => e.EventCode === '0 BOOTSTRAP');
}
