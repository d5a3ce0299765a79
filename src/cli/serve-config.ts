import { readFileSync } from 'node:fs';
import { TRACE_SESSIONS, type TraceSessions } from '../acs/session/deps.ts';
import { MIN_ADMIN_KEY_LENGTH } from '../api/api.ts';
import { parseStoreSpec } from '../store/open-store.ts';
import { type OptionSpec, parseCommandLine } from './args.ts';

/** How `corral serve` is configured: flags over environment over a JSON config file over defaults. */
export interface ServeConfig {
  dataDir: string;
  secretKeyFile: string | null;
  store: string | null;
  sqliteSynchronous: 'full' | 'normal';
  sqliteGroupCommitMs: number;
  cwmpHost: string;
  cwmpPort: number;
  apiHost: string;
  apiPort: number;
  fileHost: string;
  filePort: number;
  filePublicUrl: string | null;
  maxFileBytes: number;
  tlsCert: string | null;
  tlsKey: string | null;
  acceptAnyCpe: boolean;
  maxSessions: number;
  informsPerAddress: number;
  sessionTimeoutSeconds: number;
  traceSessions: TraceSessions;
  maxBodyBytes: number;
  zeroTouch: boolean;
  zeroTouchAcsCredentials: boolean;
  periodicInformInterval: number;
  stunHost: string;
  stunPort: number;
  stunAddress: string | null;
  stunCredentials: boolean;
  xmppService: string | null;
  xmppJid: string | null;
  xmppPassword: string | null;
  /** BBF data-model XML files (vendor models, newer standards) over the shipped definitions. */
  datamodel: string[];
  logFormat: 'auto' | 'json' | 'text';
}

export const DEFAULT_SERVE_CONFIG: ServeConfig = {
  dataDir: './data',
  secretKeyFile: null,
  store: null,
  sqliteSynchronous: 'full',
  sqliteGroupCommitMs: 2,
  cwmpHost: '0.0.0.0',
  cwmpPort: 7547,
  apiHost: '127.0.0.1',
  apiPort: 7557,
  fileHost: '0.0.0.0',
  filePort: 7567,
  filePublicUrl: null,
  maxFileBytes: 2 * 1024 * 1024 * 1024,
  tlsCert: null,
  tlsKey: null,
  acceptAnyCpe: false,
  maxSessions: 10_000,
  informsPerAddress: 100,
  sessionTimeoutSeconds: 30,
  traceSessions: 'all',
  maxBodyBytes: 32 * 1024 * 1024,
  zeroTouch: true,
  zeroTouchAcsCredentials: false,
  periodicInformInterval: 3600,
  stunHost: '0.0.0.0',
  stunPort: 3478,
  stunAddress: null,
  stunCredentials: false,
  xmppService: null,
  xmppJid: null,
  xmppPassword: null,
  datamodel: [],
  logFormat: 'auto',
};

