import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CwmpFault,
  FaultCode,
  faultInfo,
  isAcsFaultCode,
  isCpeFaultCode,
  isKnownFaultCode,
  isPermanentFault,
  isVendorFaultCode,
  setParameterValuesFault,
} from './faults.ts';

describe('FaultCode', () => {
  it('covers 8000-8006 and 9000-9032 without gaps or duplicates', () => {
    const codes = Object.values(FaultCode).sort((a, b) => a - b);
    const expected = [
      ...Array.from({ length: 7 }, (_, i) => 8000 + i),
      ...Array.from({ length: 33 }, (_, i) => 9000 + i),
    ];
    assert.deepEqual(codes, expected);
  });

  it('has the TR-069 values for well-known names', () => {
    assert.equal(FaultCode.MethodNotSupported, 9000);
    assert.equal(FaultCode.InvalidArguments, 9003);
    assert.equal(FaultCode.InvalidParameterName, 9005);
    assert.equal(FaultCode.NonWritableParameter, 9008);
    assert.equal(FaultCode.AcsRetryRequest, 8005);
    assert.equal(FaultCode.DeploymentUnitVersionExists, 9032);
  });
});

describe('faultInfo', () => {
  it('describes standard codes with string, name and SOAP faultcode', () => {
    assert.deepEqual(faultInfo(9005), {
      code: 9005,
      name: 'InvalidParameterName',
      category: 'cpe',
      faultString: 'Invalid parameter name',
      soapFaultCode: 'Client',
    });
    assert.deepEqual(faultInfo(8003), {
      code: 8003,
      name: 'AcsInvalidArguments',
      category: 'acs',
      faultString: 'Invalid arguments',
      soapFaultCode: 'Client',
    });
    assert.equal(faultInfo(9002).soapFaultCode, 'Server');
    assert.equal(faultInfo(9008).faultString, 'Attempt to set a non-writable parameter');
    assert.equal(faultInfo(9021).soapFaultCode, 'Client');
    assert.equal(faultInfo(8006).soapFaultCode, 'Server');
  });

  it('gives every standard code a non-empty ASCII string', () => {
    for (const code of Object.values(FaultCode)) {
      const info = faultInfo(code);
      assert.match(info.faultString, /^[\x20-\x7e]+$/, String(code));
      assert.ok(info.name !== undefined && FaultCode[info.name] === code);
    }
  });

  it('describes vendor and reserved ranges', () => {
    assert.equal(faultInfo(8800).category, 'acs-vendor');
    assert.equal(faultInfo(8899).category, 'acs-vendor');
    assert.equal(faultInfo(9800).category, 'cpe-vendor');
    assert.equal(faultInfo(9899).faultString, 'Vendor-specific fault');
    assert.equal(faultInfo(8007).category, 'acs-reserved');
    assert.equal(faultInfo(8799).category, 'acs-reserved');
    assert.equal(faultInfo(9033).category, 'cpe-reserved');
    assert.equal(faultInfo(9799).category, 'cpe-reserved');
    assert.equal(faultInfo(9033).name, undefined);
    assert.equal(faultInfo(9900).soapFaultCode, 'Server');
  });

  it('never throws on odd input', () => {
    assert.equal(faultInfo(0).category, 'success');
    for (const code of [-1, 1, 7999, 8900, 9900, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.equal(faultInfo(code).category, 'invalid', String(code));
    }
  });
});

describe('range predicates', () => {
  it('isAcsFaultCode / isCpeFaultCode cover the whole ranges the schema allows', () => {
    assert.ok(isAcsFaultCode(8000) && isAcsFaultCode(8500) && isAcsFaultCode(8899));
    assert.ok(!isAcsFaultCode(7999) && !isAcsFaultCode(8900) && !isAcsFaultCode(9000));
    assert.ok(isCpeFaultCode(9000) && isCpeFaultCode(9033) && isCpeFaultCode(9899));
    assert.ok(!isCpeFaultCode(8999) && !isCpeFaultCode(9900) && !isCpeFaultCode(9000.5));
  });

  it('isVendorFaultCode', () => {
    assert.ok(isVendorFaultCode(8800) && isVendorFaultCode(9850));
    assert.ok(!isVendorFaultCode(8799) && !isVendorFaultCode(9900) && !isVendorFaultCode(9005));
  });

  it('isKnownFaultCode', () => {
    assert.ok(isKnownFaultCode(9032) && isKnownFaultCode(8006));
    assert.ok(!isKnownFaultCode(9033) && !isKnownFaultCode(0));
  });
});

describe('isPermanentFault', () => {
  it('marks request-level faults permanent', () => {
    for (const code of [8000, 8003, 9000, 9003, 9005, 9006, 9007, 9008, 9013, 9022]) {
      assert.ok(isPermanentFault(code), String(code));
    }
  });

  it('marks 9021 permanent: a transfer that cannot be cancelled now never becomes cancellable', () => {
    assert.ok(isPermanentFault(9021));
  });

  it('treats transient, state-dependent, vendor and unknown faults as retryable', () => {
    for (const code of [8001, 8002, 8004, 8005, 9001, 9002, 9004, 9010, 9015, 9024, 9027]) {
      assert.ok(!isPermanentFault(code), String(code));
    }
    assert.ok(!isPermanentFault(9850));
    assert.ok(!isPermanentFault(9100));
    assert.ok(!isPermanentFault(0));
  });
});

describe('CwmpFault', () => {
  it('defaults the fault string from the table', () => {
    const fault = new CwmpFault(FaultCode.MethodNotSupported);
    assert.ok(fault instanceof Error);
    assert.ok(fault instanceof CwmpFault);
    assert.equal(fault.name, 'CwmpFault');
    assert.equal(fault.code, 9000);
    assert.equal(fault.faultString, 'Method not supported');
    assert.equal(fault.message, 'CWMP fault 9000: Method not supported');
    assert.equal(fault.soapFaultCode, 'Server');
    assert.equal(fault.permanent, true);
    assert.deepEqual(fault.setParameterValuesFaults, []);
  });

  it('keeps a custom fault string, including an empty one', () => {
    assert.equal(new CwmpFault(9002, 'disk full').faultString, 'disk full');
    assert.equal(new CwmpFault(9002, '').faultString, '');
  });

  it('carries per-parameter SetParameterValues faults', () => {
    const fault = new CwmpFault(FaultCode.InvalidArguments, undefined, {
      setParameterValuesFaults: [
        setParameterValuesFault('Device.DeviceInfo.SerialNumber', FaultCode.NonWritableParameter),
        setParameterValuesFault('Device.Time.Enable', 9007, 'expected a boolean'),
      ],
    });
    assert.equal(fault.soapFaultCode, 'Client');
    assert.deepEqual(fault.setParameterValuesFaults, [
      {
        parameterName: 'Device.DeviceInfo.SerialNumber',
        faultCode: 9008,
        faultString: 'Attempt to set a non-writable parameter',
      },
      { parameterName: 'Device.Time.Enable', faultCode: 9007, faultString: 'expected a boolean' },
    ]);
  });

  it('accepts vendor codes and keeps the cause', () => {
    const cause = new Error('boom');
    const fault = new CwmpFault(9850, undefined, { cause });
    assert.equal(fault.faultString, 'Vendor-specific fault');
    assert.equal(fault.soapFaultCode, 'Server');
    assert.equal(fault.cause, cause);
    assert.equal(fault.permanent, false);
    assert.equal('cause' in new CwmpFault(9002), false);
  });

  it('is catchable as a thrown value', () => {
    assert.throws(
      () => {
        throw new CwmpFault(FaultCode.InvalidParameterName);
      },
      (err: unknown) => err instanceof CwmpFault && err.code === 9005,
    );
  });
});
