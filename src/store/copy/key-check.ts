import { bootstrapContext, cpeContext, crContext } from '../credential-rows.ts';
import { secretContext } from '../parameter-rows.ts';
import { SecretBox } from '../secret-box.ts';
import type { Cell, CopyEndpoint } from './endpoint.ts';

/**
 * One sealed value of each kind the source keeps in a column of its own, opened with the key the copy was
 * given: sealed values are copied as bytes, so a key that cannot open them here cannot open them in the
 * target either. Returns what was checked (0: the source holds no such secrets), or throws in one line.
 */
export async function checkSecretKey(source: CopyEndpoint, key: Uint8Array): Promise<number> {
  const box = new SecretBox(key);
  const samples: { sql: string; context: (row: Cell[]) => string; what: string }[] = [
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
  ];
  let checked = 0;
  for (const sample of samples) {
    const row = await source.first(sample.sql);
    if (row === undefined) continue;
    const sealed = row.at(-1);
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
