/**
 * The bench's progress on stderr: one bar redrawn in place on a terminal, plain lines otherwise (a phase's start
 * and end, so that a CI log says where a run stood).
 */
export class Progress {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly #tty: boolean;
  #phase = '';
  #total: number | undefined;
  #began = 0;
  #timer: NodeJS.Timeout | undefined;
  #done = 0;

  constructor(out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, quiet = false) {
    this.#out = quiet ? ({ write: () => true, isTTY: false } as never) : out;
    this.#tty = !quiet && out.isTTY === true;
  }

  /** A new phase: `total` sessions to go (a bar), or a duration in ms when `timed` (a bar by time). */
  phase(name: string, total?: number, timedMs?: number): void {
    this.#finishLine();
    this.#phase = name;
    this.#total = total;
    this.#done = 0;
    this.#began = Date.now();
    if (!this.#tty) {
      this.#out.write(`bench: ${name}…\n`);
      return;
    }
    this.#timer = setInterval(() => this.#draw(timedMs), 200);
    this.#timer.unref();
    this.#draw(timedMs);
  }

  update(done: number): void {
    this.#done = done;
  }

  /** The phase's outcome in one line. */
  end(summary: string): void {
    this.#finishLine();
    this.#out.write(`bench: ${this.#phase}: ${summary}\n`);
    this.#phase = '';
  }

  note(line: string): void {
    this.#finishLine();
    this.#out.write(`bench: ${line}\n`);
  }

  #finishLine(): void {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#out.write('\r\x1b[K');
    }
  }

  #draw(timedMs: number | undefined): void {
    const elapsed = Date.now() - this.#began;
    const fraction =
      timedMs !== undefined
        ? elapsed / timedMs
        : this.#total !== undefined && this.#total > 0
          ? this.#done / this.#total
          : undefined;
    const width = 24;
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(Math.min(1, fraction) * width)).padEnd(width, '-')}] `;
    const count =
      this.#total !== undefined ? `${this.#done}/${this.#total}` : `${this.#done} sessions`;
    const line = `${bar}${this.#phase}  ${count}  ${(elapsed / 1000).toFixed(1)} s`;
    this.#out.write(`\r\x1b[K${line.slice(0, (this.#out.columns ?? 100) - 1)}`);
  }
}
