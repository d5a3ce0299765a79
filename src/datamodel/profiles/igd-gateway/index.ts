/**
 * An InternetGatewayDevice:1 (TR-098) router, "Corral HG-900": one LANDevice (DHCP server, four Ethernet ports,
 * one WLAN), one Ethernet WANDevice with a routed IP connection and a port mapping, Time and IPPing diagnostics.
 * Self-contained like the Device:2 profile; a test checks it against TR-098 1.8 when ../shared/bbf is there.
 */
import type { DeviceProfile } from '../../profile.ts';
import { composeProfile } from '../builder.ts';
import { device } from './device.ts';
import { lan } from './lan.ts';
import { wan } from './wan.ts';

export const IGD_GATEWAY: DeviceProfile = composeProfile(
  {
    id: 'corral-igd-gateway',
    description: 'Corral HG-900: a TR-098 InternetGatewayDevice:1 Wi-Fi router',
    modelName: 'InternetGatewayDevice:1.4',
  },
  [device, lan, wan],
);
