/**
 * Mutation fuzzing of decodeEnvelope: the corpus messages (../shared/corpus/, when present) and a few encoder-made
 * ones, mutated at the byte level, must each decode or be refused with a typed CwmpDecodeError, never throw, and
 * never take long. A seeded PRNG makes every run reproducible:
 *
 *   FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> node --import tsx --test src/cwmp/envelope/fuzz.test.ts
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { CwmpDecodeError, type DecodeErrorCode } from '../errors.ts';
import { CWMP_1_2 } from '../namespaces.ts';
import { type CwmpEnvelope, decodeEnvelope } from './decode.ts';
import { type EnvelopeToEncode, encodeEnvelope } from './encode.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0xc0ffee);
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 100_000);
/** One decode of a mutated (at most ~80 kB) message must finish within this. */
const TIME_LIMIT_MS = 50;

/** Every DecodeErrorCode; the type check below fails to compile if errors.ts gains one this list lacks. */
// biome-ignore format: a table
const ERROR_CODES = [
  'empty-message', 'message-too-large', 'doctype-forbidden', 'xml-syntax', 'undefined-entity', 'unbound-prefix',
  'depth-exceeded', 'too-many-elements', 'too-many-attributes', 'not-soap-envelope', 'missing-body',
  'unexpected-body', 'missing-field', 'invalid-field', 'field-too-long',
] as const satisfies readonly DecodeErrorCode[];
const allCodesListed: [Exclude<DecodeErrorCode, (typeof ERROR_CODES)[number]>] extends [never]
  ? true
  : false = true;
assert.ok(allCodesListed);
const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** mulberry32: small, fast, and good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();

/** Messages made by the encoder: the fuzz still has material where ../shared is absent. */
function generatedSeeds(): Uint8Array[] {
  const envelopes: EnvelopeToEncode[] = [
    {
      header: {
        ID: 'fuzz-1',
        HoldRequests: false,
        SessionTimeout: 30,
        SupportedCWMPVersions: '1.0,1.1,1.2,1.3,1.4',
      },
      cwmpNamespace: CWMP_1_2,
      body: {
        method: 'Inform',
        DeviceId: {
          Manufacturer: 'Acme & Sons',
          OUI: '00D09E',
          ProductClass: 'IGD',
          SerialNumber: 'SN<1>',
        },
        Event: [
          { EventCode: '0 BOOTSTRAP', CommandKey: '' },
          { EventCode: 'M Download', CommandKey: 'ck"\'' },
        ],
        MaxEnvelopes: 1,
        CurrentTime: '2024-05-01T12:00:00Z',
        RetryCount: 3,
        ParameterList: [
          {
            name: 'Device.DeviceInfo.SoftwareVersion',
            value: '1.2.3 ]]> \u00e9\u{1F600}',
            type: 'string',
          },
          {
            name: 'Device.ManagementServer.PeriodicInformInterval',
            value: '300',
            type: 'unsignedInt',
          },
          { name: 'Device.ManagementServer.PeriodicInformEnable', value: 'true', type: 'boolean' },
          { name: 'Device.DeviceInfo.UpTime', value: '-1', type: 'int' },
        ],
      },
    },
    {
      header: { ID: '7' },
      body: {
        method: 'Fault',
        faultcode: 'Client',
        faultstring: 'CWMP fault',
        FaultCode: 9003,
        FaultString: 'Invalid arguments',
        SetParameterValuesFault: [
          { ParameterName: 'Device.A', FaultCode: 9007, FaultString: 'bad value' },
          { ParameterName: 'Device.B', FaultCode: 9008 },
        ],
      },
    },
    {
      body: {
        method: 'ChangeDUState',
        CommandKey: 'du',
        Operations: [
          { Operation: 'Install', URL: 'http://x/y.ipk', UUID: 'u-1' },
          { Operation: 'Uninstall', UUID: 'u-2', Version: '1' },
        ],
      },
    },
    {
      body: {
        method: 'SetParameterAttributes',
        ParameterList: [
          {
            Name: 'Device.',
            NotificationChange: true,
            Notification: 2,
            AccessListChange: false,
            AccessList: ['Subscriber'],
          },
        ],
      },
    },
    { body: { method: 'GetParameterNames', ParameterPath: 'Device.', NextLevel: true } },
  ];
  return envelopes.map((e) => encoder.encode(encodeEnvelope(e)));
}

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);

function corpusSeeds(): Uint8Array[] {
  if (!existsSync(CORPUS)) return [];
  return ['real-device', 'synthetic-per-rpc'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, CORPUS))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => new Uint8Array(readFileSync(new URL(`${dir}/${f}`, CORPUS)))),
  );
}

