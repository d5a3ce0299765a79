import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../store/secret.ts';
import { Harness } from '../testing/harness.ts';

/** An open event stream: its status, and the events read so far. */
interface Stream {
  status: number;
  events: { event: string; data: Record<string, unknown> }[];
  waitFor(test: (e: { event: string; data: Record<string, unknown> }) => boolean): Promise<void>;
  close(): void;
}

function openStream(url: string, headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/v1/events`,
      { headers, agent: false },
      (res: IncomingMessage) => {
        const events: Stream['events'] = [];
        const waiters: (() => void)[] = [];
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event !== undefined && data !== undefined)
              events.push({ event, data: JSON.parse(data) });
            end = buffer.indexOf('\n\n');
          }
          for (const w of waiters.splice(0)) w();
        });
        resolve({
          status: res.statusCode ?? 0,
          events,
          async waitFor(test) {
            const deadline = Date.now() + 5000;
            while (!events.some(test)) {
              if (Date.now() > deadline)
                throw new Error(`no such event in ${JSON.stringify(events)}`);
              await new Promise<void>((r) => {
                waiters.push(r);
                setTimeout(r, 100);
              });
            }
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ECONNRESET') reject(e);
    });
    req.end();
  });
}

describe('console live events and dashboard', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it('streams device and task changes to a logged-in browser as they happen, coalesced, ids only', async () => {
    await h.store.users.create({
      name: 'viewer',
      role: 'read-only',
      password: new Secret('viewer password 1'),
    });
    const login = await h.request('POST', '/api/v1/login', {
      token: null,
      body: { username: 'viewer', password: 'viewer password 1' },
    });
    const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
    assert.equal((await openStream(h.api.url, {})).status, 401, 'not without a login or key');
    const stream = await openStream(h.api.url, { cookie });
    assert.equal(stream.status, 200);
    try {
      const { id, cpe } = await h.informDevice('LIVE-1');
      await stream.waitFor(
        (e) => e.event === 'device' && e.data.deviceId === id && e.data.change === 'inform',
      );
      const queued = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
        body: { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
      });
      assert.equal(queued.status, 202, queued.text);
      const taskId = queued.json.task.id;
      await stream.waitFor(
        (e) => e.event === 'task' && e.data.taskId === taskId && e.data.state === 'pending',
      );
      // The device calls in; the task runs and its answer arrives as events.
      const informed = await cpe.inform(['6 CONNECTION REQUEST']);
      assert.equal(informed.status, 200);
      const rpc = await cpe.emptyPost();
      assert.equal(rpc.envelope?.body.method, 'GetParameterValues');
      await cpe.answer(rpc, {
        method: 'GetParameterValuesResponse',
        ParameterList: [{ name: 'Device.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' }],
      });
      await stream.waitFor(
        (e) => e.event === 'task' && e.data.taskId === taskId && e.data.state === 'done',
      );
      await stream.waitFor(
        (e) => e.event === 'device' && e.data.deviceId === id && e.data.change === 'parameters',
      );
      assert.deepEqual(Object.keys(stream.events.find((e) => e.event === 'task')!.data).sort(), [
        'deviceId',
        'state',
        'taskId',
      ]);
      assert.equal(JSON.stringify(stream.events).includes('42'), false, 'no values in events');
    } finally {
      stream.close();
    }
  });

  it('coalesces a burst: one event per device and change per flush', async () => {
    const stream = await openStream(h.api.url, {
      authorization: `Bearer ${h.tokens['read-only']}`,
    });
    try {
      const { id } = await h.informDevice('BURST-1');
      for (let i = 0; i < 20; i++)
        await h.request('POST', `/api/v1/devices/${id}/tags`, { body: { tags: [`t${i}`] } });
      await stream.waitFor((e) => e.event === 'device' && e.data.change === 'tags');
      await new Promise((r) => setTimeout(r, 400));
      const tags = stream.events.filter((e) => e.event === 'device' && e.data.change === 'tags');
      assert.ok(tags.length >= 1 && tags.length < 20, `${tags.length} tag events for 20 changes`);
    } finally {
      stream.close();
    }
  });

  it('the dashboard counts devices, recent Informs, faults by code, campaigns and sessions', async () => {
    const before = await h.request('GET', '/api/v1/dashboard', { token: h.tokens['read-only'] });
    assert.equal(before.status, 200, before.text);
    const { id, cpe } = await h.informDevice('DASH-1');
    const queued = await h.request('POST', `/api/v1/devices/${id}/tasks`, {
      body: { type: 'getParameterValues', parameterNames: ['Device.Nope.'] },
    });
    assert.equal(queued.status, 202);
    await cpe.inform(['6 CONNECTION REQUEST']);
    const rpc = await cpe.emptyPost();
    await cpe.answer(rpc, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9005,
      FaultString: 'Invalid parameter name',
      SetParameterValuesFault: [],
    });
    const after = await h.request('GET', '/api/v1/dashboard', { token: h.tokens['read-only'] });
    const d = after.json;
    assert.equal(d.devices.total, before.json.devices.total + 1);
    assert.equal(d.devices.seenRecently, d.devices.total);
    assert.equal(d.devices.recentWindowSeconds, 3600);
    assert.equal(d.informsPerMinute.length, 60);
    const informs = (x: { informsPerMinute: { count: number }[] }) =>
      x.informsPerMinute.reduce((n, m) => n + m.count, 0);
    assert.equal(informs(d) - informs(before.json), 2, 'the BOOTSTRAP and the CONNECTION REQUEST');
    assert.deepEqual(
      d.faultsByCode.find((f: { code: string }) => f.code === '9005'),
      { code: '9005', count: 1 },
    );
    assert.equal(typeof d.sessionsInFlight, 'number');
    assert.deepEqual(d.connectionRequests, { sent: 0, succeeded: 0 });
  });
});
