import { Type } from 'typebox';
import { isStoreError } from '../../store/errors.ts';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { DefinitionsFileRefused, FILE_NAME } from '../datamodel-registry.ts';
import { definitionView } from '../definition-view.ts';
import { deviceModelReport } from '../device-model-report.ts';
import { parseFilter } from '../device-query.ts';
import { ApiError } from '../errors.ts';
import { fleetModelReport } from '../fleet-model-report.ts';
import { DeviceParams, errors, NoContent } from '../schemas/common.ts';

const TAGS = ['data model'];
const Finding = Type.Object({
  path: Type.String(),
  rule: Type.String(),
  message: Type.String({ description: 'One line; device strings quoted and cut' }),
});
const Counts = Type.Record(Type.String(), Type.Integer());
const MAX_FLEET = 10_000;
const MAX_XML_BYTES = 32 * 1024 * 1024;
const FileParams = Type.Object(
  {
    name: Type.String({ pattern: FILE_NAME.source, description: 'The file name, ending in .xml' }),
  },
  { additionalProperties: false },
);
const UploadedView = Type.Object({
  name: Type.String(),
  bytes: Type.Integer(),
  roots: Type.Array(Type.String()),
});

/** Data-model definitions, and what devices get wrong of them (per device, and for a fleet). */
export function dataModelRoutes(
  app: App,
  { store, definitions, datamodelFiles, log }: RouteDeps,
): void {
  // A BBF file is XML text; TR-181's full file is 4 MB.
  app.addContentTypeParser(
    ['application/xml', 'text/xml'],
    { parseAs: 'string', bodyLimit: MAX_XML_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/v1/datamodel/files',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary:
          'The BBF data-model files uploaded through the API, which writes and reports are checked against',
        response: {
          200: Type.Object({
            files: Type.Array(
              Type.Object({
                name: Type.String(),
                bytes: Type.Integer(),
                roots: Type.Array(Type.String()),
              }),
            ),
          }),
          ...errors(),
        },
      },
    },
    async () => ({ files: (await datamodelFiles()).list() }),
  );

  app.put(
    '/api/v1/datamodel/files/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary:
          'Upload a BBF data-model XML (a vendor model in the BBF format, a newer TR-181; tr-106-types.xml for the named types the others import): checked with the others, kept, used at once; 201 when new',
        params: FileParams,
        consumes: ['application/xml', 'text/xml'],
        response: {
          200: UploadedView,
          201: UploadedView,
          ...errors(400, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      const text = request.body as unknown;
      if (typeof text !== 'string' || text === '')
        throw new ApiError('invalid', 'the body is the XML file, as application/xml', 'body');
      const files = await datamodelFiles();
      let created: boolean;
      try {
        ({ created } = await files.put(name, text));
      } catch (error) {
        if (error instanceof DefinitionsFileRefused)
          throw new ApiError('invalid', error.message, 'body');
        throw error;
      }
      log('datamodel-file-uploaded', { name, bytes: Buffer.byteLength(text), created });
      const file = files.list().find((f) => f.name === name)!;
      return reply.code(created ? 201 : 200).send(file);
    },
  );

  app.delete(
    '/api/v1/datamodel/files/:name',
    {
      config: { role: 'admin' },
      schema: {
        tags: TAGS,
        summary: 'Remove an uploaded data-model file',
        params: FileParams,
        response: { 204: NoContent, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      let removed: boolean;
      try {
        removed = await (await datamodelFiles()).remove(name);
      } catch (error) {
        if (error instanceof DefinitionsFileRefused)
          throw new ApiError('invalid', error.message, 'name');
        throw error;
      }
      if (!removed) throw new ApiError('not-found', 'no such data-model file', 'name');
      log('datamodel-file-removed', { name });
      return reply.code(204).send(null);
    },
  );

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
