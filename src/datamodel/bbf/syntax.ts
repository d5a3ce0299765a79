/**
 * Reading `<syntax>` and `<dataType>` elements of a BBF data-model document (cwmp-datamodel-1-15.xsd
 * BaseSyntax/ModelSyntax, DataTypeDefinition) into definition.ts shapes.
 */
import { isXsdType } from '../../cwmp/parameter-value.ts';
import { NO_NODE, type XmlDocument, type XmlNode } from '../../cwmp/xml/document.ts';
import {
  type DataTypeDefinition,
  type DataTypeTable,
  type Facets,
  mergeFacets,
  resolveDataType,
} from '../data-types.ts';
import type {
  BaseType,
  EnumerationFacet,
  ListFacet,
  RangeFacet,
  SizeFacet,
  Syntax,
} from '../definition.ts';
import { DataModelLoadError } from '../load-error.ts';

export function* childElements(doc: XmlDocument, el: XmlNode): Generator<XmlNode> {
  for (let c = doc.firstChild(el); c !== NO_NODE; c = doc.nextSibling(c)) yield c;
}

function bad(message: string, item: string | undefined): never {
  throw new DataModelLoadError(
    'bad-definition',
    message,
    item === undefined ? undefined : { item },
  );
}

export function integerAttribute(
  doc: XmlDocument,
  el: XmlNode,
  name: string,
  item?: string,
): number | undefined {
  const v = doc.attribute(el, name);
  if (v === undefined) return undefined;
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isFinite(n)) bad(`${name}="${v}" is not a number`, item);
  return n;
}

export function booleanAttribute(doc: XmlDocument, el: XmlNode, name: string): boolean {
  const v = doc.attribute(el, name)?.trim();
  return v === 'true' || v === '1';
}

function isDeleted(doc: XmlDocument, el: XmlNode): boolean {
  return doc.attribute(el, 'status') === 'deleted';
}

function readSize(doc: XmlDocument, el: XmlNode, item?: string): SizeFacet | undefined {
  const minLength = integerAttribute(doc, el, 'minLength', item);
  const maxLength = integerAttribute(doc, el, 'maxLength', item);
  if (minLength === undefined && maxLength === undefined) return undefined; // `<size/>`: no constraint
  return {
    ...(minLength === undefined ? {} : { minLength }),
    ...(maxLength === undefined ? {} : { maxLength }),
  };
}

/** The facet children of a type element (or of a derived `<dataType base=…>` itself). */
export function readFacets(doc: XmlDocument, el: XmlNode, item?: string): Facets {
  const sizes: SizeFacet[] = [];
  const ranges: RangeFacet[] = [];
  const enumerations: EnumerationFacet[] = [];
  const patterns: string[] = [];
  let units: string | undefined;
  for (const c of childElements(doc, el)) {
    if (isDeleted(doc, c)) continue;
    switch (doc.local(c)) {
      case 'size': {
        const s = readSize(doc, c, item);
        if (s !== undefined) sizes.push(s);
        break;
      }
      case 'range': {
        const min = integerAttribute(doc, c, 'minInclusive', item);
        const max = integerAttribute(doc, c, 'maxInclusive', item);
        const step = integerAttribute(doc, c, 'step', item);
        ranges.push({
          ...(min === undefined ? {} : { min }),
          ...(max === undefined ? {} : { max }),
          ...(step === undefined || step === 1 ? {} : { step }),
        });
        break;
      }
      case 'enumeration': {
        const value = doc.attribute(c, 'value');
        if (value === undefined) bad('<enumeration> without a value', item);
        const e: { value: string; access?: 'readOnly'; optional?: boolean } = { value };
        if (doc.attribute(c, 'access') === 'readOnly') e.access = 'readOnly';
        if (booleanAttribute(doc, c, 'optional')) e.optional = true;
        enumerations.push(e);
        break;
      }
      case 'pattern': {
        const value = doc.attribute(c, 'value');
        if (value === undefined) bad('<pattern> without a value', item);
        patterns.push(value);
        break;
      }
      case 'units':
        units = doc.attribute(c, 'value');
        break;
    }
  }
  const facets: { -readonly [K in keyof Facets]: Facets[K] } = {};
  if (sizes.length > 0) facets.sizes = sizes;
  if (ranges.length > 0) facets.ranges = ranges;
  if (enumerations.length > 0) facets.enumerations = enumerations;
  if (patterns.length > 0) facets.patterns = patterns;
  if (units !== undefined) facets.units = units;
  return facets;
}

