import assert from 'node:assert/strict';
import type { ScriptInput, ScriptOutcome } from './types.ts';

/** Test support: a device with ordinary, secret-named and secret-flagged parameters. */
export function sampleInput(overrides: Partial<ScriptInput> = {}): ScriptInput {
  return {
    parameters: {
      'Device.DeviceInfo.SoftwareVersion': {
        value: '2.1.0',
        type: 'string',
        writable: false,
        valueAt: 1000,
      },
      'Device.ManagementServer.PeriodicInformInterval': {
        value: 3600,
        type: 'unsignedInt',
        writable: true,
      },
      'Device.WiFi.SSID.1.SSID': { value: 'home', type: 'string', writable: true },
      'Device.WiFi.SSID.2.SSID': { value: 'guest', type: 'string', writable: true },
      'Device.Users.User.1.Password': { value: 'hunter2', type: 'string', writable: true },
      'Device.X_ACME_Token': { value: 'tok-123', type: 'string', secret: true },
    },
    deviceId: { manufacturer: 'Acme', oui: '00D09E', productClass: 'IGD', serialNumber: 'SN1' },
    tags: ['lab'],
    events: [{ code: '1 BOOT', commandKey: '' }],
    sessionTime: Date.UTC(2025, 0, 2, 3, 4, 5),
    seed: 'device-SN1/preset-a',
    ...overrides,
  };
}

export function ok(outcome: ScriptOutcome): Extract<ScriptOutcome, { ok: true }> {
  assert.equal(outcome.ok, true, outcome.ok ? '' : `${outcome.reason}: ${outcome.message}`);
  return outcome as Extract<ScriptOutcome, { ok: true }>;
}
