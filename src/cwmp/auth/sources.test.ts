import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cryptoRandom } from './sources.ts';

describe('cryptoRandom (pooled CSPRNG)', () => {
  it('hands out every byte once: many draws across refills are all distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const bytes = cryptoRandom(16);
      assert.equal(bytes.length, 16);
      seen.add(Buffer.from(bytes).toString('hex'));
    }
    assert.equal(seen.size, 3000);
  });

  it('returns copies: changing one draw changes no other', () => {
    const a = cryptoRandom(8);
    const b = cryptoRandom(8);
    const bBefore = Buffer.from(b);
    a.fill(0);
    assert.deepEqual(Buffer.from(b), bBefore);
    // Nor does the pool: the next draw is not the zeros written into the last one.
    assert.notDeepEqual(Buffer.from(cryptoRandom(8)), Buffer.alloc(8));
  });

  it('serves sizes larger than its pool, and size 0', () => {
    assert.equal(cryptoRandom(10_000).length, 10_000);
    assert.equal(cryptoRandom(0).length, 0);
  });
});
