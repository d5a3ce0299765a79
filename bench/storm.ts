import { randomBytes } from 'node:crypto';
import {
  type ApiFigures,
  probeApi,
  removeServeFiles,
  startServe,
  summarizeLog,
} from '../src/cli/bench/serve-process.ts';
import { runStorm } from '../src/cli/bench/storm-client.ts';
import { benchArgs } from './bench-args.ts';
import { spawnStorm } from './storm-spawn.ts';

/**
 * `npm run bench:storm [-- options]`: a boot storm against an ACS (#11 item 10). Without --serve, the storm
 * client runs here against --acs; with --serve, this process starts a `corral serve` of its own, runs the storm
 * client in a third process, and probes the REST API every 50 ms meanwhile. JSON on stdout at the end; progress
 * on stderr.
 */
const usage = `usage: npm run bench:storm [-- options]

A boot storm: N CPEs (one OUI and ProductClass, distinct serial numbers) each open one CWMP session after a
power cut (Inform 0 BOOTSTRAP + 1 BOOT, the empty POST, minimal answers to any RPC, until the ACS's 204), at
most C in flight at once, one keep-alive connection and cookie per session. A 503 sends the device back to its
Inform after Retry-After seconds; a request unanswered within the timeout is a timeout, a reset or closed
connection is dropped, and both retry with TR-069's back-off. Prints one JSON report on stdout: sessions
completed, timeouts, dropped, 503s and their Retry-After spread, wall time, sessions/s.

  --acs URL                    the ACS's CWMP URL (default http://127.0.0.1:7547/)
  --serve                      start a corral serve of its own instead (loopback, temp data dir, accept-any-cpe,
                               zero-touch off, per-address Inform limit lifted), run the storm in another
                               process and probe the REST API every 50 ms; the report adds the API's latency
                               and the ACS's log events
  --serve-args="ARGS"          more arguments for that corral serve, space-separated
                               (e.g. --serve-args="--sqlite-synchronous normal --max-sessions 2000")
  --devices N                  devices (default 20000)
  --concurrency C              sessions in flight at once (default 1000)
  --timeout S                  a request's timeout, seconds (default 30, a CPE's typical one)
  --backoff S                  m of the retry back-off after a timeout or a drop, seconds (default 1; TR-069: 5)
  --deadline S                 give up after S seconds, reporting the devices left (default 900)
  --serial-prefix P            serial numbers are P00000001… (default STORM)
  --oui O, --product-class P   the devices' OUI and ProductClass (default 00D09E, StormGW)
  --progress S                 a progress line on stderr every S seconds (default 5; 0: none)
  --json                       the report as one JSON line (the default; accepted for symmetry with the others)
  -h, --help                   show this help
`;
const parsed = benchArgs(usage, {
  acs: { type: 'string' },
  serve: { type: 'boolean' },
  'serve-args': { type: 'string' },
  devices: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  backoff: { type: 'string' },
  deadline: { type: 'string' },
  'serial-prefix': { type: 'string' },
  oui: { type: 'string' },
  'product-class': { type: 'string' },
  progress: { type: 'string' },
  json: { type: 'boolean' },
});

function number(name: string, fallback: number, integer: boolean, min: number): number {
  const text = parsed[name] as string | undefined;
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    process.stderr.write(
      `--${name} must be ${integer ? 'an integer' : 'a number'} of at least ${min}\n\n${usage}`,
    );
    process.exit(2);
  }
  return n;
}

const devices = number('devices', 20_000, true, 1);
const concurrency = number('concurrency', 1000, true, 1);
const timeout = number('timeout', 30, false, 0.001);
const backoff = number('backoff', 1, false, 0);
const deadline = number('deadline', 900, false, 1);
const progress = number('progress', 5, false, 0);
const str = (name: string, fallback: string) => (parsed[name] as string | undefined) ?? fallback;

const progressLine = (p: {
  elapsedMs: number;
  completed: number;
  inFlight: number;
  timeouts: number;
  dropped: number;
  status503: number;
}) =>
  `storm t=${(p.elapsedMs / 1000).toFixed(0)}s completed=${p.completed}/${devices} inFlight=${p.inFlight} ` +
  `503=${p.status503} timeouts=${p.timeouts} dropped=${p.dropped}`;

if (parsed.serve !== true) {
  const report = await runStorm({
    acsUrl: str('acs', 'http://127.0.0.1:7547/'),
    devices,
    concurrency,
    requestTimeoutMs: timeout * 1000,
    backoffMs: backoff * 1000,
    deadlineMs: deadline * 1000,
    serialPrefix: str('serial-prefix', 'STORM'),
    oui: str('oui', '00D09E'),
    productClass: str('product-class', 'StormGW'),
    ...(progress > 0
      ? {
          progress: (p) => process.stderr.write(`${progressLine(p)}\n`),
          progressEveryMs: progress * 1000,
        }
      : {}),
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // Requests still in flight at the deadline hold the loop open: the report is out, that is the end.
  process.exit(0);
} else {
  const apiKey = `storm-${randomBytes(24).toString('hex')}`;
  const serveArgs = str('serve-args', '')
    .split(/\s+/)
    .filter((a) => a !== '');
  const serve = await startServe({ apiKey, args: serveArgs });
  let api: ApiFigures | undefined;
  try {
    const stormArgs = [
      ...[
        '--acs',
        serve.cwmpUrl,
        '--devices',
        String(devices),
        '--concurrency',
        String(concurrency),
      ],
      ...[
        '--timeout',
        String(timeout),
        '--backoff',
        String(backoff),
        '--deadline',
        String(deadline),
      ],
      ...['--serial-prefix', str('serial-prefix', 'STORM'), '--oui', str('oui', '00D09E')],
      ...['--product-class', str('product-class', 'StormGW'), '--progress', String(progress)],
    ];
    const storm = spawnStorm(stormArgs, (line) => process.stderr.write(`${line}\n`));
    const probe = probeApi(serve.apiUrl, apiKey);
    const report = await storm.report.finally(async () => {
      api = await probe.stop();
    });
    const stopped = await serve.stop();
    process.stdout.write(
      `${JSON.stringify({ storm: report, api, acs: { exit: stopped, log: summarizeLog(serve.logFile) } })}\n`,
    );
  } finally {
    await serve.stop();
    removeServeFiles(serve);
  }
}
