/**
 * GetParameterAttributes (TR-069 A.3.2.5): Notification and AccessList of each parameter a name selects (a
 * parameter, a partial path, or '' for all). Fault 9005 if a name selects nothing.
 */
import type { GetParameterAttributes, GetParameterAttributesResponse } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { selectParameters } from './select.ts';

type ParameterAttribute = GetParameterAttributesResponse['ParameterList'][number];

export function getParameterAttributes(
  device: DeviceModel,
  request: GetParameterAttributes,
): GetParameterAttributesResponse {
  const list: ParameterAttribute[] = [];
  for (const name of request.ParameterNames) {
    for (const p of selectParameters(device, name)) {
      list.push({
        Name: p.path,
        Notification: device.notification(p.path, p.node),
        AccessList: [...device.accessList(p.path)],
      });
    }
  }
  return { method: 'GetParameterAttributesResponse', ParameterList: list };
}
