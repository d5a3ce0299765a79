/** InternetGatewayDevice:1 gateway: one LANDevice with its DHCP server, Ethernet ports, Wi-Fi and hosts. */
import {
  at,
  boolean,
  CAN_DENY,
  entries,
  enumeration,
  int,
  list,
  named,
  object,
  type ProfilePart,
  R,
  string,
  table,
  unsignedInt,
  W,
} from '../builder.ts';

const LAN = 'InternetGatewayDevice.LANDevice.';
const L1 = `${LAN}1.`;
const MAC = '02:C0:A2:00:00';

const ethStats = [
  'BytesSent',
  'BytesReceived',
  'PacketsSent',
  'PacketsReceived',
  'ErrorsSent',
  'ErrorsReceived',
].map((name) => R(name, unsignedInt(), CAN_DENY));

function ethPort(n: number, up: boolean): Record<string, string> {
  return {
    ...at(`${L1}LANEthernetInterfaceConfig.${n}.`, {
      Enable: true,
      Status: up ? 'Up' : 'NoLink',
      Alias: `cpe-lan${n}`,
      Name: `eth${n - 1}`,
      MACAddress: `${MAC}:1${n}`,
      MaxBitRate: 'Auto',
      DuplexMode: 'Auto',
    }),
    ...at(`${L1}LANEthernetInterfaceConfig.${n}.Stats.`, {
      BytesSent: up ? 912_331_004 * n : 0,
      BytesReceived: up ? 181_002_417 * n : 0,
      PacketsSent: up ? 1_013_221 * n : 0,
      PacketsReceived: up ? 802_114 * n : 0,
      ErrorsSent: 0,
      ErrorsReceived: 0,
    }),
  };
}

const HOSTS: readonly (readonly [string, string, string, string])[] = [
  ['192.168.0.100', 'A4:83:E7:12:9C:02', 'tablet', '802.11'],
  ['192.168.0.101', '3C:22:FB:4A:07:5F', 'desktop', 'Ethernet'],
];

