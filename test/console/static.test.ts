/**
 * How `corral serve` serves the built console (src/api/console/static.ts): the page under its CSP and never
 * cached stale, hashed assets cached for good, the single-page app's routes answered with index.html, the API's
 * unknown routes still JSON 404s, nothing outside the build folder, and a clear word when there is no build.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CONSOLE_CSP } from '../../src/api/console/static.ts';
import { Harness } from '../../src/api/testing/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'corral-console-static-'));
const build = join(dir, 'ui');
const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/assets/app-1a2b3c.js"></script>';
let h: Harness;
let unbuilt: Harness;

before(async () => {
  mkdirSync(join(build, 'assets'), { recursive: true });
  writeFileSync(join(build, 'index.html'), INDEX);
  writeFileSync(join(build, 'assets/app-1a2b3c.js'), 'console.log(1);\n');
  writeFileSync(join(build, 'assets/app-1a2b3c.css'), 'body{}\n');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web\n');
  h = await Harness.start({ consoleDir: build });
  unbuilt = await Harness.start({ consoleDir: join(dir, 'nothing-here') });
});
after(async () => {
  await h.close();
  await unbuilt.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console’s files', () => {
  it('serves index.html at / under the CSP, without an API key, asked for again each time', async () => {
    const r = await h.request('GET', '/', { token: null });
    assert.equal(r.status, 200);
    assert.equal(r.text, INDEX);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.equal(r.headers['content-security-policy'], CONSOLE_CSP);
    assert.match(CONSOLE_CSP, /script-src 'self'/);
    assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval/);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-cache');
  });

  it('answers the single-page app’s own routes with index.html', async () => {
    for (const path of [
      '/devices',
      '/devices/02C0A1-HG2100-CRL00000001',
      '/devices/02C0A1-HG.2100-SN.1', // a dot in a device id
      '/devices/02C0A1-HGW-fw.bin',
      '/campaigns/3?x=1',
    ]) {
      const r = await h.request('GET', path, { token: null });
      assert.equal(r.status, 200, path);
      assert.equal(r.text, INDEX, path);
    }
  });

  it('serves hashed assets with their type, cached for good; a missing one is a 404, not the page', async () => {
    const js = await h.request('GET', '/assets/app-1a2b3c.js', { token: null });
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(String(js.headers['cache-control']), /immutable/);
    const css = await h.request('GET', '/assets/app-1a2b3c.css', { token: null });
    assert.match(String(css.headers['content-type']), /^text\/css/);
    for (const path of ['/assets/gone-000000.js', '/assets/x', '/favicon.ico', '/robots.txt']) {
      const missing = await h.request('GET', path, { token: null });
      assert.equal(missing.status, 404, path);
      assert.notEqual(missing.text, INDEX, path);
    }
  });

  it('keeps the API’s unknown routes JSON 404s', async () => {
    const r = await h.request('GET', '/api/v1/no-such-route', { token: null });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not-found');
  });

  it('serves nothing outside the build folder', async () => {
    for (const path of [
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
    ]) {
      const r = await h.request('GET', path, { token: null });
      assert.doesNotMatch(r.text, /not for the web/, path);
    }
  });

  it('says how to build the console when there is no build', async () => {
    const r = await unbuilt.request('GET', '/', { token: null });
    assert.equal(r.status, 503);
    assert.match(r.text, /npm run build/);
  });
});
