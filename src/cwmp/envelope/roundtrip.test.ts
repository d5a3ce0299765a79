/**
 * Property test: decode(encode(m)) === m for arbitrary envelopes of every RPC in SCHEMA_BY_METHOD, Fault and every
 * CWMP header, in every CWMP namespace, with both boolean styles. Arbitraries are derived by walking the schema
 * objects, so a new message or field is covered without touching this file.
 *
 * Schema internals this walk has to reach although TypeScript marks them private (read through `internals()`):
 * ArrayField.item, RepeatedField.item and OptionalField.inner (OptionalField itself is not exported; it is
 * recognised by its public `isOptional`). Module-private schemas that cannot be reached at all, and so are
 * written by hand below: the header struct (envelope/header.ts), the Fault detail (messages/fault.ts) and the
 * three OperationStruct variants of ChangeDUState (messages/du-operation.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { deploymentUnitOperation } from '../messages/du-operation.ts';
import type { CwmpMessage } from '../messages/index.ts';
import { SCHEMA_BY_METHOD } from '../messages/index.ts';
import { parameterValueStruct } from '../messages/parameter-value-struct.ts';
import { CWMP_1_0, CWMP_1_1, CWMP_1_2, CWMP_1_3_NONSTANDARD } from '../namespaces.ts';
import { ArrayField, RepeatedField } from '../schema/array.ts';
import { boolean, dateTime, type Field, int, string, unsignedInt } from '../schema/field.ts';
import { StructField } from '../schema/struct.ts';
import { decodeEnvelope } from './decode.ts';
import { encodeEnvelope } from './encode.ts';
import type { CwmpHeader } from './header.ts';

const RUNS_PER_METHOD = Number(process.env.ROUNDTRIP_RUNS ?? 500);
const SEED = Number(process.env.ROUNDTRIP_SEED ?? 0x7069_6e67);

/** What is encoded, and what decoding it must give back (strings normalised the way the encoder must). */
interface Sample<T = unknown> {
  input: T;
  expected: T;
}

// biome-ignore lint/suspicious/noExplicitAny: schema walking deals in fields of every value type
type AnyField = Field<any>;

/** Private members of the schema classes the walk needs (see the file comment). */
function internals(field: AnyField): { item?: AnyField; inner?: AnyField } {
  return field as unknown as { item?: AnyField; inner?: AnyField };
}

/** `string.required()` is `Object.create(string)`: the same scalar with another flag. */
/** `field` is `scalar` or made from it (`required()`, `maxLength()`). */
/** Is `field` the scalar `scalar`, or a `required()`/`maxLength()` copy of it (same class, same type name)? */
function isScalar(field: AnyField, scalar: AnyField): boolean {
  const typeName = (f: AnyField) => (f as unknown as { typeName: string }).typeName;
  return (
    field === scalar ||
    (Object.getPrototypeOf(field) === Object.getPrototypeOf(scalar) &&
      typeName(field) === typeName(scalar))
  );
}

/** A `maxLength()` bound of a string field (Infinity when none). */
function maxCharsOf(field: AnyField): number {
  return (field as unknown as { maxChars: number }).maxChars;
}

// --- strings -----------------------------------------------------------------------------------------------------

/** The pieces arbitrary strings are made of: every XML metacharacter and every character XML cannot carry. */
// biome-ignore format: a table
const NASTY = [
  '<', '>', '&', '"', "'", ']]>', '<!--', '<![CDATA[', '&amp;', '&#0;', '&bogus;', '<!DOCTYPE', ' ', '  ', '\t', '\n',
  '\r', '\r\n', '\u0000', '\u0002', '\u001f', '\u007f', '\u0085', '\u00a0', '\u2028', '\ufeff', '\ufffe', '\uffff',
  '\ud800', '\udc00', '\udbff\udfff', '😀', 'é', 'Ω',
];

const FORBIDDEN = new Set([...Array(32).keys()].filter((c) => c !== 0x9 && c !== 0xa && c !== 0xd));
FORBIDDEN.add(0xfffe).add(0xffff);

/** Written independently of escape.ts: lone surrogates and XML-forbidden characters become U+FFFD. */
function normalise(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const lone = ch.length === 1 && cp >= 0xd800 && cp <= 0xdfff;
    out += lone || FORBIDDEN.has(cp) ? '\ufffd' : ch;
  }
  return out;
}

const rawString = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...NASTY), weight: 3 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 2 },
      { arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), weight: 3 },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

function same<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Sample<T>> {
  return arb.map((v) => ({ input: v, expected: v }));
}

const stringSample: fc.Arbitrary<Sample<string>> = rawString.map((s) => ({
  input: s,
  expected: normalise(s),
}));

