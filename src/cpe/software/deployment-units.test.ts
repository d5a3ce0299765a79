import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CwmpFault } from '../../cwmp/index.ts';
import { IGD_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import { runDuOperations, uuidFor } from './deployment-units.ts';

const files: Record<string, string> = {
  'http://h/agent-1.0.ipk': 'CORRAL-DU name=agent version=1.0\n',
  'http://h/agent-2.0.ipk': 'CORRAL-DU name=agent version=2.0\n',
  'http://h/tool_v3.1.tar': 'binary',
};

function context() {
  const model = new DeviceModel(templateFor(simulatorProfile(IGD_GATEWAY)));
  return {
    model,
    now: () => Date.UTC(2026, 0, 1),
    fetch: async (url: string) => {
      const text = files[url];
      if (text === undefined) throw new CwmpFault(9016);
      return { size: text.length, sha256: '00'.repeat(32), head: Buffer.from(text) };
    },
  };
}

const SM = 'InternetGatewayDevice.SoftwareModules.';

describe('ChangeDUState operations (IGD:1 SoftwareModules)', () => {
  it('install, update and uninstall, each with its OpResult; a failure does not stop the rest', async () => {
    const ctx = context();
    const results = await runDuOperations(ctx, [
      { Operation: 'Install', URL: 'http://h/agent-1.0.ipk' },
      { Operation: 'Install', URL: 'http://h/tool_v3.1.tar', UUID: 'not-a-uuid' },
      { Operation: 'Install', URL: 'http://h/tool_v3.1.tar' },
      { Operation: 'Install', URL: 'http://h/missing.ipk' },
      {
        Operation: 'Update',
        UUID: uuidFor('http://h/agent-1.0.ipk'),
        URL: 'http://h/agent-2.0.ipk',
      },
      { Operation: 'Install', URL: 'http://h/agent-1.0.ipk' },
    ]);
    assert.deepEqual(
      results.map((r) => [r.CurrentState, r.Fault.FaultCode, r.Version]),
      [
        ['Installed', 0, '1.0'],
        ['Failed', 9022, ''],
        ['Installed', 0, '3.1'],
        ['Failed', 9016, ''],
        ['Installed', 0, '2.0'],
        ['Failed', 9026, ''],
      ],
    );
    assert.equal(results[0]!.DeploymentUnitRef, `${SM}DeploymentUnit.1.`);
    assert.equal(results[0]!.ExecutionUnitRefList, `${SM}ExecutionUnit.1.`);
    assert.match(
      results[0]!.UUID,
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(ctx.model.getValue(`${SM}DeploymentUnit.2.Name`), 'tool');
    assert.equal(ctx.model.getValue(`${SM}DeploymentUnitNumberOfEntries`), '2');
    assert.equal(ctx.model.getValue(`${SM}ExecutionUnit.1.Version`), '2.0');

    const removed = await runDuOperations(ctx, [
      { Operation: 'Uninstall', UUID: results[0]!.UUID, Version: '1.0' },
      { Operation: 'Uninstall', UUID: results[0]!.UUID },
      { Operation: 'Update', UUID: results[2]!.UUID },
    ]);
    assert.deepEqual(
      removed.map((r) => [r.CurrentState, r.Fault.FaultCode]),
      [
        ['Failed', 9028],
        ['Uninstalled', 0],
        ['Failed', 9032],
      ],
    );
    assert.deepEqual(ctx.model.instances(`${SM}DeploymentUnit.`), [2]);
    assert.deepEqual(ctx.model.instances(`${SM}ExecutionUnit.`), [2]);
  });

  it('refuses an unknown or disabled execution environment', async () => {
    const ctx = context();
    const [unknown] = await runDuOperations(ctx, [
      { Operation: 'Install', URL: 'http://h/agent-1.0.ipk', ExecutionEnvRef: `${SM}ExecEnv.9.` },
    ]);
    assert.equal(unknown!.Fault.FaultCode, 9023);
    ctx.model.setLocalValue(`${SM}ExecEnv.1.Enable`, 'false');
    const [disabled] = await runDuOperations(ctx, [
      { Operation: 'Install', URL: 'http://h/agent-1.0.ipk' },
    ]);
    assert.equal(disabled!.Fault.FaultCode, 9024);
  });
});
