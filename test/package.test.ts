/**
 * The package as a user gets it. `npm pack` in a clean copy of the tree (what git tracks or would track: no
 * dist/, no data) — which runs `prepare`, so builds — then its file list, then the tarball laid out as
 * `npm i -g` lays it out (<prefix>/lib/node_modules/corral, <prefix>/bin/corral); a small TypeScript file
 * importing `corral/cwmp` type-checked against it (its .d.ts, with this checkout's tsc); and run: `corral --version`,
 * and `corral serve` answering on loopback.
 *
 * The install is offline, as tests must be: the dependencies come from the npm cache `npm ci` filled, pinned by
 * package-lock.json (`npm i -g corral.tgz --offline` cannot work: resolving a tarball's ranges needs registry
 * metadata the cache does not hold). better-sqlite3's native binary is copied from this checkout (the same
 * pinned version) rather than compiled again, which takes minutes. Skips, saying why, where git, npm or the
 * cache is missing — except under CI=true, where that is a failure.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'corral-package-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const inCi = process.env.CI === 'true';
const nativeBinary = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
// Run with the test's own node first on the PATH (bin/corral.js says #!/usr/bin/env node), and without what
// `npm test` tells its children about this checkout: the nested npm commands are about the copies only.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
};
for (const name of Object.keys(env)) {
  if (/^(npm_package_|npm_lifecycle_|npm_config_(local_)?prefix$|INIT_CWD$)/i.test(name))
    delete env[name];
}

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** Why this machine cannot run the test, or null. */
function missing(): string | null {
  if (run('git', ['--version'], root).status !== 0) return 'git is not installed';
  if (run('npm', ['--version'], root).status !== 0) return 'npm is not installed';
  if (!existsSync(join(root, '.git'))) return 'not a git checkout';
  if (!existsSync(nativeBinary)) return 'node_modules has no better-sqlite3 binary (run npm ci)';
  return null;
}

const skip = inCi ? false : (missing() ?? false);

