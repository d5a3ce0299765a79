/**
 * Download and Upload against the lab's own file server (TR-069 §A.3.2.8, §A.4.1.5; cwmp-spec §8.2, §8.3, §8.7):
 * the transfer is reported in a session of its own with 7 TRANSFER COMPLETE, M <method> and a TransferComplete
 * carrying the CommandKey, the outcome and the times. Failures (a missing file, a refused upload, a corrupted file,
 * an unsupported protocol) come back as transfer fault codes. A file that would change the DUT is destructive.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode, labKey } from './helpers.ts';
import {
  dutNow,
  expectTimes,
  isTransferFault,
  NO_CREDENTIALS,
  transferComplete,
} from './transfer-helpers.ts';

const AREA = 'Download and Upload';
const CONFIG = '1 Vendor Configuration File';

/** Sends a Download of `url` and returns its response, or undefined when it was refused at once (`fault`). */
async function download(
  ctx: CaseContext,
  key: string,
  url: string,
  fileType: string,
  fileSize = 0,
) {
  return ctx.rpc({
    method: 'Download',
    CommandKey: key,
    FileType: fileType,
    URL: url,
    ...NO_CREDENTIALS,
    FileSize: fileSize,
    TargetFileName: '',
    DelaySeconds: 0,
    SuccessURL: '',
    FailureURL: '',
  });
}

/** A Download the DUT must fail: refused at once with a transfer fault, or reported failed in TransferComplete. */
async function expectFailedDownload(
  ctx: CaseContext,
  key: string,
  url: string,
  fileType: string,
  immediate: readonly number[],
  fileSize = 0,
): Promise<void> {
  const answer = await download(ctx, key, url, fileType, fileSize);
  if (answer.kind === 'fault') {
    ctx.expect(
      immediate.includes(faultCode(answer) ?? 0),
      `fault ${immediate.join(' or ')} at once, or a failed TransferComplete; got ${describeOutcome(answer)}`,
    );
    return;
  }
  const { complete } = await transferComplete(ctx, 'Download', key);
  const code = Number(complete.FaultStruct.FaultCode);
  ctx.expect(
    code !== 0 && isTransferFault(code),
    `TransferComplete with a transfer fault code, got ${code} (${complete.FaultStruct.FaultString})`,
  );
  ctx.note(`TransferComplete fault ${code}: ${complete.FaultStruct.FaultString}`);
}

