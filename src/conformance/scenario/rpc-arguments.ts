/**
 * A scenario's `send` step checked against the codec before the run: a CPE RPC it knows, arguments it has, and
 * values that encode and decode back (the shapes `corral decode` prints).
 */
import {
  CPE_METHOD_SCHEMAS,
  type CwmpMessage,
  decodeEnvelope,
  encodeEnvelope,
} from '../../cwmp/index.ts';
import { ArrayField, RepeatedField } from '../../cwmp/schema/array.ts';
import { StructField } from '../../cwmp/schema/struct.ts';

type Shape = 'a list' | 'an object' | 'true or false' | 'a number' | 'a string or a number';

/** What JSON an argument takes, from its schema field (an optional one's inner field). */
function shapeOf(field: unknown): Shape {
  let f = field as { inner?: unknown; typeName?: string };
  while (f.inner !== undefined) f = f.inner as typeof f;
  if (f instanceof ArrayField || f instanceof RepeatedField) return 'a list';
  if (f instanceof StructField) return 'an object';
  if (f.typeName === 'boolean') return 'true or false';
  if (f.typeName === 'int' || f.typeName === 'unsignedInt') return 'a number';
  return 'a string or a number';
}

function fits(shape: Shape, v: unknown): boolean {
  switch (shape) {
    case 'a list':
      return Array.isArray(v);
    case 'an object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'true or false':
      return typeof v === 'boolean';
    case 'a number':
      return typeof v === 'number';
    case 'a string or a number':
      return typeof v === 'string' || typeof v === 'number';
  }
}

/** The RPCs an ACS may send a CPE. */
export const CPE_RPCS: readonly string[] = CPE_METHOD_SCHEMAS.map((s) => s.method).filter(
  (m) => !m.endsWith('Response'),
);

/** Why these arguments cannot be sent as `method`; undefined when they can. */
export function rpcArgumentsProblem(
  method: string,
  args: Record<string, unknown>,
): string | undefined {
  const schema = CPE_METHOD_SCHEMAS.find((s) => s.method === method);
  if (schema === undefined || method.endsWith('Response')) {
    const near = CPE_RPCS.find((m) => m.toLowerCase().startsWith(method.toLowerCase().slice(0, 6)));
    return `unknown RPC ${JSON.stringify(method)}${near === undefined ? '' : ` (did you mean ${near}?)`}`;
  }
  const known = Object.keys(schema.body.fields);
  for (const key of Object.keys(args)) {
    if (!known.includes(key))
      return `${method} has no argument ${JSON.stringify(key)} (it takes ${known.join(', ') || 'none'})`;
  }
  const fields = schema.body.fields as Record<string, unknown>;
  for (const [key, v] of Object.entries(args)) {
    const shape = shapeOf(fields[key]);
    if (!fits(shape, v))
      return `${method}'s ${key} takes ${shape}, not ${JSON.stringify(v)?.slice(0, 40)}`;
  }
  let text: string;
  try {
    text = encodeEnvelope({ header: { ID: 'check' }, body: { method, ...args } as CwmpMessage });
  } catch (error) {
    return `the arguments of ${method} do not encode: ${(error as Error).message}`;
  }
  const decoded = decodeEnvelope(text);
  if (!decoded.ok) return `the arguments of ${method} are not valid: ${decoded.error.message}`;
  // The decoder takes a bad scalar with a warning (a fallback value): for a scenario that is a mistake.
  const warning = decoded.warnings[0];
  if (warning !== undefined) return `the arguments of ${method} are not valid: ${warning.message}`;
  return undefined;
}
