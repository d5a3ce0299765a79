import { useState } from 'preact/hooks';
import { api, enc, message } from '../../api.ts';
import { ErrorBox, Notice, Section } from '../../components/ui.tsx';
import { ago } from '../../format.ts';
import { useAsync } from '../../hooks.ts';
import { can, useUser } from '../../session.ts';
import { connectionRequestText, FINISHED, type TaskOutcome } from '../../tasks.ts';
import type { Parameter } from './types.ts';
import { useTaskWatch } from './watch.ts';

/** One level of the tree, as GET /devices/{id}/children gives it (src/api/routes/devices.ts). */
interface Child {
  path: string;
  object: boolean;
  parameter: Parameter | null;
}

/** The children of `prefix`, named by their last segment, instances in numeric order. */
function named(
  prefix: string,
  children: Child[],
): { name: string; path: string; param?: Parameter }[] {
  return children
    .map((c) => ({
      name: c.path.slice(prefix.length),
      path: c.path,
      ...(c.parameter ? { param: c.parameter } : {}),
    }))
    .sort((a, b) => compareNames(a.name, b.name));
}

function compareNames(a: string, b: string): number {
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.localeCompare(b);
}

export function ParameterTree({ id, root }: { id: string; root: string }) {
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
            .get<{ children: Child[] }>(`/api/v1/devices/${enc(id)}/children`, { path })
            .then((r) => named(path, r.children))
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
