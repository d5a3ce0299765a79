import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAcs } from '../acs/acs.ts';
import { createCpeAuthenticator } from '../acs/auth/cpe-authenticator.ts';
import { CampaignRunner } from '../acs/campaigns/runner.ts';
import { createHttpConnectionRequester } from '../acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../acs/connection-request/rate-limit.ts';
import { FsBlobStore } from '../acs/files/blob-store.ts';
import { startFileServer } from '../acs/files/file-server.ts';
import { deriveFileUrlKey } from '../acs/files/signed-url.ts';
import { startApi } from '../api/api.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { jsonLogger } from './logger.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { ConfigError, parseServeConfig, type ServeConfig, serveUsage } from './serve-config.ts';

/** `corral serve`: the ACS with embedded storage, until SIGTERM or SIGINT. */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(serveUsage());
    return 0;
  }
  let config: ServeConfig;
  try {
    config = parseServeConfig(argv, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`corral serve: ${error.message}\n\n${serveUsage()}`);
    return 1;
  }
  const log = jsonLogger();
  const { key: secretKey, created } = loadOrCreateSecretKey(config.dataDir);
  if (created) log('secret-key-created', { path: join(config.dataDir, 'secret.key') });
  const store = await openSqliteStore({
    path: join(config.dataDir, 'corral.db'),
    secretKey,
    synchronous: config.sqliteSynchronous,
  });
  // One ACS process: every claim left running belongs to a session of the process that stopped.
  const recovered = await store.tasks.recoverClaims({ all: true });
  if (recovered.length > 0) log('tasks-recovered', { count: recovered.length });

  if (process.env.CORRAL_API_KEY === undefined && (await store.apiKeys.list()).length === 0) {
    const { token } = await store.apiKeys.create({ name: 'admin (first run)', role: 'admin' });
    // Printed once, on the terminal, never logged: it cannot be read back.
    process.stdout.write(`\nAdmin API key (shown once; keep it safe):\n  ${token.reveal()}\n\n`);
  }
  if (config.acceptAnyCpe) {
    log('WARNING-accept-any-cpe', {
      message: 'every CPE is admitted without authentication: for labs only',
    });
  }

  const blobs = await FsBlobStore.open(config.dataDir);
  const fileServer = await startFileServer({
    host: config.fileHost,
    port: config.filePort,
    ...(config.filePublicUrl !== null ? { publicUrl: config.filePublicUrl } : {}),
    store,
    blobs,
    signingKey: deriveFileUrlKey(secretKey),
    maxUploadBytes: config.maxFileBytes,
    log,
  });
  log('listening', { service: 'files', url: fileServer.url, port: fileServer.port });
  if (config.filePublicUrl === null && /^(0\.0\.0\.0|::)$/.test(config.fileHost)) {
    log('WARNING-file-public-url', {
      message: `no --file-public-url: devices are sent ${fileServer.url} URLs, which they cannot reach`,
    });
  }

  const acs = await startAcs({
    store,
    fileServer,
    authenticate: createCpeAuthenticator({ store, secretKey, acceptAnyCpe: config.acceptAnyCpe }),
    host: config.cwmpHost,
    port: config.cwmpPort,
    ...(config.tlsCert !== null && config.tlsKey !== null
      ? { tls: { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } }
      : {}),
    maxSessions: config.maxSessions,
    addressLimits: {
      informsPerSecond: config.informsPerAddress,
      informBurst: config.informsPerAddress * 10,
    },
    ...(config.zeroTouch
      ? {
          zeroTouch: {
            periodicInformInterval: config.periodicInformInterval,
            connectionRequestCredentials: true,
            acsCredentials: config.zeroTouchAcsCredentials,
          },
        }
      : {}),
    sessionTimeoutMs: config.sessionTimeoutSeconds * 1000,
    bodyLimits: { maxBytes: config.maxBodyBytes, maxDecodedBytes: config.maxBodyBytes * 4 },
    log,
  });
  log('listening', { service: 'cwmp', url: acs.url, host: config.cwmpHost, port: acs.port });

  // One connection request per device per 10 s, 50 a second in all (security.md item 10).
  const sendConnectionRequest = createHttpConnectionRequester({
    store,
    limiter: new ConnectionRequestLimiter(10_000, 50, Date.now),
  });
  const api = await startApi({
    store,
    host: config.apiHost,
    port: config.apiPort,
    ...(process.env.CORRAL_API_KEY ? { adminKey: process.env.CORRAL_API_KEY } : {}),
    files: { blobs, maxBytes: config.maxFileBytes },
    connectionRequest: async (deviceId) => {
      const result = await sendConnectionRequest(deviceId);
      return result.ok ? { ok: true } : { ok: false, reason: result.reason };
    },
    log,
  });
  log('listening', { service: 'api', url: api.url, host: config.apiHost, port: api.port });
  // Firmware campaigns: one runner in this process, every 5 s.
  const campaigns = new CampaignRunner({
    store,
    log,
    connectionRequest: (deviceId) => sendConnectionRequest(deviceId),
  });
  campaigns.start(5000);
  process.stdout.write(
    `CWMP endpoint listening on ${config.cwmpHost}:${acs.port}\nFile server listening on ${config.fileHost}:${fileServer.port}\nREST API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json)\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log('shutdown', { signal });
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      resolve();
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
  await campaigns.stop();
  await api.close();
  await acs.close(10_000);
  await fileServer.close();
  await store.close();
  log('stopped', {});
  return 0;
}
