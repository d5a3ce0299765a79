import { bootstrapContext, cpeContext, crContext } from './credential-rows.ts';
import { secretContext } from './parameter-rows.ts';
import { sealContext } from './preset-rows.ts';
import { SecretBox } from './secret-box.ts';
import { argsContext } from './task-rows.ts';

/** A row's values as both engines give them (text unescaped, integers as number or bigint, BLOBs as Buffer). */
export type Cell = null | bigint | number | string | Buffer;

/** The first row `sql` selects, as an array of its values, or undefined. */
export type FirstRow = (sql: string) => Promise<readonly Cell[] | undefined>;

/**
 * One sealed value of each kind a store keeps, opened with `key`: a node started with another key than the one
 * its database's secrets were sealed with refuses to start, and a copy (which moves sealed values as bytes)
 * refuses before writing. Returns what was checked (0: no such secrets yet), or throws in one line naming
 * `whose` secrets ("the database's", "the source's").
 */
export async function checkSecretKey(
  first: FirstRow,
  key: Uint8Array,
  whose: string,
): Promise<number> {
  const box = new SecretBox(key);
  const samples: {
    sql: string;
    context: (row: readonly Cell[]) => string;
    what: string;
    /** The sealed bytes of a row (default: its last cell). */
    sealed?: (row: readonly Cell[]) => Buffer | undefined;
  }[] = [
    {
      sql: 'SELECT d.id, p.path, p.sealed FROM parameters p JOIN devices d ON d.key = p.device_key WHERE p.sealed IS NOT NULL LIMIT 1',
      context: (r) => secretContext(String(r[0]), String(r[1])),
      what: 'a secret parameter value',
    },
    {
      sql: 'SELECT device_id, password FROM cpe_credentials LIMIT 1',
      context: (r) => cpeContext(String(r[0])),
      what: 'a CPE password',
    },
    {
      sql: 'SELECT device_id, sealed FROM connection_request_credentials LIMIT 1',
      context: (r) => crContext(String(r[0])),
      what: 'a connection-request credential',
    },
    {
      sql: 'SELECT username, password FROM bootstrap_credentials LIMIT 1',
      context: (r) => bootstrapContext(String(r[0])),
      what: 'a bootstrap password',
    },
    {
      // Sealed inside JSON: {"$sealed": base64} in a preset's definition, {"$secret": base64} in task arguments.
      sql: `SELECT name, definition FROM presets WHERE definition LIKE '%"$sealed"%' LIMIT 1`,
      context: (r) => sealContext(String(r[0])),
      what: "a preset's secret",
      sealed: (r) => sealedIn(r[1] ?? null, '$sealed'),
    },
    {
      sql: `SELECT d.id, t.args FROM tasks t JOIN devices d ON d.key = t.device_key WHERE t.args LIKE '%"$secret"%' LIMIT 1`,
      context: (r) => argsContext(String(r[0])),
      what: "a task's secret argument",
      sealed: (r) => sealedIn(r[1] ?? null, '$secret'),
    },
  ];
  let checked = 0;
  for (const sample of samples) {
    const row = await first(sample.sql);
    if (row === undefined) continue;
    const sealed = sample.sealed === undefined ? row.at(-1) : sample.sealed(row);
    if (!Buffer.isBuffer(sealed)) continue;
    try {
      box.open(sealed, sample.context(row));
    } catch {
      throw new Error(
        `the secret key does not open ${whose} secrets (${sample.what}): give the key they were sealed with (--secret-key-file or CORRAL_SECRET_KEY)`,
      );
    }
    checked++;
  }
  return checked;
}

/** The first `{ [tag]: base64 }` in a JSON text, as bytes. */
function sealedIn(json: Cell, tag: string): Buffer | undefined {
  if (typeof json !== 'string') return undefined;
  const walk = (v: unknown): string | undefined => {
    if (Array.isArray(v)) {
      for (const x of v) {
        const found = walk(x);
        if (found !== undefined) return found;
      }
    } else if (v !== null && typeof v === 'object') {
      const own = (v as Record<string, unknown>)[tag];
      if (typeof own === 'string') return own;
      for (const x of Object.values(v)) {
        const found = walk(x);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  try {
    const found = walk(JSON.parse(json));
    return found === undefined ? undefined : Buffer.from(found, 'base64');
  } catch {
    return undefined;
  }
}
