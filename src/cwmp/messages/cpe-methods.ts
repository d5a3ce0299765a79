import { array, repeated } from '../schema/array.ts';
import { boolean, dateTime, int, optional, string, unsignedInt } from '../schema/field.ts';
import { type MessageOf, message } from '../schema/message.ts';
import { deploymentUnitOperation } from './du-operation.ts';
import {
  AllQueuedTransferStruct,
  OptionStruct,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueList,
  QueuedTransferStruct,
  SetParameterAttributesStruct,
  stringArray,
  TimeWindowStruct,
} from './structs.ts';

/**
 * The methods the ACS calls on the CPE (TR-069 Annex A.3.2 and A.4.1) and the CPE's responses, as cwmp-1-2.xsd
 * defines them. GetRPCMethods, which both sides may call, lives here too.
 */

export const GetRPCMethods = message('GetRPCMethods', {});
export type GetRPCMethods = MessageOf<typeof GetRPCMethods>;
export const GetRPCMethodsResponse = message('GetRPCMethodsResponse', { MethodList: stringArray });
export type GetRPCMethodsResponse = MessageOf<typeof GetRPCMethodsResponse>;

export const SetParameterValues = message('SetParameterValues', {
  ParameterList: ParameterValueList,
  ParameterKey: string,
});
export type SetParameterValues = MessageOf<typeof SetParameterValues>;
/** Status 0: applied; 1: committed, applied after a reboot or similar. */
export const SetParameterValuesResponse = message('SetParameterValuesResponse', { Status: int });
export type SetParameterValuesResponse = MessageOf<typeof SetParameterValuesResponse>;

export const GetParameterValues = message('GetParameterValues', { ParameterNames: stringArray });
export type GetParameterValues = MessageOf<typeof GetParameterValues>;
export const GetParameterValuesResponse = message('GetParameterValuesResponse', {
  ParameterList: ParameterValueList,
});
export type GetParameterValuesResponse = MessageOf<typeof GetParameterValuesResponse>;

export const GetParameterNames = message('GetParameterNames', {
  ParameterPath: string,
  NextLevel: boolean,
});
export type GetParameterNames = MessageOf<typeof GetParameterNames>;
export const GetParameterNamesResponse = message('GetParameterNamesResponse', {
  ParameterList: array(ParameterInfoStruct, 'ParameterInfoStruct', 'cwmp:ParameterInfoStruct'),
});
export type GetParameterNamesResponse = MessageOf<typeof GetParameterNamesResponse>;

export const SetParameterAttributes = message('SetParameterAttributes', {
  ParameterList: array(
    SetParameterAttributesStruct,
    'SetParameterAttributesStruct',
    'cwmp:SetParameterAttributesStruct',
  ),
});
export type SetParameterAttributes = MessageOf<typeof SetParameterAttributes>;
export const SetParameterAttributesResponse = message('SetParameterAttributesResponse', {});
export type SetParameterAttributesResponse = MessageOf<typeof SetParameterAttributesResponse>;

export const GetParameterAttributes = message('GetParameterAttributes', {
  ParameterNames: stringArray,
});
export type GetParameterAttributes = MessageOf<typeof GetParameterAttributes>;
export const GetParameterAttributesResponse = message('GetParameterAttributesResponse', {
  ParameterList: array(
    ParameterAttributeStruct,
    'ParameterAttributeStruct',
    'cwmp:ParameterAttributeStruct',
  ),
});
export type GetParameterAttributesResponse = MessageOf<typeof GetParameterAttributesResponse>;

export const AddObject = message('AddObject', { ObjectName: string, ParameterKey: string });
export type AddObject = MessageOf<typeof AddObject>;
export const AddObjectResponse = message('AddObjectResponse', {
  InstanceNumber: unsignedInt.required(),
  Status: int,
});
export type AddObjectResponse = MessageOf<typeof AddObjectResponse>;

export const DeleteObject = message('DeleteObject', { ObjectName: string, ParameterKey: string });
export type DeleteObject = MessageOf<typeof DeleteObject>;
export const DeleteObjectResponse = message('DeleteObjectResponse', { Status: int });
export type DeleteObjectResponse = MessageOf<typeof DeleteObjectResponse>;

export const Download = message('Download', {
  CommandKey: string,
  FileType: string,
  URL: string,
  Username: string,
  Password: string,
  FileSize: unsignedInt,
  TargetFileName: string,
  DelaySeconds: unsignedInt,
  SuccessURL: string,
  FailureURL: string,
});
export type Download = MessageOf<typeof Download>;
/** Status 0: downloaded and applied (times are real); 1: not yet (times are the Unknown Time). */
export const DownloadResponse = message('DownloadResponse', {
  Status: int,
  StartTime: dateTime,
  CompleteTime: dateTime,
});
export type DownloadResponse = MessageOf<typeof DownloadResponse>;

export const Reboot = message('Reboot', { CommandKey: string });
export type Reboot = MessageOf<typeof Reboot>;
export const RebootResponse = message('RebootResponse', {});
export type RebootResponse = MessageOf<typeof RebootResponse>;

