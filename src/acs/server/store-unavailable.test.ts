import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreError } from '../../store/errors.ts';
import { isStoreUnavailable } from './store-unavailable.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('a database that cannot be reached', () => {
  it('is told by the network errors, PostgreSQL connection classes, and node-postgres words', () => {
    assert.equal(isStoreUnavailable(withCode('ECONNREFUSED')), true);
    assert.equal(isStoreUnavailable(withCode('57P01', 'terminating connection')), true);
    assert.equal(isStoreUnavailable(withCode('08006')), true);
    assert.equal(isStoreUnavailable(new Error('Connection terminated unexpectedly')), true);
    assert.equal(
      isStoreUnavailable(new Error('database "corral" is not currently accepting connections')),
      true,
    );
    assert.equal(
      isStoreUnavailable(new Error('store call failed', { cause: withCode('ECONNRESET') })),
      true,
      'through a cause',
    );
  });

  it('is told by a SQLite store whose disk failed an fsync', () => {
    const eio = withCode('EIO', 'EIO: i/o error, fdatasync');
    assert.equal(
      isStoreUnavailable(new StoreError('disk-failed', 'store', 'the disk failed', { cause: eio })),
      true,
    );
    assert.equal(isStoreUnavailable(new StoreError('invalid', 'store', 'bad')), false);
  });

  it('is not a mistake of the request, a constraint, or a full disk', () => {
    assert.equal(isStoreUnavailable(withCode('23505', 'duplicate key')), false);
    assert.equal(isStoreUnavailable(withCode('SQLITE_FULL')), false);
    assert.equal(isStoreUnavailable(new Error('bad input')), false);
    assert.equal(isStoreUnavailable('ECONNREFUSED'), false);
  });
});
