import { useState } from 'preact/hooks';
import { ApiError, api, enc, message } from '../api.ts';
import { ErrorBox, Field, Link, Loading, Notice, Pager } from '../components/ui.tsx';
import {
  DEVICE_FIELDS,
  deleteFilter,
  emptyRow,
  FIELD_OPS,
  needsValue,
  PARAMETER_OPS,
  type Row,
  savedFilters,
  saveFilter,
  TAG_OPS,
  toConditions,
} from '../filter.ts';
import { ago } from '../format.ts';
import { useAsync, useLive, useThrottled } from '../hooks.ts';
import { can, useUser } from '../session.ts';

export interface DeviceItem {
  id: string;
  manufacturer?: string;
  productClass?: string;
  serialNumber?: string;
  softwareVersion?: string | null;
  remoteAddress?: string | null;
  lastInformAt?: number;
  tags?: string[];
}

const LIMIT = 50;
const COLUMNS: { field: string; label: string }[] = [
  { field: 'id', label: 'Device' },
  { field: 'productClass', label: 'Product class' },
  { field: 'serialNumber', label: 'Serial' },
  { field: 'softwareVersion', label: 'Software' },
  { field: 'remoteAddress', label: 'Address' },
  { field: 'lastInformAt', label: 'Last inform' },
];
const STATE_KEY = 'corral.devicesQuery';

interface Query {
  rows: Row[];
  sort: string;
  order: 'asc' | 'desc';
  offset: number;
}

function initialQuery(): Query {
  try {
    const q = JSON.parse(sessionStorage.getItem(STATE_KEY) ?? 'null') as Query | null;
    if (q && Array.isArray(q.rows)) return q;
  } catch {
    // a fresh query
  }
  return { rows: [emptyRow()], sort: 'lastInformAt', order: 'desc', offset: 0 };
}