export const GetQueuedTransfers = message('GetQueuedTransfers', {});
export type GetQueuedTransfers = MessageOf<typeof GetQueuedTransfers>;
export const GetQueuedTransfersResponse = message('GetQueuedTransfersResponse', {
  TransferList: array(QueuedTransferStruct, 'QueuedTransferStruct', 'cwmp:QueuedTransferStruct'),
});
export type GetQueuedTransfersResponse = MessageOf<typeof GetQueuedTransfersResponse>;

export const ScheduleInform = message('ScheduleInform', {
  DelaySeconds: unsignedInt,
  CommandKey: string,
});
export type ScheduleInform = MessageOf<typeof ScheduleInform>;
export const ScheduleInformResponse = message('ScheduleInformResponse', {});
export type ScheduleInformResponse = MessageOf<typeof ScheduleInformResponse>;

export const SetVouchers = message('SetVouchers', {
  VoucherList: array(string, 'base64', 'soap-enc:base64'),
});
export type SetVouchers = MessageOf<typeof SetVouchers>;
export const SetVouchersResponse = message('SetVouchersResponse', {});
export type SetVouchersResponse = MessageOf<typeof SetVouchersResponse>;

export const GetOptions = message('GetOptions', { OptionName: string });
export type GetOptions = MessageOf<typeof GetOptions>;
export const GetOptionsResponse = message('GetOptionsResponse', {
  OptionList: array(OptionStruct, 'OptionStruct', 'cwmp:OptionStruct'),
});
export type GetOptionsResponse = MessageOf<typeof GetOptionsResponse>;

export const Upload = message('Upload', {
  CommandKey: string,
  FileType: string,
  URL: string,
  Username: string,
  Password: string,
  DelaySeconds: unsignedInt,
});
export type Upload = MessageOf<typeof Upload>;
export const UploadResponse = message('UploadResponse', {
  Status: int,
  StartTime: dateTime,
  CompleteTime: dateTime,
});
export type UploadResponse = MessageOf<typeof UploadResponse>;

export const FactoryReset = message('FactoryReset', {});
export type FactoryReset = MessageOf<typeof FactoryReset>;
export const FactoryResetResponse = message('FactoryResetResponse', {});
export type FactoryResetResponse = MessageOf<typeof FactoryResetResponse>;

export const GetAllQueuedTransfers = message('GetAllQueuedTransfers', {});
export type GetAllQueuedTransfers = MessageOf<typeof GetAllQueuedTransfers>;
export const GetAllQueuedTransfersResponse = message('GetAllQueuedTransfersResponse', {
  TransferList: array(
    AllQueuedTransferStruct,
    'AllQueuedTransferStruct',
    'cwmp:AllQueuedTransferStruct',
  ),
});
export type GetAllQueuedTransfersResponse = MessageOf<typeof GetAllQueuedTransfersResponse>;

export const ScheduleDownload = message('ScheduleDownload', {
  CommandKey: string,
  FileType: string,
  URL: string,
  Username: string,
  Password: string,
  FileSize: unsignedInt,
  TargetFileName: string,
  TimeWindowList: array(TimeWindowStruct, 'TimeWindowStruct', 'cwmp:TimeWindowStruct'),
});
export type ScheduleDownload = MessageOf<typeof ScheduleDownload>;
export const ScheduleDownloadResponse = message('ScheduleDownloadResponse', {});
export type ScheduleDownloadResponse = MessageOf<typeof ScheduleDownloadResponse>;

export const CancelTransfer = message('CancelTransfer', { CommandKey: string });
export type CancelTransfer = MessageOf<typeof CancelTransfer>;
export const CancelTransferResponse = message('CancelTransferResponse', {});
export type CancelTransferResponse = MessageOf<typeof CancelTransferResponse>;

export const ChangeDUState = message('ChangeDUState', {
  Operations: repeated(deploymentUnitOperation, 'OperationStruct'),
  CommandKey: optional(string),
});
export type ChangeDUState = MessageOf<typeof ChangeDUState>;
export const ChangeDUStateResponse = message('ChangeDUStateResponse', {});
export type ChangeDUStateResponse = MessageOf<typeof ChangeDUStateResponse>;

export const CPE_METHOD_SCHEMAS = [
  GetRPCMethods,
  GetRPCMethodsResponse,
  SetParameterValues,
  SetParameterValuesResponse,
  GetParameterValues,
  GetParameterValuesResponse,
  GetParameterNames,
  GetParameterNamesResponse,
  SetParameterAttributes,
  SetParameterAttributesResponse,
  GetParameterAttributes,
  GetParameterAttributesResponse,
  AddObject,
  AddObjectResponse,
  DeleteObject,
  DeleteObjectResponse,
  Download,
  DownloadResponse,
  Reboot,
  RebootResponse,
  GetQueuedTransfers,
  GetQueuedTransfersResponse,
  ScheduleInform,
  ScheduleInformResponse,
  SetVouchers,
  SetVouchersResponse,
  GetOptions,
  GetOptionsResponse,
  Upload,
  UploadResponse,
  FactoryReset,
  FactoryResetResponse,
  GetAllQueuedTransfers,
  GetAllQueuedTransfersResponse,
  ScheduleDownload,
  ScheduleDownloadResponse,
  CancelTransfer,
  CancelTransferResponse,
  ChangeDUState,
  ChangeDUStateResponse,
] as const;
