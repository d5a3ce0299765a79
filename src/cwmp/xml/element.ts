/** An attribute after namespace resolution. Namespace declarations (xmlns) are not kept as attributes. */
export interface XmlAttribute {
  ns: string;
  local: string;
  value: string;
}

const NO_ATTRIBUTES: readonly XmlAttribute[] = Object.freeze([]);

/**
 * One element of a parsed message. Deliberately small: CWMP uses elements, attributes and text, never mixed
 * content, so `text` is the concatenated character data of the element (meaningful for leaves only).
 */
export class XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly attributes: readonly XmlAttribute[];
  /** Character offset of the start tag in the decoded message text, for error locations. */
  readonly offset: number;
  readonly parent: XmlElement | null;
  readonly children: XmlElement[] = [];
  text = '';

  constructor(
    ns: string,
    local: string,
    attributes: readonly XmlAttribute[] | null,
    offset: number,
    parent: XmlElement | null,
  ) {
    this.ns = ns;
    this.local = local;
    this.attributes = attributes ?? NO_ATTRIBUTES;
    this.offset = offset;
    this.parent = parent;
  }

  /** The value of an attribute by local name (and namespace, when given). */
  attribute(local: string, ns?: string): string | undefined {
    for (const a of this.attributes) {
      if (a.local === local && (ns === undefined || a.ns === ns)) return a.value;
    }
    return undefined;
  }

  /** The first child with this local name, whatever its namespace (CWMP argument elements are unqualified). */
  child(local: string): XmlElement | undefined {
    for (const c of this.children) if (c.local === local) return c;
    return undefined;
  }

  /** `Envelope/Body/Inform/DeviceId`: where this element is, for messages. */
  path(): string {
    const names: string[] = [];
    for (let e: XmlElement | null = this; e !== null; e = e.parent) names.push(e.local);
    return names.reverse().join('/');
  }
}
