/** Device:2 gateway: four LAN ports and one WAN port, and the Ethernet links the IP interfaces sit on. */
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
  table,
  unsignedInt,
  W,
} from '../builder.ts';
import { interfaceHead, MAC_PREFIX, trafficStats, trafficValues } from './common.ts';

const IF = 'Device.Ethernet.Interface.';
const LINK = 'Device.Ethernet.Link.';

function port(n: number, up: boolean, upstream: boolean, bitRate: number): Record<string, string> {
  return {
    ...at(`${IF}${n}.`, {
      Enable: true,
      Status: up ? 'Up' : 'Down',
      Alias: `cpe-eth${n - 1}`,
      Name: `eth${n - 1}`,
      LastChange: up ? 86_400 - n * 17 : 86_412,
      LowerLayers: '',
      Upstream: upstream,
      MACAddress: `${MAC_PREFIX}:${(0x10 + n).toString(16).toUpperCase()}`,
      MaxBitRate: -1,
      CurrentBitRate: up ? bitRate : 0,
      DuplexMode: 'Auto',
    }),
    ...at(`${IF}${n}.Stats.`, up ? trafficValues(n) : trafficValues(0)),
  };
}

export const ethernet: ProfilePart = {
  objects: [
    object('Device.Ethernet.', [
      entries('InterfaceNumberOfEntries'),
      entries('LinkNumberOfEntries'),
    ]),
    table(`${IF}{i}.`, [
      ...interfaceHead(),
      R('Upstream', boolean()),
      R('MACAddress', named.macAddress()),
      W('MaxBitRate', int(-1, undefined, { units: 'Mbps' })),
      R('CurrentBitRate', unsignedInt(undefined, undefined, { units: 'Mbps' }), CAN_DENY),
      W('DuplexMode', enumeration(['Half', 'Full', 'Auto'])),
    ]),
    object(`${IF}{i}.Stats.`, trafficStats()),
    table(
      `${LINK}{i}.`,
      [
        ...interfaceHead(true),
        W('MACAddress', named.macAddress()),
        W('PriorityTagging', boolean({ default: 'false' })),
      ],
      { access: 'readWrite' },
    ),
  ],
  instances: { [IF]: [1, 2, 3, 4, 5], [LINK]: [1, 2] },
  values: {
    ...port(1, true, false, 1000),
    ...port(2, true, false, 100),
    ...port(3, false, false, 0),
    ...port(4, false, false, 0),
    ...port(5, true, true, 1000),
    ...at(`${LINK}1.`, {
      Enable: true,
      Status: 'Up',
      Alias: 'cpe-lan',
      Name: 'br-lan',
      LastChange: 86_390,
      LowerLayers: `${IF}1,${IF}2,${IF}3,${IF}4`,
      MACAddress: `${MAC_PREFIX}:01`,
      PriorityTagging: false,
    }),
    ...at(`${LINK}2.`, {
      Enable: true,
      Status: 'Up',
      Alias: 'cpe-wan',
      Name: 'wan0',
      LastChange: 86_395,
      LowerLayers: `${IF}5`,
      MACAddress: `${MAC_PREFIX}:02`,
      PriorityTagging: false,
    }),
  },
};
