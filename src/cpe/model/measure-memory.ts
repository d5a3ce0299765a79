/**
 * Bytes of heap per simulated device: `node --expose-gc --import tsx src/cpe/model/measure-memory.ts [N] [bare]`.
 * Builds N Device:2 gateways (default 20,000), each with five identity values of its own unless `bare`, and
 * prints the heap growth per device. (A script, not a test: heap figures vary with the runtime; memory.test.ts
 * holds the loose bound.) It belongs with the benchmarks in bench/ once the CPE has a command of its own.
 */
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from './device-model.ts';
import { templateFor } from './template.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const count = Number(process.argv[2] ?? 20_000);
const bare = process.argv[3] === 'bare';
const template = templateFor(DEVICE2_GATEWAY);
const hex = (n: number) => (n & 255).toString(16).toUpperCase().padStart(2, '0');

gc();
const before = process.memoryUsage().heapUsed;
const devices: DeviceModel[] = [];
for (let i = 0; i < count; i++) {
  const serial = `CRL${String(i).padStart(11, '0')}`;
  const ip = `${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  devices.push(
    new DeviceModel(
      template,
      bare
        ? {}
        : {
            'Device.DeviceInfo.SerialNumber': serial,
            'Device.ManagementServer.Username': `HG2100-${serial}`,
            'Device.ManagementServer.ConnectionRequestURL': `http://10.${ip}:7547/connreq/${serial}`,
            'Device.IP.Interface.2.IPv4Address.1.IPAddress': `100.${ip}`,
            'Device.Ethernet.Interface.5.MACAddress': `02:C0:A1:${hex(i >> 16)}:${hex(i >> 8)}:${hex(i)}`,
          },
    ),
  );
}
gc();
const after = process.memoryUsage().heapUsed;
console.log(
  `${devices.length} Device:2 gateways (${bare ? 'bare' : 'five identity values each'}): ` +
    `${Math.round((after - before) / count)} bytes per device, ` +
    `${((after - before) / 1e6).toFixed(1)} MB for all`,
);
