/**
 * An RFC 4180 CSV reader: comma-separated fields, records ended by CRLF (LF or a lone CR too), fields in double
 * quotes may hold commas, line breaks and doubled quotes (`""`). Beyond the RFC, as spreadsheet exports need: a
 * UTF-8 byte-order mark is skipped, blank lines are no records, and a quote inside an unquoted field is an
 * ordinary character. Text after a closing quote, or a quote never closed, is an error with its line and column.
 */
import { DataModelLoadError } from '../load-error.ts';

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** Every record of `text`, in order. Throws DataModelLoadError('csv-syntax'). */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  let lineStart = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    // A blank line holds no record.
    if (c === CR || c === LF) {
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      lineStart = i;
      continue;
    }
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        const openColumn = i - lineStart + 1;
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            throw new DataModelLoadError('csv-syntax', 'a quoted field is never closed', {
              line: openLine,
              column: openColumn,
            });
          }
          const chunk = text.slice(from, q);
          value += chunk;
          // Line breaks inside the quotes still count for the lines of later records.
          for (let k = 0; k < chunk.length; k++) {
            const ch = chunk.charCodeAt(k);
            if (ch === LF || (ch === CR && chunk.charCodeAt(k + 1) !== LF)) {
              line++;
              lineStart = from + k + 1;
            }
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        const next = text.charCodeAt(i);
        if (i < n && next !== COMMA && next !== CR && next !== LF) {
          throw new DataModelLoadError(
            'csv-syntax',
            'text after the closing quote of a field (a quote inside a quoted field must be doubled)',
            { line, column: i - lineStart + 1 },
          );
        }
        field = value;
      } else {
        let j = i;
        while (j < n) {
          const ch = text.charCodeAt(j);
          if (ch === COMMA || ch === CR || ch === LF) break;
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    records.push({ fields, line: recordLine });
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      lineStart = i;
    }
  }
  return records;
}

/**
 * Records keyed by the header's column names (the first record). Every record must have as many fields as the
 * header. Throws DataModelLoadError('csv-header' or 'csv-syntax').
 */
export function csvRowsByHeader(text: string): {
  header: string[];
  rows: { line: number; get: (column: string) => string | undefined }[];
} {
  const [head, ...body] = parseCsv(text);
  if (head === undefined) throw new DataModelLoadError('csv-header', 'empty CSV: no header line');
  const header = head.fields.map((h) => h.trim());
  const index = new Map<string, number>();
  header.forEach((h, k) => {
    if (!index.has(h.toLowerCase())) index.set(h.toLowerCase(), k);
  });
  const rows = body.map((r) => {
    if (r.fields.length !== header.length) {
      throw new DataModelLoadError(
        'csv-syntax',
        `${r.fields.length} fields where the header has ${header.length}`,
        { line: r.line },
      );
    }
    return {
      line: r.line,
      get: (column: string) => {
        const k = index.get(column.toLowerCase());
        return k === undefined ? undefined : r.fields[k];
      },
    };
  });
  return { header, rows };
}
