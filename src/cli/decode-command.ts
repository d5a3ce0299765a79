import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_DECODE_LIMITS, decodeEnvelope } from '../cwmp/index.ts';

/** `corral decode [FILE|-]`: read a capture the way the ACS would, and show what it sees. */
export async function decodeCommand(args: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { compact: { type: 'boolean', default: false } },
  });
  if (positionals.length > 1) {
    process.stderr.write('corral decode: give one FILE, or - for standard input\n');
    return 1;
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
  const indent = values.compact ? undefined : 2;
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
