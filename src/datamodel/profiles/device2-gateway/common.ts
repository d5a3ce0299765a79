/** Pieces several areas of the Device:2 gateway share: interface heads, traffic statistics, identities. */
import type { ParameterDefinition } from '../../definition.ts';
import {
  boolean,
  CAN_DENY,
  enumeration,
  list,
  named,
  R,
  reference,
  string,
  unsignedInt,
  unsignedLong,
  W,
  W1,
} from '../builder.ts';

/** The gateway's MAC addresses are locally administered (02:…), so they can never clash with real hardware. */
export const MAC_PREFIX = '02:C0:A1:00:00';
export const OUI = '02C0A1';

export const INTERFACE_STATUS = enumeration([
  'Up',
  'Down',
  'Unknown',
  'Dormant',
  'NotPresent',
  'LowerLayerDown',
  'Error',
]);

export const ENABLE_STATUS = enumeration(['Disabled', 'Enabled', 'Error_Misconfigured', 'Error']);

/**
 * Enable, Status, Alias, Name, LastChange, LowerLayers: the head of every TR-181 interface object. In a table the
 * ACS can add to (`creatable`), a new instance starts disabled, down and unconnected.
 */
export function interfaceHead(creatable = false): ParameterDefinition[] {
  const d = (value: string) => (creatable ? { default: value } : {});
  return [
    W('Enable', boolean(d('false'))),
    R('Status', { ...INTERFACE_STATUS, ...d('Down') }),
    W1('Alias', named.alias()),
    R('Name', string(64)),
    R('LastChange', unsignedInt(), CAN_DENY),
    W('LowerLayers', { ...list(reference(), { sizes: [{ maxLength: 1024 }] }), ...d('') }),
  ];
}

/** The traffic counters of an interface's Stats object (Ethernet, IP, Wi-Fi SSID). */
export function trafficStats(): ParameterDefinition[] {
  const c64 = (name: string) => R(name, unsignedLong(), CAN_DENY);
  const c32 = (name: string) => R(name, unsignedInt(), CAN_DENY);
  return [
    c64('BytesSent'),
    c64('BytesReceived'),
    c64('PacketsSent'),
    c64('PacketsReceived'),
    c32('ErrorsSent'),
    c32('ErrorsReceived'),
    c64('UnicastPacketsSent'),
    c64('UnicastPacketsReceived'),
    c32('DiscardPacketsSent'),
    c32('DiscardPacketsReceived'),
    c64('MulticastPacketsSent'),
    c64('MulticastPacketsReceived'),
  ];
}

/** Plausible counter values for a link that has been up for a while, varied by `seed`. */
export function trafficValues(seed: number): Record<string, number> {
  const packets = 1_200_000 * seed + 48_311;
  return {
    BytesSent: packets * 612,
    BytesReceived: packets * 1_187,
    PacketsSent: packets,
    PacketsReceived: Math.round(packets * 1.4),
    ErrorsSent: 0,
    ErrorsReceived: seed * 3,
    UnicastPacketsSent: packets - 2_100,
    UnicastPacketsReceived: Math.round(packets * 1.4) - 5_300,
    DiscardPacketsSent: 0,
    DiscardPacketsReceived: seed * 11,
    MulticastPacketsSent: 2_100,
    MulticastPacketsReceived: 5_300,
  };
}
