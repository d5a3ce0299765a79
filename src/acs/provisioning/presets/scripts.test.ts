import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterRecord } from '../../../store/parameters.ts';
import { describePlan } from './describe.ts';
import type { ProvisioningContext } from './plan.ts';
import type { Preset } from './preset.ts';
import {
  type FailedScript,
  overlayDeclarations,
  planWithScripts,
  runPresetScripts,
  type ScriptEnvironment,
  type ScriptReport,
  scriptParameters,
} from './scripts.ts';
import { preset as basePreset, declarations as decl } from './testing.ts';

const NOW = 1_700_000_000_000;
const SSID = 'Device.WiFi.SSID.1.SSID';
const CHANNEL = 'Device.WiFi.Radio.1.Channel';
const INTERVAL = 'Device.ManagementServer.PeriodicInformInterval';

function rec(path: string, value: string | null, type = 'string', secret = false): ParameterRecord {
  return {
    path,
    object: path.endsWith('.'),
    value,
    type,
    secret,
    writable: true,
    notification: 0,
    accessList: [],
    valueAt: NOW - 1000,
    attributesAt: NOW,
  };
}

const TREE = [
  rec('Device.ManagementServer.ParameterKey', ''),
  rec(SSID, 'home'),
  rec(CHANNEL, '6', 'unsignedInt'),
  rec('Device.WiFi.Radio.1.Enable', '1', 'boolean'),
  rec(INTERVAL, '300', 'unsignedInt'),
  rec('Device.DeviceInfo.SerialNumber', 'SN-00421337'),
  rec('Device.Users.User.1.Password', 'hunter2'),
  rec('Device.X_ACME_Token', 'tok-123', 'string', true),
];

function ctx(more: Partial<ProvisioningContext> = {}): ProvisioningContext {
  return {
    device: {
      manufacturer: 'Acme',
      oui: '00AABB',
      productClass: 'HGW',
      serialNumber: 'SN-00421337',
      softwareVersion: '1',
      hardwareVersion: null,
    },
    tags: [],
    events: ['2 PERIODIC'],
    now: NOW,
    parameters: new Map(TREE.map((r) => [r.path, r])),
    ...more,
  };
}

const ENV: ScriptEnvironment = {
  sessionTime: NOW,
  events: [{ code: '2 PERIODIC', commandKey: '' }],
};

const preset = (name: string, extra: Partial<Preset> = {}): Preset => basePreset(name, {}, extra);

function setsOf(plan: Awaited<ReturnType<typeof planWithScripts>>['plan'], channel: string) {
  return plan.tasks
    .filter((t) => t.channel === channel && t.args.type === 'setParameterValues')
    .flatMap((t) =>
      t.args.type === 'setParameterValues'
        ? t.args.parameters.map((p) => [p.name, String(p.value)])
        : [],
    );
}

function failure(report: ScriptReport | undefined): FailedScript {
  assert.ok(report, 'a report');
  assert.equal(report.ok, false, JSON.stringify(report));
  return report as FailedScript;
}

