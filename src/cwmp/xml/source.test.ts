/**
 * UTF-8 bytes are parsed in place, through their Latin-1 reading (source.ts), text through itself: the two must
 * never differ, in what decodes, in what is refused, or in where an error or a warning is located.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DecodeResult, decodeEnvelope } from '../envelope/decode.ts';

const OPEN =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:cwmp="urn:dslforum-org:cwmp-1-2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap-env:Header><cwmp:ID>é-1</cwmp:ID></soap-env:Header>' +
  '<soap-env:Body>';
const CLOSE = '</soap-env:Body></soap-env:Envelope>';

function gpv(values: string[]): string {
  const items = values
    .map(
      (v, i) =>
        `<ParameterValueStruct><Name>Device.Ünï.${i}.Nom</Name><Value xsi:type="xsd:string">${v}</Value></ParameterValueStruct>`,
    )
    .join('\n');
  return `${OPEN}<cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[${values.length}]" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/">${items}</ParameterList></cwmp:GetParameterValuesResponse>${CLOSE}`;
}

function outcome(result: DecodeResult): unknown {
  return result.ok
    ? { envelope: result.envelope, warnings: result.warnings }
    : { error: result.error.toJSON(), warnings: result.warnings };
}

function assertSame(text: string): void {
  const fromText = outcome(decodeEnvelope(text));
  const fromBytes = outcome(decodeEnvelope(new TextEncoder().encode(text)));
  assert.deepEqual(fromBytes, fromText, text.slice(0, 200));
}

const VALUES = [
  'Gäste &amp; Büro — «café»',
  '東京 R&amp;D',
  '<![CDATA[Ωmega <raw> & ü]]>',
  'plain ascii',
  '&#x6771;&#20140; ✓',
  '',
  `${'x'.repeat(40)}é${'y'.repeat(40)}`,
];

describe('UTF-8 bytes decode exactly as their text', () => {
  test('well-formed messages with non-ASCII names, values and attributes', () => {
    assertSame(gpv(VALUES));
    assertSame(gpv(['a', 'b']));
    assertSame(`\uFEFF${gpv(VALUES)}`);
    assertSame(gpv(VALUES).replace('<ParameterList ', '<ParameterList é:ü="ö" xmlns:é="urn:ë" '));
    assertSame(
      gpv(VALUES)
        .replace(/<Name>/g, '<Näme>')
        .replace(/<\/Name>/g, '</Näme>'),
    );
  });

  test('large messages (read through a padded string) alike', () => {
    const values = Array.from({ length: 4000 }, (_, i) => VALUES[i % VALUES.length]!);
    const large = gpv(values);
    assert.ok(new TextEncoder().encode(large).length > 256 * 1024);
    assertSame(large);
    assertSame(large.replace(/<\/ParameterList>/, '</ParameterLis>'));
    assertSame(`${large}  <x/>`);
  });

  test('errors and warnings are located alike after non-ASCII text', () => {
    const base = gpv(VALUES);
    const faults = [
      base.replace('</Value>', '</Valüe>'),
      base.replace('&amp;', '&bogus;'),
      base.replace('ü', 'ü&#0;'),
      base.replace('<Name>', '<Name>&#xFFFFFFF;'),
      base.replace('xsi:type="xsd:string"', 'xsi:type="xsd:unsignedInt"'),
      base.replace('Device.Ünï.3', 'Déjà:é:x'),
      base.replace('<Name>Device.Ünï.2.Nom</Name>', ''),
      base.replace('</cwmp:GetParameterValuesResponse>', '<ünclosed>'),
      base.replace('<Value ', '<Välue a="<" '),
      base.replace('<ParameterList ', '<ParameterList ä:b="1" '),
      base.replace('é-1', 'é-1\r\n\u0002'),
      base.replace('é-1', 'é-1\uFFFE'),
      base.replace('plain ascii', 'plain\uFFFF ascii'),
      `${base}\uFFFF`,
      `${base}東`,
      base.replace('</soap-env:Envelope>', '</soap-env:Envelopé>'),
      base.replace('</soap-env:Envelope>', '</soap-env:Envelop>'),
      base.replace('</Name>', '</Nam>'),
      base.replace('</Name>', '</Namé>'),
      base.replace('</ParameterValueStruct>', '</ParameterValueStruct  >'),
      `${base}<!DOCTYPE x>`,
    ];
    for (const text of faults) assertSame(text);
  });

  test('random edits of a non-ASCII message', () => {
    const palette = [
      '<',
      '>',
      '/',
      '&',
      ';',
      ':',
      '"',
      '=',
      ' ',
      '\n',
      'é',
      '東',
      '😀',
      'a',
      '&amp;',
      '#',
      '\uFFFE',
      '\uFFFF',
      '\uFFFD',
      '\u0001',
      '\r',
    ];
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const base = gpv(VALUES);
    for (let i = 0; i < 3000; i++) {
      let text = base;
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        // Edit whole code points only, so that the text stays valid and its UTF-8 means the same.
        const chars = Array.from(text);
        const at = Math.floor(random() * chars.length);
        if (random() < 0.5) chars.splice(at, 1);
        else chars.splice(at, 0, palette[Math.floor(random() * palette.length)]!);
        text = chars.join('');
      }
      assertSame(text);
    }
  });
});
