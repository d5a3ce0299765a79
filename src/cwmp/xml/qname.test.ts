/**
 * Names are kept from one message to the next (qname.ts): what one message taught must never change how another
 * decodes, even once the kept table is full.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEnvelope } from '../envelope/decode.ts';

const OPEN =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Body>';
const CLOSE = '</soap-env:Body></soap-env:Envelope>';
const gpn = (names: string) =>
  `${OPEN}<cwmp:GetParameterNamesResponse><ParameterList>${names}</ParameterList></cwmp:GetParameterNamesResponse>${CLOSE}`;
const entry = (name: string, tag = 'ParameterInfoStruct') =>
  `<${tag}><Name>${name}</Name><Writable>1</Writable></${tag}>`;

test('names met in earlier messages, and a full table, change nothing', () => {
  const before = decodeEnvelope(gpn(entry('Device.A.') + entry('Device.B.')));
  // Thousands of invented names fill the kept table; a namespace bound to a kept prefix changes meaning.
  const invented = Array.from({ length: 3000 }, (_, i) => `<P${i} a${i}="x"/>`).join('');
  assert.ok(decodeEnvelope(`${OPEN}<cwmp:X>${invented}</cwmp:X>${CLOSE}`).ok);
  const rebound = decodeEnvelope(
    gpn(entry('Device.A.')).replace('xmlns:cwmp="urn:dslforum-org:cwmp-1-0"', 'xmlns:cwmp="urn:x"'),
  );
  assert.ok(rebound.ok && rebound.envelope.cwmpNamespace === 'urn:dslforum-org:cwmp-1-0');
  assert.deepEqual(
    rebound.warnings.map((w) => w.code),
    ['unknown-cwmp-namespace'],
  );
  const after = decodeEnvelope(gpn(entry('Device.A.') + entry('Device.B.')));
  assert.deepEqual(after, before);
  // Names new since the table filled are still read, in bytes and in text alike.
  const fresh = gpn(entry('Device.C.', 'ParameterInfoStructÉ') + entry('Device.D.', 'Zz'));
  const fromText = decodeEnvelope(fresh);
  assert.ok(fromText.ok);
  assert.deepEqual(decodeEnvelope(new TextEncoder().encode(fresh)), fromText);
});
