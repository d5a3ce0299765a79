/**
 * One simulated CPE: its data model (copy-on-write over the shared template), its event queue and outbox, its
 * transfer queue, its timers, and the sessions it opens with the ACS. It behaves as a well-made device does:
 * 0 BOOTSTRAP on first contact, after a factory reset or a new ACS URL; 1 BOOT after each boot; 2 PERIODIC on its
 * schedule; 3 SCHEDULED for ScheduleInform; 4 VALUE CHANGE for changes not made by the ACS (a session at once for
 * active notification, within DefaultActiveNotificationThrottle); 6 CONNECTION REQUEST; TransferComplete and
 * DUStateChangeComplete in the next session with 7/11 and the M events; a failed session retried with TR-069's
 * back-off. What each session asked for (reboot, transfers, …) happens once it is over.
 *
 * Memory: an idle device holds its model's overlay, a few numbers and one periodic timer; queues, outbox and timer
 * sets exist only while in use.
 */
import type { Scheduler, Timer } from '../clock/scheduler.ts';
import { requestedDiagnostics } from '../diagnostics/diagnostics.ts';
import { DeviceModel } from '../model/device-model.ts';
import type { DeviceTemplate } from '../model/template.ts';
import { EventQueue } from '../session/event-queue.ts';
import { retryDelayMs } from '../session/retry-backoff.ts';
import { TransferQueue } from '../transfers/transfer-queue.ts';
import type { DeviceFacts } from '../transfers/upload-content.ts';
import type { SessionEffects } from './acs-requests.ts';
import type { DeviceBehaviour } from './behaviour.ts';
import { DeviceFiles, type DeviceFilesOwner } from './device-files.ts';
import type { DeviceState } from './device-state.ts';
import { ManagementServer } from './management-server.ts';
import { nextPeriodicInform } from './periodic.ts';
import { type SessionGate, type SessionRecord, SessionWaiters } from './session-record.ts';
import { sessionTurn } from './session-turn.ts';
import { armTransfer, type OutboxEntry } from './transfer-runner.ts';

export type { SessionGate, SessionRecord } from './session-record.ts';

export interface SimulatedDeviceOptions {
  template: DeviceTemplate;
  /** What sets this device apart (serial number, ACS URL, credentials, ConnectionRequestURL): at creation and after a factory reset. */
  identity?: () => Readonly<Record<string, string>>;
  scheduler: Scheduler;
  behaviour?: DeviceBehaviour;
  /** CAs trusted for an https ACS and https file servers (default: Node's roots). */
  ca?: string | Buffer | readonly (string | Buffer)[];
  random?: () => number;
  onSession?: (record: SessionRecord, device: SimulatedDevice) => void;
  /** The device has talked to this ACS before: no 0 BOOTSTRAP at its first boot. Default false. */
  bootstrapped?: boolean;
  /** Shared by a fleet to bound how many sessions run at once (sockets are finite). */
  gate?: SessionGate;
}

type State = 'off' | 'booting' | 'idle' | 'session';

const NO_IDENTITY = () => ({});

export class SimulatedDevice implements DeviceFilesOwner {
  model: DeviceModel;
  readonly events = new EventQueue();
  readonly transfers = new TransferQueue();
  readonly scheduler: Scheduler;
  behaviour: DeviceBehaviour;
  /** Consecutive failed sessions: the Inform's RetryCount. */
  retryCount = 0;
  sessions = 0;
  private readonly options: SimulatedDeviceOptions;
  private state: State = 'off';
  private again = false;
  private bootstrapped: boolean;
  private phase = 0;
  private bootTime = 0;
  private lastSessionEnd = Number.NEGATIVE_INFINITY;
  private retryAt = 0;
  private outbox: OutboxEntry[] | undefined;
  private fileSide: DeviceFiles | undefined;
  private periodicTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private throttleTimer: Timer | undefined;
  private scheduled: Set<Timer> | undefined;
  private current: Promise<void> | undefined;
  private waiters: SessionWaiters | undefined;

  constructor(options: SimulatedDeviceOptions) {
    this.options = options;
    this.scheduler = options.scheduler;
    this.behaviour = options.behaviour ?? {};
    this.bootstrapped = options.bootstrapped === true;
    this.model = new DeviceModel(options.template, (options.identity ?? NO_IDENTITY)());
  }

