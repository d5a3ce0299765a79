import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCookies, SESSION_COOKIE, sessionCookie } from './cookies.ts';

describe('parseCookies', () => {
  it('reads cookies separated by semicolons or commas (quirk 2)', () => {
    assert.deepEqual(
      [...parseCookies('a=1; b=2, c=3 ;d="4"')],
      [
        ['a', '1'],
        ['b', '2'],
        ['c', '3'],
        ['d', '4'],
      ],
    );
  });

  it('keeps the first of duplicate names and skips fragments without a name', () => {
    assert.deepEqual([...parseCookies('=x; a=1; junk; a=2')], [['a', '1']]);
  });

  it('is bounded: a header with thousands of cookies yields at most the cap', () => {
    const header = Array.from({ length: 5000 }, (_, i) => `c${i}=${i}`).join('; ');
    assert.equal(parseCookies(header).size, 32);
  });

  it('reads back the session cookie it sets', () => {
    const setCookie = sessionCookie('abc123');
    assert.match(setCookie, /; Path=\//);
    assert.equal(parseCookies(setCookie.split(';')[0]).get(SESSION_COOKIE), 'abc123');
  });
});
