import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { ChangeFeed } from '../../store/change-feed.ts';
import type { App, RouteDeps } from '../app.ts';
import { errors } from '../schemas/common.ts';

/** What the dashboard asks of the running ACS. */
export interface DashboardSources {
  /** The CWMP change feed (Informs are counted from it). */
  changes: ChangeFeed;
  /** CWMP sessions open now. */
  sessionsInFlight?: () => number;
  /** The process's metrics: connection requests are read from `corral_connection_requests_total`. */
  metrics?: Registry;
  /** "Seen recently" means an Inform within this window; default 1 h (Corral's zero-touch periodic interval). */
  recentWindowMs?: number;
}

const MINUTES = 60;

/**
 * Informs per minute over the last hour, counted as they arrive in this process (a restart starts from zero;
 * each node of several counts its own).
 */
export class InformRate {
  readonly #counts = new Map<number, number>();
  readonly #clock: () => number;

  constructor(changes: ChangeFeed, clock: () => number) {
    this.#clock = clock;
    changes.subscribe((change) => {
      if (change.kind !== 'device' || change.change !== 'inform') return;
      const minute = minuteOf(this.#clock());
      this.#counts.set(minute, (this.#counts.get(minute) ?? 0) + 1);
      if (this.#counts.size > MINUTES + 1) {
        for (const m of this.#counts.keys())
          if (m <= minute - MINUTES * 60_000) this.#counts.delete(m);
      }
    });
  }

  /** The last hour, oldest first, one entry per minute (zeros included). */
  lastHour(): { minute: number; count: number }[] {
    const now = minuteOf(this.#clock());
    return Array.from({ length: MINUTES }, (_, i) => {
      const minute = now - (MINUTES - 1 - i) * 60_000;
      return { minute, count: this.#counts.get(minute) ?? 0 };
    });
  }
}

function minuteOf(ms: number): number {
  return ms - (ms % 60_000);
}

const Count = Type.Integer({ minimum: 0 });

/** `GET /api/v1/dashboard`: the figures of the console's first page, in one call. */
export function dashboardRoute(
  app: App,
  { store, clock }: RouteDeps,
  sources: DashboardSources,
): void {
  const informs = new InformRate(sources.changes, clock);
  const windowMs = sources.recentWindowMs ?? 3_600_000;
  app.get(
    '/api/v1/dashboard',
    {
      config: { role: 'read-only' },
      schema: {
        tags: ['console'],
        summary:
          'Fleet figures: devices, Informs per minute, sessions, faults, campaigns, connection requests',
        response: {
          200: Type.Object({
            devices: Type.Object({
              total: Count,
              seenRecently: Type.Integer({
                minimum: 0,
                description: 'With an Inform within the window',
              }),
              recentWindowSeconds: Count,
            }),
            informsPerMinute: Type.Array(Type.Object({ minute: Type.Integer(), count: Count }), {
              description: 'The last 60 minutes, oldest first, as counted by this process',
            }),
            sessionsInFlight: Type.Union([Count, Type.Null()]),
            faultsByCode: Type.Array(
              Type.Object({
                code: Type.String({
                  description: 'The CWMP fault code, or the source (timeout, …)',
                }),
                count: Count,
              }),
            ),
            campaigns: Type.Object({ byState: Type.Record(Type.String(), Count) }),
            connectionRequests: Type.Object({ sent: Count, succeeded: Count }),
          }),
          ...errors(),
        },
      },
    },
    async () => {
      const now = clock();
      const [total, seenRecently, faulted, campaigns] = await Promise.all([
        store.devices.count(),
        store.devices.count([
          { kind: 'field', field: 'lastInformAt', op: 'gte', value: now - windowMs },
        ]),
        store.tasks.faultCounts(),
        store.campaigns.list({ limit: 1000 }),
      ]);
      const byState: Record<string, number> = {};
      for (const c of campaigns) byState[c.state] = (byState[c.state] ?? 0) + 1;
      return {
        devices: { total, seenRecently, recentWindowSeconds: Math.round(windowMs / 1000) },
        informsPerMinute: informs.lastHour(),
        sessionsInFlight: sources.sessionsInFlight?.() ?? null,
        faultsByCode: faulted,
        campaigns: { byState },
        connectionRequests: await connectionRequests(sources.metrics),
      };
    },
  );
}

async function connectionRequests(metrics: Registry | undefined) {
  const counter = metrics?.getSingleMetric('corral_connection_requests_total');
  if (counter === undefined) return { sent: 0, succeeded: 0 };
  let sent = 0;
  let succeeded = 0;
  for (const { value, labels } of (await counter.get()).values) {
    sent += value;
    if (labels.result === 'ok') succeeded += value;
  }
  return { sent, succeeded };
}
