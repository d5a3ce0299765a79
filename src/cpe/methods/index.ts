/**
 * The CPE's answers to the RPCs that read and change its data model, one handler per file (as BBF's obuspa has
 * one per USP message). answerCpeMethod routes a decoded request to its handler. Methods that need the session
 * engine (Reboot, Download, FactoryReset, ScheduleInform, …) are not answered here: it returns undefined for them
 * and the engine takes over.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type {
  AddObjectResponse,
  CwmpMessage,
  DeleteObjectResponse,
  GetOptionsResponse,
  GetParameterAttributesResponse,
  GetParameterNamesResponse,
  GetParameterValuesResponse,
  GetRPCMethodsResponse,
  SetParameterAttributesResponse,
  SetParameterValuesResponse,
  SetVouchersResponse,
} from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';
import { addObject } from './add-object.ts';
import { deleteObject } from './delete-object.ts';
import { getParameterAttributes } from './get-parameter-attributes.ts';
import { getParameterNames } from './get-parameter-names.ts';
import { getParameterValues } from './get-parameter-values.ts';
import { getRPCMethods } from './get-rpc-methods.ts';
import { setParameterAttributes } from './set-parameter-attributes.ts';
import { setParameterValues } from './set-parameter-values.ts';
import { getOptions, setVouchers } from './unsupported.ts';

export { addObject } from './add-object.ts';
export { deleteObject } from './delete-object.ts';
export { getParameterAttributes } from './get-parameter-attributes.ts';
export { getParameterNames } from './get-parameter-names.ts';
export { getParameterValues } from './get-parameter-values.ts';
export { getRPCMethods } from './get-rpc-methods.ts';
export { checkParameterKey, MAX_PARAMETER_KEY_LENGTH } from './parameter-key.ts';
export { setParameterAttributes } from './set-parameter-attributes.ts';
export { setParameterValues } from './set-parameter-values.ts';
export { getOptions, setVouchers } from './unsupported.ts';

export type DataModelMethodResponse =
  | GetRPCMethodsResponse
  | GetParameterNamesResponse
  | GetParameterValuesResponse
  | SetParameterValuesResponse
  | GetParameterAttributesResponse
  | SetParameterAttributesResponse
  | AddObjectResponse
  | DeleteObjectResponse
  | GetOptionsResponse
  | SetVouchersResponse;

/**
 * The response to an ACS request, or undefined when the request is a CPE method this module leaves to the session
 * engine. Throws CwmpFault: 9000 for a method the device does not list in GetRPCMethods (or not a CPE method at
 * all), and whatever fault the handler raises.
 */
export function answerCpeMethod(
  device: DeviceModel,
  request: CwmpMessage,
): DataModelMethodResponse | undefined {
  const supported = device.template.rpcMethods.includes(request.method);
  switch (request.method) {
    case 'GetOptions':
      return getOptions(device, request);
    case 'SetVouchers':
      return setVouchers(device, request);
  }
  if (!supported) {
    const name = request.method === 'UnknownMethod' ? request.Name : request.method;
    throw new CwmpFault(FaultCode.MethodNotSupported, undefined, { cause: name });
  }
  switch (request.method) {
    case 'GetRPCMethods':
      return getRPCMethods(device, request);
    case 'GetParameterNames':
      return getParameterNames(device, request);
    case 'GetParameterValues':
      return getParameterValues(device, request);
    case 'SetParameterValues':
      return setParameterValues(device, request);
    case 'GetParameterAttributes':
      return getParameterAttributes(device, request);
    case 'SetParameterAttributes':
      return setParameterAttributes(device, request);
    case 'AddObject':
      return addObject(device, request);
    case 'DeleteObject':
      return deleteObject(device, request);
    default:
      return undefined;
  }
}

export { faultMessage } from './fault-message.ts';
