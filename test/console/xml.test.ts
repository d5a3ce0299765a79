/** The trace viewer's SOAP pretty-printer (src/ui/xml.ts): pure string work, whatever a device sent. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prettyXml, rpcName } from '../../src/ui/xml.ts';

const INFORM =
  '<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="s"><soap-env:Header><cwmp:ID>1</cwmp:ID></soap-env:Header>' +
  '<soap-env:Body><cwmp:Inform><DeviceId><OUI>02C0A1</OUI><ProductClass>&lt;img src=x&gt;</ProductClass></DeviceId>' +
  '<Empty/><Blank></Blank></cwmp:Inform></soap-env:Body></soap-env:Envelope>';

describe('prettyXml', () => {
  it('puts one element a line, indented, with its text on its line', () => {
    assert.equal(
      prettyXml(INFORM),
      [
        '<?xml version="1.0"?>',
        '<soap-env:Envelope xmlns:soap-env="s">',
        '  <soap-env:Header>',
        '    <cwmp:ID>1</cwmp:ID>',
        '  </soap-env:Header>',
        '  <soap-env:Body>',
        '    <cwmp:Inform>',
        '      <DeviceId>',
        '        <OUI>02C0A1</OUI>',
        '        <ProductClass>&lt;img src=x&gt;</ProductClass>',
        '      </DeviceId>',
        '      <Empty/>',
        '      <Blank></Blank>',
        '    </cwmp:Inform>',
        '  </soap-env:Body>',
        '</soap-env:Envelope>',
      ].join('\n'),
    );
  });

  it('keeps every character of a malformed message, roughly indented, and never throws', () => {
    for (const bad of ['', 'not xml', '</a></b><c>', '<a><b>text', '<<<>>>', '<a x="1>2">t</a>']) {
      const out = prettyXml(bad);
      assert.equal(out.replace(/\s+/g, ''), bad.replace(/\s+/g, ''), bad);
    }
  });
});

describe('rpcName', () => {
  it('names the RPC in the body, whatever the SOAP prefix', () => {
    assert.equal(rpcName(INFORM), 'Inform');
    assert.equal(
      rpcName('<e:Envelope><e:Body>\n  <x:GetParameterValuesResponse/></e:Body></e:Envelope>'),
      'GetParameterValuesResponse',
    );
    assert.equal(rpcName('<Envelope><Body><Fault/></Body></Envelope>'), 'Fault');
    assert.equal(rpcName(''), '(empty)');
    assert.equal(rpcName('garbage'), '(no body)');
  });
});
