/** The ParameterKey argument of SetParameterValues, AddObject and DeleteObject: ParameterKeyType is string(32). */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';

export const MAX_PARAMETER_KEY_LENGTH = 32;

/** Throws CwmpFault 9003 for a ParameterKey longer than the schema allows. */
export function checkParameterKey(key: string): void {
  if ([...key].length > MAX_PARAMETER_KEY_LENGTH) {
    throw new CwmpFault(FaultCode.InvalidArguments, undefined, {
      cause: `ParameterKey is longer than ${MAX_PARAMETER_KEY_LENGTH} characters`,
    });
  }
}
