import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParameterRecord } from '../../../store/parameters.ts';
import { describePlan } from './describe.ts';
import { type PlannedTask, type ProvisioningContext, planProvisioning } from './plan.ts';
import { ctx, preset, rec } from './testing.ts';

const types = (tasks: PlannedTask[]) => tasks.map((t) => t.args.type);
const WRITES = new Set(['setParameterValues', 'addObject', 'deleteObject']);

const base = [
  rec('Device.ManagementServer.ParameterKey', ''),
  rec('Device.WiFi.'),
  rec('Device.WiFi.Radio.1.Enable', '1', 'boolean'),
  rec('Device.WiFi.Radio.1.Channel', '6', 'unsignedInt'),
];

test('nothing to do: equal after normalisation', () => {
  const p = preset('a', {
    values: [
      { path: 'Device.WiFi.Radio.1.Enable', value: true },
      { path: 'Device.WiFi.Radio.1.Channel', value: '06' },
    ],
  });
  const plan = planProvisioning([p], ctx(base));
  assert.deepEqual(plan.matched, ['a']);
  assert.deepEqual(plan.diff, []);
  assert.deepEqual(plan.tasks, []);
  assert.match(describePlan(plan), /in sync/);
});

test('one differing value: one batched SPV with the derived key; unmatched presets ignored', () => {
  const p = preset('a', {
    values: [
      { path: 'Device.WiFi.Radio.1.Channel', value: 11 },
      { path: 'Device.WiFi.Radio.1.Enable', value: 'true' },
    ],
  });
  const off = preset(
    'off',
    { values: [{ path: 'Device.WiFi.Radio.1.Enable', value: false }] },
    { precondition: { tag: 'nope' } },
  );
  const plan = planProvisioning([p, off], ctx(base));
  assert.deepEqual(plan.matched, ['a']);
  assert.deepEqual(plan.tasks, [
    {
      channel: '',
      args: {
        type: 'setParameterValues',
        parameterKey: plan.parameterKey,
        parameters: [{ name: 'Device.WiFi.Radio.1.Channel', value: '11', type: 'unsignedInt' }],
      },
    },
  ]);
});

test('merge by weight: the later weight wins per path; channels batch separately', () => {
  const lo = preset(
    'lo',
    { values: [{ path: 'Device.WiFi.Radio.1.Channel', value: 1 }] },
    { weight: 10 },
  );
  const hi = preset(
    'hi',
    { values: [{ path: 'Device.WiFi.Radio.1.Channel', value: 11 }] },
    { weight: 20 },
  );
  const other = preset(
    'o',
    { values: [{ path: 'Device.WiFi.Radio.1.Enable', value: false }] },
    { channel: 'radio' },
  );
  const plan = planProvisioning([hi, other, lo], ctx(base));
  assert.deepEqual(plan.matched, ['o', 'lo', 'hi']);
  const spv = plan.tasks.map((t) => [
    t.channel,
    t.args.type === 'setParameterValues'
      ? t.args.parameters.map((p) => `${p.name}=${p.value}`)
      : [],
  ]);
  assert.deepEqual(spv, [
    ['', ['Device.WiFi.Radio.1.Channel=11']],
    ['radio', ['Device.WiFi.Radio.1.Enable=false']],
  ]);
  const blocked = planProvisioning(
    [hi, other, lo],
    ctx(base, { blockedChannels: new Set(['radio']) }),
  );
  assert.deepEqual(
    blocked.tasks.map((t) => t.channel),
    [''],
  );
  assert.deepEqual(blocked.blockedChannels, ['radio']);
});

test('unknown parameter: read first (value unknown → GPV; absent → refresh parent; parent listed → unsupported)', () => {
  const p = preset('a', {
    values: [
      { path: 'Device.WiFi.Radio.1.Channel', value: 1 },
      { path: 'Device.Time.NTPServer1', value: 'pool.ntp.org' },
      { path: 'Device.WiFi.Radio.1.Bogus', value: 1 },
    ],
  });
  const plan = planProvisioning(
    [p],
    // Device.WiFi.Radio.1. was listed by GetParameterNames (its object row is there); Device.Time. never was.
    ctx([
      ...base.slice(0, 3),
      rec('Device.WiFi.Radio.1.'),
      rec('Device.WiFi.Radio.1.Channel', null, null),
    ]),
  );
  assert.deepEqual(
    plan.tasks.map((t) => t.args),
    [
      { type: 'refresh', path: 'Device.Time.' },
      { type: 'getParameterValues', parameterNames: ['Device.WiFi.Radio.1.Channel'] },
    ],
  );
  assert.ok(
    plan.diff.some((d) => d.kind === 'unsupported' && d.path === 'Device.WiFi.Radio.1.Bogus'),
  );
});

