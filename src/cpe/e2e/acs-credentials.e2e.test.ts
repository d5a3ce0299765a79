/**
 * Zero-touch moves a device off the shared bootstrap credential (acsCredentials), with a simulated device over
 * HTTP Digest: it bootstraps on the shared credential, is given ManagementServer.Username/Password of its own,
 * and its next session authenticates with them; the shared credential no longer admits it — until a factory
 * reset brings it back with 0 BOOTSTRAP, when it gets a fresh credential. A device with a credential of its own
 * from the factory keeps it. The issued passwords appear in no trace and no log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../store/secret.ts';
import type { SimulatedDevice } from '../device/simulated-device.ts';
import { Lab } from '../testing/lab.ts';

const MS = 'Device.ManagementServer.';
const SHARED_USER = 'fleet-bootstrap';
const SHARED_PASSWORD = 'shared-bootstrap-secret';

let lab: Lab;
before(async () => {
  lab = await Lab.start({
    auth: 'digest',
    zeroTouch: {
      periodicInformInterval: 900,
      connectionRequestCredentials: true,
      acsCredentials: true,
    },
  });
  await lab.store.credentials.putBootstrap({
    username: SHARED_USER,
    password: new Secret(SHARED_PASSWORD),
    allow: { ouis: [], productClasses: [], serialPattern: 'ZTA-*' },
  });
});
after(() => lab.close());

/** One session, started by a Connection Request (or `start`), as the device recorded it. */
async function session(d: SimulatedDevice, begin: () => void) {
  const next = d.waitForSession();
  begin();
  return next;
}

/** Every trace body of the device and every log line, as one text to search for leaks. */
async function everythingWritten(id: string): Promise<string> {
  const out: string[] = [JSON.stringify(lab.logs)];
  for (const s of await lab.store.traces.sessions(id)) {
    const trace = await lab.store.traces.read(id, s.sessionId);
    for (const m of trace?.messages ?? []) out.push(m.body);
  }
  return out.join('\n');
}

describe('zero-touch: an ACS credential of the device’s own', { timeout: 60_000 }, () => {
  it('moves a device from the shared credential to its own, and refuses the shared one afterwards', async () => {
    // A device that only knows the fleet's shared credential (the lab's per-device one is taken away).
    const d = await lab.device('ZTA-1', {
      extra: { [`${MS}Username`]: SHARED_USER, [`${MS}Password`]: SHARED_PASSWORD },
    });
    const id = lab.idOf(d);
    await lab.store.credentials.deleteCpe(id);

    const first = await session(d, () => d.start());
    assert.equal(first.ok, true, first.error);
    assert.ok(first.events.includes('0 BOOTSTRAP'));
    const own = await lab.store.credentials.getCpe(id);
    assert.ok(own, 'the ACS keeps the credential the device accepted');
    assert.notEqual(own.username, SHARED_USER);
    assert.equal(d.model.getValue(`${MS}Username`), own.username);
    assert.equal(d.model.getValue(`${MS}Password`), own.password.reveal());
    assert.ok(own.password.reveal().length >= 32);

    // The next session authenticates with it.
    const second = await session(d, () => d.connectionRequest());
    assert.equal(second.ok, true, second.error);
    assert.ok(second.events.includes('6 CONNECTION REQUEST'));

    // The shared credential no longer admits this device (no 0 BOOTSTRAP: it is not a factory reset).
    d.setLocalValue(`${MS}Username`, SHARED_USER);
    d.setLocalValue(`${MS}Password`, SHARED_PASSWORD);
    const refused = await session(d, () => d.connectionRequest());
    assert.equal(refused.ok, false, 'refused');
    assert.equal(refused.informAccepted, false);
    const reasons = lab.logs
      .filter((l) => l.event === 'cpe-auth-refused')
      .map((l) => l.fields.reason);
    assert.ok(reasons.includes('bootstrap-credential-superseded'), JSON.stringify(reasons));

    // A factory reset puts the shared credential back, with 0 BOOTSTRAP: admitted, and given a fresh credential.
    const reset = await session(d, () => d.factoryReset());
    assert.equal(reset.ok, true, reset.error);
    assert.ok(reset.events.includes('0 BOOTSTRAP'));
    assert.deepEqual(reset.acsRequests.slice(0, 2), ['GetParameterValues', 'SetParameterValues']);
    const renewed = await lab.store.credentials.getCpe(id);
    assert.ok(renewed);
    assert.notEqual(renewed.username, own.username);
    assert.equal(d.model.getValue(`${MS}Username`), renewed.username);
    const after = await session(d, () => d.connectionRequest());
    assert.equal(after.ok, true, after.error);

    // Neither issued password was ever written in clear: traces are redacted, logs never had them.
    const written = await everythingWritten(id);
    for (const secret of [own.password.reveal(), renewed.password.reveal()])
      assert.equal(written.includes(secret), false, 'a password leaked');
    assert.ok(written.includes(renewed.username), 'the search did cover the traces');
  });

  it('leaves a device that authenticates with a credential of its own on it', async () => {
    // The lab gives every device its own credential, as a factory could.
    const d = await lab.device('ZTA-2');
    const id = lab.idOf(d);
    const before = await lab.store.credentials.getCpe(id);
    assert.ok(before);

    const first = await session(d, () => d.start());
    assert.equal(first.ok, true, first.error);
    assert.deepEqual(first.acsRequests.slice(0, 2), ['GetParameterValues', 'SetParameterValues']);
    const kept = await lab.store.credentials.getCpe(id);
    assert.equal(kept?.username, before.username);
    assert.equal(kept?.password.reveal(), 'pw-ZTA-2');
    assert.equal(d.model.getValue(`${MS}Username`), before.username);
    assert.equal(
      d.model.getValue(`${MS}PeriodicInformInterval`),
      '900',
      'the rest of zero-touch ran',
    );

    const next = await session(d, () => d.connectionRequest());
    assert.equal(next.ok, true, next.error);
  });
});
