import type { Store } from '../../store/store.ts';
import type { AcsOptions } from '../acs.ts';

/** The ACS as the end-to-end tests run it: loopback, a free port, every CPE admitted unless a test says else. */
export function testAcsOptions(store: Store, over: Partial<AcsOptions> = {}): AcsOptions {
  return {
    store,
    authenticate: async () => ({ ok: true }),
    host: '127.0.0.1',
    port: 0,
    maxSessions: 100,
    sessionTimeoutMs: 30_000,
    bodyLimits: { maxBytes: 1 << 20, maxDecodedBytes: 4 << 20 },
    log: () => {},
    // Admission is load-dependent (admission.test.ts, test/storm.e2e.test.ts test it): elsewhere every session is in.
    admission: false,
    ...over,
  };
}
