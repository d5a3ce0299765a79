import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CwmpFault, CwmpMessage } from '../../cwmp/index.ts';
import { DEVICE2_GATEWAY } from '../../datamodel/profiles/index.ts';
import { DeviceModel } from '../model/device-model.ts';
import { templateFor } from '../model/template.ts';
import { simulatorProfile } from '../profile/simulator-profile.ts';
import { TransferQueue } from '../transfers/transfer-queue.ts';
import { answerAcsRequest, noEffects, type RequestContext } from './acs-requests.ts';

function context(profile = simulatorProfile(DEVICE2_GATEWAY)) {
  const scheduled: [number, string][] = [];
  const ctx: RequestContext = {
    model: new DeviceModel(templateFor(profile)),
    transfers: new TransferQueue(),
    effects: noEffects(),
    scheduleInform: (d, k) => scheduled.push([d, k]),
  };
  return { ctx, scheduled };
}

const faultOf = (ctx: RequestContext, request: CwmpMessage) => {
  try {
    answerAcsRequest(ctx, request);
  } catch (e) {
    return (e as CwmpFault).code;
  }
  return 0;
};

const download = {
  method: 'Download' as const,
  CommandKey: 'k',
  FileType: '1 Firmware Upgrade Image',
  URL: 'http://127.0.0.1/fw.bin',
  Username: '',
  Password: '',
  FileSize: 0,
  TargetFileName: '',
  DelaySeconds: 0,
  SuccessURL: '',
  FailureURL: '',
};

describe('answerAcsRequest', () => {
  it('records Reboot and FactoryReset for after the session, and schedules ScheduleInform at once', () => {
    const { ctx, scheduled } = context();
    assert.deepEqual(answerAcsRequest(ctx, { method: 'Reboot', CommandKey: 'r1' }), {
      method: 'RebootResponse',
    });
    assert.deepEqual(answerAcsRequest(ctx, { method: 'FactoryReset' }), {
      method: 'FactoryResetResponse',
    });
    answerAcsRequest(ctx, { method: 'ScheduleInform', DelaySeconds: 30, CommandKey: 's1' });
    assert.deepEqual(ctx.effects.reboots, ['r1']);
    assert.equal(ctx.effects.factoryReset, true);
    assert.deepEqual(scheduled, [[30, 's1']]);
    assert.equal(faultOf(ctx, { method: 'ScheduleInform', DelaySeconds: 0, CommandKey: '' }), 9003);
    assert.equal(faultOf(ctx, { method: 'Reboot', CommandKey: 'x'.repeat(33) }), 9003);
  });

  it('accepts a Download for later (Status 1, unknown times), refusing other schemes and a full queue', () => {
    const { ctx } = context();
    assert.deepEqual(answerAcsRequest(ctx, download), {
      method: 'DownloadResponse',
      Status: 1,
      StartTime: '0001-01-01T00:00:00Z',
      CompleteTime: '0001-01-01T00:00:00Z',
    });
    assert.equal(ctx.effects.transfers.length, 1);
    assert.equal(faultOf(ctx, { ...download, URL: 'ftp://h/fw.bin' }), 9013);
    assert.equal(faultOf(ctx, { ...download, FileType: 'firmware' }), 9003);
    for (let i = 1; i < 16; i++) answerAcsRequest(ctx, { ...download, CommandKey: `k${i}` });
    assert.equal(faultOf(ctx, { ...download, CommandKey: 'k16' }), 9004);
  });

  it('checks Upload file types and ScheduleDownload windows', () => {
    const { ctx } = context();
    const upload = {
      method: 'Upload' as const,
      CommandKey: 'u',
      FileType: '2 Vendor Log File',
      URL: 'http://h/up',
      Username: '',
      Password: '',
      DelaySeconds: 0,
    };
    assert.equal(faultOf(ctx, upload), 0);
    assert.equal(faultOf(ctx, { ...upload, FileType: '1 Firmware Upgrade Image' }), 9003);
    const sd = {
      method: 'ScheduleDownload' as const,
      CommandKey: 'sd',
      FileType: '1 Firmware Upgrade Image',
      URL: 'http://h/fw',
      Username: '',
      Password: '',
      FileSize: 0,
      TargetFileName: '',
      TimeWindowList: [
        {
          WindowStart: 10,
          WindowEnd: 5,
          WindowMode: '1 At Any Time',
          UserMessage: '',
          MaxRetries: 0,
        },
      ],
    };
    assert.equal(faultOf(ctx, sd), 9003);
    assert.deepEqual(
      answerAcsRequest(ctx, {
        ...sd,
        TimeWindowList: [{ ...sd.TimeWindowList[0]!, WindowEnd: 60 }],
      }),
      {
        method: 'ScheduleDownloadResponse',
      },
    );
  });

  it('routes parameter RPCs to the data-model handlers and answers 9000 for what the profile lacks', () => {
    const { ctx } = context();
    const r = answerAcsRequest(ctx, {
      method: 'GetParameterValues',
      ParameterNames: ['Device.DeviceInfo.SerialNumber'],
    });
    assert.equal(r.method, 'GetParameterValuesResponse');
    const plain = context(DEVICE2_GATEWAY).ctx;
    assert.equal(
      faultOf(plain, {
        method: 'ChangeDUState',
        Operations: [{ Operation: 'Uninstall', UUID: 'x' }],
      }),
      9000,
    );
    assert.equal(faultOf(ctx, { method: 'UnknownMethod', Name: 'X_Vendor_Blink' }), 9000);
  });
});
