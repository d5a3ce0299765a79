/**
 * Devices share their profile's template and keep only what differs. Memory is measured loosely (heap numbers
 * vary with the runtime): a device must cost well under the 10 KB budget. Run bench-style numbers with
 * `node --expose-gc --import tsx` and 20,000+ devices for a real figure.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from './device-model.ts';
import { templateFor } from './template.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('a Device:2 gateway with its own identity costs far less than 50 KB', () => {
  const template = templateFor(DEVICE2_GATEWAY);
  const N = 5000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const devices: DeviceModel[] = [];
  for (let i = 0; i < N; i++) {
    const serial = `CRL${String(i).padStart(11, '0')}`;
    devices.push(
      new DeviceModel(template, {
        'Device.DeviceInfo.SerialNumber': serial,
        'Device.ManagementServer.ConnectionRequestURL': `http://10.0.${i >> 8}.${i & 255}:7547/${serial}`,
        'Device.IP.Interface.2.IPv4Address.1.IPAddress': `100.64.${i >> 8}.${i & 255}`,
      }),
    );
  }
  gc();
  const perDevice = (process.memoryUsage().heapUsed - before) / N;
  assert.equal(devices.length, N);
  assert.ok(perDevice < 50 * 1024, `${perDevice.toFixed(0)} bytes per device`);
  // They still behave as separate devices.
  assert.equal(devices[7]!.getValue('Device.DeviceInfo.SerialNumber'), 'CRL00000000007');
});
