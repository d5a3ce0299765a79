/**
 * The shared corpus of real and hand-written CWMP messages (../shared/corpus/README.md): each file decodes to what
 * it says, with the warnings its oddities deserve, and survives encode → decode unchanged. The corpus is not copied
 * into the project: where ../shared is absent, these tests skip.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CwmpDecodeError } from '../errors.ts';
import type { CwmpMessage } from '../messages/index.ts';
import { CWMP_1_0 } from '../namespaces.ts';
import type { ParameterValue } from '../parameter-value.ts';
import { type CwmpEnvelope, type DecodeResult, decodeEnvelope } from './decode.ts';
import { encodeEnvelope } from './encode.ts';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);
const SKIP = existsSync(CORPUS)
  ? false
  : `no corpus at ${fileURLToPath(CORPUS)} (CI checks out ../shared beside the repository)`;

function read(file: string): Buffer {
  return readFileSync(new URL(file, CORPUS));
}

type Body<M extends CwmpMessage['method']> = Extract<CwmpMessage, { method: M }>;

/** Decodes, asserts success and the method, and returns the envelope narrowed to that method. */
function decodeAs<M extends CwmpMessage['method']>(
  result: DecodeResult,
  method: M,
): CwmpEnvelope & { body: Body<M> } {
  if (!result.ok)
    assert.fail(`expected ${method}, got ${result.error.code}: ${result.error.message}`);
  assert.equal(result.envelope.body.method, method);
  assert.equal(result.envelope.cwmpNamespace, CWMP_1_0);
  return result.envelope as CwmpEnvelope & { body: Body<M> };
}

/** The dateTime reader's remarks (nonstandard-datetime, invalid-datetime): device content, not a codec fault. */
const DATETIME_NOTE = /datetime/i;

/**
 * Warning codes and counts: `{ 'array-count-mismatch': 1 }`. DateTime remarks are left out, but must concern only
 * the elements in `dateTimeNotesAt` (the odd CurrentTime of some Informs), and nothing where none is given.
 */
function warningCounts(
  result: DecodeResult,
  dateTimeNotesAt: string[] = [],
): Record<string, number> {
  for (const w of result.warnings.filter((w) => DATETIME_NOTE.test(w.code))) {
    const path = w.location?.path ?? '';
    assert.ok(
      dateTimeNotesAt.some((p) => path.endsWith(p)),
      `unexpected ${w.code} at ${path}: ${w.message}`,
    );
  }
  return Object.fromEntries(
    result.warnings
      .filter((w) => !DATETIME_NOTE.test(w.code))
      .map((w) => [w.code, w.count])
      .sort(),
  );
}

function param(list: ParameterValue[], name: string): ParameterValue {
  const found = list.find((p) => p.name === name);
  assert.ok(found, `no parameter ${name}`);
  return found;
}

function typeCounts(list: ParameterValue[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of list) counts[p.type] = (counts[p.type] ?? 0) + 1;
  return counts;
}

const IGD = 'InternetGatewayDevice';

