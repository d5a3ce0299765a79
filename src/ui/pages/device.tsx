import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, enc, message } from '../api.ts';
import { ErrorBox, Field, Link, Loading, Notice, Section, StateBadge } from '../components/ui.tsx';
import { ago, bytes, json, time } from '../format.ts';
import { useAsync, useLive, useThrottled } from '../hooks.ts';
import { navigate, useLocation } from '../router.ts';
import { can, useUser } from '../session.ts';
import {
  connectionRequestText,
  FINISHED,
  TASK_TEMPLATES,
  type TaskOutcome,
  type TaskView,
} from '../tasks.ts';
import { prettyXml, rpcName } from '../xml.ts';

interface DeviceRecord {
  id: string;
  manufacturer: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  softwareVersion: string | null;
  hardwareVersion: string | null;
  remoteAddress: string | null;
  firstInformAt: number;
  lastInformAt: number;
  lastBootAt: number | null;
  lastBootstrapAt: number | null;
  tags: string[];
}

export interface Parameter {
  path: string;
  object: boolean;
  value: string | null;
  type: string | null;
  secret: boolean;
  writable: boolean | null;
  valueAt: number | null;
}

type DeviceReply = { device: DeviceRecord; parameters: Parameter[] };

const TABS = [
  ['summary', 'Summary'],
  ['parameters', 'Parameters'],
  ['tasks', 'Tasks'],
  ['faults', 'Faults'],
  ['events', 'Events'],
  ['sessions', 'Session traces'],
  ['uploads', 'Uploads'],
] as const;

const ROOTS = ['Device.', 'InternetGatewayDevice.'];

/**
 * Waits for a task's result: the live `task` event, then the task itself. `onUpdate` hears of a transfer the device
 * is still doing (awaiting) and of the end (done, failed, cancelled).
 */
function useTaskWatch(onUpdate: (t: TaskView) => void) {
  const watched = useRef(new Set<number>());
  const cb = useRef(onUpdate);
  cb.current = onUpdate;
  const fetchTask = async (id: number) => {
    try {
      const t = await api.get<TaskView>(`/api/v1/tasks/${id}`);
      if (FINISHED.has(t.state)) watched.current.delete(id);
      if (FINISHED.has(t.state) || t.state === 'awaiting') cb.current(t);
    } catch {
      // the next event tries again
    }
  };
  useLive('task', (e) => {
    if (watched.current.has(Number(e.taskId))) void fetchTask(Number(e.taskId));
  });
  return (id: number) => {
    watched.current.add(id);
    // In case the task finished before the event stream could tell (or the stream is down): one look later.
    setTimeout(() => {
      if (watched.current.has(id)) void fetchTask(id);
    }, 20_000);
  };
}

export function DevicePage({ id }: { id: string }) {
  const { search } = useLocation();
  const tab = search.get('tab') ?? 'summary';
  const [gone, setGone] = useState(false);
  const d = useAsync(async () => {
    const replies = await Promise.all(
      ROOTS.map((r) =>
        api.get<DeviceReply>(`/api/v1/devices/${enc(id)}`, { prefix: `${r}DeviceInfo.` }),
      ),
    );
    const withParams = replies.find((r) => r.parameters.length > 0) ?? replies[0]!;
    const root = ROOTS[replies.indexOf(withParams)] ?? 'Device.';
    const ms = await api.get<DeviceReply>(`/api/v1/devices/${enc(id)}`, {
      prefix: `${root}ManagementServer.`,
    });
    return { ...withParams, root, parameters: [...withParams.parameters, ...ms.parameters] };
  }, [id]);
  const reload = useThrottled(d.reload, 1000);
  useLive('device', (e) => {
    if (e.deviceId !== id) return;
    if (e.change === 'deleted') setGone(true);
    else reload();
  });

  const notFound = d.error !== null && d.data === undefined;
  return (
    <>
      <p class="crumbs">
        <Link href="/devices">← Devices</Link>
      </p>
      <h1 class="device-id">{id}</h1>
      {gone ? (
        <p class="error" role="alert">
          This device was deleted. What is shown is what was last read.
        </p>
      ) : null}
      <ErrorBox error={d.error} />
      <Loading when={d.loading && d.data === undefined} />
      {notFound ? null : (
        <>
          <div class="tabs" role="tablist" aria-label="Device sections">
            {TABS.map(([key, label]) => (
              <button
                key={key}
                type="button"
                role="tab"
                aria-selected={tab === key}
                class={tab === key ? 'tab active' : 'tab'}
                onClick={() => navigate(`/devices/${enc(id)}?tab=${key}`, true)}
              >
                {label}
              </button>
            ))}
          </div>
          <div role="tabpanel">
            {tab === 'summary' && d.data ? <Summary data={d.data} /> : null}
            {tab === 'parameters' && d.data ? <ParameterTree id={id} root={d.data.root} /> : null}
            {tab === 'tasks' && d.data ? <Tasks id={id} root={d.data.root} /> : null}
            {tab === 'faults' ? <Faults id={id} /> : null}
            {tab === 'events' ? <Events id={id} /> : null}
            {tab === 'sessions' ? <Sessions id={id} /> : null}
            {tab === 'uploads' ? <Uploads id={id} /> : null}
          </div>
        </>
      )}
    </>
  );
}

