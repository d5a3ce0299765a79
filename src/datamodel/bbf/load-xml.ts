/**
 * Loads a BBF data-model document (a `-full.xml` such as tr-181-2-17-0-cwmp-full.xml or tr-098-1-8-0-full.xml,
 * or the types file tr-106-types.xml) into data-model definitions. Parsed with the codec's own XML parser (no
 * dependency beyond the protocol layer; about as fast as saxes on the 4 MB TR-181 file, and it hands back a tree to
 * walk), with limits raised for a 4 MB file of 40,000 elements. Deleted items are left out; deprecated and
 * obsoleted ones stay, with their status.
 */
import { CwmpDecodeError } from '../../cwmp/errors.ts';
import { WarningCollector } from '../../cwmp/warnings.ts';
import type { XmlDocument, XmlNode } from '../../cwmp/xml/document.ts';
import type { DecodeLimits } from '../../cwmp/xml/limits.ts';
import { parseXml } from '../../cwmp/xml/parse.ts';
import { combineDataTypes, type DataTypeDefinition, type DataTypeTable } from '../data-types.ts';
import type {
  ActiveNotify,
  DataModelDefinition,
  ItemStatus,
  ObjectDefinition,
  ParameterAccess,
  ParameterDefinition,
  UniqueKey,
} from '../definition.ts';
import { DataModelLoadError } from '../load-error.ts';
import { expandInternalEntities } from './doctype.ts';
import {
  booleanAttribute,
  childElements,
  integerAttribute,
  readDataTypeDefinition,
  readSyntax,
} from './syntax.ts';

/** Enough for every published BBF file (TR-181 2.17: 4 MB, 43,000 elements, depth 9). */
export const BBF_XML_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxBytes: 64 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 2_000_000,
  maxAttributes: 64,
});

export interface BbfDocument {
  /** The document's `spec` URN, e.g. `urn:broadband-forum-org:tr-181-2-17-0-cwmp`. */
  spec: string | undefined;
  /** The named data types it defines (its own only, not those given in the options). */
  dataTypes: DataTypeTable;
  models: DataModelDefinition[];
}

export interface BbfLoadOptions {
  /** Types defined elsewhere (tr-106-types.xml); the document's own definitions win. */
  dataTypes?: DataTypeTable;
}

const ACCESS: ReadonlySet<string> = new Set(['readOnly', 'readWrite', 'writeOnceReadOnly']);
const ACTIVE_NOTIFY: ReadonlySet<string> = new Set([
  'normal',
  'canDeny',
  'forceEnabled',
  'forceDefaultEnabled',
]);
const STATUS: ReadonlySet<string> = new Set(['current', 'deprecated', 'obsoleted', 'deleted']);

function parse(text: string): XmlDocument {
  try {
    return parseXml(expandInternalEntities(text), BBF_XML_LIMITS, new WarningCollector());
  } catch (e) {
    if (e instanceof CwmpDecodeError) {
      throw new DataModelLoadError('xml', `not well-formed XML: ${e.message}`, {}, e);
    }
    throw e;
  }
}

function statusOf(doc: XmlDocument, el: XmlNode): ItemStatus | undefined {
  const s = doc.attribute(el, 'status');
  return s !== undefined && STATUS.has(s) && s !== 'current' ? (s as ItemStatus) : undefined;
}

/** Parses a BBF data-model document. Throws DataModelLoadError. */
export function parseBbfXml(text: string, options: BbfLoadOptions = {}): BbfDocument {
  const doc = parse(text);
  const root = doc.root;
  if (doc.local(root) !== 'document') {
    throw new DataModelLoadError(
      'not-a-data-model',
      `the root element is <${doc.local(root)}>, not a BBF <dm:document>`,
    );
  }
  const own = new Map<string, DataTypeDefinition>();
  const modelElements: XmlNode[] = [];
  for (const c of childElements(doc, root)) {
    switch (doc.local(c)) {
      case 'dataType': {
        if (doc.attribute(c, 'name') === undefined) break; // a reference to an imported type
        const dt = readDataTypeDefinition(doc, c);
        own.set(dt.name, dt);
        break;
      }
      case 'model':
        modelElements.push(c);
        break;
      // <import> brings bibliographies, types and components from other files. Only types and components
      // matter here: a missing type fails as unknown-data-type, a component use as imports-components.
    }
  }
  const dataTypes = combineDataTypes(options.dataTypes, own);
  return {
    spec: doc.attribute(root, 'spec'),
    dataTypes: own,
    models: modelElements.map((m) => readModel(doc, m, dataTypes)),
  };
}

/**
 * The one model of a BBF `-full.xml` (or the one named `model`), as a definition. Throws DataModelLoadError.
 */
export function loadBbfDataModel(
  text: string,
  options: BbfLoadOptions & { model?: string } = {},
): DataModelDefinition {
  const { models } = parseBbfXml(text, options);
  const wanted = options.model;
  const found = wanted === undefined ? models : models.filter((m) => m.name === wanted);
  if (found.length === 0) {
    throw new DataModelLoadError(
      'no-model',
      wanted === undefined
        ? 'the document defines no <model>'
        : `no model ${wanted}; the document has ${models.map((m) => m.name).join(', ') || 'none'}`,
    );
  }
  if (found.length > 1) {
    throw new DataModelLoadError(
      'ambiguous-model',
      `the document has several models (${found.map((m) => m.name).join(', ')}); say which`,
    );
  }
  return found[0]!;
}

