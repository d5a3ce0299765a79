import { parseArgs } from 'node:util';

/** A mistake on the command line: the command prints it in one line with its usage, and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
}

export interface ParsedCommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * `node:util` parseArgs, with every switch taken the same three ways — `--flag`, `--flag true|false` (or
 * `--flag=true|false`), `--no-flag` — so no user has to remember which switch wants a value, and with an
 * unknown option named in one line (parseArgs' own message is a paragraph).
 */
export function parseCommandLine(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  { allowPositionals = false }: { allowPositionals?: boolean } = {},
): ParsedCommandLine {
  const switches: Record<string, boolean> = {};
  const forwarded: string[] = [];
  const isSwitch = (name: string) => options[name]?.type === 'boolean';
  const shortSwitch = (letter: string) =>
    Object.keys(options).find((name) => options[name]?.short === letter && isSwitch(name));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') {
      forwarded.push(...argv.slice(i));
      break;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = token.slice(2, eq === -1 ? undefined : eq);
      const inline = eq === -1 ? undefined : token.slice(eq + 1);
      if (isSwitch(name)) {
        const next = argv[i + 1];
        if (inline !== undefined) switches[name] = switchValue(name, inline);
        else if (next === 'true' || next === 'false') {
          switches[name] = next === 'true';
          i++;
        } else if (!allowPositionals && next !== undefined && !next.startsWith('-')) {
          // Nothing else could use the word: `--zero-touch off` is a wrong value, not a stray argument.
          switches[name] = switchValue(name, next);
          i++;
        } else switches[name] = true;
        continue;
      }
      if (name.startsWith('no-') && isSwitch(name.slice(3)) && inline === undefined) {
        switches[name.slice(3)] = false;
        continue;
      }
      if (options[name] === undefined) throw new UsageError(`unknown option --${name}`);
      if (inline !== undefined) forwarded.push(token);
      else {
        const value = argv[i + 1];
        // `--data-dir --cwmp-port 0` is a forgotten value, not a directory named --cwmp-port
        // (`--acs-password=-secret` gives a value that starts with a dash).
        if (value === undefined || (value.startsWith('-') && value !== '-'))
          throw new UsageError(`--${name} takes a value`);
        forwarded.push(`--${name}=${value}`);
        i++;
      }
      continue;
    }
    if (/^-[^-]$/.test(token)) {
      const name = shortSwitch(token[1]!);
      if (name === undefined) throw new UsageError(`unknown option ${token}`);
      switches[name] = true;
      continue;
    }
    forwarded.push(token);
  }
  const valued = Object.fromEntries(
    Object.entries(options)
      .filter(([, spec]) => spec.type === 'string')
      .map(([name, spec]) => [name, { type: 'string' as const, multiple: spec.multiple === true }]),
  );
  try {
    const { values, positionals } = parseArgs({
      args: forwarded,
      options: valued,
      allowPositionals,
      strict: true,
    });
    return { values: { ...values, ...switches }, positionals };
  } catch (error) {
    throw new UsageError(oneLine(error as Error & { code?: string }));
  }
}

function switchValue(name: string, raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new UsageError(`--${name} takes true or false, not "${raw}"`);
}

/** parseArgs' messages, cut to what the user needs to read. */
function oneLine(error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}`.trim();
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[\w-]+/.exec(error.message)?.[0];
    if (flag !== undefined) return `${flag} takes a value`;
  }
  return error.message.split('\n')[0] ?? error.message;
}