function Summary({ data }: { data: DeviceReply & { root: string } }) {
  const { device, parameters, root } = data;
  const p = (path: string) => parameters.find((x) => x.path === root + path)?.value ?? null;
  const rows: [string, string | null][] = [
    ['Manufacturer', device.manufacturer],
    ['OUI', device.oui],
    ['Product class', device.productClass],
    ['Serial number', device.serialNumber],
    ['Model', p('DeviceInfo.ModelName')],
    ['Software version', device.softwareVersion],
    ['Hardware version', device.hardwareVersion],
    ['Last inform', `${time(device.lastInformAt)} (${ago(device.lastInformAt)})`],
    ['First inform', time(device.firstInformAt)],
    ['Last boot', time(device.lastBootAt)],
    ['Last bootstrap', time(device.lastBootstrapAt)],
    ['Address', device.remoteAddress],
    ['Connection request URL', p('ManagementServer.ConnectionRequestURL')],
    ['Periodic inform interval', p('ManagementServer.PeriodicInformInterval')],
  ];
  return (
    <Section title="Summary">
      <dl class="summary">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v ?? '—'}</dd>
          </div>
        ))}
        <div>
          <dt>Tags</dt>
          <dd>
            {device.tags.length === 0
              ? '—'
              : device.tags.map((t) => (
                  <span class="tag" key={t}>
                    {t}
                  </span>
                ))}
          </dd>
        </div>
      </dl>
    </Section>
  );
}

/** The direct children of `prefix` among a subtree's parameters (objects found from deeper paths too). */
function childrenOf(
  prefix: string,
  params: Parameter[],
): { name: string; path: string; param?: Parameter }[] {
  const seen = new Map<string, { name: string; path: string; param?: Parameter }>();
  for (const p of params) {
    if (!p.path.startsWith(prefix) || p.path === prefix) continue;
    const rest = p.path.slice(prefix.length);
    const dot = rest.indexOf('.');
    const name = dot === -1 ? rest : rest.slice(0, dot + 1);
    const path = prefix + name;
    const entry = seen.get(path) ?? { name, path };
    if (p.path === path) entry.param = p;
    seen.set(path, entry);
  }
  return [...seen.values()].sort((a, b) => compareNames(a.name, b.name));
}

function compareNames(a: string, b: string): number {
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.localeCompare(b);
}

function ParameterTree({ id, root }: { id: string; root: string }) {
  const user = useUser();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const watch = useTaskWatch((t) => {
    if (t.state === 'done') setStatus(`Task ${t.id} (${t.type}) done.`);
    else if (t.state === 'awaiting') setStatus(`Task ${t.id} (${t.type}): the device is at it…`);
    else setError(`Task ${t.id} (${t.type}) ${t.state}${t.fault ? `: ${t.fault.message}` : ''}`);
    setVersion((v) => v + 1);
  });
  const run = async (body: unknown, what: string) => {
    setError(null);
    setStatus(`${what}: sending…`);
    try {
      const o = await api.post<TaskOutcome>(`/api/v1/devices/${enc(id)}/tasks`, body, {
        connectionRequest: true,
      });
      const cr = connectionRequestText(o);
      if (FINISHED.has(o.task.state)) {
        setStatus(`${what}: task ${o.task.id} ${o.task.state}.`);
        setVersion((v) => v + 1);
      } else {
        setStatus(
          `${what}: task ${o.task.id} queued${cr ? `, ${cr}` : ''}; waiting for the device…`,
        );
        watch(o.task.id);
      }
    } catch (e) {
      setStatus(null);
      setError(message(e));
    }
  };
  return (
    <Section
      title="Parameters"
      actions={
        can(user, 'operator') ? (
          <button
            type="button"
            class="secondary"
            onClick={() => run({ type: 'refresh', path: root }, 'Refresh')}
          >
            Re-read from device
          </button>
        ) : null
      }
    >
      <Notice text={status} />
      <ErrorBox error={error} />
      <div class="tree">
        <TreeNode id={id} path={root} name={root} depth={0} version={version} run={run} open />
      </div>
    </Section>
  );
}