test('stale reads: maxAge on a parameter and on a subtree; not writable is reported, not sent', () => {
  const p = preset('a', {
    fresh: [
      { path: 'Device.WiFi.Radio.1.Enable', maxAgeSeconds: 0.5 },
      { path: 'Device.WiFi.', maxAgeSeconds: 3600 },
    ],
    values: [{ path: 'Device.DeviceInfo.X', value: 'y' }],
  });
  const plan = planProvisioning(
    [p],
    ctx([...base, rec('Device.DeviceInfo.X', 'z', 'string', { writable: false })]),
  );
  assert.deepEqual(
    plan.tasks.map((t) => t.args),
    [{ type: 'getParameterValues', parameterNames: ['Device.WiFi.Radio.1.Enable'] }],
  );
  assert.ok(plan.diff.some((d) => d.kind === 'not-writable'));
  const older = planProvisioning(
    [preset('b', { fresh: [{ path: 'Device.WiFi.', maxAgeSeconds: 0.5 }] })],
    ctx(base),
  );
  assert.deepEqual(
    older.tasks.map((t) => t.args),
    [{ type: 'refresh', path: 'Device.WiFi.' }],
  );
});

test('attributes: only what differs, one SPA', () => {
  const p = preset('a', {
    attributes: [
      { path: 'Device.WiFi.Radio.1.Enable', notification: 2 },
      { path: 'Device.WiFi.Radio.1.Channel', notification: 0, accessList: [] },
    ],
  });
  const plan = planProvisioning([p], ctx(base));
  assert.deepEqual(
    plan.tasks.map((t) => t.args),
    [
      {
        type: 'setParameterAttributes',
        parameters: [
          {
            name: 'Device.WiFi.Radio.1.Enable',
            notificationChange: true,
            notification: 2,
            accessListChange: false,
            accessList: [],
          },
        ],
      },
    ],
  );
});

const SSID = 'Device.WiFi.SSID.';
const ssid = (n: number, name: string, enable = '1') => [
  rec(`${SSID}${n}.`),
  rec(`${SSID}${n}.SSID`, name),
  rec(`${SSID}${n}.Enable`, enable, 'boolean'),
];
const guest = preset('guest', {
  instances: [{ object: SSID, keys: { SSID: 'Guest' }, values: { Enable: true } }],
  absentInstances: [{ object: SSID, keys: { SSID: 'Old' } }],
});

test('instances: present by keys (values only), missing (add), unwanted (delete), unknown (read)', () => {
  const present = planProvisioning(
    [guest],
    ctx([...base, rec(SSID), ...ssid(1, 'Main'), ...ssid(2, 'Guest', '0')]),
  );
  assert.deepEqual(types(present.tasks), ['setParameterValues']);
  const missing = planProvisioning(
    [guest],
    ctx([...base, rec(SSID), ...ssid(1, 'Main'), ...ssid(3, 'Old')]),
  );
  assert.deepEqual(
    missing.tasks.map((t) =>
      t.args.type === 'deleteObject' || t.args.type === 'addObject'
        ? `${t.args.type} ${t.args.objectName}`
        : t.args.type,
    ),
    [`deleteObject ${SSID}3.`, `addObject ${SSID}`],
  );
  const unknown = planProvisioning([guest], ctx([...base, rec(SSID), rec(`${SSID}1.`)]));
  assert.deepEqual(
    unknown.tasks.map((t) => t.args),
    [{ type: 'refresh', path: `${SSID}1.` }],
  );
  const noObject = planProvisioning([guest], ctx(base.filter((r) => r.path !== 'Device.WiFi.')));
  assert.deepEqual(
    noObject.tasks.map((t) => t.args),
    [{ type: 'refresh', path: SSID }],
  );
});

test('ParameterKey: deterministic, independent of preset order and owners, changes with the declared state', () => {
  const a = preset('a', { values: [{ path: 'Device.X', value: 1 }] });
  const b = preset('b', { values: [{ path: 'Device.Y', value: 'v' }] }, { channel: 'c' });
  const k1 = planProvisioning([a, b], ctx([])).parameterKey;
  assert.equal(planProvisioning([b, a], ctx([])).parameterKey, k1);
  assert.equal(planProvisioning([{ ...a, name: 'renamed' }, b], ctx([])).parameterKey, k1);
  assert.notEqual(
    planProvisioning([a, preset('b', { values: [{ path: 'Device.Y', value: 'w' }] })], ctx([]))
      .parameterKey,
    k1,
  );
  assert.ok(k1.length <= 32);
});

