import { array } from '../schema/array.ts';
import { boolean, dateTime, int, optional, string, unsignedInt } from '../schema/field.ts';
import { struct } from '../schema/struct.ts';
import { parameterValueStruct } from './parameter-value-struct.ts';

/** The structs of cwmp-1-2.xsd shared by several messages, with the XSD's element names. */

export const stringArray = array(string, 'string', 'xsd:string');

export const ParameterValueList = array(
  parameterValueStruct,
  'ParameterValueStruct',
  'cwmp:ParameterValueStruct',
);

/**
 * Quirk 8: Manufacturer may be empty; without OUI and SerialNumber a device cannot be named. The XSD's lengths
 * are enforced: a device id is a key the ACS stores and logs before it knows who is asking.
 */
export const DeviceIdStruct = struct('DeviceIdStruct', {
  Manufacturer: string.maxLength(64),
  OUI: string.required().maxLength(6),
  ProductClass: string.maxLength(64),
  SerialNumber: string.required().maxLength(64),
});

export const EventStruct = struct('EventStruct', {
  EventCode: string.required(),
  CommandKey: string,
});

export const ParameterInfoStruct = struct('ParameterInfoStruct', {
  Name: string.required(),
  Writable: boolean,
});

export const SetParameterAttributesStruct = struct('SetParameterAttributesStruct', {
  Name: string.required(),
  NotificationChange: boolean,
  Notification: int,
  AccessListChange: boolean,
  AccessList: stringArray,
});

export const ParameterAttributeStruct = struct('ParameterAttributeStruct', {
  Name: string.required(),
  Notification: int,
  AccessList: stringArray,
});

export const TimeWindowStruct = struct('TimeWindowStruct', {
  WindowStart: unsignedInt,
  WindowEnd: unsignedInt,
  WindowMode: string,
  UserMessage: string,
  MaxRetries: int,
});

export const QueuedTransferStruct = struct('QueuedTransferStruct', {
  CommandKey: string,
  State: int,
});

export const AllQueuedTransferStruct = struct('AllQueuedTransferStruct', {
  CommandKey: string,
  State: int,
  IsDownload: boolean,
  FileType: string,
  FileSize: unsignedInt,
  TargetFileName: string,
});

export const OptionStruct = struct('OptionStruct', {
  OptionName: string,
  VoucherSN: unsignedInt,
  State: unsignedInt,
  Mode: int,
  StartDate: dateTime,
  ExpirationDate: optional(dateTime),
  IsTransferable: int,
});

export const ArgStruct = struct('ArgStruct', {
  Name: string,
  Value: string,
});

/** FaultCode 0 means success. */
export const TransferCompleteFaultStruct = struct('TransferCompleteFaultStruct', {
  FaultCode: unsignedInt,
  FaultString: string,
});

export const DeploymentUnitFaultStruct = struct('DeploymentUnitFaultStruct', {
  FaultCode: unsignedInt,
  FaultString: optional(string),
});

const opResultFields = {
  UUID: string,
  DeploymentUnitRef: string,
  Version: string,
  CurrentState: string,
  Resolved: boolean,
  ExecutionUnitRefList: string,
  StartTime: dateTime,
  CompleteTime: dateTime,
  Fault: DeploymentUnitFaultStruct,
};

export const OpResultStruct = struct('OpResultStruct', opResultFields);

export const AutonOpResultStruct = struct('AutonOpResultStruct', {
  ...opResultFields,
  OperationPerformed: string,
});