function TreeNode({
  id,
  path,
  name,
  depth,
  param,
  version,
  run,
  open: initiallyOpen = false,
}: {
  id: string;
  path: string;
  name: string;
  depth: number;
  param?: Parameter;
  version: number;
  run: (body: unknown, what: string) => Promise<void>;
  open?: boolean;
}) {
  const user = useUser();
  const isObject = path.endsWith('.');
  const [open, setOpen] = useState(initiallyOpen);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const kids = useAsync(
    () =>
      open && isObject
        ? api
            .get<DeviceReply>(`/api/v1/devices/${enc(id)}`, { prefix: path })
            .then((r) => childrenOf(path, r.parameters))
        : Promise.resolve(undefined),
    [open, path, version],
  );
  const operator = can(user, 'operator');
  const instance = isObject && /^\d+\.$/.test(name);
  // A table: it has numbered instances, or the device said the object is writable (AddObject allowed).
  const table =
    isObject &&
    !instance &&
    ((kids.data ?? []).some((k) => /^\d+\.$/.test(k.name)) || param?.writable === true);

  if (!isObject) {
    const p = param;
    return (
      <div class="node leaf" data-depth={depth}>
        <span class="name">{name}</span>
        <span class="value" title={p?.secret ? 'write-only' : undefined}>
          {p?.secret ? '••••••' : (p?.value ?? '')}
        </span>
        <span class="type muted">{p?.type ?? ''}</span>
        <span class="rw muted">{p?.writable ? 'writable' : 'read-only'}</span>
        <span class="at muted">{p?.valueAt ? `read ${ago(p.valueAt)}` : 'never read'}</span>
        {operator && p?.writable ? (
          editing ? (
            <form
              class="edit"
              onSubmit={(e) => {
                e.preventDefault();
                setEditing(false);
                void run(
                  {
                    type: 'setParameterValues',
                    parameters: [{ name: path, value, ...(p.type ? { type: p.type } : {}) }],
                  },
                  `Set ${path}`,
                );
              }}
            >
              <label class="sr-only" for={`edit-${path}`}>
                New value for {path}
              </label>
              {p.secret ? (
                <input
                  id={`edit-${path}`}
                  type="password"
                  value={value}
                  onInput={(e) => setValue(e.currentTarget.value)}
                />
              ) : (
                <input
                  id={`edit-${path}`}
                  value={value}
                  onInput={(e) => setValue(e.currentTarget.value)}
                />
              )}
              <button type="submit">Set</button>
              <button type="button" class="secondary" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <button
              type="button"
              class="small secondary"
              aria-label={`Edit ${path}`}
              onClick={() => {
                setValue(p.secret ? '' : (p.value ?? ''));
                setEditing(true);
              }}
            >
              Edit
            </button>
          )
        ) : null}
      </div>
    );
  }

  return (
    <div class="node">
      <div class="node-head">
        <button
          type="button"
          class="toggle"
          aria-expanded={open}
          aria-label={`${open ? 'Collapse' : 'Expand'} ${path}`}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'} {name}
        </button>
        {operator && table ? (
          <button
            type="button"
            class="small secondary"
            onClick={() =>
              run({ type: 'addObject', objectName: path }, `Add an instance to ${path}`)
            }
          >
            Add instance
          </button>
        ) : null}
        {operator && instance ? (
          <button
            type="button"
            class="small danger"
            onClick={() => {
              if (confirm(`Delete ${path} on the device?`))
                void run({ type: 'deleteObject', objectName: path }, `Delete ${path}`);
            }}
          >
            Delete instance
          </button>
        ) : null}
      </div>
      {open ? (
        <div class="children">
          {kids.error ? <ErrorBox error={kids.error} /> : null}
          {kids.loading && kids.data === undefined ? <span class="muted">Loading…</span> : null}
          {kids.data?.length === 0 ? <span class="muted">(empty)</span> : null}
          {(kids.data ?? []).map((k) => (
            <TreeNode
              key={k.path}
              id={id}
              path={k.path}
              name={k.name}
              depth={depth + 1}
              version={version}
              run={run}
              {...(k.param ? { param: k.param } : {})}
            />
          ))}
        </div>
      ) : null}
    </div>
  );
}

