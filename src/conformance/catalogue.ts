/** The built-in cases, in the order they run: one file per area under cases/. */
import type { ConformanceCase } from './case.ts';
import { CONNECTION_REQUEST_CASES } from './cases/connection-request.ts';
import { UDP_CONNECTION_REQUEST_CASES } from './cases/connection-request-udp.ts';
import { XMPP_CONNECTION_REQUEST_CASES } from './cases/connection-request-xmpp.ts';
import { DATA_MODEL_CASES } from './cases/data-model.ts';
import { DIAGNOSTICS_CASES } from './cases/diagnostics.ts';
import { HTTP_REDIRECT_CASES } from './cases/http-redirect.ts';
import { HTTP_SOAP_CASES } from './cases/http-soap.ts';
import { INFORM_CASES } from './cases/inform.ts';
import { PERIODIC_AND_BOOTSTRAP_CASES } from './cases/inform-periodic-and-bootstrap.ts';
import { OPTIONS_VOUCHERS_CASES } from './cases/options-vouchers.ts';
import { CHANGE_DU_STATE_CASES } from './cases/rpc-change-du-state.ts';
import { FIRMWARE_CASES } from './cases/rpc-firmware.ts';
import { GET_PARAMETER_NAMES_CASES } from './cases/rpc-get-parameter-names.ts';
import { GET_PARAMETER_VALUES_CASES } from './cases/rpc-get-parameter-values.ts';
import { GET_RPC_METHODS_CASES } from './cases/rpc-get-rpc-methods.ts';
import { OBJECT_CASES } from './cases/rpc-objects.ts';
import { PARAMETER_ATTRIBUTES_CASES } from './cases/rpc-parameter-attributes.ts';
import { PARAMETER_ATTRIBUTES_ARGUMENT_CASES } from './cases/rpc-parameter-attributes-arguments.ts';
import { QUEUED_TRANSFER_CASES } from './cases/rpc-queued-transfers.ts';
import { SCHEDULE_AND_REBOOT_CASES } from './cases/rpc-schedule-and-reboot.ts';
import { SET_PARAMETER_VALUES_CASES } from './cases/rpc-set-parameter-values.ts';
import { SET_PARAMETER_VALUES_TYPE_CASES } from './cases/rpc-set-parameter-values-types.ts';
import { TRANSFER_CASES } from './cases/rpc-transfers.ts';
import { SECURE_CWMP_CASES } from './cases/secure-cwmp.ts';
import { SECURE_CWMP_BASIC_CASES } from './cases/secure-cwmp-basic.ts';
import { SECURE_CWMP_CERTIFICATE_CASES } from './cases/secure-cwmp-certificates.ts';
import { SESSION_RETRY_CASES } from './cases/session-retry.ts';
import { VALUE_CHANGE_CASES } from './cases/value-change.ts';
import { VALUE_HANDLING_CASES } from './cases/value-handling.ts';
import { WIFI_CASES } from './cases/wifi.ts';

export const CATALOGUE: readonly ConformanceCase[] = [
  ...INFORM_CASES,
  ...PERIODIC_AND_BOOTSTRAP_CASES,
  ...HTTP_SOAP_CASES,
  ...HTTP_REDIRECT_CASES,
  ...SECURE_CWMP_CASES,
  ...SECURE_CWMP_CERTIFICATE_CASES,
  ...SECURE_CWMP_BASIC_CASES,
  ...SESSION_RETRY_CASES,
  ...GET_RPC_METHODS_CASES,
  ...GET_PARAMETER_NAMES_CASES,
  ...GET_PARAMETER_VALUES_CASES,
  ...SET_PARAMETER_VALUES_CASES,
  ...SET_PARAMETER_VALUES_TYPE_CASES,
  ...PARAMETER_ATTRIBUTES_CASES,
  ...PARAMETER_ATTRIBUTES_ARGUMENT_CASES,
  ...VALUE_CHANGE_CASES,
  ...OBJECT_CASES,
  ...VALUE_HANDLING_CASES,
  ...WIFI_CASES,
  ...TRANSFER_CASES,
  ...FIRMWARE_CASES,
  ...QUEUED_TRANSFER_CASES,
  ...CHANGE_DU_STATE_CASES,
  ...SCHEDULE_AND_REBOOT_CASES,
  ...OPTIONS_VOUCHERS_CASES,
  ...CONNECTION_REQUEST_CASES,
  ...UDP_CONNECTION_REQUEST_CASES,
  ...XMPP_CONNECTION_REQUEST_CASES,
  ...DIAGNOSTICS_CASES,
  ...DATA_MODEL_CASES,
];
