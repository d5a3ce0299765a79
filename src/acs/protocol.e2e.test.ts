import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { CwmpMessage, CwmpRpc } from '../cwmp/index.ts';
import { Secret } from '../store/secret.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { TaskArgs } from '../store/task-args.ts';
import { type AcsOptions, type RunningAcs, startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-protocol-'));
let store: SqliteStore;
let acs: RunningAcs;
let clock = Date.now();

function options(over: Partial<AcsOptions> = {}): AcsOptions {
  return testAcsOptions(store, over);
}

before(async () => {
  store = await openSqliteStore({
    path: join(dir, 'corral.db'),
    secretKey: randomBytes(32),
    clock: () => clock,
  });
  acs = await startAcs(options());
});

after(async () => {
  await acs.close(1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const unknownTime = '0001-01-01T00:00:00Z';
const transfer = { commandKey: 'ck', username: '', password: new Secret('') };

/** What a well-behaved CPE answers to each request (the simulator does this for real). */
function answerFor(request: CwmpRpc): CwmpMessage {
  switch (request.method) {
    case 'GetParameterValues':
      return {
        method: 'GetParameterValuesResponse',
        ParameterList: [{ name: 'Device.DeviceInfo.UpTime', value: '1', type: 'unsignedInt' }],
      };
    case 'SetParameterValues':
      return { method: 'SetParameterValuesResponse', Status: 0 };
    case 'GetParameterNames':
      return {
        method: 'GetParameterNamesResponse',
        ParameterList: [{ Name: 'Device.DeviceInfo.UpTime', Writable: false }],
      };
    case 'GetParameterAttributes':
      return {
        method: 'GetParameterAttributesResponse',
        ParameterList: [{ Name: 'Device.DeviceInfo.UpTime', Notification: 0, AccessList: [] }],
      };
    case 'AddObject':
      return { method: 'AddObjectResponse', InstanceNumber: 3, Status: 0 };
    case 'DeleteObject':
      return { method: 'DeleteObjectResponse', Status: 0 };
    case 'Download':
    case 'Upload':
      return {
        method: `${request.method}Response`,
        Status: 0,
        StartTime: '2026-11-25T00:00:00Z',
        CompleteTime: '2026-11-25T00:00:01Z',
      } as CwmpMessage;
    case 'GetQueuedTransfers':
      return { method: 'GetQueuedTransfersResponse', TransferList: [] };
    case 'GetAllQueuedTransfers':
      return { method: 'GetAllQueuedTransfersResponse', TransferList: [] };
    case 'GetRPCMethods':
      return { method: 'GetRPCMethodsResponse', MethodList: ['GetParameterValues'] };
    case 'GetOptions':
      return { method: 'GetOptionsResponse', OptionList: [] };
    default:
      return { method: `${request.method}Response` } as CwmpMessage;
  }
}

const EVERY_TASK: TaskArgs[] = [
  { type: 'getParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
  {
    type: 'setParameterValues',
    parameters: [{ name: 'Device.X.A', value: '1', type: 'string' }],
    parameterKey: 'k',
  },
  { type: 'getParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: false },
  { type: 'getParameterAttributes', parameterNames: ['Device.DeviceInfo.UpTime'] },
  {
    type: 'setParameterAttributes',
    parameters: [
      {
        name: 'Device.X.A',
        notificationChange: true,
        notification: 1,
        accessListChange: false,
        accessList: [],
      },
    ],
  },
  { type: 'addObject', objectName: 'Device.NAT.PortMapping.', parameterKey: '' },
  { type: 'deleteObject', objectName: 'Device.NAT.PortMapping.3.', parameterKey: '' },
  { type: 'reboot', commandKey: 'r' },
  { type: 'factoryReset' },
  {
    type: 'download',
    ...transfer,
    fileType: '1 Firmware Upgrade Image',
    url: 'http://127.0.0.1:9/fw',
    fileSize: 0,
    targetFileName: '',
    delaySeconds: 0,
    successUrl: '',
    failureUrl: '',
  },
  {
    type: 'upload',
    ...transfer,
    fileType: '1 Vendor Configuration File',
    url: 'http://127.0.0.1:9/up',
    delaySeconds: 0,
  },
  { type: 'scheduleInform', delaySeconds: 30, commandKey: 's' },
  { type: 'cancelTransfer', commandKey: 'x' },
  { type: 'getQueuedTransfers' },
  { type: 'getAllQueuedTransfers' },
  { type: 'getRPCMethods' },
  { type: 'getOptions', optionName: '.' },
  { type: 'setVouchers', voucherList: ['AAEC'] },
  { type: 'refresh', path: 'Device.DeviceInfo.' },
];

describe('every task type through a real session', () => {
  it('sends each RPC in queue order and records each answer', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'all-tasks' });
    await cpe.inform(['0 BOOTSTRAP']);
    await cpe.emptyPost();
    const tasks = [];
    for (const args of EVERY_TASK) tasks.push(await store.tasks.enqueue(cpe.deviceId, { args }));
    cpe.reset();
    await cpe.inform(['6 CONNECTION REQUEST']);
    let reply = await cpe.emptyPost();
    const sent: string[] = [];
    while (reply.status === 200) {
      const request = reply.envelope?.body as CwmpRpc;
      sent.push(request.method);
      reply = await cpe.answer(reply, answerFor(request));
    }
    assert.equal(reply.status, 204);
    assert.deepEqual(sent.slice(0, EVERY_TASK.length - 1), [
      'GetParameterValues',
      'SetParameterValues',
      'GetParameterNames',
      'GetParameterAttributes',
      'SetParameterAttributes',
      'AddObject',
      'DeleteObject',
      'Reboot',
      'FactoryReset',
      'Download',
      'Upload',
      'ScheduleInform',
      'CancelTransfer',
      'GetQueuedTransfers',
      'GetAllQueuedTransfers',
      'GetRPCMethods',
      'GetOptions',
      'SetVouchers',
    ]);
    assert.deepEqual(sent.slice(EVERY_TASK.length - 1), [
      'GetParameterNames',
      'GetParameterValues',
    ]);
    for (const task of tasks)
      assert.equal((await store.tasks.get(task.id))?.state, 'done', task.type);
    assert.equal(
      await store.parameters.get(cpe.deviceId, 'Device.NAT.PortMapping.3.'),
      null,
      'added then deleted',
    );
    assert.equal(
      (await store.parameters.get(cpe.deviceId, 'Device.ManagementServer.ParameterKey'))?.value,
      '',
    );
    cpe.close();
  });

  it('fails a transfer whose TransferComplete never comes, visibly', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'lost-transfer' });
    await cpe.inform(['0 BOOTSTRAP']);
    await cpe.emptyPost();
    const task = await store.tasks.enqueue(cpe.deviceId, {
      args: { ...(EVERY_TASK[9] as TaskArgs), commandKey: 'never' } as TaskArgs,
    });
    cpe.reset();
    await cpe.inform(['2 PERIODIC']);
    const request = await cpe.emptyPost();
    await cpe.answer(request, {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: unknownTime,
      CompleteTime: unknownTime,
    });
    assert.equal((await store.tasks.get(task.id))?.state, 'awaiting');
    clock += 25 * 3600 * 1000;
    await acs.engine.expireTransfers();
    const expired = await store.tasks.get(task.id);
    assert.equal(expired?.state, 'failed');
    assert.equal(expired?.fault?.source, 'timeout');
    cpe.close();
  });
});

