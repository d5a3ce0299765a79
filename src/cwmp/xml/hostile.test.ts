/**
 * Hostile payloads (security.md items 7 and 8): each is refused with a specific error code, quickly, and without
 * the decoder's memory growing with the attack; the odd-but-harmless ones decode with a warning.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { GCProfiler, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type DecodeOptions, type DecodeResult, decodeEnvelope } from '../envelope/decode.ts';
import { CwmpDecodeError, type DecodeErrorCode } from '../errors.ts';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const OPEN = `<soap-env:Envelope xmlns:soap-env="${SOAP}" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Body>`;
const CLOSE = '</soap-env:Body></soap-env:Envelope>';
const wrap = (body: string) => `${OPEN}${body}${CLOSE}`;
const gpn = (path: string) =>
  `<cwmp:GetParameterNames><ParameterPath>${path}</ParameterPath><NextLevel>1</NextLevel></cwmp:GetParameterNames>`;
/** Well under a second, with room for a slow CI machine. */
const QUICK_MS = 250;

function timed(
  input: string | Uint8Array,
  options?: DecodeOptions,
): { result: DecodeResult; ms: number } {
  const start = performance.now();
  const result = decodeEnvelope(input, options);
  return { result, ms: performance.now() - start };
}

function refused(input: string | Uint8Array, code: DecodeErrorCode, options?: DecodeOptions): void {
  refusal(input, code, options);
}

function refusal(
  input: string | Uint8Array,
  code: DecodeErrorCode,
  options?: DecodeOptions,
): CwmpDecodeError {
  const { result, ms } = timed(input, options);
  if (result.ok)
    assert.fail(
      `expected ${code}, but it decoded: ${JSON.stringify(result.envelope).slice(0, 200)}`,
    );
  assert.ok(result.error instanceof CwmpDecodeError);
  assert.equal(result.error.code, code, result.error.message);
  assert.ok(ms < QUICK_MS, `took ${ms.toFixed(1)} ms`);
  return result.error;
}

/** Decodes a GetParameterNames and returns its ParameterPath and warning codes. */
function parameterPath(input: string | Uint8Array): { path: string; warnings: string[] } {
  const { result, ms } = timed(input);
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  assert.ok(ms < QUICK_MS, `took ${ms.toFixed(1)} ms`);
  assert.equal(result.envelope.body.method, 'GetParameterNames');
  const body = result.envelope.body as { ParameterPath: string };
  return { path: body.ParameterPath, warnings: result.warnings.map((w) => w.code) };
}

const XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
const LAUGHS = [
  '<!DOCTYPE lolz [<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
  ']>',
].join('');

describe('DTDs and entities are refused (XXE, billion laughs, quadratic blowup)', () => {
  test('XXE through an external entity', () => {
    const error = refusal(`<?xml version="1.0"?>${XXE}${wrap(gpn('&xxe;'))}`, 'doctype-forbidden');
    assert.doesNotMatch(error.message, /root:/);
  });
  test('XXE through an external DTD', () => {
    refused(
      `<!DOCTYPE foo SYSTEM "http://attacker.example/x.dtd">${wrap(gpn('x'))}`,
      'doctype-forbidden',
    );
  });
  test('billion laughs', () => refused(`${LAUGHS}${wrap(gpn('&lol9;'))}`, 'doctype-forbidden'));
  test('quadratic blowup: one 100 kB entity referenced 100,000 times', () => {
    const dtd = `<!DOCTYPE q [<!ENTITY a "${'a'.repeat(100_000)}">]>`;
    refused(`${dtd}${wrap(gpn('&a;'.repeat(100_000)))}`, 'doctype-forbidden');
  });
  test('a DOCTYPE after the root element', () =>
    refused(`${wrap(gpn('x'))}${XXE}`, 'doctype-forbidden'));
  test('an entity declaration inside the body', () => {
    refused(wrap(`<!ENTITY x "y">${gpn('x')}`), 'doctype-forbidden');
  });
  test('"<!DOCTYPE" inside CDATA or a comment is text, not a DTD', () => {
    assert.equal(parameterPath(wrap(gpn('<![CDATA[<!DOCTYPE html>]]>'))).path, '<!DOCTYPE html>');
    assert.equal(parameterPath(wrap(`<!-- <!ENTITY x "y"> -->${gpn('x')}`)).path, 'x');
  });
  test('an entity reference with no DTD at all', () =>
    refused(wrap(gpn('&xxe;')), 'undefined-entity'));
  test('an undefined entity in an attribute value', () => {
    refused(`<soap-env:Envelope xmlns:soap-env="${SOAP}" a="&bogus;"/>`, 'undefined-entity');
  });
});

