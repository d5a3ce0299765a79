/**
 * GetOptions and SetVouchers (TR-069 A.4.1.3-4, optional): the simulated devices lack them, as nearly every real
 * one does, and answer as such a device must: fault 9000 Method not supported.
 */
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import type {
  GetOptions,
  GetOptionsResponse,
  SetVouchers,
  SetVouchersResponse,
} from '../../cwmp/index.ts';
import type { DeviceModel } from '../model/device-model.ts';

export function getOptions(_device: DeviceModel, request: GetOptions): GetOptionsResponse {
  throw new CwmpFault(FaultCode.MethodNotSupported, undefined, { cause: request.method });
}

export function setVouchers(_device: DeviceModel, request: SetVouchers): SetVouchersResponse {
  throw new CwmpFault(FaultCode.MethodNotSupported, undefined, { cause: request.method });
}
