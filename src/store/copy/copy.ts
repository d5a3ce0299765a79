import { checkSecretKey } from '../secret-key-check.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { Cell, CopyEndpoint } from './endpoint.ts';
import { planCopy, type TablePlan } from './plan.ts';

/** A copy refused or stopped: its message is one line for the user. */
export class CopyError extends Error {
  override readonly name = 'CopyError';
  readonly code: 'not-empty' | 'other-copy' | 'interrupted';

  constructor(code: CopyError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface CopyProgress {
  table: string;
  /** Rows of this table in the target so far, and in the source. */
  tableRows: number;
  tableTotal: number;
  /** Rows of every table. */
  copied: number;
  total: number;
}

export interface CopyOptions {
  source: CopyEndpoint;
  target: CopyEndpoint;
  /** The master key the source's secrets are sealed with (checked on a sample before anything is written). */
  secretKey: Uint8Array;
  /** Rows per batch (one transaction each), at most; default 1000. */
  batchRows?: number;
  /** Stops the copy between two batches (CopyError 'interrupted'); a new run resumes it. */
  signal?: AbortSignal;
  onProgress?: (progress: CopyProgress) => void;
  /** Called after each committed batch (tests stop a copy here). */
  afterBatch?: (table: string, rows: number) => void | Promise<void>;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface CopyResult {
  counts: TableCount[];
  /** Every table's counts agree (the copy is complete: its progress table is gone). */
  equal: boolean;
  /** Rows copied by this run (a resumed copy counts only its own). */
  copied: number;
  resumed: boolean;
  /** Sealed values opened with the key as a check (0: the source had none of the kinds checked). */
  secretsChecked: number;
}

/** Batches stay under this many bytes of values, roughly: a batch of large trace messages shrinks. */
const BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Copy every table of `source` into `target` (both already migrated to the current schema by their store),
 * table by table in key order, a batch per transaction that also records how far it got, so a copy stopped
 * anywhere resumes where it stopped. The target must hold no data, except that of an interrupted copy from the
 * same source. Ends with every table's row count compared.
 */
export async function copyStore(options: CopyOptions): Promise<CopyResult> {
  const { source, target } = options;
  const description = `${source.place} -> ${target.place}`;
  await source.snapshot();
  const plans = await planCopy(source, target);
  const progress = await target.readProgress();
  if (progress === null) {
    const held: string[] = [];
    for (const p of plans) {
      const n = await target.count(p.name);
      if (n > 0) held.push(`${p.name}: ${n} row${n === 1 ? '' : 's'}`);
    }
    if (held.length > 0)
      throw new CopyError(
        'not-empty',
        `the target ${target.place} already holds data (${held.slice(0, 4).join(', ')}${held.length > 4 ? ', …' : ''}); copy into an empty database`,
      );
  } else {
    const started = progress.get('*')?.lastKey;
    if (started !== description)
      throw new CopyError(
        'other-copy',
        `the target holds an interrupted copy (${started ?? 'of unknown origin'}); run that copy again to finish it, or start over with an empty database`,
      );
  }
  const secretsChecked = await checkSecretKey(
    (sql) => source.first(sql),
    options.secretKey,
    "the source's",
  );
  if (progress === null) await target.startProgress(description);

  const totals = new Map<string, number>();
  for (const p of plans) totals.set(p.name, await source.count(p.name));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  let done = 0;
  let copied = 0;
  for (const plan of plans) {
    const before = progress?.get(plan.name);
    const tableTotal = totals.get(plan.name)!;
    if (before?.done === true) {
      done += before.rows;
      continue;
    }
    let rows = before?.rows ?? 0;
    done += rows;
    const report = () =>
      options.onProgress?.({ table: plan.name, tableRows: rows, tableTotal, copied: done, total });
    report();
    await copyTable(plan, before?.lastKey ?? null, rows, options, (batch) => {
      rows += batch;
      done += batch;
      copied += batch;
      report();
    });
  }

  // Generated keys carry on past the copied ones (and past any the source handed out and deleted).
  for (const plan of plans) {
    if (plan.serial === null) continue;
    const high = await source.highWater(plan.name, plan.serial);
    await target.raiseHighWater(plan.name, plan.serial, high);
  }
  const counts: TableCount[] = [];
  for (const plan of plans) {
    counts.push({
      table: plan.name,
      source: totals.get(plan.name)!,
      target: await target.count(plan.name),
    });
  }
  const equal = counts.every((c) => c.source === c.target);
  if (equal) await target.dropProgress();
  return { counts, equal, copied, resumed: progress !== null, secretsChecked };
}

/** One table from its recorded position to its end; returns its rows in the target. */
async function copyTable(
  plan: TablePlan,
  lastKey: string | null,
  rows: number,
  options: CopyOptions,
  onBatch: (rows: number) => void,
): Promise<number> {
  const { source, target } = options;
  const most = Math.max(1, options.batchRows ?? 1000);
  let limit = most;
  const keyAt = plan.key.map((k) => plan.columns.indexOf(k));
  let after: Cell[] | null = lastKey === null ? null : decodeCursor(lastKey);
  for (;;) {
    if (options.signal?.aborted === true)
      throw new CopyError('interrupted', 'interrupted; run the same command again to resume');
    const batch = await source.readBatch(plan.name, plan.columns, plan.key, after, limit);
    const finished = batch.length < limit;
    if (batch.length > 0) {
      const last = batch.at(-1)!;
      after = keyAt.map((i) => last[i] ?? null);
      rows += batch.length;
    }
    await target.writeBatch(plan.name, plan.columns, plan.serial, batch, {
      table: plan.name,
      rows,
      lastKey: after === null ? null : encodeCursor(after),
      done: finished,
    });
    onBatch(batch.length);
    if (finished) return rows;
    await options.afterBatch?.(plan.name, rows);
    const bytes = sizeOf(batch);
    if (bytes > BATCH_BYTES) limit = Math.max(1, Math.floor(limit / 2));
    else if (bytes < BATCH_BYTES / 4 && limit < most) limit = Math.min(most, limit * 2);
  }
}

function sizeOf(rows: readonly Cell[][]): number {
  let bytes = 0;
  for (const row of rows) {
    for (const c of row) {
      if (typeof c === 'string') bytes += c.length * 2;
      else if (Buffer.isBuffer(c)) bytes += c.length;
      else bytes += 8;
    }
  }
  return bytes;
}
