/**
 * Pretty-prints a SOAP message for reading: one element per line, indented, text kept on its element's line.
 * It only re-spaces the text (it never parses it into a DOM): the result is shown as text, whatever the device
 * sent, and a malformed message comes out roughly indented rather than not at all.
 */
export function prettyXml(xml: string): string {
  const tokens = xml.replace(/>\s+</g, '><').match(/<[^>]*>|[^<]+/g) ?? [];
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const pad = '  '.repeat(Math.max(0, depth));
    if (t.startsWith('</')) {
      depth--;
      lines.push('  '.repeat(Math.max(0, depth)) + t);
    } else if (t.startsWith('<?') || t.startsWith('<!') || t.endsWith('/>')) {
      lines.push(pad + t);
    } else if (t.startsWith('<')) {
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith('<') && close?.startsWith('</')) {
        lines.push(pad + t + text + close);
        i += 2;
      } else if (text?.startsWith('</')) {
        lines.push(pad + t + text);
        i += 1;
      } else {
        lines.push(pad + t);
        depth++;
      }
    } else {
      lines.push(pad + t.trim());
    }
  }
  return lines.join('\n');
}

/** The RPC a message carries: the first element inside soap:Body (e.g. "Inform", "GetParameterValuesResponse"). */
export function rpcName(xml: string): string {
  const m = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w-]+)/.exec(xml);
  if (m) return m[1]!;
  return xml.trim() === '' ? '(empty)' : '(no body)';
}
