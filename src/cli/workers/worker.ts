/**
 * A worker of `corral serve --workers N`: what differs from a lone `corral serve` (primary.ts says why each is
 * so). Its CWMP connections come from the primary; /metrics answers for every worker; its XMPP login has a
 * resource of its own; stopping comes from the primary as well as from signals.
 */
import cluster from 'node:cluster';
import type { Socket } from 'node:net';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { HandedConnections } from '../../acs/acs.ts';
import { DEFAULT_XMPP_RESOURCE } from '../../acs/xmpp/xmpp-connector.ts';
import {
  isMessage,
  type PrimaryMessage,
  WORKER_CWMP_PORT_ENV,
  WORKER_INDEX_ENV,
  type WorkerMessage,
} from './protocol.ts';

export interface WorkerIdentity {
  index: number;
  /** The primary's CWMP port. */
  cwmpPort: number;
}

/** This process's slot, when it is a worker of `corral serve --workers`; null otherwise. */
export function workerIdentity(env: NodeJS.ProcessEnv): WorkerIdentity | null {
  if (!cluster.isWorker) return null;
  const index = Number(env[WORKER_INDEX_ENV]);
  const cwmpPort = Number(env[WORKER_CWMP_PORT_ENV]);
  if (!Number.isInteger(index) || !Number.isInteger(cwmpPort)) return null;
  return { index, cwmpPort };
}

function send(message: WorkerMessage): void {
  if (process.connected) process.send?.(message);
}

/** The sockets the primary hands this worker. */
export function connectionsFromPrimary(worker: WorkerIdentity): HandedConnections {
  return {
    port: worker.cwmpPort,
    listening: () => process.connected,
    onConnection(accept) {
      const onMessage = (message: unknown, handle: unknown) => {
        if (isMessage<PrimaryMessage>(message, 'corral:cwmp-connection') && handle)
          accept(handle as Socket);
      };
      process.on('message', onMessage);
      return () => process.off('message', onMessage);
    },
  };
}

/** /metrics in a worker: every worker's registry, summed by the primary (prom-client's cluster aggregation). */
export function metricsOfAllWorkers(registry: Registry): Pick<Registry, 'metrics' | 'contentType'> {
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  let next = 0;
  return {
    contentType: registry.contentType,
    metrics: () =>
      new Promise<string>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(() => {
          process.off('message', onMessage);
          reject(new Error('the workers did not report their metrics in time'));
        }, 10_000);
        const onMessage = (message: unknown) => {
          if (!isMessage<PrimaryMessage>(message, 'corral:metrics')) return;
          const reply = message as Extract<PrimaryMessage, { type: 'corral:metrics' }>;
          if (reply.id !== id) return;
          clearTimeout(timer);
          process.off('message', onMessage);
          if ('error' in reply) reject(new Error(reply.error));
          else resolve(reply.text);
        };
        process.on('message', onMessage);
        send({ type: 'corral:metrics-request', id });
      }),
  };
}

/** Calls `stop` once, when the primary asks or goes away (a worker never outlives its primary). */
export function onPrimaryStop(stop: () => void): void {
  process.on('message', (message: unknown) => {
    if (isMessage<PrimaryMessage>(message, 'corral:stop')) stop();
  });
  process.once('disconnect', stop);
}

/** Closes the channel to the primary, which then sees this worker exit with `code`. */
export function leavePrimary(code: number): void {
  process.exitCode = code;
  // The cluster's own disconnect: a bare process.disconnect() makes the worker exit at once with 0.
  if (process.connected) cluster.worker?.disconnect();
}

export function reportReady(): void {
  send({ type: 'corral:ready' });
}

/** Each worker its own XMPP resource: two logins with one full JID would knock each other off. */
export function workerJid(jid: string, worker: WorkerIdentity): string {
  const slash = jid.indexOf('/', jid.indexOf('@'));
  const resource = slash === -1 ? DEFAULT_XMPP_RESOURCE : jid.slice(slash + 1);
  return `${slash === -1 ? jid : jid.slice(0, slash)}/${resource}-${worker.index}`;
}
