import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CwmpMessage, CwmpRpc } from '../cwmp/index.ts';
import { encodeDeviceId } from '../store/device-id.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-provisioning-'));
let store: SqliteStore;
let acs: RunningAcs;

before(async () => {
  store = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  acs = await startAcs(testAcsOptions(store));
  await store.presets.put('periodic-600', {
    weight: 10,
    channel: 'base',
    precondition: { field: 'oui', op: 'eq', value: '00D09E' },
    declarations: {
      values: [
        { path: 'Device.ManagementServer.PeriodicInformInterval', value: 600, type: 'unsignedInt' },
      ],
      addTags: ['provisioned'],
    },
  });
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A CPE whose tree is this map: it answers reads from it and applies writes to it, like a device would. */
function deviceAnswer(
  tree: Map<string, { value: string; type: string }>,
  request: CwmpRpc,
): CwmpMessage {
  switch (request.method) {
    case 'GetParameterValues':
      return {
        method: 'GetParameterValuesResponse',
        ParameterList: request.ParameterNames.flatMap((name) => {
          const p = tree.get(name);
          return p ? [{ name, value: p.value, type: p.type }] : [];
        }),
      };
    case 'GetParameterNames': {
      const under = [...tree.keys()].filter((name) => name.startsWith(request.ParameterPath));
      const objects = new Set<string>();
      for (const name of under) {
        for (
          let i = name.indexOf('.', request.ParameterPath.length - 1);
          i !== -1;
          i = name.indexOf('.', i + 1)
        ) {
          objects.add(name.slice(0, i + 1));
        }
      }
      return {
        method: 'GetParameterNamesResponse',
        ParameterList: [
          ...[...objects].map((Name) => ({ Name, Writable: false })),
          ...under.map((Name) => ({ Name, Writable: true })),
        ],
      };
    }
    case 'SetParameterValues':
      for (const p of request.ParameterList) tree.set(p.name, { value: p.value, type: p.type });
      tree.set('Device.ManagementServer.ParameterKey', {
        value: request.ParameterKey,
        type: 'string',
      });
      return { method: 'SetParameterValuesResponse', Status: 0 };
    default:
      throw new Error(`unexpected ${request.method}`);
  }
}

async function session(
  cpe: ScriptedCpe,
  tree: Map<string, { value: string; type: string }>,
): Promise<string[]> {
  cpe.reset();
  await cpe.inform(
    ['2 PERIODIC'],
    [
      {
        name: 'Device.ManagementServer.ParameterKey',
        value: tree.get('Device.ManagementServer.ParameterKey')?.value ?? '',
        type: 'string',
      },
    ],
  );
  const methods: string[] = [];
  let reply = await cpe.emptyPost();
  while (reply.status === 200) {
    const request = reply.envelope?.body as CwmpRpc;
    methods.push(request.method);
    reply = await cpe.answer(reply, deviceAnswer(tree, request));
  }
  assert.equal(reply.status, 204);
  return methods;
}

describe('presets in sessions', () => {
  it('reads what is unknown, sets what differs, tags the device, and then converges: no second SetParameterValues', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'preset-1' });
    const tree = new Map([
      ['Device.ManagementServer.PeriodicInformInterval', { value: '300', type: 'unsignedInt' }],
    ]);
    const first = await session(cpe, tree);
    assert.deepEqual(first, ['GetParameterNames', 'GetParameterValues', 'SetParameterValues']);
    assert.equal(tree.get('Device.ManagementServer.PeriodicInformInterval')?.value, '600');
    const id = encodeDeviceId({
      oui: cpe.oui,
      productClass: cpe.productClass,
      serialNumber: cpe.serialNumber,
    });
    assert.deepEqual((await store.devices.get(id))?.tags, ['provisioned']);
    const key = tree.get('Device.ManagementServer.ParameterKey')?.value;
    assert.match(key ?? '', /^cp-/);

    const second = await session(cpe, tree);
    assert.deepEqual(second, [], 'a converged device gets no RPC at all');
    assert.equal(tree.get('Device.ManagementServer.ParameterKey')?.value, key);
    cpe.close();
  });

  it('leaves devices the precondition does not match alone', async () => {
    const other = new ScriptedCpe(acs.url, { serialNumber: 'preset-2', oui: 'ABCDEF' });
    const tree = new Map([
      ['Device.ManagementServer.PeriodicInformInterval', { value: '300', type: 'unsignedInt' }],
    ]);
    assert.deepEqual(await session(other, tree), []);
    other.close();
  });

  it('blocks only the channel whose task faulted', async () => {
    await store.presets.put('bad-channel', {
      weight: 20,
      channel: 'broken',
      precondition: { field: 'serialNumber', op: 'eq', value: 'preset-3' },
      declarations: { values: [{ path: 'Device.X_Vendor.Bogus', value: 'x', type: 'string' }] },
    });
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'preset-3' });
    const tree = new Map([
      ['Device.ManagementServer.PeriodicInformInterval', { value: '300', type: 'unsignedInt' }],
      ['Device.X_Vendor.Bogus', { value: 'y', type: 'string' }],
    ]);
    cpe.reset();
    await cpe.inform(['2 PERIODIC']);
    let reply = await cpe.emptyPost();
    const seen: string[] = [];
    while (reply.status === 200) {
      const request = reply.envelope?.body as CwmpRpc;
      const names =
        request.method === 'SetParameterValues' ? request.ParameterList.map((p) => p.name) : [];
      seen.push(`${request.method}${names.length ? `:${names.join(',')}` : ''}`);
      reply = names.includes('Device.X_Vendor.Bogus')
        ? await cpe.answer(reply, {
            method: 'Fault',
            faultcode: 'Client',
            faultstring: 'CWMP fault',
            FaultCode: 9003,
            FaultString: 'Invalid arguments',
            SetParameterValuesFault: [{ ParameterName: 'Device.X_Vendor.Bogus', FaultCode: 9008 }],
          })
        : await cpe.answer(reply, deviceAnswer(tree, request));
    }
    assert.equal(reply.status, 204);
    // The base channel still converged; the broken channel's write was tried once and is now left alone.
    assert.equal(tree.get('Device.ManagementServer.PeriodicInformInterval')?.value, '600');
    assert.equal(seen.filter((s) => s.includes('X_Vendor')).length, 1);
    const again = await session(cpe, tree);
    assert.ok(!again.some((m) => m === 'SetParameterValues'), again.join());
    cpe.close();
  });
});