function readList(doc: XmlDocument, el: XmlNode, item?: string): ListFacet {
  const minItems = integerAttribute(doc, el, 'minItems', item);
  const maxRaw = doc.attribute(el, 'maxItems');
  const maxItems = maxRaw === undefined || maxRaw === 'unbounded' ? undefined : Number(maxRaw);
  const sizes: SizeFacet[] = [];
  for (const c of childElements(doc, el)) {
    if (doc.local(c) !== 'size') continue;
    const s = readSize(doc, c, item);
    if (s !== undefined) sizes.push(s);
  }
  return {
    ...(minItems === undefined || minItems === 0 ? {} : { minItems }),
    ...(maxItems === undefined ? {} : { maxItems }),
    ...(sizes.length === 0 ? {} : { sizes }),
  };
}

function builtinType(doc: XmlDocument, el: XmlNode): BaseType | undefined {
  const local = doc.local(el);
  if (local === 'base64Binary') return 'base64';
  return isXsdType(local) ? local : undefined;
}

/** A `<dataType name=…>` definition: derived (`base=`, facets as children) or over a built-in type. */
export function readDataTypeDefinition(doc: XmlDocument, el: XmlNode): DataTypeDefinition {
  const name = doc.attribute(el, 'name');
  if (name === undefined) bad('<dataType> without a name', undefined);
  const base = doc.attribute(el, 'base');
  let list: ListFacet | undefined;
  let type: BaseType | undefined;
  let facets: Facets = readFacets(doc, el, name);
  let refBase: string | undefined;
  for (const c of childElements(doc, el)) {
    const local = doc.local(c);
    if (local === 'list') list = readList(doc, c, name);
    else if (local === 'dataType') {
      refBase = doc.attribute(c, 'ref');
      facets = mergeFacets(facets, readFacets(doc, c, name));
    } else {
      const t = builtinType(doc, c);
      if (t !== undefined) {
        type = t;
        facets = mergeFacets(facets, readFacets(doc, c, name));
      }
    }
  }
  if (list !== undefined) facets = { ...facets, list };
  const derivedFrom = base ?? refBase;
  if (derivedFrom !== undefined) return { name, base: derivedFrom, facets };
  if (type === undefined) bad(`data type ${name} has no base type`, name);
  return { name, type, facets };
}

/** A parameter's `<syntax>`, with any named data type resolved through `dataTypes`. */
export function readSyntax(
  doc: XmlDocument,
  el: XmlNode,
  dataTypes: DataTypeTable,
  item: string,
): Syntax {
  let type: BaseType | undefined;
  let dataType: string | undefined;
  let facets: Facets = {};
  let list: ListFacet | undefined;
  let defaultValue: string | undefined;
  for (const c of childElements(doc, el)) {
    const local = doc.local(c);
    if (local === 'list') list = readList(doc, c, item);
    else if (local === 'default') defaultValue = doc.attribute(c, 'value');
    else if (local === 'dataType') {
      dataType = doc.attribute(c, 'ref') ?? doc.attribute(c, 'base');
      if (dataType === undefined) bad('<dataType> in a syntax without ref', item);
      const resolved = resolveDataType(dataType, dataTypes);
      type = resolved.type;
      facets = mergeFacets(resolved.facets, readFacets(doc, c, item));
    } else {
      const t = builtinType(doc, c);
      if (t !== undefined) {
        type = t;
        facets = readFacets(doc, c, item);
      }
    }
  }
  if (type === undefined) bad(`${item}: <syntax> without a type`, item);
  // A data type may itself be a list (rare); the parameter's own <list> wins.
  const { list: typeList, ...itemFacets } = facets;
  const listFacet = list ?? typeList;
  const syntax: { -readonly [K in keyof Syntax]: Syntax[K] } = { type, ...itemFacets };
  if (dataType !== undefined) syntax.dataType = dataType;
  if (listFacet !== undefined) syntax.list = listFacet;
  if (defaultValue !== undefined) syntax.default = defaultValue;
  if (booleanAttribute(doc, el, 'hidden')) syntax.hidden = true;
  if (booleanAttribute(doc, el, 'secured')) syntax.secured = true;
  if (booleanAttribute(doc, el, 'command')) syntax.command = true;
  return syntax;
}
