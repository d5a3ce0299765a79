/** Device:2 gateway: the TR-143 diagnostics IPPing, TraceRoute, DownloadDiagnostics and UploadDiagnostics. */
import {
  at,
  boolean,
  CAN_DENY,
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
  unsignedInt,
  unsignedLong,
  W,
} from '../builder.ts';

const D = 'Device.IP.Diagnostics.';
const PROTOCOL = enumeration(['Any', 'IPv4', 'IPv6']);
const UNKNOWN = '0001-01-01T00:00:00Z';

const TRANSFER_ERRORS = [
  'Error_CannotResolveHostName',
  'Error_NoRouteToHost',
  'Error_InitConnectionFailed',
  'Error_NoResponse',
  'Error_PasswordRequestFailed',
  'Error_LoginFailed',
  'Error_NoTransferMode',
  'Error_NoPASV',
  'Error_Timeout',
  'Error_Internal',
  'Error_Other',
];

/** The parameters Download and Upload diagnostics share, in TR-181 order around their own. */
function transferCommon(ipAddressUsed: 'normal' | 'canDeny') {
  return {
    inputs: [
      W('DSCP', unsignedInt(0, 63)),
      W('EthernetPriority', unsignedInt(0, 7)),
      W('TimeBasedTestDuration', unsignedInt(0, 999, { units: 'seconds' })),
      W('ProtocolVersion', PROTOCOL),
      W('NumberOfConnections', unsignedInt(1)),
      R('IPAddressUsed', named.ipAddress(), { activeNotify: ipAddressUsed }),
    ],
    times: [
      R('ROMTime', dateTime(), CAN_DENY),
      R('BOMTime', dateTime(), CAN_DENY),
      R('EOMTime', dateTime(), CAN_DENY),
    ],
    totals: [
      R('TotalBytesReceived', unsignedLong({ dataType: 'StatsCounter64' })),
      R('TotalBytesSent', unsignedLong({ dataType: 'StatsCounter64' })),
      R('PeriodOfFullLoading', unsignedInt(undefined, undefined, { units: 'microseconds' })),
      R('TCPOpenRequestTime', dateTime(), CAN_DENY),
      R('TCPOpenResponseTime', dateTime(), CAN_DENY),
      W('EnablePerConnectionResults', boolean(), CAN_DENY),
    ],
  };
}

const idleTransfer = {
  DiagnosticsState: 'None',
  Interface: '',
  DSCP: 0,
  EthernetPriority: 0,
  TimeBasedTestDuration: 0,
  ProtocolVersion: 'Any',
  NumberOfConnections: 1,
  IPAddressUsed: '',
  ROMTime: UNKNOWN,
  BOMTime: UNKNOWN,
  EOMTime: UNKNOWN,
  TotalBytesReceived: 0,
  TotalBytesSent: 0,
  PeriodOfFullLoading: 0,
  TCPOpenRequestTime: UNKNOWN,
  TCPOpenResponseTime: UNKNOWN,
  EnablePerConnectionResults: false,
};

const download = transferCommon('canDeny');
const upload = transferCommon('normal');

