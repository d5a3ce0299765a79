import type { Store } from '../../store/store.ts';
import type { XmppConnector } from '../xmpp/xmpp-connector.ts';
import type { ConnectionRequestResult } from './http-connection-request.ts';
import { NO_CREDENTIALS, reportedManagementServerValue } from './reported.ts';

/** A JID as TR-069 reports it: `user@domain/resource`, a few hundred characters at most. */
const JID = /^[^@/\s]{1,1023}@[^@/\s]{1,1023}(\/[^\s]{1,1023})?$/;

/**
 * The XMPP connection request (TR-069 Annex K): an IQ to the ConnReqJabberID the device reported, with its
 * connection-request credentials. An empty result means the device will call in (like HTTP's 200); its error
 * says why not: not-authorized (wrong credentials), service-unavailable (the ACS's JID is not among its
 * ConnReqAllowedJabberIDs, or it is rate-limiting), recipient-unavailable (it is not online).
 */
export function createXmppConnectionRequester(options: {
  store: Store;
  xmpp: XmppConnector;
  timeoutMs?: number;
}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return async (deviceId: string): Promise<ConnectionRequestResult> => {
    const jid = await reportedManagementServerValue(options.store, deviceId, 'ConnReqJabberID');
    if (jid === undefined) return { ok: false, reason: 'no-url', detail: 'no ConnReqJabberID' };
    if (!JID.test(jid)) {
      return {
        ok: false,
        reason: 'bad-url',
        detail: 'the ConnReqJabberID the device reported is not a JID',
      };
    }
    const credential = await options.store.credentials.getConnectionRequest(deviceId);
    if (credential === null) return NO_CREDENTIALS;
    const outcome = await options.xmpp.connectionRequest(
      jid,
      { username: credential.username, password: credential.password.reveal() },
      timeoutMs,
    );
    if (outcome.ok) return { ok: true, status: 0 };
    if (outcome.reason === 'offline') {
      return {
        ok: false,
        reason: 'unreachable',
        detail: 'the ACS is not connected to its XMPP server',
      };
    }
    if (outcome.reason === 'timeout') {
      return {
        ok: false,
        reason: 'timeout',
        detail: `no answer to the IQ within ${Math.round(timeoutMs / 1000)} s`,
      };
    }
    const condition = outcome.condition ?? 'unknown';
    const detail = `the IQ was answered with ${condition}`;
    if (condition === 'not-authorized') return { ok: false, reason: 'auth-failed', detail };
    if (condition === 'service-unavailable') return { ok: false, reason: 'refused', detail };
    return { ok: false, reason: 'unreachable', detail };
  };
}
