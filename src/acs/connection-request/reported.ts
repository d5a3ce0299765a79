import type { Store } from '../../store/store.ts';

/**
 * What every connection-request path reads of the device: an address it reported itself (never one an operator
 * types: the ACS must not become a reflector), and the credentials the ACS keeps for it.
 */
export async function reportedManagementServerValue(
  store: Store,
  deviceId: string,
  name: 'ConnectionRequestURL' | 'UDPConnectionRequestAddress' | 'ConnReqJabberID',
): Promise<string | undefined> {
  for (const root of ['Device.', 'InternetGatewayDevice.']) {
    const value = (await store.parameters.get(deviceId, `${root}ManagementServer.${name}`))?.value;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export const NO_CREDENTIALS = {
  ok: false,
  reason: 'auth-failed',
  detail: 'no connection-request credentials for the device',
} as const;
