/**
 * The DUT's own change of a value, for the value-change notification cases: a lab cannot make a device change a
 * value by itself, so the CPE engineer gives a command that does (over ssh, a serial console, the device's CLI or
 * web UI; `corral sim --local-control` for the simulator). The lab runs it with /bin/sh as
 *
 *   sh -c COMMAND corral-local-change PATH VALUE
 *
 * so `$1` is the parameter's path and `$2` its new value (also CORRAL_PARAMETER and CORRAL_VALUE in the
 * environment, and `{path}` / `{value}` in COMMAND replaced by the shell-quoted strings). Exit 0 means the change is
 * made. Neither the command (it may hold a password) nor its output goes into the report, only the first line of
 * what it printed on stderr when it fails.
 */
import { spawn } from 'node:child_process';

export interface LocalChangeOutcome {
  ok: boolean;
  /** Why it failed: the exit status and the first line of stderr. */
  detail?: string;
}

/** Single-quoted for /bin/sh: nothing in it is expanded. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export function runLocalChange(
  command: string,
  path: string,
  value: string,
  timeoutMs = 30_000,
): Promise<LocalChangeOutcome> {
  const script = command
    .replaceAll('{path}', shellQuote(path))
    .replaceAll('{value}', shellQuote(value));
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', script, 'corral-local-change', path, value], {
      env: { ...process.env, CORRAL_PARAMETER: path, CORRAL_VALUE: value },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `the local-change command could not run (${error.message})` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ ok: true });
      const first = stderr.trim().split('\n')[0]?.slice(0, 200) ?? '';
      const how = signal === 'SIGKILL' ? `took longer than ${timeoutMs / 1000} s` : `exit ${code}`;
      resolve({
        ok: false,
        detail: `the local-change command failed (${how})${first === '' ? '' : `: ${first}`}`,
      });
    });
  });
}
