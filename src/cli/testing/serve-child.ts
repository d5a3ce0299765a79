import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../corral.ts', import.meta.url));

export interface ServeChild {
  child: ChildProcess;
  cwmpPort: number;
  apiUrl: string;
  /** stdout and stderr so far (the log lines and the start-up messages). */
  output: () => string;
}

/**
 * `corral serve` from source in a child process, once it says where it listens. STUN is off unless `args` asks
 * (tests share the machine, so none takes UDP 3478). The caller kills it (`children` collects every child).
 */
export async function startServeChild(
  args: string[],
  env: Record<string, string> = {},
  children: ChildProcess[] = [],
): Promise<ServeChild> {
  if (!args.includes('--stun-port')) args = [...args, '--stun-port', '0'];
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + 30_000;
  while (!/REST API listening on (\S+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`corral serve did not start:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cwmpPort = Number(/CWMP endpoint listening on [^:]+:(\d+)/.exec(out)?.[1]);
  const apiUrl = /REST API listening on (\S+)/.exec(out)?.[1] ?? '';
  return { child, cwmpPort, apiUrl, output: () => out };
}