test("secrets: set until the device reports this state's ParameterKey, and never shown", () => {
  const p = preset('a', {
    values: [{ path: 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase', value: 'hunter22' }],
  });
  const secret = rec('Device.WiFi.AccessPoint.1.Security.KeyPassphrase', null, 'string', {
    secret: true,
  });
  const plan = planProvisioning([p], ctx([...base, secret]));
  assert.deepEqual(types(plan.tasks), ['setParameterValues']);
  assert.doesNotMatch(describePlan(plan) + JSON.stringify(plan), /hunter22/);
  const keyed = base.map((r) =>
    r.path.endsWith('ParameterKey') ? rec(r.path, plan.parameterKey) : r,
  );
  assert.deepEqual(planProvisioning([p], ctx([...keyed, secret])).tasks, []);
});

/** The CPE accepts every task: apply its effects to the cached tree, as the session engine would. */
function simulate(
  c: ProvisioningContext,
  tasks: PlannedTask[],
  pending: Map<string, string>,
  device: Map<string, ParameterRecord>,
): ProvisioningContext {
  const params = new Map(c.parameters);
  let next = 10;
  for (const t of tasks) {
    const a = t.args;
    if (a.type === 'setParameterValues') {
      for (const p of a.parameters) params.set(p.name, rec(p.name, String(p.value), p.type));
      params.set(
        'Device.ManagementServer.ParameterKey',
        rec('Device.ManagementServer.ParameterKey', a.parameterKey),
      );
    } else if (a.type === 'addObject') {
      const path = `${a.objectName}${next++}.`;
      params.set(path, rec(path));
      pending.set(path, t.instanceId!);
    } else if (a.type === 'setParameterAttributes') {
      for (const p of a.parameters) {
        const r = params.get(p.name)!;
        params.set(p.name, {
          ...r,
          notification: p.notificationChange ? p.notification : r.notification,
          accessList: p.accessListChange ? p.accessList : r.accessList,
        });
      }
    } else if (a.type === 'deleteObject') {
      for (const k of [...params.keys()]) if (k.startsWith(a.objectName)) params.delete(k);
    } else if (a.type === 'refresh') {
      for (const [k, v] of device) if (k.startsWith(a.path)) params.set(k, v);
      for (const k of [...params.keys()])
        if (
          k.startsWith(a.path) &&
          k.endsWith('.') &&
          /\.\d+\.$/.test(k) &&
          !params.has(`${k}SSID`)
        ) {
          // a freshly added instance: the CPE created it with defaults
          params.set(`${k}SSID`, rec(`${k}SSID`, ''));
          params.set(`${k}Enable`, rec(`${k}Enable`, 'false', 'boolean'));
        }
    }
  }
  return { ...c, parameters: params, pendingInstances: pending };
}

test('convergence: applying the plan round after round reaches a plan with no writes, and stays there', () => {
  const presets = [
    guest,
    preset('radio', {
      values: [{ path: 'Device.WiFi.Radio.1.Channel', value: 11 }],
      attributes: [{ path: 'Device.WiFi.Radio.1.Enable', notification: 2 }],
    }),
  ];
  const device = new Map<string, ParameterRecord>();
  let c = ctx([...base, rec(SSID), ...ssid(1, 'Main'), ...ssid(3, 'Old')]);
  const pending = new Map<string, string>();
  const rounds: string[][] = [];
  for (let i = 0; i < 6; i++) {
    const plan = planProvisioning(presets, c);
    rounds.push(types(plan.tasks));
    for (const s of plan.settledInstances) pending.delete(s);
    if (plan.tasks.length === 0) break;
    c = simulate(c, plan.tasks, pending, device);
  }
  assert.deepEqual(rounds, [
    ['deleteObject', 'addObject', 'setParameterValues', 'setParameterAttributes'],
    ['refresh'],
    ['setParameterValues'],
    [],
  ]);
  const again = planProvisioning(presets, c);
  assert.equal(again.tasks.filter((t) => WRITES.has(t.args.type)).length, 0);
  assert.equal(pending.size, 0);
});
