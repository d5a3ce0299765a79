/** What the device routes return (src/api/schemas/records.ts). */
export interface DeviceRecord {
  id: string;
  manufacturer: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  softwareVersion: string | null;
  hardwareVersion: string | null;
  remoteAddress: string | null;
  firstInformAt: number;
  lastInformAt: number;
  lastBootAt: number | null;
  lastBootstrapAt: number | null;
  tags: string[];
}

export interface Parameter {
  path: string;
  object: boolean;
  value: string | null;
  type: string | null;
  secret: boolean;
  writable: boolean | null;
  valueAt: number | null;
}

export type DeviceReply = { device: DeviceRecord; parameters: Parameter[] };

export const ROOTS = ['Device.', 'InternetGatewayDevice.'];