describe('CWMP version negotiation (TR-069 A6 §3.7.4)', () => {
  it('answers a 1.4 CPE with UseCWMPVersion in its own namespace', async () => {
    const cpe = new ScriptedCpe(acs.url, {
      serialNumber: 'v14',
      cwmpNamespace: 'urn:dslforum-org:cwmp-1-2',
    });
    const reply = await cpe.inform(['0 BOOTSTRAP'], [], {
      SupportedCWMPVersions: '1.0,1.1,1.2,1.3,1.4',
      SessionTimeout: 60,
    });
    assert.equal(reply.envelope?.header.UseCWMPVersion, '1.4');
    assert.equal(reply.envelope?.cwmpNamespace, 'urn:dslforum-org:cwmp-1-2');
    await cpe.emptyPost();
    cpe.close();
  });

  it('answers a CPE in cwmp-1-0 in cwmp-1-0, and one with no common version with fault 8006', async () => {
    const old = new ScriptedCpe(acs.url, {
      serialNumber: 'v10',
      cwmpNamespace: 'urn:dslforum-org:cwmp-1-0',
    });
    const reply = await old.inform(['0 BOOTSTRAP']);
    assert.equal(reply.envelope?.cwmpNamespace, 'urn:dslforum-org:cwmp-1-0');
    assert.equal(reply.envelope?.header.UseCWMPVersion, undefined);
    await old.emptyPost();
    const future = new ScriptedCpe(acs.url, {
      serialNumber: 'v20',
      cwmpNamespace: 'urn:dslforum-org:cwmp-1-2',
    });
    const refused = await future.inform(['0 BOOTSTRAP'], [], { SupportedCWMPVersions: '2.0' });
    assert.equal(refused.envelope?.body.method, 'Fault');
    assert.equal(
      refused.envelope?.body.method === 'Fault' && refused.envelope.body.FaultCode,
      8006,
    );
    old.close();
    future.close();
  });
});

