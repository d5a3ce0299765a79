import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CopyError, copyStore } from '../store/copy/copy.ts';
import type { CopyEndpoint } from '../store/copy/endpoint.ts';
import { countsTable, ProgressBar } from '../store/copy/progress-bar.ts';
import { parseStoreSpec, placeOf, SQLITE_FILE, type StoreSpec } from '../store/open-store.ts';
import { parseCommandLine, UsageError } from './args.ts';
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts';
import { loadSecretKey } from './secret-key.ts';

export const STORE_USAGE = `usage: corral store copy --from STORE --to STORE [options]

Copies a whole installation from one store to another: devices and their parameters, tasks, credentials,
presets, files, campaigns, users, API keys, the audit log and session traces. Secrets are copied as they are
sealed, so the target must be run with the same secret key. Stop every corral serve on both stores first.

A STORE is a data directory (sqlite:DIR, or DIR: the SQLite database DIR/corral.db) or a PostgreSQL URL
(postgres://USER:PASS@HOST:PORT/DB). Both are brought to the current schema first. The target must hold no
data. An interrupted copy (Ctrl-C, a crash, a lost connection) continues where it stopped when the same
command is run again. At the end the rows of every table are counted on both sides; a difference is an error.
The bytes of served files and device uploads are not in any database: they stay in the data directory's
files/ folder, which every node serving them needs (copy it, or share it).

  --from STORE             where the installation is now (required)
  --to STORE               where it goes (required): an empty database, or one an interrupted copy left
  --secret-key-file FILE   the master key (64 hex digits) the source's secrets are sealed with; else
                           CORRAL_SECRET_KEY (the digits) or CORRAL_SECRET_KEY_FILE, else the SQLite side's
                           DIR/secret.key. It is checked on the source's secrets before anything is copied.
  --batch-size N           rows per transaction, at most (default 1000)
  -h, --help               show this help

Example:
  corral store copy --from sqlite:./data --to postgres://corral:secret@db.example:5432/corral
  # then start each node with the same key:
  CORRAL_SECRET_KEY=$(cat ./data/secret.key) corral serve --store postgres://corral:secret@db.example:5432/corral

Exit status: 0 copied and counted equal, 1 refused or failed (the reason in one line; run again to resume),
2 usage error, 130 interrupted (run again to resume).
`;

/** `corral store copy`: one installation moved between SQLite and PostgreSQL. */
export async function storeCommand(args: readonly string[]): Promise<number> {
  let from: StoreSpec;
  let to: StoreSpec;
  let keyFile: string | null;
  let batchRows: number;
  try {
    const { values, positionals } = parseCommandLine(
      args,
      {
        from: { type: 'string' },
        to: { type: 'string' },
        'secret-key-file': { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      { allowPositionals: true },
    );
    if (values.help === true) {
      process.stdout.write(STORE_USAGE);
      return 0;
    }
    if (positionals[0] !== 'copy')
      throw new UsageError(
        positionals[0] === undefined
          ? 'say what to do: copy'
          : `unknown action "${positionals[0]}"`,
      );
    if (positionals.length > 1) throw new UsageError('too many arguments');
    if (typeof values.from !== 'string') throw new UsageError('--from STORE is required');
    if (typeof values.to !== 'string') throw new UsageError('--to STORE is required');
    from = specOf(values.from, '--from');
    to = specOf(values.to, '--to');
    if (placeOf(from) === placeOf(to)) throw new UsageError('--from and --to are the same store');
    keyFile = typeof values['secret-key-file'] === 'string' ? values['secret-key-file'] : null;
    batchRows = Number(values['batch-size'] ?? 1000);
    if (!Number.isInteger(batchRows) || batchRows < 1 || batchRows > 100_000)
      throw new UsageError('--batch-size is a whole number from 1 to 100000');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`corral store: ${error.message}\n\n${STORE_USAGE}`);
    return 2;
  }
  const secrets = [from, to].flatMap((s) => (s.engine === 'postgres' ? secretsOf(s.url) : []));
  try {
    return await copy(from, to, keyFile, batchRows);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`corral store copy: ${redact(message.split('\n')[0] ?? '', secrets)}\n`);
    return error instanceof CopyError && error.code === 'interrupted' ? 130 : 1;
  }
}