/** A `required()` string (an OUI, a parameter Name) must not be blank: blank is refused like a missing one. */
const requiredStringSample = stringSample.filter((s) => s.expected.trim() !== '');

/** dateTime fields are kept as text but trimmed; blank text would decode as the Unknown Time with a warning. */
const freeDateTimeSample: fc.Arbitrary<Sample<string>> = fc
  .oneof(
    fc.constantFrom('2019-03-05T11:54::14', '2015-01-19T23:08:24', ' 0001-01-01T00:00:00 '),
    rawString,
  )
  .map((s) => ({ input: s, expected: normalise(s).trim() }))
  .filter((s) => s.expected !== '');

/** Well-formed TR-069 dateTimes, which no reader should remark on: Z or ±hh:mm, 0-3 fraction digits. */
const canonicalDateTime = fc.oneof(
  fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:01:40Z'),
  fc
    .tuple(
      fc.date({ min: new Date('1970-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
      fc.constantFrom(0, 3),
      fc.constantFrom('Z', '+01:00', '-05:30', '+14:00'),
    )
    .map(([d, digits, zone]) => `${d.toISOString().slice(0, digits === 0 ? 19 : 23)}${zone}`),
);
const canonicalDateTimeSample = same(canonicalDateTime);

const intSample = same(fc.integer({ min: -2147483648, max: 2147483647 }));
const unsignedIntSample = same(fc.integer({ min: 0, max: 4294967295 }));
const booleanSample = same(fc.boolean());

// --- hand-written: ParameterValueStruct and the OperationStruct variants -----------------------------------------

const bigIntText = (min: bigint, max: bigint) => fc.bigInt({ min, max }).map(String);

/** A value whose text matches its xsi:type, so decoding records no value-type-mismatch. */
const typedValue: fc.Arbitrary<{ type: string; value: fc.Arbitrary<string> }> = fc.constantFrom(
  { type: 'string', value: rawString },
  { type: 'base64', value: fc.base64String() },
  { type: 'hexBinary', value: fc.stringMatching(/^(?:[0-9a-f]{2})*$/) },
  { type: 'decimal', value: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { type: 'int', value: fc.integer({ min: -2147483648, max: 2147483647 }).map(String) },
  { type: 'unsignedInt', value: fc.integer({ min: 0, max: 4294967295 }).map(String) },
  { type: 'long', value: bigIntText(-(2n ** 63n), 2n ** 63n - 1n) },
  { type: 'unsignedLong', value: bigIntText(0n, 2n ** 64n - 1n) },
  { type: 'boolean', value: fc.constantFrom('true', 'false', '1', '0') },
  { type: 'dateTime', value: canonicalDateTime },
);

const parameterValueSample = fc
  .tuple(
    stringSample,
    typedValue.chain(({ type, value }) => value.map((v) => ({ type, v }))),
  )
  .map(([name, { type, v }]) => ({
    input: { name: name.input, value: v, type },
    expected: { name: name.expected, value: normalise(v), type },
  }));

const optionalString = fc.option(stringSample, { nil: undefined });

/** The OperationStruct variants (du-operation.ts keeps their schemas module-private). */
const operationSample = fc.oneof(
  record(
    { Operation: 'Install' },
    { URL: requiredStringSample },
    {
      UUID: optionalString,
      Username: optionalString,
      Password: optionalString,
      ExecutionEnvRef: optionalString,
    },
  ),
  record(
    { Operation: 'Update' },
    {},
    {
      UUID: optionalString,
      Version: optionalString,
      URL: optionalString,
      Username: optionalString,
      Password: optionalString,
    },
  ),
  record(
    { Operation: 'Uninstall' },
    { UUID: requiredStringSample },
    { Version: optionalString, ExecutionEnvRef: optionalString },
  ),
);

/**
 * An object of samples → a sample of an object, starting from the constant members of `base`; `optional` keys
 * that come out undefined are omitted from both sides, as the decoder omits absent optional elements.
 */
function record(
  base: Record<string, unknown>,
  required: Record<string, fc.Arbitrary<Sample>>,
  optional: Record<string, fc.Arbitrary<Sample | undefined>> = {},
): fc.Arbitrary<Sample<Record<string, unknown>>> {
  return fc.record({ ...required, ...optional }).map((parts) => {
    const input: Record<string, unknown> = { ...base };
    const expected: Record<string, unknown> = { ...base };
    for (const [key, sample] of Object.entries(parts)) {
      if (sample === undefined) continue;
      input[key] = sample.input;
      expected[key] = sample.expected;
    }
    return { input, expected };
  });
}

// --- the schema walk ---------------------------------------------------------------------------------------------

const MAX_ITEMS = 3;

/** `freeDateTimes`: dateTime fields get arbitrary text, not only well-formed dateTimes. */
function sampleFor(field: AnyField, freeDateTimes: boolean): fc.Arbitrary<Sample> {
  if (field.isOptional) throw new Error('optional fields are handled by their struct');
  if (field instanceof StructField) return structSample(field, {}, freeDateTimes);
  if (field instanceof ArrayField || field instanceof RepeatedField) {
    const item = internals(field).item;
    if (item === undefined)
      throw new Error('ArrayField/RepeatedField no longer has an `item` member');
    return fc.array(sampleFor(item, freeDateTimes), { maxLength: MAX_ITEMS }).map((items) => ({
      input: items.map((i) => i.input),
      expected: items.map((i) => i.expected),
    }));
  }
  if (field === parameterValueStruct) return parameterValueSample;
  if (field === deploymentUnitOperation) return operationSample;
  if (isScalar(field, dateTime))
    return freeDateTimes ? freeDateTimeSample : canonicalDateTimeSample;
  if (isScalar(field, string)) {
    const sample = (field as typeof string).isRequired ? requiredStringSample : stringSample;
    const max = maxCharsOf(field);
    return Number.isFinite(max)
      ? sample.filter((s) => s.input.length <= max && s.expected.length <= max)
      : sample;
  }
  if (isScalar(field, int)) return intSample;
  if (isScalar(field, unsignedInt)) return unsignedIntSample;
  if (isScalar(field, boolean)) return booleanSample;
  throw new Error(
    `no arbitrary for field ${field.constructor.name}: teach roundtrip.test.ts about it`,
  );
}

function hasDateTime(field: AnyField): boolean {
  if (field instanceof StructField)
    return Object.values(field.fields as Record<string, AnyField>).some(hasDateTime);
  const inner = internals(field).item ?? internals(field).inner;
  return inner === undefined ? isScalar(field, dateTime) : hasDateTime(inner);
}

function structSample(
  struct: StructField<Record<string, AnyField>>,
  base: Record<string, unknown>,
  freeDateTimes: boolean,
): fc.Arbitrary<Sample<Record<string, unknown>>> {
  const required: Record<string, fc.Arbitrary<Sample>> = {};
  const optional: Record<string, fc.Arbitrary<Sample | undefined>> = {};
  for (const [key, field] of Object.entries(struct.fields)) {
    if (field.isOptional) {
      const inner = internals(field).inner;
      if (inner === undefined) throw new Error('OptionalField no longer has an `inner` member');
      optional[key] = fc.option(sampleFor(inner, freeDateTimes), { nil: undefined });
    } else {
      required[key] = sampleFor(field, freeDateTimes);
    }
  }
  return record(base, required, optional);
}

// --- header, fault, envelope -------------------------------------------------------------------------------------

const headerSample: fc.Arbitrary<Sample<CwmpHeader>> = record(
  {},
  {},
  {
    ID: optionalString,
    HoldRequests: fc.option(booleanSample, { nil: undefined }),
    SessionTimeout: fc.option(unsignedIntSample, { nil: undefined }),
    SupportedCWMPVersions: fc.option(
      fc.oneof(same(fc.constantFrom('1.0,1.1,1.2,1.3,1.4', '1.0', '1.2,1.4')), stringSample),
      { nil: undefined },
    ),
    UseCWMPVersion: fc.option(fc.oneof(same(fc.constantFrom('1.2', '1.4')), stringSample), {
      nil: undefined,
    }),
    NoMoreRequests: fc.option(booleanSample, { nil: undefined }),
  },
);

const setParameterValuesFault = record(
  {},
  { ParameterName: requiredStringSample, FaultCode: same(fc.integer({ min: 9000, max: 9999 })) },
  {
    FaultString: optionalString,
  },
);

const faultSample = record(
  { method: 'Fault' },
  {
    faultcode: same(fc.constantFrom('Client', 'Server')),
    faultstring: stringSample,
    FaultCode: unsignedIntSample,
    SetParameterValuesFault: fc
      .array(setParameterValuesFault, { maxLength: MAX_ITEMS })
      .map((items) => ({
        input: items.map((i) => i.input),
        expected: items.map((i) => i.expected),
      })),
  },
  { FaultString: optionalString },
);

const NAMESPACES = [CWMP_1_0, CWMP_1_1, CWMP_1_2, CWMP_1_3_NONSTANDARD];

function envelopeSample(body: fc.Arbitrary<Sample<Record<string, unknown>>>) {
  return fc.record({ body, header: headerSample, cwmpNamespace: fc.constantFrom(...NAMESPACES) });
}

function messageSample(
  method: string,
  freeDateTimes = false,
): fc.Arbitrary<Sample<Record<string, unknown>>> {
  return structSample(SCHEMA_BY_METHOD.get(method)!.body, { method }, freeDateTimes);
}

type EnvelopeSample = fc.Arbitrary<{
  body: Sample<Record<string, unknown>>;
  header: Sample<CwmpHeader>;
  cwmpNamespace: string;
}>;

/** `tolerated`: warning codes that may appear (dateTime readers remarking on free text) without failing. */
function checkRoundTrip(arb: EnvelopeSample, runs: number, tolerated?: RegExp): void {
  fc.assert(
    fc.property(arb, ({ body, header, cwmpNamespace }) => {
      const toEncode = { cwmpNamespace, header: header.input, body: body.input as CwmpMessage };
      const expected = { cwmpNamespace, header: header.expected, body: body.expected };
      // Only the non-BBF cwmp-1-3 namespace is worth a warning.
      const expectedWarnings =
        cwmpNamespace === CWMP_1_3_NONSTANDARD ? ['nonstandard-namespace'] : [];
      for (const booleanStyle of ['word', 'digit'] as const) {
        const xml = encodeEnvelope(toEncode, { booleanStyle });
        const result = decodeEnvelope(xml);
        if (!result.ok)
          assert.fail(`decode failed (${booleanStyle}): ${result.error.message}\n${xml}`);
        assert.deepEqual(result.envelope, expected, `booleanStyle ${booleanStyle}\n${xml}`);
        assert.deepEqual(
          result.warnings.map((w) => w.code).filter((code) => !tolerated?.test(code)),
          expectedWarnings,
          `booleanStyle ${booleanStyle}\n${xml}`,
        );
        // Bytes travel the same way as text.
        const fromBytes = decodeEnvelope(new TextEncoder().encode(xml));
        assert.ok(fromBytes.ok);
        assert.deepEqual(fromBytes.envelope, expected);
      }
    }),
    { numRuns: runs, seed: SEED },
  );
}

describe('encodeEnvelope → decodeEnvelope round trip (fast-check)', () => {
  test('the schema walk covers every method in SCHEMA_BY_METHOD', () => {
    assert.ok(SCHEMA_BY_METHOD.size >= 50, `only ${SCHEMA_BY_METHOD.size} methods`);
    for (const method of SCHEMA_BY_METHOD.keys())
      assert.doesNotThrow(() => messageSample(method), method);
  });

  test('normalise() agrees with the hand-checked cases', () => {
    assert.equal(normalise('a\u0000b\u0002c\ufffe\uffff'), 'a\ufffdb\ufffdc\ufffd\ufffd');
    assert.equal(normalise('\ud800x\udc00\ud83d\ude00'), '\ufffdx\ufffd😀');
    assert.equal(normalise('\t\n\r <>&"\']]>'), '\t\n\r <>&"\']]>');
  });

  for (const method of SCHEMA_BY_METHOD.keys()) {
    test(method, () => checkRoundTrip(envelopeSample(messageSample(method)), RUNS_PER_METHOD));
  }

  test('dateTime fields carry any text, trimmed (the reader may remark on it)', () => {
    const withDateTimes = [...SCHEMA_BY_METHOD]
      .filter(([, m]) => hasDateTime(m.body))
      .map(([n]) => n);
    assert.ok(withDateTimes.length >= 5, withDateTimes.join());
    for (const method of withDateTimes) {
      checkRoundTrip(envelopeSample(messageSample(method, true)), RUNS_PER_METHOD / 5, /datetime/i);
    }
  });

  test('Fault with SetParameterValuesFault entries', () => {
    checkRoundTrip(envelopeSample(faultSample), RUNS_PER_METHOD * 2);
  });

  test('headers alone, in every namespace (empty-bodied GetRPCMethods)', () => {
    checkRoundTrip(envelopeSample(messageSample('GetRPCMethods')), RUNS_PER_METHOD * 2);
  });

  test('an unknown method keeps its name, with an unknown-method warning', () => {
    const known = new Set([...SCHEMA_BY_METHOD.keys(), 'Fault']);
    const name = fc.stringMatching(/^[A-Za-z_][\w.-]{0,20}$/).filter((n) => !known.has(n));
    fc.assert(
      fc.property(name, (Name) => {
        const result = decodeEnvelope(encodeEnvelope({ body: { method: 'UnknownMethod', Name } }));
        assert.ok(result.ok);
        assert.deepEqual(result.envelope.body, { method: 'UnknownMethod', Name });
        assert.deepEqual(
          result.warnings.map((w) => w.code),
          ['unknown-method'],
        );
      }),
      { numRuns: RUNS_PER_METHOD, seed: SEED },
    );
  });
});
