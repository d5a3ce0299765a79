import { Agent, request } from 'node:http';
import {
  type CwmpEnvelope,
  type CwmpMessage,
  decodeEnvelope,
  encodeEnvelope,
  type ParameterValue,
} from '../../cwmp/index.ts';
import { encodeDeviceId } from '../../store/device-id.ts';

export interface CpeReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The decoded envelope when the ACS sent one. */
  envelope?: CwmpEnvelope;
}

export interface ScriptedCpeOptions {
  oui?: string;
  productClass?: string;
  serialNumber?: string;
  cwmpNamespace?: string;
  /** Authorization header value to send (the tests compute it). */
  authorization?: () => string | undefined;
  /** Return the session cookie (default true); false plays a CPE that ignores cookies (quirk 2). */
  keepCookies?: boolean;
  /** Source address on the loopback range (e.g. 127.0.0.2), to play another host. */
  localAddress?: string;
}

/**
 * A test CPE that speaks CWMP over real HTTP, step by step, so that tests can script every turn of a session
 * (the simulator is the full device; this is the tests' instrument). One keep-alive connection, like a CPE.
 */
export class ScriptedCpe {
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
  readonly cwmpNamespace: string;
  private cookie: string | undefined;
  private agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private idCounter = 0;

  constructor(
    readonly acsUrl: string,
    private readonly options: ScriptedCpeOptions = {},
  ) {
    this.oui = options.oui ?? '00D09E';
    this.productClass = options.productClass ?? 'TestGW';
    this.serialNumber = options.serialNumber ?? 'SN0001';
    this.cwmpNamespace = options.cwmpNamespace ?? 'urn:dslforum-org:cwmp-1-0';
  }

  /** The device id the ACS stores this CPE under. */
  get deviceId(): string {
    return encodeDeviceId({
      oui: this.oui,
      productClass: this.productClass,
      serialNumber: this.serialNumber,
    });
  }

  /** Forget the session cookie and the connection, as a CPE does between sessions. */
  reset(): void {
    this.cookie = undefined;
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  async inform(
    events: string[] | Array<{ code: string; commandKey: string }>,
    parameters: ParameterValue[] = [],
    header: CwmpEnvelope['header'] = {},
  ): Promise<CpeReply> {
    return this.send(
      {
        method: 'Inform',
        DeviceId: {
          Manufacturer: 'Corral Test',
          OUI: this.oui,
          ProductClass: this.productClass,
          SerialNumber: this.serialNumber,
        },
        Event: events.map((e) =>
          typeof e === 'string'
            ? { EventCode: e, CommandKey: '' }
            : { EventCode: e.code, CommandKey: e.commandKey },
        ),
        MaxEnvelopes: 1,
        CurrentTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        RetryCount: 0,
        ParameterList: [
          { name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0.0', type: 'string' },
          { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'string' },
          ...parameters,
        ],
      },
      header,
    );
  }

  /** A CWMP message in its own POST; `id` echoes the ACS's request ID for a response. */
  send(body: CwmpMessage, header: CwmpEnvelope['header'] = {}): Promise<CpeReply> {
    const xml = encodeEnvelope({
      cwmpNamespace: this.cwmpNamespace,
      header: { ID: `cpe-${++this.idCounter}`, ...header },
      body,
    });
    return this.post(xml);
  }

  /** Answer the ACS's request with a response or fault, echoing its cwmp:ID. */
  answer(to: CpeReply, body: CwmpMessage): Promise<CpeReply> {
    const id = to.envelope?.header.ID;
    return this.send(body, id !== undefined ? { ID: id } : {});
  }

  /** Play another host from now on (the same cookie, a new connection from another address). */
  moveTo(localAddress: string): void {
    this.options.localAddress = localAddress;
    this.dropConnection();
  }

  /** Drop the connection, as a CPE that reconnects mid-session does (quirk 19). */
  dropConnection(): void {
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  emptyPost(): Promise<CpeReply> {
    return this.post('');
  }

  post(body: string | Buffer, extraHeaders: Record<string, string> = {}): Promise<CpeReply> {
    const url = new URL(this.acsUrl);
    const headers: Record<string, string> = { ...extraHeaders };
    if (body.length > 0) {
      headers['Content-Type'] = 'text/xml; charset="utf-8"';
      headers.SOAPAction = '';
    }
    headers['Content-Length'] = String(Buffer.byteLength(body));
    if (this.cookie !== undefined) headers.Cookie = this.cookie;
    const authorization = this.options.authorization?.();
    if (authorization !== undefined) headers.Authorization = authorization;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers,
          agent: this.agent,
          ...(this.options.localAddress !== undefined
            ? { localAddress: this.options.localAddress }
            : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const setCookie = res.headers['set-cookie'];
            if (setCookie !== undefined && this.options.keepCookies !== false) {
              this.cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
            }
            const text = Buffer.concat(chunks).toString('utf8');
            const reply: CpeReply = { status: res.statusCode ?? 0, headers: res.headers, text };
            if (res.statusCode === 200 && text.trim() !== '') {
              const decoded = decodeEnvelope(text);
              if (decoded.ok) reply.envelope = decoded.envelope;
            }
            resolve(reply);
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
