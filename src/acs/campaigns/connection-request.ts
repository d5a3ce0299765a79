import type { Log } from '../acs.ts';

/**
 * Asks a device for a session now (the ACS's connection-request sender). It may answer
 * `{ ok: false, reason }` (throttled, no URL, unreachable…) rather than throw; either way the device still
 * gets its task at its next Inform.
 */
export type CampaignConnectionRequest = (deviceId: string) => Promise<unknown>;

/** What a sender's outcome says about a refusal: its short reason, or null when it did not refuse. */
export function refusalOf(outcome: unknown): string | null {
  if (typeof outcome !== 'object' || outcome === null) return null;
  const { ok, reason } = outcome as { ok?: unknown; reason?: unknown };
  if (ok !== false) return null;
  return typeof reason === 'string' && reason !== '' ? reason.slice(0, 100) : 'refused';
}

/**
 * Fire a connection request without waiting for it; a refusal or an error is logged. Only the sender's short
 * reason or the error's name is logged: an error message may carry a URL with credentials.
 */
export function askForSession(
  send: CampaignConnectionRequest,
  log: Log,
  campaignId: number,
  deviceId: string,
): void {
  send(deviceId).then(
    (outcome) => {
      const reason = refusalOf(outcome);
      if (reason !== null) {
        log('campaign-connection-request-failed', { campaignId, deviceId, reason });
      }
    },
    (error: unknown) =>
      log('campaign-connection-request-failed', {
        campaignId,
        deviceId,
        reason: 'error',
        error: error instanceof Error ? error.name : 'unknown',
      }),
  );
}
