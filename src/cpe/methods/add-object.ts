/**
 * AddObject (TR-069 A.3.2.6): ObjectName is a table path ending in '.' (`Device.NAT.PortMapping.`). The CPE picks
 * the instance number (never one used before), the new instance's parameters take their defaults, and the
 * ParameterKey is stored on success. Fault 9005 for a name that is not a table the ACS may add to (unknown, a
 * single-instance object, an instance, a read-only table); 9004 when the table is full; 9003 for a ParameterKey
 * that is too long. Alias-based names (`Table.[alias].`) are not supported and fault 9005.
 */
import type { AddObject, AddObjectResponse } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { checkParameterKey } from './parameter-key.ts';

export function addObject(device: DeviceModel, request: AddObject): AddObjectResponse {
  checkParameterKey(request.ParameterKey);
  const n = device.addInstance(request.ObjectName, 'acs');
  device.setParameterKey(request.ParameterKey);
  return { method: 'AddObjectResponse', InstanceNumber: n, Status: 0 };
}
