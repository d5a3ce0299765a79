/** Device:2 gateway: NAT on the WAN interface and two port mappings the subscriber made. */
import {
  at,
  boolean,
  CAN_DENY,
  entries,
  enumeration,
  int,
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

const SETTING = 'Device.NAT.InterfaceSetting.';
const MAPPING = 'Device.NAT.PortMapping.';

const mapping = (n: number, v: Record<string, string | number | boolean>) =>
  at(`${MAPPING}${n}.`, {
    Enable: true,
    Status: 'Enabled',
    Origin: 'User',
    Interface: 'Device.IP.Interface.2',
    AllInterfaces: false,
    LeaseDuration: 0,
    RemoteHost: '',
    ExternalPortEndRange: 0,
    ...v,
  });

export const nat: ProfilePart = {
  objects: [
    object('Device.NAT.', [
      entries('InterfaceSettingNumberOfEntries'),
      entries('PortMappingNumberOfEntries'),
      R('MaxNumberOfPortMappings', unsignedInt()),
    ]),
    table(
      `${SETTING}{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        R(
          'Status',
          enumeration(
            [
              'Disabled',
              'Enabled',
              'Enabled_NATForcedDisabled',
              'Enabled_PortMappingDisabled',
              'Error_Misconfigured',
              'Error',
            ],
            { extras: { default: 'Disabled' } },
          ),
        ),
        W1('Alias', named.alias()),
        W('Interface', reference(256, { default: '' })),
        W('TCPTranslationTimeout', int(-1, undefined, { default: '300', units: 'seconds' })),
        W('UDPTranslationTimeout', int(-1, undefined, { default: '30', units: 'seconds' })),
      ],
      { access: 'readWrite' },
    ),
    table(
      `${MAPPING}{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        R(
          'Status',
          enumeration(['Disabled', 'Enabled', 'Error_Misconfigured', 'Error'], {
            extras: { default: 'Disabled' },
          }),
        ),
        R(
          'Origin',
          enumeration(['User', 'System', 'UPnP', 'Controller'], {
            extras: { default: 'Controller' },
          }),
        ),
        W1('Alias', named.alias()),
        W('Interface', reference(256, { default: '' })),
        W('AllInterfaces', boolean({ default: 'false' })),
        W('LeaseDuration', unsignedInt(undefined, undefined, { units: 'seconds' }), CAN_DENY),
        W('RemoteHost', named.ipAddress({ default: '' })),
        W('ExternalPort', unsignedInt(0, 65535)),
        W('ExternalPortEndRange', unsignedInt(0, 65535, { default: '0' })),
        W('InternalPort', unsignedInt(0, 65535)),
        W('Protocol', enumeration(['TCP', 'UDP'], { extras: { default: 'TCP' } })),
        W('InternalClient', string(256, { default: '' })),
        W('Description', string(256, { default: '' })),
      ],
      { access: 'readWrite', maxEntries: 32 },
    ),
  ],
  instances: { [SETTING]: [1], [MAPPING]: [1, 2] },
  values: {
    'Device.NAT.MaxNumberOfPortMappings': '32',
    ...at(`${SETTING}1.`, {
      Enable: true,
      Status: 'Enabled',
      Alias: 'cpe-wan-nat',
      Interface: 'Device.IP.Interface.2',
      TCPTranslationTimeout: 300,
      UDPTranslationTimeout: 30,
    }),
    ...mapping(1, {
      Alias: 'cpe-1',
      ExternalPort: 8443,
      InternalPort: 443,
      Protocol: 'TCP',
      InternalClient: '192.168.1.102',
      Description: 'NAS web',
    }),
    ...mapping(2, {
      Alias: 'cpe-2',
      ExternalPort: 51820,
      InternalPort: 51820,
      Protocol: 'UDP',
      InternalClient: '192.168.1.100',
      Description: 'WireGuard',
    }),
  },
};
