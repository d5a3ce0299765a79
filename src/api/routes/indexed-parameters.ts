import { Type } from 'typebox';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError, fromStoreError } from '../errors.ts';
import { bodyErrors, errors, NoContent } from '../schemas/common.ts';

const TAGS = ['devices'];
const Pattern = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'A parameter path, `*` standing for any instance number: `Device.WiFi.SSID.*.SSID`',
});
const Patterns = Type.Object({ patterns: Type.Array(Type.String()) });

/**
 * The parameters an operator marks for fleet-wide search: their values go into the value index, so a device
 * filter on them is an index seek (0.5 ms at 1,000,000 devices) instead of a lookup per device (seconds).
 * Marking rewrites the flag over every stored row of the fleet at once, so it takes the admin role.
 */
export function indexedParameterRoutes(app: App, { store, log }: RouteDeps): void {
  app.get(
    '/api/v1/indexed-parameters',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'The parameters marked for fleet-wide search (in the value index)',
        response: { 200: Patterns, ...errors() },
      },
    },
    async () => ({ patterns: await store.parameters.listIndexed() }),
  );

  app.post(
    '/api/v1/indexed-parameters',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Mark a parameter for fleet-wide search: its stored values are indexed at once',
        body: Type.Object({ pattern: Pattern }, { additionalProperties: false }),
        response: { 200: Patterns, 201: Patterns, ...bodyErrors() },
      },
    },
    async (request, reply) => {
      const { pattern } = request.body;
      const existed = (await store.parameters.listIndexed()).includes(pattern);
      const started = performance.now();
      try {
        await store.parameters.markIndexed(pattern);
      } catch (error) {
        throw fromStoreError(error, 'pattern') ?? error;
      }
      const ms = Math.round(performance.now() - started);
      log('parameter-indexed', { pattern, by: actorOf(principalOf(request)), ms });
      return reply
        .code(existed ? 200 : 201)
        .send({ patterns: await store.parameters.listIndexed() });
    },
  );

  app.delete(
    '/api/v1/indexed-parameters',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Unmark a parameter: filters on it go back to a lookup per device',
        querystring: Type.Object({ pattern: Pattern }, { additionalProperties: false }),
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      const { pattern } = request.query;
      if (!(await store.parameters.listIndexed()).includes(pattern))
        throw new ApiError('not-found', 'that pattern is not marked', 'pattern');
      await store.parameters.unmarkIndexed(pattern);
      log('parameter-unindexed', { pattern, by: actorOf(principalOf(request)) });
      return reply.code(204).send(null);
    },
  );
}
