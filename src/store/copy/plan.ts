import { type CopyEndpoint, PROGRESS_TABLE } from './endpoint.ts';

/**
 * The tables a copy moves, parents before children (the foreign keys hold at every commit). Any other table
 * both ends have is copied after these, by name.
 */
export const COPY_ORDER: readonly string[] = [
  'devices',
  'device_tags',
  'device_events',
  'parameters',
  'indexed_parameters',
  'tasks',
  'cpe_credentials',
  'connection_request_credentials',
  'bootstrap_credentials',
  'api_keys',
  'trace_sessions',
  'trace_messages',
  'files',
  'device_uploads',
  'presets',
  'audit_log',
  'campaigns',
  'campaign_devices',
  'users',
  'user_sessions',
];

/**
 * One engine's own tables, never copied: the schema's version (each store migrates itself), PostgreSQL's
 * device holds (live sessions of running nodes), the copy's own progress.
 */
export const ENGINE_ONLY: ReadonlySet<string> = new Set([
  'schema_migrations',
  'schema_version',
  'device_holds',
  PROGRESS_TABLE,
]);

export interface TablePlan {
  name: string;
  /** The source's columns, every one also in the target. */
  columns: string[];
  /** The order rows are read in, and resumed from: the primary key of the source, else of the target. */
  key: string[];
  /** The target's generated key column (given explicitly, its generator moved past the copied keys). */
  serial: string | null;
}

export async function planCopy(source: CopyEndpoint, target: CopyEndpoint): Promise<TablePlan[]> {
  const [from, to] = await Promise.all([source.tables(), target.tables()]);
  const plans: TablePlan[] = [];
  const names = [
    ...COPY_ORDER.filter((n) => from.has(n)),
    ...[...from.keys()].filter((n) => !COPY_ORDER.includes(n)).sort(),
  ];
  for (const name of names) {
    if (ENGINE_ONLY.has(name)) continue;
    const s = from.get(name)!;
    const t = to.get(name);
    if (t === undefined)
      throw new Error(
        `the target has no table ${name}, which the source has (is it an older Corral?)`,
      );
    const missing = s.columns.filter((c) => !t.columns.includes(c));
    if (missing.length > 0)
      throw new Error(`the target's table ${name} lacks the column ${missing.join(', ')}`);
    const key = s.key.length > 0 ? s.key : t.key;
    if (key.length === 0 || key.some((k) => !s.columns.includes(k)))
      throw new Error(`no key to copy the table ${name} in order`);
    plans.push({ name, columns: s.columns, key, serial: t.serial ?? s.serial });
  }
  return plans;
}
