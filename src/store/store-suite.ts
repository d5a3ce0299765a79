/**
 * The store test suite, written once against the `Store` interface. Every implementation runs it with a
 * factory that makes a fresh store on fresh storage (see `StoreHarness`): the SQLite store does in
 * sqlite/sqlite-store.test.ts, a PostgreSQL store will do the same.
 */
import { describe } from 'node:test';
import { auditSuite } from './suite/audit.ts';
import { campaignSuite } from './suite/campaigns.ts';
import { deviceListSuite } from './suite/device-list.ts';
import { deviceSuite } from './suite/devices.ts';
import { fileSuite } from './suite/files.ts';
import type { StoreFactory } from './suite/harness.ts';
import { parameterSuite } from './suite/parameters.ts';
import { presetSuite } from './suite/presets.ts';
import { restartSuite } from './suite/restart.ts';
import { secretSuite } from './suite/secrets.ts';
import { taskSuite } from './suite/tasks.ts';
import { traceSuite } from './suite/traces.ts';
import { transferSuite } from './suite/transfers.ts';
import { userSuite } from './suite/users.ts';

export type { StoreFactory, StoreHarness } from './suite/harness.ts';

export function runStoreSuite(name: string, factory: StoreFactory): void {
  describe(`store suite: ${name}`, () => {
    deviceSuite(factory);
    deviceListSuite(factory);
    parameterSuite(factory);
    taskSuite(factory);
    restartSuite(factory);
    transferSuite(factory);
    secretSuite(factory);
    traceSuite(factory);
    fileSuite(factory);
    presetSuite(factory);
    auditSuite(factory);
    campaignSuite(factory);
    userSuite(factory);
  });
}
