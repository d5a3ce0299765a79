/**
 * A Device:2 (TR-181 2.17) home gateway, "Corral HG-2100": dual-band Wi-Fi, four LAN ports and an Ethernet WAN,
 * dual-stack IP, a DHCPv4 server, NAT with port mappings, DNS client and relay, local users and the TR-143
 * diagnostics. Written in the project (no BBF file needed at run time); a test checks every definition against
 * TR-181 2.17 when ../shared/bbf is there.
 */
import type { DeviceProfile } from '../../profile.ts';
import { composeProfile } from '../builder.ts';
import { deviceInfo } from './device-info.ts';
import { dhcpv4 } from './dhcpv4.ts';
import { diagnostics } from './diagnostics.ts';
import { dns } from './dns.ts';
import { ethernet } from './ethernet.ts';
import { hosts } from './hosts.ts';
import { ip } from './ip.ts';
import { managementServer } from './management-server.ts';
import { nat } from './nat.ts';
import { time } from './time.ts';
import { users } from './users.ts';
import { wifi } from './wifi.ts';

export const DEVICE2_GATEWAY: DeviceProfile = composeProfile(
  {
    id: 'corral-device2-gateway',
    description: 'Corral HG-2100: a TR-181 Device:2.17 dual-band Wi-Fi home gateway',
    modelName: 'Device:2.17',
  },
  [
    deviceInfo,
    managementServer,
    time,
    ethernet,
    ip,
    dhcpv4,
    wifi,
    hosts,
    nat,
    dns,
    users,
    diagnostics,
  ],
);
