/**
 * XMPP connection requests in the lab, proven on the simulator through a real XMPP server (prosody, as the ACS's
 * own XMPP tests run it): the lab logs in, the simulated DUT takes its request and refuses a wrong password
 * (CR-010, CR-011 pass); one that ignores the credentials fails CR-011 only; without an XMPP login for the lab the
 * cases skip, saying why. Without prosody this file skips, except under CI=true, where it fails.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type Prosody, prosodyUnavailable, startProsody } from '../../test/xmpp/prosody.ts';
import { check, dir, verdicts } from './testing/check-run.ts';

after(() => rmSync(dir, { recursive: true, force: true }));

const missing = prosodyUnavailable();
if (missing !== null && process.env.CI === 'true')
  throw new Error(`the XMPP conformance tests cannot run in CI: ${missing}`);

const LAB_PASSWORD = 'lab-xmpp-password';
const DUT_PASSWORD = 'dut-xmpp-password';

describe('corral check: XMPP connection requests', { skip: missing ?? false }, () => {
  let prosody: Prosody;
  before(async () => {
    prosody = await startProsody();
    prosody.register('lab', LAB_PASSWORD);
    prosody.register('dut0001', DUT_PASSWORD);
  });
  after(() => prosody?.destroy());

  const labArgs = () => [
    '--xmpp-service',
    prosody.service,
    '--xmpp-jid',
    `lab@${prosody.domain}`,
    '--xmpp-password',
    LAB_PASSWORD,
  ];
  const dut = (ignoreCredentials = false) => ({
    xmpp: {
      service: prosody.service,
      domain: prosody.domain,
      password: DUT_PASSWORD,
      ...(ignoreCredentials ? { ignoreCredentials: true } : {}),
    },
  });

  test('the simulator takes the lab’s XMPP request and refuses a wrong password', async () => {
    const run = await check('xmpp', [...labArgs(), '--cases', 'CR-010,CR-011'], dut());
    assert.deepEqual(verdicts(run.report, 'pass'), ['CR-010', 'CR-011'], run.stderr);
    assert.doesNotMatch(JSON.stringify(run.report), new RegExp(LAB_PASSWORD));
    const none = await check('xmpp-none', ['--cases', 'CR-010,CR-011'], dut());
    assert.deepEqual(verdicts(none.report, 'skip'), ['CR-010', 'CR-011']);
    assert.match(none.report.results[0]!.reason ?? '', /no --xmpp-service/);
  });

  test('a DUT that ignores the credentials in the IQ fails CR-011 only', async () => {
    const run = await check('xmpp-any', [...labArgs(), '--cases', 'CR-010,CR-011'], dut(true));
    assert.deepEqual(verdicts(run.report, 'pass'), ['CR-010']);
    assert.deepEqual(verdicts(run.report, 'fail'), ['CR-011']);
    assert.match(run.report.results[1]!.reason ?? '', /an IQ error, got a result/);
  });
});
