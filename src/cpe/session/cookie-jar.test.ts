import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CookieJar } from './cookie-jar.ts';

const acs = new URL('http://acs.example.net:7547/cwmp/acs');

describe('CookieJar', () => {
  it('returns every cookie the ACS set, several of them', () => {
    const jar = new CookieJar();
    jar.store(['session=abc; Path=/; HttpOnly', 'lb=node-7'], acs);
    jar.store('third=3; Path=/cwmp', acs);
    assert.equal(jar.header(acs), 'session=abc; lb=node-7; third=3');
  });

  it('replaces a cookie by name and path, and deletes it on Max-Age=0 or a past Expires', () => {
    const jar = new CookieJar();
    jar.store(['a=1; Path=/', 'b=2; Path=/'], acs);
    jar.store('a=9; Path=/', acs);
    assert.equal(jar.header(acs), 'b=2; a=9');
    jar.store('a=; Path=/; Max-Age=0', acs);
    jar.store('b=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT', acs);
    assert.equal(jar.header(acs), undefined);
  });

  it('keeps 512 bytes and more', () => {
    const jar = new CookieJar();
    const big = 'v'.repeat(600);
    jar.store(`big=${big}; Path=/`, acs);
    assert.equal(jar.header(acs), `big=${big}`);
  });

  it('does not send a host-only cookie to another host, nor a Secure one over http', () => {
    const jar = new CookieJar();
    jar.store(['s=1; Path=/', 'sec=2; Path=/; Secure'], acs);
    assert.equal(jar.header(new URL('http://other.example.net/')), undefined);
    assert.equal(jar.header(acs), 's=1');
    assert.equal(jar.header(new URL('https://acs.example.net/cwmp')), 's=1; sec=2');
  });

  it('honours Domain and Path, refusing a Domain the host is not in', () => {
    const jar = new CookieJar();
    jar.store(['d=1; Domain=example.net; Path=/', 'evil=1; Domain=attacker.org'], acs);
    jar.store('p=1; Path=/other', acs);
    assert.equal(jar.header(new URL('http://acs2.example.net/x')), 'd=1');
    assert.equal(jar.header(acs), 'd=1');
  });
});
