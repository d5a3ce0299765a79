import { Secret } from '../../../store/secret.ts';
import { isSecretParameter } from '../../secret-parameters.ts';
import type { ScriptDeclarations } from '../script/types.ts';

/**
 * Secrets in presets (security.md item 17): a value of `declarations.values` whose path is secret-named
 * (secret-parameters.ts) or that says `secret: true`, and a value of an instance's `values` whose name is
 * secret-named or that is given as `{ value, secret: true }`. They are kept as `Secret`s: the store encrypts
 * them at rest, the API shows them as "[redacted]" (set, never the value), the audit log redacts them by the
 * same rule, and the planner sends them to the device as Secrets (redacted in traces, stored encrypted).
 */

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const sealable = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * A copy of a preset definition (as the API received it) with its secret values as `Secret`s, for the store.
 * The rest is left as it was: the validator has accepted it, or will refuse it.
 */
export function sealPresetSecrets(definition: unknown): unknown {
  if (!isRecord(definition) || !isRecord(definition.declarations)) return definition;
  const d = definition.declarations;
  const values = Array.isArray(d.values)
    ? d.values.map((v) => {
        if (!isRecord(v) || !sealable(v.value)) return v;
        const secret =
          v.secret === true || (typeof v.path === 'string' && isSecretParameter(v.path));
        return secret ? { ...v, value: new Secret(String(v.value)) } : v;
      })
    : d.values;
  const instances = Array.isArray(d.instances)
    ? d.instances.map((i) => {
        if (!isRecord(i) || !isRecord(i.values)) return i;
        const sealed = Object.fromEntries(
          Object.entries(i.values).map(([k, v]) => {
            if (isRecord(v) && v.secret === true && sealable(v.value))
              return [k, { ...v, value: new Secret(String(v.value)) }];
            if (isSecretParameter(k) && sealable(v)) return [k, new Secret(String(v))];
            return [k, v];
          }),
        );
        return { ...i, values: sealed };
      })
    : d.instances;
  return {
    ...definition,
    declarations: {
      ...d,
      ...(values === undefined ? {} : { values }),
      ...(instances === undefined ? {} : { instances }),
    },
  };
}

const REDACTED = '[redacted]';

/** Declarations as they may be shown (a script's, in the dry run): secret values replaced by "[redacted]". */
export function redactDeclarations(d: ScriptDeclarations): ScriptDeclarations {
  return {
    ...d,
    values: d.values.map((v) => (v.secret ? { ...v, value: REDACTED } : v)),
    instances: d.instances.map((i) =>
      i.secret === undefined || i.secret.length === 0
        ? i
        : {
            ...i,
            values: Object.fromEntries(
              Object.entries(i.values).map(([k, v]) => [k, i.secret?.includes(k) ? REDACTED : v]),
            ),
          },
    ),
  };
}