export const diagnostics: ProfilePart = {
  objects: [
    object(D, [
      R('IPv4PingSupported', boolean()),
      R('IPv6PingSupported', boolean()),
      R('IPv4TraceRouteSupported', boolean()),
      R('IPv6TraceRouteSupported', boolean()),
      R('IPv4DownloadDiagnosticsSupported', boolean()),
      R('IPv6DownloadDiagnosticsSupported', boolean()),
      R('IPv4UploadDiagnosticsSupported', boolean()),
      R('IPv6UploadDiagnosticsSupported', boolean()),
    ]),
    object(`${D}IPPing.`, [
      W(
        'DiagnosticsState',
        named.diagnosticsState([
          'Error_CannotResolveHostName',
          'Error_NoRouteToHost',
          'Error_Internal',
          'Error_Other',
        ]),
      ),
      W('Interface', reference(256)),
      W('ProtocolVersion', PROTOCOL),
      W('Host', string(256)),
      W('NumberOfRepetitions', unsignedInt(1)),
      W('Timeout', unsignedInt(1, undefined, { units: 'milliseconds' })),
      W('DataBlockSize', unsignedInt(1, 65535, { units: 'bytes' })),
      W('DSCP', unsignedInt(0, 63)),
      R('IPAddressUsed', named.ipAddress()),
      R('SuccessCount', unsignedInt(), CAN_DENY),
      R('FailureCount', unsignedInt(), CAN_DENY),
      R(
        'AverageResponseTime',
        unsignedInt(undefined, undefined, { units: 'milliseconds' }),
        CAN_DENY,
      ),
      R(
        'MinimumResponseTime',
        unsignedInt(undefined, undefined, { units: 'milliseconds' }),
        CAN_DENY,
      ),
      R('MaximumResponseTime', unsignedInt(undefined, undefined, { units: 'milliseconds' })),
    ]),
    object(`${D}TraceRoute.`, [
      W(
        'DiagnosticsState',
        named.diagnosticsState([
          'Error_CannotResolveHostName',
          'Error_NoRouteToHost',
          'Error_MaxHopCountExceeded',
          'Error_Internal',
          'Error_Other',
        ]),
      ),
      W('Interface', reference(256)),
      W('ProtocolVersion', PROTOCOL),
      W('Host', string(256)),
      W('NumberOfTries', unsignedInt(1, 3)),
      W('Timeout', unsignedInt(1, undefined, { units: 'milliseconds' })),
      W('DataBlockSize', unsignedInt(1, 65535, { units: 'bytes' })),
      W('DSCP', unsignedInt(0, 63)),
      W('MaxHopCount', unsignedInt(1, 64)),
      { ...entries('RouteHopsNumberOfEntries'), ...CAN_DENY },
      R('IPAddressUsed', named.ipAddress()),
      R('ResponseTime', unsignedInt(undefined, undefined, { units: 'milliseconds' }), CAN_DENY),
    ]),
    table(`${D}TraceRoute.RouteHops.{i}.`, [
      R('Host', string(256), CAN_DENY),
      R('HostAddress', string(), CAN_DENY),
      R('ErrorCode', unsignedInt(), CAN_DENY),
      R('RTTimes', list(unsignedInt(), { minItems: 1, maxItems: 3 })),
    ]),
    object(`${D}DownloadDiagnostics.`, [
      W(
        'DiagnosticsState',
        named.diagnosticsState(['Error_TransferFailed', 'Error_IncorrectSize', ...TRANSFER_ERRORS]),
      ),
      W('Interface', reference(256)),
      W('DownloadURL', named.url()),
      R('DownloadTransports', list(enumeration(['HTTP', 'FTP']))),
      ...download.inputs,
      R('DownloadDiagnosticMaxConnections', unsignedInt(1)),
      ...download.times,
      R('TestBytesReceived', unsignedLong({ dataType: 'StatsCounter64' })),
      ...download.totals,
    ]),
    object(`${D}UploadDiagnostics.`, [
      W(
        'DiagnosticsState',
        named.diagnosticsState([
          'Error_NoCWD',
          'Error_NoSTOR',
          'Error_NoTransferComplete',
          ...TRANSFER_ERRORS,
        ]),
      ),
      W('Interface', reference(256)),
      W('UploadURL', named.url()),
      R('UploadTransports', list(enumeration(['HTTP', 'FTP']))),
      W('TestFileLength', unsignedLong({ units: 'bytes' })),
      ...upload.inputs,
      R('UploadDiagnosticsMaxConnections', unsignedInt(1)),
      ...upload.times,
      R('TestBytesSent', unsignedLong({ dataType: 'StatsCounter64' })),
      ...upload.totals,
    ]),
  ],
  values: {
    ...at(D, {
      IPv4PingSupported: true,
      IPv6PingSupported: true,
      IPv4TraceRouteSupported: true,
      IPv6TraceRouteSupported: true,
      IPv4DownloadDiagnosticsSupported: true,
      IPv6DownloadDiagnosticsSupported: true,
      IPv4UploadDiagnosticsSupported: true,
      IPv6UploadDiagnosticsSupported: true,
    }),
    ...at(`${D}IPPing.`, {
      DiagnosticsState: 'None',
      Interface: '',
      ProtocolVersion: 'Any',
      Host: '',
      NumberOfRepetitions: 4,
      Timeout: 1000,
      DataBlockSize: 56,
      DSCP: 0,
      IPAddressUsed: '',
      SuccessCount: 0,
      FailureCount: 0,
      AverageResponseTime: 0,
      MinimumResponseTime: 0,
      MaximumResponseTime: 0,
    }),
    ...at(`${D}TraceRoute.`, {
      DiagnosticsState: 'None',
      Interface: '',
      ProtocolVersion: 'Any',
      Host: '',
      NumberOfTries: 3,
      Timeout: 5000,
      DataBlockSize: 38,
      DSCP: 0,
      MaxHopCount: 30,
      IPAddressUsed: '',
      ResponseTime: 0,
    }),
    ...at(`${D}DownloadDiagnostics.`, {
      ...idleTransfer,
      DownloadURL: '',
      DownloadTransports: 'HTTP,FTP',
      DownloadDiagnosticMaxConnections: 4,
      TestBytesReceived: 0,
    }),
    ...at(`${D}UploadDiagnostics.`, {
      ...idleTransfer,
      UploadURL: '',
      UploadTransports: 'HTTP',
      TestFileLength: 0,
      UploadDiagnosticsMaxConnections: 4,
      TestBytesSent: 0,
    }),
  },
};