// biome-ignore format: a table
const TOKENS = [
  '<', '>', '&', '"', "'", '/', '=', ':', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '</', '/>', '&#0;', '&#2;',
  '&#x110000;', '&#xD800;', '&bogus;', '&amp;', '&lt', '<!DOCTYPE x>', '<!ENTITY e "x">', ' xmlns:p="urn:x"',
  ' xmlns:cwmp=""', ' xmlns=""', ' a="1"', ' soap-enc:arrayType="x[99999999999999999999]"', '<a>', '</a>',
  '<soap-env:Body>', '\u0000', '\u0002', '\r\n', '\r', '\ufeff', '\uffff',
].map((t) => encoder.encode(t));
// Bytes that are not UTF-8, or only half of a character.
TOKENS.push(
  Uint8Array.of(0xff),
  Uint8Array.of(0xc3),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xfe, 0xff),
);

// biome-ignore format: a table
const TEXT_VALUES = [
  '', ' ', '0', '1', '-1', 'true', 'FALSE', '4294967296', '99999999999999999999999', 'x', '&amp;&#2;&#x1F600;',
  '2019-03-05T11:54::14', '\u00e9', 'urn:dslforum-org:cwmp-1-3', 'cwmp:EventStruct[0]', 'xsd:unsignedInt',
].map((t) => encoder.encode(t));

const NAME_BYTE = /[A-Za-z_]/;

/** The element starting at a random "<name", as [start, end) including its end tag, or undefined. */
function randomElement(b: Uint8Array, random: () => number): [number, number] | undefined {
  const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  for (let tries = 0; tries < 8; tries++) {
    const start = text.indexOf('<', Math.floor(random() * text.length));
    if (start === -1 || !NAME_BYTE.test(text[start + 1] ?? '')) continue;
    const name = /^[^\s/>]+/.exec(text.slice(start + 1, start + 200))?.[0];
    if (name === undefined) continue;
    const selfClose = text.indexOf('/>', start);
    const openEnd = text.indexOf('>', start);
    if (openEnd !== -1 && selfClose === openEnd - 1) return [start, openEnd + 1];
    const close = text.indexOf(`</${name}>`, start);
    if (close !== -1) return [start, close + name.length + 3];
  }
  return undefined;
}

