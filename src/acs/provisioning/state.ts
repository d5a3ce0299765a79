import type { JsonValue } from '../../store/json.ts';

/** What the ACS keeps per device between sessions (the store's provisioning state, reset by 0 BOOTSTRAP). */
export interface ProvisioningState {
  /** Instance path (`Obj.N.`) → the declaration that asked for it, until its keys are set. */
  pendingInstances: Record<string, string>;
  /** Channel → blocked until (ms since the epoch). */
  blockedChannels: Record<string, number>;
}

function isRecord(x: unknown): x is Record<string, JsonValue> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The stored state, read defensively: entries of the wrong type are ignored (a session or a dry run must not
 * fail on a row an older Corral, or a hand, wrote).
 */
export function readProvisioningState(raw: JsonValue | null): ProvisioningState {
  const state: ProvisioningState = { pendingInstances: {}, blockedChannels: {} };
  if (!isRecord(raw)) return state;
  if (isRecord(raw.pendingInstances)) {
    for (const [path, id] of Object.entries(raw.pendingInstances))
      if (typeof id === 'string') state.pendingInstances[path] = id;
  }
  if (isRecord(raw.blockedChannels)) {
    for (const [channel, until] of Object.entries(raw.blockedChannels))
      if (typeof until === 'number' && Number.isFinite(until))
        state.blockedChannels[channel] = until;
  }
  return state;
}

/** The channels still blocked at `now`. */
export function blockedChannelsAt(state: ProvisioningState, now: number): Set<string> {
  return new Set(
    Object.entries(state.blockedChannels)
      .filter(([, until]) => until > now)
      .map(([channel]) => channel),
  );
}

export function provisioningStateToJson(state: ProvisioningState): JsonValue {
  return { pendingInstances: state.pendingInstances, blockedChannels: state.blockedChannels };
}
