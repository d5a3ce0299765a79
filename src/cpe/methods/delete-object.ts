/**
 * DeleteObject (TR-069 A.3.2.7): ObjectName is one instance (`Device.NAT.PortMapping.3.`); it goes with everything
 * below it, and its number is never given again. Fault 9005 for anything but an existing instance of a table the
 * ACS may delete from; 9001 if the table would fall below its minEntries; 9003 for a ParameterKey that is too long.
 * The ParameterKey is stored on success.
 */
import type { DeleteObject, DeleteObjectResponse } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { checkParameterKey } from './parameter-key.ts';

export function deleteObject(device: DeviceModel, request: DeleteObject): DeleteObjectResponse {
  checkParameterKey(request.ParameterKey);
  device.deleteInstance(request.ObjectName, 'acs');
  device.setParameterKey(request.ParameterKey);
  return { method: 'DeleteObjectResponse', Status: 0 };
}
