/**
 * A data-model definition indexed for the lookups a CPE and an ACS make on every request: object and parameter by
 * schema path, an object's children in definition order, and which parameter counts which table. Built once per
 * definition and shared by every device that uses it.
 */
import {
  type DataModelDefinition,
  isTablePath,
  type ObjectDefinition,
  type ParameterDefinition,
  TABLE_SUFFIX,
} from './definition.ts';

export interface ObjectNode {
  readonly definition: ObjectDefinition;
  /** Schema path: `Device.IP.Interface.{i}.`. */
  readonly path: string;
  /** Multi-instance: its path ends in `{i}.`. */
  readonly table: boolean;
  /** The name segment: `Interface` for `Device.IP.Interface.{i}.`, `Device` for the root. */
  readonly segment: string;
  readonly parent: ObjectNode | undefined;
  readonly parameters: readonly ParameterNode[];
  readonly objects: readonly ObjectNode[];
}

export interface ParameterNode {
  readonly definition: ParameterDefinition;
  /** Schema path: `Device.IP.Interface.{i}.Enable`. */
  readonly path: string;
  readonly object: ObjectNode;
  /** For a `…NumberOfEntries` parameter: the table whose instances it counts (its value is computed). */
  readonly counts: ObjectNode | undefined;
}

export type DataModelErrorCode =
  | 'no-root'
  | 'bad-object-path'
  | 'duplicate-object'
  | 'missing-parent'
  | 'duplicate-parameter'
  | 'bad-parameter-name'
  | 'bad-num-entries-parameter';

/** A definition that cannot be used: the message names the object or parameter at fault. */
export class DataModelError extends Error {
  override readonly name = 'DataModelError';
  readonly code: DataModelErrorCode;
  constructor(code: DataModelErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

// One object or parameter name: letters, digits, '_' and '-' (vendor prefixes such as X_EXAMPLE-COM_).
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The schema path of the object holding this one: `Device.IP.Interface.{i}.` → `Device.IP.`; undefined for the root. */
export function parentObjectPath(schemaPath: string): string | undefined {
  let body = schemaPath.slice(0, -1);
  if (schemaPath.endsWith(TABLE_SUFFIX)) body = body.slice(0, -TABLE_SUFFIX.length);
  const dot = body.lastIndexOf('.');
  return dot === -1 ? undefined : body.slice(0, dot + 1);
}

function segmentOf(schemaPath: string): string {
  let body = schemaPath.slice(0, -1);
  if (schemaPath.endsWith(TABLE_SUFFIX)) body = body.slice(0, -TABLE_SUFFIX.length);
  return body.slice(body.lastIndexOf('.') + 1);
}

interface MutableObjectNode extends ObjectNode {
  parameters: ParameterNode[];
  objects: ObjectNode[];
}

export class DataModel {
  readonly definition: DataModelDefinition;
  readonly name: string;
  /** The root object's path: `Device.` or `InternetGatewayDevice.`. */
  readonly root: string;
  private readonly objectsByPath = new Map<string, ObjectNode>();
  private readonly parametersByPath = new Map<string, ParameterNode>();

  constructor(definition: DataModelDefinition) {
    this.definition = definition;
    this.name = definition.name;
    const first = definition.objects[0];
    if (
      first === undefined ||
      parentObjectPath(first.path) !== undefined ||
      isTablePath(first.path)
    ) {
      throw new DataModelError(
        'no-root',
        `${definition.name}: the first object must be the root (such as "Device."), not ${JSON.stringify(first?.path)}`,
      );
    }
    this.root = first.path;
    for (const def of definition.objects) this.addObject(def);
    for (const node of this.objectsByPath.values()) this.linkCounters(node);
  }

  private addObject(def: ObjectDefinition): void {
    const path = def.path;
    const segment = segmentOf(path);
    if (!path.endsWith('.') || !NAME.test(segment)) {
      throw new DataModelError(
        'bad-object-path',
        `${this.name}: bad object path ${JSON.stringify(path)}`,
      );
    }
    if (this.objectsByPath.has(path)) {
      throw new DataModelError('duplicate-object', `${this.name}: object ${path} is defined twice`);
    }
    const parentPath = parentObjectPath(path);
    const parent =
      parentPath === undefined
        ? undefined
        : (this.objectsByPath.get(parentPath) as MutableObjectNode);
    if (parentPath !== undefined && parent === undefined) {
      throw new DataModelError(
        'missing-parent',
        `${this.name}: object ${path} comes before (or without) its parent ${parentPath}`,
      );
    }
    if (parentPath === undefined && path !== this.root) {
      throw new DataModelError('no-root', `${this.name}: a second root object ${path}`);
    }
    const node: MutableObjectNode = {
      definition: def,
      path,
      table: isTablePath(path),
      segment,
      parent,
      parameters: [],
      objects: [],
    };
    for (const p of def.parameters) {
      if (!NAME.test(p.name)) {
        throw new DataModelError(
          'bad-parameter-name',
          `${this.name}: bad parameter name ${path}${p.name}`,
        );
      }
      const paramPath = path + p.name;
      if (this.parametersByPath.has(paramPath)) {
        throw new DataModelError(
          'duplicate-parameter',
          `${this.name}: parameter ${paramPath} is defined twice`,
        );
      }
      const pn: ParameterNode = { definition: p, path: paramPath, object: node, counts: undefined };
      this.parametersByPath.set(paramPath, pn);
      node.parameters.push(pn);
    }
    this.objectsByPath.set(path, node);
    parent?.objects.push(node);
  }

  /** Ties each table to the parameter of its parent that counts it: numEntriesParameter, else `<Name>NumberOfEntries`. */
  private linkCounters(node: ObjectNode): void {
    if (!node.table || node.parent === undefined) return;
    const declared = node.definition.numEntriesParameter;
    const name = declared ?? `${node.segment}NumberOfEntries`;
    const counter = this.parametersByPath.get(node.parent.path + name);
    if (counter === undefined) {
      if (declared !== undefined) {
        throw new DataModelError(
          'bad-num-entries-parameter',
          `${this.name}: ${node.path} names ${declared} as its numEntriesParameter, but ${node.parent.path} has no such parameter`,
        );
      }
      return;
    }
    (counter as { counts: ObjectNode | undefined }).counts = node;
  }

  object(schemaPath: string): ObjectNode | undefined {
    return this.objectsByPath.get(schemaPath);
  }

  parameter(schemaPath: string): ParameterNode | undefined {
    return this.parametersByPath.get(schemaPath);
  }

  get rootObject(): ObjectNode {
    return this.objectsByPath.get(this.root)!;
  }

  objects(): IterableIterator<ObjectNode> {
    return this.objectsByPath.values();
  }

  parameters(): IterableIterator<ParameterNode> {
    return this.parametersByPath.values();
  }

  get objectCount(): number {
    return this.objectsByPath.size;
  }

  get parameterCount(): number {
    return this.parametersByPath.size;
  }
}
