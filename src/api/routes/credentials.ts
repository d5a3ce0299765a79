import { Type } from 'typebox';
import { isLimited } from '../../store/credentials.ts';
import { Secret } from '../../store/secret.ts';
import { type App, deviceIdParam, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { bodyErrors, DeviceParams, errors, NoContent } from '../schemas/common.ts';
import { BootstrapCredentialView, DeviceCredentialsView } from '../schemas/records.ts';

const TAGS = ['credentials'];
const Username = Type.String({ minLength: 1, maxLength: 256 });
const Password = Type.String({ minLength: 1, maxLength: 256, description: 'Write-only' });
const Pair = Type.Object(
  { username: Username, password: Password },
  { additionalProperties: false },
);

/**
 * Credentials (admin), write-only: passwords go in, never come out (security.md item 13). The CPE's own
 * Digest credential, its connection-request credential, and shared bootstrap credentials with allow-lists.
 * A device's credentials may be set before its first Inform.
 */
export function credentialRoutes(app: App, { store, log }: RouteDeps): void {
  const audit = (
    event: string,
    fields: Record<string, unknown>,
    request: Parameters<typeof principalOf>[0],
  ) => log(event, { ...fields, by: actorOf(principalOf(request)) });

  app.get(
    '/api/v1/devices/:deviceId/credentials',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary:
          'Which credentials a device has (no password; the connection-request username is secret too)',
        params: DeviceParams,
        response: { 200: DeviceCredentialsView, ...errors() },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const [cpe, cr] = await Promise.all([
        store.credentials.getCpe(id),
        store.credentials.getConnectionRequest(id),
      ]);
      return {
        cpe: cpe === null ? null : { username: cpe.username, updatedAt: cpe.updatedAt },
        connectionRequest:
          cr === null ? null : { configured: true as const, updatedAt: cr.updatedAt },
      };
    },
  );

  for (const kind of ['cpe', 'connection-request'] as const) {
    const what = kind === 'cpe' ? 'CPE authentication (Digest)' : 'connection-request';
    app.put(
      `/api/v1/devices/:deviceId/credentials/${kind}`,
      {
        config: { role: 'admin' },
        schema: {
          tags: TAGS,
          summary: `Set the device’s ${what} credential (write-only)`,
          params: DeviceParams,
          body: Pair,
          response: { 204: NoContent, ...bodyErrors(409) },
        },
      },
      async (request, reply) => {
        const id = deviceIdParam(request.params.deviceId);
        const credential = {
          username: request.body.username,
          password: new Secret(request.body.password),
        };
        if (kind === 'cpe') await store.credentials.setCpe(id, credential);
        else await store.credentials.setConnectionRequest(id, credential);
        audit('api-credential-set', { deviceId: id, kind }, request);
        return reply.code(204).send(null);
      },
    );

    app.delete(
      `/api/v1/devices/:deviceId/credentials/${kind}`,
      {
        config: { role: 'admin' },
        schema: {
          tags: TAGS,
          summary: `Delete the device’s ${what} credential`,
          params: DeviceParams,
          response: { 204: NoContent, ...errors(404) },
        },
      },
      async (request, reply) => {
        const id = deviceIdParam(request.params.deviceId);
        const deleted =
          kind === 'cpe'
            ? await store.credentials.deleteCpe(id)
            : await store.credentials.deleteConnectionRequest(id);
        if (!deleted) throw new ApiError('not-found', `no ${kind} credential`, 'deviceId');
        audit('api-credential-deleted', { deviceId: id, kind }, request);
        return reply.code(204).send(null);
      },
    );
  }

  const UsernameParams = Type.Object({ username: Username }, { additionalProperties: false });

  app.get(
    '/api/v1/bootstrap-credentials',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Shared bootstrap credentials (no passwords)',
        response: {
          200: Type.Object({ credentials: Type.Array(BootstrapCredentialView) }),
          ...errors(),
        },
      },
    },
    async () => ({ credentials: await store.credentials.listBootstrap() }),
  );

  app.put(
    '/api/v1/bootstrap-credentials/:username',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Create or replace a bootstrap credential; its allow-list must limit it',
        params: UsernameParams,
        body: Type.Object(
          {
            password: Password,
            allow: Type.Object(
              {
                ouis: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 1000 })),
                productClasses: Type.Optional(
                  Type.Array(Type.String({ maxLength: 256 }), { maxItems: 1000 }),
                ),
                serialPattern: Type.Optional(
                  Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], {
                    description: 'Glob: * any run, ? one character',
                  }),
                ),
              },
              { additionalProperties: false },
            ),
            enabled: Type.Optional(Type.Boolean({ default: true })),
          },
          { additionalProperties: false },
        ),
        response: { 200: BootstrapCredentialView, ...bodyErrors() },
      },
    },
    async (request) => {
      const { password, enabled } = request.body;
      const allow = {
        ouis: request.body.allow.ouis ?? [],
        productClasses: request.body.allow.productClasses ?? [],
        serialPattern: request.body.allow.serialPattern ?? null,
      };
      if (!isLimited(allow)) {
        throw new ApiError(
          'invalid',
          'allow must limit the credential by ouis, productClasses or serialPattern',
          'allow',
        );
      }
      const info = await store.credentials.putBootstrap({
        username: request.params.username,
        password: new Secret(password),
        allow,
        enabled: enabled ?? true,
      });
      audit('api-bootstrap-credential-set', { username: info.username }, request);
      return info;
    },
  );

  app.delete(
    '/api/v1/bootstrap-credentials/:username',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Delete a bootstrap credential',
        params: UsernameParams,
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      if (!(await store.credentials.deleteBootstrap(request.params.username))) {
        throw new ApiError('not-found', 'no such bootstrap credential', 'username');
      }
      audit('api-bootstrap-credential-deleted', { username: request.params.username }, request);
      return reply.code(204).send(null);
    },
  );
}
