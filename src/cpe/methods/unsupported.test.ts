import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CwmpFault, FaultCode } from '../../cwmp/faults.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { getOptions, setVouchers } from './unsupported.ts';

const device = new DeviceModel(templateFor(DEVICE2_GATEWAY));
const is9000 = (e: unknown) =>
  e instanceof CwmpFault && e.code === FaultCode.MethodNotSupported && e.soapFaultCode === 'Server';

test('GetOptions: 9000, as a device without options answers', () => {
  assert.throws(() => getOptions(device, { method: 'GetOptions', OptionName: '.' }), is9000);
});

test('SetVouchers: 9000', () => {
  assert.throws(
    () => setVouchers(device, { method: 'SetVouchers', VoucherList: ['AAAA'] }),
    is9000,
  );
});
