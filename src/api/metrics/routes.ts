import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import type { Store } from '../../store/store.ts';
import type { App } from '../app.ts';
import { errors } from '../schemas/common.ts';

/** The listeners besides the API's own, by name (`cwmp`, `files`): each says whether it accepts connections. */
export type ListenerChecks = Record<string, () => boolean>;

/**
 * `/health` and `/ready`, for load balancers and orchestrators: no API key (`public`), outside `/api/v1`, out of
 * the OpenAPI document, and saying nothing about the software (no versions, no paths, no error texts).
 */
export function healthRoutes(
  app: App,
  store: Store,
  server: () => Server,
  listeners: ListenerChecks,
): void {
  const config = { public: true } as const;
  const schema = { hide: true };
  app.get('/health', { config, schema }, async () => ({ status: 'ok' }));
  app.get('/ready', { config, schema }, async (_request, reply) => {
    const notReady: string[] = [];
    try {
      // A trivial query: one indexed read of at most one row.
      await store.campaigns.list({ limit: 1 });
    } catch {
      notReady.push('store');
    }
    if (!server().listening) notReady.push('api');
    for (const [name, listening] of Object.entries(listeners))
      if (!listening()) notReady.push(name);
    if (notReady.length === 0) return { status: 'ready' };
    return reply.code(503).send({ status: 'not-ready', notReady });
  });
}

/** `/metrics`: the Prometheus text format, behind an API key of any role like every other route. */
/** What /metrics reads: a registry, or the sum of every worker's (serve --workers). */
export type MetricsText = Pick<Registry, 'metrics' | 'contentType'>;

export function metricsRoute(app: App, registry: MetricsText): void {
  app.get(
    '/metrics',
    {
      config: { role: 'read-only' },
      schema: {
        tags: ['meta'],
        summary: 'The ACS’s metrics in the Prometheus text format',
        response: { 200: Type.String({ description: 'Prometheus text exposition' }), ...errors() },
      },
    },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.header('content-type', registry.contentType).send(text);
    },
  );
}
