/**
 * Firmware download (TR-069 §A.3.2.8, FileType "1 Firmware Upgrade Image"; cwmp-spec §8.1, §8.7): the lab serves
 * the image the engineer gave (--firmware FILE, the DUT's vendor's own), the DUT fetches it, flashes it, reboots,
 * and reports it in the first session after: 1 BOOT, 7 TRANSFER COMPLETE, M Download with the CommandKey, and
 * TransferComplete with fault 0 and its times. A truncated copy announced with the whole image's FileSize must be
 * refused with a transfer fault, the DUT staying on its version. Destructive: the DUT stays on the new image.
 */
import type { CaseContext, ConformanceCase } from '../case.ts';
import { describeOutcome, faultCode, labKey, readValues } from './helpers.ts';
import { dutNow, expectTimes, NO_CREDENTIALS, transferComplete } from './transfer-helpers.ts';

const AREA = 'Download and Upload';
const FIRMWARE = '1 Firmware Upgrade Image';
/** Fetching, flashing and rebooting a real device takes minutes. */
const FLASH_WAIT_MS = 300_000;
const CASE_TIMEOUT_MS = FLASH_WAIT_MS + 60_000;
/** A corrupted image, per the spec's table: download failure, file corrupted, file authentication failure. */
const CORRUPT_FAULTS = [9010, 9018, 9019];

function requireImage(ctx: CaseContext): NonNullable<CaseContext['firmware']> {
  if (ctx.firmware === undefined)
    ctx.skip('no --firmware FILE: the lab has no image for this DUT (only its vendor has one)');
  return ctx.firmware;
}

async function softwareVersion(ctx: CaseContext): Promise<string> {
  const name = `${ctx.dut.root}DeviceInfo.SoftwareVersion`;
  return (await readValues(ctx, [name])).get(name)?.value ?? '';
}

async function downloadFirmware(ctx: CaseContext, key: string, name: string, fileSize: number) {
  return ctx.rpc({
    method: 'Download',
    CommandKey: key,
    FileType: FIRMWARE,
    URL: ctx.files.url(name),
    ...NO_CREDENTIALS,
    FileSize: fileSize,
    TargetFileName: '',
    DelaySeconds: 0,
    SuccessURL: '',
    FailureURL: '',
  });
}

export const FIRMWARE_CASES: ConformanceCase[] = [
  {
    id: 'DL-006',
    area: AREA,
    title:
      'A firmware image downloads, the DUT reboots on it and reports 1 BOOT, M Download and fault 0',
    clause: 'TR-069 §A.3.2.8 (Download, 1 Firmware Upgrade Image), §A.3.3.2; cwmp-spec §8.1, §8.2',
    requires: { rpcs: ['Download'], destructive: true },
    timeoutMs: CASE_TIMEOUT_MS,
    steps: [
      'Read DeviceInfo.SoftwareVersion; serve the --firmware image on the lab',
      'Send Download("1 Firmware Upgrade Image") of it with its FileSize and a CommandKey; expect Status 1',
      'End the session; expect the DUT to fetch the image, reboot, and open a session with 1 BOOT, 7 TRANSFER COMPLETE and M Download(CommandKey)',
      'Expect TransferComplete(CommandKey) with fault 0 and StartTime ≤ CompleteTime within the sessions',
      'Read SoftwareVersion again: report it, and with --firmware-version expect exactly that',
    ],
    async run(ctx: CaseContext) {
      const image = requireImage(ctx);
      const before = await softwareVersion(ctx);
      const key = labKey('fw');
      const name = `${key}-${image.name}`;
      ctx.files.offer(name, image.image);
      const requestedAt = await dutNow(ctx);
      const answer = await downloadFirmware(ctx, key, name, image.image.length);
      ctx.expect(
        answer.kind === 'response' && answer.message.method === 'DownloadResponse',
        `DownloadResponse, got ${describeOutcome(answer)}`,
      );
      // An image is applied by a reboot, after the session: it cannot be done by the time the DUT answers.
      ctx.expect(
        Number(answer.message.Status) === 1,
        `Status 1 (applied after the session), got ${answer.message.Status}`,
      );
      const { complete, at, codes } = await transferComplete(ctx, 'Download', key, FLASH_WAIT_MS);
      ctx.expect(ctx.files.requests(name) > 0, `the DUT to fetch the image ${name}`);
      ctx.expect(codes.includes('1 BOOT'), `1 BOOT after the image, got ${codes.join(' | ')}`);
      const code = Number(complete.FaultStruct.FaultCode);
      ctx.expect(
        code === 0,
        `TransferComplete fault 0, got ${code} (${complete.FaultStruct.FaultString})`,
      );
      expectTimes(ctx, complete, requestedAt, at);
      const after = await softwareVersion(ctx);
      ctx.note(`SoftwareVersion ${JSON.stringify(before)} before, ${JSON.stringify(after)} after`);
      if (image.version !== undefined)
        ctx.expect(
          after === image.version,
          `SoftwareVersion "${image.version}" (--firmware-version) after the image, got "${after}"`,
        );
    },
  },
  {
    id: 'DL-007',
    area: AREA,
    title: 'A truncated firmware image is refused with 9010, 9018 or 9019; the version stays',
    clause: 'TR-069 §A.3.2.8 (FileSize), Table 19 (9010, 9018, 9019); cwmp-spec §8.7',
    requires: { rpcs: ['Download'], destructive: true },
    timeoutMs: CASE_TIMEOUT_MS,
    steps: [
      'Read DeviceInfo.SoftwareVersion; serve the first half of the --firmware image on the lab',
      'Send Download("1 Firmware Upgrade Image") of it announcing the whole image’s FileSize',
      'Expect fault 9010/9018/9019 at once, or TransferComplete(CommandKey) with one of them',
      'Read SoftwareVersion again: expect it unchanged',
    ],
    async run(ctx: CaseContext) {
      const image = requireImage(ctx);
      const before = await softwareVersion(ctx);
      const key = labKey('fw-bad');
      const name = `${key}-${image.name}`;
      ctx.files.offer(name, image.image.subarray(0, image.image.length >> 1));
      const answer = await downloadFirmware(ctx, key, name, image.image.length);
      if (answer.kind === 'fault') {
        ctx.expect(
          CORRUPT_FAULTS.includes(faultCode(answer) ?? 0),
          `fault ${CORRUPT_FAULTS.join('/')} at once, or a failed TransferComplete; got ${describeOutcome(answer)}`,
        );
      } else {
        const { complete } = await transferComplete(ctx, 'Download', key, FLASH_WAIT_MS);
        const code = Number(complete.FaultStruct.FaultCode);
        ctx.expect(
          CORRUPT_FAULTS.includes(code),
          `TransferComplete fault ${CORRUPT_FAULTS.join('/')}, got ${code} (${complete.FaultStruct.FaultString})`,
        );
        ctx.note(`TransferComplete fault ${code}: ${complete.FaultStruct.FaultString}`);
      }
      const after = await softwareVersion(ctx);
      ctx.expect(
        after === before,
        `SoftwareVersion still "${before}" after a truncated image, got "${after}"`,
      );
    },
  },
];
