import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real XMPP server for tests: Debian's prosody, on loopback and a free port, with a configuration of its own in
 * a temporary directory (no TLS: the test has no certificate; plain SASL over the unencrypted loopback stream is
 * allowed there only). Accounts are made with `prosodyctl register`. `restart()` stops it and starts it again on
 * the same port with the same accounts.
 */
export interface Prosody {
  service: string;
  domain: string;
  register(username: string, password: string): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

/** Why prosody cannot run here, or null. */
export function prosodyUnavailable(): string | null {
  try {
    execFileSync('prosodyctl', ['about'], { stdio: 'ignore', timeout: 10_000 });
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'prosody is not installed (apt-get install prosody lua-unbound)'
      : null;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startProsody(domain = 'corral.test'): Promise<Prosody> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-prosody-'));
  mkdirSync(join(dir, 'data'), { mode: 0o700 });
  const port = await freePort();
  const config = join(dir, 'prosody.cfg.lua');
  writeFileSync(
    config,
    `pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
run_as_root = true
c2s_ports = { ${port} }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
http_ports = { }
https_ports = { }
c2s_direct_tls_ports = { }
modules_enabled = { "roster"; "saslauth"; "disco"; "ping" }
modules_disabled = { "s2s"; "tls" }
authentication = "internal_hashed"
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
log = { { levels = { min = "warn" }, to = "file", filename = "${dir}/prosody.log" } }
VirtualHost "${domain}"
`,
  );
  let child: ChildProcess | undefined;
  const prosody: Prosody = {
    service: `xmpp://127.0.0.1:${port}`,
    domain,
    register(username, password) {
      execFileSync('prosodyctl', ['--config', config, 'register', username, domain, password], {
        stdio: 'ignore',
        timeout: 10_000,
      });
    },
    async start() {
      child = spawn('prosody', ['--config', config, '-F'], { stdio: 'ignore' });
      const deadline = Date.now() + 10_000;
      while (!(await accepts(port))) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`prosody did not start (see ${dir}/prosody.log)`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (running.exitCode === null) running.kill('SIGKILL');
    },
    async destroy() {
      await prosody.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await prosody.start();
  return prosody;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
