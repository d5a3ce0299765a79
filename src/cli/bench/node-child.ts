/**
 * How the bench starts its children — `corral serve`, the floor, the load generator: the same Node, the same
 * flags (the tsx loader from a source checkout, nothing from dist/) and the same `corral` entry as this process,
 * each pinned to a core of its own with `taskset -c` where that exists.
 */
import { spawnSync } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
/** src/cli/corral.ts from a checkout, dist/cli/corral.js once built. */
export const CORRAL_ENTRY = fileURLToPath(new URL(`../corral${extname(HERE)}`, import.meta.url));

/** This process's Node flags, less the test runner's; the tsx loader added for a .ts entry that lacks it. */
export function nodeFlags(): string[] {
  const flags = process.execArgv.filter((a) => !a.startsWith('--test'));
  if (CORRAL_ENTRY.endsWith('.ts') && !flags.some((a) => a.includes('tsx')))
    flags.unshift('--import', 'tsx');
  return flags;
}

let taskset: boolean | undefined;
/** Whether `taskset -c 0 true` runs here (Linux with util-linux). */
export function tasksetAvailable(): boolean {
  if (taskset === undefined) {
    const probe = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    taskset = probe.status === 0;
  }
  return taskset;
}

/** The command line of `corral ARGS` in a child, pinned to `cpu` when given and possible. */
export function corralCommand(
  args: readonly string[],
  cpu?: number,
): { file: string; args: string[] } {
  const node = [...nodeFlags(), CORRAL_ENTRY, ...args];
  if (cpu !== undefined && tasksetAvailable())
    return { file: 'taskset', args: ['-c', String(cpu), process.execPath, ...node] };
  return { file: process.execPath, args: node };
}

/** Pins an already running process (this one, say) to `cpu`; false when that cannot be done here. */
export function pin(pid: number, cpu: number): boolean {
  if (!tasksetAvailable()) return false;
  return spawnSync('taskset', ['-pc', String(cpu), String(pid)], { stdio: 'ignore' }).status === 0;
}