function Tasks({ id, root }: { id: string; root: string }) {
  const user = useUser();
  const list = useAsync(
    () => api.get<{ tasks: TaskView[] }>('/api/v1/tasks', { deviceId: id, limit: 50 }),
    [id],
  );
  const refresh = useThrottled(list.reload, 500);
  useLive('task', (e) => {
    if (e.deviceId === id) refresh();
  });
  const [type, setType] = useState('refresh');
  const [body, setBody] = useState(() => template('refresh', root));
  const [cr, setCr] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [result, setResult] = useState<TaskView | null>(null);
  const watch = useTaskWatch((t) => {
    list.reload();
    setResult(t);
    setStatus(
      t.state === 'awaiting' ? `Task ${t.id}: the device is at it…` : `Task ${t.id} ${t.state}.`,
    );
  });
  const tasks = (list.data?.tasks ?? []).slice().sort((a, b) => b.id - a.id);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(body) as Record<string, unknown>;
    } catch {
      setError('The arguments are not valid JSON.');
      return;
    }
    try {
      const o = await api.post<TaskOutcome>(
        `/api/v1/devices/${enc(id)}/tasks`,
        { ...args, type },
        {
          connectionRequest: cr,
        },
      );
      const crText = connectionRequestText(o);
      if (FINISHED.has(o.task.state)) {
        setResult(o.task);
        setStatus(`Task ${o.task.id} ${o.task.state}.`);
      } else {
        setStatus(
          `Task ${o.task.id} queued${crText ? `, ${crText}` : ''}; waiting for its result…`,
        );
        watch(o.task.id);
      }
      list.reload();
    } catch (err) {
      setError(message(err));
    }
  };

  return (
    <>
      {can(user, 'operator') ? (
        <Section title="Run a task">
          <form onSubmit={submit} class="task-form">
            <Field label="Task type">
              <select
                value={type}
                onChange={(e) => {
                  setType(e.currentTarget.value);
                  setBody(template(e.currentTarget.value, root));
                }}
              >
                {Object.keys(TASK_TEMPLATES).map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Arguments (JSON)">
              <textarea
                rows={6}
                class="mono"
                value={body}
                onInput={(e) => setBody(e.currentTarget.value)}
              />
            </Field>
            <label class="check">
              <input
                type="checkbox"
                checked={cr}
                onChange={(e) => setCr(e.currentTarget.checked)}
              />{' '}
              Send a connection request (run it now)
            </label>
            <button type="submit">Run task</button>
          </form>
          <Notice text={status} />
          <ErrorBox error={error} />
          {result ? <TaskDetail task={result} /> : null}
        </Section>
      ) : null}
      <Section title="Recent tasks">
        <ErrorBox error={list.error} />
        <TaskTable tasks={tasks} onChanged={list.reload} />
      </Section>
    </>
  );
}

function template(type: string, root: string): string {
  return json(TASK_TEMPLATES[type] ?? {}).replaceAll('"Device.', `"${root}`);
}

function TaskDetail({ task }: { task: TaskView }) {
  return (
    <div class="task-detail">
      <p>
        Task {task.id} <StateBadge state={task.state} /> {task.type}
      </p>
      {task.fault ? (
        <p class="error">
          Fault {task.fault.code ?? ''} ({task.fault.source}): {task.fault.message}
        </p>
      ) : null}
      {task.result !== null && task.result !== undefined ? (
        <pre class="mono">{json(task.result)}</pre>
      ) : null}
    </div>
  );
}

