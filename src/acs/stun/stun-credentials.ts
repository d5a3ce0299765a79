import type { Store } from '../../store/store.ts';
import type { StunServerOptions } from './stun-server.ts';

/**
 * A device's STUN credential is its own ACS credential (zero-touch gives it as STUNUsername/STUNPassword): a
 * Binding Request's USERNAME is looked up among the CPE credentials the ACS keeps.
 */
export function stunCredentialsOf(store: Store): NonNullable<StunServerOptions['credentials']> {
  return async (username) => {
    const found = await store.credentials.findCpeByUsername(username);
    return found === null ? null : { deviceId: found.deviceId, password: found.password };
  };
}