/** One check per corpus file; every file in the corpus must have one. */
const EXPECTATIONS: Record<string, (result: DecodeResult) => void> = {
  'real-device/cwmp_ex_inform_2601.xml': (r) => {
    const { header, body } = decodeAs(r, 'Inform');
    assert.deepEqual(header, { ID: '100' });
    assert.deepEqual(body.DeviceId, {
      Manufacturer: 'ZyXEL',
      OUI: 'EC43F6',
      ProductClass: 'P-2601HN-F1',
      SerialNumber: 'EC43F69AF408',
    });
    assert.deepEqual(body.Event, [{ EventCode: '2 PERIODIC', CommandKey: '' }]);
    assert.equal(body.MaxEnvelopes, 1);
    assert.equal(body.RetryCount, 0);
    // No time zone: kept as sent, for datetime.ts to interpret.
    assert.equal(body.CurrentTime, '2015-01-19T23:08:24');
    assert.equal(body.ParameterList.length, 8);
    assert.deepEqual(param(body.ParameterList, `${IGD}.ManagementServer.ConnectionRequestURL`), {
      name: `${IGD}.ManagementServer.ConnectionRequestURL`,
      value: 'http://2.110.157.83:7676/CWMP/ConnectionRequest',
      type: 'string',
    });
    assert.equal(param(body.ParameterList, `${IGD}.DeviceInfo.ProvisioningCode`).value, '');
    assert.deepEqual(warningCounts(r, ['Inform/CurrentTime']), {});
  },

  'real-device/cwmp_ex_inform_vmg.xml': (r) => {
    const { header, body } = decodeAs(r, 'Inform');
    assert.deepEqual(header, { ID: '844317904' });
    assert.equal(body.DeviceId.OUI, '4C9EFF');
    assert.equal(body.DeviceId.ProductClass, 'VMG8924-B10A');
    assert.equal(body.DeviceId.SerialNumber, 'S140Y24025829');
    assert.deepEqual(body.Event, [{ EventCode: '6 CONNECTION REQUEST', CommandKey: '' }]);
    assert.equal(body.CurrentTime, '2016-01-30T13:20:27+01:00');
    assert.equal(body.ParameterList.length, 8);
    assert.equal(
      param(body.ParameterList, `${IGD}.ManagementServer.ConnectionRequestURL`).value,
      'http://[2a02:980:1400::1ff]:30005/78DF621FFD24F339452C341BEFE0E8A8',
    );
    // arrayType="cwmp:ParameterValueStruct[0008]": zero-padded, and right.
    assert.deepEqual(warningCounts(r), {});
  },

  'real-device/cwmp_ex_inform_cycto.xml': (r) => {
    const { header, body } = decodeAs(r, 'Inform');
    assert.deepEqual(header, { ID: '31645' });
    assert.deepEqual(body.DeviceId, {
      Manufacturer: 'Cytco',
      OUI: '00a859',
      ProductClass: 'BCM Serials',
      SerialNumber: '00100400FV020010000000a859f6a238',
    });
    assert.equal(body.CurrentTime, '2019-03-05T11:54::14', 'a malformed dateTime is kept as sent');
    assert.equal(body.RetryCount, 942);
    assert.equal(body.ParameterList.length, 8);
    assert.equal(
      param(body.ParameterList, `${IGD}.DeviceInfo.SoftwareVersion`).value,
      '2.3.1-65-g79fe05b build 4388',
    );
    assert.deepEqual(warningCounts(r, ['Inform/CurrentTime']), {});
  },

  'real-device/paraam_cisco-femto-microcell_GetParameterValuesResponse_213params.xml': (r) => {
    const { header, body } = decodeAs(r, 'GetParameterValuesResponse');
    assert.deepEqual(header, { ID: '16781903' });
    const list = body.ParameterList;
    assert.equal(list.length, 227, 'arrayType says 213; all 227 structs are kept');
    assert.deepEqual(typeCounts(list), {
      boolean: 34,
      dateTime: 7,
      int: 15,
      string: 64,
      unsignedInt: 107,
    });
    assert.deepEqual(list[0], {
      name: 'Device.DeviceSummary',
      value: 'FAPService:1.0(Baseline:1)',
      type: 'string',
    });
    assert.deepEqual(list.at(-1), {
      name: 'Device.Services.FAPService.1.CellConfig.UMTS.RAN.FDDFAP.NeighborList.InterFreqCell.4.PCPICHTxPower',
      value: '220',
      type: 'int',
    });
    // xsd:unsignedInt on text, URLs and a date (quirk 11): the raw string and the declared type are both kept.
    assert.deepEqual(param(list, 'Device.DeviceInfo.X_00000C_LastRebootCause'), {
      name: 'Device.DeviceInfo.X_00000C_LastRebootCause',
      value: 'SW_UPGRADE',
      type: 'unsignedInt',
    });
    assert.equal(
      param(list, 'Device.ManagementServer.X_00000C_CDPBaseURL').value,
      'https://acs.cisco.com/baseurl',
    );
    assert.equal(param(list, 'Device.DeviceInfo.UpTime').value, '45');
    // Booleans as 1 and as true; the TR-069 Unknown Time.
    assert.deepEqual(param(list, 'Device.ManagementServer.PeriodicInformEnable'), {
      name: 'Device.ManagementServer.PeriodicInformEnable',
      value: '1',
      type: 'boolean',
    });
    assert.equal(param(list, 'Device.Ethernet.Interface.1.Enable').value, 'true');
    assert.deepEqual(param(list, 'Device.ManagementServer.PeriodicInformTime'), {
      name: 'Device.ManagementServer.PeriodicInformTime',
      value: '0001-01-01T00:00:00',
      type: 'dateTime',
    });
    assert.equal(list.filter((p) => p.value === '').length, 8, 'empty string values');
    assert.deepEqual(warningCounts(r), { 'array-count-mismatch': 1, 'value-type-mismatch': 8 });
    const mismatch = r.warnings.find((w) => w.code === 'array-count-mismatch')!;
    assert.match(mismatch.message, /213/);
    assert.match(mismatch.message, /227/);
  },

  'real-device/paraam_cisco-femto-microcell_GetParameterNamesResponse.xml': (r) => {
    const { header, body } = decodeAs(r, 'GetParameterNamesResponse');
    assert.deepEqual(header, { ID: '0' });
    const list = body.ParameterList;
    assert.equal(list.length, 227);
    assert.deepEqual(list[0], { Name: 'Device.DeviceSummary', Writable: false });
    assert.deepEqual(list.at(-1), {
      Name: 'Device.Services.FAPService.1.CellConfig.UMTS.RAN.FDDFAP.NeighborList.InterFreqCell.4.PCPICHTxPower',
      Writable: false,
    });
    assert.deepEqual(
      list.find((p) => p.Name === 'Device.ManagementServer.URL'),
      { Name: 'Device.ManagementServer.URL', Writable: true },
    );
    assert.equal(list.filter((p) => p.Writable).length, 43);
    // `<Writable>30</Writable>`: not a boolean; taken as false with a warning rather than losing 226 entries.
    assert.deepEqual(
      list.find((p) => p.Name === 'Device.TraceRouteDiagnostics.MaxHopCount'),
      { Name: 'Device.TraceRouteDiagnostics.MaxHopCount', Writable: false },
    );
    assert.deepEqual(warningCounts(r), { 'array-count-mismatch': 1, 'invalid-argument': 1 });
  },

  'synthetic-per-rpc/jdalberg_autonomous_transfer_complete_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'AutonomousTransferComplete');
    assert.deepEqual(header, { ID: '1' });
    assert.deepEqual(body, {
      method: 'AutonomousTransferComplete',
      AnnounceURL: 'http://example.com/announce',
      TransferURL: 'http://example.com/transfer',
      IsDownload: true,
      FileType: '1 Firmware Upgrade Image',
      FileSize: 10000,
      TargetFileName: '/bin/image',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2016-04-07T08:43:49Z',
      CompleteTime: '2016-04-07T08:45:06Z',
    });
    assert.deepEqual(warningCounts(r), {});
  },

  'synthetic-per-rpc/jdalberg_bogus_inform_1.xml': (r) => {
    assert.equal(r.ok, false, 'the file is cut off inside <EventCod');
    if (r.ok) return;
    assert.ok(r.error instanceof CwmpDecodeError);
    assert.equal(r.error.code, 'xml-syntax');
    assert.equal(r.error.location.line, 22);
    assert.match(r.error.message, /EventCod/);
  },

  'synthetic-per-rpc/jdalberg_du_state_change_complete_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'DUStateChangeComplete');
    assert.deepEqual(header, { ID: '50' });
    assert.equal(body.CommandKey, 'cmdkey');
    assert.deepEqual(body.Results, [
      {
        UUID: 'some-uuid',
        DeploymentUnitRef: 'uref',
        Version: 'v2.1',
        CurrentState: 'curState',
        Resolved: true,
        ExecutionUnitRefList: 'a,b,c',
        StartTime: '2015-01-19T23:45:12+00:00',
        CompleteTime: '2015-01-19T23:55:12+00:00',
        Fault: { FaultCode: 0, FaultString: '' },
      },
    ]);
    // Results sent as a SOAP array, and Fault wrapping a FaultStruct: both tolerated, both noted.
    assert.deepEqual(warningCounts(r), { 'array-for-repeated': 1, 'wrapped-struct': 1 });
  },

  'synthetic-per-rpc/jdalberg_fault_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'Fault');
    assert.deepEqual(header, { ID: '50' });
    assert.deepEqual(body, {
      method: 'Fault',
      faultcode: 'Client',
      faultstring: 'CWMP fault',
      FaultCode: 9005,
      FaultString: 'Invalid parameter name',
      SetParameterValuesFault: [],
    });
    assert.deepEqual(warningCounts(r), {});
  },

  'synthetic-per-rpc/jdalberg_get_parameter_names_response_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'GetParameterNamesResponse');
    assert.deepEqual(header, { ID: 'API_28edd28d788a784422413db3914c34b0' });
    assert.deepEqual(body.ParameterList, [
      { Name: `${IGD}.DeviceInfo.`, Writable: false },
      { Name: `${IGD}.DeviceInfo.Manufacturer`, Writable: true },
    ]);
    assert.deepEqual(warningCounts(r), {}, 'arrayType [0002] is zero-padded, not wrong');
  },

  'synthetic-per-rpc/jdalberg_get_parameter_values_response_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'GetParameterValuesResponse');
    assert.deepEqual(header, { ID: '50' });
    assert.deepEqual(body.ParameterList, [
      { name: 'Device.IP.Interface.3.IPv4AddressNumberOfEntries', value: '1', type: 'unsignedInt' },
      { name: 'Device.IP.Interface.3.IPv6AddressNumberOfEntries', value: '2', type: 'unsignedInt' },
    ]);
    assert.deepEqual(
      warningCounts(r),
      { 'array-count-mismatch': 1 },
      'arrayType says 64, two structs follow',
    );
  },

  'synthetic-per-rpc/jdalberg_get_rpc_methods_response_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'GetRPCMethodsResponse');
    assert.deepEqual(header, { ID: 'API_aa0642e34b23820801e7642ad7cb536c' });
    assert.equal(body.MethodList.length, 14);
    assert.equal(body.MethodList[0], 'GetRPCMethods');
    assert.equal(body.MethodList.at(-1), 'FactoryReset');
    assert.ok(body.MethodList.includes('ScheduleInform'));
    assert.deepEqual(warningCounts(r), {});
  },

  'synthetic-per-rpc/jdalberg_inform_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'Inform');
    assert.deepEqual(header, { ID: '100', NoMoreRequests: true });
    assert.deepEqual(body.DeviceId, {
      Manufacturer: 'The Company',
      OUI: 'AA1234',
      ProductClass: 'IAD_001',
      SerialNumber: 'S99998888',
    });
    assert.deepEqual(body.Event, [{ EventCode: '2 PERIODIC', CommandKey: '' }]);
    assert.equal(body.CurrentTime, '2015-01-19T23:08:24+00:00');
    assert.equal(body.ParameterList.length, 8);
    assert.equal(
      param(body.ParameterList, `${IGD}.DeviceInfo.SoftwareVersion`).value,
      'V1.00(beta)',
    );
    assert.deepEqual(warningCounts(r), {});
  },

  'synthetic-per-rpc/jdalberg_transfer_complete_1.xml': (r) => {
    const { header, body } = decodeAs(r, 'TransferComplete');
    assert.deepEqual(header, { ID: '1' });
    assert.deepEqual(body, {
      method: 'TransferComplete',
      CommandKey: 'AutoconfFirmwareUpgrade',
      FaultStruct: { FaultCode: 0, FaultString: '' },
      StartTime: '2016-04-07T08:43:49Z',
      CompleteTime: '2016-04-07T08:45:06Z',
    });
    assert.deepEqual(warningCounts(r), {});
  },
};

