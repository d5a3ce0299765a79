import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorBox, Field, Pager, Section } from '../components/ui.tsx';
import { json, time } from '../format.ts';
import { useAsync } from '../hooks.ts';

interface Entry {
  id: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  outcome: number | null;
  details: unknown;
}

const LIMIT = 100;

export function AuditPage() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [target, setTarget] = useState('');
  const [query, setQuery] = useState({ actor: '', action: '', target: '', offset: 0 });
  const [open, setOpen] = useState<number | null>(null);
  const list = useAsync(
    () =>
      api.get<{ entries: Entry[] }>('/api/v1/audit', {
        actor: query.actor || undefined,
        action: query.action || undefined,
        target: query.target || undefined,
        limit: LIMIT,
        offset: query.offset,
      }),
    [JSON.stringify(query)],
  );
  const entries = list.data?.entries ?? [];
  return (
    <>
      <h1>Audit log</h1>
      <form
        class="card row"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({
            actor: actor.trim(),
            action: action.trim(),
            target: target.trim(),
            offset: 0,
          });
        }}
      >
        <Field label="Actor" hint="exact, e.g. user:admin">
          <input value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
        </Field>
        <Field label="Action" hint="exact, e.g. PUT /api/v1/presets/:name">
          <input value={action} onInput={(e) => setAction(e.currentTarget.value)} />
        </Field>
        <Field label="Target">
          <input value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
        </Field>
        <button type="submit">Filter</button>
      </form>
      <ErrorBox error={list.error} />
      <Section title="Entries, newest first">
        <table>
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <Fragment key={e.id}>
                <tr>
                  <td>{time(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{e.action}</td>
                  <td class="wrap">{e.target ?? ''}</td>
                  <td>{e.outcome ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => setOpen(open === e.id ? null : e.id)}
                    >
                      {open === e.id ? 'Hide' : 'Show'}
                    </button>
                  </td>
                </tr>
                {open === e.id ? (
                  <tr>
                    <td colSpan={6}>
                      <pre class="mono">{json(e.details)}</pre>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
            {list.data && entries.length === 0 ? (
              <tr>
                <td colSpan={6} class="muted">
                  No entries.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <Pager
          offset={query.offset}
          limit={LIMIT}
          count={entries.length}
          onOffset={(offset) => setQuery({ ...query, offset })}
        />
      </Section>
    </>
  );
}
