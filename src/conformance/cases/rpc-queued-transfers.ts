/**
 * The transfer queue and ScheduleDownload (TR-069 §A.4.1.4, §A.4.1.7, §A.4.1.8, §A.4.1.9; cwmp-spec §8.2, §8.4): a
 * delayed Download is listed by GetQueuedTransfers/GetAllQueuedTransfers and removed by CancelTransfer; a
 * ScheduleDownload runs inside its time window and is reported with M ScheduleDownload; a window ending before it
 * starts is refused. The files are missing on the lab, so nothing queued here can change the DUT.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode, labKey } from './helpers.ts';
import { isTransferFault, NO_CREDENTIALS, transferComplete } from './transfer-helpers.ts';

const AREA = 'Transfer queue and ScheduleDownload';
const FILE_TYPE = '3 Vendor Configuration File';

/** Queues a Download an hour away (of a file the lab does not have), runs `body`, then cancels it if it can. */
async function withQueuedDownload(
  ctx: CaseContext,
  body: (key: string) => Promise<void>,
): Promise<void> {
  const key = labKey('q');
  ctx.files.offer(`${key}.cfg`, '', 404);
  await ctx.call({
    method: 'Download',
    CommandKey: key,
    FileType: FILE_TYPE,
    URL: ctx.files.url(`${key}.cfg`),
    ...NO_CREDENTIALS,
    FileSize: 0,
    TargetFileName: '',
    DelaySeconds: 3600,
    SuccessURL: '',
    FailureURL: '',
  });
  try {
    await body(key);
  } finally {
    // After QT-003's own CancelTransfer this one is a harmless 9021.
    if (ctx.dut.methods.includes('CancelTransfer'))
      await ctx.rpc({ method: 'CancelTransfer', CommandKey: key });
    else ctx.note(`the Download "${key}" stays queued (the DUT lists no CancelTransfer)`);
  }
}

async function allQueued(ctx: CaseContext) {
  return (await ctx.call({ method: 'GetAllQueuedTransfers' })).TransferList;
}

