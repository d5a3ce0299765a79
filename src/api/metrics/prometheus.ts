import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import type { AcsStatus } from '../../acs/acs.ts';
import type { AcsMetrics, CwmpRefusalReason, SessionEndReason } from '../../acs/metrics.ts';
import { CAMPAIGN_STATES } from '../../store/campaigns.ts';
import type { Store } from '../../store/store.ts';

/** What the gauges read on each scrape; filled in once the parts they watch are up. */
export interface MetricSources {
  acs?: { status(): AcsStatus };
  store?: Store;
}

/** TR-069's event codes (Table 7 of Amendment 6); anything else — vendor `X …` codes, typos — is `other`. */
const STANDARD_EVENTS: ReadonlySet<string> = new Set([
  '0 BOOTSTRAP',
  '1 BOOT',
  '2 PERIODIC',
  '3 SCHEDULED',
  '4 VALUE CHANGE',
  '5 KICKED',
  '6 CONNECTION REQUEST',
  '7 TRANSFER COMPLETE',
  '8 DIAGNOSTICS COMPLETE',
  '9 REQUEST DOWNLOAD',
  '10 AUTONOMOUS TRANSFER COMPLETE',
  '11 DU STATE CHANGE COMPLETE',
  '12 AUTONOMOUS DU STATE CHANGE COMPLETE',
  '13 WAKEUP',
  '14 HEARTBEAT',
  'M Reboot',
  'M ScheduleInform',
  'M Download',
  'M ScheduleDownload',
  'M Upload',
  'M ChangeDUState',
]);

/** A CPE chooses its fault codes: only the range TR-069 defines (9000–9899, vendor 9800–9899) is a label. */
function faultLabel(code: number | null): string {
  return code !== null && Number.isInteger(code) && code >= 9000 && code <= 9899
    ? String(code)
    : 'other';
}

/**
 * The ACS's metrics on a prom-client registry of the caller's (one per ACS, so that several run in one process),
 * with the process metrics. Returns the AcsMetrics the ACS's parts call.
 */
