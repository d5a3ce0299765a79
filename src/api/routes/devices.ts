import { Type } from 'typebox';
import { isStoreError } from '../../store/errors.ts';
import { DEFAULT_PAGE, MAX_PAGE } from '../../store/store.ts';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { DeviceListQuerystring, toDeviceListQuery } from '../device-query.ts';
import { ApiError } from '../errors.ts';
import { bodyErrors, DeviceIdParam, DeviceParams, errors, NoContent } from '../schemas/common.ts';
import {
  DeviceEventView,
  DeviceListItem,
  DeviceRecordView,
  ParameterView,
} from '../schemas/records.ts';
import { deviceListItem, parameterView } from '../views.ts';

const TAGS = ['devices'];
const Tag = Type.String({ minLength: 1, maxLength: 256 });
const TagList = Type.Object({ tags: Type.Array(Type.String()) });

/** Devices: list (filter, sort, page, project), one with its parameters, delete, events, tags. */
export function deviceRoutes(app: App, { store }: RouteDeps): void {
  app.get(
    '/api/v1/devices',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'List devices',
        querystring: DeviceListQuerystring,
        response: {
          200: Type.Object({
            devices: Type.Array(DeviceListItem),
            total: Type.Integer({ description: 'Devices matching the filter' }),
            limit: Type.Integer(),
            offset: Type.Integer(),
          }),
          ...errors(),
        },
      },
    },
    async (request) => {
      const query = toDeviceListQuery(request.query);
      const [devices, total] = await Promise.all([
        store.devices.list(query),
        store.devices.count(query.filter),
      ]);
      return {
        devices: devices.map(deviceListItem),
        total,
        limit: request.query.limit ?? DEFAULT_PAGE,
        offset: request.query.offset ?? 0,
      };
    },
  );

  app.get(
    '/api/v1/devices/:deviceId',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One device with its cached parameter tree (secret values are never returned)',
        params: DeviceParams,
        querystring: Type.Object(
          {
            prefix: Type.Optional(
              Type.String({ maxLength: 256, description: 'Only this path or subtree' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ device: DeviceRecordView, parameters: Type.Array(ParameterView) }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const device = await store.devices.get(id);
      if (device === null) throw new ApiError('not-found', 'no such device', 'deviceId');
      const prefix = request.query.prefix;
      const parameters = await store.parameters.list(id, prefix ? { prefix } : {});
      return { device, parameters: parameters.map(parameterView) };
    },
  );

  app.get(
    '/api/v1/devices/:deviceId/children',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'One level of a device’s cached parameter tree: the direct children of an object, without their subtrees',
        params: DeviceParams,
        querystring: Type.Object(
          {
            path: Type.String({
              maxLength: 1024,
              description:
                'An object path ending in "." (`Device.WiFi.`); empty for the root objects',
            }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            children: Type.Array(
              Type.Object({
                path: Type.String(),
                object: Type.Boolean(),
                parameter: Type.Union([ParameterView, Type.Null()], {
                  description:
                    'The child’s own row; null for an object known only from the parameters under it',
                }),
              }),
            ),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const { path, limit } = request.query;
      if (path !== '' && !path.endsWith('.'))
        throw new ApiError('invalid', 'path must be an object path, ending in "."', 'path');
      try {
        const children = await store.parameters.children(id, path, limit);
        return {
          children: children.map((c) => ({
            path: c.path,
            object: c.path.endsWith('.'),
            parameter: c.record === null ? null : parameterView(c.record),
          })),
        };
      } catch (error) {
        if (isStoreError(error) && error.code === 'not-found')
          throw new ApiError('not-found', 'no such device', 'deviceId');
        throw error;
      }
    },
  );

  app.delete(
    '/api/v1/devices/:deviceId',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Delete a device with its parameters, events, tasks, traces and credentials',
        params: DeviceParams,
        response: { 204: NoContent, ...errors(404) },
      },
    },
    async (request, reply) => {
      await store.devices.delete(deviceIdParam(request.params.deviceId));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/devices/:deviceId/events',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'The device’s Inform events, newest first',
        params: DeviceParams,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ events: Type.Array(DeviceEventView) }), ...errors(404) },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const limit = request.query.limit;
      return { events: await store.devices.events(id, limit !== undefined ? { limit } : {}) };
    },
  );

  app.post(
    '/api/v1/devices/:deviceId/tags',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Add tags to a device; returns its tags',
        params: DeviceParams,
        body: Type.Object(
          { tags: Type.Array(Tag, { minItems: 1, maxItems: 64 }) },
          { additionalProperties: false },
        ),
        response: { 200: TagList, ...bodyErrors(404) },
      },
    },
    async (request) => ({
      tags: await store.devices.addTags(deviceIdParam(request.params.deviceId), request.body.tags),
    }),
  );

  app.post(
    '/api/v1/devices/tags',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary:
          'Add and remove tags on a selection of devices (up to 1,000); devices that no longer exist are counted, not an error',
        body: Type.Object(
          {
            deviceIds: Type.Array(DeviceIdParam, { minItems: 1, maxItems: 1000 }),
            add: Type.Optional(Type.Array(Tag, { maxItems: 64 })),
            remove: Type.Optional(Type.Array(Tag, { maxItems: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            updated: Type.Integer({ description: 'Devices whose tags were set' }),
            missing: Type.Integer({
              description: 'Devices named that do not exist (deleted meanwhile)',
            }),
          }),
          ...bodyErrors(),
        },
      },
    },
    async (request) => {
      const { deviceIds, add = [], remove = [] } = request.body;
      if (add.length === 0 && remove.length === 0) {
        throw new ApiError('invalid', 'give tags to add or to remove', 'add');
      }
      let updated = 0;
      let missing = 0;
      for (const id of new Set(deviceIds.map(deviceIdParam))) {
        try {
          if (add.length > 0) await store.devices.addTags(id, add);
          if (remove.length > 0) await store.devices.removeTags(id, remove);
          updated++;
        } catch (error) {
          if (!isStoreError(error, 'not-found')) throw error;
          missing++;
        }
      }
      return { updated, missing };
    },
  );

  app.delete(
    '/api/v1/devices/:deviceId/tags/:tag',
    {
      config: { role: 'operator' },
      schema: {
        tags: TAGS,
        summary: 'Remove a tag from a device; returns its tags',
        params: Type.Object({ deviceId: DeviceIdParam, tag: Tag }, { additionalProperties: false }),
        response: { 200: TagList, ...errors(404) },
      },
    },
    async (request) => ({
      tags: await store.devices.removeTags(deviceIdParam(request.params.deviceId), [
        request.params.tag,
      ]),
    }),
  );

  app.get(
    '/api/v1/tags',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'Every tag in use, with its device count',
        response: {
          200: Type.Object({
            tags: Type.Array(Type.Object({ tag: Type.String(), devices: Type.Integer() })),
          }),
          ...errors(),
        },
      },
    },
    async () => ({ tags: await store.devices.listTags() }),
  );
}
