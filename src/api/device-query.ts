import { type Static, type TSchema, Type } from 'typebox';
import type { DeviceCondition, DeviceField, DeviceListQuery } from '../store/devices.ts';
import { ApiError, fromValidation } from './errors.ts';
import { Limit, Offset } from './schemas/common.ts';
import { DeviceFieldName } from './schemas/records.ts';
import { compileJson } from './validator.ts';

/**
 * The device list's query string. Simple things are plain parameters (`tag`, `sort`, `order`, `limit`,
 * `offset`, `fields`, `parameters`); the general filter is `filter`, a JSON array of conditions — the store's
 * `DeviceCondition`s, validated against the schema below, so a wrong condition is a 400 naming it
 * (`filter[1].op`). Every condition must hold (AND).
 */
const Scalar = Type.Union([Type.String({ maxLength: 4096 }), Type.Number()]);
const COMPARISONS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const;
const ParamPath = Type.String({ minLength: 1, maxLength: 256 });

// Discriminated by `kind`, so a wrong condition gets one precise error; which ops need `value` or
// `values` is checked after (checkOperands), naming the field.
const Condition = Type.Unsafe<DeviceCondition>({
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [
    Type.Object(
      {
        kind: Type.Literal('field'),
        field: DeviceFieldName,
        op: Type.Enum([...COMPARISONS, 'in', 'prefix', 'null', 'notNull']),
        value: Type.Optional(Scalar),
        values: Type.Optional(Type.Array(Scalar, { minItems: 1, maxItems: 1000 })),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('tag'),
        tag: Type.String({ minLength: 1, maxLength: 256 }),
        op: Type.Enum(['has', 'lacks']),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('parameter'),
        path: ParamPath,
        op: Type.Enum([...COMPARISONS, 'prefix', 'exists', 'missing']),
        value: Type.Optional(Scalar),
      },
      { additionalProperties: false },
    ),
  ],
} as unknown as TSchema);

const Filter = Type.Array(Condition, { maxItems: 64 });
const checkFilter = compileJson<DeviceCondition[]>(Filter);

export const DeviceListQuerystring = Type.Object(
  {
    filter: Type.Optional(
      Type.String({
        maxLength: 65_536,
        description:
          'JSON array of conditions, all of which must hold: ' +
          '{"kind":"field","field":"oui","op":"eq","value":"00D09E"} (ops eq ne lt lte gt gte, in + values, prefix, null, notNull); ' +
          '{"kind":"tag","tag":"lab","op":"has"|"lacks"}; ' +
          '{"kind":"parameter","path":"Device.DeviceInfo.SoftwareVersion","op":"eq","value":"1.2"} (ops as fields, exists, missing; a number value compares numerically)',
      }),
    ),
    tag: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        maxItems: 64,
        description: 'Devices with every tag given (repeatable)',
      }),
    ),
    sort: Type.Optional(DeviceFieldName),
    order: Type.Optional(Type.Enum(['asc', 'desc'])),
    limit: Type.Optional(Limit),
    offset: Type.Optional(Offset),
    fields: Type.Optional(
      Type.Array(DeviceFieldName, {
        maxItems: 32,
        description: 'Device fields to return (repeatable; id always); default all',
      }),
    ),
    tags: Type.Optional(Type.Boolean({ description: 'Return tags (default true)' })),
    parameters: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        maxItems: 64,
        description: 'Parameters to return with each device: paths or partial paths (repeatable)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type DeviceListQuerystring = Static<typeof DeviceListQuerystring>;

/** The store query for a validated query string; throws `invalid` naming `filter[i]…` for a bad filter. */
export function toDeviceListQuery(q: DeviceListQuerystring): DeviceListQuery {
  const filter: DeviceCondition[] = [];
  if (q.filter !== undefined) filter.push(...parseFilter(q.filter));
  for (const tag of q.tag ?? []) filter.push({ kind: 'tag', tag, op: 'has' });
  const query: DeviceListQuery = { filter, limit: q.limit, offset: q.offset };
  if (q.sort !== undefined) {
    query.sort = { field: q.sort as DeviceField, direction: q.order === 'desc' ? 'desc' : 'asc' };
  } else if (q.order === 'desc') {
    query.sort = { field: 'id', direction: 'desc' };
  }
  query.projection = {
    ...(q.fields !== undefined ? { fields: q.fields as DeviceField[] } : {}),
    ...(q.tags !== undefined ? { tags: q.tags } : {}),
    ...(q.parameters !== undefined ? { parameters: q.parameters } : {}),
  };
  return query;
}

export function parseFilter(text: string): DeviceCondition[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError('invalid', 'filter is not valid JSON', 'filter');
  }
  if (!checkFilter.check(json)) throw fromValidation(checkFilter.errors(), 'filter');
  json.forEach(checkOperands);
  return json;
}

/** The operands each op needs: `value` for comparisons and prefix (a string), `values` for in, none else. */
function checkOperands(c: DeviceCondition, i: number): void {
  if (c.kind === 'tag') return;
  const at = `filter[${i}]`;
  const has = (k: string) => Object.hasOwn(c, k);
  const needs =
    c.op === 'in'
      ? 'values'
      : c.op === 'null' || c.op === 'notNull' || c.op === 'exists' || c.op === 'missing'
        ? null
        : 'value';
  if (needs !== null && !has(needs)) {
    throw new ApiError('invalid', `${at}.${needs} is required for op ${c.op}`, `${at}.${needs}`);
  }
  for (const k of ['value', 'values']) {
    if (k !== needs && has(k)) {
      throw new ApiError('invalid', `${at}.${k} is not used by op ${c.op}`, `${at}.${k}`);
    }
  }
  if (c.op === 'prefix' && typeof c.value !== 'string') {
    throw new ApiError('invalid', `${at}.value must be a string for op prefix`, `${at}.value`);
  }
}