describe('structural limits', () => {
  test('10,000-deep nesting inside the Body', () => {
    refused(wrap(`${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`), 'depth-exceeded');
  });
  test('10,000-deep nesting from the root, never closed', () =>
    refused('<a>'.repeat(10_000), 'depth-exceeded'));
  test('100,000 attributes on one element', () => {
    const attributes = Array.from({ length: 100_000 }, (_, i) => ` a${i}="x"`).join('');
    refused(`<soap-env:Envelope xmlns:soap-env="${SOAP}"${attributes}>`, 'too-many-attributes');
  });
  test('100,000 namespace declarations on one element', () => {
    const declarations = Array.from({ length: 100_000 }, (_, i) => ` xmlns:p${i}="urn:p${i}"`).join(
      '',
    );
    refused(`<soap-env:Envelope xmlns:soap-env="${SOAP}"${declarations}>`, 'too-many-attributes');
  });
  test('10,000 elements each declaring 30 namespaces: parsed quickly, and the bindings end with them', () => {
    const declarations = Array.from({ length: 30 }, (_, i) => ` xmlns:p${i}="urn:p${i}"`).join('');
    const many = `<x${declarations}/>`.repeat(10_000);
    const { result, ms } = timed(wrap(`<cwmp:GetRPCMethods>${many}</cwmp:GetRPCMethods>`));
    assert.ok(result.ok && result.envelope.body.method === 'GetRPCMethods');
    assert.ok(ms < QUICK_MS * 2, `took ${ms.toFixed(1)} ms`);
    refused(wrap(`<cwmp:GetRPCMethods>${many}<p0:y/></cwmp:GetRPCMethods>`), 'unbound-prefix');
  });
  test('more elements than maxElements', () => {
    refused(
      wrap(`<cwmp:GetRPCMethods>${'<a/>'.repeat(200)}</cwmp:GetRPCMethods>`),
      'too-many-elements',
      {
        limits: { maxElements: 100 },
      },
    );
  });
  test('a body larger than maxBytes, as text and as bytes', () => {
    const message = wrap(gpn('Device.'));
    const limits = { maxBytes: message.length - 1 };
    refused(message, 'message-too-large', { limits });
    refused(new TextEncoder().encode(message), 'message-too-large', { limits });
  });
  test('a body larger than the default maxBytes is refused before it is read', () => {
    const bytes = new Uint8Array(33 * 1024 * 1024).fill(0x3c); // '<' × 33 MiB
    const text = ' '.repeat(33 * 1024 * 1024);
    for (const input of [bytes, text]) {
      const { result, ms } = timed(input);
      assert.ok(!result.ok && result.error.code === 'message-too-large');
      assert.ok(ms < 50, `took ${ms.toFixed(1)} ms`);
    }
  });
  test('a 1 MB attribute value is read in one step', () => {
    const message = `<soap-env:Envelope xmlns:soap-env="${SOAP}" xmlns:cwmp="urn:dslforum-org:cwmp-1-0" big="${'x'.repeat(1_000_000)}"><soap-env:Body>${gpn('Device.')}${CLOSE}`;
    assert.equal(parameterPath(message).path, 'Device.');
  });
});