function TaskTable({ tasks, onChanged }: { tasks: TaskView[]; onChanged: () => void }) {
  const user = useUser();
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (path: string) => {
    setError(null);
    try {
      await api.post(path);
      onChanged();
    } catch (e) {
      setError(message(e));
    }
  };
  if (tasks.length === 0) return <p class="muted">No tasks.</p>;
  return (
    <>
      <ErrorBox error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Type</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">By</th>
            <th scope="col">Fault</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <Fragment key={t.id}>
              <tr>
                <td>{t.id}</td>
                <td>{t.type}</td>
                <td>
                  <StateBadge state={t.state} />
                </td>
                <td>{time(t.createdAt)}</td>
                <td>{t.createdBy ?? ''}</td>
                <td>{t.fault ? `${t.fault.code ?? ''} ${t.fault.message}` : ''}</td>
                <td class="actions">
                  <button
                    type="button"
                    class="small secondary"
                    onClick={() => setOpen(open === t.id ? null : t.id)}
                  >
                    {open === t.id ? 'Hide' : 'Details'}
                  </button>
                  {can(user, 'operator') && (t.state === 'failed' || t.state === 'cancelled') ? (
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => act(`/api/v1/tasks/${t.id}/retry`)}
                    >
                      Retry
                    </button>
                  ) : null}
                  {can(user, 'operator') && ['pending', 'awaiting', 'failed'].includes(t.state) ? (
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => act(`/api/v1/tasks/${t.id}/cancel`)}
                    >
                      Cancel
                    </button>
                  ) : null}
                </td>
              </tr>
              {open === t.id ? (
                <tr>
                  <td colSpan={7}>
                    <p class="muted">Arguments</p>
                    <pre class="mono">{json(t.args)}</pre>
                    <TaskDetail task={t} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Faults({ id }: { id: string }) {
  const user = useUser();
  const list = useAsync(
    () => api.get<{ faults: TaskView[] }>('/api/v1/faults', { deviceId: id, limit: 100 }),
    [id],
  );
  const refresh = useThrottled(list.reload, 500);
  useLive('task', (e) => {
    if (e.deviceId === id) refresh();
  });
  const [error, setError] = useState<string | null>(null);
  const faults = list.data?.faults ?? [];
  return (
    <Section title="Faults">
      <ErrorBox error={list.error ?? error} />
      {faults.length === 0 && list.data ? <p class="muted">No faults.</p> : null}
      {faults.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Type</th>
              <th scope="col">Source</th>
              <th scope="col">Code</th>
              <th scope="col">Message</th>
              <th scope="col">At</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {faults.map((t) => (
              <tr key={t.id}>
                <td>{t.id}</td>
                <td>{t.type}</td>
                <td>{t.fault?.source ?? ''}</td>
                <td>{t.fault?.code ?? ''}</td>
                <td>{t.fault?.message ?? ''}</td>
                <td>{time(t.fault?.at)}</td>
                <td>
                  {can(user, 'operator') ? (
                    <button
                      type="button"
                      class="small secondary"
                      onClick={async () => {
                        try {
                          await api.del(`/api/v1/faults/${t.id}`);
                          list.reload();
                        } catch (e) {
                          setError(message(e));
                        }
                      }}
                    >
                      Clear
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

function Events({ id }: { id: string }) {
  const list = useAsync(
    () =>
      api.get<{ events: { code: string; commandKey: string; at: number }[] }>(
        `/api/v1/devices/${enc(id)}/events`,
        { limit: 200 },
      ),
    [id],
  );
  const refresh = useThrottled(list.reload, 1000);
  useLive('device', (e) => {
    if (e.deviceId === id && e.change === 'inform') refresh();
  });
  const events = list.data?.events ?? [];
  return (
    <Section title="Event history">
      <ErrorBox error={list.error} />
      {list.data && events.length === 0 ? <p class="muted">No events.</p> : null}
      {events.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Event</th>
              <th scope="col">CommandKey</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td>{time(e.at)}</td>
                <td>{e.code}</td>
                <td>{e.commandKey}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

interface TraceSession {
  sessionId: string;
  startedAt: number;
  lastAt: number;
  messages: number;
  bytes: number;
  truncated: boolean;
}
interface TraceMessage {
  seq: number;
  at: number;
  direction: 'cpe-to-acs' | 'acs-to-cpe';
  body: string;
  bytes: number;
  truncated: boolean;
  status?: number;
}

function Sessions({ id }: { id: string }) {
  const list = useAsync(
    () => api.get<{ sessions: TraceSession[] }>(`/api/v1/devices/${enc(id)}/sessions`),
    [id],
  );
  const [open, setOpen] = useState<string | null>(null);
  const refresh = useThrottled(list.reload, 2000);
  useLive('device', (e) => {
    if (e.deviceId === id && e.change === 'inform') refresh();
  });
  const sessions = list.data?.sessions ?? [];
  return (
    <Section title="Session traces">
      <ErrorBox error={list.error} />
      {list.data && sessions.length === 0 ? <p class="muted">No traced sessions.</p> : null}
      {sessions.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Messages</th>
              <th scope="col">Size</th>
              <th scope="col">Session</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.sessionId} class={open === s.sessionId ? 'selected' : ''}>
                <td>{time(s.startedAt)}</td>
                <td>{s.lastAt - s.startedAt} ms</td>
                <td>
                  {s.messages}
                  {s.truncated ? ' (truncated)' : ''}
                </td>
                <td>{bytes(s.bytes)}</td>
                <td>
                  <button
                    type="button"
                    class="small secondary"
                    aria-label={`Open session ${s.sessionId}`}
                    onClick={() => setOpen(open === s.sessionId ? null : s.sessionId)}
                  >
                    {open === s.sessionId ? 'Close' : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open !== null ? <Trace id={id} sessionId={open} /> : null}
    </Section>
  );
}

function Trace({ id, sessionId }: { id: string; sessionId: string }) {
  const t = useAsync(
    () =>
      api.get<{ session: TraceSession; messages: TraceMessage[] }>(
        `/api/v1/devices/${enc(id)}/sessions/${enc(sessionId)}`,
      ),
    [id, sessionId],
  );
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (t.data) ref.current?.focus();
  }, [t.data]);
  if (t.error) return <ErrorBox error={t.error} />;
  if (!t.data) return <Loading when />;
  const start = t.data.session.startedAt;
  let previous = start;
  return (
    <section class="trace" ref={ref} tabIndex={-1} aria-label={`Session ${sessionId}`}>
      <h3>Session {sessionId}</h3>
      <ol class="messages">
        {t.data.messages.map((m) => {
          const delta = m.at - previous;
          previous = m.at;
          return (
            <li key={m.seq} class={`message ${m.direction}`}>
              <div class="message-head">
                <strong>
                  {m.seq}. {m.direction === 'cpe-to-acs' ? 'CPE → ACS' : 'ACS → CPE'}{' '}
                  {rpcName(m.body)}
                </strong>
                <span class="muted">
                  {' '}
                  +{m.at - start} ms (Δ {delta} ms) · {bytes(m.bytes)}
                  {m.status !== undefined ? ` · HTTP ${m.status}` : ''}
                  {m.truncated ? ' · truncated' : ''}
                </span>
              </div>
              <pre class="mono xml">
                {m.body.trim() === '' ? '(empty HTTP body)' : prettyXml(m.body)}
              </pre>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Uploads({ id }: { id: string }) {
  const user = useUser();
  const list = useAsync(
    () =>
      api.get<{
        uploads: {
          id: string;
          fileType: string;
          name: string;
          size: number;
          sha256: string;
          receivedAt: number;
        }[];
      }>(`/api/v1/devices/${enc(id)}/uploads`),
    [id],
  );
  const [error, setError] = useState<string | null>(null);
  const uploads = list.data?.uploads ?? [];
  return (
    <Section title="Uploads">
      <ErrorBox error={list.error ?? error} />
      {list.data && uploads.length === 0 ? <p class="muted">Nothing uploaded.</p> : null}
      {uploads.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">File type</th>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => (
              <tr key={u.id}>
                <td>{time(u.receivedAt)}</td>
                <td>{u.fileType}</td>
                <td>{u.name}</td>
                <td>{bytes(u.size)}</td>
                <td class="actions">
                  {can(user, 'operator') ? (
                    <a
                      class="button small secondary"
                      href={`/api/v1/uploads/${u.id}/content`}
                      download={u.name}
                    >
                      Download
                    </a>
                  ) : null}
                  {can(user, 'operator') ? (
                    <button
                      type="button"
                      class="small danger"
                      onClick={async () => {
                        try {
                          await api.del(`/api/v1/uploads/${u.id}`);
                          list.reload();
                        } catch (e) {
                          setError(e instanceof ApiError ? e.message : message(e));
                        }
                      }}
                    >
                      Delete
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}
