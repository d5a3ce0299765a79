/**
 * The per-device data-model report on simulated devices that read their whole tree into the ACS (a refresh of
 * `Device.`: GetParameterNames, then GetParameterValues): a faithful Device:2 gateway reports nothing; the same
 * gateway broken four ways reports exactly those four.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulatedDevice } from '../cpe/device/simulated-device.ts';
import { Lab } from '../cpe/testing/lab.ts';
import type { DataModelDefinition, ObjectDefinition } from '../datamodel/definition.ts';
import type { DeviceProfile } from '../datamodel/profile.ts';
import { DEVICE2_GATEWAY } from '../datamodel/profiles/index.ts';
import { StandardDefinitions } from '../datamodel/standard/standard-definitions.ts';
import { deviceModelReport } from './device-model-report.ts';

/** DEVICE2_GATEWAY with a wrong type, an unknown name, a badly named vendor extension and a writable read-only. */
function broken(profile: DeviceProfile): DeviceProfile {
  const objects = profile.model.objects.map((o): ObjectDefinition => {
    if (o.path === 'Device.ManagementServer.')
      return {
        ...o,
        parameters: o.parameters.map((p) =>
          p.name === 'PeriodicInformInterval' ? { ...p, syntax: { type: 'string' } } : p,
        ),
      };
    if (o.path === 'Device.DeviceInfo.')
      return {
        ...o,
        parameters: [
          ...o.parameters.map((p) =>
            p.name === 'Manufacturer' ? { ...p, access: 'readWrite' as const } : p,
          ),
          { name: 'Bogus', access: 'readOnly', syntax: { type: 'string' } },
          { name: 'X_acme_Boost', access: 'readOnly', syntax: { type: 'boolean' } },
        ],
      };
    return o;
  });
  const model: DataModelDefinition = { ...profile.model, objects };
  return { ...profile, id: 'broken-gateway', model };
}

async function reportOf(profile: DeviceProfile) {
  const lab = await Lab.start({ profile });
  try {
    const device: SimulatedDevice = await lab.device('DMR-1');
    const id = lab.idOf(device);
    const boot = device.waitForSession();
    device.start();
    assert.equal((await boot).ok, true);
    await lab.store.tasks.enqueue(id, { args: { type: 'refresh', path: 'Device.' } });
    const refreshed = device.waitForSession();
    assert.equal(await lab.connectionRequest(device), 200);
    const session = await refreshed;
    assert.equal(session.ok, true, session.error);
    assert.ok(session.acsRequests.includes('GetParameterNames'), session.acsRequests.join());
    return await deviceModelReport(lab.store, await StandardDefinitions.load(), id);
  } finally {
    await lab.close();
  }
}

describe('the data-model report of simulated devices, after a refresh of their whole tree', () => {
  it('finds nothing wrong with the Device:2 gateway, and exactly what was broken in another', async () => {
    const good = await reportOf(DEVICE2_GATEWAY);
    assert.equal(good.model, 'Device:2.17');
    assert.ok(good.items > 300, `${good.items} paths`);
    assert.deepEqual(good.findings, []);

    const bad = await reportOf(broken(DEVICE2_GATEWAY));
    assert.deepEqual(
      bad.findings.map((f) => `${f.rule} ${f.path}`).sort(),
      [
        'bad-vendor-extension-name Device.DeviceInfo.X_acme_Boost',
        'type-mismatch Device.ManagementServer.PeriodicInformInterval',
        'unknown-parameter Device.DeviceInfo.Bogus',
        'writability-mismatch Device.DeviceInfo.Manufacturer',
      ],
      JSON.stringify(bad.findings, null, 1),
    );
  });
});
