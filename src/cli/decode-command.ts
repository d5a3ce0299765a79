import { open } from 'node:fs/promises';
import { DEFAULT_DECODE_LIMITS, decodeEnvelope } from '../cwmp/index.ts';
import { type ParsedCommandLine, parseCommandLine, UsageError } from './args.ts';

export const DECODE_USAGE = `usage: corral decode [options] [FILE|-]

Decodes one CWMP SOAP message (a capture, a file, or - for standard input, the default) the way the ACS
would, and prints it as JSON with the warnings the decoder raised.

  --compact     print the JSON on one line
  -h, --help    show this help

Exit status: 0 when the message decodes; 2 when it cannot (the typed error is printed on stderr as JSON)
or the command line is wrong; 1 when the file cannot be read.
`;

/** `corral decode [FILE|-]`: read a capture the way the ACS would, and show what it sees. */
export async function decodeCommand(args: readonly string[]): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parseCommandLine(
      args,
      { compact: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      { allowPositionals: true },
    );
    if (parsed.positionals.length > 1)
      throw new UsageError('give one FILE, or - for standard input');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`corral decode: ${error.message}\n\n${DECODE_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(DECODE_USAGE);
    return 0;
  }
  const source = positionals[0] ?? '-';
  let bytes: Buffer;
  try {
    bytes = await readBounded(source, DEFAULT_DECODE_LIMITS.maxBytes + 1);
  } catch (error) {
    process.stderr.write(`corral decode: cannot read ${source}: ${(error as Error).message}\n`);
    return 1;
  }
  const result = decodeEnvelope(bytes);
  const indent = values.compact === true ? undefined : 2;
  if (!result.ok) {
    process.stderr.write(
      `${JSON.stringify({ error: result.error.toJSON(), warnings: result.warnings }, null, indent)}\n`,
    );
    return 2;
  }
  process.stdout.write(
    `${JSON.stringify({ ...result.envelope, warnings: result.warnings }, null, indent)}\n`,
  );
  return 0;
}

/** Read at most `limit` bytes: past the decoder's limit the message is refused anyway, so never hold more. */
async function readBounded(source: string, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (source === '-') {
    for await (const chunk of process.stdin) {
      const buffer = chunk as Buffer;
      chunks.push(buffer.subarray(0, limit - total));
      total += Math.min(buffer.length, limit - total);
      if (total >= limit) break;
    }
    return Buffer.concat(chunks);
  }
  const file = await open(source, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(limit, (await file.stat()).size));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
