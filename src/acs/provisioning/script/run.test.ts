import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPresetScript } from './index.ts';
import { ok, sampleInput } from './testing.ts';

describe('runPresetScript: declarations', () => {
  it('collects every kind of declaration as plain, merged data', async () => {
    const r = ok(
      await runPresetScript(
        `
        declare.value('Device.ManagementServer.PeriodicInformInterval', 300, 'unsignedInt');
        declare.value('Device.WiFi.SSID.1.SSID', 'first');
        declare.value('Device.WiFi.SSID.1.SSID', 'second');
        declare.attributes('Device.WiFi.SSID.1.SSID', { notification: 2 });
        declare.attributes('Device.WiFi.SSID.1.SSID', { accessList: ['Subscriber'] });
        declare.instance('Device.NAT.PortMapping.', { ExternalPort: 8080, Protocol: 'TCP' }, { Enable: true });
        declare.noInstance('Device.NAT.PortMapping.', { ExternalPort: 22 });
        declare.fresh('Device.DeviceInfo.', 3600);
        declare.fresh('Device.DeviceInfo.', 60);
        declare.tag('upgraded');
        declare.tag('old');
        declare.untag('old');
        declare.untag('lab');
      `,
        sampleInput(),
      ),
    );
    assert.deepEqual(r.declarations, {
      values: [
        { path: 'Device.ManagementServer.PeriodicInformInterval', value: 300, type: 'unsignedInt' },
        { path: 'Device.WiFi.SSID.1.SSID', value: 'second' },
      ],
      attributes: [
        { path: 'Device.WiFi.SSID.1.SSID', notification: 2, accessList: ['Subscriber'] },
      ],
      instances: [
        {
          object: 'Device.NAT.PortMapping.',
          keys: { ExternalPort: 8080, Protocol: 'TCP' },
          values: { Enable: true },
        },
      ],
      absentInstances: [{ object: 'Device.NAT.PortMapping.', keys: { ExternalPort: 22 } }],
      fresh: [{ path: 'Device.DeviceInfo.', maxAgeSeconds: 60 }],
      addTags: ['upgraded'],
      removeTags: ['old', 'lab'],
    });
    assert.ok(r.cpuMs >= 0 && r.cpuMs < 1000);
  });

  it('a later instance/noInstance with the same keys replaces the earlier one', async () => {
    const r = ok(
      await runPresetScript(
        `declare.instance('Device.NAT.PortMapping.', { ExternalPort: 1 }, { A: 1 });
         declare.instance('Device.NAT.PortMapping.', { ExternalPort: 1 }, { B: 2 });
         declare.instance('Device.NAT.PortMapping.', { ExternalPort: 2 });
         declare.noInstance('Device.NAT.PortMapping.', { ExternalPort: 2 });`,
        sampleInput(),
      ),
    );
    assert.deepEqual(r.declarations.instances, [
      { object: 'Device.NAT.PortMapping.', keys: { ExternalPort: 1 }, values: { A: 1, B: 2 } },
    ]);
    assert.deepEqual(r.declarations.absentInstances, [
      { object: 'Device.NAT.PortMapping.', keys: { ExternalPort: 2 } },
    ]);
  });

  it('reads parameters, device id, tags and events, and never sees secrets', async () => {
    const r = ok(
      await runPresetScript(
        `
        const v = device.get('Device.DeviceInfo.SoftwareVersion');
        log(JSON.stringify(v));
        log(device.value('Device.ManagementServer.PeriodicInformInterval') + 1);
        log(device.list('Device.WiFi.SSID.').join(','));
        log(device.list('').length);
        log(String(device.get('Device.Users.User.1.Password')), String(device.get('Device.X_ACME_Token')));
        log(device.id.serialNumber, device.id.oui, device.tags.join(), device.hasTag('lab'), device.hasTag('x'));
        log(device.events[0].code, device.hasEvent('1 BOOT'), device.hasEvent('0 BOOTSTRAP'));
        v.value = 'changed';
        log(device.value('Device.DeviceInfo.SoftwareVersion'));
        if (device.value('Device.DeviceInfo.SoftwareVersion') === '2.1.0') declare.tag('v2');
      `,
        sampleInput(),
      ),
    );
    assert.deepEqual(r.logs, [
      '{"value":"2.1.0","type":"string","writable":false,"valueAt":1000}',
      '3601',
      'Device.WiFi.SSID.1.SSID,Device.WiFi.SSID.2.SSID',
      '4',
      'undefined undefined',
      'SN1 00D09E lab true false',
      '1 BOOT true false',
      '2.1.0',
    ]);
    assert.deepEqual(r.declarations.addTags, ['v2']);
  });

  it('accepts parameters given as a Map', async () => {
    const input = sampleInput({
      parameters: new Map([['Device.A', { value: true, type: 'boolean' }]]),
    });
    const r = ok(
      await runPresetScript(`log(device.value('Device.A'), device.list('').length)`, input),
    );
    assert.deepEqual(r.logs, ['true 1']);
  });

  it('runs promise jobs the script queued', async () => {
    const r = ok(
      await runPresetScript(
        `Promise.resolve(7).then((n) => declare.value('Device.N', n));`,
        sampleInput(),
      ),
    );
    assert.deepEqual(r.declarations.values, [{ path: 'Device.N', value: 7 }]);
  });

  it('bounds logs: lines, then line length', async () => {
    const r = ok(
      await runPresetScript(`for (let i = 0; i < 150; i++) log('line', i); `, sampleInput(), {
        maxLogLines: 3,
      }),
    );
    assert.deepEqual(r.logs, ['line 0', 'line 1', 'line 2', '(147 more lines not kept)']);
    const long = ok(
      await runPresetScript(`log('x'.repeat(5000))`, sampleInput(), { maxLogLineLength: 10 }),
    );
    assert.deepEqual(long.logs, ['xxxxxxxxxx…']);
  });
});