function corpusFiles(): string[] {
  return ['real-device', 'synthetic-per-rpc'].flatMap((dir) =>
    readdirSync(new URL(`${dir}/`, CORPUS))
      .filter((f) => f.endsWith('.xml'))
      .map((f) => `${dir}/${f}`),
  );
}

describe('corpus: decoding what real devices sent', { skip: SKIP }, () => {
  test('every corpus file has an expectation here', () => {
    assert.deepEqual(corpusFiles().sort(), Object.keys(EXPECTATIONS).sort());
  });

  for (const [file, check] of Object.entries(EXPECTATIONS)) {
    test(file, () => {
      const bytes = read(file);
      const fromBytes = decodeEnvelope(bytes);
      check(fromBytes);
      // The same message handed over as text decodes identically.
      const fromText = decodeEnvelope(bytes.toString('utf8'));
      assert.deepEqual(fromText, fromBytes);
    });
  }
});

describe('corpus: encode → decode gives the same envelope back', { skip: SKIP }, () => {
  for (const file of Object.keys(EXPECTATIONS)) {
    test(file, () => {
      const first = decodeEnvelope(read(file));
      if (!first.ok) return; // the bogus Inform: nothing to re-encode
      for (const booleanStyle of ['word', 'digit'] as const) {
        const xml = encodeEnvelope(first.envelope, { booleanStyle });
        const again = decodeEnvelope(xml);
        if (!again.ok) assert.fail(`re-encoded ${file} does not decode: ${again.error.message}`);
        assert.deepEqual(again.envelope, first.envelope);
        // What the encoder wrote is clean; only what the device itself got wrong is still noted.
        assert.deepEqual(
          again.warnings.filter(
            (w) => w.code !== 'value-type-mismatch' && !DATETIME_NOTE.test(w.code),
          ),
          [],
          `${booleanStyle}: ${JSON.stringify(again.warnings)}`,
        );
      }
    });
  }
});
