import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CwmpMessage } from '../cwmp/index.ts';
import { Harness, serveSession } from './testing/harness.ts';

/** Security.md item 17: a preset setting a Wi-Fi passphrase. */
let h: Harness;
let deviceId: string;
let cpe: Awaited<ReturnType<Harness['informDevice']>>['cpe'];

const PASSPHRASE = 'Wifi-Pass-5150-by-name';
const FLAGGED = 'flagged-vendor-token-7781';
// PreSharedKey is hexBinary: a secret the data model accepts, and a string found nowhere else.
const INSTANCE_SECRET = 'feedc0de5ec7e70031415926';
const INSTANCE_FLAGGED = 'instance-flagged-2718';
const SCRIPT_SECRET = 'script-declared-pw-1618';
const KEY_PASSPHRASE = 'Device.WiFi.AccessPoint.1.Security.KeyPassphrase';
const VENDOR = 'Device.X_ACME.Token';
const ADMIN_PASSWORD = 'Device.Users.User.1.Password';
const SERIAL = 'Device.DeviceInfo.SerialNumber';
const ALL = [PASSPHRASE, FLAGGED, INSTANCE_SECRET, INSTANCE_FLAGGED, SCRIPT_SECRET];

const PRESET = {
  weight: 10,
  channel: 'wifi',
  precondition: { field: 'oui', op: 'eq', value: 'C0FFEE' },
  declarations: {
    values: [
      { path: KEY_PASSPHRASE, value: PASSPHRASE },
      { path: VENDOR, value: FLAGGED, secret: true },
      { path: 'Device.WiFi.SSID.1.SSID', value: 'corral' },
    ],
    instances: [
      {
        object: 'Device.WiFi.AccessPoint.',
        keys: { SSIDReference: 'Device.WiFi.SSID.2.' },
        values: {
          'Security.PreSharedKey': INSTANCE_SECRET,
          'Security.X_ACME_Extra': { value: INSTANCE_FLAGGED, secret: true },
          Enable: true,
        },
      },
    ],
  },
  // A per-device password the script derives (a literal in a script's source is readable with the preset).
  script: `declare.value('${ADMIN_PASSWORD}', 'script-declared-' + device.value('${SERIAL}'));`,
};

before(async () => {
  h = await Harness.start();
  ({ id: deviceId, cpe } = await h.informDevice(
    'secret-1',
    [
      { name: KEY_PASSPHRASE, value: '', type: 'string' },
      { name: VENDOR, value: 'old', type: 'string' },
      { name: ADMIN_PASSWORD, value: '', type: 'string' },
      { name: SERIAL, value: 'pw-1618', type: 'string' },
      { name: 'Device.WiFi.SSID.1.SSID', value: 'home', type: 'string' },
      { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'string' },
    ],
    { oui: 'C0FFEE', productClass: 'GW' },
  ));
});
after(() => h.close());

function leaks(text: string): string[] {
  return ALL.filter((s) => text.includes(s));
}

describe('secrets in presets', () => {
  it('are write-only through the API: a read shows them set, never their value', async () => {
    const put = await h.request('PUT', '/api/v1/presets/wifi-secrets', {
      token: h.tokens.operator,
      body: PRESET,
    });
    assert.equal(put.status, 201, put.text);
    assert.deepEqual(leaks(put.text), []);
    const got = await h.request('GET', '/api/v1/presets/wifi-secrets', {
      token: h.tokens['read-only'],
    });
    assert.equal(got.status, 200);
    assert.deepEqual(leaks(got.text), []);
    const values = got.json.preset.definition.declarations.values;
    assert.deepEqual(
      values.map((v: { value: unknown }) => v.value),
      ['[redacted]', '[redacted]', 'corral'],
    );
    const instance = got.json.preset.definition.declarations.instances[0].values;
    assert.equal(instance['Security.PreSharedKey'], '[redacted]');
    assert.deepEqual(instance['Security.X_ACME_Extra'], { value: '[redacted]', secret: true });
    assert.equal(instance.Enable, true);
    assert.deepEqual(leaks((await h.request('GET', '/api/v1/presets')).text), []);
  });

  it('are encrypted at rest and redacted in the audit log', async () => {
    const file = (name: string) => {
      try {
        return readFileSync(join(h.dir, name));
      } catch {
        return Buffer.alloc(0);
      }
    };
    const bytes = Buffer.concat([file('corral.db'), file('corral.db-wal')]).toString('latin1');
    assert.ok(bytes.includes('wifi-secrets'), 'the preset is in the files read');
    assert.deepEqual(leaks(bytes), [], 'the database holds ciphertext only');
    const audit = await h.request('GET', '/api/v1/audit?target=wifi-secrets');
    assert.equal(audit.json.entries.length, 1, audit.text);
    assert.deepEqual(leaks(audit.text), []);
    assert.equal(audit.json.entries[0].details.body.script, '[redacted]');
  });

  it('are redacted in the dry run, the script’s too', async () => {
    const dry = await h.request('GET', `/api/v1/devices/${deviceId}/provisioning`, {
      token: h.tokens['read-only'],
    });
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual(leaks(dry.text), []);
    assert.match(dry.text, new RegExp(ADMIN_PASSWORD.replaceAll('.', '\\.')));
    const script = dry.json.scripts[0];
    assert.equal(script.ok, true, dry.text);
    assert.deepEqual(script.declarations.values, [
      { path: ADMIN_PASSWORD, value: '[redacted]', secret: true },
    ]);
  });

  it('reach the device in clear, and nothing else sees them: not the task, the trace or the log', async () => {
    const seen: CwmpMessage[] = [];
    await serveSession(cpe, ['6 CONNECTION REQUEST'], (request) => {
      seen.push(request);
      if (request.method === 'SetParameterValues')
        return { method: 'SetParameterValuesResponse', Status: 0 };
      if (request.method === 'GetParameterNames')
        return { method: 'GetParameterNamesResponse', ParameterList: [] };
      if (request.method === 'GetParameterValues')
        return { method: 'GetParameterValuesResponse', ParameterList: [] };
      throw new Error(`unexpected ${request.method}`);
    });
    const set = seen.find((m) => m.method === 'SetParameterValues');
    assert.ok(set !== undefined && set.method === 'SetParameterValues', JSON.stringify(seen));
    const sent = Object.fromEntries(set.ParameterList.map((p) => [p.name, p.value]));
    assert.equal(sent[KEY_PASSPHRASE], PASSPHRASE);
    assert.equal(sent[VENDOR], FLAGGED);
    assert.equal(sent[ADMIN_PASSWORD], SCRIPT_SECRET);
    const tasks = await h.request('GET', `/api/v1/tasks?deviceId=${deviceId}`);
    assert.deepEqual(leaks(tasks.text), []);
    const sessions = (await h.request('GET', `/api/v1/devices/${deviceId}/sessions`)).json.sessions;
    for (const session of sessions) {
      const trace = await h.request(
        'GET',
        `/api/v1/devices/${deviceId}/sessions/${session.sessionId}`,
      );
      assert.deepEqual(leaks(trace.text), [], 'the trace');
    }
    assert.deepEqual(leaks(JSON.stringify(h.logs)), [], 'the log');
    assert.deepEqual(leaks(h.transcript.join('\n')), [], 'every API response');
  });
});
