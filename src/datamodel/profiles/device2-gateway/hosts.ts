/** Device:2 gateway: the LAN hosts it has seen (the DHCP clients and the static printer). */
import {
  at,
  boolean,
  dateTime,
  entries,
  enumeration,
  list,
  named,
  object,
  type ProfilePart,
  R,
  reference,
  string,
  table,
} from '../builder.ts';
import { LEASES } from './dhcpv4.ts';
import { STATIONS } from './wifi.ts';

const HOST = 'Device.Hosts.Host.';
const NAMES = ['laptop-anna', 'pixel-8', 'living-room-tv'];

function hostValues(): Record<string, string> {
  const out: Record<string, string> = {};
  LEASES.forEach(([mac, ip], k) => {
    const station = STATIONS.findIndex((s) => s[1] === mac);
    const ap = station === -1 ? 0 : STATIONS[station]![0];
    const wifi = ap !== 0;
    const assoc = STATIONS.slice(0, station + 1).filter((s) => s[0] === ap).length;
    Object.assign(
      out,
      at(`${HOST}${k + 1}.`, {
        PhysAddress: mac,
        IPAddress: ip,
        DHCPClient: `Device.DHCPv4.Server.Pool.1.Client.${k + 1}`,
        AssociatedDevice: wifi ? `Device.WiFi.AccessPoint.${ap}.AssociatedDevice.${assoc}` : '',
        Layer1Interface: wifi ? `Device.WiFi.SSID.${ap}` : 'Device.Ethernet.Interface.1',
        Layer3Interface: 'Device.IP.Interface.1',
        InterfaceType: wifi ? 'Wi-Fi' : 'Ethernet',
        HostName: NAMES[k] ?? `host-${k + 1}`,
        Active: true,
        ActiveLastChange: '2025-01-01T08:12:40Z',
      }),
    );
  });
  Object.assign(
    out,
    at(`${HOST}4.`, {
      PhysAddress: '00:80:77:5C:7E:20',
      IPAddress: '192.168.1.20',
      DHCPClient: '',
      AssociatedDevice: '',
      Layer1Interface: 'Device.Ethernet.Interface.2',
      Layer3Interface: 'Device.IP.Interface.1',
      InterfaceType: 'Ethernet',
      HostName: 'printer',
      Active: false,
      ActiveLastChange: '2024-12-30T17:03:11Z',
    }),
  );
  return out;
}

export const hosts: ProfilePart = {
  objects: [
    object('Device.Hosts.', [entries('HostNumberOfEntries')]),
    table(`${HOST}{i}.`, [
      R('PhysAddress', string(64)),
      R('IPAddress', named.ipAddress()),
      R('DHCPClient', list(reference(), { maxItems: 2 })),
      R('AssociatedDevice', reference(256)),
      R('Layer1Interface', reference(256)),
      R('Layer3Interface', reference(256)),
      R(
        'InterfaceType',
        enumeration(['Ethernet', 'G.hn', 'HPNA', 'HomePlug', 'MoCA', 'UPA', 'Wi-Fi', 'Other']),
      ),
      R('HostName', string(64)),
      R('Active', boolean()),
      R('ActiveLastChange', dateTime()),
    ]),
  ],
  instances: { [HOST]: [1, 2, 3, 4] },
  values: hostValues(),
};