export const lan: ProfilePart = {
  objects: [
    table(
      `${LAN}{i}.`,
      [
        entries('LANEthernetInterfaceNumberOfEntries'),
        entries('LANWLANConfigurationNumberOfEntries'),
      ],
      { access: 'readWrite', numEntriesParameter: 'LANDeviceNumberOfEntries' },
    ),
    object(`${LAN}{i}.LANHostConfigManagement.`, [
      R('MACAddress', named.macAddress()),
      W('DHCPServerConfigurable', boolean({ default: 'true' })),
      W('DHCPServerEnable', boolean({ default: 'false' })),
      W('MinAddress', named.ipAddress()),
      W('MaxAddress', named.ipAddress()),
      W('ReservedAddresses', list(named.ipAddress(), { sizes: [{ maxLength: 256 }] })),
      W('SubnetMask', named.ipAddress()),
      W('DNSServers', list(named.ipAddress(), { sizes: [{ maxLength: 64 }] })),
      W('DomainName', string(64)),
      W('IPRouters', list(named.ipAddress(), { sizes: [{ maxLength: 64 }] })),
      W('DHCPLeaseTime', int(-1, undefined, { default: '86400', units: 'seconds' })),
      entries('IPInterfaceNumberOfEntries'),
    ]),
    table(
      `${LAN}{i}.LANHostConfigManagement.IPInterface.{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        W('IPInterfaceIPAddress', named.ipAddress({ default: '' }), { rebootRequired: true }),
        W('IPInterfaceSubnetMask', named.ipAddress({ default: '' })),
        W(
          'IPInterfaceAddressingType',
          enumeration(['DHCP', 'Static', 'AutoIP'], { extras: { default: 'DHCP' } }),
        ),
      ],
      { access: 'readWrite' },
    ),
    table(
      `${LAN}{i}.LANEthernetInterfaceConfig.{i}.`,
      [
        W('Enable', boolean()),
        R('Status', enumeration(['Up', 'NoLink', 'Error', 'Disabled'])),
        W('Alias', named.alias(), CAN_DENY),
        R('Name', string(16)),
        R('MACAddress', named.macAddress()),
        W('MaxBitRate', enumeration(['10', '100', '1000', '10000', 'Auto'])),
        W('DuplexMode', enumeration(['Half', 'Full', 'Auto'])),
      ],
      { numEntriesParameter: 'LANEthernetInterfaceNumberOfEntries' },
    ),
    object(`${LAN}{i}.LANEthernetInterfaceConfig.{i}.Stats.`, ethStats),
    table(
      `${LAN}{i}.WLANConfiguration.{i}.`,
      [
        W('Enable', boolean()),
        R('Status', enumeration(['Up', 'Error', 'Disabled'])),
        W('Alias', named.alias(), CAN_DENY),
        R('Name', string(16)),
        R('BSSID', string()),
        W('Channel', unsignedInt(0, 255)),
        W('SSID', string(32)),
        W(
          'BeaconType',
          enumeration(['None', 'Basic', 'WPA', '11i', 'BasicandWPA', 'Basicand11i', 'WPAand11i']),
        ),
        R('Standard', enumeration(['a', 'b', 'g', 'g-only', 'n'])),
        W('KeyPassphrase', string(63, { hidden: true })),
        W(
          'IEEE11iEncryptionModes',
          enumeration(['WEPEncryption', 'TKIPEncryption', 'AESEncryption', 'TKIPandAESEncryption']),
        ),
        W('IEEE11iAuthenticationMode', enumeration(['PSKAuthentication', 'EAPAuthentication'])),
        R('PossibleChannels', list(string(), { sizes: [{ maxLength: 1024 }] })),
        W('SSIDAdvertisementEnabled', boolean()),
        W('RadioEnabled', boolean()),
        W('AutoChannelEnable', boolean()),
        W('TransmitPower', unsignedInt(0, 100)),
        W('RegulatoryDomain', string(3)),
        R('TotalBytesSent', unsignedInt(), CAN_DENY),
        R('TotalBytesReceived', unsignedInt(), CAN_DENY),
        R('TotalAssociations', unsignedInt(), CAN_DENY),
      ],
      { numEntriesParameter: 'LANWLANConfigurationNumberOfEntries' },
    ),
    object(`${LAN}{i}.Hosts.`, [entries('HostNumberOfEntries')]),
    table(`${LAN}{i}.Hosts.Host.{i}.`, [
      R('IPAddress', named.ipAddress()),
      R('AddressSource', enumeration(['DHCP', 'Static', 'AutoIP'])),
      R('LeaseTimeRemaining', int(-1, undefined, { units: 'seconds' }), CAN_DENY),
      R('MACAddress', named.macAddress()),
      R('Layer2Interface', string(256)),
      R('HostName', string(64)),
      R(
        'InterfaceType',
        enumeration(['Ethernet', 'USB', '802.11', 'HomePNA', 'HomePlug', 'MoCA', 'Other']),
      ),
      R('Active', boolean()),
    ]),
  ],
  instances: {
    [LAN]: [1],
    [`${L1}LANHostConfigManagement.IPInterface.`]: [1],
    [`${L1}LANEthernetInterfaceConfig.`]: [1, 2, 3, 4],
    [`${L1}WLANConfiguration.`]: [1],
    [`${L1}Hosts.Host.`]: [1, 2],
  },
  values: {
    ...at(`${L1}LANHostConfigManagement.`, {
      MACAddress: `${MAC}:01`,
      DHCPServerConfigurable: true,
      DHCPServerEnable: true,
      MinAddress: '192.168.0.100',
      MaxAddress: '192.168.0.199',
      ReservedAddresses: '',
      SubnetMask: '255.255.255.0',
      DNSServers: '192.168.0.1',
      DomainName: 'lan',
      IPRouters: '192.168.0.1',
      DHCPLeaseTime: 86_400,
    }),
    ...at(`${L1}LANHostConfigManagement.IPInterface.1.`, {
      Enable: true,
      IPInterfaceIPAddress: '192.168.0.1',
      IPInterfaceSubnetMask: '255.255.255.0',
      IPInterfaceAddressingType: 'Static',
    }),
    ...ethPort(1, true),
    ...ethPort(2, false),
    ...ethPort(3, false),
    ...ethPort(4, false),
    ...at(`${L1}WLANConfiguration.1.`, {
      Enable: true,
      Status: 'Up',
      Alias: 'cpe-wlan1',
      Name: 'wl0',
      BSSID: `${MAC}:21`,
      Channel: 11,
      SSID: 'Corral-IGD',
      BeaconType: '11i',
      Standard: 'n',
      KeyPassphrase: 'corral-igd-passphrase',
      IEEE11iEncryptionModes: 'AESEncryption',
      IEEE11iAuthenticationMode: 'PSKAuthentication',
      PossibleChannels: '1-13',
      SSIDAdvertisementEnabled: true,
      RadioEnabled: true,
      AutoChannelEnable: false,
      TransmitPower: 100,
      RegulatoryDomain: 'DE ',
      TotalBytesSent: 1_847_223_100,
      TotalBytesReceived: 402_117_923,
      TotalAssociations: 1,
    }),
    ...Object.assign(
      {},
      ...HOSTS.map(([ip, mac, name, type], k) =>
        at(`${L1}Hosts.Host.${k + 1}.`, {
          IPAddress: ip,
          AddressSource: 'DHCP',
          LeaseTimeRemaining: 52_000 - k * 7_000,
          MACAddress: mac,
          Layer2Interface:
            type === '802.11' ? `${L1}WLANConfiguration.1` : `${L1}LANEthernetInterfaceConfig.1`,
          HostName: name,
          InterfaceType: type,
          Active: true,
        }),
      ),
    ),
  },
  attributes: {
    [`${L1}WLANConfiguration.1.SSID`]: { accessList: ['Subscriber'] },
    [`${L1}WLANConfiguration.1.KeyPassphrase`]: { accessList: ['Subscriber'] },
  },
};
