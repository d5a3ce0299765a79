/** Device:2 gateway: the root object, DeviceInfo and its memory/CPU status. */
import {
  at,
  CAN_DENY,
  dateTime,
  list,
  object,
  type ProfilePart,
  R,
  string,
  unsignedInt,
  W,
} from '../builder.ts';
import { OUI } from './common.ts';

export const deviceInfo: ProfilePart = {
  objects: [
    object('Device.', [
      R('RootDataModelVersion', string(32, { patterns: ['2\\.\\d+'] }), { forcedInform: true }),
    ]),
    object('Device.DeviceInfo.', [
      R('Manufacturer', string(64)),
      R(
        'ManufacturerOUI',
        string(undefined, { sizes: [{ minLength: 6, maxLength: 6 }], patterns: ['[0-9A-F]{6}'] }),
      ),
      R('ModelName', string(64)),
      R('ModelNumber', string(64)),
      R('Description', string(256)),
      R('ProductClass', string(64)),
      R('SerialNumber', string(64)),
      R('HardwareVersion', string(64), { forcedInform: true }),
      R('SoftwareVersion', string(64), { forcedInform: true, activeNotify: 'forceEnabled' }),
      R('AdditionalHardwareVersion', list(string(), { sizes: [{ maxLength: 64 }] })),
      R('AdditionalSoftwareVersion', list(string(), { sizes: [{ maxLength: 64 }] })),
      W('ProvisioningCode', string(64), { forcedInform: true, activeNotify: 'forceEnabled' }),
      R('UpTime', unsignedInt(undefined, undefined, { units: 'seconds' }), CAN_DENY),
      R('FirstUseDate', dateTime()),
      W('HostName', string(255)),
    ]),
    object('Device.DeviceInfo.MemoryStatus.', [
      R('Total', unsignedInt(undefined, undefined, { units: 'kilobytes' })),
      R('Free', unsignedInt(undefined, undefined, { units: 'kilobytes' }), CAN_DENY),
    ]),
    object('Device.DeviceInfo.ProcessStatus.', [
      R('CPUUsage', unsignedInt(undefined, 100), CAN_DENY),
    ]),
  ],
  values: {
    'Device.RootDataModelVersion': '2.17',
    ...at('Device.DeviceInfo.', {
      Manufacturer: 'Corral Networks',
      ManufacturerOUI: OUI,
      ModelName: 'Corral HG-2100',
      ModelNumber: 'HG2100-EU',
      Description: 'Corral HG-2100 dual-band Wi-Fi home gateway (simulated)',
      ProductClass: 'HG2100',
      SerialNumber: 'CRL00000000001',
      HardwareVersion: 'HG2100-B2',
      SoftwareVersion: '4.2.7',
      AdditionalHardwareVersion: 'WLAN-BCM6755,ETH-RTL8367',
      AdditionalSoftwareVersion: 'bootloader-2.1.0,wifi-fw-17.10.188',
      ProvisioningCode: '',
      UpTime: 86_412,
      FirstUseDate: '2024-03-11T08:15:02Z',
      HostName: 'corral-gateway',
    }),
    ...at('Device.DeviceInfo.MemoryStatus.', { Total: 524_288, Free: 301_476 }),
    'Device.DeviceInfo.ProcessStatus.CPUUsage': '7',
  },
};
