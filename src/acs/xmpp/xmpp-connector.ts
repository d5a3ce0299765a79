import { type Client, client, xml } from '@xmpp/client';
import type { Log } from '../log.ts';

/** The namespace of TR-069 Annex K's connection request (cwmp-xmppConnReq-1-0.xsd). */
export const XMPP_CONN_REQ_NS = 'urn:broadband-forum-org:cwmp:xmppConnReq-1-0';
/** The resource of a JID given without one. */
export const DEFAULT_XMPP_RESOURCE = 'corral-acs';

export interface XmppSettings {
  /** `xmpp://host:port` (STARTTLS where the server offers it) or `xmpps://host:port`. */
  service: string;
  /** The ACS's own JID: `user@domain` or `user@domain/resource`. */
  jid: string;
  password: string;
}

/** How long after a reconnection an away recipient is waited for, and how often it is asked again. */
const RECONNECT_GRACE_MS = 10_000;
const RETRY_MS = 500;
/** What a server answers for a recipient that is not connected (RFC 6120 §8.5, §10.5). */
const AWAY: ReadonlySet<string> = new Set([
  'service-unavailable',
  'recipient-unavailable',
  'item-not-found',
]);

export type XmppRequestOutcome =
  | { ok: true }
  | {
      ok: false;
      /** The stanza error condition the device (or its server) answered, or why nothing came. */
      reason: 'offline' | 'timeout' | 'error';
      condition?: string;
    };

/**
 * The ACS as an XMPP client (TR-069 Annex K): one login to the operator's XMPP server, kept up by @xmpp/client's
 * reconnect (a lost server is retried for ever, at its pace). A connection request is an IQ get to the device's
 * ConnReqJabberID carrying its connection-request credentials; the device answers an empty result (it will call
 * in) or an error. Requests made while the server is away wait for it — up to their own timeout — rather than
 * fail at once: a server restart loses none.
 */
export class XmppConnector {
  readonly #client: Client;
  readonly #log: Log;
  #online = false;
  #onlineSince = 0;
  #stopped = false;
  readonly #waiting = new Set<() => void>();

  constructor(settings: XmppSettings, log: Log) {
    this.#log = log;
    const at = settings.jid.indexOf('@');
    const slash = settings.jid.indexOf('/', at);
    if (at < 1) throw new TypeError('the XMPP JID must be user@domain[/resource]');
    const username = settings.jid.slice(0, at);
    const domain = settings.jid.slice(at + 1, slash === -1 ? undefined : slash);
    const resource = slash === -1 ? DEFAULT_XMPP_RESOURCE : settings.jid.slice(slash + 1);
    this.#client = client({
      service: settings.service,
      domain,
      username,
      password: settings.password,
      resource,
    });
    this.#client.on('online', (address) => {
      this.#online = true;
      this.#onlineSince = Date.now();
      log('xmpp-online', { jid: address.toString() });
      for (const wake of this.#waiting) wake();
    });
    this.#client.on('offline', () => {
      this.#online = false;
    });
    this.#client.on('disconnect', () => {
      if (this.#online) log('xmpp-disconnected', {}, 'warn');
      this.#online = false;
    });
    // Errors (a refused connection, a failed login) are logged by kind: never the password, never a stanza.
    this.#client.on('error', (error: Error & { condition?: string; code?: string }) => {
      if (!this.#stopped)
        log(
          'xmpp-error',
          { error: error.name, condition: error.condition ?? error.code ?? null },
          'warn',
        );
    });
  }

  get online(): boolean {
    return this.#online;
  }

  /** Connects in the background; the reconnect goes on after a failure. */
  start(): void {
    this.#client.start().catch(() => {
      // Logged through 'error'; @xmpp/reconnect retries.
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const wake of this.#waiting) wake();
    await this.#client.stop().catch(() => {});
  }

  /** The connection request IQ to `to`; resolves when the device answers or `timeoutMs` passes. */
  async connectionRequest(
    to: string,
    credentials: { username: string; password: string },
    timeoutMs: number,
  ): Promise<XmppRequestOutcome> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#online) {
      if (this.#stopped || Date.now() >= deadline) return { ok: false, reason: 'offline' };
      await this.#untilOnline(deadline - Date.now());
    }
    for (;;) {
      const outcome = await this.#send(to, credentials, deadline);
      // Just back from an outage, devices reconnect at their own pace: the server answers for one not yet back
      // as for one that is away. A request held across the outage gives them a few seconds before it counts.
      const justBack = Date.now() - this.#onlineSince < RECONNECT_GRACE_MS;
      const away = !outcome.ok && AWAY.has(outcome.condition ?? '');
      if (!away || !justBack || deadline - Date.now() < RETRY_MS * 2) return outcome;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  async #send(
    to: string,
    credentials: { username: string; password: string },
    deadline: number,
  ): Promise<XmppRequestOutcome> {
    const iq = xml(
      'iq',
      { type: 'get', to },
      xml(
        'connectionRequest',
        { xmlns: XMPP_CONN_REQ_NS },
        xml('username', {}, credentials.username),
        xml('password', {}, credentials.password),
      ),
    );
    try {
      await this.#client.iqCaller.request(iq, Math.max(1, deadline - Date.now()));
      return { ok: true };
    } catch (error) {
      const e = error as Error & { condition?: string };
      if (e.name === 'TimeoutError') return { ok: false, reason: 'timeout' };
      if (typeof e.condition === 'string')
        return { ok: false, reason: 'error', condition: e.condition };
      this.#log('xmpp-request-failed', { error: e.name }, 'warn');
      return { ok: false, reason: 'offline' };
    }
  }

  #untilOnline(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiting.add(wake);
    });
  }
}
