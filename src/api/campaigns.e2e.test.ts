/**
 * Firmware campaigns through the API (security.md item 12): operators create, an admin other than the creator
 * approves (four eyes), the runner queues audited tasks, a failed canary halts the campaign, and progress and
 * each device's outcome are readable. The runner is ticked by hand on a clock of its own.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CampaignRunner } from '../acs/campaigns/runner.ts';
import { Harness, type Json } from './testing/harness.ts';

let h: Harness;
let now = Date.UTC(2026, 0, 1, 12);
let runner: CampaignRunner;
/** A second admin, who may approve what the first created. */
let otherAdmin: string;
let fileId: string;
let configFileId: string;
const ids: Record<string, string> = {};

async function upload(name: string, fileType: string, body: Buffer): Promise<string> {
  const sha = createHash('sha256').update(body).digest('hex');
  const reply = await h.request(
    'POST',
    `/api/v1/files?name=${name}&fileType=${encodeURIComponent(fileType)}&sha256=${sha}`,
    { raw: body, headers: { 'content-type': 'application/octet-stream' } },
  );
  assert.equal(reply.status, 201, reply.text);
  return reply.json.id;
}

before(async () => {
  h = await Harness.start();
  otherAdmin = (
    await h.store.apiKeys.create({ name: 'second admin', role: 'admin' })
  ).token.reveal();
  runner = new CampaignRunner({ store: h.store, clock: () => now, log: () => undefined });
  for (const [serial, version] of [
    ['CAMP-1', '1.0'],
    ['CAMP-2', '1.0'],
    ['CAMP-3', '2.0'],
  ] as const) {
    ids[serial] = (
      await h.informDevice(serial, [
        { name: 'Device.DeviceInfo.SoftwareVersion', value: version, type: 'xsd:string' },
      ])
    ).id;
  }
  fileId = await upload(
    'fw-2.0.bin',
    '1 Firmware Upgrade Image',
    Buffer.from('CORRAL-FIRMWARE version=2.0\n'),
  );
  configFileId = await upload('gw.cfg', '3 Vendor Configuration File', Buffer.from('config'));
});
after(() => h.close());

const definition = (extra: Record<string, unknown> = {}) => ({
  name: 'gateways to 2.0',
  fileId,
  softwareVersion: '2.0',
  devices: { filter: [{ kind: 'field', field: 'serialNumber', op: 'prefix', value: 'CAMP-' }] },
  stages: [{ devices: 1 }, { percent: 100 }],
  stopRules: { maxFailures: 0 },
  timeoutSeconds: 600,
  transfer: 'download',
  ...extra,
});

const post = (path: string, token: string, body?: unknown) =>
  h.request('POST', path, { token, ...(body === undefined ? {} : { body }) });

