import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { type RunningAcs, startAcs } from '../acs/acs.ts';
import { createCpeAuthenticator } from '../acs/auth/cpe-authenticator.ts';
import { CampaignRunner } from '../acs/campaigns/runner.ts';
import { createConnectionRequester } from '../acs/connection-request/connection-requester.ts';
import { createHttpConnectionRequester } from '../acs/connection-request/http-connection-request.ts';
import { ConnectionRequestLimiter } from '../acs/connection-request/rate-limit.ts';
import { createUdpConnectionRequester } from '../acs/connection-request/udp-connection-request.ts';
import { createXmppConnectionRequester } from '../acs/connection-request/xmpp-connection-request.ts';
import { FsBlobStore } from '../acs/files/blob-store.ts';
import { type RunningFileServer, startFileServer } from '../acs/files/file-server.ts';
import { deriveFileUrlKey } from '../acs/files/signed-url.ts';
import { instrumentStore } from '../acs/metrics-store.ts';
import { recordStunBindings } from '../acs/stun/binding-record.ts';
import { stunCredentialsOf } from '../acs/stun/stun-credentials.ts';
import { type RunningStunServer, startStunServer } from '../acs/stun/stun-server.ts';
import { XmppConnector } from '../acs/xmpp/xmpp-connector.ts';
import { type RunningApi, startApi } from '../api/api.ts';
import { createPrometheusMetrics, type MetricSources } from '../api/metrics/prometheus.ts';
import { DefinitionsFileError, loadDefinitionFiles } from '../datamodel/bbf/definition-files.ts';
import type { DeviceDefinitions } from '../datamodel/device-definitions.ts';
import { LayeredDefinitions } from '../datamodel/layered-definitions.ts';
import { StandardDefinitions } from '../datamodel/standard/standard-definitions.ts';
import { bridgeChangeFeed, ChangeFeed, withChangeFeed } from '../store/change-feed.ts';
import type { Coordination, Leadership } from '../store/coordination.ts';
import type { Store } from '../store/store.ts';
import { listening } from './listen-error.ts';
import type { Logger } from './logger.ts';
import { loadSecretKey } from './secret-key.ts';
import type { ServeConfig } from './serve-config.ts';
import { firstRunCredentials } from './serve-first-run.ts';
import { type Preflight, reason } from './serve-preflight.ts';
import { type OpenedStore, openServeStore } from './serve-store.ts';
import {
  connectionsFromPrimary,
  metricsOfAllWorkers,
  reportReady,
  type WorkerIdentity,
  workerJid,
} from './workers/worker.ts';

/** A start-up failure the user can act on: printed in one line, exit 2, no stack trace. */
export class StartError extends Error {}

export interface Services {
  store: Store;
  fileServer: RunningFileServer;
  acs: RunningAcs;
  api: RunningApi;
  campaigns: CampaignRunner;
  coordination: Coordination;
  leadership: Leadership;
  unbridge: () => void;
  stun: RunningStunServer | null;
  xmpp: XmppConnector | null;
}