async function copy(
  from: StoreSpec,
  to: StoreSpec,
  keyFile: string | null,
  batchRows: number,
): Promise<number> {
  const env = process.env;
  if (from.engine === 'sqlite' && !existsSync(join(from.dir, SQLITE_FILE)))
    throw new Error(
      `no Corral database in ${from.dir} (${join(from.dir, SQLITE_FILE)} is missing)`,
    );
  const secretKey = keyOf(from, to, keyFile, env);
  const locks: DataDirLock[] = [];
  const ends: CopyEndpoint[] = [];
  const abort = new AbortController();
  // The first Ctrl-C stops the copy after its batch in flight (committed, so resumable); a second one at once.
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after the batch in flight (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = new ProgressBar(process.stderr, process.stderr.isTTY === true);
  try {
    // One process per data directory: no corral serve writes the source or the target meanwhile.
    if (to.engine === 'sqlite') mkdirSync(to.dir, { recursive: true, mode: 0o700 });
    for (const spec of [from, to]) if (spec.engine === 'sqlite') locks.push(lockDataDir(spec.dir));
    const source = await endpointOf(from, secretKey, false);
    ends.push(source);
    const target = await endpointOf(to, secretKey, true);
    ends.push(target);
    const started = Date.now();
    const result = await copyStore({
      source,
      target,
      secretKey,
      batchRows,
      signal: abort.signal,
      onProgress: (p) => bar.update(p),
    });
    bar.end();
    process.stdout.write(countsTable(result.counts));
    if (!result.equal) {
      process.stderr.write(
        'corral store copy: the row counts differ (was a corral serve writing to the source?); start over with an empty target\n',
      );
      return 1;
    }
    const rows = result.counts.reduce((a, c) => a + c.target, 0);
    process.stdout.write(
      `${result.resumed ? 'resumed and finished' : 'copied'}: ${rows} rows from ${source.place} to ${target.place} in ${((Date.now() - started) / 1000).toFixed(1)} s${
        result.secretsChecked > 0 ? '; the secret key opens the copied secrets' : ''
      }\n`,
    );
    if (
      to.engine === 'postgres' &&
      from.engine === 'sqlite' &&
      keyFile === null &&
      !env.CORRAL_SECRET_KEY
    )
      process.stdout.write(
        `start every node with this key: CORRAL_SECRET_KEY=$(cat ${join(from.dir, 'secret.key')}) or --secret-key-file ${join(from.dir, 'secret.key')}\n`,
      );
    if (to.engine === 'sqlite' && !existsSync(join(to.dir, 'secret.key')))
      process.stdout.write(
        `start corral serve --data-dir ${to.dir} with this key (--secret-key-file or CORRAL_SECRET_KEY): ${to.dir} has no secret.key, and a new one would not open the copied secrets\n`,
      );
    return 0;
  } finally {
    bar.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const end of ends) await end.close();
    for (const lock of locks) lock.release();
  }
}

/** Open the store with its own code first (migrating it to the current schema), then as plain rows. */
async function endpointOf(spec: StoreSpec, secretKey: Uint8Array, target: boolean) {
  const place = placeOf(spec);
  if (spec.engine === 'sqlite') {
    const path = join(spec.dir, SQLITE_FILE);
    const { openSqliteStore } = await import('../store/sqlite/sqlite-store.ts');
    await (await openSqliteStore({ path, secretKey })).close();
    const { SqliteEndpoint } = await import('../store/copy/sqlite-endpoint.ts');
    return new SqliteEndpoint(path, place);
  }
  const { openPostgresStore } = await import('../store/postgres/postgres-store.ts');
  const store = await openPostgresStore({ url: spec.url, secretKey, pool: { max: 1 } }).catch(
    (e: Error) => {
      throw new Error(`cannot open ${place}: ${explain(e.message)}`);
    },
  );
  await store.close();
  const { PostgresEndpoint } = await import('../store/copy/postgres-endpoint.ts');
  const end = await PostgresEndpoint.connect(spec.url, place).catch(
    (e: Error & { code?: string }) => {
      throw new Error(`cannot connect to ${place} (${explain(e.code ?? e.message)})`);
    },
  );
  if (target && !(await end.lock())) {
    await end.close();
    throw new Error(`another store copy is writing to ${place}`);
  }
  return end;
}

/**
 * The key from CORRAL_SECRET_KEY, --secret-key-file or CORRAL_SECRET_KEY_FILE, else the SQLite side's
 * DIR/secret.key, which must exist (a copy never makes a new key).
 */
function keyOf(
  from: StoreSpec,
  to: StoreSpec,
  keyFile: string | null,
  env: NodeJS.ProcessEnv,
): Uint8Array {
  let file = keyFile ?? (env.CORRAL_SECRET_KEY_FILE || null);
  if (file === null && !env.CORRAL_SECRET_KEY) {
    const dir = [from, to].find(
      (s) => s.engine === 'sqlite' && existsSync(join(s.dir, 'secret.key')),
    );
    if (dir === undefined || dir.engine !== 'sqlite')
      throw new Error(
        'no secret key: give --secret-key-file FILE or CORRAL_SECRET_KEY (the key the source was written with)',
      );
    file = join(dir.dir, 'secret.key');
  }
  try {
    return loadSecretKey({ dataDir: '.', file, env }).key;
  } catch (error) {
    throw new Error(`the secret key: ${(error as Error).message}`);
  }
}

function specOf(spec: string, option: string): StoreSpec {
  try {
    return parseStoreSpec(spec);
  } catch (error) {
    throw new UsageError(`${option}: ${(error as Error).message}`);
  }
}

/** PostgreSQL's and the system's error codes a user meets first, in words. */
const CODES: Record<string, string> = {
  '3D000': 'no such database',
  '28P01': 'password authentication failed',
  '28000': 'not allowed to connect',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'unknown host',
  ETIMEDOUT: 'timed out',
};

function explain(message: string): string {
  return message.replace(
    /\b(3D000|28P01|28000|ECONNREFUSED|ENOTFOUND|ETIMEDOUT)\b/,
    (c) => `${c}: ${CODES[c]}`,
  );
}

/** The URL and its password, as they might appear in a driver's message. */
function secretsOf(url: string): string[] {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  return [url, u.password, password].filter((s) => s.length >= 3);
}

function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}