describe('requests from the CPE', () => {
  it('answers GetRPCMethods, Kicked, AutonomousTransferComplete; declines RequestDownload; 8000 for the unknown', async () => {
    const cpe = new ScriptedCpe(acs.url, { serialNumber: 'cpe-requests' });
    await cpe.inform(['0 BOOTSTRAP']);
    const methods = await cpe.send({ method: 'GetRPCMethods' });
    assert.ok(
      methods.envelope?.body.method === 'GetRPCMethodsResponse' &&
        methods.envelope.body.MethodList.includes('TransferComplete'),
    );
    const kicked = await cpe.send({
      method: 'Kicked',
      Command: 'c',
      Referer: 'r',
      Arg: 'a',
      Next: 'http://127.0.0.1/next',
    });
    assert.equal(kicked.envelope?.body.method, 'KickedResponse');
    const atc = await cpe.send({
      method: 'AutonomousTransferComplete',
      AnnounceURL: '',
      TransferURL: 'http://127.0.0.1/x',
      IsDownload: true,
      FileType: '1 Firmware Upgrade Image',
      FileSize: 1,
      TargetFileName: '',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: unknownTime,
      CompleteTime: unknownTime,
    });
    assert.equal(atc.envelope?.body.method, 'AutonomousTransferCompleteResponse');
    const rd = await cpe.send({
      method: 'RequestDownload',
      FileType: '1 Firmware Upgrade Image',
      FileTypeArg: [],
    });
    assert.equal(rd.envelope?.body.method === 'Fault' && rd.envelope.body.FaultCode, 8001);
    const unknown = await cpe.send({ method: 'UnknownMethod', Name: 'X_Vendor_Method' });
    assert.equal(
      unknown.envelope?.body.method === 'Fault' && unknown.envelope.body.FaultCode,
      8000,
    );
    assert.equal((await cpe.emptyPost()).status, 204);
    cpe.close();
  });
});

describe('admission control and TLS', () => {
  it('turns away Informs past the session limit with 503 + Retry-After while running sessions finish', async () => {
    const small = await startAcs(options({ maxSessions: 1 }));
    const first = new ScriptedCpe(small.url, { serialNumber: 'adm-1' });
    const second = new ScriptedCpe(small.url, { serialNumber: 'adm-2' });
    assert.equal((await first.inform(['1 BOOT'])).status, 200);
    const refused = await second.inform(['1 BOOT']);
    assert.equal(refused.status, 503);
    assert.ok(refused.headers['retry-after']);
    assert.equal((await first.emptyPost()).status, 204);
    assert.equal((await second.inform(['1 BOOT'])).status, 200);
    await second.emptyPost();
    first.close();
    second.close();
    await small.close(500);
  });

  it('holds an Inform past the session limit in the waiting room, unread, and serves it when a session ends', async () => {
    const small = await startAcs(options({ maxSessions: 1, admission: { minSessions: 1 } }));
    const first = new ScriptedCpe(small.url, { serialNumber: 'wait-1' });
    const second = new ScriptedCpe(small.url, { serialNumber: 'wait-2' });
    assert.equal((await first.inform(['1 BOOT'])).status, 200);
    const order: string[] = [];
    const waiting = second.inform(['1 BOOT']).then((answer) => {
      order.push('second Inform answered');
      return answer;
    });
    while (small.status().waiting !== 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(order.length, 0, 'no answer while the one session is open');
    assert.equal((await first.emptyPost()).status, 204);
    order.push('first session over');
    const answer = await waiting;
    assert.equal(answer.status, 200);
    assert.equal(answer.envelope?.body.method, 'InformResponse');
    assert.deepEqual(order, ['first session over', 'second Inform answered']);
    assert.equal(small.status().waiting, 0);
    assert.equal((await second.emptyPost()).status, 204);
    first.close();
    second.close();
    await small.close(500);
  });

  it('serves CWMP over HTTPS with TLS 1.2 at least, refusing TLS 1.1', async (t) => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      t.skip('openssl is not installed: it makes the test certificate');
      return;
    }
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const secure = await startAcs(
      options({ tls: { cert: readFileSync(cert), key: readFileSync(key) } }),
    );
    const handshake = (maxVersion: 'TLSv1.1' | 'TLSv1.2') =>
      new Promise<string>((resolve) => {
        const socket = tlsConnect(
          {
            host: '127.0.0.1',
            port: secure.port,
            rejectUnauthorized: false,
            maxVersion,
            minVersion: 'TLSv1',
          },
          () => {
            resolve(socket.getProtocol() ?? 'none');
            socket.end();
          },
        );
        socket.on('error', () => resolve('refused'));
      });
    assert.equal(await handshake('TLSv1.2'), 'TLSv1.2');
    assert.equal(await handshake('TLSv1.1'), 'refused');
    await secure.close(500);
  });
});
