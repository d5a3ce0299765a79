import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./corral.ts', import.meta.url));

function corral(args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('corral', () => {
  it('shows each command’s help with `corral help COMMAND` (exit 0)', () => {
    const expected: Record<string, RegExp> = {
      serve: /^Usage: corral serve/,
      sim: /^usage: corral sim/,
      decode: /^usage: corral decode/,
    };
    for (const [command, usage] of Object.entries(expected)) {
      const run = corral(['help', command]);
      assert.equal(run.status, 0, `help ${command}: ${run.stderr}`);
      assert.match(run.stdout, usage);
    }
    assert.match(corral(['help']).stdout, /help \[COMMAND\]/);
  });

  it('refuses an unknown command in one line with the usage (exit 2)', () => {
    for (const args of [['frobnicate'], ['help', 'frobnicate']]) {
      const run = corral(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /^corral: unknown command "frobnicate"\n\nCorral —/);
    }
  });
});
