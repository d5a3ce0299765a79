import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { HttpAuthServer } from '../../cwmp/auth/index.ts';
import type { CwmpMessage, TransferComplete } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { answerCpeMethod } from '../methods/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { informResponse, ScriptedAcs, type ScriptedReply } from '../testing/scripted-acs.ts';
import { buildInform } from './inform.ts';
import { runSession, type SessionPlan } from './session-runner.ts';

const model = new DeviceModel(templateFor(DEVICE2_GATEWAY));
const servers: ScriptedAcs[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function acs(
  script: (r: ScriptedAcs['requests'][number], i: number) => ScriptedReply | Promise<ScriptedReply>,
) {
  const s = await new ScriptedAcs(script).start();
  servers.push(s);
  return s;
}

function plan(url: string, extra: Partial<SessionPlan> = {}): SessionPlan {
  return {
    transport: { url },
    maxVersion: '1.4',
    sessionTimeoutSeconds: 5,
    inform: buildInform({
      model,
      events: [{ code: '2 PERIODIC', commandKey: '' }],
      retryCount: 0,
      now: Date.UTC(2026, 0, 1),
    }),
    requests: [],
    answer: (request: CwmpMessage) => answerCpeMethod(model, request)!,
    ...extra,
  };
}

const transferComplete: TransferComplete = {
  method: 'TransferComplete',
  CommandKey: 'fw-1',
  FaultStruct: { FaultCode: 0, FaultString: '' },
  StartTime: '2026-01-01T00:00:00Z',
  CompleteTime: '2026-01-01T00:01:00Z',
};

const gpv: ScriptedReply = {
  message: {
    method: 'GetParameterValues',
    ParameterNames: ['Device.ManagementServer.PeriodicInformEnable'],
  },
  header: { ID: 'acs-7' },
  chunked: true,
};

describe('runSession over HTTP', () => {
  it('offers 1.4, follows UseCWMPVersion, returns cookies, sends a bare empty POST and answers until 204', async () => {
    const server = await acs((_r, i) => {
      if (i === 0)
        return informResponse(
          { UseCWMPVersion: '1.4' },
          { headers: { 'Set-Cookie': ['s=1; Path=/', 'lb=a'] } },
        );
      if (i === 1) return gpv;
      return { status: 204 };
    });
    const result = await runSession(plan(server.url));
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.version, '1.4');
    assert.deepEqual(result.acsRequests, ['GetParameterValues']);
    const [inform, empty, answer] = server.requests;
    assert.equal(inform!.headers.soapaction, '"urn:dslforum-org:cwmp-1-2#Inform"');
    assert.match(String(inform!.headers['content-type']), /^text\/xml/);
    assert.equal(inform!.envelope?.cwmpNamespace, 'urn:dslforum-org:cwmp-1-2');
    assert.equal(inform!.envelope?.header.SupportedCWMPVersions, '1.0,1.1,1.2,1.3,1.4');
    assert.equal(inform!.envelope?.header.SessionTimeout, 5);
    assert.equal(inform!.headers.cookie, undefined);
    assert.equal(empty!.body, '');
    assert.equal(empty!.headers['content-length'], '0');
    assert.equal(empty!.headers['content-type'], undefined);
    assert.equal(empty!.headers.soapaction, undefined);
    assert.equal(empty!.headers.cookie, 's=1; lb=a');
    assert.equal(answer!.headers.soapaction, '');
    assert.equal(answer!.headers.cookie, 's=1; lb=a');
    assert.equal(answer!.envelope?.header.ID, 'acs-7');
    assert.deepEqual(answer!.envelope?.body, {
      method: 'GetParameterValuesResponse',
      ParameterList: [
        { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'boolean' },
      ],
    });
    // One keep-alive connection for the session.
    assert.equal(new Set(server.requests.map((r) => r.headers.connection)).size, 1);
  });

  it('in the no-cookie quirk mode, never returns the cookies', async () => {
    const server = await acs((_r, i) =>
      i === 0 ? informResponse({}, { headers: { 'Set-Cookie': 's=1; Path=/' } }) : { status: 204 },
    );
    const result = await runSession(
      plan(server.url, { transport: { url: server.url, returnCookies: false } }),
    );
    assert.equal(result.ok, true);
    assert.equal(server.requests[1]!.headers.cookie, undefined);
  });

  it('answers a Digest challenge, and authorizes later POSTs of the session pre-emptively', async () => {
    const auth = new HttpAuthServer({ realm: 'acs', secret: randomBytes(32) });
    const lookup = (user: string) => (user === 'cpe' ? { password: 'pw' } : undefined);
    const server = await acs(async (r, i) => {
      const v = await auth.verify(
        { authorization: r.headers.authorization, method: 'POST', uri: r.url, tls: false },
        lookup,
      );
      if (!v.ok)
        return { status: 401, headers: { 'WWW-Authenticate': auth.challenges() }, body: 'auth' };
      return i === 1 ? informResponse() : { status: 204 };
    });
    const result = await runSession(
      plan(server.url, { transport: { url: server.url, username: 'cpe', password: 'pw' } }),
    );
    assert.equal(result.ok, true, result.error?.message);
    assert.deepEqual(server.methods, ['Inform', 'Inform', '']);
    assert.equal(server.requests[0]!.headers.authorization, undefined);
    assert.match(String(server.requests[1]!.headers.authorization), /nc=00000001/);
    assert.match(String(server.requests[2]!.headers.authorization), /nc=00000002/);
  });

  it('fails with an auth error when the credentials are refused, without looping', async () => {
    const auth = new HttpAuthServer({ realm: 'acs', secret: randomBytes(32) });
    const server = await acs(() => ({
      status: 401,
      headers: { 'WWW-Authenticate': auth.challenges() },
      body: 'no',
    }));
    const result = await runSession(
      plan(server.url, { transport: { url: server.url, username: 'cpe', password: 'wrong' } }),
    );
    assert.equal(result.informAccepted, false);
    assert.equal(result.error?.kind, 'auth');
    assert.equal(server.requests.length, 2);
  });

  it('follows a redirect for the rest of the session, and gives up after five', async () => {
    const server = await acs((r) => {
      if (r.url === '/acs') return { status: 307, headers: { Location: '/moved' } };
      return r.envelope?.body.method === 'Inform' ? informResponse() : { status: 204 };
    });
    const result = await runSession(plan(server.url));
    assert.equal(result.ok, true);
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ['/acs', '/moved', '/moved'],
    );

    const loop = await acs((r) => ({ status: 302, headers: { Location: `${r.url}x` } }));
    const failed = await runSession(plan(loop.url));
    assert.equal(failed.error?.kind, 'redirect');
    assert.equal(loop.requests.length, 6);
  });

  it('sends its requests after the InformResponse, resends on 8005, and holds them on HoldRequests', async () => {
    let retried = false;
    const server = await acs((r, i) => {
      if (i === 0) return informResponse();
      if (r.envelope?.body.method === 'TransferComplete' && !retried) {
        retried = true;
        return {
          message: {
            method: 'Fault',
            faultcode: 'Server',
            faultstring: 'CWMP fault',
            FaultCode: 8005,
            SetParameterValuesFault: [],
          },
        };
      }
      if (r.envelope?.body.method === 'TransferComplete')
        return { message: { method: 'TransferCompleteResponse' } };
      return { status: 204 };
    });
    const result = await runSession(plan(server.url, { requests: [transferComplete] }));
    assert.deepEqual(server.methods, ['Inform', 'TransferComplete', 'TransferComplete', '']);
    assert.deepEqual(result.acknowledged, [0]);
    assert.equal(
      server.requests[1]!.headers.soapaction,
      '"urn:dslforum-org:cwmp-1-2#TransferComplete"',
    );

    const holding = await acs((_r, i) =>
      i === 0 ? informResponse({ HoldRequests: true }) : { status: 204 },
    );
    const held = await runSession(plan(holding.url, { requests: [transferComplete] }));
    assert.equal(held.ok, true);
    assert.equal(held.held, true);
    assert.deepEqual(held.acknowledged, []);
    assert.deepEqual(holding.methods, ['Inform', '']);
  });

  it('speaks the version of the InformResponse namespace when the ACS sends no UseCWMPVersion', async () => {
    const server = await acs((_r, i) => {
      if (i === 0) return informResponse({}, { cwmpNamespace: 'urn:dslforum-org:cwmp-1-0' });
      if (i === 1) return { ...gpv, cwmpNamespace: 'urn:dslforum-org:cwmp-1-0' };
      return { status: 204 };
    });
    const result = await runSession(plan(server.url));
    assert.equal(result.version, '1.0');
    assert.equal(server.requests[2]!.envelope?.cwmpNamespace, 'urn:dslforum-org:cwmp-1-0');
  });

  it('a fault or an HTTP error on the Inform fails the session before it starts', async () => {
    const faulting = await acs(() => ({
      message: {
        method: 'Fault',
        faultcode: 'Server',
        faultstring: 'CWMP fault',
        FaultCode: 8002,
        SetParameterValuesFault: [],
      },
    }));
    const r1 = await runSession(plan(faulting.url));
    assert.equal(r1.informAccepted, false);
    assert.equal(r1.error?.kind, 'fault');
    assert.equal(r1.error?.faultCode, 8002);

    const busy = await acs(() => ({ status: 503, headers: { 'Retry-After': '42' }, body: 'busy' }));
    const r2 = await runSession(plan(busy.url));
    assert.equal(r2.error?.kind, 'http-status');
    assert.equal(r2.error?.status, 503);
    assert.equal(r2.retryAfterSeconds, 42);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r3 = await runSession(plan(`http://127.0.0.1:${port}/`));
    assert.equal(r3.error?.kind, 'connect');
  });

  it('injects a fault for an RPC, a malformed message, and a dropped connection', async () => {
    const script = (_r: unknown, i: number): ScriptedReply =>
      i === 0 ? informResponse() : i === 1 ? gpv : { status: 204 };
    const faulty = await acs(script);
    const r1 = await runSession(
      plan(faulty.url, { faults: { faultFor: { GetParameterValues: 9002 } } }),
    );
    assert.equal(r1.ok, true);
    assert.equal(faulty.requests[2]!.envelope?.body.method, 'Fault');
    const fault = faulty.requests[2]!.envelope!.body as { FaultCode: number };
    assert.equal(fault.FaultCode, 9002);

    const bad = await acs((r, i) =>
      r.envelope === undefined && r.body !== '' ? { status: 400, body: 'bad' } : script(r, i),
    );
    const r2 = await runSession(plan(bad.url, { faults: { malformedOn: 'GetParameterValues' } }));
    assert.equal(r2.error?.status, 400);
    assert.equal(bad.requests[2]!.envelope, undefined);

    const dropped = await acs(script);
    const r3 = await runSession(plan(dropped.url, { faults: { dropOn: 'GetParameterValues' } }));
    assert.equal(r3.informAccepted, true);
    assert.equal(r3.error?.kind, 'aborted');
  });

  it('writes booleans as 1/0 and another SOAP prefix when told to', async () => {
    const server = await acs((_r, i) =>
      i === 0 ? informResponse() : i === 1 ? gpv : { status: 204 },
    );
    const result = await runSession(
      plan(server.url, { wire: { booleanStyle: 'digit', soapPrefix: 'SOAP-ENV' } }),
    );
    assert.equal(result.ok, true, result.error?.message);
    const answer = server.requests[2]!;
    assert.match(answer.body, /<SOAP-ENV:Envelope xmlns:SOAP-ENV=/);
    assert.doesNotMatch(answer.body, /soap-env:/);
    const body = answer.envelope!.body as { ParameterList: { value: string }[] };
    assert.equal(body.ParameterList[0]!.value, '1');
  });

  it('sends chunked bodies when told to, and never Basic credentials over plain HTTP', async () => {
    const server = await acs((_r, i) => (i === 0 ? informResponse() : { status: 204 }));
    const r = await runSession(
      plan(server.url, { transport: { url: server.url, sendChunked: true } }),
    );
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(server.requests[0]!.headers['transfer-encoding'], 'chunked');
    assert.equal(server.requests[0]!.envelope?.body.method, 'Inform');

    const basic = await acs(() => ({
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="acs"' },
    }));
    const refused = await runSession(
      plan(basic.url, { transport: { url: basic.url, username: 'u', password: 'p' } }),
    );
    assert.equal(refused.error?.kind, 'auth');
    assert.equal(basic.requests.length, 1);
  });
});
