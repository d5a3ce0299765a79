/** Device:2 gateway: the DHCPv4 client on the WAN side and the DHCPv4 server of the LAN. */
import {
  at,
  boolean,
  CAN_DENY,
  dateTime,
  entries,
  enumeration,
  int,
  list,
  named,
  object,
  type ProfilePart,
  R,
  reference,
  string,
  table,
  unsignedInt,
  W,
  W1,
} from '../builder.ts';
import { ENABLE_STATUS } from './common.ts';

const CLIENT = 'Device.DHCPv4.Client.';
const POOL = 'Device.DHCPv4.Server.Pool.';

/** LAN hosts holding a lease: [MAC, IP, lease end]. Hosts (hosts.ts) lists the same machines. */
export const LEASES: readonly (readonly [string, string, string])[] = [
  ['A4:83:E7:12:9C:01', '192.168.1.100', '2025-01-02T09:41:00Z'],
  ['3C:22:FB:4A:07:5E', '192.168.1.101', '2025-01-02T10:02:13Z'],
  ['F0:9F:C2:33:18:A7', '192.168.1.102', '2025-01-02T11:30:45Z'],
];

export const dhcpv4: ProfilePart = {
  objects: [
    object('Device.DHCPv4.', [entries('ClientNumberOfEntries')]),
    table(
      `${CLIENT}{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        W1('Alias', named.alias()),
        W('Interface', reference(256, { default: '' })),
        R('Status', { ...ENABLE_STATUS, default: 'Disabled' }),
        R(
          'DHCPStatus',
          enumeration(['Init', 'Selecting', 'Requesting', 'Rebinding', 'Bound', 'Renewing']),
        ),
        W('Renew', boolean({ default: 'false', command: true })),
        R('IPAddress', named.ipv4Address({ default: '' })),
        R('SubnetMask', named.ipv4Address({ default: '' })),
        R('IPRouters', list(named.ipv4Address(), { sizes: [{ maxLength: 256 }] })),
        R('DNSServers', list(named.ipv4Address(), { sizes: [{ maxLength: 256 }] })),
        R('LeaseTimeRemaining', int(-1, undefined, { default: '0', units: 'seconds' }), CAN_DENY),
        R('DHCPServer', named.ipv4Address({ default: '' })),
      ],
      { access: 'readWrite', minEntries: 1 },
    ),
    object('Device.DHCPv4.Server.', [W('Enable', boolean()), entries('PoolNumberOfEntries')]),
    table(
      `${POOL}{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        R('Status', { ...ENABLE_STATUS, default: 'Disabled' }),
        W1('Alias', named.alias()),
        W('Order', unsignedInt(1, undefined, { dataType: 'Order' })),
        W('Interface', reference(256, { default: '' })),
        W('VendorClassID', string(255, { default: '' })),
        W('Chaddr', named.macAddress({ default: '' })),
        W('AllowedDevices', enumeration(['All', 'Known', 'Unknown'])),
        W('MinAddress', named.ipv4Address()),
        W('MaxAddress', named.ipv4Address()),
        W('ReservedAddresses', list(named.ipv4Address({ default: '' }), { maxItems: 32 })),
        W('SubnetMask', named.ipv4Address()),
        W('DNSServers', list(named.ipv4Address(), { maxItems: 4 })),
        W('DomainName', string(64)),
        W('IPRouters', list(named.ipv4Address(), { maxItems: 4 })),
        W('LeaseTime', int(-1, undefined, { default: '86400', units: 'seconds' })),
        entries('StaticAddressNumberOfEntries'),
        entries('ClientNumberOfEntries'),
      ],
      { access: 'readWrite' },
    ),
    table(
      `${POOL}{i}.StaticAddress.{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        W1('Alias', named.alias()),
        W('Chaddr', named.macAddress({ default: '' })),
        W('Yiaddr', named.ipv4Address({ default: '' })),
      ],
      { access: 'readWrite' },
    ),
    table(`${POOL}{i}.Client.{i}.`, [
      W1('Alias', named.alias()),
      R('Chaddr', named.macAddress()),
      R('Active', boolean()),
      entries('IPv4AddressNumberOfEntries'),
    ]),
    table(`${POOL}{i}.Client.{i}.IPv4Address.{i}.`, [
      R('IPAddress', named.ipv4Address()),
      R('LeaseTimeRemaining', dateTime()),
    ]),
  ],
  instances: {
    [CLIENT]: [1],
    [POOL]: [1],
    [`${POOL}1.StaticAddress.`]: [1],
    [`${POOL}1.Client.`]: [1, 2, 3],
    [`${POOL}1.Client.1.IPv4Address.`]: [1],
    [`${POOL}1.Client.2.IPv4Address.`]: [1],
    [`${POOL}1.Client.3.IPv4Address.`]: [1],
  },
  values: {
    ...at(`${CLIENT}1.`, {
      Enable: true,
      Alias: 'cpe-wan-dhcp',
      Interface: 'Device.IP.Interface.2',
      Status: 'Enabled',
      DHCPStatus: 'Bound',
      Renew: false,
      IPAddress: '198.51.100.23',
      SubnetMask: '255.255.255.0',
      IPRouters: '198.51.100.1',
      DNSServers: '198.51.100.53,203.0.113.53',
      LeaseTimeRemaining: 41_312,
      DHCPServer: '198.51.100.1',
    }),
    'Device.DHCPv4.Server.Enable': 'true',
    ...at(`${POOL}1.`, {
      Enable: true,
      Status: 'Enabled',
      Alias: 'cpe-lan-pool',
      Order: 1,
      Interface: 'Device.IP.Interface.1',
      VendorClassID: '',
      Chaddr: '',
      AllowedDevices: 'All',
      MinAddress: '192.168.1.100',
      MaxAddress: '192.168.1.249',
      ReservedAddresses: '192.168.1.20',
      SubnetMask: '255.255.255.0',
      DNSServers: '192.168.1.1',
      DomainName: 'home.arpa',
      IPRouters: '192.168.1.1',
      LeaseTime: 86_400,
    }),
    ...at(`${POOL}1.StaticAddress.1.`, {
      Enable: true,
      Alias: 'cpe-printer',
      Chaddr: '00:80:77:5C:7E:20',
      Yiaddr: '192.168.1.20',
    }),
    ...Object.assign(
      {},
      ...LEASES.map(([mac, ip, end], k) => ({
        ...at(`${POOL}1.Client.${k + 1}.`, {
          Alias: `cpe-client-${k + 1}`,
          Chaddr: mac,
          Active: true,
        }),
        ...at(`${POOL}1.Client.${k + 1}.IPv4Address.1.`, {
          IPAddress: ip,
          LeaseTimeRemaining: end,
        }),
      })),
    ),
  },
};