function readModel(doc: XmlDocument, el: XmlNode, dataTypes: DataTypeTable): DataModelDefinition {
  const name = doc.attribute(el, 'name');
  if (name === undefined) throw new DataModelLoadError('bad-definition', '<model> without a name');
  const objects: ObjectDefinition[] = [];
  // Objects below a deleted object are gone too.
  const deleted: string[] = [];
  for (const c of childElements(doc, el)) {
    const local = doc.local(c);
    if (local === 'component') {
      throw new DataModelLoadError(
        'imports-components',
        `${name} is assembled from components; load the flattened "-full.xml" file instead`,
      );
    }
    if (local !== 'object') continue;
    // Names are tokens: TR-098 1.8 has "UPnPQoSDevice " with a stray space.
    const path = doc.attribute(c, 'name')?.trim();
    if (path === undefined) {
      throw new DataModelLoadError(
        'imports-components',
        `${name}: an <object base=…> modifies an imported object; load the flattened "-full.xml" file instead`,
      );
    }
    if (doc.attribute(c, 'status') === 'deleted') deleted.push(path);
    if (deleted.some((d) => path.startsWith(d))) continue;
    objects.push(readObject(doc, c, path, dataTypes));
  }
  return { name, objects };
}

function readObject(
  doc: XmlDocument,
  el: XmlNode,
  path: string,
  dataTypes: DataTypeTable,
): ObjectDefinition {
  const parameters: ParameterDefinition[] = [];
  const uniqueKeys: UniqueKey[] = [];
  for (const c of childElements(doc, el)) {
    const local = doc.local(c);
    if (local === 'parameter') {
      if (doc.attribute(c, 'status') === 'deleted') continue;
      parameters.push(readParameter(doc, c, path, dataTypes));
    } else if (local === 'uniqueKey') {
      const refs = [...childElements(doc, c)]
        .filter((p) => doc.local(p) === 'parameter')
        .map((p) => doc.attribute(p, 'ref') ?? '');
      uniqueKeys.push({ functional: booleanAttribute(doc, c, 'functional'), parameters: refs });
    }
  }
  const access = doc.attribute(el, 'access') === 'readWrite' ? 'readWrite' : 'readOnly';
  const maxRaw = doc.attribute(el, 'maxEntries');
  const maxEntries =
    maxRaw === 'unbounded' ? 'unbounded' : (integerAttribute(doc, el, 'maxEntries', path) ?? 1);
  const def: { -readonly [K in keyof ObjectDefinition]: ObjectDefinition[K] } = {
    path,
    access,
    minEntries: integerAttribute(doc, el, 'minEntries', path) ?? 1,
    maxEntries,
    parameters,
  };
  const numEntries = doc.attribute(el, 'numEntriesParameter');
  if (numEntries !== undefined) def.numEntriesParameter = numEntries;
  const enable = doc.attribute(el, 'enableParameter');
  if (enable !== undefined) def.enableParameter = enable;
  if (uniqueKeys.length > 0) def.uniqueKeys = uniqueKeys;
  const status = statusOf(doc, el);
  if (status !== undefined) def.status = status;
  return def;
}

function readParameter(
  doc: XmlDocument,
  el: XmlNode,
  objectPath: string,
  dataTypes: DataTypeTable,
): ParameterDefinition {
  const name = doc.attribute(el, 'name')?.trim();
  if (name === undefined) {
    throw new DataModelLoadError('bad-definition', `${objectPath}: <parameter> without a name`, {
      item: objectPath,
    });
  }
  const item = objectPath + name;
  let syntaxEl: XmlNode | undefined;
  for (const c of childElements(doc, el)) if (doc.local(c) === 'syntax') syntaxEl = c;
  if (syntaxEl === undefined) {
    throw new DataModelLoadError('bad-definition', `${item} has no <syntax>`, { item });
  }
  const accessRaw = doc.attribute(el, 'access') ?? 'readOnly';
  if (!ACCESS.has(accessRaw)) {
    throw new DataModelLoadError('bad-definition', `${item}: unknown access "${accessRaw}"`, {
      item,
    });
  }
  const def: { -readonly [K in keyof ParameterDefinition]: ParameterDefinition[K] } = {
    name,
    access: accessRaw as ParameterAccess,
    syntax: readSyntax(doc, syntaxEl, dataTypes, item),
  };
  if (booleanAttribute(doc, el, 'forcedInform')) def.forcedInform = true;
  const notify = doc.attribute(el, 'activeNotify');
  if (notify !== undefined && notify !== 'normal') {
    if (!ACTIVE_NOTIFY.has(notify)) {
      throw new DataModelLoadError('bad-definition', `${item}: unknown activeNotify "${notify}"`, {
        item,
      });
    }
    def.activeNotify = notify as ActiveNotify;
  }
  const status = statusOf(doc, el);
  if (status !== undefined) def.status = status;
  return def;
}