function mutate(input: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  let b = input;
  const rounds = random() < 0.5 ? 1 : 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = pick(b.length + 1);
    switch (pick(9)) {
      case 0: {
        // Flip one bit, or overwrite a byte.
        if (b.length === 0) break;
        const copy = b.slice();
        const i = Math.min(at, b.length - 1);
        copy[i] = random() < 0.5 ? copy[i]! ^ (1 << pick(8)) : pick(256);
        b = copy;
        break;
      }
      case 1:
      case 2: {
        const token = TOKENS[pick(TOKENS.length)]!;
        b = concat(b.subarray(0, at), token, b.subarray(at));
        break;
      }
      case 3:
        b = b.subarray(0, at);
        break;
      case 4: {
        // Duplicate a slice somewhere (possibly many times: depth and element count).
        const start = pick(b.length + 1);
        const slice = b.subarray(start, start + 1 + pick(200));
        const times = random() < 0.9 ? 1 : 1 + pick(50);
        const parts = [b.subarray(0, at)];
        for (let i = 0; i < times; i++) parts.push(slice);
        parts.push(b.subarray(at));
        b = concat(...parts);
        break;
      }
      case 5:
        b = concat(b.subarray(0, at), b.subarray(at + 1 + pick(40)));
        break;
      case 6: {
        // Replace the text between a ">" and the next "<" (a leaf's value, usually) with a tricky one.
        const gt = b.indexOf(0x3e, at);
        const lt = gt === -1 ? -1 : b.indexOf(0x3c, gt);
        if (lt === -1) break;
        b = concat(b.subarray(0, gt + 1), TEXT_VALUES[pick(TEXT_VALUES.length)]!, b.subarray(lt));
        break;
      }
      case 7: {
        // Remove a whole element: a missing argument, struct member or header.
        const el = randomElement(b, random);
        if (el !== undefined) b = concat(b.subarray(0, el[0]), b.subarray(el[1]));
        break;
      }
      default: {
        // Repeat a whole element: duplicate arguments, two Bodies, many array items.
        const el = randomElement(b, random);
        if (el === undefined) break;
        const copies = random() < 0.9 ? 1 : 1 + pick(100);
        const parts = [b.subarray(0, el[1])];
        for (let i = 0; i < copies; i++) parts.push(b.subarray(el[0], el[1]));
        parts.push(b.subarray(el[1]));
        b = concat(...parts);
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function describeInput(input: string | Uint8Array): string {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const shown = JSON.stringify(text.length > 4000 ? `${text.slice(0, 4000)}…` : text);
  const base64 = Buffer.from(typeof input === 'string' ? encoder.encode(input) : input).toString(
    'base64',
  );
  return `${typeof input === 'string' ? 'string' : 'bytes'} input ${shown}\nbase64: ${base64.slice(0, 12000)}`;
}

/** Either a decoded envelope or a typed, described refusal; anything else is a failure message. */
function check(input: string | Uint8Array): { ms: number; problem?: string; code?: string } {
  const start = performance.now();
  let result: ReturnType<typeof decodeEnvelope>;
  try {
    result = decodeEnvelope(input);
  } catch (error) {
    return {
      ms: performance.now() - start,
      problem: `decodeEnvelope threw: ${(error as Error)?.stack ?? error}`,
    };
  }
  const ms = performance.now() - start;
  if (result.ok) {
    if (typeof result.envelope.body?.method !== 'string') {
      return { ms, problem: 'decoded without a method' };
    }
    return { ms, code: 'ok', problem: reencodeProblem(result.envelope) };
  }
  const { error } = result;
  if (!(error instanceof CwmpDecodeError))
    return { ms, problem: `error is not a CwmpDecodeError: ${error}` };
  if (!KNOWN_CODES.has(error.code)) return { ms, problem: `unknown error code ${error.code}` };
  if (typeof error.message !== 'string' || error.message.trim() === '')
    return { ms, problem: 'empty error message' };
  return { ms, code: error.code };
}

/**
 * Whatever decodes can be encoded again and decodes to the same envelope: the decoder never produces a value the
 * encoder cannot carry.
 */
function reencodeProblem(envelope: CwmpEnvelope): string | undefined {
  let xml: string;
  try {
    xml = encodeEnvelope(envelope);
  } catch (error) {
    return `encodeEnvelope threw on a decoded envelope: ${error}`;
  }
  const again = decodeEnvelope(xml);
  if (!again.ok) return `the re-encoded envelope does not decode: ${again.error.message}\n${xml}`;
  try {
    assert.deepEqual(again.envelope, envelope);
  } catch (error) {
    return `decode(encode(decoded)) differs from decoded: ${(error as Error).message}`;
  }
  return undefined;
}

/** A call over the limit is timed again (best of three) so one garbage-collection pause does not fail the run. */
function bestTime(input: string | Uint8Array, first: number): number {
  let best = first;
  for (let i = 0; i < 3 && best > TIME_LIMIT_MS; i++) best = Math.min(best, check(input).ms);
  return best;
}

test(`decodeEnvelope survives ${ITERATIONS} mutated messages (seed ${SEED})`, (t) => {
  const corpus = corpusSeeds();
  if (corpus.length === 0)
    t.diagnostic('../shared/corpus is absent: fuzzing encoder-made messages only');
  const seeds = [...corpus, ...generatedSeeds()];
  const random = prng(SEED);
  const outcomes = new Map<string, number>();
  let slowest = { ms: 0, iteration: -1, input: '' as string | Uint8Array };
  const started = performance.now();

  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const bytes = mutate(seeds[Math.floor(random() * seeds.length)]!, random);
    const input = random() < 0.5 ? bytes : Buffer.from(bytes).toString('utf8');
    const { ms, problem, code } = check(input);
    const reproduce = `reproduce with FUZZ_SEED=${SEED} FUZZ_ITERATIONS=${iteration + 1} (iteration ${iteration})`;
    if (problem !== undefined) assert.fail(`${problem}\n${reproduce}\n${describeInput(input)}`);
    const timed = ms > TIME_LIMIT_MS ? bestTime(input, ms) : ms;
    if (timed > slowest.ms) slowest = { ms: timed, iteration, input };
    if (timed > TIME_LIMIT_MS) {
      assert.fail(
        `decoding took ${timed.toFixed(1)} ms (limit ${TIME_LIMIT_MS})\n${reproduce}\n${describeInput(input)}`,
      );
    }
    outcomes.set(code!, (outcomes.get(code!) ?? 0) + 1);
  }

  const total = (performance.now() - started) / 1000;
  t.diagnostic(
    `seed ${SEED}: ${ITERATIONS} inputs from ${seeds.length} seed messages in ${total.toFixed(1)} s`,
  );
  t.diagnostic(
    `slowest decode ${slowest.ms.toFixed(2)} ms (iteration ${slowest.iteration}, ${slowest.input.length} ${typeof slowest.input === 'string' ? 'chars' : 'bytes'})`,
  );
  t.diagnostic(
    `outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`,
  );
  // A fuzz that never gets past the parser, or never fails, is not exercising the decoder.
  assert.ok((outcomes.get('ok') ?? 0) > ITERATIONS / 50, 'too few mutations decode');
  assert.ok((outcomes.get('xml-syntax') ?? 0) > ITERATIONS / 50, 'too few mutations are refused');
});
