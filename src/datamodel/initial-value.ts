/**
 * The value a parameter starts with when nothing gives it one (a new instance, a profile built from a data model):
 * its default; else its type's null value if that is valid for it; else the first value its syntax allows (the
 * first enumeration value, the bottom of its range), as a real implementation would pick something valid rather
 * than hold an unsettable value. `Order` parameters are the exception callers handle (one past the last).
 */
import { initialValue, nullValue, type Syntax } from './definition.ts';
import { validateValue } from './validate.ts';

const cache = new WeakMap<Syntax, string>();

function compute(syntax: Syntax): string {
  if (syntax.default !== undefined) return syntax.default;
  const zero = nullValue(syntax);
  if (validateValue(syntax, zero).ok) return zero;
  if (syntax.list === undefined) {
    const first = syntax.enumerations?.[0]?.value;
    if (first !== undefined && validateValue(syntax, first).ok) return first;
    const min = syntax.ranges?.find((r) => r.min !== undefined)?.min;
    if (min !== undefined && validateValue(syntax, String(min)).ok) return String(min);
  }
  return initialValue(syntax);
}

/** The starting value of a parameter of this syntax; computed once per syntax object. */
export function startingValue(syntax: Syntax): string {
  let v = cache.get(syntax);
  if (v === undefined) {
    v = compute(syntax);
    cache.set(syntax, v);
  }
  return v;
}