export const TRANSFER_CASES: ConformanceCase[] = [
  {
    id: 'UL-001',
    area: AREA,
    title:
      'Upload of the configuration reaches the lab and is reported with its CommandKey and times',
    clause: 'TR-069 §A.4.1.5 (Upload), §A.3.3.2 (TransferComplete); cwmp-spec §8.3',
    requires: { rpcs: ['Upload'] },
    steps: [
      'Send Upload("1 Vendor Configuration File") to a URL on the lab, with a CommandKey; expect Status 0 or 1',
      'End the session; expect the DUT to PUT a non-empty file',
      'Status 1: expect a session with 7 TRANSFER COMPLETE, M Upload(CommandKey) and TransferComplete(CommandKey, fault 0)',
      'Expect StartTime ≤ CompleteTime, both known, within the two sessions (the DUT’s clock)',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('ul');
      const name = `${key}.cfg`;
      const requestedAt = await dutNow(ctx);
      const answer = await ctx.call({
        method: 'Upload',
        CommandKey: key,
        FileType: CONFIG,
        URL: ctx.files.url(name),
        ...NO_CREDENTIALS,
        DelaySeconds: 0,
      });
      const status = Number(answer.Status);
      ctx.expect(status === 0 || status === 1, `Status 0 or 1, got ${status}`);
      if (status === 1) {
        const { complete, at } = await transferComplete(ctx, 'Upload', key);
        const code = Number(complete.FaultStruct.FaultCode);
        ctx.expect(
          code === 0,
          `TransferComplete fault 0, got ${code} (${complete.FaultStruct.FaultString})`,
        );
        expectTimes(ctx, complete, requestedAt, at);
      }
      const received = ctx.files.received(name);
      ctx.expect(
        received !== undefined && received.length > 0,
        `a non-empty file uploaded to ${name}`,
      );
      ctx.note(`${received.length} bytes uploaded`);
    },
  },
  {
    id: 'UL-002',
    area: AREA,
    title: 'An upload the file server refuses is reported as fault 9011',
    clause: 'TR-069 §A.4.1.5, Table 19 (9011 Upload failure); cwmp-spec §8.3',
    requires: { rpcs: ['Upload'] },
    steps: [
      'Make the lab answer 500 to uploads at a URL',
      'Send Upload("1 Vendor Configuration File") to it; end the session',
      'Expect TransferComplete(CommandKey) with fault 9011 (or 9011 at once)',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('ul-no');
      const name = `${key}.cfg`;
      ctx.files.offer(name, '', 500);
      const answer = await ctx.rpc({
        method: 'Upload',
        CommandKey: key,
        FileType: CONFIG,
        URL: ctx.files.url(name),
        ...NO_CREDENTIALS,
        DelaySeconds: 0,
      });
      if (answer.kind === 'fault') {
        ctx.expect(faultCode(answer) === 9011, `fault 9011, got ${describeOutcome(answer)}`);
        return;
      }
      const { complete } = await transferComplete(ctx, 'Upload', key);
      const code = Number(complete.FaultStruct.FaultCode);
      ctx.expect(
        code === 9011,
        `TransferComplete fault 9011, got ${code} (${complete.FaultStruct.FaultString})`,
      );
    },
  },
  {
    id: 'UL-003',
    area: AREA,
    title: 'An Upload with DelaySeconds starts no sooner than that after the request',
    clause: 'TR-069 §A.4.1.5 (DelaySeconds); cwmp-spec §8.2',
    requires: { rpcs: ['Upload'] },
    steps: [
      'Send Upload("1 Vendor Configuration File") to the lab with DelaySeconds 2; end the session',
      'Expect TransferComplete(CommandKey, fault 0) whose StartTime is at least 2 s after the asking session began',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('ul-delay');
      const requestedAt = await dutNow(ctx);
      const answer = await ctx.call({
        method: 'Upload',
        CommandKey: key,
        FileType: CONFIG,
        URL: ctx.files.url(`${key}.cfg`),
        ...NO_CREDENTIALS,
        DelaySeconds: 2,
      });
      ctx.expect(
        Number(answer.Status) === 1,
        `Status 1 for a delayed upload, got ${answer.Status}`,
      );
      const { complete, at } = await transferComplete(ctx, 'Upload', key);
      const code = Number(complete.FaultStruct.FaultCode);
      ctx.expect(
        code === 0,
        `TransferComplete fault 0, got ${code} (${complete.FaultStruct.FaultString})`,
      );
      expectTimes(ctx, complete, requestedAt, at);
      if (requestedAt !== undefined) {
        const started = Date.parse(String(complete.StartTime));
        // Compared in whole seconds: a DUT may write its times without fractions.
        ctx.expect(
          Math.floor(started / 1000) >= Math.floor(requestedAt / 1000) + 2,
          `StartTime ${complete.StartTime} at least 2 s after the session that asked (${new Date(requestedAt).toISOString()})`,
        );
      }
    },
  },
  {
    id: 'DL-001',
    area: AREA,
    title: 'Download of a missing file is reported failed, with its CommandKey',
    clause: 'TR-069 §A.3.2.8 (Download), §A.3.3.2; cwmp-spec §8.2, §8.7',
    requires: { rpcs: ['Download'] },
    steps: [
      'Send Download("3 Vendor Configuration File") of a lab URL that answers 404',
      'Expect a transfer fault at once, or: end the session, expect 7 TRANSFER COMPLETE, M Download(CommandKey)',
      'and TransferComplete(CommandKey) with a transfer fault code (9001, 9002, 9010-9020)',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('dl-404');
      ctx.files.offer(`${key}.cfg`, '', 404);
      await expectFailedDownload(
        ctx,
        key,
        ctx.files.url(`${key}.cfg`),
        '3 Vendor Configuration File',
        [9010, 9015, 9016, 9017],
      );
    },
  },
  {
    id: 'DL-002',
    area: AREA,
    title: 'Download over a protocol the DUT does not support is refused (9013)',
    clause: 'TR-069 §A.3.2.8, Table 19 (9013 Unsupported protocol for file transfer)',
    requires: { rpcs: ['Download'] },
    steps: [
      'Send Download of a gopher:// URL on the lab’s host',
      'Expect fault 9013 at once, or a TransferComplete with a transfer fault code',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('dl-proto');
      const url = ctx.files.url(`${key}.cfg`).replace(/^https?:/, 'gopher:');
      await expectFailedDownload(ctx, key, url, '3 Vendor Configuration File', [9013]);
    },
  },
  {
    id: 'DL-003',
    area: AREA,
    title: 'A corrupted configuration file is refused, reported with a transfer fault',
    clause: 'TR-069 §A.3.2.8, Table 19 (9018 file corrupted); cwmp-spec §8.7',
    requires: { rpcs: ['Download'], destructive: true },
    steps: [
      'Offer random bytes as a configuration file on the lab',
      'Send Download("3 Vendor Configuration File") of it',
      'Expect a transfer fault at once or in TransferComplete(CommandKey) (9018 expected)',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('dl-bad');
      const body = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 7) % 256));
      ctx.files.offer(`${key}.cfg`, body);
      await expectFailedDownload(
        ctx,
        key,
        ctx.files.url(`${key}.cfg`),
        '3 Vendor Configuration File',
        [9010, 9018],
      );
    },
  },
  {
    id: 'DL-004',
    area: AREA,
    title:
      'A configuration uploaded by the DUT downloads back: TransferComplete fault 0 with its times',
    clause: 'TR-069 §A.3.2.8, §A.4.1.5, §A.3.3.2; cwmp-spec §8.2',
    requires: { rpcs: ['Upload', 'Download'], destructive: true },
    steps: [
      'Upload the DUT’s configuration ("1 Vendor Configuration File") to the lab; wait for it',
      'Send Download("3 Vendor Configuration File") of that file, with its FileSize and a CommandKey',
      'Expect Status 0, or a session with 7 TRANSFER COMPLETE, M Download(CommandKey) and TransferComplete fault 0',
      'Expect StartTime ≤ CompleteTime, both known, within the sessions (the DUT may reboot to apply it)',
    ],
    async run(ctx: CaseContext) {
      const upKey = labKey('dl-up');
      const name = `${upKey}.cfg`;
      const up = await ctx.call({
        method: 'Upload',
        CommandKey: upKey,
        FileType: CONFIG,
        URL: ctx.files.url(name),
        ...NO_CREDENTIALS,
        DelaySeconds: 0,
      });
      if (Number(up.Status) === 1) await transferComplete(ctx, 'Upload', upKey);
      const file = ctx.files.received(name);
      ctx.expect(file !== undefined && file.length > 0, 'the DUT’s configuration uploaded first');
      ctx.files.offer(`${upKey}-back.cfg`, file);
      const key = labKey('dl');
      const requestedAt = await dutNow(ctx);
      const answer = await download(
        ctx,
        key,
        ctx.files.url(`${upKey}-back.cfg`),
        '3 Vendor Configuration File',
        file.length,
      );
      ctx.expect(
        answer.kind === 'response' && answer.message.method === 'DownloadResponse',
        `DownloadResponse, got ${describeOutcome(answer)}`,
      );
      if (Number(answer.message.Status) === 0) return;
      const { complete, at } = await transferComplete(ctx, 'Download', key);
      const code = Number(complete.FaultStruct.FaultCode);
      ctx.expect(
        code === 0,
        `TransferComplete fault 0, got ${code} (${complete.FaultStruct.FaultString})`,
      );
      expectTimes(ctx, complete, requestedAt, at);
    },
  },
  {
    id: 'DL-005',
    area: AREA,
    title: 'A Download whose FileSize is not the file’s is reported failed',
    clause: 'TR-069 §A.3.2.8 (FileSize), Table 19 (9010/9017/9018); cwmp-spec §8.7',
    requires: { rpcs: ['Upload', 'Download'], destructive: true },
    steps: [
      'Upload the DUT’s configuration to the lab; wait for it',
      'Send Download("3 Vendor Configuration File") of that file announcing one byte more than its size',
      'Expect a transfer fault at once or in TransferComplete(CommandKey)',
    ],
    async run(ctx: CaseContext) {
      const upKey = labKey('dl5-up');
      const up = await ctx.call({
        method: 'Upload',
        CommandKey: upKey,
        FileType: CONFIG,
        URL: ctx.files.url(`${upKey}.cfg`),
        ...NO_CREDENTIALS,
        DelaySeconds: 0,
      });
      if (Number(up.Status) === 1) await transferComplete(ctx, 'Upload', upKey);
      const file = ctx.files.received(`${upKey}.cfg`);
      ctx.expect(file !== undefined && file.length > 0, 'the DUT’s configuration uploaded first');
      ctx.files.offer(`${upKey}-size.cfg`, file);
      await expectFailedDownload(
        ctx,
        labKey('dl-size'),
        ctx.files.url(`${upKey}-size.cfg`),
        '3 Vendor Configuration File',
        [9010, 9017, 9018],
        file.length + 1,
      );
    },
  },
];