/** The master key for secrets at rest, made in the data directory on a first run (see loadSecretKey). */
export function loadServeSecretKey(
  config: ServeConfig,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Uint8Array {
  try {
    const loaded = loadSecretKey({ dataDir: config.dataDir, file: config.secretKeyFile, env });
    if (loaded.source === 'data-dir-created') log('secret-key-created', { path: loaded.path });
    if (loaded.exposed)
      log('WARNING-secret-key-readable', {
        path: loaded.path,
        message: 'the secret key file can be read by other users: chmod 600 it',
      });
    return loaded.key;
  } catch (error) {
    throw new StartError(`cannot use the secret key: ${reason(error)}`);
  }
}

/** Opens the store and the listeners; each thing opened leaves its closer in `closers` for a failed start. */
export async function startServices(
  config: ServeConfig,
  checked: Preflight,
  env: NodeJS.ProcessEnv,
  log: Logger,
  closers: Array<() => Promise<void> | void>,
  /** A worker of `--workers`: its CWMP connections come from the primary (workers/worker.ts). */
  worker: WorkerIdentity | null = null,
): Promise<Services> {
  const secretKey = loadServeSecretKey(config, env, log);
  let opened: OpenedStore;
  try {
    opened = await openServeStore(config, secretKey, log);
  } catch (error) {
    throw new StartError(reason(error));
  }
  const { store: rawStore, coordination } = opened;
  closers.push(() => rawStore.close());
  closers.push(() => coordination.close());
  // One registry for this process's ACS; every part gets the store timed (metrics-store.ts).
  const registry = new Registry();
  const sources: MetricSources = { store: rawStore };
  const metrics = createPrometheusMetrics(registry, sources);
  // Timed for /metrics, and publishing its changes to the console's live pages.
  const changes = new ChangeFeed();
  const store = withChangeFeed(instrumentStore(rawStore, metrics), changes);
  // The other nodes on the store, if it can have any: one session per device across them, one campaign runner.
  const unbridge = bridgeChangeFeed(changes, coordination);
  // Alone on the store (the lock), every claim left running belongs to a session of the process that stopped;
  // among several nodes, only those whose lease has run out.
  const recovered = await store.tasks.recoverClaims({ all: coordination.exclusive });
  if (recovered.length > 0) log('tasks-recovered', { count: recovered.length });
  if (config.acceptAnyCpe) {
    log('WARNING-accept-any-cpe', {
      message: 'every CPE is admitted without authentication: for labs only',
    });
  }

  // The definitions writes are checked against (the shipped ones: about 100 ms): before any listener opens, so
  // that building them never stalls a session in flight (admission control would read the stall as overload).
  let definitions: DeviceDefinitions = await StandardDefinitions.load();
  if (config.datamodel.length > 0) {
    try {
      const loaded = await loadDefinitionFiles(config.datamodel, { descriptions: true });
      definitions = new LayeredDefinitions([loaded, definitions]);
      log('datamodel-loaded', { files: config.datamodel, roots: loaded.roots });
    } catch (error) {
      if (error instanceof DefinitionsFileError) throw new StartError(error.message);
      throw error;
    }
  }
  const blobs = await FsBlobStore.open(config.dataDir);
  const fileListener = {
    service: 'file server',
    flag: 'file',
    host: config.fileHost,
    port: config.filePort,
  };
  const fileServer = await listening(fileListener, () =>
    startFileServer({
      host: config.fileHost,
      port: config.filePort,
      ...(config.filePublicUrl !== null ? { publicUrl: config.filePublicUrl } : {}),
      store,
      blobs,
      signingKey: deriveFileUrlKey(secretKey),
      maxUploadBytes: config.maxFileBytes,
      log,
    }),
  );
  closers.push(() => fileServer.close());
  log('listening', { service: 'files', url: fileServer.url, port: fileServer.port });
  if (config.filePublicUrl === null && /^(0\.0\.0\.0|::)$/.test(config.fileHost)) {
    log('WARNING-file-public-url', {
      message: `no --file-public-url: devices are sent ${fileServer.url} URLs, which they cannot reach`,
    });
  }

  const cwmpListener = {
    service: 'CWMP',
    flag: 'cwmp',
    host: config.cwmpHost,
    port: config.cwmpPort,
  };
  const acs = await listening(cwmpListener, () =>
    startAcs({
      store,
      fileServer,
      authenticate: createCpeAuthenticator({ store, secretKey, acceptAnyCpe: config.acceptAnyCpe }),
      host: config.cwmpHost,
      port: config.cwmpPort,
      ...(worker !== null ? { handedConnections: connectionsFromPrimary(worker) } : {}),
      ...(checked.tls !== null ? { tls: checked.tls } : {}),
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
              ...(config.stunPort !== 0
                ? { stun: { serverAddress: config.stunAddress ?? '', serverPort: config.stunPort } }
                : {}),
              ...(config.xmppService !== null && config.xmppJid !== null
                ? { xmppJid: config.xmppJid }
                : {}),
            },
          }
        : {}),
      sessionTimeoutMs: config.sessionTimeoutSeconds * 1000,
      coordination,
      traceSessions: config.traceSessions,
      bodyLimits: { maxBytes: config.maxBodyBytes, maxDecodedBytes: config.maxBodyBytes * 4 },
      log,
      metrics,
    }),
  );
  closers.push(() => acs.close(0));
  sources.acs = acs;
  log('listening', { service: 'cwmp', url: acs.url, host: config.cwmpHost, port: acs.port });

  // The STUN server of TR-111: devices behind NAT keep a binding to it; UDP connection requests leave from it.
  let stun: RunningStunServer | null = null;
  if (config.stunPort !== 0) {
    const stunListener = {
      service: 'STUN',
      flag: 'stun',
      host: config.stunHost,
      port: config.stunPort,
    };
    stun = await listening(stunListener, () =>
      startStunServer({
        host: config.stunHost,
        port: config.stunPort,
        credentials: stunCredentialsOf(store),
        requireCredentials: config.stunCredentials,
        onBinding: recordStunBindings(store, log),
        log,
      }),
    );
    const running = stun;
    closers.push(() => running.close());
    log('listening', { service: 'stun', host: config.stunHost, port: stun.port });
  }
  // XMPP to the device's JID, HTTP to its ConnectionRequestURL, then UDP through its STUN binding; one connection
  // request per device per 10 s, 50 a second in all, whatever the paths (security.md item 10).
  const paths: Parameters<typeof createConnectionRequester>[0]['paths'] = [];
  // XMPP first where a device has a JID: it reaches devices behind any NAT, over the connection they keep open.
  let xmpp: XmppConnector | null = null;
  if (config.xmppService !== null) {
    const connector = new XmppConnector(
      {
        service: config.xmppService,
        jid: worker === null ? config.xmppJid! : workerJid(config.xmppJid!, worker),
        password: config.xmppPassword!,
      },
      log,
    );
    connector.start();
    closers.push(() => connector.stop());
    paths.push({ path: 'xmpp', send: createXmppConnectionRequester({ store, xmpp: connector }) });
    xmpp = connector;
  }
  paths.push({ path: 'http', send: createHttpConnectionRequester({ store }) });
  if (stun !== null) {
    paths.push({ path: 'udp', send: createUdpConnectionRequester({ store, stun, changes }) });
  }
  const sendConnectionRequest = createConnectionRequester({
    paths,
    limiter: new ConnectionRequestLimiter(10_000, 50, Date.now),
    log,
    metrics,
  });
  const apiListener = {
    service: 'REST API',
    flag: 'api',
    host: config.apiHost,
    port: config.apiPort,
  };
  const api = await listening(apiListener, () =>
    startApi({
      store,
      host: config.apiHost,
      port: config.apiPort,
      ...(env.CORRAL_API_KEY ? { adminKey: env.CORRAL_API_KEY } : {}),
      files: { blobs, maxBytes: config.maxFileBytes },
      definitions,
      datamodelDir: join(config.dataDir, 'datamodel'),
      connectionRequest: async (deviceId) => {
        const result = await sendConnectionRequest(deviceId);
        // What failed and where (reset, timeout, wrong credentials…), for the operator: never a secret.
        const paths = { ...(result.path ? { path: result.path } : {}), tried: result.tried };
        return result.ok
          ? { ok: true, ...paths }
          : {
              ok: false,
              reason: result.reason,
              ...(result.detail ? { detail: result.detail } : {}),
              ...paths,
            };
      },
      log,
      listeners: {
        cwmp: () => acs.status().listening,
        files: () => fileServer.listening,
        ...(stun !== null ? { stun: () => stun.listening } : {}),
      },
      metrics: registry,
      ...(worker !== null ? { allMetrics: metricsOfAllWorkers(registry) } : {}),
      changes,
      sessionsInFlight: () => acs.status().sessionsOpen,
      recentWindowMs: config.periodicInformInterval * 1000,
      // Vite builds the console into dist/ui; this file is two levels under the package both as source and built.
      consoleDir: fileURLToPath(new URL('../../dist/ui/', import.meta.url)),
      ...(env.CORRAL_METRICS_TOKEN ? { metricsToken: env.CORRAL_METRICS_TOKEN } : {}),
    }),
  );
  closers.push(() => api.close());
  log('listening', { service: 'api', url: api.url, host: config.apiHost, port: api.port });
  // Firmware campaigns: one runner among the nodes on the store (the leader), every 5 s.
  const campaigns = new CampaignRunner({
    store,
    log,
    connectionRequest: (deviceId) => sendConnectionRequest(deviceId),
  });
  const leadership = coordination.lead('campaigns', (leading) => {
    if (leading) campaigns.start(5000);
    else void campaigns.stop();
    if (!coordination.exclusive) log('campaign-runner', { leading, node: coordination.nodeId });
  });
  closers.push(() => leadership.stop());

  // Only now, with every listener up: a start that fails leaves no key or password behind that nobody saw. Among
  // workers, the first says it all.
  if (worker === null || worker.index === 0) {
    await firstRunCredentials(store, env, api.url, log);
    process.stderr.write(
      `CWMP endpoint listening on ${config.cwmpHost}:${acs.port}\nFile server listening on ${config.fileHost}:${fileServer.port}\n${stun !== null ? `STUN server listening on ${config.stunHost}:${stun.port} (udp)\n` : ''}REST API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json)\nConsole at ${api.url}/\n`,
    );
  }
  if (worker !== null) reportReady();
  return {
    store,
    fileServer,
    acs,
    api,
    campaigns,
    coordination,
    leadership,
    unbridge,
    stun,
    xmpp,
  };
}
