import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { Static, TSchema } from 'typebox';

/**
 * Route schemas are TypeBox values: plain JSON Schema at run time (Ajv validates it, @fastify/swagger
 * documents it) and static types at compile time (this provider gives handlers `Static<schema>`), so
 * validation, types and the OpenAPI document come from one definition and cannot drift.
 */
export interface TypeBoxProvider extends FastifyTypeProvider {
  validator: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
  serializer: this['schema'] extends TSchema ? Static<this['schema']> : unknown;
}

const common = {
  // Unknown fields are refused, never silently dropped: a typo must not look like success.
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
  // `oneOf` + `discriminator` on task types: errors come from the branch the `type` names.
  discriminator: true,
  strict: true,
  // TypeBox writes `const` with `type`; that and `description`/`default` are all standard.
  strictTypes: false,
  strictRequired: false,
  // Errors carry their keyword's schema, so a refused discriminator can list the values it takes. Never the
  // data: errors.ts builds messages from rules, not from what was sent.
  verbose: true,
} as const;

/** Bodies are JSON: no coercion ("5" is not 5, "true" is not true). */
const bodyAjv = new Ajv({ ...common, coerceTypes: false });
/** Query strings and path parameters arrive as text: numbers and booleans are coerced, a lone value becomes a list. */
const textAjv = new Ajv({ ...common, coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);

/** A validator for JSON that arrives inside a query parameter (the device filter). */
export function compileJson<T>(schema: TSchema): {
  check(value: unknown): value is T;
  errors(): ErrorObject[];
} {
  const validate: ValidateFunction = bodyAjv.compile(schema as object);
  return {
    check: (value: unknown): value is T => validate(value) === true,
    errors: () => validate.errors ?? [],
  };
}
