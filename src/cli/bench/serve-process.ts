/**
 * A real `corral serve` for a benchmark, shared by `corral bench`, `bench/storm.ts --serve` and
 * test/storm.e2e.test.ts: in a child process (its log stream written straight to a file, so that logging can never
 * block it and the harness does not parse it while it runs), its log summed up afterwards, and a probe of the REST
 * API from the harness's process, on a fixed schedule whatever the API's answer times.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { corralCommand } from './node-child.ts';

export interface ServeOptions {
  /** Extra `corral serve` arguments (they come after the harness's, so they win). */
  args?: string[];
  apiKey: string;
  /** Pin it to this core (taskset, where there is one). */
  cpu?: number;
  /** A data directory to use (kept); by default a fresh one in a temporary directory. */
  dataDir?: string;
}

export interface RunningServe {
  child: ChildProcess;
  cwmpUrl: string;
  apiUrl: string;
  dataDir: string;
  /** The JSON log lines, as written so far. */
  logFile: string;
  stderr: () => string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`); removeServeFiles then removes what it left. */
  stop: (graceMs?: number) => Promise<{ code: number | null; signal: string | null }>;
}

/**
 * `corral serve` on loopback, free ports, a fresh data directory, every CPE accepted, zero-touch off and the
 * per-address Inform limit lifted (a storm from one address is the point): the configuration of #11 item 10.
 */
export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const dir = mkdtempSync(join(tmpdir(), 'corral-storm-'));
  const dataDir = options.dataDir ?? join(dir, 'data');
  const logFile = join(dir, 'serve.log');
  const logFd = openSync(logFile, 'w');
  const command = corralCommand(
    [
      'serve',
      '--data-dir',
      dataDir,
      '--cwmp-host',
      '127.0.0.1',
      '--cwmp-port',
      '0',
      '--api-port',
      '0',
      '--file-host',
      '127.0.0.1',
      '--file-port',
      '0',
      '--stun-port',
      '0',
      '--accept-any-cpe',
      '--zero-touch',
      'false',
      '--informs-per-address',
      '1000000',
      '--log-format',
      'json',
      ...(options.args ?? []),
    ],
    options.cpu,
  );
  const child = spawn(command.file, command.args, {
    env: { ...process.env, CORRAL_API_KEY: options.apiKey },
    stdio: ['ignore', logFd, 'pipe'],
  });
  closeSync(logFd);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + 30_000;
  while (!/REST API listening on (\S+)/.test(err)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      await exited;
      cleanup();
      throw new Error(`corral serve did not start:\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const cwmpPort = /CWMP endpoint listening on [^\s]+:(\d+)/.exec(err)![1]!;
  const apiUrl = /REST API listening on (\S+)/.exec(err)![1]!;
  return {
    child,
    cwmpUrl: `http://127.0.0.1:${cwmpPort}/`,
    apiUrl,
    dataDir,
    logFile,
    stderr: () => err,
    stop: async (graceMs = 20_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Removes what startServe made (call after stop, once the log has been read); a given data directory stays. */
export function removeServeFiles(serve: RunningServe): void {
  rmSync(join(serve.logFile, '..'), { recursive: true, force: true });
}

/** The log's lines by event and by level, and the first few warn/error lines as they were written. */
export interface LogSummary {
  lines: number;
  byEvent: Record<string, number>;
  byLevel: Record<string, number>;
  samples: string[];
}

export function summarizeLog(file: string): LogSummary {
  const summary: LogSummary = { lines: 0, byEvent: {}, byLevel: {}, samples: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return summary;
  }
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    summary.lines++;
    let entry: { event?: string; level?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      entry = { event: '(not JSON)', level: 'unknown' };
    }
    const event = entry.event ?? '(no event)';
    const level = entry.level ?? '(no level)';
    summary.byEvent[event] = (summary.byEvent[event] ?? 0) + 1;
    summary.byLevel[level] = (summary.byLevel[level] ?? 0) + 1;
    // One sample per event that is not plain info.
    if (level !== 'info' && !seen.has(event) && summary.samples.length < 10) {
      seen.add(event);
      summary.samples.push(line.slice(0, 400));
    }
  }
  return summary;
}

export interface ApiFigures {
  probes: number;
  /** Probes answered with anything but 200, or not at all (error or the probe's own 30 s timeout). */
  failed: number;
  failedBy: Record<string, number>;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ApiProbe {
  /** Stops probing, waits for the probes in flight, and gives the figures. */
  stop: () => Promise<ApiFigures>;
}

/**
 * GET `path` on the API every `everyMs`, whether or not the earlier probes have been answered (a slow API is met
 * by as many users as a fast one), each one's latency recorded; a probe unanswered after `timeoutMs` counts
 * as failed with that latency.
 */
export function probeApi(
  apiUrl: string,
  apiKey: string,
  path = '/api/v1/devices?limit=1',
  everyMs = 50,
  timeoutMs = 30_000,
): ApiProbe {
  const agent = new Agent({ keepAlive: true });
  const url = new URL(path, apiUrl);
  const latencies: number[] = [];
  const failedBy: Record<string, number> = {};
  let failed = 0;
  const pending = new Set<Promise<void>>();
  const fail = (why: string, ms: number) => {
    failed++;
    failedBy[why] = (failedBy[why] ?? 0) + 1;
    latencies.push(ms);
  };
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const started = performance.now();
      let done = false;
      const finish = (record: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        record();
        resolve();
      };
      const req = get(url, { agent, headers: { Authorization: `Bearer ${apiKey}` } }, (res) => {
        res.resume();
        res.on('end', () =>
          finish(() => {
            const ms = performance.now() - started;
            if (res.statusCode === 200) latencies.push(ms);
            else fail(`status ${res.statusCode}`, ms);
          }),
        );
        res.on('error', (e: NodeJS.ErrnoException) => finish(() => fail(e.code ?? e.message, 0)));
      });
      const timer = setTimeout(() => {
        finish(() => fail('timeout', timeoutMs));
        req.destroy();
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) =>
        finish(() => fail(e.code ?? e.message, performance.now() - started)),
      );
    });
  const tick = setInterval(() => {
    const p = once();
    pending.add(p);
    void p.then(() => pending.delete(p));
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(tick);
      await Promise.all(pending);
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        latencies.length === 0
          ? 0
          : Math.round(
              latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]! * 10,
            ) / 10;
      return {
        probes: latencies.length,
        failed,
        failedBy,
        p50Ms: at(0.5),
        p90Ms: at(0.9),
        p99Ms: at(0.99),
        maxMs: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
      };
    },
  };
}
