import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { parseApiToken } from '../api-keys.ts';
import { allowListAdmits } from '../credentials.ts';
import { encodeDeviceId, parseDeviceId } from '../device-id.ts';
import { Secret } from '../secret.ts';
import { OTHER_KEY, rejectsWith, type StoreFactory, withStore } from './harness.ts';

const CPE_PASSWORD = 'cpe-pw-4c1f0b-plaintext';
const CR_USER = 'cr-user-77aa31';
const CR_PASSWORD = 'cr-pw-e9d2c8-plaintext';
const BOOT_PASSWORD = 'bootstrap-pw-51b7e0';

export function secretSuite(factory: StoreFactory): void {
  describe('credentials and API keys', () => {
    it('keeps CPE and connection-request credentials encrypted at rest', () =>
      withStore(factory, {}, async ({ harness, store }) => {
        // Credentials may exist before the device's first Inform.
        const id = encodeDeviceId({ oui: '00D09E', productClass: 'IGD', serialNumber: 'CRED1' });
        await store.credentials.setCpe(id, {
          username: 'cpe-CRED1',
          password: new Secret(CPE_PASSWORD),
        });
        await store.credentials.setConnectionRequest(id, {
          username: CR_USER,
          password: new Secret(CR_PASSWORD),
        });
        const cpe = await store.credentials.getCpe(id);
        assert.equal(cpe?.username, 'cpe-CRED1');
        assert.equal(cpe?.password.reveal(), CPE_PASSWORD);
        assert.doesNotMatch(inspect(cpe) + JSON.stringify(cpe), new RegExp(CPE_PASSWORD));
        assert.equal((await store.credentials.findCpeByUsername('cpe-CRED1'))?.deviceId, id);
        assert.equal(await store.credentials.findCpeByUsername('nobody'), null);
        const cr = await store.credentials.getConnectionRequest(id);
        assert.deepEqual([cr?.username, cr?.password.reveal()], [CR_USER, CR_PASSWORD]);
        const other = encodeDeviceId({ oui: '00D09E', productClass: 'IGD', serialNumber: 'CRED2' });
        await rejectsWith(
          store.credentials.setCpe(other, { username: 'cpe-CRED1', password: new Secret('x') }),
          'conflict',
        );
        await rejectsWith(
          store.credentials.setCpe('not a device id', { username: 'u', password: new Secret('x') }),
          'invalid',
        );
        await rejectsWith(
          store.credentials.setCpe(other, {
            username: 'u',
            password: 'plain' as unknown as Secret,
          }),
          'invalid',
        );

        const dump = await harness.rawDump();
        for (const plaintext of [CPE_PASSWORD, CR_PASSWORD, CR_USER]) {
          assert.equal(dump.includes(Buffer.from(plaintext)), false, `${plaintext} is in the dump`);
        }
        assert.ok(dump.includes(Buffer.from('cpe-CRED1')), 'the dump is a real dump');

        // Under another key the ciphertext stays shut, with a typed error.
        const wrong = await harness.reopen({ secretKey: OTHER_KEY });
        await rejectsWith(wrong.credentials.getCpe(id), 'decrypt-failed');
        const right = await harness.reopen();
        assert.equal((await right.credentials.getCpe(id))?.password.reveal(), CPE_PASSWORD);
        assert.equal(await right.credentials.deleteCpe(id), true);
        assert.equal(await right.credentials.deleteCpe(id), false);
        assert.equal(await right.credentials.deleteConnectionRequest(id), true);
        assert.equal(await right.credentials.getConnectionRequest(id), null);
      }));

    it('limits a shared bootstrap credential by an allow-list', () =>
      withStore(factory, {}, async ({ harness, store }) => {
        const allow = { ouis: ['00D09E'], productClasses: [], serialPattern: 'LAB-*' };
        const info = await store.credentials.putBootstrap({
          username: 'bootstrap',
          password: new Secret(BOOT_PASSWORD),
          allow,
        });
        assert.deepEqual([info.enabled, info.allow], [true, allow]);
        assert.equal(
          JSON.stringify(await store.credentials.listBootstrap()).includes(BOOT_PASSWORD),
          false,
        );
        const cred = await store.credentials.getBootstrap('bootstrap');
        assert.equal(cred?.password.reveal(), BOOT_PASSWORD);
        const admits = (id: string) => allowListAdmits(cred!.allow, parseDeviceId(id)!);
        assert.equal(
          admits(encodeDeviceId({ oui: '00D09E', productClass: 'X', serialNumber: 'LAB-17' })),
          true,
        );
        assert.equal(
          admits(encodeDeviceId({ oui: '00D09E', productClass: 'X', serialNumber: 'PROD-17' })),
          false,
        );
        assert.equal(
          admits(encodeDeviceId({ oui: 'FFFFFF', productClass: 'X', serialNumber: 'LAB-17' })),
          false,
        );
        await rejectsWith(
          store.credentials.putBootstrap({
            username: 'open',
            password: new Secret('x'),
            allow: { ouis: [], productClasses: [], serialPattern: null },
          }),
          'invalid',
        );
        const disabled = await store.credentials.putBootstrap({
          username: 'bootstrap',
          password: new Secret(BOOT_PASSWORD),
          allow,
          enabled: false,
        });
        assert.equal(disabled.enabled, false);
        assert.equal((await harness.rawDump()).includes(Buffer.from(BOOT_PASSWORD)), false);
        assert.equal(await store.credentials.deleteBootstrap('bootstrap'), true);
        assert.equal(await store.credentials.getBootstrap('bootstrap'), null);
      }));

    it('keeps only a hash of each API key; verifies, expires, revokes; roles', () =>
      withStore(factory, {}, async ({ harness, store, clock }) => {
        const { key, token } = await store.apiKeys.create({
          name: 'ops',
          role: 'operator',
          createdBy: 'admin-1',
        });
        assert.deepEqual(
          [key.name, key.role, key.revokedAt, key.lastUsedAt],
          ['ops', 'operator', null, null],
        );
        assert.equal(String(token), '[redacted]');
        const parsed = parseApiToken(token);
        assert.equal(parsed?.id, key.id);
        const dump = await harness.rawDump();
        assert.equal(dump.includes(Buffer.from(token.reveal())), false);
        assert.equal(dump.includes(Buffer.from(parsed!.secret)), false);
        assert.ok(dump.includes(Buffer.from(key.id)), 'the key id is stored');
        const verified = await store.apiKeys.verify(token);
        assert.equal(verified?.id, key.id);
        assert.equal(verified?.lastUsedAt, clock.now);
        assert.equal((await store.apiKeys.verify(token.reveal()))?.role, 'operator');
        const forged = `corral_${key.id}_${'A'.repeat(43)}`;
        assert.equal(await store.apiKeys.verify(forged), null);
        assert.equal(await store.apiKeys.verify('garbage'), null);
        assert.equal(await store.apiKeys.verify(`${token.reveal()}x`), null);
        assert.equal((await store.apiKeys.setRole(key.id, 'admin')).role, 'admin');
        await rejectsWith(store.apiKeys.setRole(key.id, 'root' as 'admin'), 'invalid');
        const listed = await store.apiKeys.list();
        assert.equal(listed.length, 1);
        assert.ok(!JSON.stringify(listed).includes(parsed!.secret));
        assert.ok(!Object.keys(listed[0]!).some((k) => /hash|secret/i.test(k)));
        const short = await store.apiKeys.create({
          name: 'temp',
          role: 'read-only',
          expiresAt: clock.now + 1000,
        });
        assert.equal((await store.apiKeys.verify(short.token))?.role, 'read-only');
        clock.advance(1000);
        assert.equal(await store.apiKeys.verify(short.token), null, 'expired');
        const revoked = await store.apiKeys.revoke(key.id);
        assert.equal(revoked.revokedAt, clock.now);
        assert.equal(await store.apiKeys.verify(token), null, 'revoked');
        await rejectsWith(store.apiKeys.revoke('0000000000000000'), 'not-found');
        await rejectsWith(store.apiKeys.create({ name: '', role: 'admin' }), 'invalid');
      }));
  });
}
