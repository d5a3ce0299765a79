import type { TraceSessions } from '../acs/session/deps.ts';

/** How `corral serve` is configured: flags over environment over a JSON config file over defaults. */
export interface ServeConfig {
  dataDir: string;
  secretKeyFile: string | null;
  store: string | null;
  /** Processes serving (node:cluster), each a node on the PostgreSQL store. */
  workers: number;
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
  workers: 1,
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
    key: 'workers',
    flag: 'workers',
    env: 'CORRAL_WORKERS',
    help: 'processes serving CPEs and the API, e.g. one per core ($(nproc)); more than 1 needs --store postgres://…; each CPE address goes to one worker',
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
