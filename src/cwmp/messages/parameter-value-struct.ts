import { XSI_NS } from '../namespaces.ts';
import { isXsdType, type ParameterValue } from '../parameter-value.ts';
import { type DecodeContext, fail, warn } from '../schema/field.ts';
import { RequiredElementField } from '../schema/struct.ts';
import { NO_NODE, type XmlNode } from '../xml/document.ts';
import { escapeXml } from '../xml/escape.ts';
import type { XmlWriter } from '../xml/writer.ts';

/** Cheap shape checks for the types whose text is easy to get wrong (quirk 11): a mismatch is recorded, not refused. */
const TYPE_SHAPES: Readonly<Record<string, RegExp>> = {
  int: /^\s*[+-]?\d+\s*$/,
  long: /^\s*[+-]?\d+\s*$/,
  unsignedInt: /^\s*\+?\d+\s*$/,
  unsignedLong: /^\s*\+?\d+\s*$/,
  boolean: /^\s*(?:true|false|1|0)\s*$/i,
  dateTime: /^\s*\d{4}-\d\d-\d\d[Tt ]\d/,
};

/** The local name of a QName-valued attribute such as `xsd:unsignedInt` or `soap-enc:base64`. */
export function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname.trim() : qname.slice(colon + 1).trim();
}

/**
 * ParameterValueStruct, hand-written because it is the hot path (a 5,000-parameter GetParameterValuesResponse):
 * one pass over the children, and the Value's xsi:type kept alongside its raw text.
 */
class ParameterValueStructField extends RequiredElementField<ParameterValue> {
  decodeElement(el: XmlNode, ctx: DecodeContext): ParameterValue {
    const doc = ctx.doc;
    let nameEl = NO_NODE;
    let valueEl = NO_NODE;
    for (let c = doc.firstChild(el); c !== NO_NODE; c = doc.nextSibling(c)) {
      const local = doc.local(c);
      if (local === 'Name') nameEl = c;
      else if (local === 'Value') valueEl = c;
    }
    if (nameEl === NO_NODE)
      return fail('missing-field', 'ParameterValueStruct without a Name', ctx, el);
    const name = doc.text(nameEl);
    if (valueEl === NO_NODE) {
      warn(
        ctx,
        'missing-value',
        el,
        () => `${name} has no Value element; taken as an empty string`,
      );
      return { name, value: '', type: 'string' };
    }
    const value = doc.text(valueEl);
    const xsiType = doc.attribute(valueEl, 'type', XSI_NS);
    if (xsiType === undefined) {
      warn(ctx, 'missing-xsi-type', valueEl, () => `${name} has no xsi:type; taken as string`);
      return { name, value, type: 'string' };
    }
    const type = localName(xsiType);
    const shape = TYPE_SHAPES[type];
    if (shape !== undefined && !shape.test(value)) {
      warn(
        ctx,
        'value-type-mismatch',
        valueEl,
        () => `${name} is typed ${xsiType} but its value is "${value.slice(0, 60)}"`,
      );
    } else if (!isXsdType(type)) {
      warn(
        ctx,
        'unknown-xsi-type',
        valueEl,
        () => `${name} has the unknown xsi:type "${xsiType}"; kept as given`,
      );
    }
    return { name, value, type };
  }

  write(value: ParameterValue, name: string, out: XmlWriter): void {
    out.raw(
      `<${name}><Name>${escapeXml(value.name)}</Name><Value xsi:type="xsd:${escapeXml(value.type)}">${escapeXml(value.value)}</Value></${name}>`,
    );
  }
}

export const parameterValueStruct = new ParameterValueStructField();