/** Every setting: its flag, its environment variable and what it means (the help text is made from this). */
export const SETTINGS: ReadonlyArray<{
  key: keyof ServeConfig;
  flag: string;
  env: string;
  help: string;
}> = [
  {
    key: 'dataDir',
    flag: 'data-dir',
    env: 'CORRAL_DATA_DIR',
    help: 'where the SQLite database and the secret key live',
  },
  {
    key: 'store',
    flag: 'store',
    env: 'CORRAL_STORE',
    help: 'the database: sqlite:DIR (the default, DIR being --data-dir) or postgres://user:password@host:port/database (several nodes may share it; better in the environment than on the command line)',
  },
  {
    key: 'secretKeyFile',
    flag: 'secret-key-file',
    env: 'CORRAL_SECRET_KEY_FILE',
    help: 'the master key for secrets at rest (64 hex digits) from this file instead of <data-dir>/secret.key; several nodes on one database share one key (or give the digits in CORRAL_SECRET_KEY)',
  },
  {
    key: 'sqliteSynchronous',
    flag: 'sqlite-synchronous',
    env: 'CORRAL_SQLITE_SYNCHRONOUS',
    help: 'full: every commit survives a power loss; normal: faster (bench:acs), survives a crash of the process only',
  },
  {
    key: 'sqliteGroupCommitMs',
    flag: 'sqlite-group-commit-ms',
    env: 'CORRAL_SQLITE_GROUP_COMMIT_MS',
    help: 'commit at most this often, sharing each commit among the writes made meanwhile (a CPE is answered only once its write is committed); 0: one commit per write',
  },
  {
    key: 'cwmpHost',
    flag: 'cwmp-host',
    env: 'CORRAL_CWMP_HOST',
    help: 'address of the CWMP endpoint CPEs call',
  },
  {
    key: 'cwmpPort',
    flag: 'cwmp-port',
    env: 'CORRAL_CWMP_PORT',
    help: 'port of the CWMP endpoint (0: any free port)',
  },
  {
    key: 'apiHost',
    flag: 'api-host',
    env: 'CORRAL_API_HOST',
    help: 'address of the REST API (loopback by default)',
  },
  {
    key: 'apiPort',
    flag: 'api-port',
    env: 'CORRAL_API_PORT',
    help: 'port of the REST API (0: any free port)',
  },
  {
    key: 'fileHost',
    flag: 'file-host',
    env: 'CORRAL_FILE_HOST',
    help: 'address of the file server CPEs download firmware from and upload to',
  },
  {
    key: 'filePort',
    flag: 'file-port',
    env: 'CORRAL_FILE_PORT',
    help: 'port of the file server (0: any free port)',
  },
  {
    key: 'filePublicUrl',
    flag: 'file-public-url',
    env: 'CORRAL_FILE_PUBLIC_URL',
    help: 'the file server as CPEs reach it, e.g. http://acs.example.net:7567 (null: http://<file-host>:<port>)',
  },
  {
    key: 'maxFileBytes',
    flag: 'max-file-bytes',
    env: 'CORRAL_MAX_FILE_BYTES',
    help: 'largest file stored through the API or uploaded by a device',
  },
  {
    key: 'tlsCert',
    flag: 'tls-cert',
    env: 'CORRAL_TLS_CERT',
    help: 'PEM certificate file: serve CWMP over HTTPS (TLS ≥ 1.2)',
  },
  {
    key: 'tlsKey',
    flag: 'tls-key',
    env: 'CORRAL_TLS_KEY',
    help: 'PEM private key file for --tls-cert',
  },
  {
    key: 'acceptAnyCpe',
    flag: 'accept-any-cpe',
    env: 'CORRAL_ACCEPT_ANY_CPE',
    help: 'LABS ONLY: admit every CPE without authentication',
  },
  {
    key: 'maxSessions',
    flag: 'max-sessions',
    env: 'CORRAL_MAX_SESSIONS',
    help: 'the most sessions in progress at once; fewer while the ACS is late (503 + Retry-After beyond)',
  },
  {
    key: 'informsPerAddress',
    flag: 'informs-per-address',
    env: 'CORRAL_INFORMS_PER_ADDRESS',
    help: "new sessions per second one address may open, after a burst of ten seconds' worth (503 beyond)",
  },
  {
    key: 'sessionTimeoutSeconds',
    flag: 'session-timeout',
    env: 'CORRAL_SESSION_TIMEOUT',
    help: 'idle seconds before a session is abandoned',
  },
  {
    key: 'traceSessions',
    flag: 'trace-sessions',
    env: 'CORRAL_TRACE_SESSIONS',
    help: "which sessions' SOAP traces are kept for the console: all; rpc: those that did more than an Inform (an RPC, a CPE request, a fault, an abnormal end); off",
  },
  {
    key: 'maxBodyBytes',
    flag: 'max-body-bytes',
    env: 'CORRAL_MAX_BODY_BYTES',
    help: 'largest CWMP message accepted (413 beyond)',
  },
  {
    key: 'zeroTouch',
    flag: 'zero-touch',
    env: 'CORRAL_ZERO_TOUCH',
    help: 'on 0 BOOTSTRAP: set periodic informs and per-device connection-request credentials (true|false)',
  },
  {
    key: 'zeroTouchAcsCredentials',
    flag: 'zero-touch-acs-credentials',
    env: 'CORRAL_ZERO_TOUCH_ACS_CREDENTIALS',
    help: 'zero-touch also moves a device on a shared bootstrap credential to an ACS credential of its own (true|false)',
  },
  {
    key: 'periodicInformInterval',
    flag: 'periodic-inform-interval',
    env: 'CORRAL_PERIODIC_INFORM_INTERVAL',
    help: 'the PeriodicInformInterval zero-touch sets, in seconds',
  },
  {
    key: 'stunHost',
    flag: 'stun-host',
    env: 'CORRAL_STUN_HOST',
    help: 'the address the STUN server (UDP connection requests through NAT) listens on',
  },
  {
    key: 'stunPort',
    flag: 'stun-port',
    env: 'CORRAL_STUN_PORT',
    help: "the STUN server's UDP port; UDP connection requests leave from it; 0 turns both off",
  },
  {
    key: 'stunAddress',
    flag: 'stun-address',
    env: 'CORRAL_STUN_ADDRESS',
    help: 'the STUN server address zero-touch gives devices (STUNServerAddress); unset: devices use the ACS host',
  },
  {
    key: 'stunCredentials',
    flag: 'stun-credentials',
    env: 'CORRAL_STUN_CREDENTIALS',
    help: "answer Binding Requests without the device's STUN credentials (its own ACS credential) with 401 (true|false)",
  },
  {
    key: 'xmppService',
    flag: 'xmpp-service',
    env: 'CORRAL_XMPP_SERVICE',
    help: 'XMPP connection requests: the XMPP server the ACS logs in to, xmpp://host:port (STARTTLS where offered)',
  },
  {
    key: 'xmppJid',
    flag: 'xmpp-jid',
    env: 'CORRAL_XMPP_JID',
    help: "the ACS's own JID on that server, user@domain[/resource]",
  },
  {
    key: 'xmppPassword',
    flag: 'xmpp-password',
    env: 'CORRAL_XMPP_PASSWORD',
    help: "the ACS's XMPP password (better in the environment than on the command line)",
  },
  {
    key: 'datamodel',
    flag: 'datamodel',
    env: 'CORRAL_DATAMODEL',
    help: "a BBF data-model XML (a vendor's model in the BBF format, a newer TR-181) that writes are checked and devices reported against, over the standard definitions Corral ships; repeat for several (the variable: paths separated by ':')",
  },
  {
    key: 'logFormat',
    flag: 'log-format',
    env: 'CORRAL_LOG_FORMAT',
    help: 'logs on stdout: json (one object a line), text (readable), or auto: text on a terminal, json otherwise',
  },
];

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
