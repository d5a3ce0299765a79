import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAMPAIGN_DEFAULTS, validateCampaignDefinition } from './definition.ts';

const BASE = {
  fileId: '0123456789abcdef0123456789abcdef',
  softwareVersion: '4.3.0',
  devices: { filter: [{ kind: 'tag', tag: 'lab', op: 'has' }] },
};

function error(input: unknown): { field: string; reason: string } {
  const r = validateCampaignDefinition(input);
  assert.equal(r.ok, false, `expected ${JSON.stringify(input)} to be refused`);
  return (r as { error: { field: string; reason: string } }).error;
}

describe('campaign definition', () => {
  it('fills in every default', () => {
    const r = validateCampaignDefinition(BASE);
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      ...BASE,
      stages: CAMPAIGN_DEFAULTS.stages,
      maintenanceWindows: [],
      utcOffsetMinutes: 0,
      concurrency: 10,
      timeoutSeconds: 3600,
      stopRules: { maxFailureRatio: 0.1 },
      transfer: 'auto',
      connectionRequest: true,
    });
  });

  it('keeps what is given', () => {
    const given = {
      ...BASE,
      stages: [{ devices: 1 }, { percent: 20 }, { percent: 100 }],
      maintenanceWindows: [{ start: '22:00', end: '02:00' }],
      utcOffsetMinutes: -300,
      concurrency: 50,
      timeoutSeconds: 7200,
      stopRules: { maxFailures: 0 },
      transfer: 'scheduleDownload',
      connectionRequest: false,
    };
    const r = validateCampaignDefinition(given);
    assert.ok(r.ok);
    assert.deepEqual(r.value, given);
    assert.deepEqual(
      validateCampaignDefinition(r.value),
      r,
      'a stored definition reads back the same',
    );
  });

  it('names the offending field', () => {
    assert.deepEqual(error(null), { field: '(root)', reason: 'must be an object' });
    assert.equal(error({ ...BASE, name: 'x' }).field, 'name');
    assert.equal(error({ ...BASE, fileId: '../etc/passwd' }).field, 'fileId');
    assert.equal(error({ ...BASE, softwareVersion: '' }).field, 'softwareVersion');
    assert.equal(error({ ...BASE, softwareVersion: 'v'.repeat(65) }).field, 'softwareVersion');
    assert.equal(error({ ...BASE, devices: {} }).field, 'devices.filter');
    assert.equal(error({ ...BASE, devices: { filter: [], extra: 1 } }).field, 'devices.extra');
    assert.equal(error({ ...BASE, stages: [] }).field, 'stages');
    assert.equal(error({ ...BASE, stages: [{ devices: 0 }] }).field, 'stages[0].devices');
    assert.equal(
      error({ ...BASE, stages: [{ devices: 1 }, { percent: 101 }] }).field,
      'stages[1].percent',
    );
    assert.equal(error({ ...BASE, stages: [{ devices: 1, percent: 5 }] }).field, 'stages[0]');
    assert.equal(
      error({ ...BASE, maintenanceWindows: [{ start: '24:00', end: '01:00' }] }).field,
      'maintenanceWindows[0].start',
    );
    assert.equal(
      error({ ...BASE, maintenanceWindows: [{ start: '01:00', end: '01:00' }] }).field,
      'maintenanceWindows[0]',
    );
    assert.equal(error({ ...BASE, utcOffsetMinutes: 900 }).field, 'utcOffsetMinutes');
    assert.equal(error({ ...BASE, concurrency: 0 }).field, 'concurrency');
    assert.equal(error({ ...BASE, timeoutSeconds: 1.5 }).field, 'timeoutSeconds');
    assert.equal(
      error({ ...BASE, stopRules: { maxFailureRatio: 2 } }).field,
      'stopRules.maxFailureRatio',
    );
    assert.equal(error({ ...BASE, stopRules: { maxFailures: -1 } }).field, 'stopRules.maxFailures');
    assert.equal(error({ ...BASE, stopRules: { halt: true } }).field, 'stopRules.halt');
    assert.equal(error({ ...BASE, transfer: 'ftp' }).field, 'transfer');
    assert.equal(error({ ...BASE, connectionRequest: 'yes' }).field, 'connectionRequest');
  });
});
