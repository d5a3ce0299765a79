/**
 * What the bench reads about a process and the machine from /proc: CPU time (utime + stime), resident memory,
 * the CPU model and core count; the Node version and the git commit beside them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(out.stdout?.trim());
    ticks = out.status === 0 && n > 0 ? n : 100;
  }
  return ticks;
}

/** utime + stime of `pid` in seconds; undefined where /proc cannot say (not Linux, process gone). */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped: the peak and the last. */
export function watchRss(pid: number, everyMs = 100) {
  let peak = rssBytes(pid) ?? 0;
  let last = peak;
  const timer = setInterval(() => {
    const now = rssBytes(pid);
    if (now === undefined) return;
    last = now;
    if (now > peak) peak = now;
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return { peakBytes: peak, lastBytes: last };
    },
  };
}

/** The CPU seconds of `pid` and every process under it (`corral serve --workers`, a PostgreSQL server). */
export function treeCpuSeconds(pid: number): number | undefined {
  const own = cpuSeconds(pid);
  if (own === undefined) return undefined;
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return own;
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(parent) ?? [];
      list.push(Number(entry));
      children.set(parent, list);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const next = stack.pop()!;
    total += cpuSeconds(next) ?? 0;
    stack.push(...(children.get(next) ?? []));
  }
  return total;
}

/** What reads the CPU seconds of `pid`, or `pid` itself when it is already such a reader. */
export function cpuReader(pid: number | (() => number | undefined)): () => number | undefined {
  return typeof pid === 'number' ? () => cpuSeconds(pid) : pid;
}

/** CPU seconds a process (by default with the processes under it) spends while `work` runs. */
export async function measuredCpu<T>(
  pid: number | (() => number | undefined),
  work: () => Promise<T>,
): Promise<{ value: T; cpuSeconds: number | undefined }> {
  const read = cpuReader(pid);
  const before = read();
  const value = await work();
  const after = read();
  return {
    value,
    cpuSeconds: before === undefined || after === undefined ? undefined : after - before,
  };
}

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  commit: string | null;
  taskset: boolean;
}

export function machineInfo(taskset: boolean): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m !== null) cpuModel = m[1]!.trim();
  } catch {
    // Not Linux: os.cpus() said what it could.
  }
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: new URL('.', import.meta.url),
    encoding: 'utf8',
  });
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: new URL('.', import.meta.url),
    encoding: 'utf8',
  });
  const commit =
    git.status === 0 ? `${git.stdout.trim()}${dirty.stdout?.trim() ? ' (modified)' : ''}` : null;
  return {
    cores: cpus().length,
    cpuModel,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    commit,
    taskset,
  };
}

/**
 * Waits until the process whose CPU time `read` gives has been idle (under `busyShare` of a core) for a whole
 * `windowMs`, or `timeoutMs` passed, and says how long that took: what the last run left behind (a second's
 * trace evictions, a WAL checkpoint, the sessions a closed loop's end left in the accept queue) is done before
 * the next run is measured, so that a run at half load does not start with a saturated run's tail.
 */
export async function quiet(
  read: () => number | undefined,
  { windowMs = 200, busyShare = 0.05, timeoutMs = 10_000 } = {},
): Promise<number> {
  const began = performance.now();
  let last = read();
  while (last !== undefined && performance.now() - began < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = read();
    if (now === undefined || now - last <= (busyShare * windowMs) / 1000) break;
    last = now;
  }
  return performance.now() - began;
}
