import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterRecord } from '../store/parameters.ts';
import { Secret } from '../store/secret.ts';
import { parameterView, REDACTED, redactJson } from './views.ts';

const row = (path: string, value: string | null, secret = false): ParameterRecord => ({
  path,
  object: path.endsWith('.'),
  value,
  type: 'string',
  secret,
  writable: true,
  notification: null,
  accessList: null,
  valueAt: 1,
  attributesAt: null,
});

describe('API views', () => {
  it('shows a secret parameter, or one named like a password, as value null and secret true', () => {
    assert.deepEqual(parameterView(row('Device.X.Name', 'v')), row('Device.X.Name', 'v'));
    assert.deepEqual(parameterView(row('Device.X.Token', null, true)).secret, true);
    const named = parameterView(
      row('Device.WiFi.AccessPoint.1.Security.PreSharedKey', 'psk-in-clear'),
    );
    assert.deepEqual([named.value, named.secret], [null, true]);
    assert.equal(parameterView(row('Device.Users.User.1.Password', 'p')).value, null);
  });

  it('redacts Secrets, password fields and secret-named values anywhere in task JSON', () => {
    const out = redactJson({
      type: 'setParameterValues',
      parameters: [
        { name: 'Device.A.Password', value: 'clear-1', type: 'string' },
        { name: 'Device.A.Other', value: new Secret('flagged-2'), type: 'string' },
        { name: 'Device.A.Plain', value: 'shown', type: 'string' },
      ],
      operations: [{ operation: 'install', url: 'u', password: 'clear-3' }],
      nested: { deep: [{ Password: 'clear-4' }] },
      emptyPassword: { password: '' },
      n: 5,
      b: true,
      missing: undefined,
    });
    const text = JSON.stringify(out);
    for (const secret of ['clear-1', 'flagged-2', 'clear-3', 'clear-4']) {
      assert.ok(!text.includes(secret), secret);
    }
    assert.ok(text.includes('shown'));
    assert.equal((out as { n: number }).n, 5);
    assert.equal(text.split(REDACTED).length - 1, 4);
  });
});
