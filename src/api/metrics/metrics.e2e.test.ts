import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { type RunningAcs, startAcs } from '../../acs/acs.ts';
import { createHttpConnectionRequester } from '../../acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../../acs/connection-request/rate-limit.ts';
import { instrumentStore } from '../../acs/metrics-store.ts';
import { testAcsOptions } from '../../acs/testing/acs-options.ts';
import { ScriptedCpe } from '../../acs/testing/scripted-cpe.ts';
import { Secret } from '../../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { type RunningApi, startApi } from '../api.ts';
import { parseExposition, type Sample, sampleValue } from '../testing/exposition.ts';
import { createPrometheusMetrics, type MetricSources } from './prometheus.ts';

/**
 * A real ACS and API on loopback, with metrics: /health and /ready without a key, /metrics with one, and each
 * counter moving when its event happens on the wire.
 */
let dir: string;
let rawStore: SqliteStore;
let acs: RunningAcs;
let api: RunningApi;
let cpeTarget: Server;
let readOnlyToken: string;
let operatorToken: string;
const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
let sendConnectionRequest: ReturnType<typeof createHttpConnectionRequester>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'corral-metrics-'));
  rawStore = await openSqliteStore({ path: join(dir, 'corral.db'), secretKey: randomBytes(32) });
  const registry = new Registry();
  const sources: MetricSources = { store: rawStore };
  const metrics = createPrometheusMetrics(registry, sources);
  const store = instrumentStore(rawStore, metrics);
  acs = await startAcs(
    testAcsOptions(store, {
      // One session at a time: a second device's Inform meets a 503.
      maxSessions: 1,
      authenticate: async (_req, inform) =>
        inform.DeviceId.SerialNumber === 'IMPOSTOR'
          ? { ok: false, reason: 'wrong-answer', challenges: ['Digest realm="corral"'] }
          : { ok: true },
      metrics,
    }),
  );
  sources.acs = acs;
  // What a CPE's connection-request server does: 200, it will call in.
  cpeTarget = createServer((_req, res) => res.writeHead(200).end());
  await new Promise<void>((resolve) => cpeTarget.listen(0, '127.0.0.1', resolve));
  sendConnectionRequest = createHttpConnectionRequester({
    store,
    limiter: new ConnectionRequestLimiter(10_000, 50, Date.now),
    metrics,
  });
  api = await startApi({
    store,
    host: '127.0.0.1',
    port: 0,
    connectionRequest: async () => ({ ok: false, reason: 'not wired' }),
    log: () => {},
    listeners: { cwmp: () => acs.status().listening },
    metrics: registry,
    metricsToken: METRICS_TOKEN,
  });
  readOnlyToken = (await rawStore.apiKeys.create({ name: 'ro', role: 'read-only' })).token.reveal();
  operatorToken = (await rawStore.apiKeys.create({ name: 'op', role: 'operator' })).token.reveal();
});

