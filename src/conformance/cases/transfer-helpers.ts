/**
 * What the transfer cases share: the session a finished transfer opens (7 TRANSFER COMPLETE, M <method> with the
 * CommandKey, the TransferComplete), and its times read against the DUT's own clock (its Informs' CurrentTime).
 */
import { readDateTime, type TransferComplete, UNKNOWN_TIME } from '../../cwmp/index.ts';
import type { CaseContext } from '../case.ts';

/** How long a transfer (and a reboot after it) may take to be reported. */
export const TRANSFER_WAIT_MS = 60_000;

/** Download/Upload arguments the lab does not use. */
export const NO_CREDENTIALS = { Username: '', Password: '' };

/** The DUT's clock when the session in hand began (its Inform's CurrentTime), in ms. */
export async function dutNow(ctx: CaseContext): Promise<number | undefined> {
  const session = await ctx.session();
  const t = Date.parse(String(session.inform?.body.CurrentTime ?? ''));
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ends the session and waits for the one the finished transfer opens; expects its events and TransferComplete
 * with `commandKey`, and returns it with the DUT's clock at that session's start.
 */
export async function transferComplete(
  ctx: CaseContext,
  method: 'Download' | 'Upload' | 'ScheduleDownload',
  commandKey: string,
  waitMs = TRANSFER_WAIT_MS,
): Promise<{ complete: TransferComplete; at: number | undefined; codes: string[] }> {
  ctx.endSession();
  const session = await ctx.waitSession(waitMs);
  const events = session.inform?.body.Event ?? [];
  const codes = events.map((e) => e.EventCode);
  ctx.expect(
    codes.includes('7 TRANSFER COMPLETE'),
    `7 TRANSFER COMPLETE, got ${codes.join(' | ')}`,
  );
  const m = events.find((e) => e.EventCode === `M ${method}`);
  ctx.expect(m !== undefined, `M ${method}, got ${codes.join(' | ')}`);
  ctx.expect(
    m.CommandKey === commandKey,
    `M ${method}'s CommandKey "${commandKey}", got "${m.CommandKey}"`,
  );
  const completes = session.cpeRequests.filter(
    (r): r is TransferComplete => r.method === 'TransferComplete',
  );
  ctx.expect(completes.length > 0, 'a TransferComplete in that session');
  // A TransferComplete left over from an earlier transfer may come first: the one with the CommandKey counts.
  const complete = completes.find((r) => r.CommandKey === commandKey);
  ctx.expect(
    complete !== undefined,
    `a TransferComplete with CommandKey "${commandKey}", got ${completes.map((r) => `"${r.CommandKey}"`).join(', ')}`,
  );
  const at = Date.parse(String(session.inform?.body.CurrentTime ?? ''));
  return { complete, at: Number.isNaN(at) ? undefined : at, codes };
}

/** StartTime and CompleteTime known, in order, and between the request and the report (the DUT's clock, ±2 s). */
export function expectTimes(
  ctx: CaseContext,
  complete: TransferComplete,
  requestedAt: number | undefined,
  reportedAt: number | undefined,
): void {
  const start = String(complete.StartTime);
  const end = String(complete.CompleteTime);
  for (const [what, raw] of [
    ['StartTime', start],
    ['CompleteTime', end],
  ] as const) {
    ctx.expect(readDateTime(raw).ok, `${what} a valid dateTime, got "${raw}"`);
    ctx.expect(
      Date.parse(raw) !== Date.parse(UNKNOWN_TIME),
      `${what} known for a transfer done, got "${raw}"`,
    );
  }
  const s = Date.parse(start);
  const e = Date.parse(end);
  ctx.expect(s <= e, `StartTime ${start} not after CompleteTime ${end}`);
  if (requestedAt !== undefined)
    ctx.expect(
      s >= requestedAt - 2000,
      `StartTime ${start} not before the session that asked (${new Date(requestedAt).toISOString()})`,
    );
  if (reportedAt !== undefined)
    ctx.expect(
      e <= reportedAt + 2000,
      `CompleteTime ${end} not after the session that reported it (${new Date(reportedAt).toISOString()})`,
    );
}

/** A TransferComplete fault code for a failed transfer (cwmp-spec §8.7). */
export function isTransferFault(code: number): boolean {
  return code === 9001 || code === 9002 || (code >= 9010 && code <= 9020);
}

/** Upload of the DUT's configuration to the lab under `key`, as several transfer and HTTP cases send it. */
export function uploadConfiguration(ctx: CaseContext, key: string) {
  return ctx.call({
    method: 'Upload',
    CommandKey: key,
    FileType: '1 Vendor Configuration File',
    URL: ctx.files.url(`${key}.cfg`),
    ...NO_CREDENTIALS,
    DelaySeconds: 0,
  });
}
