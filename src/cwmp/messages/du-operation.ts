import { XSI_NS } from '../namespaces.ts';
import { type DecodeContext, type FieldType, fail, optional, string } from '../schema/field.ts';
import { RequiredElementField, struct } from '../schema/struct.ts';
import type { XmlNode } from '../xml/document.ts';
import { attribute, type XmlWriter } from '../xml/writer.ts';
import { localName } from './parameter-value-struct.ts';

/** ChangeDUState's Operations: an abstract OperationStruct made concrete by xsi:type (cwmp-1-2.xsd). */

const OPERATIONS = {
  Install: struct('InstallOpStruct', {
    URL: string.required(),
    UUID: optional(string),
    Username: optional(string),
    Password: optional(string),
    ExecutionEnvRef: optional(string),
  }),
  Update: struct('UpdateOpStruct', {
    UUID: optional(string),
    Version: optional(string),
    URL: optional(string),
    Username: optional(string),
    Password: optional(string),
  }),
  Uninstall: struct('UninstallOpStruct', {
    UUID: string.required(),
    Version: optional(string),
    ExecutionEnvRef: optional(string),
  }),
};

type OperationKind = keyof typeof OPERATIONS;

export type DeploymentUnitOperation = {
  [K in OperationKind]: { Operation: K } & FieldType<(typeof OPERATIONS)[K]>;
}[OperationKind];

const KIND_BY_TYPE = new Map<string, OperationKind>(
  (Object.keys(OPERATIONS) as OperationKind[]).map((k) => [OPERATIONS[k].typeName, k]),
);

class OperationField extends RequiredElementField<DeploymentUnitOperation> {
  decodeElement(el: XmlNode, ctx: DecodeContext): DeploymentUnitOperation {
    const xsiType = ctx.doc.attribute(el, 'type', XSI_NS);
    const kind = xsiType === undefined ? undefined : KIND_BY_TYPE.get(localName(xsiType));
    if (kind === undefined) {
      return fail(
        'invalid-field',
        `an operation needs xsi:type InstallOpStruct, UpdateOpStruct or UninstallOpStruct (got ${xsiType ?? 'none'})`,
        ctx,
        el,
      );
    }
    return {
      Operation: kind,
      ...OPERATIONS[kind].decodeElement(el, ctx),
    } as DeploymentUnitOperation;
  }

  write(
    value: DeploymentUnitOperation,
    name: string,
    out: XmlWriter,
    options: { booleanStyle: 'word' | 'digit' },
  ): void {
    const schema = OPERATIONS[value.Operation];
    out.open(name, attribute('xsi:type', `cwmp:${schema.typeName}`));
    // biome-ignore lint/suspicious/noExplicitAny: the union member matches its own schema
    schema.writeMembers(value as any, out, options);
    out.close(name);
  }
}

export const deploymentUnitOperation = new OperationField();
