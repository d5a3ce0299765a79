import { Type } from 'typebox';
import { type App, deviceIdParam, type RouteDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { DeviceIdParam, DeviceParams, errors } from '../schemas/common.ts';
import { TraceMessageView, TraceSessionView } from '../schemas/records.ts';

const TAGS = ['traces'];

/** Session traces: the SOAP messages of a device's last sessions (secrets were redacted when recorded). */
export function traceRoutes(app: App, { store }: RouteDeps): void {
  app.get(
    '/api/v1/devices/:deviceId/sessions',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'The device’s traced sessions, newest first',
        params: DeviceParams,
        response: { 200: Type.Object({ sessions: Type.Array(TraceSessionView) }), ...errors(404) },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      if ((await store.devices.get(id)) === null) {
        throw new ApiError('not-found', 'no such device', 'deviceId');
      }
      return { sessions: await store.traces.sessions(id) };
    },
  );

  app.get(
    '/api/v1/devices/:deviceId/sessions/:sessionId',
    {
      config: { role: 'read-only' },
      schema: {
        tags: TAGS,
        summary: 'One traced session with its messages',
        params: Type.Object(
          {
            deviceId: DeviceIdParam,
            sessionId: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9._-]+$' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ session: TraceSessionView, messages: Type.Array(TraceMessageView) }),
          ...errors(404),
        },
      },
    },
    async (request) => {
      const id = deviceIdParam(request.params.deviceId);
      const trace = await store.traces.read(id, request.params.sessionId);
      if (trace === null) throw new ApiError('not-found', 'no such session trace', 'sessionId');
      return trace;
    },
  );
}