describe('preset scripts in the planner', () => {
  it('derives a value from a device parameter and plans it like a declared one', async () => {
    const { plan, scripts } = await planWithScripts(
      [
        preset('ssid', {
          channel: 'wifi',
          script: `
            const serial = device.value('Device.DeviceInfo.SerialNumber');
            declare.value('${SSID}', 'net-' + serial.slice(-4));
            declare.value('${CHANNEL}', device.value('${CHANNEL}') + 5);
            log('serial', serial);
            log('password', String(device.value('Device.Users.User.1.Password')));`,
        }),
      ],
      ctx(),
      ENV,
    );
    assert.deepEqual(scripts, [
      {
        preset: 'ssid',
        channel: 'wifi',
        ok: true,
        logs: ['serial SN-00421337', 'password undefined'],
        declarations: decl({
          values: [
            { path: SSID, value: 'net-1337' },
            { path: CHANNEL, value: 11 },
          ],
        }),
      },
    ]);
    assert.deepEqual(setsOf(plan, 'wifi'), [
      [CHANNEL, '11'],
      [SSID, 'net-1337'],
    ]);
    const diff = plan.diff.find((d) => d.kind === 'value' && d.path === SSID);
    assert.equal(diff?.preset, 'ssid', 'the script’s declarations belong to its preset');
  });

  it('merges at the preset’s weight: over its own declarations and lighter presets, under heavier ones', async () => {
    const script = `declare.value('${SSID}', 'scripted'); declare.value('${INTERVAL}', 900);`;
    const { plan } = await planWithScripts(
      [
        preset('heavy', {
          weight: 20,
          declarations: decl({ values: [{ path: INTERVAL, value: 1200 }] }),
        }),
        preset('light', {
          weight: 5,
          declarations: decl({ values: [{ path: SSID, value: 'x' }] }),
        }),
        preset('mid', {
          weight: 10,
          declarations: decl({ values: [{ path: SSID, value: 'static' }] }),
          script,
        }),
      ],
      ctx(),
      ENV,
    );
    assert.deepEqual(setsOf(plan, ''), [
      [INTERVAL, '1200'],
      [SSID, 'scripted'],
    ]);
  });

  it('is deterministic: the same device and preset draw the same random numbers and time', async () => {
    const script = `declare.value('${SSID}', 'r' + Math.floor(random() * 1e9) + '-' + new Date().toISOString());`;
    const run = async (name: string, c = ctx()) =>
      (await runPresetScripts([preset(name, { script })], c, ENV)).scripts[0];
    const a = await run('p');
    assert.deepEqual(await run('p'), a);
    assert.notDeepEqual(await run('q'), a, 'another preset has a seed of its own');
    const other = ctx({ device: { ...ctx().device, serialNumber: 'OTHER' } });
    assert.notDeepEqual(await run('p', other), a, 'so has another device');
    assert.ok(a?.ok);
    assert.match(String(a.declarations.values[0]?.value), /-2023-11-14T22:13:20\.000Z$/);
  });

  it('never shows a script a secret value, and types booleans and integers', () => {
    const seen = scriptParameters(new Map(TREE.map((r) => [r.path, r])));
    assert.equal(seen.has('Device.X_ACME_Token'), false, 'flagged secret');
    assert.equal(seen.get(CHANNEL)?.value, 6);
    assert.equal(seen.get('Device.WiFi.Radio.1.Enable')?.value, true);
    assert.equal(seen.get(SSID)?.value, 'home');
  });

  it('runs only the scripts of matching presets', async () => {
    const { scripts } = await planWithScripts(
      [
        preset('elsewhere', {
          precondition: { field: 'oui', op: 'eq', value: 'FFFFFF' },
          script: 'for (;;) {}',
        }),
      ],
      ctx(),
      ENV,
    );
    assert.deepEqual(scripts, []);
  });

  for (const [what, script, reason] of [
    ['loops', 'for (;;) {}', 'timeout'],
    ['throws', "throw new Error('no luck')", 'threw'],
    [
      'exhausts its memory',
      'const a = []; for (;;) a.push(new Array(4096).fill(a.length));',
      'out-of-memory',
    ],
    ['does not parse', 'declare.value(', 'syntax'],
    [
      'declares through an alias path',
      "declare.value('Device.WiFi.SSID.[Name:x].SSID', 'y')",
      'invalid-output',
    ],
    ['declares a tag with a space', "declare.tag('two words')", 'invalid-output'],
  ] as const) {
    it(`a script that ${what} blocks its own channel in this plan, and nothing else`, async () => {
      const { plan, scripts } = await planWithScripts(
        [
          preset('broken', {
            channel: 'bad',
            weight: 10,
            declarations: decl({ values: [{ path: SSID, value: 'static-of-broken' }] }),
            script,
          }),
          preset('fine', {
            channel: 'good',
            declarations: decl({ values: [{ path: INTERVAL, value: 600 }] }),
            script: `declare.value('${CHANNEL}', 1)`,
          }),
        ],
        ctx(),
        ENV,
      );
      const broken = failure(scripts.find((s) => s.preset === 'broken'));
      assert.equal(broken.reason, reason, broken.message);
      assert.equal(broken.channel, 'bad');
      assert.ok(broken.message.length > 0);
      if (what === 'declares a tag with a space')
        assert.match(broken.message, /^script\.addTags\[0\]/);
      assert.equal(scripts.find((s) => s.preset === 'fine')?.ok, true);
      assert.deepEqual(
        setsOf(plan, 'good'),
        [
          [INTERVAL, '600'],
          [CHANNEL, '1'],
        ].sort(),
      );
      assert.deepEqual(setsOf(plan, 'bad'), [], 'the broken channel gets no task');
      assert.deepEqual(plan.blockedChannels, ['bad'], 'its own declarations still merge');
      assert.match(describePlan(plan, scripts), new RegExp(`failed   broken @bad: ${reason}`));
    });
  }

  it('does not run again a script that failed earlier in the session, unless its source changed', async () => {
    const source = "throw new Error('first')";
    const earlier: FailedScript = {
      preset: 'p',
      channel: 'c',
      ok: false,
      reason: 'threw',
      message: 'remembered',
      logs: [],
    };
    const failed = new Map([['p', { source, report: earlier }]]);
    const again = await runPresetScripts([preset('p', { channel: 'c', script: source })], ctx(), {
      ...ENV,
      failed,
    });
    assert.equal(again.scripts[0], earlier);
    const fixed = await runPresetScripts(
      [preset('p', { channel: 'c', script: `declare.value('${SSID}', 'ok')` })],
      ctx(),
      { ...ENV, failed },
    );
    assert.equal(fixed.scripts[0]?.ok, true);
  });

  it('a later declaration wins across kinds: tags and instances the script flips', () => {
    const keys = { Name: 'x' };
    const merged = overlayDeclarations(
      decl({
        addTags: ['a', 'b'],
        removeTags: ['c'],
        instances: [{ object: 'Device.NAT.PortMapping.', keys, values: {} }],
      }),
      decl({
        addTags: ['c'],
        removeTags: ['a'],
        absentInstances: [{ object: 'Device.NAT.PortMapping.', keys }],
      }),
    );
    assert.deepEqual(merged.addTags, ['b', 'c']);
    assert.deepEqual(merged.removeTags, ['a']);
    assert.deepEqual(merged.instances, []);
    assert.equal(merged.absentInstances.length, 1);
  });
});
