import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { askForSession, refusalOf } from './connection-request.ts';

describe('campaign connection requests', () => {
  it('reads a refusal from what the sender answered', () => {
    assert.equal(refusalOf({ ok: false, reason: 'throttled' }), 'throttled');
    assert.equal(refusalOf({ ok: false }), 'refused');
    assert.equal(refusalOf({ ok: false, reason: 'x'.repeat(500) })?.length, 100);
    for (const fine of [{ ok: true }, undefined, null, 200, 'ok'])
      assert.equal(refusalOf(fine), null);
  });

  it('logs a refusal and a throw, never the error message', async () => {
    const logs: [string, Record<string, unknown>][] = [];
    const log = (event: string, fields: Record<string, unknown>) => logs.push([event, fields]);
    askForSession(async () => ({ ok: false, reason: 'no-url' }), log, 3, 'dev-1');
    askForSession(async () => ({ ok: true }), log, 3, 'dev-2');
    askForSession(
      async () => {
        throw new TypeError('GET http://admin:hunter2@cpe/ failed');
      },
      log,
      3,
      'dev-3',
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(logs, [
      [
        'campaign-connection-request-failed',
        { campaignId: 3, deviceId: 'dev-1', reason: 'no-url' },
      ],
      [
        'campaign-connection-request-failed',
        { campaignId: 3, deviceId: 'dev-3', reason: 'error', error: 'TypeError' },
      ],
    ]);
  });
});