  /** The device's CWMP settings, as its model holds them now. */
  get managementServer(): ManagementServer {
    return new ManagementServer(this.model);
  }

  get serialNumber(): string {
    const path = `${this.model.root}DeviceInfo.SerialNumber`;
    return this.model.resolve(path)?.kind === 'parameter' ? this.model.getValue(path) : '';
  }

  get running(): boolean {
    return this.state !== 'off';
  }

  get inSession(): boolean {
    return this.state === 'session';
  }

  /** When the retry of a failed session is due (scheduler time), while one is waiting. */
  get nextRetryAt(): number | undefined {
    return this.retryTimer === undefined ? undefined : this.retryAt;
  }

  /** TransferComplete / DUStateChangeComplete messages not yet acknowledged. */
  get pendingRequests(): number {
    return this.outbox?.length ?? 0;
  }

  /** What must survive a restart of the simulator (device-state.ts). */
  saveState(): DeviceState {
    return {
      version: 1,
      bootstrapped: this.bootstrapped,
      events: this.events.list(),
      outbox: (this.outbox ?? []).map((e) => ({ message: e.message, events: e.events })),
    };
  }

  /** Before start(): a previous run's state. The restart is a power cycle: only what survives a reboot is kept. */
  restoreState(state: DeviceState): void {
    if (this.state !== 'off') throw new Error('restoreState: the device is running');
    this.bootstrapped = state.bootstrapped;
    this.events.clear();
    for (const e of state.events) this.events.add(e.code, e.commandKey);
    this.events.rebooted();
    this.outbox = state.outbox.length === 0 ? undefined : state.outbox.map((e) => ({ ...e }));
  }

  /** Credentials a Connection Request must carry; undefined when the device takes none. */
  connectionRequestCredentials(): { username: string; password: string } | undefined {
    return this.managementServer.connectionRequestCredentials;
  }

  // --- Life cycle ---

  /** Powers the device on: it boots and informs. */
  start(): void {
    if (this.state !== 'off') return;
    this.state = 'booting';
    this.boot([]);
  }

  /** Powers it off: timers stop; a session in progress is finished first. */
  async stop(): Promise<void> {
    this.state = 'off';
    this.cancelTimers();
    this.transfers.clear();
    await this.current;
  }

  /** Resolves with the next session record that matches (default: any). */
  waitForSession(match: (r: SessionRecord) => boolean = () => true): Promise<SessionRecord> {
    this.waiters ??= new SessionWaiters();
    return this.waiters.wait(match);
  }

  /** A Connection Request was accepted: a session with 6 CONNECTION REQUEST (one, however many requests). */
  connectionRequest(): void {
    if (this.state === 'off') return;
    this.events.add('6 CONNECTION REQUEST');
    this.requestSession();
  }

  /**
   * A change made by the device itself or its subscriber (DeviceModel.setLocalValue's rules and faults). Active
   * notification opens a session; a new ManagementServer.URL means a new ACS: 0 BOOTSTRAP.
   */
  setLocalValue(path: string, value: string, source: 'device' | 'subscriber' = 'device'): boolean {
    if (!this.model.setLocalValue(path, value, source)) return false;
    if (this.behaviour.valueChanges === 'unreported') this.model.clearValueChanges([path]);
    const ms = `${this.model.root}ManagementServer.`;
    if (path === `${ms}URL`) this.newAcs();
    else if (path.startsWith(`${ms}PeriodicInform`)) this.schedulePeriodic();
    if (this.model.activeValueChangePending) this.activeNotification();
    return true;
  }

  /** A power cycle (not asked by the ACS: no M Reboot). */
  powerCycle(): void {
    if (this.state !== 'off') this.reboot([]);
  }

  /** The reset button: back to the factory state and to BOOTSTRAP. */
  factoryReset(): void {
    if (this.state === 'off') return;
    this.state = 'booting';
    this.cancelTimers();
    this.transfers.clear();
    this.outbox = undefined;
    this.events.clear();
    this.model = new DeviceModel(this.options.template, (this.options.identity ?? NO_IDENTITY)());
    this.bootstrapped = false;
    this.retryCount = 0;
    this.scheduler.setTimer(this.behaviour.bootDelayMs ?? 0, () => this.boot([]));
  }

