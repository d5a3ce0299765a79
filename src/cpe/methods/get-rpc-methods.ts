/** GetRPCMethods (TR-069 A.3.1.1): the methods this device answers, as its profile lists them. */
import type { GetRPCMethods, GetRPCMethodsResponse } from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';

export function getRPCMethods(device: DeviceModel, _request: GetRPCMethods): GetRPCMethodsResponse {
  return { method: 'GetRPCMethodsResponse', MethodList: [...device.template.rpcMethods] };
}
