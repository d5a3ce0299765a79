/**
 * The console as Vite builds it (into a temp folder, from the current source): what the CSP needs of the page
 * (no inline script, no inline style, no module-preload polyfill), the first load within its 300 KB gzipped
 * budget, and the script editor left out of it (loaded by the presets page only).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'corral-console-build-'));
const BUDGET = 300 * 1024;
let html = '';

before(async () => {
  const { build } = await import('vite');
  await build({
    configFile: join(repo, 'src/ui/vite.config.ts'),
    logLevel: 'error',
    build: { outDir: out, emptyOutDir: true },
  });
  html = readFileSync(join(out, 'index.html'), 'utf8');
});
after(() => rmSync(out, { recursive: true, force: true }));

/** The files index.html loads: its scripts and style sheets, all under /assets/. */
function firstLoad(): string[] {
  return [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('the console build', () => {
  it('has no inline script or style for the CSP to refuse', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes!, /\bsrc="\/assets\//, 'every script is a file');
      assert.equal(body!.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /<style\b/i, 'no <style> element');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attribute');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no event handler attribute');
    assert.doesNotMatch(html, /https?:\/\//, 'nothing from another origin');
  });

  it('loads at first within 300 KB gzipped, without the script editor', () => {
    const files = ['index.html', ...firstLoad()];
    assert.ok(files.some((f) => f.endsWith('.js')) && files.some((f) => f.endsWith('.css')));
    let gzipped = 0;
    for (const f of files) gzipped += gzipSync(readFileSync(join(out, f)), { level: 9 }).length;
    process.stderr.write(`console first load: ${(gzipped / 1024).toFixed(1)} KiB gzipped\n`);
    assert.ok(gzipped <= BUDGET, `${gzipped} bytes gzipped`);
    const assets = readdirSync(join(out, 'assets'));
    const editor = assets.find((f) => f.startsWith('editor-'));
    assert.ok(editor, `a chunk of its own for the editor among ${assets.join(', ')}`);
    assert.ok(!firstLoad().includes(`assets/${editor}`), 'the editor is not in the first load');
    for (const f of firstLoad()) {
      if (f.endsWith('.js')) {
        assert.doesNotMatch(readFileSync(join(out, f), 'utf8'), /@codemirror|EditorView\.theme/);
      }
    }
  });
});
