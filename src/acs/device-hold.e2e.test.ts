import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Coordination, Leadership } from '../store/coordination.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { startAcs } from './acs.ts';
import { testAcsOptions } from './testing/acs-options.ts';
import { ScriptedCpe } from './testing/scripted-cpe.ts';

/**
 * Another node's view, played by hand: the devices in `elsewhere` are held by a session of another node. The
 * real multi-node coordination is PostgreSQL's; this checks what the session engine does with the answers.
 */
class OtherNodeHolds implements Coordination {
  readonly nodeId = 'this-node';
  readonly exclusive = false;
  readonly elsewhere = new Set<string>();
  readonly calls: string[] = [];

  async holdDevice(deviceId: string, sessionId: string, ttlMs: number): Promise<boolean> {
    this.calls.push(`hold ${deviceId} ${sessionId.length} ${ttlMs}`);
    return !this.elsewhere.has(deviceId);
  }

  async releaseDevice(deviceId: string): Promise<void> {
    this.calls.push(`release ${deviceId}`);
  }

  lead(): Leadership {
    return { stop: async () => {} };
  }

  async broadcast(): Promise<void> {}

  listen(): () => void {
    return () => {};
  }

  async close(): Promise<void> {}
}

describe('one session per device across nodes (device holds)', () => {
  it('holds the device for the session, lets it go at the end, and answers 503 while another node holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corral-hold-'));
    const store = await openSqliteStore({ path: join(dir, 'c.db'), secretKey: randomBytes(32) });
    const coordination = new OtherNodeHolds();
    const acs = await startAcs(testAcsOptions(store, { coordination, sessionTimeoutMs: 20_000 }));
    try {
      const device = new ScriptedCpe(acs.url, { serialNumber: 'hold-1' });
      await device.inform(['2 PERIODIC']);
      assert.equal((await device.emptyPost()).status, 204);
      await new Promise((resolve) => setImmediate(resolve));
      // The hold covers the idle timeout and a margin; the session id is 16 hex digits.
      assert.deepEqual(coordination.calls, [
        `hold ${device.deviceId} 16 30000`,
        `release ${device.deviceId}`,
      ]);

      coordination.elsewhere.add(device.deviceId);
      device.reset();
      const refused = await device.inform(['2 PERIODIC']);
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '5');
      // Nothing of the refused session was recorded: its Inform comes again.
      assert.equal((await store.devices.events(device.deviceId)).length, 1);
    } finally {
      await acs.close(1000);
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
