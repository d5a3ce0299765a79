/**
 * The message-level items of shared/reference/vendor-quirks.md that the corpus does not show, each as the minimal
 * XML a device sends. They must decode (with a warning where the quirk is worth one), never be refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CwmpMessage } from '../messages/index.ts';
import { CWMP_1_0, CWMP_1_1, CWMP_1_2, CWMP_1_3_NONSTANDARD } from '../namespaces.ts';
import { type CwmpEnvelope, type DecodeResult, decodeEnvelope } from './decode.ts';
import { encodeEnvelope } from './encode.ts';

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
const NS = `xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

type EnvelopeParts = Partial<
  Record<'prefix' | 'cwmp' | 'header' | 'envelopeAttributes' | 'bodyAttributes', string>
>;

/** A SOAP envelope around `body`, with the given SOAP prefix and cwmp namespace. */
function envelope(body: string, parts: EnvelopeParts = {}): string {
  const {
    prefix: p = 'SOAP-ENV',
    cwmp = CWMP_1_0,
    header,
    envelopeAttributes = '',
    bodyAttributes = '',
  } = parts;
  const env = p === '' ? 'Envelope' : `${p}:Envelope`;
  const el = (name: string) => (p === '' ? name : `${p}:${name}`);
  const xmlns = p === '' ? `xmlns="${SOAP}"` : `xmlns:${p}="${SOAP}"`;
  return (
    `<${env} ${xmlns} ${NS} xmlns:cwmp="${cwmp}" ${envelopeAttributes}>` +
    (header === undefined ? '' : `<${el('Header')}>${header}</${el('Header')}>`) +
    `<${el('Body')} ${bodyAttributes}>${body}</${el('Body')}></${env}>`
  );
}

const DEVICE_ID =
  '<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI><ProductClass>IGD</ProductClass><SerialNumber>SN1</SerialNumber></DeviceId>';

function inform(
  parts: { deviceId?: string; event?: string; params?: string; currentTime?: string } = {},
): string {
  const event =
    parts.event ??
    '<Event SOAP-ENC:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>';
  return (
    `<cwmp:Inform>${parts.deviceId ?? DEVICE_ID}${event}<MaxEnvelopes>1</MaxEnvelopes>` +
    `<CurrentTime>${parts.currentTime ?? '2024-01-01T00:00:00Z'}</CurrentTime><RetryCount>0</RetryCount>` +
    `<ParameterList SOAP-ENC:arrayType="cwmp:ParameterValueStruct[1]">${parts.params ?? pvs('Device.X', '<Value xsi:type="xsd:string">x</Value>')}</ParameterList></cwmp:Inform>`
  );
}

const pvs = (name: string, value: string) =>
  `<ParameterValueStruct><Name>${name}</Name>${value}</ParameterValueStruct>`;
const pv = (name: string, value: string, type: string) => ({ name, value, type });
/** `<Event>` with the given attributes around one EventStruct per code. */
const events = (attributes: string, ...codes: string[]) =>
  `<Event ${attributes}>${codes.map((c) => `<EventStruct><EventCode>${c}</EventCode><CommandKey/></EventStruct>`).join('')}</Event>`;
/** An Inform whose DeviceId holds `inner`. */
const withDeviceId = (inner: string) =>
  envelope(inform({ deviceId: `<DeviceId>${inner}</DeviceId>` }));

function decoded<M extends CwmpMessage['method']>(
  xml: string,
  method: M,
  warnings: string[] = [],
): CwmpEnvelope & { body: Extract<CwmpMessage, { method: M }> } {
  const result: DecodeResult = decodeEnvelope(xml);
  if (!result.ok) assert.fail(`${result.error.code}: ${result.error.message}`);
  assert.equal(result.envelope.body.method, method);
  assert.deepEqual(result.warnings.map((w) => w.code).sort(), [...warnings].sort());
  return result.envelope as CwmpEnvelope & { body: Extract<CwmpMessage, { method: M }> };
}