after(async () => {
  await api.close();
  await acs.close(0);
  await new Promise((resolve) => cpeTarget.close(resolve));
  await rawStore.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

async function get(path: string, token?: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(`${api.url}${path}`, { headers });
  return { status: res.status, text: await res.text() };
}

async function scrape(): Promise<Sample[]> {
  const reply = await get('/metrics', readOnlyToken);
  assert.equal(reply.status, 200);
  return parseExposition(reply.text);
}

describe('health and metrics endpoints', () => {
  it('answers /health and /ready without a key, and says nothing of the software', async () => {
    const health = await get('/health');
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(health.text), { status: 'ok' });
    const ready = await get('/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(JSON.parse(ready.text), { status: 'ready' });
    for (const text of [health.text, ready.text]) assert.doesNotMatch(text, /version|\/|node/i);
  });

  it('refuses /metrics without a key or with a wrong one (401), serves it to a read-only key', async () => {
    assert.equal((await get('/metrics')).status, 401);
    assert.equal((await get('/metrics', 'corral_0000000000000000_wrong')).status, 401);
    const res = await fetch(`${api.url}/metrics`, {
      headers: { authorization: `Bearer ${readOnlyToken}` },
    });
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^# HELP corral_cwmp_sessions_started_total /m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
  });

  it('takes the metrics token for /metrics and for nothing else', async () => {
    assert.equal((await get('/metrics', METRICS_TOKEN)).status, 200);
    const res = await fetch(`${api.url}/metrics`, { headers: { 'x-api-key': METRICS_TOKEN } });
    assert.equal(res.status, 200);
    assert.equal((await get('/api/v1/devices', METRICS_TOKEN)).status, 401);
    assert.equal((await get('/openapi.json', METRICS_TOKEN)).status, 401);
    assert.equal((await get('/metrics', `${METRICS_TOKEN}x`)).status, 401);
  });

  it('moves each counter when its event happens', async () => {
    const before = await scrape();
    const device = new ScriptedCpe(acs.url, { serialNumber: 'METRICS1' });
    const crUrl = `http://127.0.0.1:${(cpeTarget.address() as AddressInfo).port}/cr`;
    const crParam = { name: 'Device.ManagementServer.ConnectionRequestURL', value: crUrl };

    // A first session, with a vendor event; meanwhile a second device meets the session limit (503) and an
    // impostor a 401; a garbage POST is a 400.
    const first = await device.inform(
      ['0 BOOTSTRAP', '1 BOOT', 'X ACME Reset'],
      [{ ...crParam, type: 'string' }],
    );
    assert.equal(first.status, 200);
    const during = await scrape();
    assert.equal(sampleValue(during, 'corral_cwmp_sessions_open'), 1);
    const other = new ScriptedCpe(acs.url, { serialNumber: 'METRICS2' });
    assert.equal((await other.inform(['2 PERIODIC'])).status, 503);
    const impostor = new ScriptedCpe(acs.url, { serialNumber: 'IMPOSTOR' });
    assert.equal((await impostor.inform(['2 PERIODIC'])).status, 401);
    assert.equal((await impostor.post('<not xml')).status, 400);
    assert.equal((await device.emptyPost()).status, 204);

    // Two tasks through the API, a connection request (then a throttled one), a session that runs them: the
    // first done, the second faulted.
    const url = `${api.url}/api/v1/devices/${encodeURIComponent(device.deviceId)}/tasks`;
    for (const task of [
      { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] },
      { type: 'reboot' },
    ]) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(task),
      });
      assert.equal(res.status, 202, await res.text());
    }
    assert.deepEqual(await sendConnectionRequest(device.deviceId), { ok: true, status: 200 });
    assert.equal((await sendConnectionRequest(device.deviceId)).ok, false);
    device.reset();
    assert.equal((await device.inform(['6 CONNECTION REQUEST'])).status, 200);
    const gpv = await device.emptyPost();
    assert.equal(gpv.envelope?.body.method, 'GetParameterValues');
    const reboot = await device.answer(gpv, {
      method: 'GetParameterValuesResponse',
      ParameterList: [
        { name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0.0', type: 'string' },
      ],
    });
    assert.equal(reboot.envelope?.body.method, 'Reboot');
    const end = await device.answer(reboot, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9001,
      FaultString: 'Request denied',
      SetParameterValuesFault: [],
    });
    assert.equal(end.status, 204);

    // A device that starts over: its open session is superseded.
    device.reset();
    assert.equal((await device.inform(['2 PERIODIC'])).status, 200);
    device.reset();
    assert.equal((await device.inform(['2 PERIODIC'])).status, 200);
    assert.equal((await device.emptyPost()).status, 204);
    await rawStore.campaigns.create({
      name: 'metrics',
      definition: { note: 'counted by state' },
      createdBy: 'test',
    });

    const now = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(now, name, labels) - sampleValue(before, name, labels);
    const expected: Array<[string, Record<string, string>, number]> = [
      ['corral_cwmp_sessions_started_total', {}, 4],
      ['corral_cwmp_sessions_completed_total', {}, 3],
      ['corral_cwmp_sessions_ended_early_total', { reason: 'superseded' }, 1],
      ['corral_cwmp_session_duration_seconds_count', { outcome: 'completed' }, 3],
      ['corral_cwmp_session_duration_seconds_count', { outcome: 'superseded' }, 1],
      ['corral_cwmp_informs_total', {}, 4],
      ['corral_cwmp_inform_events_total', { event: '0 BOOTSTRAP' }, 1],
      ['corral_cwmp_inform_events_total', { event: '2 PERIODIC' }, 2],
      ['corral_cwmp_inform_events_total', { event: '6 CONNECTION REQUEST' }, 1],
      ['corral_cwmp_inform_events_total', { event: 'other' }, 1],
      ['corral_cwmp_rpcs_sent_total', { method: 'GetParameterValues' }, 1],
      ['corral_cwmp_rpcs_sent_total', { method: 'Reboot' }, 1],
      ['corral_cwmp_cpe_faults_total', { method: 'Reboot', fault_code: '9001' }, 1],
      ['corral_cwmp_refusals_total', { status: '503', reason: 'overloaded' }, 1],
      ['corral_cwmp_refusals_total', { status: '401', reason: 'auth-failed' }, 1],
      ['corral_cwmp_refusals_total', { status: '400', reason: 'bad-request' }, 1],
      ['corral_connection_requests_total', { result: 'ok' }, 1],
      ['corral_connection_requests_total', { result: 'throttled' }, 1],
      ['corral_tasks_queued_total', { type: 'getParameterValues' }, 1],
      ['corral_tasks_queued_total', { type: 'reboot' }, 1],
      ['corral_tasks_done_total', { type: 'getParameterValues' }, 1],
      ['corral_tasks_faulted_total', { type: 'reboot' }, 1],
      ['corral_store_operation_duration_seconds_count', { operation: 'devices.recordInform' }, 4],
      ['corral_store_operation_duration_seconds_count', { operation: 'tasks.enqueue' }, 2],
      ['corral_campaigns', { state: 'draft' }, 1],
    ];
    for (const [name, labels, delta] of expected)
      assert.equal(moved(name, labels), delta, `${name} ${JSON.stringify(labels)}`);
    assert.equal(sampleValue(now, 'corral_cwmp_sessions_open'), 0);
    // No series names a device.
    for (const s of now)
      assert.ok(!Object.values(s.labels).some((v) => v.includes('METRICS')), s.name);
    for (const cpe of [device, other, impostor]) cpe.close();
  });

  it('counts sessions ended early by reason (aborted, timeout) and a body too large (413)', async () => {
    const before = await scrape();
    const device = new ScriptedCpe(acs.url, { serialNumber: 'METRICS4' });
    // A response nobody asked for ends the session (400).
    assert.equal((await device.inform(['2 PERIODIC'])).status, 200);
    const stray = await device.send({ method: 'RebootResponse' });
    assert.equal(stray.status, 400);
    // A session whose CPE goes quiet past its own SessionTimeout (1 s) is abandoned by the sweep.
    device.reset();
    assert.equal((await device.inform(['2 PERIODIC'], [], { SessionTimeout: 1 })).status, 200);
    const deadline = Date.now() + 10_000;
    while (acs.status().sessionsOpen > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    device.reset();
    assert.equal((await device.post(Buffer.alloc((1 << 20) + 1, 0x20))).status, 413);
    const now = await scrape();
    const moved = (name: string, labels: Record<string, string>) =>
      sampleValue(now, name, labels) - sampleValue(before, name, labels);
    assert.equal(moved('corral_cwmp_sessions_ended_early_total', { reason: 'aborted' }), 1);
    assert.equal(moved('corral_cwmp_sessions_ended_early_total', { reason: 'timeout' }), 1);
    assert.equal(moved('corral_cwmp_session_duration_seconds_count', { outcome: 'timeout' }), 1);
    assert.equal(moved('corral_cwmp_refusals_total', { status: '400', reason: 'bad-request' }), 1);
    assert.equal(moved('corral_cwmp_refusals_total', { status: '413', reason: 'too-large' }), 1);
    device.close();
  });

  it('counts a transfer task done when its TransferComplete arrives in a later session', async () => {
    const device = new ScriptedCpe(acs.url, { serialNumber: 'METRICS3' });
    assert.equal((await device.inform(['1 BOOT'])).status, 200);
    assert.equal((await device.emptyPost()).status, 204);
    await rawStore.tasks.enqueue(device.deviceId, {
      args: {
        type: 'download',
        commandKey: 'fw-metrics',
        fileType: '1 Firmware Upgrade Image',
        url: 'http://127.0.0.1:9/fw.bin',
        username: '',
        password: new Secret(''),
        fileSize: 100,
        targetFileName: '',
        delaySeconds: 0,
        successUrl: '',
        failureUrl: '',
      },
    });
    device.reset();
    assert.equal((await device.inform(['2 PERIODIC'])).status, 200);
    const download = await device.emptyPost();
    assert.equal(download.envelope?.body.method, 'Download');
    const unknown = '0001-01-01T00:00:00Z';
    const later = await device.answer(download, {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: unknown,
      CompleteTime: unknown,
    });
    assert.equal(later.status, 204);
    const before = await scrape();
    device.reset();
    await device.inform([
      { code: '1 BOOT', commandKey: '' },
      { code: '7 TRANSFER COMPLETE', commandKey: '' },
      { code: 'M Download', commandKey: 'fw-metrics' },
    ]);
    const ack = await device.send({
      method: 'TransferComplete',
      CommandKey: 'fw-metrics',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2026-11-25T00:00:00Z',
      CompleteTime: '2026-11-25T00:01:00Z',
    });
    assert.equal(ack.envelope?.body.method, 'TransferCompleteResponse');
    assert.equal((await device.emptyPost()).status, 204);
    const now = await scrape();
    const done = { type: 'download' };
    assert.equal(
      sampleValue(now, 'corral_tasks_done_total', done) -
        sampleValue(before, 'corral_tasks_done_total', done),
      1,
    );
    device.close();
  });

  it('answers /ready 503, naming what is not ready, when the CWMP listener is down or the store closed; a session cut by the stop counts as shutting down', async () => {
    // A session still open when the ACS stops ends as shutting down.
    const device = new ScriptedCpe(acs.url, { serialNumber: 'METRICS5' });
    assert.equal((await device.inform(['2 PERIODIC'])).status, 200);
    const before = await scrape();
    await acs.close(0);
    device.close();
    const shutDown = { reason: 'shutting-down' };
    assert.equal(
      sampleValue(await scrape(), 'corral_cwmp_sessions_ended_early_total', shutDown) -
        sampleValue(before, 'corral_cwmp_sessions_ended_early_total', shutDown),
      1,
    );
    const down = await get('/ready');
    assert.equal(down.status, 503);
    assert.deepEqual(JSON.parse(down.text), { status: 'not-ready', notReady: ['cwmp'] });
    await rawStore.close();
    const closed = await get('/ready');
    assert.equal(closed.status, 503);
    assert.deepEqual(JSON.parse(closed.text), { status: 'not-ready', notReady: ['store', 'cwmp'] });
    assert.equal((await get('/health')).status, 200);
  });
});
