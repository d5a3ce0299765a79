import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { informResponse, ScriptedAcs } from '../testing/scripted-acs.ts';
import { makeTestCertificates } from '../testing/test-ca.ts';
import { buildInform } from './inform.ts';
import { runSession } from './session-runner.ts';

const certs = makeTestCertificates();
const servers: ScriptedAcs[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

describe('HTTPS to the ACS', {
  skip: certs === undefined ? 'openssl is not installed' : false,
}, () => {
  const model = new DeviceModel(templateFor(DEVICE2_GATEWAY));
  const inform = buildInform({
    model,
    events: [{ code: '1 BOOT', commandKey: '' }],
    retryCount: 0,
    now: Date.now(),
  });
  const plan = (url: string, ca?: string) => ({
    transport: { url, ...(ca === undefined ? {} : { ca }) },
    maxVersion: '1.4' as const,
    sessionTimeoutSeconds: 5,
    inform,
    requests: [],
    answer: () => {
      throw new Error('no requests expected');
    },
  });

  it('verifies the ACS certificate against the trusted CA, and refuses it without', async () => {
    const acs = await new ScriptedAcs((_r, i) =>
      i === 0 ? informResponse() : { status: 204 },
    ).start({
      cert: certs!.cert,
      key: certs!.key,
    });
    servers.push(acs);
    assert.match(acs.url, /^https:/);
    const ok = await runSession(plan(acs.url, certs!.ca));
    assert.equal(ok.ok, true, ok.error?.message);
    assert.deepEqual(acs.methods, ['Inform', '']);

    const refused = await runSession(plan(acs.url));
    assert.equal(refused.informAccepted, false);
    assert.equal(refused.error?.kind, 'tls');
    assert.equal(acs.requests.length, 2);
  });

  it('sends Basic credentials over TLS when the ACS offers only Basic', async () => {
    const acs = await new ScriptedAcs((r, i) => {
      if (r.headers.authorization === undefined)
        return { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="acs"' } };
      return i <= 1 ? informResponse() : { status: 204 };
    }).start({ cert: certs!.cert, key: certs!.key });
    servers.push(acs);
    const r = await runSession({
      ...plan(acs.url, certs!.ca),
      transport: { url: acs.url, ca: certs!.ca, username: 'u', password: 'p' },
    });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(
      acs.requests[1]!.headers.authorization,
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });
});
