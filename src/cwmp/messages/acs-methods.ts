import { array, repeated } from '../schema/array.ts';
import { boolean, dateTime, optional, string, unsignedInt } from '../schema/field.ts';
import { type MessageOf, message } from '../schema/message.ts';
import {
  ArgStruct,
  AutonOpResultStruct,
  DeviceIdStruct,
  EventStruct,
  OpResultStruct,
  ParameterValueList,
  TransferCompleteFaultStruct,
} from './structs.ts';

/** The methods the CPE calls on the ACS (TR-069 Annex A.3.3 and A.4.2) and the ACS's responses. */

export const Inform = message('Inform', {
  DeviceId: DeviceIdStruct,
  Event: array(EventStruct, 'EventStruct', 'cwmp:EventStruct'),
  MaxEnvelopes: unsignedInt,
  CurrentTime: dateTime,
  RetryCount: unsignedInt,
  ParameterList: ParameterValueList,
});
export type Inform = MessageOf<typeof Inform>;
/** MaxEnvelopes is always 1 since Amendment 1. */
export const InformResponse = message('InformResponse', { MaxEnvelopes: unsignedInt });
export type InformResponse = MessageOf<typeof InformResponse>;

export const TransferComplete = message('TransferComplete', {
  CommandKey: string,
  FaultStruct: TransferCompleteFaultStruct,
  StartTime: dateTime,
  CompleteTime: dateTime,
});
export type TransferComplete = MessageOf<typeof TransferComplete>;
export const TransferCompleteResponse = message('TransferCompleteResponse', {});
export type TransferCompleteResponse = MessageOf<typeof TransferCompleteResponse>;

export const AutonomousTransferComplete = message('AutonomousTransferComplete', {
  AnnounceURL: string,
  TransferURL: string,
  IsDownload: boolean,
  FileType: string,
  FileSize: unsignedInt,
  TargetFileName: string,
  FaultStruct: TransferCompleteFaultStruct,
  StartTime: dateTime,
  CompleteTime: dateTime,
});
export type AutonomousTransferComplete = MessageOf<typeof AutonomousTransferComplete>;
export const AutonomousTransferCompleteResponse = message('AutonomousTransferCompleteResponse', {});
export type AutonomousTransferCompleteResponse = MessageOf<
  typeof AutonomousTransferCompleteResponse
>;

export const Kicked = message('Kicked', {
  Command: string,
  Referer: string,
  Arg: string,
  Next: string,
});
export type Kicked = MessageOf<typeof Kicked>;
export const KickedResponse = message('KickedResponse', { NextURL: string });
export type KickedResponse = MessageOf<typeof KickedResponse>;

export const RequestDownload = message('RequestDownload', {
  FileType: string,
  FileTypeArg: array(ArgStruct, 'ArgStruct', 'cwmp:ArgStruct'),
});
export type RequestDownload = MessageOf<typeof RequestDownload>;
export const RequestDownloadResponse = message('RequestDownloadResponse', {});
export type RequestDownloadResponse = MessageOf<typeof RequestDownloadResponse>;

export const DUStateChangeComplete = message('DUStateChangeComplete', {
  Results: repeated(OpResultStruct, 'OpResultStruct'),
  CommandKey: optional(string),
});
export type DUStateChangeComplete = MessageOf<typeof DUStateChangeComplete>;
export const DUStateChangeCompleteResponse = message('DUStateChangeCompleteResponse', {});
export type DUStateChangeCompleteResponse = MessageOf<typeof DUStateChangeCompleteResponse>;

export const AutonomousDUStateChangeComplete = message('AutonomousDUStateChangeComplete', {
  Results: repeated(AutonOpResultStruct, 'AutonOpResultStruct'),
});
export type AutonomousDUStateChangeComplete = MessageOf<typeof AutonomousDUStateChangeComplete>;
export const AutonomousDUStateChangeCompleteResponse = message(
  'AutonomousDUStateChangeCompleteResponse',
  {},
);
export type AutonomousDUStateChangeCompleteResponse = MessageOf<
  typeof AutonomousDUStateChangeCompleteResponse
>;

export const ACS_METHOD_SCHEMAS = [
  Inform,
  InformResponse,
  TransferComplete,
  TransferCompleteResponse,
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
  Kicked,
  KickedResponse,
  RequestDownload,
  RequestDownloadResponse,
  DUStateChangeComplete,
  DUStateChangeCompleteResponse,
  AutonomousDUStateChangeComplete,
  AutonomousDUStateChangeCompleteResponse,
] as const;
