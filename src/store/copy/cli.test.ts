import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestPostgres, type TestPostgres } from '../postgres/testing/embedded-postgres.ts';
import { makeInstallation, removeInstallations } from './testing.ts';

// `corral store copy` as a user runs it: a child process, its output and exit status.
const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# store copy command tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);
after(() => server?.stop());
after(removeInstallations);

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function corral(
  args: string[],
  onStderr?: (text: string, interrupt: () => void, kill: () => void) => void,
): Promise<Run> {
  const env = { ...process.env };
  delete env.CORRAL_SECRET_KEY;
  delete env.CORRAL_SECRET_KEY_FILE;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/corral.ts', ...args], {
    cwd: ROOT,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr?.(
      stderr,
      () => child.kill('SIGINT'),
      () => child.kill('SIGKILL'),
    );
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}

describe('corral store copy (the command)', { skip }, () => {
  it('explains every option with an example; a usage mistake exits 2', async () => {
    const help = await corral(['store', 'copy', '--help']);
    assert.equal(help.code, 0);
    for (const word of ['--from', '--to', '--secret-key-file', '--batch-size', 'Example'])
      assert.ok(help.stdout.includes(word), word);
    const missing = await corral(['store', 'copy', '--from', 'sqlite:./nowhere']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^corral store: --to STORE is required\n/);
  });

  it('copies, prints the counts, refuses a second copy into the same database, never prints the password', async () => {
    const { dir } = await makeInstallation(6);
    await server!.createDatabase('cli_copy');
    const url = server!.url('cli_copy');
    const password = new URL(url).password;
    const run = await corral(['store', 'copy', '--from', `sqlite:${dir}`, '--to', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^table +source +target\n/);
    assert.match(run.stdout, /\ndevices +6 +6\n/);
    assert.match(
      run.stdout,
      /copied: \d+ rows from sqlite:.* to postgres:\/\/127\.0\.0\.1:\d+\/cli_copy/,
    );
    assert.match(run.stdout, /the secret key opens the copied secrets/);
    const again = await corral(['store', 'copy', '--from', `sqlite:${dir}`, '--to', url]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^corral store copy: the target postgres:\/\/127\.0\.0\.1:\d+\/cli_copy already holds data \(devices: 6 rows.*\n$/,
    );
    const wrong = await corral([
      'store',
      'copy',
      '--from',
      `sqlite:${dir}`,
      '--to',
      url.replace(password, 'Wr0ngPassw0rd'),
    ]);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.split('\n').length, 2, `one line: ${wrong.stderr}`);
    for (const r of [run, again, wrong]) {
      assert.ok(!(r.stdout + r.stderr).includes(password));
      assert.ok(!(r.stdout + r.stderr).includes('Wr0ngPassw0rd'));
    }
  });

  it('killed outright mid-copy, the same command finishes it', async () => {
    const { dir } = await makeInstallation(30);
    await server!.createDatabase('cli_killed');
    const url = server!.url('cli_killed');
    const args = ['store', 'copy', '--from', `sqlite:${dir}`, '--to', url, '--batch-size', '1'];
    let sent = false;
    const killed = await corral(args, (text, _, kill9) => {
      if (!sent && text.includes('copying device_events')) {
        sent = true;
        kill9();
      }
    });
    assert.equal(killed.signal, 'SIGKILL');
    const resumed = await corral(args);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /\nparameters +120 +120\n/);
    assert.match(resumed.stdout, /resumed and finished/);
  });

  it('stops at Ctrl-C between two batches, and the same command finishes the copy', async () => {
    const { dir } = await makeInstallation(30);
    await server!.createDatabase('cli_resume');
    const url = server!.url('cli_resume');
    const args = ['store', 'copy', '--from', `sqlite:${dir}`, '--to', url, '--batch-size', '1'];
    let sent = false;
    const stopped = await corral(args, (text, kill) => {
      if (!sent && text.includes('copying devices')) {
        sent = true;
        kill();
      }
    });
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /interrupted; run the same command again to resume\n$/);
    const resumed = await corral(args);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /\ndevices +30 +30\n/);
    assert.match(resumed.stdout, /resumed and finished/);
  });
});
