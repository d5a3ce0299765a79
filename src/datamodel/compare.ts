/**
 * Does a definition (a profile's, a dump's) agree with a reference data model (TR-181, TR-098 from BBF XML)?
 * Every object and parameter must exist in the reference with the same table-ness, base type, list-ness, access,
 * forcedInform, activeNotify and hidden/secured/command flags. Facets may only narrow the reference's: a device may
 * support fewer enumeration values, a tighter range or shorter strings, never more. Table access and sizes may be
 * narrowed too (a device may cap a table). A default given by both must agree.
 */
import type { DataModel, ParameterNode } from './data-model.ts';
import type { RangeFacet, SizeFacet, Syntax } from './definition.ts';

export interface DefinitionMismatch {
  /** Schema path of the object or parameter. */
  path: string;
  message: string;
}

function maxOf(sizes: readonly SizeFacet[] | undefined): number {
  if (sizes === undefined || sizes.length === 0) return Number.POSITIVE_INFINITY;
  return Math.max(...sizes.map((s) => s.maxLength ?? Number.POSITIVE_INFINITY));
}

function rangeWithin(inner: RangeFacet, outer: readonly RangeFacet[]): boolean {
  const lo = inner.min ?? Number.NEGATIVE_INFINITY;
  const hi = inner.max ?? Number.POSITIVE_INFINITY;
  return outer.some(
    (o) => lo >= (o.min ?? Number.NEGATIVE_INFINITY) && hi <= (o.max ?? Number.POSITIVE_INFINITY),
  );
}

function compareSyntax(path: string, own: Syntax, ref: Syntax, out: DefinitionMismatch[]): void {
  const say = (message: string) => out.push({ path, message });
  if (own.type !== ref.type) say(`type ${own.type}, reference ${ref.type}`);
  if ((own.list === undefined) !== (ref.list === undefined)) {
    say(own.list === undefined ? 'not a list, reference is a list' : 'a list, reference is not');
  }
  for (const flag of ['hidden', 'secured', 'command'] as const) {
    if ((own[flag] === true) !== (ref[flag] === true))
      say(`${flag} ${own[flag] === true}, reference ${ref[flag] === true}`);
  }
  if (ref.enumerations !== undefined && ref.enumerations.length > 0) {
    const allowed = new Set(ref.enumerations.map((e) => e.value));
    const extra = (own.enumerations ?? []).filter((e) => !allowed.has(e.value)).map((e) => e.value);
    if (extra.length > 0) say(`enumeration values not in the reference: ${extra.join(', ')}`);
    for (const e of own.enumerations ?? []) {
      const r = ref.enumerations.find((x) => x.value === e.value);
      if (r?.access === 'readOnly' && e.access !== 'readOnly')
        say(`enumeration ${e.value} must be readOnly`);
    }
  }
  if (ref.ranges !== undefined && ref.ranges.length > 0) {
    const own_ = own.ranges ?? [];
    if (own_.length === 0) say('no range, reference has one');
    for (const r of own_)
      if (!rangeWithin(r, ref.ranges))
        say(`range ${r.min ?? ''}..${r.max ?? ''} wider than the reference's`);
  }
  if (maxOf(own.sizes) > maxOf(ref.sizes))
    say(`maxLength ${maxOf(own.sizes)}, reference ${maxOf(ref.sizes)}`);
  if (own.list !== undefined && ref.list !== undefined) {
    if (maxOf(own.list.sizes) > maxOf(ref.list.sizes)) say('list longer than the reference allows');
    if (
      (own.list.maxItems ?? Number.POSITIVE_INFINITY) >
      (ref.list.maxItems ?? Number.POSITIVE_INFINITY)
    ) {
      say(`list maxItems ${own.list.maxItems ?? '∞'}, reference ${ref.list.maxItems}`);
    }
  }
  if (own.default !== undefined && ref.default !== undefined && own.default !== ref.default) {
    say(`default ${JSON.stringify(own.default)}, reference ${JSON.stringify(ref.default)}`);
  }
}

function compareParameter(own: ParameterNode, ref: ParameterNode, out: DefinitionMismatch[]): void {
  const a = own.definition;
  const b = ref.definition;
  const say = (message: string) => out.push({ path: own.path, message });
  if (a.access !== b.access) say(`access ${a.access}, reference ${b.access}`);
  if ((a.forcedInform === true) !== (b.forcedInform === true))
    say(`forcedInform ${a.forcedInform === true}, reference ${b.forcedInform === true}`);
  if ((a.activeNotify ?? 'normal') !== (b.activeNotify ?? 'normal')) {
    say(`activeNotify ${a.activeNotify ?? 'normal'}, reference ${b.activeNotify ?? 'normal'}`);
  }
  compareSyntax(own.path, a.syntax, b.syntax, out);
}

/** Every way `model` departs from `reference`; empty when it is a faithful subset. */
export function compareToReference(model: DataModel, reference: DataModel): DefinitionMismatch[] {
  const out: DefinitionMismatch[] = [];
  for (const o of model.objects()) {
    const r = reference.object(o.path);
    if (r === undefined) {
      out.push({ path: o.path, message: `no such object in ${reference.name}` });
      continue;
    }
    if (r.definition.status === 'deleted')
      out.push({ path: o.path, message: 'deleted in the reference' });
    if (o.table && o.definition.access === 'readWrite' && r.definition.access !== 'readWrite') {
      out.push({
        path: o.path,
        message: 'AddObject/DeleteObject allowed, the reference says readOnly',
      });
    }
    const max = (m: number | 'unbounded') => (m === 'unbounded' ? Number.POSITIVE_INFINITY : m);
    if (max(o.definition.maxEntries) > max(r.definition.maxEntries)) {
      out.push({
        path: o.path,
        message: `maxEntries above the reference's ${r.definition.maxEntries}`,
      });
    }
    for (const p of o.parameters) {
      const rp = reference.parameter(p.path);
      if (rp === undefined)
        out.push({ path: p.path, message: `no such parameter in ${reference.name}` });
      else compareParameter(p, rp, out);
    }
  }
  return out;
}