function refused(xml: string, code: string): void {
  const result = decodeEnvelope(xml);
  assert.ok(!result.ok, 'expected the message to be refused');
  assert.equal(result.error.code, code, result.error.message);
}

const firstParam = (xml: string, warnings: string[] = []) =>
  decoded(envelope(inform({ params: xml })), 'Inform', warnings).body.ParameterList[0]!;

describe('quirk 5: any SOAP prefix, matched by namespace', () => {
  for (const prefix of ['SOAP-ENV', 'soap-env', 'soapenv', 'soap_env', 'soap', '']) {
    test(prefix === '' ? 'the default namespace, no prefix' : `prefix ${prefix}`, () => {
      const xml = envelope(inform(), { prefix, header: '<cwmp:ID>1</cwmp:ID>' });
      const { header, body } = decoded(xml, 'Inform');
      assert.deepEqual(header, { ID: '1' });
      assert.equal(body.DeviceId.SerialNumber, 'SN1');
    });
  }
  test('another prefix for the cwmp namespace', () => {
    const xml = envelope(inform().replaceAll('cwmp:', 'ns0:'), {
      envelopeAttributes: `xmlns:ns0="${CWMP_1_2}"`,
    });
    assert.equal(decoded(xml, 'Inform').cwmpNamespace, CWMP_1_2);
  });
  test('an Envelope element with the right name in another namespace is not SOAP', () => {
    refused(envelope(inform()).replace(SOAP, 'urn:not-soap'), 'not-soap-envelope');
  });
});

describe('quirk 4: the CPE namespace is kept, to answer in it', () => {
  for (const ns of [CWMP_1_0, CWMP_1_1, CWMP_1_2]) {
    test(ns, () => {
      const { cwmpNamespace } = decoded(envelope(inform(), { cwmp: ns }), 'Inform');
      assert.equal(cwmpNamespace, ns);
      const answer = encodeEnvelope({
        cwmpNamespace,
        body: { method: 'InformResponse', MaxEnvelopes: 1 },
      });
      assert.ok(answer.includes(`xmlns:cwmp="${ns}"`));
    });
  }
  test('the non-standard cwmp-1-3 is accepted, with a warning', () => {
    const xml = envelope(inform(), { cwmp: CWMP_1_3_NONSTANDARD });
    assert.equal(
      decoded(xml, 'Inform', ['nonstandard-namespace']).cwmpNamespace,
      CWMP_1_3_NONSTANDARD,
    );
  });
  test('an unknown cwmp-1-x is kept, with a warning', () => {
    const xml = envelope(inform(), { cwmp: 'urn:dslforum-org:cwmp-1-9' });
    assert.equal(
      decoded(xml, 'Inform', ['unknown-cwmp-namespace']).cwmpNamespace,
      'urn:dslforum-org:cwmp-1-9',
    );
  });
});

describe('quirk 6: events and array counts', () => {
  test('zero events: EventStruct[0]', () => {
    const xml = envelope(
      inform({ event: '<Event SOAP-ENC:arrayType="cwmp:EventStruct[0]"></Event>' }),
    );
    assert.deepEqual(decoded(xml, 'Inform').body.Event, []);
  });
  test('Event xsi:type="SOAP-ENC:Array"', () => {
    const event = events(
      'xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="cwmp:EventStruct[2]"',
      '1 BOOT',
      'M Reboot',
    );
    assert.deepEqual(decoded(envelope(inform({ event })), 'Inform').body.Event, [
      { EventCode: '1 BOOT', CommandKey: '' },
      { EventCode: 'M Reboot', CommandKey: '' },
    ]);
  });
  test('a zero-padded count, [02], is right', () => {
    const event = events('SOAP-ENC:arrayType="cwmp:EventStruct[02]"', '0 BOOTSTRAP', '1 BOOT');
    assert.equal(decoded(envelope(inform({ event })), 'Inform').body.Event.length, 2);
  });
  test('a wrong count is not trusted: every item is kept, with a warning', () => {
    const event = events('SOAP-ENC:arrayType="cwmp:EventStruct[3]"', '1 BOOT');
    const { body } = decoded(envelope(inform({ event })), 'Inform', ['array-count-mismatch']);
    assert.equal(body.Event.length, 1);
  });
  test('an Event without EventCode is refused', () => {
    refused(
      envelope(inform({ event: '<Event><EventStruct><CommandKey/></EventStruct></Event>' })),
      'missing-field',
    );
  });
});

