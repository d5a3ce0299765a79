import { type OptionSpec, parseCommandLine, UsageError } from '../src/cli/args.ts';

/**
 * A benchmark's command line, parsed as `corral`'s are: `--help` prints `usage` and exits 0; a wrong
 * option or value is one line and the usage, exit 2 (a mistyped flag must not silently run an hour-long
 * benchmark with the defaults).
 */
export function benchArgs(
  usage: string,
  options: Record<string, OptionSpec>,
  argv: readonly string[] = process.argv.slice(2),
): Record<string, string | boolean | string[] | undefined> {
  try {
    const { values } = parseCommandLine(argv, {
      ...options,
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      process.stdout.write(usage);
      process.exit(0);
    }
    return values;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}`);
    process.exit(2);
  }
}

/** A positive whole-number option, `fallback` when absent; anything else is one line and exit 2. */
export function positiveOption(
  parsed: Record<string, unknown>,
  name: string,
  fallback: number,
): number {
  const text = parsed[name] as string | undefined;
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--${name} must be a positive integer\n`);
    process.exit(2);
  }
  return n;
}
