import { SaxesParser } from 'saxes';
import { decodeEnvelope, encodeEnvelope } from '../src/cwmp/index.ts';
import { benchArgs } from './bench-args.ts';
import {
  getParameterNamesResponse,
  getParameterValuesResponse,
  informMessage,
  setParameterValues,
} from './inputs.ts';
import { median, runFor } from './measure.ts';

/**
 * `npm run bench:codec [-- --json] [-- --rounds N]`: decode speed of Corral's codec beside the floor a
 * well-made general parser gives on the same bytes (saxes, xmlns on, no tree), measured in the same run.
 */

const args = benchArgs(
  `usage: npm run bench:codec [-- options]

Decode speed of Corral's CWMP codec on typical messages (an Inform, GetParameterValuesResponse,
GetParameterNamesResponse, SetParameterValues), beside a bare saxes parse of the same bytes measured in the
same run (the floor a well-made general XML parser gives), and encode speed. Medians over rounds.

  --rounds N    rounds per input (default 7)
  --json        one JSON line per input instead of the table
  -h, --help    show this help
`,
  { json: { type: 'boolean' }, rounds: { type: 'string' } },
);
const rounds = Number(args.rounds ?? '7');
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write('--rounds must be a positive integer\n');
  process.exit(2);
}

function saxesParse(bytes: Buffer): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(bytes.toString('utf8')).close();
}

function corralDecode(bytes: Buffer): void {
  const result = decodeEnvelope(bytes);
  if (!result.ok) throw result.error;
}

interface Row {
  input: string;
  opsPerSec: number;
  mbPerSec: number;
  floorOpsPerSec: number | null;
  ratio: number | null;
}

function benchDecode(input: string, bytes: Buffer): Row {
  corralDecode(bytes);
  saxesParse(bytes);
  const ours: number[] = [];
  const floor: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Interleaved so that machine noise hits both alike.
    ours.push(runFor(() => corralDecode(bytes)));
    floor.push(runFor(() => saxesParse(bytes)));
  }
  const opsPerSec = median(ours);
  const floorOpsPerSec = median(floor);
  return {
    input: `${input} (${(bytes.length / 1024).toFixed(1)} KB)`,
    opsPerSec,
    mbPerSec: (opsPerSec * bytes.length) / 1e6,
    floorOpsPerSec,
    ratio: opsPerSec / floorOpsPerSec,
  };
}

function benchEncode(): Row {
  const message = setParameterValues(500);
  const sample = encodeEnvelope({ body: message });
  const ours: number[] = [];
  for (let r = 0; r < rounds; r++) ours.push(runFor(() => encodeEnvelope({ body: message })));
  const opsPerSec = median(ours);
  return {
    input: `encode SetParameterValues, 500 parameters (${(sample.length / 1024).toFixed(1)} KB)`,
    opsPerSec,
    mbPerSec: (opsPerSec * Buffer.byteLength(sample)) / 1e6,
    floorOpsPerSec: null,
    ratio: null,
  };
}

const rows = [
  benchDecode('Inform, Device:2, 15 parameters, 3 events', informMessage()),
  benchDecode('GetParameterValuesResponse, 5,000 parameters', getParameterValuesResponse(5000)),
  benchDecode('GetParameterNamesResponse, 20,000 entries', getParameterNamesResponse(20000)),
  benchEncode(),
];

if (args.json) {
  for (const row of rows) console.log(JSON.stringify(row));
} else {
  console.log(
    `CWMP codec, median of ${rounds} rounds (Node ${process.version}); floor = bare saxes parse (xmlns on) of the same bytes\n`,
  );
  const fmt = (n: number | null, digits = 0) =>
    n === null
      ? '-'
      : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.log(['input', 'msgs/s', 'MB/s', 'saxes msgs/s', 'ratio'].join(' | '));
  for (const r of rows) {
    console.log(
      [
        r.input,
        fmt(r.opsPerSec),
        fmt(r.mbPerSec, 1),
        fmt(r.floorOpsPerSec),
        r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
      ].join(' | '),
    );
  }
}