export function createPrometheusMetrics(registry: Registry, sources: MetricSources): AcsMetrics {
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const started = new Counter({
    name: 'corral_cwmp_sessions_started_total',
    help: 'CWMP sessions opened (an authenticated Inform recorded).',
    registers,
  });
  const completed = new Counter({
    name: 'corral_cwmp_sessions_completed_total',
    help: 'CWMP sessions that ended with the ACS’s empty response.',
    registers,
  });
  const endedEarly = new Counter({
    name: 'corral_cwmp_sessions_ended_early_total',
    help: 'CWMP sessions that ended before their end, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'corral_cwmp_session_duration_seconds',
    help: 'From the Inform to the session’s end, by outcome (completed or the early end’s reason).',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers,
  });
  const informs = new Counter({
    name: 'corral_cwmp_informs_total',
    help: 'Informs recorded.',
    registers,
  });
  const informEvents = new Counter({
    name: 'corral_cwmp_inform_events_total',
    help: 'Event codes carried by the Informs recorded (non-standard codes as other).',
    labelNames: ['event'] as const,
    registers,
  });
  const rpcs = new Counter({
    name: 'corral_cwmp_rpcs_sent_total',
    help: 'RPCs the ACS sent to CPEs, by method.',
    labelNames: ['method'] as const,
    registers,
  });
  const faults = new Counter({
    name: 'corral_cwmp_cpe_faults_total',
    help: 'Faults CPEs answered the ACS’s RPCs with, by method and fault code (outside 9000-9899: other).',
    labelNames: ['method', 'fault_code'] as const,
    registers,
  });
  const refusals = new Counter({
    name: 'corral_cwmp_refusals_total',
    help: 'CWMP requests answered with an error status (401, 400, 413, 503, …), by status and reason.',
    labelNames: ['status', 'reason'] as const,
    registers,
  });
  const connectionRequests = new Counter({
    name: 'corral_connection_requests_total',
    help: 'Connection requests, by result (ok, throttled, refused, reset, timeout, auth-failed, …).',
    labelNames: ['result'] as const,
    registers,
  });
  const tasks = {
    queued: new Counter({
      name: 'corral_tasks_queued_total',
      help: 'Tasks queued (by the API, presets or campaigns), by type.',
      labelNames: ['type'] as const,
      registers,
    }),
    done: new Counter({
      name: 'corral_tasks_done_total',
      help: 'Tasks done in a session, by type.',
      labelNames: ['type'] as const,
      registers,
    }),
    faulted: new Counter({
      name: 'corral_tasks_faulted_total',
      help: 'Task faults recorded (the CPE’s or the ACS’s), by type.',
      labelNames: ['type'] as const,
      registers,
    }),
  };
  const storeLatency = new Histogram({
    name: 'corral_store_operation_duration_seconds',
    help: 'Store calls, by operation (part.method).',
    labelNames: ['operation'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers,
  });
  watchAcs(registry, sources);
  watchCampaigns(registry, sources);

  const ended = (reason: SessionEndReason, seconds: number) => {
    endedEarly.inc({ reason });
    duration.observe({ outcome: reason }, seconds);
  };
  return {
    sessionStarted: () => started.inc(),
    sessionCompleted: (seconds) => {
      completed.inc();
      duration.observe({ outcome: 'completed' }, seconds);
    },
    sessionEnded: ended,
    inform: (codes) => {
      informs.inc();
      for (const code of codes)
        informEvents.inc({ event: STANDARD_EVENTS.has(code) ? code : 'other' });
    },
    rpcSent: (method) => rpcs.inc({ method }),
    cpeFault: (method, code) => faults.inc({ method, fault_code: faultLabel(code) }),
    cwmpRefusal: (status: number, reason: CwmpRefusalReason) =>
      refusals.inc({ status: String(status), reason }),
    connectionRequest: (result) => connectionRequests.inc({ result }),
    taskQueued: (type) => tasks.queued.inc({ type }),
    taskDone: (type) => tasks.done.inc({ type }),
    taskFaulted: (type) => tasks.faulted.inc({ type }),
    storeOperation: (operation, seconds) => storeLatency.observe({ operation }, seconds),
  };
}

/** Read when scraped: the sessions open and admission's figures (none without admission). */
function watchAcs(registry: Registry, sources: MetricSources): void {
  const gauge = (
    name: string,
    help: string,
    read: (status: AcsStatus) => number | null,
    aggregator?: 'max',
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      ...(aggregator === undefined ? {} : { aggregator }),
      collect() {
        const status = sources.acs?.status();
        const value = status === undefined ? null : read(status);
        if (value !== null) this.set(value);
      },
    });
  gauge('corral_cwmp_sessions_open', 'CWMP sessions in progress.', (s) => s.sessionsOpen);
  gauge(
    'corral_cwmp_admission_session_limit',
    'Sessions admission lets be open now (follows the loop delay, up to --max-sessions).',
    (s) => s.sessionLimit,
  );
  gauge(
    'corral_cwmp_admission_waiting',
    'New sessions waiting for a turn in admission’s waiting room (their requests unread).',
    (s) => s.waiting,
  );
  // Summed across `serve --workers` like the rest, but a lateness is the worst worker's.
  gauge(
    'corral_cwmp_admission_loop_delay_seconds',
    'The event loop’s worst lateness in admission’s last window.',
    (s) => (s.loopDelayMs === null ? null : s.loopDelayMs / 1000),
    'max',
  );
}

/** Campaigns by state, counted from the store when scraped (a few small queries; scrapes are rare). */
function watchCampaigns(registry: Registry, sources: MetricSources): void {
  new Gauge({
    name: 'corral_campaigns',
    help: 'Firmware campaigns, by state (counted up to 10,000 per state).',
    labelNames: ['state'] as const,
    registers: [registry],
    // Every worker of `serve --workers` counts the same store: one worker's count is the figure.
    aggregator: 'first',
    async collect() {
      const store = sources.store;
      if (store === undefined) return;
      try {
        for (const state of CAMPAIGN_STATES) {
          const rows = await store.campaigns.list({ states: [state], limit: 10_000 });
          this.set({ state }, rows.length);
        }
      } catch {
        // A store that does not answer leaves the last counts; /ready is where that shows.
      }
    },
  });
}
