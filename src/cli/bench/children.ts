/**
 * The bench's helper processes — the load generator and the floor — started as `corral bench` again with
 * CORRAL_BENCH_CHILD naming the role, each pinned to a core, spoken to over the IPC channel: one job at a time,
 * progress while it runs, its result at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CANNED_INFORM_RESPONSE, startFloorAcs } from './floor-acs.ts';
import type { LoadJob, LoadMessage, LoadResult } from './loader.ts';
import { corralCommand } from './node-child.ts';

/** The environment variable that turns `corral bench` into one of its own children. */
export const CHILD_ROLE_ENV = 'CORRAL_BENCH_CHILD';
export type ChildRole = 'load' | 'floor';

export interface BenchChild {
  pid: number;
  /** The child's ready message: the load's connection-request base, the floor's URL. */
  ready: string;
  run<R extends LoadResult>(
    job: LoadJob | FloorJob,
    onProgress?: (done: number) => void,
  ): Promise<R>;
  stop(): Promise<void>;
}

/** The floor's one job: the bodies it answers a session with. */
export interface FloorJob {
  kind: 'turns';
  turns: string[];
}

export async function startChild(role: ChildRole, cpu: number | undefined): Promise<BenchChild> {
  const command = corralCommand(['bench'], cpu);
  const child: ChildProcess = spawn(command.file, command.args, {
    env: { ...process.env, [CHILD_ROLE_ENV]: role },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const waiting = new Map<
    number,
    { resolve: (r: LoadResult) => void; reject: (e: Error) => void; progress?: (n: number) => void }
  >();
  let nextId = 1;
  let readyResolve: (s: string) => void = () => {};
  const ready = new Promise<string>((resolve, reject) => {
    readyResolve = resolve;
    child.once('exit', (code, signal) => {
      const error = new Error(
        `the bench's ${role} process ended (${code ?? signal}): ${err.trim()}`,
      );
      reject(error);
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    });
  });
  child.on('message', (m: LoadMessage | { type: 'ready'; url: string }) => {
    if (m.type === 'ready') readyResolve('url' in m ? m.url : m.connectionRequestBase);
    else if (m.type === 'progress') waiting.get(m.id)?.progress?.(m.done);
    else {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.type === 'result') w?.resolve(m.result);
      else w?.reject(new Error(`the bench's ${role} process: ${m.message}`));
    }
  });
  const url = await ready;
  return {
    pid: child.pid!,
    ready: url,
    run: <R extends LoadResult>(job: LoadJob | FloorJob, onProgress?: (done: number) => void) =>
      new Promise<R>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, {
          resolve: resolve as (r: LoadResult) => void,
          reject,
          ...(onProgress ? { progress: onProgress } : {}),
        });
        child.send({ id, job });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The floor's process: a canned-bytes responder, its URL sent when it listens, its turns set on request. */
async function floorChild(): Promise<void> {
  const floor = await startFloorAcs();
  process.on('message', (m: { id: number; job: FloorJob }) => {
    const turns = m.job.turns.map((t) => Buffer.from(t, 'utf8'));
    floor.setTurns(turns.length > 0 ? turns : [CANNED_INFORM_RESPONSE]);
    process.send?.({ type: 'result', id: m.id, result: { ok: true } });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url: floor.url });
}

/** Runs this process as the child `role` names (until the harness disconnects). */
export async function runChild(role: string): Promise<number> {
  if (role === 'floor') await floorChild();
  else if (role === 'load') await (await import('./loader.ts')).loaderChild();
  else {
    process.stderr.write(`corral bench: unknown ${CHILD_ROLE_ENV} role "${role}"\n`);
    return 2;
  }
  // The IPC channel keeps the process alive; it exits on disconnect.
  return 0;
}
