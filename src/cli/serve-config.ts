import { readFileSync } from 'node:fs';
import { TRACE_SESSIONS } from '../acs/session/deps.ts';
import { MIN_ADMIN_KEY_LENGTH } from '../api/api.ts';
import { parseStoreSpec } from '../store/open-store.ts';
import { type OptionSpec, parseCommandLine } from './args.ts';
import { DEFAULT_SERVE_CONFIG, SETTINGS, type ServeConfig } from './serve-settings.ts';

export type { ServeConfig };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseServeConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServeConfig {
  const options: Record<string, OptionSpec> = {
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const s of SETTINGS) {
    const kind = DEFAULT_SERVE_CONFIG[s.key];
    options[s.flag] = Array.isArray(kind)
      ? { type: 'string', multiple: true }
      : { type: typeof kind === 'boolean' ? 'boolean' : 'string' };
  }
  // A mistake here is a UsageError: the caller prints the usage with it.
  const { values } = parseCommandLine(argv, options);
  const configFile = (values.config as string | undefined) ?? env.CORRAL_CONFIG;
  const fromFile = configFile === undefined ? {} : readConfigFile(configFile);
  const config: Record<string, unknown> = { ...DEFAULT_SERVE_CONFIG };
  for (const s of SETTINGS) {
    const raw = values[s.flag] ?? env[s.env] ?? fromFile[s.key];
    if (raw !== undefined) config[s.key] = coerce(s.key, s.flag, raw);
  }
  const result = config as unknown as ServeConfig;
  if ((result.tlsCert === null) !== (result.tlsKey === null)) {
    throw new ConfigError('--tls-cert and --tls-key go together');
  }
  if (result.sqliteSynchronous !== 'full' && result.sqliteSynchronous !== 'normal')
    throw new ConfigError('--sqlite-synchronous is full or normal');
  if (!['auto', 'json', 'text'].includes(result.logFormat))
    throw new ConfigError('--log-format is auto, json or text');
  if (result.store !== null) {
    try {
      parseStoreSpec(result.store);
    } catch (error) {
      throw new ConfigError(`--store: ${(error as Error).message}`);
    }
  }
  if (result.workers < 1) throw new ConfigError('--workers is at least 1');
  if (
    result.workers > 1 &&
    (result.store === null || parseStoreSpec(result.store).engine !== 'postgres')
  )
    throw new ConfigError(
      '--workers above 1 needs --store postgres://… (a SQLite database is written by one process)',
    );
  if (!TRACE_SESSIONS.includes(result.traceSessions))
    throw new ConfigError('--trace-sessions is all, rpc or off');
  if (!(result.sqliteGroupCommitMs >= 0 && result.sqliteGroupCommitMs <= 1000))
    throw new ConfigError('--sqlite-group-commit-ms is from 0 to 1000');
  if (result.informsPerAddress < 1) throw new ConfigError('--informs-per-address is at least 1');
  if (result.xmppService !== null) {
    if (!/^xmpps?:\/\/[^/\s]+$/.test(result.xmppService))
      throw new ConfigError('--xmpp-service is xmpp://host:port or xmpps://host:port');
    if (result.xmppJid === null || !/^[^@/\s]+@[^@/\s]+(\/\S+)?$/.test(result.xmppJid))
      throw new ConfigError('--xmpp-service needs --xmpp-jid user@domain[/resource]');
    if (result.xmppPassword === null)
      throw new ConfigError('--xmpp-service needs --xmpp-password (or CORRAL_XMPP_PASSWORD)');
  }
  if (result.filePublicUrl !== null && !/^https?:\/\/[^/?#\s]+\/?$/.test(result.filePublicUrl)) {
    throw new ConfigError('--file-public-url is http(s)://host[:port], with no path');
  }
  return result;
}

/** A JSON object whose keys are the flags' names ("cwmp-port"); the older camelCase keys ("cwmpPort") still work. */
function readConfigFile(path: string): Partial<Record<keyof ServeConfig, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  const byName = new Map<string, (typeof SETTINGS)[number]>();
  for (const s of SETTINGS) byName.set(s.flag, s).set(s.key, s);
  const settings: Partial<Record<keyof ServeConfig, unknown>> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const s = byName.get(name);
    if (s === undefined) throw new ConfigError(`config file ${path}: unknown setting "${name}"`);
    if (s.key in settings)
      throw new ConfigError(
        `config file ${path}: "${s.flag}" is set twice ("${s.key}" is its old name)`,
      );
    settings[s.key] = value;
  }
  return settings;
}

function coerce(key: keyof ServeConfig, flag: string, raw: unknown): unknown {
  if (Array.isArray(DEFAULT_SERVE_CONFIG[key])) {
    // Repeated flags, a ':'-separated variable (as PATH), or a JSON array in the config file.
    const list = typeof raw === 'string' ? raw.split(':') : raw;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string' || x === ''))
      throw new ConfigError(`--${flag} takes file paths`);
    return list;
  }
  const kind = typeof DEFAULT_SERVE_CONFIG[key];
  if (kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new ConfigError(`--${flag} takes true or false, not "${String(raw)}"`);
  }
  if (kind === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new ConfigError(`--${flag} takes a whole number, not "${String(raw)}"`);
    if (
      (key === 'cwmpPort' || key === 'apiPort' || key === 'filePort' || key === 'stunPort') &&
      n > 65535
    )
      throw new ConfigError(`--${flag}: no port ${n}`);
    return n;
  }
  // null in a config file is the default of a setting that has none (file-public-url, tls-cert…).
  if (raw === null && DEFAULT_SERVE_CONFIG[key] === null) return null;
  if (typeof raw !== 'string' || raw === '') throw new ConfigError(`--${flag} takes a value`);
  return raw;
}

export function serveUsage(): string {
  // Columns as wide as the longest flag and variable, so a new setting never breaks the table.
  const flagWidth = Math.max('config FILE'.length, ...SETTINGS.map((s) => s.flag.length));
  const envWidth = Math.max(...SETTINGS.map((s) => s.env.length));
  const row = (flag: string, env: string, help: string) =>
    `  --${flag.padEnd(flagWidth)} ${env.padEnd(envWidth)} ${help}`;
  const lines = SETTINGS.map((s) =>
    row(s.flag, s.env, `${s.help} (default: ${String(DEFAULT_SERVE_CONFIG[s.key])})`),
  );
  return `Usage: corral serve [options]

Runs the ACS: the CWMP endpoint CPEs call and the REST API operators use, with embedded SQLite storage.
Each setting is a flag, an environment variable, or a key of the JSON file given by --config (CORRAL_CONFIG);
flags win over the environment, which wins over the file. A switch is on with --flag or --flag true, off
with --no-flag or --flag false.

${row('config FILE', 'CORRAL_CONFIG', 'JSON object of the settings below, keyed by flag name: {"cwmp-port": 7547}')}
${lines.join('\n')}

CORRAL_API_KEY in the environment is an admin API key (at least ${MIN_ADMIN_KEY_LENGTH} characters), never stored; without it
the first run creates one and prints it once on stderr. Lost it? Start with CORRAL_API_KEY set to a new long
random value, and use that key to create or revoke keys through the API.
CORRAL_METRICS_TOKEN (at least ${MIN_ADMIN_KEY_LENGTH} characters) is a bearer token good for /metrics only, for a scraper.
`;
}
