/** The reports' tests read the HTML page as XML: well-formed or it throws. */
import { SaxesParser } from 'saxes';

/** Parses `html` as XML (saxes): throws on anything not well-formed; returns the elements' names and attributes. */
export function parseXhtml(html: string): { name: string; attributes: Record<string, string> }[] {
  const parser = new SaxesParser({ xmlns: false });
  const elements: { name: string; attributes: Record<string, string> }[] = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    elements.push({ name: tag.name, attributes: tag.attributes as Record<string, string> });
  });
  parser.write(html).close();
  return elements;
}
