/**
 * Zero-touch bootstrap, the full circle with a simulated device: on 0 BOOTSTRAP the ACS sets the periodic inform
 * schedule and gives the device connection-request credentials of its own (kept encrypted); the ACS's own
 * connection-request sender then reaches the device's Connection Request server with them (Digest), and the
 * device calls in with 6 CONNECTION REQUEST.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHttpConnectionRequester } from '../../acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../../acs/connection-request/rate-limit.ts';
import { Lab } from '../testing/lab.ts';

let lab: Lab;
before(async () => {
  lab = await Lab.start({
    zeroTouch: { periodicInformInterval: 900, connectionRequestCredentials: true },
  });
});
after(() => lab.close());

const MS = 'Device.ManagementServer.';

describe('zero-touch bootstrap', { timeout: 30_000 }, () => {
  it('sets the inform schedule and new connection-request credentials, which the ACS then uses', async () => {
    const d = await lab.device('ZT-1');
    const boot = d.waitForSession();
    d.start();
    assert.equal((await boot).ok, true);
    const id = lab.idOf(d);

    // The device now holds what zero-touch set, and the ACS the credentials, encrypted.
    assert.equal(d.model.getValue(`${MS}PeriodicInformInterval`), '900');
    assert.equal(d.model.getValue(`${MS}PeriodicInformEnable`), 'true');
    const phase = d.model.getValue(`${MS}PeriodicInformTime`);
    assert.match(String(phase), /^2000-01-01T\d\d:\d\d:\d\dZ$/);
    const credential = await lab.store.credentials.getConnectionRequest(id);
    assert.ok(credential);
    assert.equal(d.model.getValue(`${MS}ConnectionRequestUsername`), credential.username);
    assert.notEqual(credential.password.reveal(), 'cr-pw-ZT-1', 'replaced the factory credential');

    // No trace holds the new password.
    const sessions = await lab.store.traces.sessions(id);
    for (const s of sessions) {
      const trace = await lab.store.traces.read(id, s.sessionId);
      assert.ok(trace?.messages.every((m) => !m.body.includes(credential.password.reveal())));
    }

    // The ACS's connection request, with the new credentials, makes the device call in.
    const send = createHttpConnectionRequester({
      store: lab.store,
      limiter: new ConnectionRequestLimiter(0, 100, Date.now),
    });
    const next = d.waitForSession();
    assert.deepEqual(await send(id), { ok: true, status: 200 });
    const session = await next;
    assert.ok(session.events.includes('6 CONNECTION REQUEST'), session.events.join());
    assert.equal(d.model.getValue(`${MS}ParameterKey`), 'corral-zero-touch');
  });
});
