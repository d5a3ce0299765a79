/**
 * The primary of `corral serve --workers N` (node:cluster): N worker processes, each a whole ACS node on the
 * shared PostgreSQL store (device holds keep a device in one session across them, as across hosts). The
 * primary accepts the CWMP connections itself and hands each to the worker its source address hashes to: a CPE
 * that reconnects mid-session (vendor quirk 19) reaches the worker that holds its session, which the cluster's
 * own round robin would not promise. The API and file ports are shared by the cluster as usual (stateless).
 * A worker that dies is started again; SIGTERM or SIGINT stops every worker gracefully, then the primary.
 */
import cluster, { type Worker } from 'node:cluster';
import { createServer, type Server, type Socket } from 'node:net';
import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';
import { listening } from '../listen-error.ts';
import type { Logger } from '../logger.ts';
import type { ServeConfig } from '../serve-config.ts';
import {
  isMessage,
  type PrimaryMessage,
  WORKER_CWMP_PORT_ENV,
  WORKER_INDEX_ENV,
  type WorkerMessage,
} from './protocol.ts';

/** A worker that dies sooner than this after its start is restarted after a growing pause. */
const STABLE_MS = 10_000;
const MAX_RESTART_PAUSE_MS = 30_000;
/** Each worker drains its sessions for 10 s, then closes: past this, it is killed. */
const STOP_DEADLINE_MS = 30_000;

interface Slot {
  worker: Worker | null;
  ready: boolean;
  startedAt: number;
  pauseMs: number;
}

/** Runs the workers until a signal stops them; resolves to the process's exit code. */
export async function runPrimary(config: ServeConfig, log: Logger): Promise<number> {
  const slots: Slot[] = Array.from({ length: config.workers }, () => ({
    worker: null,
    ready: false,
    startedAt: 0,
    pauseMs: 1000,
  }));
  const cwmp = await listenForCwmp(config, (socket) => handOver(slots, socket));
  const port = (cwmp.address() as { port: number }).port;
  const metrics = new AggregatorRegistry<PrometheusContentType>();
  let stopping = false;
  let anyReady = false;
  let failedStart: number | null = null;
  let finish: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const allGone = () => slots.every((s) => s.worker === null);

  const fork = (index: number) => {
    const slot = slots[index]!;
    const worker = cluster.fork({
      [WORKER_INDEX_ENV]: String(index),
      [WORKER_CWMP_PORT_ENV]: String(port),
    });
    slot.worker = worker;
    slot.ready = false;
    slot.startedAt = Date.now();
    log('worker-started', { worker: index, pid: worker.process.pid ?? null });
    worker.on('message', (message: unknown) => {
      if (isMessage<WorkerMessage>(message, 'corral:ready')) {
        slot.ready = true;
        // The first worker up has migrated the schema and made the first run's credentials: the others now.
        if (!anyReady) for (let i = 1; i < slots.length; i++) fork(i);
        anyReady = true;
        if (slots.every((s) => s.ready)) log('workers-ready', { workers: slots.length, port });
      } else if (
        isMessage<Extract<WorkerMessage, { type: 'corral:metrics-request' }>>(
          message,
          'corral:metrics-request',
        )
      ) {
        void gatherMetrics(metrics, message.id).then((reply) => {
          if (worker.isConnected()) worker.send(reply);
        });
      }
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    const index = slots.findIndex((s) => s.worker === worker);
    if (index === -1) return;
    const slot = slots[index]!;
    slot.worker = null;
    slot.ready = false;
    if (!stopping) {
      log('worker-exited', { worker: index, code, signal }, 'warn');
      if (!anyReady) {
        // None came up: this one has said why on stderr (a bad store, a taken port), and the others would say
        // the same. All stop, with its exit code.
        failedStart = code === 0 ? 1 : code;
        stop();
      } else {
        const quick = Date.now() - slot.startedAt < STABLE_MS;
        slot.pauseMs = quick ? Math.min(slot.pauseMs * 2, MAX_RESTART_PAUSE_MS) : 1000;
        setTimeout(() => {
          if (!stopping) fork(index);
        }, slot.pauseMs).unref();
      }
    }
    if (stopping && allGone()) finish(failedStart ?? 0);
  });

  let killTimer: NodeJS.Timeout | undefined;
  const stop = (signal?: string) => {
    if (stopping) {
      // A second Ctrl-C: no more waiting.
      if (signal !== undefined) for (const s of slots) s.worker?.process.kill('SIGKILL');
      return;
    }
    stopping = true;
    if (signal !== undefined) log('shutdown', { signal });
    for (const s of slots) {
      if (s.worker?.isConnected()) s.worker.send({ type: 'corral:stop' } satisfies PrimaryMessage);
    }
    killTimer = setTimeout(() => {
      for (const s of slots) s.worker?.process.kill('SIGKILL');
    }, STOP_DEADLINE_MS);
    if (allGone()) finish(failedStart ?? 0);
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  // One first: a store or key it cannot use is said once, and the schema is migrated once.
  fork(0);
  const code = await finished;
  clearTimeout(killTimer);
  // Only now: while workers drain, a CPE reconnecting mid-session must still reach its worker. Not awaited:
  // the sockets handed over still count as this server's connections.
  cwmp.close();
  process.off('SIGTERM', onTerm);
  process.off('SIGINT', onInt);
  log('stopped', {});
  return code;
}

/** The CWMP port, accepted here and handed on unread (paused: the worker reads the first byte, TLS or not). */
async function listenForCwmp(
  config: ServeConfig,
  handOver: (socket: Socket) => void,
): Promise<Server> {
  const server = createServer({ pauseOnConnect: true }, handOver);
  await listening(
    { service: 'CWMP', flag: 'cwmp', host: config.cwmpHost, port: config.cwmpPort },
    () =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: config.cwmpPort, host: config.cwmpHost, backlog: 4096 }, () => {
          server.off('error', reject);
          resolve();
        });
      }),
  );
  return server;
}

/** To the worker the source address hashes to, or the next one up while it is restarting. */
function handOver(slots: Slot[], socket: Socket): void {
  const start = addressHash(socket.remoteAddress ?? '') % slots.length;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[(start + i) % slots.length]!;
    const worker = slot.worker;
    if (!slot.ready || worker === null || !worker.isConnected()) continue;
    worker.send({ type: 'corral:cwmp-connection' } satisfies PrimaryMessage, socket, (error) => {
      if (error) socket.destroy();
    });
    return;
  }
  socket.destroy(); // no worker up: the CPE retries, as after any refused connection
}

/** FNV-1a: the same address, the same worker, for the life of the workers. */
export function addressHash(address: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) {
    h ^= address.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

async function gatherMetrics(
  metrics: AggregatorRegistry<PrometheusContentType>,
  id: number,
): Promise<PrimaryMessage> {
  try {
    const text = await metrics.clusterMetrics();
    return { type: 'corral:metrics', id, text, contentType: metrics.contentType };
  } catch (error) {
    return { type: 'corral:metrics', id, error: (error as Error).message };
  }
}
