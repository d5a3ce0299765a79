/** The methods TR-069 makes REQUIRED of every CPE (Annex A.3.1, Table 5): a device that lists fewer is deficient. */
export const REQUIRED_CPE_METHODS: readonly string[] = Object.freeze([
  'GetRPCMethods',
  'SetParameterValues',
  'GetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'Download',
]);
