import type { TaskArgs } from '../../store/task-args.ts';
import type { TaskRecord } from '../../store/tasks.ts';
import type { SessionDeps } from '../session/deps.ts';
import {
  type ZeroTouchPlan,
  type ZeroTouchSettings,
  zeroTouchPlan,
  zeroTouchStunTasks,
  zeroTouchXmppTask,
} from './zero-touch.ts';

/**
 * Zero-touch in one 0 BOOTSTRAP session: its tasks come before any preset's. Usually one SetParameterValues;
 * with `acsCredentials`, first the question whether the device is on a credential of its own:
 *
 * - the ACS keeps none for it: it came in on a shared bootstrap credential (or through an ACS that admits every
 *   CPE) — it gets one;
 * - the ACS keeps one: the device either still uses it, or was factory reset and came back on the shared
 *   credential (the authenticator admits that with 0 BOOTSTRAP only). The Username it reports tells which (the
 *   Inform's, else one GetParameterValues): its own username, and it keeps its credential — a credential set in
 *   the factory must survive the next reset; any other, and it gets a new one.
 *
 * The issued credentials are stored only once the device has accepted the SetParameterValues.
 */
export class ZeroTouchBootstrap {
  private step: 'start' | 'reading' | 'setting' | 'probe' | 'connreq-set' | 'done' = 'start';
  private readonly taskIds = new Set<number>();
  private plan: { taskId: number; plan: ZeroTouchPlan } | null = null;
  private ownUsername: string | null = null;

  constructor(
    private readonly deps: SessionDeps,
    private readonly deviceId: string,
    /** `Device.` or `InternetGatewayDevice.`. */
    private readonly root: string,
    private readonly settings: ZeroTouchSettings,
  ) {}

  get finished(): boolean {
    return this.step === 'done';
  }

  owns(task: TaskRecord): boolean {
    return this.taskIds.has(task.id);
  }

  /** Queue the next zero-touch task: 1, or 0 once zero-touch is through. */
  async next(): Promise<number> {
    const usernamePath = `${this.root}ManagementServer.Username`;
    if (this.step === 'start') {
      if (this.settings.acsCredentials !== true) return this.queueSet(false);
      const own = await this.deps.store.credentials.getCpe(this.deviceId);
      if (own === null) return this.queueSet(true);
      this.ownUsername = own.username;
      const reported = await this.deps.store.parameters.get(this.deviceId, usernamePath);
      if (reported?.value != null) return this.queueSet(reported.value !== own.username);
      this.step = 'reading';
      await this.enqueue({ type: 'getParameterValues', parameterNames: [usernamePath] });
      return 1;
    }
    if (this.step === 'reading') {
      const reported = await this.deps.store.parameters.get(this.deviceId, usernamePath);
      // Unread (the device faulted the read): keep what it has rather than risk replacing a factory credential.
      return this.queueSet(reported?.value != null && reported.value !== this.ownUsername);
    }
    const { stun, xmppJid } = this.settings;
    if (this.step === 'setting' && (stun !== undefined || xmppJid !== undefined)) {
      // Which of STUN and XMPP the device has: the names under ManagementServer (one level; a read that cannot
      // fault).
      this.step = 'probe';
      await this.enqueue({
        type: 'getParameterNames',
        parameterPath: `${this.root}ManagementServer.`,
        nextLevel: true,
      });
      return 1;
    }
    if (this.step === 'probe') {
      this.step = 'connreq-set';
      const has = async (name: string) =>
        (await this.deps.store.parameters.get(
          this.deviceId,
          `${this.root}ManagementServer.${name}`,
        )) !== null;
      let queued = 0;
      if (stun !== undefined && (await has('STUNEnable'))) {
        // The one the ACS keeps: a credential issued above is kept only once the device accepted it.
        const credential = await this.deps.store.credentials.getCpe(this.deviceId);
        const tasks = zeroTouchStunTasks(this.root, stun, credential);
        for (const args of tasks) await this.enqueue(args);
        this.deps.log('zero-touch-stun', {
          deviceId: this.deviceId,
          credential: credential !== null,
        });
        queued += tasks.length;
      }
      if (xmppJid !== undefined && (await has('ConnReqAllowedJabberIDs'))) {
        await this.enqueue(zeroTouchXmppTask(this.root, xmppJid));
        queued++;
      }
      if (queued > 0) return queued;
    }
    this.step = 'done';
    return 0;
  }

  /** The SetParameterValues was accepted: the device has the credentials now, so the ACS keeps them. */
  async onDone(task: TaskRecord): Promise<void> {
    if (this.plan?.taskId !== task.id) return;
    const { connectionRequest, acs } = this.plan.plan;
    const { store, log } = this.deps;
    if (connectionRequest !== null)
      await store.credentials.setConnectionRequest(this.deviceId, connectionRequest);
    if (acs === null) return;
    try {
      await store.credentials.setCpe(this.deviceId, acs);
      log('zero-touch-acs-credential', { deviceId: this.deviceId });
    } catch (error) {
      // 96 random bits collide with another device's username only in theory; say so loudly if it happens.
      log('zero-touch-acs-credential-failed', {
        deviceId: this.deviceId,
        error: (error as Error).message,
      });
    }
  }

  /**
   * The bootstrap SetParameterValues faulted. A device that said it is not on its own credential (it came back
   * from a factory reset on the shared one) and now refuses a new one would be locked out by the stale
   * credential the ACS keeps for it (the shared one admits it only with 0 BOOTSTRAP): that credential is
   * dropped: the device is then admitted as one new to the ACS is, on the shared credential alone.
   */
  async onFault(task: TaskRecord): Promise<void> {
    if (this.plan?.taskId !== task.id || this.plan.plan.acs === null || this.ownUsername === null)
      return;
    await this.deps.store.credentials.deleteCpe(this.deviceId);
    this.deps.log('zero-touch-stale-credential-dropped', { deviceId: this.deviceId });
  }

  /** The bootstrap SetParameterValues, with an ACS credential of the device's own or without. */
  private async queueSet(acsCredential: boolean): Promise<number> {
    const plan = zeroTouchPlan(this.root, this.settings, acsCredential);
    this.step = 'setting';
    const taskId = await this.enqueue(plan.args);
    this.plan = { taskId, plan };
    this.deps.log('zero-touch', { deviceId: this.deviceId, taskId, acsCredential });
    return 1;
  }

  private async enqueue(args: TaskArgs): Promise<number> {
    const task = await this.deps.store.tasks.enqueue(this.deviceId, {
      args,
      createdBy: 'zero-touch',
    });
    this.taskIds.add(task.id);
    return task.id;
  }
}
