/**
 * The simulator's local control: what a real device's web UI, CLI or shell is to its vendor — a way to change a
 * value from the device's own side. One HTTP listener per process (a fleet of thousands pays nothing more), on
 * loopback unless told otherwise; a conformance lab's `--local-change-command` reaches it with curl.
 *
 *   POST /devices/{SerialNumber}/values   body: path=…&value=… (form) or {"path","value"} (JSON), optional source
 *   → 204 changed, 200 unchanged, 404 no such device, 400 the device refused (unknown name, a value that does not fit)
 *
 * The change is the device's own (SimulatedDevice.setLocalValue): notification attributes apply to it exactly as to
 * any local change — passive waits for the next Inform, active opens a session.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CwmpFault } from '../../cwmp/faults.ts';
import type { SimulatedDevice } from './simulated-device.ts';

const MAX_BODY = 64 * 1024;

export interface LocalControlOptions {
  host?: string;
  port?: number;
  /** Finds a device by serial number (a fleet's); devices added with add() are found first. */
  lookup?: (serialNumber: string) => SimulatedDevice | undefined;
}

export class LocalControl {
  private readonly added = new Map<string, SimulatedDevice>();

  private constructor(
    private readonly server: Server,
    private readonly lookup: LocalControlOptions['lookup'],
  ) {}

  static async start(options: LocalControlOptions = {}): Promise<LocalControl> {
    const server = createServer();
    const control = new LocalControl(server, options.lookup);
    server.on('request', (req, res) => {
      control.handle(req, res).catch(() => {
        if (!res.headersSent) answer(res, 500, 'internal error');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return control;
  }

  /** http://host:port (no trailing slash). */
  get url(): string {
    const a = this.server.address() as AddressInfo;
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
    return `http://${host}:${a.port}`;
  }

  /** The URL a value change of `serialNumber` is posted to. */
  valuesUrl(serialNumber: string): string {
    return `${this.url}/devices/${encodeURIComponent(serialNumber)}/values`;
  }

  add(device: SimulatedDevice): void {
    this.added.set(device.serialNumber, device);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/devices\/([^/?]+)\/values(?:\?.*)?$/.exec(req.url ?? '');
    if (m === null) return answer(res, 404, 'POST /devices/{SerialNumber}/values');
    if (req.method !== 'POST') return answer(res, 405, 'POST only');
    const serial = decodeURIComponent(m[1]!);
    const device = this.added.get(serial) ?? this.lookup?.(serial);
    if (device === undefined) return answer(res, 404, `no device ${serial}`);
    const body = await readBody(req);
    if (body === undefined) return answer(res, 413, 'body too large');
    const fields = parseFields(body, req.headers['content-type'] ?? '');
    if (fields === undefined || typeof fields.path !== 'string' || typeof fields.value !== 'string')
      return answer(res, 400, 'path and value are required (form or JSON)');
    const source = fields.source === 'subscriber' ? 'subscriber' : 'device';
    try {
      const changed = device.setLocalValue(fields.path, fields.value, source);
      if (changed) {
        res.writeHead(204).end();
        return;
      }
      answer(res, 200, 'unchanged');
    } catch (error) {
      if (!(error instanceof CwmpFault)) throw error;
      const detail = typeof error.cause === 'string' ? `: ${error.cause}` : '';
      answer(res, 400, `fault ${error.code} (${error.faultString})${detail}`);
    }
  }
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseFields(body: string, contentType: string): Record<string, unknown> | undefined {
  if (/json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}
