/**
 * Device:2 gateway: a 2.4 GHz and a 5 GHz radio, one SSID and access point on each (WPA2/WPA3 personal, WPS),
 * and the stations associated with them.
 */
import {
  at,
  boolean,
  CAN_DENY,
  entries,
  enumeration,
  hexBinary,
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
import { ENABLE_STATUS, interfaceHead, MAC_PREFIX, trafficStats, trafficValues } from './common.ts';

const RADIO = 'Device.WiFi.Radio.';
const SSID = 'Device.WiFi.SSID.';
const AP = 'Device.WiFi.AccessPoint.';

const STANDARDS = ['a', 'b', 'g', 'n', 'ac', 'ax'];
const BANDWIDTHS = ['20MHz', '40MHz', '80MHz', '160MHz', 'Auto'];
const SECURITY_MODES = [
  'None',
  'WPA2-Personal',
  'WPA3-Personal',
  'WPA3-Personal-Transition',
  'WPA2-Enterprise',
  'WPA3-Enterprise',
];
const WPS_METHODS = ['PushButton', 'PIN', 'Label', 'Display'];

/** Stations on each access point: [AP, MAC, standard, signal dBm, downlink kbps, uplink kbps]. */
export const STATIONS: readonly (readonly [number, string, string, number, number, number])[] = [
  [1, 'A4:83:E7:12:9C:01', 'n', -61, 72_200, 65_000],
  [2, '3C:22:FB:4A:07:5E', 'ax', -48, 864_800, 648_500],
  [2, 'F0:9F:C2:33:18:A7', 'ac', -67, 390_000, 292_500],
];

/** A radio counts traffic like an interface, without the multicast counters. */
const RADIO_TRAFFIC = trafficStats().filter((p) => !/^(Unicast|Multicast)/.test(p.name));

function radioTraffic(seed: number): Record<string, number> {
  const all = trafficValues(seed);
  return Object.fromEntries(RADIO_TRAFFIC.map((p) => [p.name, all[p.name]!]));
}

function radio(n: number, band: '2.4GHz' | '5GHz'): Record<string, string> {
  const two = band === '2.4GHz';
  return {
    ...at(`${RADIO}${n}.`, {
      Enable: true,
      Status: 'Up',
      Alias: two ? 'cpe-radio-2g' : 'cpe-radio-5g',
      Name: two ? 'wl0' : 'wl1',
      LastChange: 86_350,
      LowerLayers: '',
      Upstream: false,
      MaxBitRate: two ? 574 : 2402,
      SupportedFrequencyBands: band,
      OperatingFrequencyBand: band,
      SupportedStandards: two ? 'b,g,n,ax' : 'a,n,ac,ax',
      OperatingStandards: two ? 'g,n,ax' : 'a,n,ac,ax',
      PossibleChannels: two
        ? '1,2,3,4,5,6,7,8,9,10,11,12,13'
        : '36,40,44,48,52,56,60,64,100,104,108,112,116',
      ChannelsInUse: two ? '6' : '36,40,44,48',
      Channel: two ? 6 : 36,
      AutoChannelSupported: true,
      AutoChannelEnable: true,
      AutoChannelRefreshPeriod: 0,
      OperatingChannelBandwidth: two ? '20MHz' : '80MHz',
      CurrentOperatingChannelBandwidth: two ? '20MHz' : '80MHz',
      GuardInterval: 'Auto',
      TransmitPowerSupported: '12,25,50,75,100',
      TransmitPower: 100,
      IEEE80211hSupported: !two,
      IEEE80211hEnabled: !two,
      RegulatoryDomain: 'DE ',
      BeaconPeriod: 100,
      DTIMPeriod: 1,
    }),
    ...at(`${RADIO}${n}.Stats.`, { ...radioTraffic(n + 1), Noise: two ? -92 : -95 }),
  };
}

function accessPoint(n: number, ssid: string, stations: number): Record<string, string> {
  return {
    ...at(`${SSID}${n}.`, {
      Enable: true,
      Status: 'Up',
      Alias: n === 1 ? 'cpe-ssid-2g' : 'cpe-ssid-5g',
      Name: `wl${n - 1}.0`,
      LastChange: 86_340,
      LowerLayers: `${RADIO}${n}`,
      BSSID: `${MAC_PREFIX}:2${n}`,
      MACAddress: `${MAC_PREFIX}:2${n}`,
      SSID: ssid,
      Upstream: false,
    }),
    ...at(`${SSID}${n}.Stats.`, trafficValues(n + 3)),
    ...at(`${AP}${n}.`, {
      Enable: true,
      Status: 'Enabled',
      Alias: n === 1 ? 'cpe-ap-2g' : 'cpe-ap-5g',
      SSIDReference: `${SSID}${n}`,
      SSIDAdvertisementEnabled: true,
      WMMCapability: true,
      UAPSDCapability: true,
      WMMEnable: true,
      UAPSDEnable: false,
      IsolationEnable: false,
      MACAddressControlEnabled: false,
      AllowedMACAddress: '',
      MaxAllowedAssociations: 32,
    }),
    ...at(`${AP}${n}.Security.`, {
      ModesSupported: SECURITY_MODES.join(','),
      ModeEnabled: 'WPA2-Personal',
      // Unused under WPA2, but TR-181 allows only 5- or 13-byte keys: a device keeps a placeholder.
      WEPKey: '0102030405',
      PreSharedKey: '',
      KeyPassphrase: 'corral-wifi-passphrase',
      RekeyingInterval: 3600,
      SAEPassphrase: '',
      RadiusServerIPAddr: '',
      RadiusServerPort: 1812,
      RadiusSecret: '',
      MFPConfig: 'Optional',
      Reset: false,
    }),
    ...at(`${AP}${n}.WPS.`, {
      Enable: true,
      ConfigMethodsSupported: WPS_METHODS.join(','),
      ConfigMethodsEnabled: 'PushButton',
      Status: stations > 0 ? 'Configured' : 'Unconfigured',
      Version: '2.0',
      PIN: '',
    }),
  };
}

function stationValues(): Record<string, string> {
  const out: Record<string, string> = {};
  const count = new Map<number, number>();
  for (const [ap, mac, standard, signal, down, up] of STATIONS) {
    const k = (count.get(ap) ?? 0) + 1;
    count.set(ap, k);
    Object.assign(
      out,
      at(`${AP}${ap}.AssociatedDevice.${k}.`, {
        MACAddress: mac,
        OperatingStandard: standard,
        AuthenticationState: true,
        LastDataDownlinkRate: down,
        LastDataUplinkRate: up,
        SignalStrength: signal,
        Retransmissions: 2,
        Active: true,
      }),
    );
  }
  return out;
}

export const wifi: ProfilePart = {
  objects: [
    object('Device.WiFi.', [
      entries('RadioNumberOfEntries'),
      entries('SSIDNumberOfEntries'),
      entries('AccessPointNumberOfEntries'),
    ]),
    table(`${RADIO}{i}.`, [
      ...interfaceHead(),
      R('Upstream', boolean()),
      R('MaxBitRate', unsignedInt(undefined, undefined, { units: 'Mbps' })),
      R('SupportedFrequencyBands', list(enumeration(['2.4GHz', '5GHz', '6GHz']))),
      W('OperatingFrequencyBand', enumeration(['2.4GHz', '5GHz', '6GHz'])),
      R('SupportedStandards', list(enumeration(STANDARDS))),
      W('OperatingStandards', list(enumeration(STANDARDS))),
      R('PossibleChannels', list(string(), { sizes: [{ maxLength: 1024 }] })),
      R('ChannelsInUse', list(string(), { sizes: [{ maxLength: 1024 }] }), CAN_DENY),
      W('Channel', unsignedInt(1, 255), { rebootRequired: true }),
      R('AutoChannelSupported', boolean()),
      W('AutoChannelEnable', boolean()),
      W('AutoChannelRefreshPeriod', unsignedInt(undefined, undefined, { units: 'seconds' })),
      W('OperatingChannelBandwidth', enumeration(BANDWIDTHS)),
      R('CurrentOperatingChannelBandwidth', enumeration(['20MHz', '40MHz', '80MHz', '160MHz'])),
      W('GuardInterval', enumeration(['400nsec', '800nsec', 'Auto'])),
      R('TransmitPowerSupported', list(int(-1, 100), { sizes: [{ maxLength: 64 }] })),
      W('TransmitPower', int(-1, 100)),
      R('IEEE80211hSupported', boolean()),
      W('IEEE80211hEnabled', boolean()),
      W('RegulatoryDomain', string(undefined, { sizes: [{ minLength: 3, maxLength: 3 }] }), {
        rebootRequired: true,
      }),
      W('BeaconPeriod', unsignedInt(undefined, undefined, { units: 'milliseconds' })),
      W('DTIMPeriod', unsignedInt()),
    ]),
    object(`${RADIO}{i}.Stats.`, [
      ...RADIO_TRAFFIC,
      R('Noise', int(undefined, undefined, { units: 'dBm' })),
    ]),
    table(
      `${SSID}{i}.`,
      [
        ...interfaceHead(true),
        R('BSSID', named.macAddress()),
        R('MACAddress', named.macAddress()),
        W('SSID', string(32)),
        R('Upstream', boolean()),
      ],
      { access: 'readWrite' },
    ),
    // TR-181 lets an SSID's ErrorsSent take active notification (unlike the other counters).
    object(
      `${SSID}{i}.Stats.`,
      trafficStats().map((p) => (p.name === 'ErrorsSent' ? R(p.name, p.syntax) : p)),
    ),
    table(
      `${AP}{i}.`,
      [
        W('Enable', boolean({ default: 'false' })),
        R('Status', { ...ENABLE_STATUS, default: 'Disabled' }),
        W1('Alias', named.alias()),
        W('SSIDReference', reference(256, { default: '' })),
        W('SSIDAdvertisementEnabled', boolean()),
        R('WMMCapability', boolean()),
        R('UAPSDCapability', boolean()),
        W('WMMEnable', boolean()),
        W('UAPSDEnable', boolean()),
        entries('AssociatedDeviceNumberOfEntries'),
        W('IsolationEnable', boolean()),
        W('MACAddressControlEnabled', boolean()),
        W('AllowedMACAddress', list(named.macAddress())),
        W('MaxAllowedAssociations', unsignedInt()),
      ],
      { access: 'readWrite' },
    ),
    object(`${AP}{i}.Security.`, [
      R('ModesSupported', list(enumeration(SECURITY_MODES))),
      W('ModeEnabled', enumeration(SECURITY_MODES)),
      W(
        'WEPKey',
        hexBinary(
          [
            { minLength: 5, maxLength: 5 },
            { minLength: 13, maxLength: 13 },
          ],
          { secured: true },
        ),
      ),
      W('PreSharedKey', hexBinary([{ maxLength: 32 }], { secured: true })),
      W(
        'KeyPassphrase',
        string(undefined, { sizes: [{ minLength: 8, maxLength: 63 }], secured: true }),
      ),
      W(
        'RekeyingInterval',
        unsignedInt(undefined, undefined, { default: '3600', units: 'seconds' }),
      ),
      W('SAEPassphrase', string(undefined, { secured: true })),
      W('RadiusServerIPAddr', named.ipAddress()),
      W('RadiusServerPort', unsignedInt(undefined, undefined, { default: '1812' })),
      W('RadiusSecret', string(undefined, { secured: true })),
      W(
        'MFPConfig',
        enumeration(['Disabled', 'Optional', 'Required'], { extras: { default: 'Disabled' } }),
      ),
      W('Reset', boolean({ command: true })),
    ]),
    object(`${AP}{i}.WPS.`, [
      W('Enable', boolean({ default: 'true' })),
      R('ConfigMethodsSupported', list(enumeration(WPS_METHODS))),
      W('ConfigMethodsEnabled', list(enumeration(WPS_METHODS))),
      R('Status', enumeration(['Disabled', 'Error', 'Unconfigured', 'Configured', 'SetupLocked'])),
      R('Version', string()),
      W('PIN', string(8, { secured: true })),
    ]),
    table(`${AP}{i}.AssociatedDevice.{i}.`, [
      R('MACAddress', named.macAddress()),
      R('OperatingStandard', enumeration(STANDARDS)),
      R('AuthenticationState', boolean()),
      R('LastDataDownlinkRate', unsignedInt(1000, undefined, { units: 'kbps' }), CAN_DENY),
      R('LastDataUplinkRate', unsignedInt(1000, undefined, { units: 'kbps' }), CAN_DENY),
      R('SignalStrength', int(-200, 0, { units: 'dBm' })),
      R('Retransmissions', unsignedInt(0, 100)),
      R('Active', boolean()),
    ]),
  ],
  instances: {
    [RADIO]: [1, 2],
    [SSID]: [1, 2],
    [AP]: [1, 2],
    [`${AP}1.AssociatedDevice.`]: [1],
    [`${AP}2.AssociatedDevice.`]: [1, 2],
  },
  values: {
    ...radio(1, '2.4GHz'),
    ...radio(2, '5GHz'),
    ...accessPoint(1, 'Corral-2G', 1),
    ...accessPoint(2, 'Corral-5G', 2),
    ...stationValues(),
  },
  attributes: {
    // Subscribers may rename their network and change its passphrase from the gateway's web page.
    [`${SSID}1.SSID`]: { accessList: ['Subscriber'] },
    [`${SSID}2.SSID`]: { accessList: ['Subscriber'] },
    [`${AP}1.Security.KeyPassphrase`]: { accessList: ['Subscriber'] },
    [`${AP}2.Security.KeyPassphrase`]: { accessList: ['Subscriber'] },
    [`${SSID}1.Enable`]: { notification: 1, accessList: ['Subscriber'] },
  },
};