describe('malformed XML', () => {
  const cases: Array<[string, string, DecodeErrorCode]> = [
    ['an unterminated comment', `${OPEN}<!-- ${gpn('x')}${CLOSE}`, 'xml-syntax'],
    [
      'an unterminated CDATA section',
      wrap('<cwmp:GetParameterNames><ParameterPath><![CDATA[x'),
      'xml-syntax',
    ],
    [
      'an unterminated processing instruction',
      `<?xml version="1.0"${wrap(gpn('x'))}`,
      'xml-syntax',
    ],
    ['an unterminated attribute value', `<soap-env:Envelope xmlns:soap-env="${SOAP}`, 'xml-syntax'],
    ['an unbound element prefix', wrap('<foo:GetRPCMethods/>'), 'unbound-prefix'],
    ['an unbound attribute prefix', wrap('<cwmp:GetRPCMethods foo:a="1"/>'), 'unbound-prefix'],
    ['mismatched end tags', wrap('<cwmp:GetRPCMethods></cwmp:GetRPCMethod>'), 'xml-syntax'],
    ['two root elements', `${wrap(gpn('x'))}${wrap(gpn('y'))}`, 'xml-syntax'],
    ['text outside the root element', `junk${wrap(gpn('x'))}`, 'xml-syntax'],
    ['text after the root element', `${wrap(gpn('x'))}junk`, 'xml-syntax'],
    [
      'a duplicate attribute',
      `<soap-env:Envelope xmlns:soap-env="${SOAP}" a="1" a="2"/>`,
      'xml-syntax',
    ],
    [
      '"<" in an attribute value',
      `<soap-env:Envelope xmlns:soap-env="${SOAP}" a="<"/>`,
      'xml-syntax',
    ],
    ['a malformed character reference', wrap(gpn('&#xZZ;')), 'xml-syntax'],
    [
      'an Envelope in the SOAP 1.2 namespace',
      `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><env:Body>${gpn('x')}</env:Body></env:Envelope>`,
      'not-soap-envelope',
    ],
    [
      'a root element that is not an Envelope',
      '<html><body>hello</body></html>',
      'not-soap-envelope',
    ],
    ['an empty string', '', 'empty-message'],
    ['only whitespace', ' \r\n\t\n ', 'empty-message'],
    ['only a byte-order mark', '\ufeff', 'empty-message'],
  ];
  for (const [name, input, code] of cases) test(name, () => refused(input, code));
  test('an empty byte array', () => refused(new Uint8Array(0), 'empty-message'));
});

