import { type CwmpMessage, encodeEnvelope, type ParameterValue } from '../src/cwmp/index.ts';

/** The benchmark's messages, generated (not shipped): realistic Device:2 shapes at the sizes the issue names. */

const CWMP_1_2 = 'urn:dslforum-org:cwmp-1-2';

function envelope(body: CwmpMessage, id = 'bench-1'): Buffer {
  return Buffer.from(encodeEnvelope({ cwmpNamespace: CWMP_1_2, header: { ID: id }, body }), 'utf8');
}

/** A BOOT Inform of a Device:2 gateway: 3 events, 15 parameters, ~3.9 KB once padded with realistic values. */
export function informMessage(): Buffer {
  const p = (name: string, value: string, type = 'string'): ParameterValue => ({
    name: `Device.${name}`,
    value,
    type,
  });
  return envelope(
    {
      method: 'Inform',
      DeviceId: {
        Manufacturer: 'Corral Networks',
        OUI: '00D09E',
        ProductClass: 'HGW-9000 AX',
        SerialNumber: 'CRL0A1B2C3D4E5',
      },
      Event: [
        { EventCode: '1 BOOT', CommandKey: '' },
        { EventCode: 'M Reboot', CommandKey: 'reboot-2026-11-25T01:00:00Z-operator-maintenance' },
        { EventCode: '4 VALUE CHANGE', CommandKey: '' },
      ],
      MaxEnvelopes: 1,
      CurrentTime: '2026-11-25T01:02:03Z',
      RetryCount: 0,
      ParameterList: [
        p('RootDataModelVersion', '2.17'),
        p('DeviceInfo.HardwareVersion', 'HGW-9000-AX rev C (PCB 4.2, RF module QCN9274 r2)'),
        p(
          'DeviceInfo.SoftwareVersion',
          '7.4.2-build.20261101.1532+g3f9a2c1-release-candidate-signed',
        ),
        p(
          'DeviceInfo.ProvisioningCode',
          'region=eu-west;tier=gold;profile=residential-ftth-2g5;vlan=835',
        ),
        p('DeviceInfo.UpTime', '86400', 'unsignedInt'),
        p(
          'ManagementServer.ParameterKey',
          'preset:wifi-guest@2026-11-20T10:11:12Z;preset:tr069-base@3',
        ),
        p(
          'ManagementServer.ConnectionRequestURL',
          'http://198.51.100.23:7547/connreq/7f3b9c2e-1d4a-4b8e-9c6f-2a1e5d7b8c90',
        ),
        p('ManagementServer.AliasBasedAddressing', 'false', 'boolean'),
        p('ManagementServer.PeriodicInformInterval', '3600', 'unsignedInt'),
        p('ManagementServer.PeriodicInformTime', '2026-11-24T03:17:42Z', 'dateTime'),
        p('IP.Interface.1.IPv4Address.1.IPAddress', '198.51.100.23'),
        p('IP.Interface.1.IPv6Address.1.IPAddress', '2001:db8:85a3:8d3:1319:8a2e:370:7348'),
        p('WiFi.SSID.1.SSID', 'Corral-Home-5G & Guests <Ünïcødé ✓>'),
        p('WiFi.Radio.1.Channel', '36', 'unsignedInt'),
        p(
          'DeviceInfo.X_00D09E_Description',
          'Home gateway with 2.5G WAN, Wi-Fi 7 tri-band radio, four 1G LAN ports, two FXS ports and a USB 3 port for storage sharing; managed by the operator through TR-069 with TR-181 Device:2.17 data model, vendor extensions for mesh steering, parental control schedules and per-client QoS.',
        ),
      ],
    },
    'inform-1',
  );
}

const WORDS = [
  'Ethernet',
  'Wi-Fi',
  'Gäste',
  'Büro',
  'café',
  '東京',
  'São Paulo',
  'R&D',
  '<lab>',
  '"quoted"',
  "o'clock",
  'Ωmega',
];

/** A GetParameterValuesResponse with `count` TR-181 parameters, entities and non-ASCII text among them (~0.9 MB). */
export function getParameterValuesResponse(count = 5000): Buffer {
  const list: ParameterValue[] = [];
  for (let i = 0; list.length < count; i++) {
    const n = (i % 64) + 1;
    const host = `Device.Hosts.Host.${i + 1}.`;
    list.push(
      {
        name: `${host}PhysAddress`,
        value: `f0:9f:c2:${(i >> 8) & 0xff}:${i & 0xff}:${n}`.padEnd(17, '0'),
        type: 'string',
      },
      { name: `${host}IPAddress`, value: `192.168.${(i >> 8) & 0xff}.${i & 0xff}`, type: 'string' },
      {
        name: `${host}HostName`,
        value: `${WORDS[i % WORDS.length]} &amp; ${WORDS[(i * 7) % WORDS.length]} — device ${i} of the «${WORDS[(i * 3) % WORDS.length]}» room`,
        type: 'string',
      },
      { name: `${host}Active`, value: i % 3 === 0 ? 'false' : 'true', type: 'boolean' },
      { name: `${host}LeaseTimeRemaining`, value: String(86400 - i), type: 'int' },
      { name: `${host}X_00D09E_LastSeen`, value: '2026-11-25T01:02:03Z', type: 'dateTime' },
      { name: `${host}Layer1Interface`, value: `Device.WiFi.SSID.${n}.`, type: 'string' },
      { name: `${host}IPv4AddressNumberOfEntries`, value: '1', type: 'unsignedInt' },
    );
  }
  list.length = count;
  return envelope({ method: 'GetParameterValuesResponse', ParameterList: list });
}

/** A GetParameterNamesResponse with `count` entries (~3 MB): a whole TR-181 tree of a busy gateway. */
export function getParameterNamesResponse(count = 20000): Buffer {
  const list = [];
  for (let i = 0; i < count; i++) {
    const obj = `Device.WiFi.AccessPoint.${(i >> 6) + 1}.AssociatedDevice.${(i & 63) + 1}.`;
    const leaf = [
      'MACAddress',
      'SignalStrength',
      'LastDataDownlinkRate',
      'Stats.BytesSent',
      'X_00D09E_SteeringHistory.',
    ];
    const name = obj + leaf[i % leaf.length];
    list.push({ Name: name, Writable: i % 5 === 4 });
  }
  return envelope({ method: 'GetParameterNamesResponse', ParameterList: list });
}

/** A SetParameterValues of `count` parameters, for the encoder. */
export function setParameterValues(count = 500): CwmpMessage {
  const list: ParameterValue[] = [];
  for (let i = 0; i < count; i++) {
    list.push({
      name: `Device.WiFi.SSID.${(i % 8) + 1}.X_00D09E_Schedule.${i + 1}.Description`,
      value: `Block <${i}> & "limit"`,
      type: 'string',
    });
  }
  return { method: 'SetParameterValues', ParameterList: list, ParameterKey: 'preset:parental@42' };
}
