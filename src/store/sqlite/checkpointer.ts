import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CHECKPOINT_WORKER_SOURCE } from './checkpoint-worker.ts';

/**
 * Checkpoints of the WAL off the event loop. Left to SQLite, the connection whose commit takes the WAL past
 * 1,000 pages copies them into the database file and fsyncs it, inside that COMMIT: tens of milliseconds in which
 * the event loop answers no one (S1 at half load: a p99 of 64-77 ms in the slices that met one, 18-25 ms in the
 * others). So the store's connection never checkpoints (`wal_autocheckpoint = 0`) and a thread of its own
 * (checkpoint-worker.ts) does, with its own connection, at most every `intervalMs` while commits come and never
 * when none do. If the thread fails (it cannot open the file, a checkpoint errs, it dies), the store's
 * connection checkpoints for itself again (`fallBack`) and the failure is reported once: nothing is lost,
 * only the latency it saved.
 *
 * The WAL starts over only when a write transaction begins with all of it checkpointed. Under load the store's
 * connection begins its next group the moment it commits one, never at such a moment, and the WAL would grow
 * without end (330 MB in 20 s of S2). So once the thread has checkpointed a WAL of `restartFrames` or more,
 * the store tops it up after its next commit (`topUp`: the frames committed since, a few ms of writes, and the
 * database file's sync), and its next group starts the WAL over. The top-up waits on the disk on the event loop,
 * so it comes rarely: every 40 MB of WAL by default (at 1,000 frames, S1's p99 at half load was no better than
 * with SQLite's own checkpoints; at 10,000, B/A 0.84).
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #intervalMs: number;
  readonly #restartFrames: number;
  readonly #hooks: CheckpointerHooks;
  #ready = false;
  #busy = false;
  #pending = false;
  #timer: NodeJS.Timeout | undefined;
  #failed = false;
  #topUpDue = false;
  #closing: Promise<void> | undefined;
  readonly #exited: Promise<void>;

  constructor(path: string, options: CheckpointerOptions, hooks: CheckpointerHooks) {
    this.#intervalMs = options.intervalMs;
    this.#restartFrames = options.restartFrames ?? DEFAULT_RESTART_FRAMES;
    this.#hooks = hooks;
    this.#worker = new Worker(CHECKPOINT_WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: DRIVER,
        path,
        synchronous: options.synchronous,
      } satisfies CheckpointWorkerData,
    });
    this.#worker.unref();
    this.#worker.on('message', (m: CheckpointReply) => this.#onReply(m));
    this.#worker.on('error', (e) => this.#fail(e.message));
    this.#exited = new Promise((resolve) =>
      this.#worker.once('exit', (code) => {
        if (this.#closing === undefined) this.#fail(`the thread exited (code ${code})`);
        resolve();
      }),
    );
  }

  /** The store has just committed (outside any transaction): a checkpoint is due within `intervalMs`. */
  committed(): void {
    this.#pending = true;
    if (this.#topUpDue) {
      this.#topUpDue = false;
      this.#hooks.topUp();
    }
    this.#schedule();
  }

  /** Stops the thread (its last checkpoint, if one is running, ends first); the store then closes its own. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#timer);
      if (!this.#failed) this.#worker.postMessage('close');
      const killed = setTimeout(() => void this.#worker.terminate(), CLOSE_GRACE_MS);
      await this.#exited;
      clearTimeout(killed);
    })();
    return this.#closing;
  }

  #schedule(): void {
    if (!this.#ready || this.#busy || this.#timer !== undefined || this.#failed) return;
    if (this.#closing !== undefined || !this.#pending) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#closing !== undefined || this.#failed) return;
      this.#pending = false;
      this.#busy = true;
      this.#worker.postMessage('checkpoint');
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #onReply(reply: CheckpointReply): void {
    switch (reply.kind) {
      case 'ready':
        this.#ready = true;
        break;
      case 'checkpointed':
        this.#busy = false;
        if (reply.frames >= this.#restartFrames && reply.copied === reply.frames) {
          this.#topUpDue = true;
        }
        break;
      case 'failed':
        this.#fail(reply.message);
        return;
    }
    this.#schedule();
  }

  #fail(message: string): void {
    if (this.#failed) return;
    this.#failed = true;
    clearTimeout(this.#timer);
    this.#hooks.fallBack();
    this.#hooks.failed(
      `background WAL checkpoints stopped (${message}); the store checkpoints as it commits`,
    );
    void this.#worker.terminate();
  }
}

export interface CheckpointerOptions {
  /** The store connection's `synchronous`: the checkpoint syncs the database file as durably. */
  synchronous: 'full' | 'normal';
  /** The longest a commit waits for its pages to be checkpointed. */
  intervalMs: number;
  /** A WAL of this many frames or more is started over; default DEFAULT_RESTART_FRAMES. */
  restartFrames?: number;
}

export interface CheckpointerHooks {
  /** The thread failed: the store's own connection must checkpoint again. */
  fallBack(): void;
  /** A PASSIVE checkpoint on the store's own connection, between its transactions (never throws). */
  topUp(): void;
  /** Why, in one line (no path to a secret: only SQLite's message and the file's name are in it). */
  failed(message: string): void;
}

/** What the thread is given (checkpoint-worker.ts). */
export interface CheckpointWorkerData {
  /** better-sqlite3's entry, resolved here. */
  driver: string;
  path: string;
  synchronous: 'full' | 'normal';
}

/** What the thread answers. */
export type CheckpointReply =
  | { kind: 'ready' }
  /** The WAL's frames, and how many of them are in the database file now. */
  | { kind: 'checkpointed'; frames: number; copied: number }
  | { kind: 'failed'; message: string };

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 200;
/** 40 MiB of 4 KiB pages (SQLite checkpoints its WAL at 1,000). */
export const DEFAULT_RESTART_FRAMES = 10_000;
const CLOSE_GRACE_MS = 5_000;
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');
