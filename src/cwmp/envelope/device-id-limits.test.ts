/** DeviceId fields are keys the ACS stores and logs before authentication: the XSD's lengths bound them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inform } from '../messages/index.ts';
import { CWMP_1_0 } from '../namespaces.ts';
import { decodeEnvelope } from './decode.ts';
import { encodeEnvelope } from './encode.ts';

function informWith(deviceId: Partial<Inform['DeviceId']>): string {
  return encodeEnvelope({
    cwmpNamespace: CWMP_1_0,
    header: { ID: '1' },
    body: {
      method: 'Inform',
      DeviceId: {
        Manufacturer: 'Acme',
        OUI: '00D09E',
        ProductClass: 'HGW',
        SerialNumber: 'SN1',
        ...deviceId,
      },
      Event: [{ EventCode: '0 BOOTSTRAP', CommandKey: '' }],
      MaxEnvelopes: 1,
      CurrentTime: '2026-01-01T00:00:00Z',
      RetryCount: 0,
      ParameterList: [],
    },
  });
}

describe('DeviceId lengths (cwmp-1-2.xsd)', () => {
  it('decodes fields at their maximum length', () => {
    const result = decodeEnvelope(
      informWith({
        Manufacturer: 'M'.repeat(64),
        OUI: 'ABCDEF',
        ProductClass: 'P'.repeat(64),
        SerialNumber: 'S'.repeat(64),
      }),
    );
    assert.equal(result.ok, true);
  });

  for (const [field, length] of [
    ['Manufacturer', 65],
    ['OUI', 7],
    ['ProductClass', 65],
    ['SerialNumber', 65],
    ['SerialNumber', 30 * 1024 * 1024],
  ] as const) {
    it(`refuses a ${field} of ${length} characters, naming the field`, () => {
      const result = decodeEnvelope(informWith({ [field]: 'A'.repeat(length) }));
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.equal(result.error.code, 'field-too-long');
      assert.match(result.error.message, new RegExp(`${field} is ${length} characters`));
      assert.ok(result.error.message.length < 200, 'the message does not echo the value');
    });
  }
});
