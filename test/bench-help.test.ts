/**
 * Every benchmark explains itself with --help (exit 0) and refuses a mistyped option (exit 2) rather than
 * running for minutes with the defaults. (Here and not beside the benches: `npm test` runs src/ and test/.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bench = (name: string, args: string[]) => {
  const path = fileURLToPath(new URL(`../bench/${name}.ts`, import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

describe('benchmarks’ command lines', () => {
  for (const name of ['codec', 'sim', 'acs', 'storm', 'connreq', 'devices', 'model-check']) {
    it(`bench/${name}.ts --help says what it measures and its options (exit 0)`, () => {
      const run = bench(name, ['--help']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(
        run.stdout,
        new RegExp(`^usage: npm run bench:${name} \\[-- options\\]\\n\\n\\S`),
      );
      assert.match(run.stdout, /--json/);
      assert.match(run.stdout, /-h, --help/);
    });

    it(`bench/${name}.ts refuses an unknown option in one line with the usage (exit 2)`, () => {
      const run = bench(name, ['--devcies', '5']);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /^unknown option --devcies\n\nusage: npm run bench:/);
      assert.equal(run.stdout, '');
    });
  }
});
