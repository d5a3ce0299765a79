/**
 * A preset's declarations checked against the data model before it is saved or dry-run (issue 15), as a task's
 * writes are (task-model-check.ts): declared values, attributes and instances. Without a device the check is the
 * definitions' alone (a preset reaches many devices); a dry run adds what the device itself reported.
 */
import type { Preset } from '../acs/provisioning/presets/index.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import {
  checkAddObject,
  checkNotification,
  checkParameterWrite,
} from '../datamodel/write-check.ts';
import type { FieldProblem } from './errors.ts';
import type { ParameterLookup } from './task-input.ts';
import { modelProblems } from './task-model-check.ts';

const noLookup: ParameterLookup = async () => null;

export async function presetModelProblems(
  preset: Preset,
  definitions: DeviceDefinitions,
  lookup: ParameterLookup = noLookup,
): Promise<{ problems: FieldProblem[]; warnings: string[] }> {
  const { problems, warnings, note } = modelProblems();
  const write = async (path: string, value: unknown, secret: boolean, field: string) => {
    const check = checkParameterWrite(
      path,
      String(value),
      definitions.resolve(path),
      await lookup(path),
      secret,
    );
    note(check, check.ok || check.rule !== 'invalid-value' ? `${field}.path` : `${field}.value`);
  };
  const { declarations } = preset;
  for (const [i, v] of declarations.values.entries())
    await write(v.path, v.value, v.secret === true, `declarations.values[${i}]`);
  for (const [i, a] of declarations.attributes.entries()) {
    if (a.notification !== undefined && !a.path.endsWith('.'))
      note(
        checkNotification(a.path, a.notification, definitions.resolve(a.path)),
        `declarations.attributes[${i}].notification`,
      );
  }
  for (const [i, d] of declarations.instances.entries()) {
    const table = d.object;
    note(
      checkAddObject(d.object, definitions.resolve(table), await lookup(table)),
      `declarations.instances[${i}].object`,
    );
    const secrets = new Set(d.secret ?? []);
    for (const [name, value] of [...Object.entries(d.keys), ...Object.entries(d.values)]) {
      const path = `${table}1.${name}`;
      const check = checkParameterWrite(
        `${d.object}{i}.${name}`,
        String(value),
        definitions.resolve(path),
        null,
        secrets.has(name),
      );
      note(check, `declarations.instances[${i}].values.${name}`);
    }
  }
  for (const [i, d] of declarations.absentInstances.entries()) {
    const table = d.object;
    note(
      checkAddObject(d.object, definitions.resolve(table), await lookup(table)),
      `declarations.absentInstances[${i}].object`,
    );
  }
  return { problems, warnings };
}
