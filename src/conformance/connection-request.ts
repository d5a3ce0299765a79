/**
 * The lab's connection request (TR-069 §3.2.2): an HTTP GET to the DUT's ConnectionRequestURL, answering its
 * Digest challenge with the configured credentials, or deliberately without credentials to see the 401.
 */
import { request } from 'node:http';
import { HttpAuthClient } from '../cwmp/index.ts';
import type { EvidenceLog } from './evidence.ts';

export type ConnectionRequestResult =
  | { ok: true; status: number; challenged: boolean; replayStatus?: number }
  | { ok: false; reason: 'unreachable' | 'timeout' | 'bad-url'; detail: string };

export interface ConnectionRequestTarget {
  url: string;
  username?: string;
  password?: string;
}

export async function sendConnectionRequest(
  target: ConnectionRequestTarget,
  evidence: EvidenceLog,
  options: { authenticate?: boolean; timeoutMs?: number; replay?: boolean } = {},
): Promise<ConnectionRequestResult> {
  let url: URL;
  try {
    url = new URL(target.url);
    if (url.protocol !== 'http:') throw new TypeError('not http');
  } catch {
    return { ok: false, reason: 'bad-url', detail: `"${target.url}" is not an http URL` };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const first = await get(url, undefined, timeoutMs, evidence);
  if (!first.ok) return first;
  if (first.status !== 401 || options.authenticate === false)
    return { ok: true, status: first.status, challenged: first.status === 401 };
  const client = new HttpAuthClient({
    username: target.username ?? '',
    password: target.password ?? '',
  });
  const answer = client.respond(first.challenges, {
    method: 'GET',
    uri: `${url.pathname}${url.search}`,
    tls: false,
  });
  if (!answer.ok) return { ok: true, status: 401, challenged: true };
  const second = await get(url, answer.authorization, timeoutMs, evidence);
  if (!second.ok) return second;
  if (options.replay !== true) return { ok: true, status: second.status, challenged: true };
  // The same Authorization again (same nonce, same nc): a DUT must not take it twice.
  const third = await get(url, answer.authorization, timeoutMs, evidence);
  return {
    ok: true,
    status: second.status,
    challenged: true,
    ...(third.ok ? { replayStatus: third.status } : {}),
  };
}

type GetResult =
  | { ok: true; status: number; challenges: string[] }
  | { ok: false; reason: 'unreachable' | 'timeout'; detail: string };

function get(
  url: URL,
  authorization: string | undefined,
  timeoutMs: number,
  evidence: EvidenceLog,
): Promise<GetResult> {
  evidence.record({
    direction: 'lab-to-dut',
    kind: 'connection-request',
    method: 'GET',
    headers: authorization === undefined ? {} : { authorization: 'Digest …' },
    body: '',
  });
  return new Promise((resolve) => {
    const req = request(
      url,
      { headers: authorization === undefined ? {} : { Authorization: authorization } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (chunks.length < 64) chunks.push(c);
        });
        res.on('end', () => {
          const challenges: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
              challenges.push(res.rawHeaders[i + 1]!);
          evidence.record({
            direction: 'dut-to-lab',
            kind: 'connection-request',
            status: res.statusCode ?? 0,
            headers: challenges.length > 0 ? { 'www-authenticate': 'Digest …' } : {},
            body: Buffer.concat(chunks).toString('utf8').slice(0, 4096),
          });
          resolve({ ok: true, status: res.statusCode ?? 0, challenges });
        });
        res.on('error', (error) =>
          resolve({ ok: false, reason: 'unreachable', detail: error.message }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ ok: false, reason: 'timeout', detail: `no answer within ${timeoutMs / 1000} s` });
    });
    req.on('error', (error) =>
      resolve({ ok: false, reason: 'unreachable', detail: error.message }),
    );
    req.end();
  });
}
