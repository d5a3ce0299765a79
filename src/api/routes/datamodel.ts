import { Type } from 'typebox';
import { isStoreError } from '../../store/errors.ts';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { definitionView } from '../definition-view.ts';
import { deviceModelReport } from '../device-model-report.ts';
import { parseFilter } from '../device-query.ts';
import { ApiError } from '../errors.ts';
import { fleetModelReport } from '../fleet-model-report.ts';
import { DeviceParams, errors } from '../schemas/common.ts';

const TAGS = ['data model'];
const Finding = Type.Object({
  path: Type.String(),
  rule: Type.String(),
  message: Type.String({ description: 'One line; device strings quoted and cut' }),
});
const Counts = Type.Record(Type.String(), Type.Integer());
const MAX_FLEET = 10_000;

/** Data-model definitions, and what devices get wrong of them (per device, and for a fleet). */
export function dataModelRoutes(app: App, { store, definitions }: RouteDeps): void {
  app.get(
    '/api/v1/datamodel/definition',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'A parameter’s or object’s definition: type, ranges, enumerations, units, access, version, the profiles requiring it',
        querystring: Type.Object(
          {
            path: Type.String({
              minLength: 1,
              maxLength: 1024,
              description:
                'A concrete path (`Device.WiFi.SSID.1.SSID`) or a table (`Device.WiFi.SSID.`)',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ definition: Type.Unknown() }), ...errors(404) },
      },
    },
    async (request) => {
      const definition = definitionView(await definitions(), request.query.path);
      if (definition === null)
        throw new ApiError('not-found', 'no definition names that path', 'path');
      return { definition };
    },
  );

  app.get(
    '/api/v1/devices/:deviceId/datamodel',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'What the device gets wrong of its data model, from its stored tree: unknown or badly named names, missing required ones, types, writability, values, versions',
        params: DeviceParams,
        response: {
          200: Type.Object({
            deviceId: Type.String(),
            root: Type.Union([Type.String(), Type.Null()]),
            model: Type.Union([Type.String(), Type.Null()]),
            items: Type.Integer({ description: 'Stored paths checked' }),
            counts: Counts,
            findings: Type.Array(Finding),
            truncated: Type.Boolean(),
          }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      try {
        return await deviceModelReport(store, await definitions(), id);
      } catch (error) {
        if (isStoreError(error) && error.code === 'not-found')
          throw new ApiError('not-found', 'no such device', 'deviceId');
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/datamodel/report',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'The data-model report of a fleet, by ProductClass and SoftwareVersion: how many devices deviate, by which rule, where',
        querystring: Type.Object(
          {
            filter: Type.Optional(
              Type.String({
                maxLength: 65_536,
                description: 'The devices, as GET /api/v1/devices filters them (JSON conditions)',
              }),
            ),
            limit: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: MAX_FLEET,
                description: 'Devices checked at most, the first by id (default 1,000)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            checked: Type.Integer(),
            groups: Type.Array(
              Type.Object({
                productClass: Type.String(),
                softwareVersion: Type.Union([Type.String(), Type.Null()]),
                devices: Type.Integer(),
                deviating: Type.Integer(),
                rules: Counts,
                paths: Type.Array(
                  Type.Object({
                    rule: Type.String(),
                    schemaPath: Type.String(),
                    devices: Type.Integer(),
                  }),
                ),
              }),
            ),
          }),
          ...errors(),
        },
      },
    },
    async (request) => {
      const filter = request.query.filter === undefined ? [] : parseFilter(request.query.filter);
      return fleetModelReport(store, await definitions(), filter, request.query.limit ?? 1000);
    },
  );
}
