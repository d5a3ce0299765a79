/**
 * bench/storm.ts in a process of its own, for `bench/storm.ts --serve` and test/storm.e2e.test.ts (the rest of a
 * storm run's pieces are in src/cli/bench/serve-process.ts, which `corral bench` shares).
 */
import { spawn } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { StormReport } from '../src/cli/bench/storm-client.ts';

const STORM = fileURLToPath(new URL('./storm.ts', import.meta.url));

export interface StormRun {
  child: ReturnType<typeof spawn>;
  /** The storm's report, once it has exited (rejects if it printed none). */
  report: Promise<StormReport>;
}

/** bench/storm.ts in a process of its own; its progress lines go to `onProgress`. */
export function spawnStorm(args: string[], onProgress?: (line: string) => void): StormRun {
  const child = spawn(process.execPath, ['--import', 'tsx', STORM, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The load must not take CPU from the ACS it measures (on two cores they share): it runs at a lower priority,
  // as it would on machines of its own.
  if (child.pid !== undefined) {
    try {
      setPriority(child.pid, 10);
    } catch {
      // Not permitted here: the figures are then a little worse, never better.
    }
  }
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) onProgress?.(line);
  });
  const report = new Promise<StormReport>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(last) as StormReport);
      } catch {
        reject(new Error(`the storm ended (${code ?? signal}) without a report:\n${out}${err}`));
      }
    });
  });
  return { child, report };
}
