/**
 * Running a system network tool (ping, traceroute) for a TR-143 test: the binary is looked up in the usual system
 * directories, never through a shell; it is run with an argument array and a hard time limit. A missing tool is
 * reported as such (the test ends in Error_Internal), never thrown.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/local/sbin'];

const found = new Map<string, string | null>();

/** The absolute path of the first of `names` found executable (PATH first, then the system dirs), or undefined. */
export function findTool(names: readonly string[]): string | undefined {
  for (const name of names) {
    const cached = found.get(name);
    if (cached !== undefined) {
      if (cached !== null) return cached;
      continue;
    }
    const dirs = [
      ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''),
      ...SYSTEM_DIRS,
    ];
    let hit: string | null = null;
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        hit = candidate;
        break;
      } catch {
        // Not here.
      }
    }
    found.set(name, hit);
    if (hit !== null) return hit;
  }
  return undefined;
}

export interface ToolRun {
  /** The exit code; null when the tool was killed (time limit). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `file` with `args` (no shell), for at most `timeoutMs`. Rejects only if it cannot be started at all. */
export function runTool(
  file: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1 << 20,
        windowsHide: true,
        env: { LC_ALL: 'C', PATH: process.env.PATH ?? SYSTEM_DIRS.join(delimiter) },
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, stdout, stderr, timedOut: false });
          return;
        }
        const e = error as NodeJS.ErrnoException & { code?: unknown; killed?: boolean };
        if (typeof e.code === 'string') {
          reject(error);
          return;
        }
        resolve({
          code: typeof e.code === 'number' ? e.code : null,
          stdout,
          stderr,
          timedOut: e.killed === true,
        });
      },
    );
  });
}

const warned = new Set<string>();

/** Logs once per process that a tool is missing (a fleet of thousands would otherwise flood the log). */
export function warnMissing(tool: string, pkg: string, log: (line: string) => void): void {
  if (warned.has(tool)) return;
  warned.add(tool);
  log(
    `corral sim: TR-143 ${tool} cannot run: no ${tool} binary found (install the Debian package ${pkg}); the test ends in Error_Internal`,
  );
}
