/** The XSD simple types TR-069 puts in a ParameterValueStruct's xsi:type (TR-069 Table 4 / TR-106 §3.2). */
export const XSD_TYPES = [
  'string',
  'int',
  'unsignedInt',
  'long',
  'unsignedLong',
  'boolean',
  'dateTime',
  'base64',
  'hexBinary',
  'decimal',
] as const;

export type XsdType = (typeof XSD_TYPES)[number];

/**
 * One ParameterValueStruct as it travelled. `value` is the raw text exactly as sent (never coerced), `type` the
 * local name of its xsi:type (`'string'` when the sender gave none); an xsi:type outside XSD_TYPES is kept verbatim
 * so nothing the device said is lost. Read it typed with the accessors in values.ts.
 */
export interface ParameterValue {
  name: string;
  value: string;
  type: string;
}

export function isXsdType(type: string): type is XsdType {
  return (XSD_TYPES as readonly string[]).includes(type);
}
