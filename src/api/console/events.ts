import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import type { ChangeFeed, StoreChange } from '../../store/change-feed.ts';
import type { App, RouteDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { errors } from '../schemas/common.ts';

export interface EventStreamOptions {
  /** Streams open at once; more get 503. Default 1000. */
  maxStreams?: number;
  /** How often queued changes go out, coalesced (a device that informed twice is one event). Default 250 ms. */
  flushMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream. Default 15 s. */
  heartbeatMs?: number;
}

/** A stream whose client reads slower than this many bytes behind is closed (it reconnects and reloads). */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * `GET /api/v1/events`: the store's changes as server-sent events, for the console's live pages — `task`
 * (`{taskId, deviceId, state}`), `device` (`{deviceId, change}`: inform, parameters, tags, deleted) and
 * `campaign` (`{campaignId, state}`). Events name what changed, never its content: the page fetches what it
 * shows through the API, under the caller's role. Changes are coalesced per flush so a storm of Informs is at
 * most one event per device per flush, and a slow reader is dropped rather than buffered without end.
 */
export function eventRoutes(
  app: App,
  { closing, log }: RouteDeps,
  feed: ChangeFeed,
  options: EventStreamOptions = {},
): void {
  const maxStreams = options.maxStreams ?? 1000;
  const flushMs = options.flushMs ?? 250;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const open = new Set<() => void>();
  closing.addEventListener('abort', () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/api/v1/events',
    {
      config: { role: 'read-only' },
      schema: {
        tags: ['console'],
        summary:
          'The store’s changes as server-sent events: task, device and campaign (ids and states only)',
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...errors(503),
        },
      },
    },
    async (request, reply) => {
      if (open.size >= maxStreams) throw new ApiError('unavailable', 'too many event streams open');
      reply.hijack();
      const res: ServerResponse = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: corral events\n\n`);
      const pending = new Map<string, StoreChange>();
      let timer: NodeJS.Timeout | undefined;
      const flush = () => {
        timer = undefined;
        let text = '';
        for (const change of pending.values()) text += frame(change);
        pending.clear();
        if (text === '') return;
        res.write(text);
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          log('event-stream-dropped', { remoteAddress: request.ip, reason: 'slow reader' }, 'warn');
          end();
        }
      };
      const unsubscribe = feed.subscribe((change) => {
        pending.set(keyOf(change), change);
        timer ??= setTimeout(flush, flushMs);
      });
      const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
      heartbeat.unref();
      const end = () => {
        if (!open.delete(end)) return;
        unsubscribe();
        clearInterval(heartbeat);
        if (timer !== undefined) clearTimeout(timer);
        res.end();
      };
      open.add(end);
      res.on('close', end);
    },
  );
}

function keyOf(change: StoreChange): string {
  switch (change.kind) {
    case 'task':
      return `task:${change.taskId}`;
    case 'device':
      return `device:${change.deviceId}:${change.change}`;
    case 'campaign':
      return `campaign:${change.campaignId}`;
  }
}

function frame(change: StoreChange): string {
  const { kind, ...data } = change;
  return `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
}
