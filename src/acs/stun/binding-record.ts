import type { Store } from '../../store/store.ts';
import type { Log } from '../log.ts';
import type { StunBinding } from './stun-server.ts';

const ROOTS = ['Device.', 'InternetGatewayDevice.'];

/** `host:port`, IPv6 in brackets: how TR-069 writes UDPConnectionRequestAddress. */
export function formatUdpAddress({ address, port }: { address: string; port: number }): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Keeps a device's cached UDPConnectionRequestAddress equal to what its authenticated STUN binding shows, so the
 * console and the API see the address the ACS will use, without waiting for the device's value-change Inform.
 */
export function recordStunBindings(store: Store, log: Log) {
  return async (binding: StunBinding, changed: boolean): Promise<void> => {
    if (!changed) return;
    try {
      for (const root of ROOTS) {
        const path = `${root}ManagementServer.UDPConnectionRequestAddress`;
        const known = await store.parameters.get(binding.deviceId, path);
        const url = await store.parameters.get(
          binding.deviceId,
          `${root}ManagementServer.ConnectionRequestURL`,
        );
        if (known === null && url === null) continue;
        const value = formatUdpAddress(binding);
        if (known?.value !== value)
          await store.parameters.upsert(binding.deviceId, [{ path, value }]);
        return;
      }
    } catch (error) {
      log(
        'stun-binding-not-recorded',
        { deviceId: binding.deviceId, error: (error as Error).name },
        'warn',
      );
    }
  };
}