describe('the npm package', { skip, timeout: 240_000 }, () => {
  it('packs from a clean tree with LICENSE and the build only, installs, and runs `corral serve`', async (t) => {
    assert.equal(missing(), null);
    // 1. A clean copy: tracked and untracked-but-not-ignored files, the checkout's node_modules linked.
    const clean = join(work, 'clean');
    const listed = run(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      root,
    );
    assert.equal(listed.status, 0, listed.stderr);
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(root, file))) continue; // deleted in the working tree
      mkdirSync(dirname(join(clean, file)), { recursive: true });
      copyFileSync(join(root, file), join(clean, file));
    }
    symlinkSync(join(root, 'node_modules'), join(clean, 'node_modules'));
    assert.ok(!existsSync(join(clean, 'dist')));

    // 2. npm pack builds (prepare) and ships the build, the command, the licence — and nothing for tests.
    const packed = run('npm', ['pack', '--json', '--pack-destination', work], clean);
    assert.equal(packed.status, 0, `npm pack failed:\n${packed.stdout}\n${packed.stderr}`);
    // The build's own output precedes the JSON on stdout.
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[/m))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    const files = info!.files.map((f) => f.path);
    for (const expected of [
      'LICENSE',
      'README.md',
      'package.json',
      'bin/corral.js',
      'dist/cli/corral.js',
      'dist/cwmp/index.js',
      'dist/cwmp/index.d.ts',
    ])
      assert.ok(files.includes(expected), `${expected} is in the package`);
    // Every entry point's declarations (and its code) are in the tarball, as package.json's exports name them.
    const manifest = JSON.parse(readFileSync(join(clean, 'package.json'), 'utf8')) as {
      types?: string;
      exports: Record<string, string | { types?: string; default: string }>;
    };
    assert.equal(manifest.types, './dist/cwmp/index.d.ts');
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (entry === './package.json') continue;
      assert.equal(typeof target, 'object', `${entry} has conditions`);
      const conditions = target as { types?: string; default: string };
      assert.equal(Object.keys(conditions)[0], 'types', `${entry}: types comes first`);
      for (const path of [conditions.types!, conditions.default])
        assert.ok(files.includes(path.replace(/^\.\//, '')), `${entry}: ${path} is in the package`);
    }
    assert.deepEqual(
      files.filter((f) => /\.test\.|\/testing[/.]|\/e2e\/|\.map$|^src\//.test(f)),
      [],
      'no tests, test harnesses, source maps or sources',
    );
    assert.deepEqual(
      files.filter((f) => !/^(dist|bin)\//.test(f)),
      ['LICENSE', 'README.md', 'package.json'].filter((f) => files.includes(f)),
    );

    // 3. Laid out as `npm i -g` does; dependencies from the cache, pinned by the lock file.
    const prefix = join(work, 'prefix');
    const installed = join(prefix, 'lib/node_modules/corral');
    mkdirSync(installed, { recursive: true });
    const untar = run(
      'tar',
      ['-xzf', join(work, info!.filename), '-C', installed, '--strip-components=1'],
      work,
    );
    assert.equal(untar.status, 0, untar.stderr);
    copyFileSync(join(root, 'package-lock.json'), join(installed, 'package-lock.json'));
    const deps = run(
      'npm',
      ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'],
      installed,
    );
    if (deps.status !== 0 && /ENOTCACHED/.test(deps.stderr) && !inCi) {
      t.skip('the npm cache lacks a dependency (npm ci fills it)');
      return;
    }
    assert.equal(deps.status, 0, `npm ci --offline failed:\n${deps.stderr}`);
    const release = join(installed, 'node_modules/better-sqlite3/build/Release');
    mkdirSync(release, { recursive: true });
    copyFileSync(nativeBinary, join(release, 'better_sqlite3.node'));
    mkdirSync(join(prefix, 'bin'));
    chmodSync(join(installed, 'bin/corral.js'), 0o755);
    const corral = join(prefix, 'bin/corral');
    symlinkSync('../lib/node_modules/corral/bin/corral.js', corral);

    // 4. Its declarations type-check a user's TypeScript, with this checkout's tsc and nothing but the package:
    // the library's lib checked too (no skipLibCheck), and real types (an `any` would let the wrong line pass).
    const consumer = join(work, 'consumer');
    mkdirSync(join(consumer, 'node_modules'), { recursive: true });
    symlinkSync(installed, join(consumer, 'node_modules/corral'));
    writeFileSync(join(consumer, 'package.json'), '{"type": "module", "private": true}\n');
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['main.ts'],
      }),
    );
    writeFileSync(
      join(consumer, 'main.ts'),
      [
        "import { type CwmpEnvelope, decodeEnvelope, encodeEnvelope, type Inform } from 'corral/cwmp';",
        "import { FaultCode } from 'corral';",
        "const result = decodeEnvelope('<Envelope/>');",
        'export const envelope: CwmpEnvelope | undefined = result.ok ? result.envelope : undefined;',
        "export const serial: Inform['DeviceId']['SerialNumber'] = 'SN1';",
        "export const text: string = encodeEnvelope({ body: { method: 'InformResponse', MaxEnvelopes: 1 } });",
        'export const code: 9002 = FaultCode.InternalError;',
        '// @ts-expect-error: a SerialNumber is a string',
        "export const wrong: Inform['DeviceId']['SerialNumber'] = 42;",
        '',
      ].join('\n'),
    );
    const typecheck = run(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', consumer],
      consumer,
    );
    assert.equal(typecheck.status, 0, `tsc failed:\n${typecheck.stdout}${typecheck.stderr}`);

    // 5. It runs: the version, the library entry point, and the ACS answering.
    const version = run(corral, ['--version'], work);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), '0.1.0');
    const library = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('corral'); console.log(typeof m.decodeEnvelope)",
      ],
      installed,
    );
    assert.equal(library.stdout.trim(), 'function', library.stderr);

    const adminKey = 'a-long-enough-admin-key-for-the-package';
    const serve = spawn(
      corral,
      [
        'serve',
        '--data-dir',
        join(work, 'data'),
        '--cwmp-host',
        '127.0.0.1',
        '--file-host',
        '127.0.0.1',
        '--cwmp-port',
        '0',
        '--api-port',
        '0',
        '--file-port',
        '0',
        '--stun-port',
        '0',
      ],
      { env: { ...env, CORRAL_API_KEY: adminKey }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(serve);
    let err = '';
    serve.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    serve.stdout!.resume();
    const exit = new Promise<number | null>((resolve) => serve.once('exit', resolve));
    const deadline = Date.now() + 30_000;
    while (!/REST API listening on (\S+)/.test(err)) {
      assert.ok(
        Date.now() < deadline && serve.exitCode === null,
        `corral serve did not start:\n${err}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const api = /REST API listening on (\S+)/.exec(err)![1]!;
    const res = await fetch(`${api}/api/v1/devices`, {
      headers: { Authorization: `Bearer ${adminKey}` },
    });
    assert.equal(res.status, 200);
    serve.kill('SIGTERM');
    assert.equal(await exit, 0);
  });
});

describe('bin/corral.js', () => {
  it('says in one line that dist/ is missing, rather than a module-not-found trace', () => {
    const bare = join(work, 'no-build');
    mkdirSync(join(bare, 'bin'), { recursive: true });
    copyFileSync(join(root, 'bin/corral.js'), join(bare, 'bin/corral.js'));
    copyFileSync(join(root, 'package.json'), join(bare, 'package.json'));
    const r = run(process.execPath, [join(bare, 'bin/corral.js'), '--version'], bare);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^corral: \S+\/no-build\/dist\/ is missing: run `npm run build`/);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });
});
