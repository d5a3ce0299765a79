/**
 * What a device built from a bare BBF data model starts with beyond the model's defaults: the identity a CPE needs
 * to inform (DeviceInfo, ManagementServer; values like the hand-written device2/igd profiles use) and a few table
 * instances a session touches (Wi-Fi, IP interfaces), so that GetParameterValues over the tree returns real values.
 * Paths are relative to the root; each value is used only where the model has the parameter and the value fits its
 * syntax, each table only where the model has it — so one seed serves any version and any vendor's subset.
 */

export interface TableSeed {
  /** Relative concrete table path: `IP.Interface.`, `IP.Interface.1.IPv4Address.`. Parents come first. */
  readonly table: string;
  readonly instances: readonly number[];
  /** Values of instance `n`, by parameter name. */
  readonly values: (n: number) => Readonly<Record<string, string>>;
}

export interface CpeSeed {
  /** Relative parameter path → value. */
  readonly values: Readonly<Record<string, string>>;
  readonly tables: readonly TableSeed[];
}

/** Locally administered, like the hand-written profiles': never clashes with real hardware. */
const OUI = '02C0A1';
const mac = (n: number) => `02:C0:A1:00:01:${n.toString(16).padStart(2, '0').toUpperCase()}`;

const DEVICE_INFO = {
  'DeviceInfo.Manufacturer': 'Corral Networks',
  'DeviceInfo.ManufacturerOUI': OUI,
  'DeviceInfo.Description': 'a simulated CPE built from a BBF data model',
  'DeviceInfo.SerialNumber': 'CRL00000000001',
  'DeviceInfo.HardwareVersion': 'SIM-1.0',
  'DeviceInfo.SoftwareVersion': '1.0.0',
  'DeviceInfo.ProvisioningCode': '',
  'DeviceInfo.UpTime': '3600',
  'DeviceInfo.FirstUseDate': '2025-01-01T00:00:00Z',
  'DeviceInfo.SpecVersion': '1.0',
};

const MANAGEMENT_SERVER = {
  'ManagementServer.EnableCWMP': 'true',
  'ManagementServer.URL': 'http://127.0.0.1:7547/',
  'ManagementServer.Password': 'corral-acs-secret',
  'ManagementServer.PeriodicInformEnable': 'true',
  'ManagementServer.PeriodicInformInterval': '3600',
  'ManagementServer.ConnectionRequestURL': 'http://127.0.0.1:7547/',
  'ManagementServer.ConnectionRequestPassword': 'corral-cr-secret',
  'ManagementServer.CWMPRetryMinimumWaitInterval': '5',
  'ManagementServer.CWMPRetryIntervalMultiplier': '2000',
  'ManagementServer.UpgradesManaged': 'false',
  'ManagementServer.STUNServerPort': '3478',
  'ManagementServer.HTTPConnectionRequestEnable': 'true',
};

/** Device:2 (TR-181): two radios with an SSID and access point each, an Ethernet port, a LAN and a WAN interface. */
export const DEVICE2_SEED: CpeSeed = {
  values: {
    ...DEVICE_INFO,
    ...MANAGEMENT_SERVER,
    'DeviceInfo.ModelName': 'Corral SIM Device:2',
    'DeviceInfo.ProductClass': 'SIM-DEVICE2',
    'DeviceInfo.HostName': 'corral-sim',
    'ManagementServer.SupportedConnReqMethods': 'HTTP,STUN,XMPP',
    'ManagementServer.InstanceMode': 'InstanceNumber',
  },
  tables: [
    {
      table: 'Ethernet.Interface.',
      instances: [1],
      values: (n) => ({ Enable: 'true', Status: 'Up', Name: `eth${n - 1}`, MACAddress: mac(n) }),
    },
    {
      table: 'WiFi.Radio.',
      instances: [1, 2],
      values: (n) => ({
        Enable: 'true',
        Status: 'Up',
        Name: `wifi${n - 1}`,
        OperatingFrequencyBand: n === 1 ? '2.4GHz' : '5GHz',
        Channel: n === 1 ? '6' : '36',
      }),
    },
    {
      table: 'WiFi.SSID.',
      instances: [1, 2],
      values: (n) => ({
        Enable: 'true',
        Status: 'Up',
        Name: `ssid${n - 1}`,
        SSID: `Corral-${n === 1 ? '2G' : '5G'}`,
        LowerLayers: `Device.WiFi.Radio.${n}`,
        BSSID: mac(0x10 + n),
        MACAddress: mac(0x10 + n),
      }),
    },
    {
      table: 'WiFi.AccessPoint.',
      instances: [1, 2],
      values: (n) => ({
        Enable: 'true',
        Status: 'Enabled',
        SSIDReference: `Device.WiFi.SSID.${n}`,
      }),
    },
    {
      table: 'IP.Interface.',
      instances: [1, 2],
      values: (n) => ({ Enable: 'true', Status: 'Up', Name: n === 1 ? 'br-lan' : 'wan' }),
    },
    ...[1, 2].map(
      (i): TableSeed => ({
        table: `IP.Interface.${i}.IPv4Address.`,
        instances: [1],
        values: () => ({
          Enable: 'true',
          Status: 'Enabled',
          IPAddress: i === 1 ? '192.168.1.1' : '203.0.113.10',
          SubnetMask: '255.255.255.0',
          AddressingType: i === 1 ? 'Static' : 'DHCP',
        }),
      }),
    ),
  ],
};

/** InternetGatewayDevice (TR-098): one LAN with a Wi-Fi network and an IP interface, one WAN IP connection. */
export const IGD_SEED: CpeSeed = {
  values: {
    ...DEVICE_INFO,
    ...MANAGEMENT_SERVER,
    'DeviceInfo.ModelName': 'Corral SIM IGD',
    'DeviceInfo.ProductClass': 'SIM-IGD',
  },
  tables: [
    { table: 'LANDevice.', instances: [1], values: () => ({}) },
    {
      table: 'LANDevice.1.LANEthernetInterfaceConfig.',
      instances: [1],
      values: (n) => ({ Enable: 'true', Status: 'Up', Name: `eth${n - 1}`, MACAddress: mac(n) }),
    },
    {
      table: 'LANDevice.1.LANHostConfigManagement.IPInterface.',
      instances: [1],
      values: () => ({
        Enable: 'true',
        IPInterfaceIPAddress: '192.168.1.1',
        IPInterfaceSubnetMask: '255.255.255.0',
        IPInterfaceAddressingType: 'Static',
      }),
    },
    {
      table: 'LANDevice.1.WLANConfiguration.',
      instances: [1],
      values: () => ({
        Enable: 'true',
        Status: 'Up',
        Name: 'wlan0',
        SSID: 'Corral-2G',
        Channel: '6',
        BSSID: mac(0x11),
      }),
    },
    { table: 'WANDevice.', instances: [1], values: () => ({}) },
    { table: 'WANDevice.1.WANConnectionDevice.', instances: [1], values: () => ({}) },
    {
      table: 'WANDevice.1.WANConnectionDevice.1.WANIPConnection.',
      instances: [1],
      values: () => ({
        Enable: 'true',
        ConnectionStatus: 'Connected',
        ConnectionType: 'IP_Routed',
        Name: 'wan',
        AddressingType: 'DHCP',
        ExternalIPAddress: '203.0.113.10',
        SubnetMask: '255.255.255.0',
        MACAddress: mac(0x20),
      }),
    },
  ],
};
