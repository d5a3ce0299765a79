import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SecretBox } from '../secret-box.ts';
import { settingsOf } from '../settings.ts';
import { SECRET_KEY } from '../suite/harness.ts';
import { PgContext, poolOf } from './context.ts';
import { startTestPostgres, type TestPostgres } from './testing/embedded-postgres.ts';

const started = await startTestPostgres();
const skip = 'skip' in started ? started.skip : undefined;
if (skip !== undefined) console.log(`# postgres context tests skipped: ${skip}`);
const server = 'skip' in started ? undefined : (started as TestPostgres);

let ctx: PgContext;

before(async () => {
  if (server === undefined) return;
  await server.createDatabase('corral_context');
  // One connection: what one statement prepared, the next call finds.
  ctx = new PgContext(
    poolOf({ connectionString: server.url('corral_context'), max: 1 }),
    new SecretBox(SECRET_KEY),
    settingsOf({ secretKey: SECRET_KEY }),
    Date.now,
  );
  await ctx.run('CREATE TABLE things (id integer PRIMARY KEY, name text)');
  await ctx.run("INSERT INTO things VALUES (1, 'one')");
});

after(async () => {
  await ctx?.close();
  await server?.stop();
});

const SELECT = 'SELECT * FROM things WHERE id = ?';

async function prepared(): Promise<string[]> {
  return ctx.read(async () =>
    (await ctx.all<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).map(
      (r) => r.statement,
    ),
  );
}

describe('PostgreSQL statements', { skip }, () => {
  it('a statement run often is prepared once per connection; one run twice is not', async () => {
    await ctx.get('SELECT name FROM things WHERE id = ?', 1);
    await ctx.get('SELECT name FROM things WHERE id = ?', 1);
    for (let i = 0; i < 3; i++) assert.deepEqual(await ctx.get(SELECT, 1), { id: 1, name: 'one' });
    const statements = await prepared();
    assert.ok(statements.includes('SELECT * FROM things WHERE id = $1'), String(statements));
    assert.ok(!statements.includes('SELECT name FROM things WHERE id = $1'));
  });

  it('a table changed under a prepared SELECT * (another node migrated): the call still answers, in a transaction too', async () => {
    await ctx.run('ALTER TABLE things ADD COLUMN colour text');
    assert.deepEqual(await ctx.get(SELECT, 1), { id: 1, name: 'one', colour: null });
    const other = 'SELECT * FROM things WHERE id = ? AND name IS NOT NULL';
    for (let i = 0; i < 3; i++) await ctx.get(other, 1);
    await ctx.run('ALTER TABLE things ADD COLUMN size integer');
    const inWrite = await ctx.write(() => ctx.get(other, 1));
    assert.deepEqual(inWrite, { id: 1, name: 'one', colour: null, size: null });
  });
});