describe('runPresetScript: faults', () => {
  it('a syntax error is "syntax", a runtime SyntaxError is "threw"', async () => {
    const syntax = await runPresetScript(`declare.value('Device.A', 1`, sampleInput());
    assert.equal(syntax.ok, false);
    assert.equal(!syntax.ok && syntax.reason, 'syntax');
    const thrown = await runPresetScript(`JSON.parse('{')`, sampleInput());
    assert.equal(!thrown.ok && thrown.reason, 'threw');
    assert.match(!thrown.ok ? thrown.message : '', /^SyntaxError/);
  });

  it('an exception is "threw" with its message, and the logs written before it are kept', async () => {
    const r = await runPresetScript(`log('before'); throw new Error('boom')`, sampleInput());
    assert.deepEqual(r, { ok: false, reason: 'threw', message: 'Error: boom', logs: ['before'] });
    const weird = await runPresetScript(`throw 'x'.repeat(10000)`, sampleInput());
    assert.equal(!weird.ok && weird.reason, 'threw');
    assert.ok(!weird.ok && weird.message.length <= 301);
  });

  it('a bad argument throws at the call site', async () => {
    for (const src of [
      `declare.value(1, 2)`,
      `declare.value('Device.A', {})`,
      `declare.value('Device.A', NaN)`,
      `declare.instance('Device.B.', 'x')`,
      `declare.fresh('Device.', '60')`,
    ]) {
      const r = await runPresetScript(src, sampleInput());
      assert.equal(!r.ok && r.reason, 'threw', src);
      assert.match(!r.ok ? r.message : '', /^TypeError: declare\./, src);
    }
  });

  it('a declaration that breaks the rules is "invalid-output"', async () => {
    for (const [src, message] of [
      [`declare.value('Device.A.', 1)`, /must not end in/],
      [`declare.value('Device.*.A', 1)`, /wildcards/],
      [`declare.value('Device.A', 1, 'float')`, /unknown type/],
      [`declare.value('Device.A', 'x'.repeat(20000))`, /longer than/],
      [`declare.attributes('Device.A', { notification: 9 })`, /0-6/],
      [`declare.attributes('Device.A', {})`, /no attribute/],
      [`declare.instance('Device.B', { K: 1 })`, /must end in/],
      [`declare.instance('Device.B.', {})`, /at least one key/],
      [`declare.instance('Device.B.', { 'a b': 1 })`, /invalid parameter name/],
      [`declare.fresh('Device.', -1)`, /maxAgeSeconds/],
      [`declare.tag('')`, /1-128/],
      [`declare.tag('a\\u0000b')`, /control/],
    ] as const) {
      const r = await runPresetScript(src, sampleInput());
      assert.equal(!r.ok && r.reason, 'invalid-output', src);
      assert.match(!r.ok ? r.message : '', message, src);
    }
  });
});

describe('runPresetScript: determinism', () => {
  const script = `
    log(now(), Date.now(), new Date().toISOString(), typeof Date(), new Date(0).getTime(), new Date(2020, 1).getMonth());
    log(random(), random(), Math.random());
    log(Object.getPrototypeOf(new Date()).constructor === Date, typeof WeakRef, typeof FinalizationRegistry);
    declare.value('Device.R', Math.floor(random() * 1e9));
  `;

  it('gives the same output for the same input, session time and seed', async () => {
    const a = ok(await runPresetScript(script, sampleInput()));
    const b = ok(await runPresetScript(script, sampleInput()));
    assert.deepEqual(a.declarations, b.declarations);
    assert.deepEqual(a.logs, b.logs);
    const t = Date.UTC(2025, 0, 2, 3, 4, 5);
    assert.equal(a.logs[0], `${t} ${t} 2025-01-02T03:04:05.000Z string 0 1`);
    assert.equal(a.logs[2], 'true undefined undefined');
  });

  it('a different seed or session time changes what the script sees', async () => {
    const a = ok(await runPresetScript(script, sampleInput()));
    const seeded = ok(await runPresetScript(script, sampleInput({ seed: 42 })));
    assert.notDeepEqual(seeded.declarations, a.declarations);
    const later = ok(await runPresetScript(script, sampleInput({ sessionTime: 0 })));
    assert.equal(later.logs[0]?.startsWith('0 0 1970-01-01T00:00:00.000Z'), true);
  });

  it('random() is uniform-looking and within [0, 1)', async () => {
    const r = ok(
      await runPresetScript(
        `let lo = 1, hi = 0, sum = 0; for (let i = 0; i < 10000; i++) { const x = random(); lo = Math.min(lo, x); hi = Math.max(hi, x); sum += x; }
         log(lo >= 0, hi < 1, Math.abs(sum / 10000 - 0.5) < 0.02);`,
        sampleInput(),
        { timeoutMs: 1000 },
      ),
    );
    assert.deepEqual(r.logs, ['true true true']);
  });
});
