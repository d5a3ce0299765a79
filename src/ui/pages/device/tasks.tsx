import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api, enc, message } from '../../api.ts';
import { ErrorBox, Field, Notice, Section, StateBadge } from '../../components/ui.tsx';
import { json, time } from '../../format.ts';
import { useAsync, useLive, useThrottled } from '../../hooks.ts';
import { can, useUser } from '../../session.ts';
import {
  connectionRequestText,
  FINISHED,
  TASK_TEMPLATES,
  type TaskOutcome,
  type TaskView,
} from '../../tasks.ts';
import { useTaskWatch } from './watch.ts';

export function Tasks({ id, root }: { id: string; root: string }) {
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

export function Faults({ id }: { id: string }) {
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
