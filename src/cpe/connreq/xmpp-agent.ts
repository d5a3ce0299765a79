/**
 * A simulated device's XMPP connection-request side (TR-069 Annex K; cwmp-spec.md §5.3): its own login to the
 * XMPP server (a fleet shares nothing but the server), its full JID reported as ManagementServer.ConnReqJabberID,
 * and the connection-request IQ answered as a CPE must:
 * - from a JID not in ConnReqAllowedJabberIDs (when that list is not empty; a bare JID admits any resource):
 *   service-unavailable;
 * - with the wrong ConnectionRequestUsername/Password: not-authorized;
 * - over the device's rate limit: service-unavailable;
 * - else an empty result, then a session with 6 CONNECTION REQUEST.
 */
import { type Client, client, xml } from '@xmpp/client';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { ConnectionRequestLimiter } from './rate-limit.ts';

type Element = ReturnType<typeof xml>;

const NS = 'urn:broadband-forum-org:cwmp:xmppConnReq-1-0';
const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

export interface XmppAgentOptions {
  /** `xmpp://host:port`. */
  service: string;
  domain: string;
  username: string;
  password: string;
  /** Default 'cwmp'. */
  resource?: string;
  limit?: number;
  windowMs?: number;
  /** Take a request whatever credentials it carries: a deviation, to test a conformance lab. */
  ignoreCredentials?: boolean;
}

export interface XmppAgentStats {
  accepted: number;
  refused: number;
}

export class XmppConnectionRequestAgent {
  readonly stats: XmppAgentStats = { accepted: 0, refused: 0 };
  private readonly client: Client;
  private readonly limiter: ConnectionRequestLimiter<string>;
  private jid = '';

  constructor(
    private readonly device: SimulatedDevice,
    private readonly options: XmppAgentOptions,
  ) {
    this.limiter = new ConnectionRequestLimiter(options.limit ?? 10, options.windowMs ?? 60_000);
    this.client = client({
      service: options.service,
      domain: options.domain,
      username: options.username,
      password: options.password,
      resource: options.resource ?? 'cwmp',
    });
    this.client.on('error', () => {
      // A lost server: @xmpp/client reconnects on its own; the device stays reachable by its other paths.
    });
    this.client.on('online', (address) => {
      this.jid = address.toString();
      const path = `${this.device.managementServer.path}ConnReqJabberID`;
      if (this.device.model.resolve(path)?.kind === 'parameter')
        this.device.setLocalValue(path, this.jid);
    });
    this.client.iqCallee.get(
      NS,
      'connectionRequest',
      (ctx: { stanza: Element; element: Element }) =>
        this.answer(String(ctx.stanza.attrs.from ?? ''), ctx.element),
    );
  }

  get address(): string {
    return this.jid;
  }

  start(): Promise<unknown> {
    return this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.stop().catch(() => {});
  }

  private answer(from: string, request: Element): Element | true {
    const refuse = (condition: string) => {
      this.stats.refused++;
      return xml('error', { type: 'cancel' }, xml(condition, STANZAS));
    };
    const allowed = this.device.managementServer
      .get('ConnReqAllowedJabberIDs')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const bare = from.split('/')[0];
    if (
      allowed.length > 0 &&
      !allowed.some((a) => a === from || (!a.includes('/') && a === bare))
    ) {
      return refuse('service-unavailable');
    }
    const credentials = this.device.connectionRequestCredentials();
    const username = request.getChildText('username') ?? '';
    const password = request.getChildText('password') ?? '';
    if (
      this.options.ignoreCredentials !== true &&
      (credentials === undefined ||
        username !== credentials.username ||
        password !== credentials.password)
    ) {
      return refuse('not-authorized');
    }
    if (!this.limiter.take('device', this.device.scheduler.now()))
      return refuse('service-unavailable');
    this.stats.accepted++;
    this.device.connectionRequest();
    return true;
  }
}
