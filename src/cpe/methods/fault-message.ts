/**
 * A CwmpFault as the SOAP Fault body the codec encodes (cwmp-spec.md §6.1): faultcode Client or Server from the
 * fault table, faultstring "CWMP fault", and the cwmp:Fault detail with any SetParameterValuesFault entries.
 */
import type { CwmpFault } from '../../cwmp/faults.ts';
import type { FaultMessage } from '../../cwmp/index.ts';

export function faultMessage(fault: CwmpFault): FaultMessage {
  return {
    method: 'Fault',
    faultcode: fault.soapFaultCode,
    faultstring: 'CWMP fault',
    FaultCode: fault.code,
    FaultString: fault.faultString,
    SetParameterValuesFault: fault.setParameterValuesFaults.map((f) => ({
      ParameterName: f.parameterName,
      FaultCode: f.faultCode,
      FaultString: f.faultString,
    })),
  };
}
