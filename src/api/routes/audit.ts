import { Type } from 'typebox';
import { MAX_AUDIT_ACTION, MAX_AUDIT_ACTOR } from '../../store/audit.ts';
import type { App, RouteDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { errors, Limit, Offset } from '../schemas/common.ts';

const TAGS = ['audit'];
const Ms = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

export const AuditEntryView = Type.Object({
  id: Type.Integer({ description: 'Increasing' }),
  at: Type.Integer({ description: 'ms since the epoch' }),
  actor: Type.String({
    description: "Who: 'api-key:<id>', 'admin-key' (CORRAL_API_KEY), 'campaign:<id>', 'system'",
  }),
  action: Type.String({
    description: "What: '<METHOD> <route pattern>' for API calls, e.g. 'PUT /api/v1/presets/:name'",
  }),
  target: Type.Union([Type.String(), Type.Null()], {
    description: 'What it acted on: the route’s path parameters joined by /, or the id it created',
  }),
  outcome: Type.Union([Type.Integer(), Type.Null()], {
    description: 'The HTTP status (a refused attempt too); null for internal actors',
  }),
  details: Type.Unknown({
    description:
      'Path parameters, query and body with secrets "[redacted]"; a large body is summarised, details over 8 KB are cut',
  }),
});

/** The audit log (admin): every authenticated change through the API and by internal actors. */
export function auditRoutes(app: App, { store }: RouteDeps): void {
  app.get(
    '/api/v1/audit',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'The audit log, newest first; filters are exact, since and until inclusive (ms)',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_AUDIT_ACTOR })),
            action: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_AUDIT_ACTION })),
            target: Type.Optional(Type.String({ maxLength: 16_384 })),
            since: Type.Optional(Ms),
            until: Type.Optional(Ms),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ entries: Type.Array(AuditEntryView) }), ...errors() },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.since !== undefined && q.until !== undefined && q.until < q.since) {
        throw new ApiError('invalid', 'until must not be before since', 'until');
      }
      const entries = await store.audit.list({
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.action !== undefined ? { action: q.action } : {}),
        ...(q.target !== undefined ? { target: q.target } : {}),
        ...(q.since !== undefined ? { since: q.since } : {}),
        ...(q.until !== undefined ? { until: q.until } : {}),
        limit: q.limit,
        offset: q.offset,
      });
      return { entries };
    },
  );
}