  private reboot(commandKeys: readonly string[]): void {
    this.state = 'booting';
    this.periodicTimer?.cancel();
    this.retryTimer?.cancel();
    this.throttleTimer?.cancel();
    this.periodicTimer = this.retryTimer = this.throttleTimer = undefined;
    this.events.rebooted();
    this.model.clearValueChanges();
    this.scheduler.setTimer(this.behaviour.bootDelayMs ?? 0, () => this.boot(commandKeys));
  }

  private boot(commandKeys: readonly string[]): void {
    if (this.state === 'off') return;
    this.state = 'idle';
    this.bootTime = this.scheduler.now();
    const interval = this.managementServer.periodic.interval || 3600;
    this.phase =
      this.bootTime + Math.floor((this.options.random ?? Math.random)() * interval * 1000);
    if (!this.bootstrapped) this.events.add('0 BOOTSTRAP');
    this.events.add('1 BOOT');
    for (const key of commandKeys) this.events.add('M Reboot', key);
    this.schedulePeriodic();
    this.requestSession();
  }

  /** A new ACS URL: everything meant for the old ACS is dropped (cwmp-spec.md §3), then 0 BOOTSTRAP. */
  private newAcs(): void {
    this.events.clear();
    for (const t of this.scheduled ?? []) t.cancel();
    this.scheduled = undefined;
    this.transfers.clear();
    this.outbox = undefined;
    this.bootstrapped = false;
    this.events.add('0 BOOTSTRAP');
    this.requestSession();
  }

  private cancelTimers(): void {
    for (const t of [
      this.periodicTimer,
      this.retryTimer,
      this.throttleTimer,
      ...(this.scheduled ?? []),
    ])
      t?.cancel();
    this.periodicTimer = this.retryTimer = this.throttleTimer = undefined;
    this.scheduled = undefined;
  }

  // --- Timers ---

  private schedulePeriodic(): void {
    this.periodicTimer?.cancel();
    this.periodicTimer = undefined;
    if (this.state === 'off' || this.state === 'booting') return;
    const now = this.scheduler.now();
    const next = nextPeriodicInform(this.managementServer.periodic, now, this.phase);
    if (next === undefined) return;
    this.periodicTimer = this.scheduler.setTimer(next - now, () => {
      this.periodicTimer = undefined;
      this.events.add('2 PERIODIC');
      this.schedulePeriodic();
      this.requestSession();
    });
  }

  private scheduleInform(delaySeconds: number, commandKey: string): void {
    this.scheduled ??= new Set();
    const set = this.scheduled;
    const timer = this.scheduler.setTimer(delaySeconds * 1000, () => {
      set.delete(timer);
      if (this.scheduled?.size === 0) this.scheduled = undefined;
      this.events.add('3 SCHEDULED');
      this.events.add('M ScheduleInform', commandKey);
      this.requestSession();
    });
    set.add(timer);
  }

  private activeNotification(): void {
    const throttle = this.managementServer.notificationThrottle;
    const wait = this.lastSessionEnd + throttle * 1000 - this.scheduler.now();
    if (wait <= 0 || this.state !== 'idle') {
      this.requestSession();
      return;
    }
    this.throttleTimer ??= this.scheduler.setTimer(wait, () => {
      this.throttleTimer = undefined;
      this.requestSession();
    });
  }

  // --- Sessions ---

  /** Something needs a session: now, or right after the one in progress. A retry wait is cut short. */
  private requestSession(): void {
    if (this.state === 'off' || this.state === 'booting') return;
    if (this.state === 'session') {
      this.again = true;
      return;
    }
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.state = 'session';
    const run = async () => {
      for (;;) {
        this.again = false;
        const record = await this.oneSession();
        const more = this.again && this.state === 'session';
        // Idle before anyone hears of the session, so that what they do next can start another.
        if (!more && this.state === 'session') this.state = 'idle';
        if (record !== undefined) this.notify(record);
        if (!more) return;
      }
    };
    const current: Promise<void> = run().finally(() => {
      if (this.current === current) this.current = undefined;
    });
    this.current = current;
  }

  private async oneSession(): Promise<SessionRecord | undefined> {
    if (!this.managementServer.cwmpEnabled) return undefined;
    const release = await this.options.gate?.acquire();
    try {
      return await this.sessionNow();
    } finally {
      release?.();
    }
  }

