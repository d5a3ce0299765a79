import { bootstrapContext, cpeContext, crContext } from '../credential-rows.ts';
import { secretContext } from '../parameter-rows.ts';
import { sealContext } from '../preset-rows.ts';
import { SecretBox } from '../secret-box.ts';
import { argsContext } from '../task-rows.ts';
import type { Cell, CopyEndpoint } from './endpoint.ts';

/**
 * One sealed value of each kind the source keeps in a column of its own, opened with the key the copy was
 * given: sealed values are copied as bytes, so a key that cannot open them here cannot open them in the
 * target either. Returns what was checked (0: the source holds no such secrets), or throws in one line.
 */
export async function checkSecretKey(source: CopyEndpoint, key: Uint8Array): Promise<number> {
  const box = new SecretBox(key);
  const samples: {
    sql: string;
    context: (row: Cell[]) => string;
    what: string;
    /** The sealed bytes of a row (default: its last cell). */
    sealed?: (row: Cell[]) => Buffer | undefined;
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
    const row = await source.first(sample.sql);
    if (row === undefined) continue;
    const sealed = sample.sealed === undefined ? row.at(-1) : sample.sealed(row);
    if (!Buffer.isBuffer(sealed)) continue;
    try {
      box.open(sealed, sample.context(row));
    } catch {
      throw new Error(
        `the secret key does not open the source's secrets (${sample.what}): give the key the source was written with (--secret-key-file or CORRAL_SECRET_KEY)`,
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
