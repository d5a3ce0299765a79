import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodeEnvelope } from '../../cwmp/index.ts';

/** The InformResponse the floor answers with unless told otherwise (cwmp-1-2, no header). */
export const CANNED_INFORM_RESPONSE = Buffer.from(
  encodeEnvelope({
    cwmpNamespace: 'urn:dslforum-org:cwmp-1-2',
    header: {},
    body: { method: 'InformResponse', MaxEnvelopes: 1 },
  }),
);

export interface FloorAcs {
  url: string;
  /** The bodies of a session's 200 answers, in order (the InformResponse first); the 204 follows them. */
  setTurns(turns: readonly Buffer[]): void;
  close(): Promise<void>;
}

/**
 * The floor the ACS benchmarks measure against: a minimal loopback CWMP responder that answers a session's
 * requests with canned bytes — the InformResponse, then the RPCs it was given (`setTurns`: the very bodies a real
 * ACS sent in one session, for a floor that asks the same of the devices), then 204 — and keeps nothing. It
 * parses nothing either: a request's place in its session is its place on its connection since the last 204.
 */
export async function startFloorAcs(
  turns: readonly Buffer[] = [CANNED_INFORM_RESPONSE],
): Promise<FloorAcs> {
  let canned = [...turns];
  const place = new WeakMap<Socket, number>();
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const turn = place.get(req.socket) ?? 0;
    const body = canned[turn];
    if (body === undefined) {
      place.set(req.socket, 0);
      res.writeHead(204);
      res.end();
      return;
    }
    place.set(req.socket, turn + 1);
    res.writeHead(200, {
      'Content-Type': 'text/xml; charset="utf-8"',
      'Content-Length': String(body.length),
    });
    res.end(body);
  };
  const server = createServer((req, res) => {
    req.on('end', () => answer(req, res));
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/acs`,
    setTurns: (next) => {
      canned = [...next];
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
