/**
 * Named data types (TR-106 `<dataType>`: IPAddress, MACAddress, Alias, StatsCounter64, …). A type is a built-in
 * base type with facets, or another named type with further facets. Resolving one yields the base type and the
 * facets in force: at each derivation step a facet kind the step gives replaces the inherited one (XSD restriction
 * narrows; BBF files restate a facet whole when they narrow it).
 */
import type { BaseType, ListFacet, Syntax } from './definition.ts';
import { DataModelLoadError } from './load-error.ts';

/** The facets a syntax or a data type declares at one level. */
export type Facets = Pick<Syntax, 'sizes' | 'ranges' | 'enumerations' | 'patterns' | 'units'> & {
  readonly list?: ListFacet;
};

export interface DataTypeDefinition {
  readonly name: string;
  /** A named base type, or … */
  readonly base?: string;
  /** … a built-in one (exactly one of the two). */
  readonly type?: BaseType;
  readonly facets: Facets;
}

export type DataTypeTable = ReadonlyMap<string, DataTypeDefinition>;

export interface ResolvedType {
  readonly type: BaseType;
  readonly facets: Facets;
}

const FACET_KINDS = ['sizes', 'ranges', 'enumerations', 'patterns', 'units', 'list'] as const;

/** `inherited` with every facet kind `own` declares replaced by `own`'s. */
export function mergeFacets(inherited: Facets, own: Facets): Facets {
  const out: Record<string, unknown> = { ...inherited };
  for (const kind of FACET_KINDS) {
    const v = own[kind];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[kind] = v;
  }
  return out as Facets;
}

/** The base type and facets of a named type, following its base chain. Throws DataModelLoadError. */
export function resolveDataType(
  name: string,
  table: DataTypeTable,
  seen: readonly string[] = [],
): ResolvedType {
  if (seen.includes(name)) {
    throw new DataModelLoadError(
      'data-type-cycle',
      `data type ${name} derives from itself (${[...seen, name].join(' → ')})`,
      { item: name },
    );
  }
  const dt = table.get(name);
  if (dt === undefined) {
    throw new DataModelLoadError(
      'unknown-data-type',
      `unknown data type ${name} (imported from another file? pass that file's types, e.g. tr-106-types.xml)`,
      { item: name },
    );
  }
  if (dt.base !== undefined) {
    const parent = resolveDataType(dt.base, table, [...seen, name]);
    return { type: parent.type, facets: mergeFacets(parent.facets, dt.facets) };
  }
  if (dt.type === undefined) {
    throw new DataModelLoadError(
      'bad-definition',
      `data type ${name} has neither a base type nor a built-in type`,
      { item: name },
    );
  }
  return { type: dt.type, facets: dt.facets };
}

/** Tables merged, later ones winning: a model file's own types over a shared tr-106-types.xml. */
export function combineDataTypes(...tables: (DataTypeTable | undefined)[]): DataTypeTable {
  const out = new Map<string, DataTypeDefinition>();
  for (const t of tables) if (t !== undefined) for (const [k, v] of t) out.set(k, v);
  return out;
}