export function DevicesPage() {
  const user = useUser();
  const [draft, setDraft] = useState<Row[]>(() => initialQuery().rows);
  const [query, setQueryState] = useState<Query>(initialQuery);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [saved, setSaved] = useState(savedFilters);
  const [saveName, setSaveName] = useState('');
  const [tag, setTag] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const setQuery = (q: Query) => {
    sessionStorage.setItem(STATE_KEY, JSON.stringify(q));
    setQueryState(q);
  };

  const list = useAsync(() => {
    const filter = toConditions(query.rows);
    return api.get<{ devices: DeviceItem[]; total: number }>('/api/v1/devices', {
      filter: filter.length > 0 ? JSON.stringify(filter) : undefined,
      sort: query.sort,
      order: query.order,
      limit: LIMIT,
      offset: query.offset,
      fields: [
        'manufacturer',
        'productClass',
        'serialNumber',
        'softwareVersion',
        'remoteAddress',
        'lastInformAt',
      ],
    });
  }, [JSON.stringify(query)]);
  const tags = useAsync(
    () => api.get<{ tags: { tag: string; devices: number }[] }>('/api/v1/tags'),
    [],
  );
  const refresh = useThrottled(list.reload, 3000);
  useLive('device', (e) => {
    if (e.change !== 'inform' || list.data?.devices.some((d) => d.id === e.deviceId)) refresh();
  });

  const devices = list.data?.devices ?? [];
  const search = (e: Event) => {
    e.preventDefault();
    setSelected(new Set());
    setQuery({ ...query, rows: draft, offset: 0 });
  };
  const sortBy = (field: string) => {
    const order = query.sort === field && query.order === 'asc' ? 'desc' : 'asc';
    setQuery({ ...query, sort: field, order, offset: 0 });
  };
  const updateRow = (i: number, patch: Partial<Row>) => {
    setDraft(draft.map((r, j) => (j === i ? fixOp({ ...r, ...patch }) : r)));
  };

  const bulk = async (mode: 'add' | 'remove') => {
    setActionError(null);
    setNotice(null);
    const t = tag.trim();
    if (t === '' || selected.size === 0) return;
    const deviceIds = [...selected];
    try {
      let updated = 0;
      try {
        // The API takes 1000 devices a request.
        for (let i = 0; i < deviceIds.length; i += 1000) {
          const r = await api.post<{ updated: number }>('/api/v1/devices/tags', {
            deviceIds: deviceIds.slice(i, i + 1000),
            ...(mode === 'add' ? { add: [t] } : { remove: [t] }),
          });
          updated += r.updated;
        }
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404 && updated === 0)) throw e;
        // An API without the bulk route: one request per device.
        for (const id of deviceIds) {
          if (mode === 'add') await api.post(`/api/v1/devices/${enc(id)}/tags`, { tags: [t] });
          else await api.del(`/api/v1/devices/${enc(id)}/tags/${enc(t)}`);
        }
        updated = deviceIds.length;
      }
      setNotice(`Tag "${t}" ${mode === 'add' ? 'added to' : 'removed from'} ${updated} device(s).`);
      list.reload();
      tags.reload();
    } catch (e) {
      setActionError(message(e));
    }
  };

  const allSelected = devices.length > 0 && devices.every((d) => selected.has(d.id));

  return (
    <>
      <h1>Devices</h1>
      <form class="card filter" onSubmit={search} aria-label="Search devices">
        <fieldset>
          <legend>Conditions (all must hold)</legend>
          {draft.map((r, i) => (
            <div class="row" key={i}>
              <Field label="Kind">
                <select
                  value={r.kind}
                  onChange={(e) =>
                    updateRow(i, {
                      kind: e.currentTarget.value as Row['kind'],
                      name: e.currentTarget.value === 'field' ? 'productClass' : '',
                    })
                  }
                >
                  <option value="parameter">Parameter</option>
                  <option value="field">Field</option>
                  <option value="tag">Tag</option>
                </select>
              </Field>
              {r.kind === 'field' ? (
                <Field label="Field">
                  <select
                    value={r.name}
                    onChange={(e) => updateRow(i, { name: e.currentTarget.value })}
                  >
                    {DEVICE_FIELDS.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : (
                <Field label={r.kind === 'tag' ? 'Tag' : 'Parameter path'}>
                  <input
                    value={r.name}
                    placeholder={r.kind === 'tag' ? 'lab' : 'Device.DeviceInfo.SoftwareVersion'}
                    onInput={(e) => updateRow(i, { name: e.currentTarget.value })}
                  />
                </Field>
              )}
              <Field label="Operator">
                <select value={r.op} onChange={(e) => updateRow(i, { op: e.currentTarget.value })}>
                  {opsFor(r.kind).map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </Field>
              {needsValue(r.op) ? (
                <Field label="Value">
                  <input
                    value={r.value}
                    placeholder={r.op === 'in' ? 'a, b, c' : ''}
                    onInput={(e) => updateRow(i, { value: e.currentTarget.value })}
                  />
                </Field>
              ) : null}
              <button
                type="button"
                class="secondary"
                aria-label={`Remove condition ${i + 1}`}
                onClick={() =>
                  setDraft(draft.length === 1 ? [emptyRow()] : draft.filter((_, j) => j !== i))
                }
              >
                ✕
              </button>
            </div>
          ))}
        </fieldset>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setDraft([...draft, emptyRow()])}>
            + Condition
          </button>
          <button type="submit">Search</button>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setDraft([emptyRow()]);
              setQuery({ ...query, rows: [emptyRow()], offset: 0 });
            }}
          >
            Clear
          </button>
        </div>
        <div class="actions saved">
          <Field label="Save this filter as">
            <input value={saveName} onInput={(e) => setSaveName(e.currentTarget.value)} />
          </Field>
          <button
            type="button"
            class="secondary"
            disabled={saveName.trim() === ''}
            onClick={() => {
              saveFilter(saveName.trim(), draft);
              setSaved(savedFilters());
              setSaveName('');
            }}
          >
            Save filter
          </button>
          {(tags.data?.tags.length ?? 0) > 0 ? (
            <ul class="chips" aria-label="Tags in use">
              {tags.data!.tags.map((t) => (
                <li key={t.tag}>
                  <button
                    type="button"
                    class="link"
                    aria-label={`Devices tagged ${t.tag}`}
                    onClick={() => {
                      const rows: Row[] = [{ kind: 'tag', name: t.tag, op: 'has', value: '' }];
                      setDraft(rows);
                      setQuery({ ...query, rows, offset: 0 });
                    }}
                  >
                    #{t.tag}
                  </button>{' '}
                  <span class="muted small">{t.devices}</span>
                </li>
              ))}
            </ul>
          ) : null}
          {Object.keys(saved).length > 0 ? (
            <ul class="chips" aria-label="Saved filters">
              {Object.entries(saved).map(([name, rows]) => (
                <li key={name}>
                  <button
                    type="button"
                    class="link"
                    onClick={() => {
                      setDraft(rows);
                      setQuery({ ...query, rows, offset: 0 });
                    }}
                  >
                    {name}
                  </button>
                  <button
                    type="button"
                    class="link"
                    aria-label={`Delete saved filter ${name}`}
                    onClick={() => {
                      deleteFilter(name);
                      setSaved(savedFilters());
                    }}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </form>

      <ErrorBox error={list.error} />
      {can(user, 'operator') ? (
        <div class="card actions bulk">
          <span>{selected.size} selected</span>
          <Field label="Tag">
            <input value={tag} onInput={(e) => setTag(e.currentTarget.value)} />
          </Field>
          <button
            type="button"
            disabled={selected.size === 0 || tag.trim() === ''}
            onClick={() => bulk('add')}
          >
            Add tag
          </button>
          <button
            type="button"
            class="secondary"
            disabled={selected.size === 0 || tag.trim() === ''}
            onClick={() => bulk('remove')}
          >
            Remove tag
          </button>
          <Notice text={notice} />
          <ErrorBox error={actionError} />
        </div>
      ) : null}
      <Loading when={list.loading && list.data === undefined} />
      <table class="devices">
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all on this page"
                checked={allSelected}
                onChange={() => {
                  const next = new Set(selected);
                  for (const d of devices) allSelected ? next.delete(d.id) : next.add(d.id);
                  setSelected(next);
                }}
              />
            </th>
            {COLUMNS.map((c) => (
              <th
                scope="col"
                key={c.field}
                aria-sort={
                  query.sort === c.field
                    ? query.order === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
              >
                <button type="button" class="link" onClick={() => sortBy(c.field)}>
                  {c.label}
                  {query.sort === c.field ? (query.order === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>
            ))}
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${d.id}`}
                  checked={selected.has(d.id)}
                  onChange={() => {
                    const next = new Set(selected);
                    next.has(d.id) ? next.delete(d.id) : next.add(d.id);
                    setSelected(next);
                  }}
                />
              </td>
              <td>
                <Link href={`/devices/${enc(d.id)}`}>{d.id}</Link>
              </td>
              <td>{d.productClass ?? ''}</td>
              <td>{d.serialNumber ?? ''}</td>
              <td>{d.softwareVersion ?? ''}</td>
              <td>{d.remoteAddress ?? ''}</td>
              <td>{ago(d.lastInformAt)}</td>
              <td>
                {(d.tags ?? []).map((t) => (
                  <span class="tag" key={t}>
                    {t}
                  </span>
                ))}
              </td>
            </tr>
          ))}
          {list.data && devices.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length + 2} class="muted">
                No device matches.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager
        offset={query.offset}
        limit={LIMIT}
        total={list.data?.total}
        count={devices.length}
        onOffset={(offset) => setQuery({ ...query, offset })}
      />
    </>
  );
}

function opsFor(kind: Row['kind']): string[] {
  return kind === 'field' ? FIELD_OPS : kind === 'tag' ? TAG_OPS : PARAMETER_OPS;
}

function fixOp(r: Row): Row {
  return opsFor(r.kind).includes(r.op) ? r : { ...r, op: opsFor(r.kind)[0]! };
}