describe('quirk 7: cwmp:ID is an opaque, optional string', () => {
  for (const id of ['inform', 'SAGEM_ID_7589', ' spaced ', '']) {
    test(`ID ${JSON.stringify(id)} is kept verbatim and echoed back`, () => {
      const { header } = decoded(
        envelope(inform(), { header: `<cwmp:ID SOAP-ENV:mustUnderstand="1">${id}</cwmp:ID>` }),
        'Inform',
      );
      assert.deepEqual(header, { ID: id });
      const answer = encodeEnvelope({
        header,
        body: { method: 'InformResponse', MaxEnvelopes: 1 },
      });
      assert.ok(answer.includes(`<cwmp:ID soap-env:mustUnderstand="1">${id}</cwmp:ID>`), answer);
    });
  }
  test('an empty <cwmp:ID/>', () => {
    assert.deepEqual(decoded(envelope(inform(), { header: '<cwmp:ID/>' }), 'Inform').header, {
      ID: '',
    });
  });
  test('a Header without ID, and no Header at all', () => {
    const withHeader = envelope(inform(), { header: '<cwmp:HoldRequests>0</cwmp:HoldRequests>' });
    assert.deepEqual(decoded(withHeader, 'Inform').header, { HoldRequests: false });
    assert.deepEqual(decoded(envelope(inform()), 'Inform').header, {});
  });
});

describe('quirk 8: DeviceId needs only OUI and SerialNumber', () => {
  const rest = '<OUI>00D09E</OUI><ProductClass/><SerialNumber>S</SerialNumber>';
  test('an empty Manufacturer, written both ways', () => {
    for (const m of ['<Manufacturer></Manufacturer>', '<Manufacturer/>']) {
      assert.deepEqual(decoded(withDeviceId(`${m}${rest}`), 'Inform').body.DeviceId, {
        Manufacturer: '',
        OUI: '00D09E',
        ProductClass: '',
        SerialNumber: 'S',
      });
    }
  });
  test('no Manufacturer element at all: taken as empty, with a warning', () => {
    assert.equal(
      decoded(withDeviceId(rest), 'Inform', ['missing-argument']).body.DeviceId.Manufacturer,
      '',
    );
  });
  test('no OUI, or no SerialNumber: refused', () => {
    refused(
      withDeviceId('<Manufacturer/><ProductClass/><SerialNumber>S</SerialNumber>'),
      'missing-field',
    );
    refused(withDeviceId('<Manufacturer/><OUI>00D09E</OUI><ProductClass/>'), 'missing-field');
  });
  test('an empty OUI or SerialNumber: refused, as the Scalar contract says for an essential field', () => {
    refused(
      withDeviceId('<Manufacturer/><OUI/><ProductClass/><SerialNumber>S</SerialNumber>'),
      'missing-field',
    );
    refused(
      withDeviceId('<Manufacturer/><OUI>1</OUI><ProductClass/><SerialNumber> </SerialNumber>'),
      'missing-field',
    );
  });
});