describe('campaigns through the API', () => {
  it('refuses bad definitions with the field to blame, and read-only keys', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { devices: { filter: [{ kind: 'field', field: 'oui', op: 'near', value: 'x' }] } },
        'devices.filter[0].op',
      ],
      [{ fileId: 'f'.repeat(32) }, 'fileId'],
      [{ fileId: configFileId }, 'fileId'],
      [{ stages: [] }, 'stages'],
      [{ maintenanceWindows: [{ start: '25:00', end: '01:00' }] }, 'maintenanceWindows[0].start'],
      [{ stopRules: { maxFailureRatio: 1.5 } }, 'stopRules.maxFailureRatio'],
      [{ approvedBy: 'me' }, 'approvedBy'],
    ];
    for (const [extra, field] of cases) {
      const reply = await post('/api/v1/campaigns', h.tokens.operator, definition(extra));
      assert.equal(reply.status, 400, `${JSON.stringify(extra)}: ${reply.text}`);
      assert.equal(reply.json.error.field, field, reply.text);
    }
    const readOnly = await post('/api/v1/campaigns', h.tokens['read-only'], definition());
    assert.equal(readOnly.status, 403);
    assert.deepEqual((await h.request('GET', '/api/v1/campaigns')).json.campaigns, []);
  });

  it('four eyes: created by one admin, refused to the same admin and to operators, approved by another', async () => {
    const created = await post('/api/v1/campaigns', h.tokens.admin, definition());
    assert.equal(created.status, 201, created.text);
    const campaign = created.json.campaign;
    assert.equal(campaign.state, 'draft');
    assert.match(campaign.createdBy, /^api-key:[0-9a-f]{16}$/);
    assert.equal(campaign.definition.concurrency, 10, 'defaults are stored');
    const url = `/api/v1/campaigns/${campaign.id}`;
    assert.equal(created.headers.location, url);

    const early = await post(`${url}/start`, h.tokens.operator);
    assert.equal(early.status, 409);
    assert.equal(early.json.error.code, 'conflict');

    const byOperator = await post(`${url}/approve`, h.tokens.operator);
    assert.equal(byOperator.status, 403);
    const bySelf = await post(`${url}/approve`, h.tokens.admin);
    assert.equal(bySelf.status, 403);
    assert.equal(bySelf.json.error.code, 'forbidden');
    assert.match(bySelf.json.error.message, /someone other than its creator/);
    assert.equal((await h.request('GET', url)).json.campaign.state, 'draft');

    const approved = await post(`${url}/approve`, otherAdmin);
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.campaign.state, 'approved');
    assert.notEqual(approved.json.campaign.approvedBy, campaign.createdBy);
    assert.equal((await post(`${url}/approve`, Harness.ADMIN_KEY)).status, 409, 'approved once');

    // The approved campaign's firmware cannot be retargeted under it (that would widen what was approved);
    // renaming is harmless.
    const retarget = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      token: h.tokens.operator,
      body: { target: { productClass: null } },
    });
    assert.equal(retarget.status, 409, retarget.text);
    assert.equal(retarget.json.error.field, 'target');
    const rename = await h.request('PATCH', `/api/v1/files/${fileId}`, {
      token: h.tokens.operator,
      body: { name: 'fw-2.0-final.bin' },
    });
    assert.equal(rename.status, 200, rename.text);

    // The refused attempts are in the audit log too, with their status.
    const attempts = await h.store.audit.list({
      action: 'POST /api/v1/campaigns/:campaignId/approve',
    });
    assert.deepEqual(attempts.map((e) => e.outcome).sort(), [200, 403, 403, 409]);
  });

  it('runs: progress, per-device outcomes, audited tasks, and a failed canary halts it', async () => {
    const [campaign] = (await h.request('GET', '/api/v1/campaigns?state=approved')).json.campaigns;
    const url = `/api/v1/campaigns/${campaign.id}`;
    const started = await post(`${url}/start`, h.tokens.operator);
    assert.equal(started.status, 200, started.text);
    assert.equal(started.json.campaign.state, 'running');

    let view = (await h.request('GET', url, { token: h.tokens['read-only'] })).json;
    assert.equal(view.progress.total, 3);
    assert.deepEqual(
      [view.progress.counts.pending, view.progress.counts.skipped, view.progress.currentStage],
      [2, 1, 0],
    );
    assert.deepEqual(
      view.progress.stages.map((s: Json) => [s.stage, s.total]),
      [
        [0, 1],
        [1, 1],
      ],
    );

    await runner.tick();
    const inProgress = (await h.request('GET', `${url}/devices?state=in-progress`)).json.devices;
    assert.equal(inProgress.length, 1);
    assert.equal(inProgress[0].deviceId, ids['CAMP-1']);
    assert.equal(inProgress[0].transfer, 'download');
    const task = (await h.request('GET', `/api/v1/tasks/${inProgress[0].taskId}`)).json;
    assert.equal(task.type, 'download');
    assert.equal(task.createdBy, `campaign:${campaign.id}`);

    // The canary never comes back: past the timeout it fails, and maxFailures 0 halts the campaign.
    now += 600_000;
    await runner.tick();
    view = (await h.request('GET', url)).json;
    assert.equal(view.campaign.state, 'halted');
    assert.match(view.campaign.stateReason, /maxFailures 0/);
    assert.equal(view.progress.currentStage, null);
    const outcomes = (await h.request('GET', `${url}/devices`)).json.devices.map((d: Json) => [
      d.deviceId,
      d.state,
      d.reason,
    ]);
    assert.deepEqual(outcomes, [
      [ids['CAMP-1'], 'failed', 'timeout'],
      [ids['CAMP-2'], 'cancelled', 'campaign halted'],
      [ids['CAMP-3'], 'skipped', 'already-on-version'],
    ]);
    assert.equal((await h.store.tasks.get(inProgress[0].taskId))?.state, 'cancelled', 'withdrawn');
    const page = (await h.request('GET', `${url}/devices?limit=1&offset=1`)).json.devices;
    assert.deepEqual(
      page.map((d: Json) => d.deviceId),
      [ids['CAMP-2']],
    );

    // Every task the runner queued is audited under the campaign; CAMP-2 and CAMP-3 got none.
    const tasks = await h.store.tasks.list({ createdBy: `campaign:${campaign.id}` });
    const created = await h.store.audit.list({
      actor: `campaign:${campaign.id}`,
      action: 'campaign.task-create',
    });
    assert.deepEqual(
      created.map((e) => [e.target, e.details]),
      tasks.map((t) => [t.deviceId, { taskId: t.id, type: 'download' }]),
    );
    assert.deepEqual(
      tasks.map((t) => t.deviceId),
      [ids['CAMP-1']],
    );
    assert.equal((await post(`${url}/resume`, h.tokens.operator)).status, 409, 'halted is final');
  });

  it('pause, resume and abort, each only from the states that allow it', async () => {
    const created = await post(
      '/api/v1/campaigns',
      h.tokens.operator,
      definition({ name: 'second' }),
    );
    const url = `/api/v1/campaigns/${created.json.campaign.id}`;
    assert.equal((await post(`${url}/approve`, Harness.ADMIN_KEY)).status, 200);
    assert.equal((await post(`${url}/pause`, h.tokens.operator)).status, 409, 'not running');
    assert.equal((await post(`${url}/start`, h.tokens.operator)).status, 200);
    assert.equal((await post(`${url}/pause`, h.tokens.operator)).json.campaign.state, 'paused');
    await runner.tick();
    assert.equal((await h.request('GET', url)).json.progress.counts['in-progress'], 0, 'paused');
    assert.equal((await post(`${url}/pause`, h.tokens.operator)).status, 409);
    assert.equal((await post(`${url}/resume`, h.tokens.operator)).json.campaign.state, 'running');
    const aborted = await post(`${url}/abort`, h.tokens.operator);
    assert.equal(aborted.json.campaign.state, 'aborted');
    assert.match(aborted.json.campaign.stateReason, /^aborted by api-key:/);
    assert.equal((await post(`${url}/abort`, h.tokens.operator)).status, 409);
    const view = (await h.request('GET', url)).json;
    assert.equal(view.progress.counts.cancelled, 2);
    const list = (await h.request('GET', '/api/v1/campaigns?state=aborted')).json.campaigns;
    assert.deepEqual(
      list.map((c: Json) => c.name),
      ['second'],
    );
    assert.equal((await h.request('GET', '/api/v1/campaigns/999')).status, 404);
    assert.equal((await post('/api/v1/campaigns/999/start', h.tokens.operator)).status, 404);
  });

  it('abort sends a CancelTransfer to a device holding the ScheduleDownload, asking it for a session', async () => {
    const created = await post(
      '/api/v1/campaigns',
      h.tokens.operator,
      definition({ name: 'third', stages: [{ percent: 100 }], transfer: 'scheduleDownload' }),
    );
    const id = created.json.campaign.id;
    const url = `/api/v1/campaigns/${id}`;
    assert.equal((await post(`${url}/approve`, Harness.ADMIN_KEY)).status, 200);
    assert.equal((await post(`${url}/start`, h.tokens.operator)).status, 200);
    await runner.tick();
    // CAMP-1's session sends the ScheduleDownload and the device accepts it for later; CAMP-2's is still queued.
    const claimed = await h.store.tasks.claimNext(ids['CAMP-1']!, 'session-1');
    assert.equal(claimed.status, 'claimed');
    assert.equal(claimed.task.type, 'scheduleDownload');
    await h.store.tasks.awaitTransfer(claimed.task.id, 'session-1');
    const asked: string[] = [];
    h.onConnectionRequest = async (deviceId) => {
      asked.push(deviceId);
      return { ok: false, reason: 'unreachable' };
    };
    try {
      assert.equal((await post(`${url}/abort`, h.tokens.operator)).status, 200);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      h.onConnectionRequest = async () => ({ ok: false, reason: 'not wired' });
    }
    assert.deepEqual(asked, [ids['CAMP-1']]);
    assert.deepEqual(
      h.logs.filter((l) => l.event === 'campaign-connection-request-failed').map((l) => l.fields),
      [{ campaignId: id, deviceId: ids['CAMP-1'], reason: 'unreachable' }],
    );
    const [cancel] = await h.store.tasks.list({
      deviceId: ids['CAMP-1'],
      types: ['cancelTransfer'],
    });
    assert.deepEqual(cancel?.args, { type: 'cancelTransfer', commandKey: `campaign-${id}-sd` });
    const outcomes = async () =>
      (await h.request('GET', `${url}/devices`)).json.devices.map((d: Json) => [
        d.deviceId,
        d.state,
        d.reason,
      ]);
    assert.deepEqual((await outcomes()).slice(0, 2), [
      [ids['CAMP-1'], 'in-progress', null],
      [ids['CAMP-2'], 'cancelled', 'campaign aborted'],
    ]);
    const audited = await h.store.audit.list({
      actor: `campaign:${id}`,
      action: 'campaign.transfer-cancel',
    });
    assert.deepEqual(
      audited.map((e) => [e.target, (e.details as { taskId: number }).taskId]),
      [[ids['CAMP-1'], cancel!.id]],
    );

    // The device's next session carries the CancelTransfer; the runner then records it cancelled.
    assert.equal((await h.store.tasks.claimNext(ids['CAMP-1']!, 'session-2')).status, 'claimed');
    await h.store.tasks.complete(cancel!.id, 'session-2', { result: null });
    await runner.tick();
    assert.deepEqual((await outcomes())[0], [
      ids['CAMP-1'],
      'cancelled',
      'scheduled download cancelled (campaign aborted)',
    ]);
    assert.equal((await h.store.tasks.get(claimed.task.id))?.state, 'cancelled');
  });
});
