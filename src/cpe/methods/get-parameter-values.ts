/**
 * GetParameterValues (TR-069 A.3.2.2): each name is a parameter or a partial path (every parameter below it,
 * recursively); the list may mix both, and the answer follows the request's order. Any name that does not exist
 * faults the whole request with 9005. Hidden, secured and command parameters read as their type's null value.
 */
import type { GetParameterValues, GetParameterValuesResponse } from '../../cwmp/index.ts';
import type { ParameterValue } from '../../cwmp/parameter-value.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { selectParameters } from './select.ts';

export function getParameterValues(
  device: DeviceModel,
  request: GetParameterValues,
): GetParameterValuesResponse {
  const list: ParameterValue[] = [];
  for (const name of request.ParameterNames) {
    for (const p of selectParameters(device, name)) list.push(device.readForAcs(p.path, p.node));
  }
  return { method: 'GetParameterValuesResponse', ParameterList: list };
}