describe('character-level oddities decode leniently, with a warning (quirk 13)', () => {
  test('raw control characters become U+FFFD with an illegal-xml-character warning', () => {
    const { path, warnings } = parameterPath(wrap(gpn('a\u0000b\u0002c\u001fd\ufffe')));
    assert.equal(path, 'a\ufffdb\ufffdc\ufffdd\ufffd');
    assert.deepEqual(warnings, ['illegal-xml-character']);
  });
  test('character references to NUL and 0x02 become U+FFFD', () => {
    assert.equal(
      parameterPath(wrap(gpn('a&#0;b&#x2;c&#xD800;d&#x110000;'))).path,
      'a\ufffdb\ufffdc\ufffdd\ufffd',
    );
  });
  test('character references to NUL and 0x02 are reported as illegal-xml-character, as raw ones are', () => {
    assert.deepEqual(parameterPath(wrap(gpn('a&#0;b&#2;'))).warnings, ['illegal-xml-character']);
  });
  test('an unpaired surrogate in text input becomes U+FFFD with a warning', () => {
    const { path, warnings } = parameterPath(wrap(gpn('a\ud800b')));
    assert.equal(path, 'a\ufffdb');
    assert.deepEqual(warnings, ['unpaired-surrogate']);
  });
  test('invalid UTF-8 bytes become U+FFFD with an invalid-utf8 warning', () => {
    const [before, after] = wrap(gpn('@@')).split('@@') as [string, string];
    const encoder = new TextEncoder();
    const bytes = Buffer.concat([
      encoder.encode(before),
      Buffer.of(0x61, 0xc3, 0x28, 0xff, 0x62),
      encoder.encode(after),
    ]);
    const { path, warnings } = parameterPath(bytes);
    assert.equal(path, 'a\ufffd(\ufffdb');
    assert.deepEqual(warnings, ['invalid-utf8']);
  });
  test('UTF-16 with a byte-order mark, little- and big-endian', () => {
    const text = `<?xml version="1.0" encoding="UTF-16"?>${wrap(gpn('Dévice.😀'))}`;
    const le = Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    for (const bytes of [le, be])
      assert.deepEqual(parameterPath(bytes), { path: 'Dévice.😀', warnings: [] });
  });
  test('ISO-8859-1 declared in the XML declaration', () => {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>${wrap(gpn('caf\u00e9'))}`;
    assert.deepEqual(parameterPath(Buffer.from(text, 'latin1')), { path: 'café', warnings: [] });
  });
  test('an unknown declared encoding is read as UTF-8, with a warning', () => {
    const text = `<?xml version="1.0" encoding="x-klingon"?>${wrap(gpn('caf\u00e9'))}`;
    assert.deepEqual(parameterPath(Buffer.from(text, 'utf8')), {
      path: 'café',
      warnings: ['unknown-encoding'],
    });
  });
});

// --- memory ------------------------------------------------------------------------------------------------------

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MB = 1_000_000;

/** Peak heap growth over one call: the heap in use before each collection during it, and at its end. */
function peakHeap(run: () => void): { peak: number; ms: number } {
  gc();
  const base = process.memoryUsage().heapUsed;
  const profiler = new GCProfiler();
  profiler.start();
  const start = performance.now();
  run();
  const ms = performance.now() - start;
  let peak = process.memoryUsage().heapUsed;
  for (const s of profiler.stop()?.statistics ?? [])
    peak = Math.max(peak, s.beforeGC.heapStatistics.usedHeapSize);
  return { peak: peak - base, ms };
}

/**
 * Refuses `body` (text, then bytes) three times each: every call must finish within a second, peak no higher than
 * one two-byte copy of the message (plus the text decoded from bytes) and 16 MB, and leave nothing behind.
 */
function refusesInFlatMemory(body: string, code: DecodeErrorCode, factor = 2): string {
  body.indexOf('\u0000'); // flatten the test's own rope now, not inside the first measured call
  const bytes = new TextEncoder().encode(body);
  gc();
  const before = process.memoryUsage().heapUsed;
  const notes: string[] = [];
  for (const input of [body, bytes]) {
    const allowance = factor * body.length * (typeof input === 'string' ? 1 : 2) + 16 * MB;
    for (let i = 0; i < 3; i++) {
      let result: DecodeResult | undefined;
      const { peak, ms } = peakHeap(() => {
        result = decodeEnvelope(input);
      });
      assert.ok(
        result && !result.ok && result.error.code === code,
        result?.ok ? 'decoded' : result?.error.message,
      );
      assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
      assert.ok(
        peak < allowance,
        `heap grew by ${(peak / MB).toFixed(0)} MB (allowed ${(allowance / MB).toFixed(0)})`,
      );
      if (i === 2)
        notes.push(
          `${typeof input === 'string' ? 'text' : 'bytes'}: ${ms.toFixed(0)} ms, +${(peak / MB).toFixed(0)} MB`,
        );
    }
  }
  gc();
  const retained = process.memoryUsage().heapUsed - before;
  assert.ok(retained < 8 * MB, `${(retained / MB).toFixed(0)} MB retained after six refusals`);
  return notes.join('; ');
}

describe('refusing ~30 MB hostile bodies keeps memory flat', () => {
  const big: Array<[string, () => string, DecodeErrorCode]> = [
    ['10 million nested elements', () => '<a>'.repeat(10 * MB), 'depth-exceeded'],
    ['a comment never closed', () => `${OPEN}<!--${'-'.repeat(30 * MB)}`, 'xml-syntax'],
    [
      'an attribute value never closed',
      () => `<soap-env:Envelope a="${'x'.repeat(30 * MB)}`,
      'xml-syntax',
    ],
    [
      '7.5 million sibling elements',
      () => wrap(`<cwmp:GetRPCMethods>${'<a/>'.repeat(7.5 * MB)}</cwmp:GetRPCMethods>`),
      'too-many-elements',
    ],
    [
      'a DOCTYPE after 30 MB of text',
      () => `${OPEN}<cwmp:X>${'x'.repeat(30 * MB)}</cwmp:X>${CLOSE}${XXE}`,
      'doctype-forbidden',
    ],
  ];
  for (const [name, make, code] of big) {
    test(name, (t) => t.diagnostic(refusesInFlatMemory(make(), code)));
  }

  // A global String.replace or a concatenation keeps tens of bytes per match alive until flattened: the parser
  // works block by block so that millions of CRs, control characters or references stay flat.
  const unclosed = `${OPEN}<cwmp:GetRPCMethods>`;
  test('8 MB of carriage returns', () => {
    refusesInFlatMemory(`${unclosed}${'\r'.repeat(8 * MB)}`, 'xml-syntax');
  });
  test('8 MB of control characters', () => {
    refusesInFlatMemory(`${unclosed}${'\u0002'.repeat(8 * MB)}`, 'xml-syntax');
  });
  test('8 MB of character references', () => {
    // Decoding references materialises the decoded text block by block beside the input: linear, not flat.
    refusesInFlatMemory(`${unclosed}${'&lt;'.repeat(2 * MB)}`, 'xml-syntax', 4);
  });
});
