import type { AnyMessageSchema, MessageOf } from '../schema/message.ts';
import { ACS_METHOD_SCHEMAS } from './acs-methods.ts';
import { CPE_METHOD_SCHEMAS } from './cpe-methods.ts';
import type { FaultMessage } from './fault.ts';

export * from './acs-methods.ts';
export * from './cpe-methods.ts';
export type { DeploymentUnitOperation } from './du-operation.ts';
export type { FaultMessage, SetParameterValuesFault } from './fault.ts';
export { REQUIRED_CPE_METHODS } from './required-methods.ts';

const RPC_SCHEMAS = [...CPE_METHOD_SCHEMAS, ...ACS_METHOD_SCHEMAS] as const;

/** Every RPC request and response of CWMP 1.0–1.4, discriminated by `method`. */
export type CwmpRpc = MessageOf<(typeof RPC_SCHEMAS)[number]>;
export type CwmpMethodName = CwmpRpc['method'];

/** A Body element the codec does not know (a vendor RPC): kept by name so the receiver can answer 8000/9000. */
export interface UnknownMethod {
  method: 'UnknownMethod';
  Name: string;
}

export type CwmpMessage = CwmpRpc | FaultMessage | UnknownMethod;

export const SCHEMA_BY_METHOD: ReadonlyMap<string, AnyMessageSchema> = new Map(
  RPC_SCHEMAS.map((s) => [s.method, s as AnyMessageSchema]),
);
