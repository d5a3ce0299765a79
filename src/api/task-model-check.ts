import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import {
  checkAddObject,
  checkDeleteObject,
  checkNotification,
  checkParameterWrite,
  type WriteCheck,
} from '../datamodel/write-check.ts';
import { roleAtLeast } from '../store/api-keys.ts';
import { isSecret } from '../store/secret.ts';
import type { TaskArgs } from '../store/task-args.ts';
import type { Principal } from './auth.ts';
import { ApiError, type FieldProblem } from './errors.ts';
import type { ParameterLookup } from './task-input.ts';

/**
 * A write task checked against the device's model before it is queued (issue 15): SetParameterValues names and
 * values, AddObject and DeleteObject targets, SetParameterAttributes notifications. A violation is a 422 naming
 * the parameter and the rule, and nothing is queued — unless the body says `force: true` (admin only; the audit
 * log keeps the body). Returns the warnings (vendor extensions the ACS has no definition of), for the log.
 */
export async function checkTaskAgainstModel(
  args: TaskArgs,
  definitions: DeviceDefinitions,
  lookup: ParameterLookup,
  force: boolean,
  principal: Principal,
): Promise<string[]> {
  const { problems, warnings, note } = modelProblems();
  switch (args.type) {
    case 'setParameterValues':
      for (const [i, p] of args.parameters.entries()) {
        const secret = isSecret(p.value);
        const value = isSecret(p.value) ? p.value.reveal() : p.value;
        const check = checkParameterWrite(
          p.name,
          value,
          definitions.resolve(p.name),
          await lookup(p.name),
          secret,
        );
        note(
          check,
          check.ok || check.rule !== 'invalid-value'
            ? `parameters[${i}].name`
            : `parameters[${i}].value`,
        );
      }
      break;
    case 'setParameterAttributes':
      for (const [i, p] of args.parameters.entries()) {
        if (p.notificationChange)
          note(
            checkNotification(p.name, p.notification, definitions.resolve(p.name)),
            `parameters[${i}].notification`,
          );
      }
      break;
    case 'addObject':
      note(
        checkAddObject(
          args.objectName,
          definitions.resolve(args.objectName),
          await lookup(args.objectName),
        ),
        'objectName',
      );
      break;
    case 'deleteObject':
      note(
        checkDeleteObject(
          args.objectName,
          definitions.resolve(args.objectName),
          await lookup(args.objectName),
        ),
        'objectName',
      );
      break;
    default:
      return [];
  }
  return modelVerdict(problems, warnings, force, principal);
}

/**
 * What the API does with the problems a model check found: nothing to say (the warnings back); a 422
 * `model-violation` naming the first and listing all; or, with `force` from an admin, the write goes ahead and the
 * problems become warnings for the log (the audit log keeps the request).
 */
const MAX_DETAILS = 100;

/** Collects what write checks say: the problems (field and message) and the warnings. */
export function modelProblems(): {
  problems: FieldProblem[];
  warnings: string[];
  note: (check: WriteCheck, field: string) => void;
} {
  const problems: FieldProblem[] = [];
  const warnings: string[] = [];
  const note = (check: WriteCheck, field: string) => {
    if (check.ok) {
      if (check.warning !== undefined) warnings.push(check.warning);
    } else problems.push({ field, message: `${check.message} (${check.rule})` });
  };
  return { problems, warnings, note };
}

export function modelVerdict(
  problems: readonly FieldProblem[],
  warnings: readonly string[],
  force: boolean,
  principal: Principal,
): string[] {
  if (problems.length === 0) return [...warnings];
  if (!force) {
    const [first] = problems;
    throw new ApiError(
      'model-violation',
      `${first!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; force: true sends it anyway (admin only)`,
      first!.field,
      // A preset of a thousand bad declarations answers with the first hundred, and says how many there were.
      problems.slice(0, MAX_DETAILS),
    );
  }
  if (!roleAtLeast(principal.role, 'admin')) {
    throw new ApiError(
      'forbidden',
      'force: true (a write the data model refuses) needs the admin role',
      'force',
    );
  }
  return [...warnings, ...problems.map((p) => `forced: ${p.message}`)];
}
