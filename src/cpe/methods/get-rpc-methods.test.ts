import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { DEFAULT_CPE_RPC_METHODS, DeviceTemplate, templateFor } from '../model/template.ts';
import { getRPCMethods } from './get-rpc-methods.ts';

test('lists the methods the device answers: the REQUIRED ones, never GetOptions or SetVouchers', () => {
  const r = getRPCMethods(new DeviceModel(templateFor(DEVICE2_GATEWAY)), {
    method: 'GetRPCMethods',
  });
  assert.equal(r.method, 'GetRPCMethodsResponse');
  assert.deepEqual(r.MethodList, [...DEFAULT_CPE_RPC_METHODS]);
  for (const m of [
    'GetRPCMethods',
    'SetParameterValues',
    'GetParameterValues',
    'GetParameterNames',
    'SetParameterAttributes',
    'GetParameterAttributes',
    'AddObject',
    'DeleteObject',
    'Reboot',
    'Download',
  ]) {
    assert.ok(r.MethodList.includes(m), m);
  }
  assert.equal(r.MethodList.includes('GetOptions'), false);
  assert.equal(r.MethodList.includes('SetVouchers'), false);
});

test('a profile may list its own', () => {
  const t = new DeviceTemplate({
    ...DEVICE2_GATEWAY,
    rpcMethods: ['GetRPCMethods', 'GetParameterValues'],
  });
  assert.deepEqual(getRPCMethods(new DeviceModel(t), { method: 'GetRPCMethods' }).MethodList, [
    'GetRPCMethods',
    'GetParameterValues',
  ]);
});
