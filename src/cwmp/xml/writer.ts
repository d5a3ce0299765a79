import { escapeXml } from './escape.ts';

/** Appends XML text. Names are the codec's own constants; only text and attribute values come from callers. */
export class XmlWriter {
  private out = '';

  open(name: string, attributes = ''): void {
    this.out += attributes === '' ? `<${name}>` : `<${name} ${attributes}>`;
  }

  close(name: string): void {
    this.out += `</${name}>`;
  }

  /** An element holding text; written `<X></X>` rather than `<X/>` when empty, which naive CPE parsers prefer. */
  leaf(name: string, text: string, attributes = ''): void {
    this.open(name, attributes);
    this.out += escapeXml(text);
    this.out += `</${name}>`;
  }

  raw(xml: string): void {
    this.out += xml;
  }

  toString(): string {
    return this.out;
  }
}

/** `name="value"` with the value escaped. */
export function attribute(name: string, value: string): string {
  return `${name}="${escapeXml(value)}"`;
}
