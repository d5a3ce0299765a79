import { Type } from 'typebox';
import { Secret } from '../../store/secret.ts';
import type { UserRecord } from '../../store/users.ts';
import { type App, principalOf, type RouteDeps } from '../app.ts';
import { actorOf } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { bodyErrors, errors, NoContent } from '../schemas/common.ts';
import { RoleName } from '../schemas/records.ts';

const TAGS = ['users'];
const UserView = Type.Object({
  name: Type.String(),
  role: RoleName,
  createdAt: Type.Integer(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  passwordChangedAt: Type.Integer(),
  lastLoginAt: Type.Union([Type.Integer(), Type.Null()]),
});
const UserParams = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const Password = Type.String({
  minLength: 12,
  maxLength: 256,
  description: '12 to 256 characters',
});

/**
 * Console users (admin), and one's own password (any role: the current password is asked, so a session left
 * open is not enough to take the account). Changing a password or removing a user ends their sessions; the last
 * admin can be neither removed nor demoted (409).
 */
export function userRoutes(app: App, { store, log }: RouteDeps): void {
  app.get(
    '/api/v1/users',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Console users, by name',
        response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errors() },
      },
    },
    async () => ({ users: await store.users.list() }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Create a console user',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 64 }),
            role: RoleName,
            password: Password,
          },
          { additionalProperties: false },
        ),
        response: { 201: UserView, ...bodyErrors(409) },
      },
    },
    async (request, reply) => {
      const by = actorOf(principalOf(request));
      const user = await store.users.create({
        name: request.body.name,
        role: request.body.role as UserRecord['role'],
        password: new Secret(request.body.password),
        createdBy: by,
      });
      log('user-created', { user: user.name, role: user.role, by });
      return reply.code(201).send(user);
    },
  );

  app.put(
    '/api/v1/users/:name/password',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'Set a password: an admin for anyone; any user for themselves, giving the current one. Ends that user’s sessions',
        params: UserParams,
        body: Type.Object(
          { password: Password, currentPassword: Type.Optional(Type.String({ maxLength: 1024 })) },
          { additionalProperties: false },
        ),
        response: { 204: NoContent, ...bodyErrors(404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { name } = request.params;
      const self = principal.kind === 'user' && principal.name === name;
      if (principal.role !== 'admin' && !self) {
        throw new ApiError('forbidden', 'only an admin sets another user’s password');
      }
      if (self) {
        const current = request.body.currentPassword;
        const ok =
          current !== undefined &&
          (await store.users.verifyPassword(name, new Secret(current))) !== null;
        if (!ok) {
          throw new ApiError('invalid', 'the current password is wrong', 'currentPassword');
        }
      }
      await store.users.setPassword(name, new Secret(request.body.password));
      log('user-password-set', { user: name, by: actorOf(principal) });
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/api/v1/users/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Change a user’s role (at once, sessions included)',
        params: UserParams,
        body: Type.Object({ role: RoleName }, { additionalProperties: false }),
        response: { 200: UserView, ...bodyErrors(404, 409) },
      },
    },
    async (request) => {
      const user = await store.users.setRole(
        request.params.name,
        request.body.role as UserRecord['role'],
      );
      log('user-role-set', { user: user.name, role: user.role, by: actorOf(principalOf(request)) });
      return user;
    },
  );

  app.delete(
    '/api/v1/users/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Remove a user and end their sessions',
        params: UserParams,
        response: { 204: NoContent, ...errors(404, 409) },
      },
    },
    async (request, reply) => {
      await store.users.remove(request.params.name);
      log('user-removed', { user: request.params.name, by: actorOf(principalOf(request)) });
      return reply.code(204).send(null);
    },
  );
}
