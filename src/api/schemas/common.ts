import { type TSchema, Type } from 'typebox';
import { DEFAULT_PAGE, MAX_PAGE } from '../../store/store.ts';

/** `{ "error": { "code", "message", "field"?, "details"? } }`. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({
        description: 'Stable error code (unauthenticated, forbidden, invalid, …)',
      }),
      message: Type.String({
        description:
          'For people; an enum refused lists its allowed values (`role must be one of …`)',
      }),
      field: Type.Optional(
        Type.String({ description: 'The offending input, when one is to blame' }),
      ),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String({ description: 'The offending input (`parameters[2].value`)' }),
            message: Type.String(),
          }),
          {
            description:
              'One problem per field, when there are several (per-parameter checks of SetParameterValues, for one)',
          },
        ),
      ),
    }),
  },
  { description: 'An error' },
);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (code invalid or malformed-json)',
  401: 'No valid API key (code unauthenticated)',
  403: 'The key’s role may not do this (code forbidden)',
  404: 'Not found (code not-found)',
  409: 'Conflicts with the record’s state (code conflict)',
  413: 'Body over the cap (code body-too-large)',
  415: 'Body not application/json (code unsupported-media-type)',
  422: 'The device’s data model says it is wrong (code model-violation; details name each parameter and rule)',
};

/** The error responses every route can give, plus `extra` (404, 409 …), for the route's `response`. */
export function errors(...extra: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of [400, 401, 403, ...extra]) {
    out[status] = { ...ErrorBody, description: ERROR_DESCRIPTIONS[status] ?? 'Error' } as TSchema;
  }
  return out;
}

/** With a body: 413 and 415 as well. */
export function bodyErrors(...extra: number[]): Record<number, TSchema> {
  return errors(413, 415, ...extra);
}

export const DeviceIdParam = Type.String({
  minLength: 5,
  maxLength: 16_384,
  pattern: '^[A-Za-z0-9._-]+$',
  description: 'Device id: OUI-ProductClass-SerialNumber, each part escaped (`_XX` per byte)',
});

export const DeviceParams = Type.Object(
  { deviceId: DeviceIdParam },
  { additionalProperties: false },
);

export const TaskParams = Type.Object(
  { taskId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

export const Limit = Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE });
export const Offset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 });

export const NoContent = Type.Null({ description: 'No content' });
