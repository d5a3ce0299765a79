import { decodeCommand } from './decode-command.ts';
import { usage } from './usage.ts';

/** The `corral` command line: one subcommand per job. Returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'decode':
      return decodeCommand(rest);
    case 'serve':
      return (await import('./serve-command.ts')).serveCommand(rest);
    case 'sim':
      return (await import('./sim-command.ts')).simCommand(rest);
    case 'check':
      return (await import('./check-command.ts')).checkCommand(rest);
    case 'bench':
      return (await import('./bench-command.ts')).benchCommand(rest);
    case 'user':
      return (await import('./user-command.ts')).userCommand(rest);
    case 'store':
      return (await import('./store-command.ts')).storeCommand(rest);
    case 'help':
      // `corral help serve` is `corral serve --help`.
      if (rest[0] !== undefined && rest[0] !== 'help') return main([rest[0], '--help']);
      process.stdout.write(usage());
      return 0;
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(usage());
      return 0;
    case '--version':
    case '-v':
      process.stdout.write(`${await version()}\n`);
      return 0;
    default:
      process.stderr.write(`corral: unknown command "${command}"\n\n${usage()}`);
      return 2;
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return pkg.version;
}