describe('quirk 9: header variants and encodingStyle', () => {
  test('SessionTimeout with mustUnderstand="0", SupportedCWMPVersions, and the legacy NoMoreRequests', () => {
    const header =
      '<cwmp:ID SOAP-ENV:mustUnderstand="1">7</cwmp:ID><cwmp:SessionTimeout SOAP-ENV:mustUnderstand="0">30</cwmp:SessionTimeout>' +
      '<cwmp:SupportedCWMPVersions SOAP-ENV:mustUnderstand="0">1.0,1.1,1.2,1.3,1.4</cwmp:SupportedCWMPVersions>' +
      '<cwmp:NoMoreRequests>1</cwmp:NoMoreRequests>';
    assert.deepEqual(decoded(envelope(inform(), { header }), 'Inform').header, {
      ID: '7',
      SessionTimeout: 30,
      SupportedCWMPVersions: '1.0,1.1,1.2,1.3,1.4',
      NoMoreRequests: true,
    });
  });
  test('an unknown header is ignored; with mustUnderstand="1" it is worth a warning', () => {
    decoded(envelope(inform(), { header: '<x:Trace xmlns:x="urn:x">1</x:Trace>' }), 'Inform');
    decoded(
      envelope(inform(), {
        header: '<x:Trace xmlns:x="urn:x" SOAP-ENV:mustUnderstand="1">1</x:Trace>',
      }),
      'Inform',
      ['unknown-header'],
    );
  });
  test('encodingStyle on Envelope, Body and Fault', () => {
    const style = `SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"`;
    decoded(envelope(inform(), { envelopeAttributes: style, bodyAttributes: style }), 'Inform');
    const fault = `<SOAP-ENV:Fault ${style}><faultcode>Client</faultcode><faultstring>x</faultstring><detail><cwmp:Fault><FaultCode>9005</FaultCode></cwmp:Fault></detail></SOAP-ENV:Fault>`;
    decoded(envelope(fault), 'Fault');
  });
});

describe('quirks 10 and 11: ParameterValueStruct variants', () => {
  test('no <Value> at all (Cisco SPA122): an empty string, with a warning', () => {
    assert.deepEqual(
      firstParam(pvs('Device.A', ''), ['missing-value']),
      pv('Device.A', '', 'string'),
    );
  });
  test('a self-closing <Value/>', () => {
    assert.deepEqual(
      firstParam(pvs('Device.A', '<Value xsi:type="xsd:string"/>')),
      pv('Device.A', '', 'string'),
    );
  });
  test('no xsi:type means string', () => {
    const p = firstParam(pvs('Device.A', '<Value>42</Value>'), ['missing-xsi-type']);
    assert.deepEqual(p, pv('Device.A', '42', 'string'));
  });
  test('a wrong xsi:type keeps the raw text and the declared type, with a warning', () => {
    const xml = pvs(
      'Device.URL',
      '<Value xsi:type="xsd:unsignedInt">https://acs.example/x</Value>',
    );
    assert.deepEqual(
      firstParam(xml, ['value-type-mismatch']),
      pv('Device.URL', 'https://acs.example/x', 'unsignedInt'),
    );
  });
  test('xsi:type through another prefix, and one outside TR-069', () => {
    const other = '<Value xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:int">-5</Value>';
    assert.equal(firstParam(pvs('Device.A', other)).type, 'int');
    assert.equal(
      firstParam(pvs('Device.A', '<Value xsi:type="xsd:float">1.5</Value>'), ['unknown-xsi-type'])
        .type,
      'float',
    );
  });
  test('a value in CDATA, and one with escaped markup', () => {
    assert.equal(
      firstParam(pvs('Device.A', '<Value xsi:type="xsd:string"><![CDATA[a<b&c]]></Value>')).value,
      'a<b&c',
    );
    assert.equal(
      firstParam(
        pvs('Device.A', '<Value xsi:type="xsd:string">&lt;b&gt; &amp; &#233;&#x1F600;</Value>'),
      ).value,
      '<b> & é😀',
    );
  });
});

describe('quirk 12: bad dateTimes are kept as sent', () => {
  const times = [
    '2019-03-05T11:54::14',
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00.123456',
    '0001-01-01T00:00:00',
  ];
  for (const time of [...times, '2024-13-45T99:00:00Z', 'yesterday']) {
    test(time, () => {
      const result = decodeEnvelope(envelope(inform({ currentTime: time })));
      assert.ok(result.ok && result.envelope.body.method === 'Inform');
      assert.equal(result.envelope.body.CurrentTime, time);
      // The dateTime reader may remark on it, at CurrentTime; nothing else may.
      for (const w of result.warnings) {
        assert.match(`${w.code} ${w.location?.path}`, /datetime .*\/CurrentTime$/);
      }
    });
  }
  test('an empty CurrentTime is the Unknown Time, with a warning', () => {
    const { body } = decoded(envelope(inform({ currentTime: '' })), 'Inform', ['empty-argument']);
    assert.equal(body.CurrentTime, '0001-01-01T00:00:00Z');
  });
});

