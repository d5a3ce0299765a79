/**
 * `npm run datamodel:tables`: the standard definitions Corral ships, generated from the BBF's full XML in
 * ../shared/bbf (TR-181 Device:2, TR-098 InternetGatewayDevice:1, TR-104 VoiceService:2) into
 * src/datamodel/standard/tables/. Facts only — paths, types, ranges, sizes, enumerations, patterns, access,
 * notification rules, table sizes and keys: the loader keeps no description text. A test checks the committed
 * tables are what this writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { standardTablesFrom } from '../src/datamodel/standard/generate.ts';

const bbf = process.argv[2] ?? fileURLToPath(new URL('../../shared/bbf/', import.meta.url));
const out = fileURLToPath(new URL('../src/datamodel/standard/tables/', import.meta.url));
const tables = standardTablesFrom((name) => readFileSync(join(bbf, name), 'utf8'));
for (const [file, text] of Object.entries(tables)) {
  writeFileSync(join(out, file), text);
  process.stdout.write(`${file}: ${text.length} bytes\n`);
}