  private async sessionNow(): Promise<SessionRecord | undefined> {
    if (this.state !== 'session') return undefined;
    const turn = await sessionTurn({
      model: this.model,
      queued: this.events.list(),
      outbox: this.outbox ?? [],
      retryCount: this.retryCount,
      behaviour: this.behaviour,
      ca: this.options.ca,
      now: () => this.scheduler.now(),
      context: {
        model: this.model,
        transfers: this.transfers,
        scheduleInform: (delay, key) => this.scheduleInform(delay, key),
      },
    });
    this.sessions++;
    this.lastSessionEnd = this.scheduler.now();
    const { result, outbox } = turn;
    if (result.informAccepted) {
      this.retryCount = 0;
      this.events.delivered(turn.sent);
      this.model.clearValueChanges(turn.valueChanges);
      if (turn.sent.some((e) => e.code === '0 BOOTSTRAP')) this.bootstrapped = true;
      const acked = new Set(result.acknowledged.map((i) => outbox[i]!));
      for (const entry of acked)
        if (entry.transfer !== undefined) this.transfers.remove(entry.transfer);
      this.outbox = this.outbox?.filter((e) => !acked.has(e));
      if (this.outbox?.length === 0) this.outbox = undefined;
    } else {
      this.retryCount++;
      this.events.sessionFailed();
      this.scheduleRetry(result.retryAfterSeconds);
    }
    this.applyEffects(turn.effects, turn.url);
    // A change the session itself left pending (see DeviceBehaviour.valueChanges) still calls for a session.
    if (result.informAccepted && this.model.activeValueChangePending) this.activeNotification();
    return turn.record;
  }

  private scheduleRetry(retryAfterSeconds: number | undefined): void {
    if (this.state !== 'session') return;
    const somethingToSay =
      this.events.size > 0 ||
      (this.outbox?.length ?? 0) > 0 ||
      this.model.pendingValueChanges().length > 0;
    if (!somethingToSay) return;
    const policy = this.managementServer.retryPolicy;
    const delay = Math.max(
      retryDelayMs(this.retryCount, policy, this.options.random),
      (retryAfterSeconds ?? 0) * 1000,
    );
    this.retryTimer?.cancel();
    this.retryAt = this.scheduler.now() + delay;
    this.retryTimer = this.scheduler.setTimer(delay, () => {
      this.retryTimer = undefined;
      this.requestSession();
    });
  }

  private applyEffects(effects: SessionEffects, urlBefore: string): void {
    if (effects.factoryReset) {
      this.factoryReset();
      return;
    }
    if (this.managementServer.url !== urlBefore) this.newAcs();
    for (const t of effects.transfers)
      if (this.transfers.all().includes(t)) armTransfer(this.files, t);
    for (const change of effects.duChanges) {
      void this.files.changeDuState(change.operations, change.commandKey);
    }
    if (effects.reboots.length > 0) {
      this.reboot(effects.reboots);
      return;
    }
    // TR-143 tests the ACS requested run now; each ends with 8 DIAGNOSTICS COMPLETE.
    if (requestedDiagnostics(this.model).length > 0) this.files.startDiagnostics();
    this.schedulePeriodic();
  }

  private notify(record: SessionRecord): void {
    this.options.onSession?.(record, this);
    if (this.waiters?.notify(record) === 0) this.waiters = undefined;
  }

  // --- Transfers and deployment units ---

  private get files(): DeviceFiles {
    this.fileSide ??= new DeviceFiles(this, this.options.ca);
    return this.fileSide;
  }

  /** What the device's log file tells (DeviceFilesOwner). */
  facts(): DeviceFacts {
    return {
      serialNumber: this.serialNumber,
      now: this.scheduler.now(),
      bootTime: this.bootTime,
      sessions: this.sessions,
      retryCount: this.retryCount,
    };
  }

  /** A test finished (DeviceFilesOwner): 8 DIAGNOSTICS COMPLETE, one event however many tests. */
  diagnosticsComplete(model: DeviceModel): void {
    if (model !== this.model || this.state === 'off') return;
    this.events.add('8 DIAGNOSTICS COMPLETE');
    this.requestSession();
  }

  /** A transfer or DU change finished (DeviceFilesOwner): its report waits in the outbox for the next session. */
  deliverLater(entry: OutboxEntry, reboot: boolean): void {
    this.outbox ??= [];
    this.outbox.push(entry);
    if (reboot && this.state !== 'off') this.reboot([]);
    else this.requestSession();
  }
}
