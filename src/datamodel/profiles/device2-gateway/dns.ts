/** Device:2 gateway: the DNS client (servers learnt over DHCP) and the LAN-side relay. */
import {
  at,
  boolean,
  entries,
  enumeration,
  list,
  named,
  object,
  type ProfilePart,
  R,
  reference,
  table,
  W,
  W1,
} from '../builder.ts';

const STATUS = enumeration(['Disabled', 'Enabled', 'Error']);
const TYPE = enumeration(['DHCPv4', 'DHCPv6', 'RouterAdvertisement', 'IPCP', 'Static'], {
  extras: { default: 'Static' },
});

function server(prefix: string, n: number, address: string, type: string): Record<string, string> {
  return at(`${prefix}${n}.`, {
    Enable: true,
    Status: 'Enabled',
    Alias: `cpe-dns-${n}`,
    DNSServer: address,
    Interface: 'Device.IP.Interface.2',
    Type: type,
  });
}

const serverParameters = () => [
  W('Enable', boolean({ default: 'false' })),
  R('Status', { ...STATUS, default: 'Disabled' }),
  W1('Alias', named.alias()),
  W('DNSServer', named.ipAddress()),
  W('Interface', reference(256, { default: '' })),
  R('Type', TYPE),
];

export const dns: ProfilePart = {
  objects: [
    object('Device.DNS.', [
      R('SupportedRecordTypes', list(enumeration(['A', 'AAAA', 'SRV', 'PTR']))),
    ]),
    object('Device.DNS.Client.', [
      W('Enable', boolean()),
      R('Status', STATUS),
      entries('ServerNumberOfEntries'),
    ]),
    table('Device.DNS.Client.Server.{i}.', serverParameters(), { access: 'readWrite' }),
    object('Device.DNS.Relay.', [
      W('Enable', boolean()),
      R('Status', STATUS),
      entries('ForwardNumberOfEntries'),
    ]),
    table('Device.DNS.Relay.Forwarding.{i}.', serverParameters(), {
      access: 'readWrite',
      numEntriesParameter: 'ForwardNumberOfEntries',
    }),
  ],
  instances: {
    'Device.DNS.Client.Server.': [1, 2],
    'Device.DNS.Relay.Forwarding.': [1, 2],
  },
  values: {
    'Device.DNS.SupportedRecordTypes': 'A,AAAA,PTR',
    ...at('Device.DNS.Client.', { Enable: true, Status: 'Enabled' }),
    ...server('Device.DNS.Client.Server.', 1, '198.51.100.53', 'DHCPv4'),
    ...server('Device.DNS.Client.Server.', 2, '203.0.113.53', 'DHCPv4'),
    ...at('Device.DNS.Relay.', { Enable: true, Status: 'Enabled' }),
    ...server('Device.DNS.Relay.Forwarding.', 1, '198.51.100.53', 'DHCPv4'),
    ...server('Device.DNS.Relay.Forwarding.', 2, '2001:db8:1::53', 'DHCPv6'),
  },
};