describe('quirk 1: booleans', () => {
  test('1, 0, true, false and TRUE are read', () => {
    const words = ['1', '0', 'true', 'false', 'TRUE'];
    const list = words.map(
      (w) => `<ParameterInfoStruct><Name>P</Name><Writable>${w}</Writable></ParameterInfoStruct>`,
    );
    const xml = envelope(
      `<cwmp:GetParameterNamesResponse><ParameterList>${list.join('')}</ParameterList></cwmp:GetParameterNamesResponse>`,
    );
    const { body } = decoded(xml, 'GetParameterNamesResponse');
    assert.deepEqual(
      body.ParameterList.map((p) => p.Writable),
      [true, false, true, false, true],
    );
  });
  test('booleanStyle "digit" writes 1/0 in arguments and headers; the default writes true/false', () => {
    const message = {
      header: { HoldRequests: false },
      body: { method: 'GetParameterNames', ParameterPath: 'Device.', NextLevel: true },
    } as const;
    const digit = encodeEnvelope(message, { booleanStyle: 'digit' });
    assert.ok(
      digit.includes('<NextLevel>1</NextLevel>') && digit.includes('>0</cwmp:HoldRequests>'),
      digit,
    );
    const word = encodeEnvelope(message);
    assert.ok(
      word.includes('<NextLevel>true</NextLevel>') && word.includes('>false</cwmp:HoldRequests>'),
      word,
    );
  });
});

describe('quirk 20: fault style', () => {
  const fault = (code: string, detail: string) =>
    envelope(
      `<SOAP-ENV:Fault><faultcode>${code}</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault>${detail}</cwmp:Fault></detail></SOAP-ENV:Fault>`,
    );
  for (const [sent, read] of [
    ['SOAP-ENV:Client', 'Client'],
    ['soap:Server', 'Server'],
    ['Client', 'Client'],
    [' SOAP-ENV:Server\n', 'Server'],
  ]) {
    test(`faultcode ${JSON.stringify(sent)}`, () => {
      assert.equal(
        decoded(
          fault(sent!, '<FaultCode>9002</FaultCode><FaultString>Internal error</FaultString>'),
          'Fault',
        ).body.faultcode,
        read,
      );
    });
  }
  test('a SetParameterValues fault lists per-parameter faults', () => {
    const detail =
      '<FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>' +
      '<SetParameterValuesFault><ParameterName>Device.A</ParameterName><FaultCode>9007</FaultCode><FaultString>Invalid value</FaultString></SetParameterValuesFault>' +
      '<SetParameterValuesFault><ParameterName>Device.B</ParameterName><FaultCode>9008</FaultCode></SetParameterValuesFault>';
    assert.deepEqual(decoded(fault('SOAP-ENV:Client', detail), 'Fault').body, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9003,
      FaultString: 'Invalid arguments',
      SetParameterValuesFault: [
        { ParameterName: 'Device.A', FaultCode: 9007, FaultString: 'Invalid value' },
        { ParameterName: 'Device.B', FaultCode: 9008 },
      ],
    });
  });
  test('a fault without a FaultCode is refused', () =>
    refused(fault('Client', '<FaultString>x</FaultString>'), 'missing-field'));
  test('a faultcode decodes to the same thing twice (no prefix left behind)', () => {
    for (const sent of ['a:b:Client', 'SOAP-ENV: Client']) {
      assert.equal(
        decoded(fault(sent, '<FaultCode>9000</FaultCode>'), 'Fault').body.faultcode,
        'Client',
      );
    }
  });
});
