import type { CopyProgress, TableCount } from './copy.ts';

const WIDTH = 30;

/**
 * A copy's progress on a stream: a bar redrawn in place on a terminal (at most ten times a second), plain
 * lines otherwise (one as each table starts, and every ten seconds during a long one).
 */
export class ProgressBar {
  readonly #out: NodeJS.WritableStream;
  readonly #tty: boolean;
  readonly #now: () => number;
  #drawnAt = 0;
  #table = '';
  #drawn = false;

  constructor(out: NodeJS.WritableStream, tty: boolean, now: () => number = Date.now) {
    this.#out = out;
    this.#tty = tty;
    this.#now = now;
  }

  update(p: CopyProgress): void {
    const now = this.#now();
    const newTable = p.table !== this.#table;
    this.#table = p.table;
    const end = p.copied >= p.total;
    if (this.#tty) {
      if (!newTable && !end && now - this.#drawnAt < 100) return;
      this.#drawnAt = now;
      const share = p.total === 0 ? 1 : Math.min(1, p.copied / p.total);
      const filled = Math.round(share * WIDTH);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${Math.floor(share * 100)
        .toString()
        .padStart(
          3,
        )}% ${p.copied.toLocaleString('en')}/${p.total.toLocaleString('en')} rows  ${p.table} ${p.tableRows}/${p.tableTotal}`;
      this.#out.write(`\r\x1b[2K${line}`);
      this.#drawn = true;
      return;
    }
    if (newTable || now - this.#drawnAt >= 10_000) {
      this.#drawnAt = now;
      this.#out.write(
        `copying ${p.table}: ${p.tableRows}/${p.tableTotal} rows (${p.copied}/${p.total} in all)\n`,
      );
    }
  }

  /** Ends the bar's line (before anything else is written). */
  end(): void {
    if (this.#drawn) this.#out.write('\n');
    this.#drawn = false;
  }
}

/** The counts of every table, source beside target, with the tables that differ marked. */
export function countsTable(counts: readonly TableCount[]): string {
  const width = Math.max(5, ...counts.map((c) => c.table.length));
  const num = (n: number) => n.toLocaleString('en').padStart(12);
  const lines = [`${'table'.padEnd(width)} ${'source'.padStart(12)} ${'target'.padStart(12)}`];
  for (const c of counts) {
    lines.push(
      `${c.table.padEnd(width)} ${num(c.source)} ${num(c.target)}${c.source === c.target ? '' : '  MISMATCH'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