export const QUEUED_TRANSFER_CASES: ConformanceCase[] = [
  {
    id: 'QT-001',
    area: AREA,
    title:
      'GetAllQueuedTransfers lists a delayed Download with its CommandKey, State 1 and FileType',
    clause: 'TR-069 §A.4.1.8 (GetAllQueuedTransfers)',
    requires: { rpcs: ['Download', 'GetAllQueuedTransfers'] },
    steps: [
      'Send Download with DelaySeconds 3600 and a CommandKey',
      'Send GetAllQueuedTransfers; expect that CommandKey with State 1, IsDownload true and the FileType',
      'Cancel the Download (CancelTransfer, where listed)',
    ],
    async run(ctx: CaseContext) {
      await withQueuedDownload(ctx, async (key) => {
        const entry = (await allQueued(ctx)).find((t) => t.CommandKey === key);
        ctx.expect(entry !== undefined, `the Download "${key}" listed`);
        ctx.expect(Number(entry.State) === 1, `State 1 (not yet started), got ${entry.State}`);
        ctx.expect(entry.IsDownload === true, `IsDownload true, got ${entry.IsDownload}`);
        ctx.expect(
          entry.FileType === FILE_TYPE,
          `FileType "${FILE_TYPE}", got "${entry.FileType}"`,
        );
      });
    },
  },
  {
    id: 'QT-002',
    area: AREA,
    title: 'GetQueuedTransfers lists a delayed Download with its CommandKey and State 1',
    clause: 'TR-069 §A.4.1.4 (GetQueuedTransfers)',
    requires: { rpcs: ['Download', 'GetQueuedTransfers'] },
    steps: [
      'Send Download with DelaySeconds 3600 and a CommandKey',
      'Send GetQueuedTransfers; expect that CommandKey with State 1',
      'Cancel the Download (CancelTransfer, where listed)',
    ],
    async run(ctx: CaseContext) {
      await withQueuedDownload(ctx, async (key) => {
        const list = (await ctx.call({ method: 'GetQueuedTransfers' })).TransferList;
        const entry = list.find((t) => t.CommandKey === key);
        ctx.expect(entry !== undefined, `the Download "${key}" listed`);
        ctx.expect(Number(entry.State) === 1, `State 1 (not yet started), got ${entry.State}`);
      });
    },
  },
  {
    id: 'QT-003',
    area: AREA,
    title: 'CancelTransfer removes a queued Download',
    clause: 'TR-069 §A.4.1.9 (CancelTransfer)',
    requires: { rpcs: ['Download', 'CancelTransfer', 'GetAllQueuedTransfers'] },
    steps: [
      'Send Download with DelaySeconds 3600 and a CommandKey',
      'Send CancelTransfer(CommandKey); expect success',
      'Expect GetAllQueuedTransfers no longer to list it',
    ],
    async run(ctx: CaseContext) {
      await withQueuedDownload(ctx, async (key) => {
        await ctx.call({ method: 'CancelTransfer', CommandKey: key });
        const still = (await allQueued(ctx)).some((t) => t.CommandKey === key);
        ctx.expect(!still, `the Download "${key}" gone from the queue`);
      });
    },
  },
  {
    id: 'QT-004',
    area: AREA,
    title: 'CancelTransfer of a CommandKey no transfer has is refused',
    clause: 'TR-069 §A.4.1.9, Table 19 (9021, or 9003)',
    requires: { rpcs: ['CancelTransfer'] },
    steps: ['Send CancelTransfer("corral-no-such-transfer")', 'Expect fault 9021 or 9003'],
    async run(ctx: CaseContext) {
      const answer = await ctx.rpc({
        method: 'CancelTransfer',
        CommandKey: 'corral-no-such-transfer',
      });
      ctx.expect(
        faultCode(answer) === 9021 || faultCode(answer) === 9003,
        `fault 9021 or 9003, got ${describeOutcome(answer)}`,
      );
    },
  },
  {
    id: 'QT-005',
    area: AREA,
    title: 'GetAllQueuedTransfers lists a delayed Upload with IsDownload false',
    clause: 'TR-069 §A.4.1.8 (GetAllQueuedTransfers), §A.4.1.5',
    requires: { rpcs: ['Upload', 'GetAllQueuedTransfers', 'CancelTransfer'] },
    steps: [
      'Send Upload with DelaySeconds 3600 and a CommandKey',
      'Send GetAllQueuedTransfers; expect that CommandKey with State 1 and IsDownload false',
      'Cancel the Upload',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('q-ul');
      ctx.files.offer(`${key}.cfg`, '', 500);
      await ctx.call({
        method: 'Upload',
        CommandKey: key,
        FileType: '1 Vendor Configuration File',
        URL: ctx.files.url(`${key}.cfg`),
        ...NO_CREDENTIALS,
        DelaySeconds: 3600,
      });
      try {
        const entry = (await allQueued(ctx)).find((t) => t.CommandKey === key);
        ctx.expect(entry !== undefined, `the Upload "${key}" listed`);
        ctx.expect(Number(entry.State) === 1, `State 1 (not yet started), got ${entry.State}`);
        ctx.expect(entry.IsDownload === false, `IsDownload false, got ${entry.IsDownload}`);
      } finally {
        await ctx.rpc({ method: 'CancelTransfer', CommandKey: key });
      }
    },
  },
  {
    id: 'SDL-001',
    area: AREA,
    title:
      'ScheduleDownload runs in its window and is reported with M ScheduleDownload and its CommandKey',
    clause: 'TR-069 §A.4.1.7 (ScheduleDownload), §A.3.3.2; cwmp-spec §8.4',
    requires: { rpcs: ['ScheduleDownload'] },
    steps: [
      'Send ScheduleDownload of a lab URL that answers 404, one window "1 At Any Time" from 0 to 4 s, MaxRetries 0',
      'End the session; expect a session with 7 TRANSFER COMPLETE, M ScheduleDownload(CommandKey)',
      'Expect TransferComplete(CommandKey) with a transfer fault code (the file is missing)',
    ],
    async run(ctx: CaseContext) {
      const key = labKey('sdl');
      ctx.files.offer(`${key}.cfg`, '', 404);
      await ctx.call({
        method: 'ScheduleDownload',
        CommandKey: key,
        FileType: FILE_TYPE,
        URL: ctx.files.url(`${key}.cfg`),
        ...NO_CREDENTIALS,
        FileSize: 0,
        TargetFileName: '',
        TimeWindowList: [
          {
            WindowStart: 0,
            WindowEnd: 4,
            WindowMode: '1 At Any Time',
            UserMessage: '',
            MaxRetries: 0,
          },
        ],
      });
      const { complete } = await transferComplete(ctx, 'ScheduleDownload', key);
      const code = Number(complete.FaultStruct.FaultCode);
      ctx.expect(
        code !== 0 && isTransferFault(code),
        `a transfer fault code for the missing file, got ${code} (${complete.FaultStruct.FaultString})`,
      );
    },
  },
  {
    id: 'SDL-002',
    area: AREA,
    title: 'ScheduleDownload with a window that ends before it starts is refused (9003)',
    clause: 'TR-069 §A.4.1.7 (TimeWindowStruct), Table 19 (9003)',
    requires: { rpcs: ['ScheduleDownload'] },
    steps: ['Send ScheduleDownload with WindowStart 60 and WindowEnd 30', 'Expect fault 9003'],
    async run(ctx: CaseContext) {
      const key = labKey('sdl-bad');
      const answer = await ctx.rpc({
        method: 'ScheduleDownload',
        CommandKey: key,
        FileType: FILE_TYPE,
        URL: ctx.files.url(`${key}.cfg`),
        ...NO_CREDENTIALS,
        FileSize: 0,
        TargetFileName: '',
        TimeWindowList: [
          {
            WindowStart: 60,
            WindowEnd: 30,
            WindowMode: '1 At Any Time',
            UserMessage: '',
            MaxRetries: 0,
          },
        ],
      });
      if (answer.kind === 'response' && ctx.dut.methods.includes('CancelTransfer'))
        await ctx.rpc({ method: 'CancelTransfer', CommandKey: key });
      ctx.expect(faultCode(answer) === 9003, `fault 9003, got ${describeOutcome(answer)}`);
    },
  },
];
