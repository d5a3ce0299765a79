/** Waiting for the session the DUT opens by itself for one event (8 DIAGNOSTICS COMPLETE, 4 VALUE CHANGE, …). */
import type { CaseContext } from '../case.ts';
import type { DutSession } from '../dut-session.ts';
import { StepFailure } from '../step-failure.ts';

/** A session the DUT opens by itself within `ms`, taken to the lab's turn; undefined when none comes. */
export async function sessionWithin(ctx: CaseContext, ms: number): Promise<DutSession | undefined> {
  try {
    return await ctx.waitSession(ms);
  } catch (error) {
    if (error instanceof StepFailure && error.reason === 'timeout') return undefined;
    throw error;
  }
}

/**
 * The first session within `ms` whose Inform carries `event`; sessions for something else (a periodic Inform, one an
 * earlier case set off) are taken and ended on the way, with a note. Undefined when none comes.
 */
export async function sessionWithEvent(
  ctx: CaseContext,
  event: string,
  ms: number,
): Promise<DutSession | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const session = await sessionWithin(ctx, Math.max(1, deadline - Date.now()));
    if (session === undefined) return undefined;
    const events = session.inform?.body.Event.map((e) => e.EventCode) ?? [];
    if (events.includes(event)) return session;
    ctx.note(`a session for ${events.join(' | ')} came first`);
    ctx.endSession();
  }
}
