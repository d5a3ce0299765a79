/**
 * SetParameterValues (TR-069 A.3.2.1, cwmp-spec.md §2.3): all or nothing. Every entry is checked before any is
 * applied; if one fails, nothing changes and the answer is fault 9003 with one SetParameterValuesFault per failing
 * parameter: 9005 unknown name, 9008 not writable, 9006 xsi:type that does not fit, 9007 value that does not fit.
 * A name given twice is 9003 outright. On success the ParameterKey is stored into ManagementServer.ParameterKey
 * (and only then), and Status is 1 if any parameter changed needs a reboot to take effect, else 0.
 */
import {
  CwmpFault,
  FaultCode,
  faultInfo,
  type SetParameterValuesFault,
  setParameterValuesFault,
} from '../../cwmp/faults.ts';
import type { SetParameterValues, SetParameterValuesResponse } from '../../cwmp/index.ts';
import { readsAsNull } from '../../datamodel/definition.ts';
import { resetChangedDiagnostics } from '../diagnostics/diagnostics.ts';
import type { DeviceModel, WriteCheck } from '../model/device-model.ts';
import { checkParameterKey } from './parameter-key.ts';

export function setParameterValues(
  device: DeviceModel,
  request: SetParameterValues,
): SetParameterValuesResponse {
  checkParameterKey(request.ParameterKey);
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const pv of request.ParameterList) {
    if (seen.has(pv.name)) repeated.add(pv.name);
    seen.add(pv.name);
  }
  if (repeated.size > 0) {
    throw new CwmpFault(FaultCode.InvalidArguments, undefined, {
      cause: `set more than once in one request: ${[...repeated].join(', ')}`,
    });
  }
  const accepted: Extract<WriteCheck, { ok: true }>[] = [];
  const faults: SetParameterValuesFault[] = [];
  for (const pv of request.ParameterList) {
    const check = device.checkAcsWrite(pv.name, pv.value, pv.type);
    if (check.ok) {
      accepted.push(check);
      continue;
    }
    // The reason helps whoever reads the ACS's logs; for a password it might echo the value, so not there.
    const node = device.resolve(pv.name);
    const secret = node?.kind === 'parameter' && readsAsNull(node.node.definition.syntax);
    const text = faultInfo(check.faultCode).faultString;
    faults.push(
      setParameterValuesFault(pv.name, check.faultCode, secret ? text : `${text}: ${check.reason}`),
    );
  }
  if (faults.length > 0) {
    throw new CwmpFault(FaultCode.InvalidArguments, undefined, {
      setParameterValuesFaults: faults,
    });
  }
  device.applyAcsValues(accepted);
  resetChangedDiagnostics(
    device,
    accepted.map((c) => c.path),
  );
  device.setParameterKey(request.ParameterKey);
  const status = accepted.some((c) => c.node.definition.rebootRequired === true) ? 1 : 0;
  return { method: 'SetParameterValuesResponse', Status: status };
}
