/**
 * The lab's file server for Download and Upload cases (TR-069 §A.3.2.8, §A.4.1.5): on the lab's own endpoint, under
 * /corral-files/, it serves the files a case offers (GET) and takes what the DUT uploads (PUT or POST), or answers
 * with the status a case asks for (a 404 for a missing file, a 500 for a refused upload). Each transfer is evidence.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EvidenceLog, evidenceHeaders } from './evidence.ts';

export const FILES_PREFIX = '/corral-files/';

interface Offer {
  status: number;
  body: Buffer;
}

export class LabFiles {
  private readonly offers = new Map<string, Offer>();
  private readonly uploads = new Map<string, Buffer>();
  private readonly asked = new Map<string, number>();

  constructor(private readonly evidence: EvidenceLog) {}

  /** Offers `body` at `name` (GET), or answers every request for it with `status` when not 200. */
  offer(name: string, body: Buffer | string, status = 200): void {
    this.offers.set(name, { status, body: Buffer.from(body) });
  }

  /** How many requests (any method) came for `name`. */
  requests(name: string): number {
    return this.asked.get(name) ?? 0;
  }

  /** What the DUT uploaded to `name`, if anything. */
  received(name: string): Buffer | undefined {
    return this.uploads.get(name);
  }

  /** True when the request was for a file (answered here), false when it is CWMP's. */
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(FILES_PREFIX)) return false;
    const name = decodeName(path.slice(FILES_PREFIX.length));
    const method = req.method ?? '';
    this.asked.set(name, (this.asked.get(name) ?? 0) + 1);
    this.evidence.record({
      direction: 'dut-to-lab',
      kind: 'file',
      method,
      headers: { ...evidenceHeaders(req.headers), path },
      body: method === 'GET' ? '' : `(${body.length} bytes)`,
    });
    const offer = this.offers.get(name);
    let status: number;
    let out: Buffer = Buffer.alloc(0);
    if (offer !== undefined && offer.status !== 200) status = offer.status;
    else if (method === 'GET' || method === 'HEAD') {
      status = offer === undefined ? 404 : 200;
      if (offer !== undefined && method === 'GET') out = offer.body;
    } else if (method === 'PUT' || method === 'POST') {
      this.uploads.set(name, body);
      status = 200;
    } else status = 405;
    this.evidence.record({
      direction: 'lab-to-dut',
      kind: 'file',
      status,
      headers: { path },
      body: out.length === 0 ? '' : `(${out.length} bytes)`,
    });
    res.writeHead(status, { 'Content-Length': String(out.length) }).end(out);
    return true;
  }
}

/** The file name a path asks for; a malformed escape (a DUT may send one) names nothing the lab offers. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return `\u0000${raw}`;
  }
}
