import { Type } from 'typebox';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { bodyErrors, errors } from '../schemas/common.ts';
import { ApiKeyView, RoleName } from '../schemas/records.ts';

const TAGS = ['api-keys'];
const KeyParams = Type.Object(
  { keyId: Type.String({ pattern: '^[0-9a-f]{16}$', description: 'The key’s public id' }) },
  { additionalProperties: false },
);

/** API keys (admin): create (the token is shown once), list (never a token or hash), revoke. */
export function apiKeyRoutes(app: App, { store, clock, log }: RouteDeps): void {
  app.post(
    '/api/v1/api-keys',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Create an API key; the response is the only time its token is shown',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 256 }),
            role: RoleName,
            expiresAt: Type.Optional(
              Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
                description: 'ms since the epoch; null or absent: never',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            key: ApiKeyView,
            token: Type.String({
              description: 'Send as `Authorization: Bearer <token>`; not retrievable later',
            }),
          }),
          ...bodyErrors(),
        },
      },
    },
    async (request, reply) => {
      const { name, role, expiresAt } = request.body;
      if (expiresAt !== undefined && expiresAt !== null && expiresAt <= clock()) {
        throw new ApiError('invalid', 'expiresAt must be in the future', 'expiresAt');
      }
      const by = actorOf(principalOf(request));
      const created = await store.apiKeys.create({
        name,
        role: role as (typeof created.key)['role'],
        expiresAt: expiresAt ?? null,
        createdBy: by,
      });
      log('api-key-created', { keyId: created.key.id, role: created.key.role, by });
      reply.code(201);
      return { key: created.key, token: created.token.reveal() };
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'List API keys (never their tokens)',
        response: { 200: Type.Object({ keys: Type.Array(ApiKeyView) }), ...errors() },
      },
    },
    async () => ({ keys: await store.apiKeys.list() }),
  );

  app.delete(
    '/api/v1/api-keys/:keyId',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Revoke an API key (it stops working at once); returns the key',
        params: KeyParams,
        response: { 200: ApiKeyView, ...errors(404) },
      },
    },
    async (request) => {
      const key = await store.apiKeys.revoke(request.params.keyId);
      log('api-key-revoked', { keyId: key.id, by: actorOf(principalOf(request)) });
      return key;
    },
  );
}
