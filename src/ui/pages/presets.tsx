import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, message } from '../api.ts';
import { ErrorBox, Field, Notice, Section } from '../components/ui.tsx';
import type { ScriptEditor } from '../editor.ts';
import { json, time } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { can, useUser } from '../session.ts';
import { type DryRun, DryRunResult } from './preset-dry-run.tsx';

interface Preset {
  name: string;
  definition: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  updatedBy: string | null;
}

interface Draft {
  name: string;
  weight: string;
  channel: string;
  precondition: string;
  declarations: string;
  software: string;
  script: string;
}

const EMPTY: Draft = {
  name: '',
  weight: '10',
  channel: '',
  precondition: '',
  declarations: json({
    values: [{ path: 'Device.ManagementServer.PeriodicInformInterval', value: 600 }],
  }),
  software: '',
  script: '',
};

function draftOf(p: Preset): Draft {
  const d = p.definition;
  const text = (v: unknown) => (v === undefined ? '' : json(v));
  return {
    name: p.name,
    weight: d.weight === undefined ? '' : String(d.weight),
    channel: typeof d.channel === 'string' ? d.channel : '',
    precondition: text(d.precondition),
    declarations: text(d.declarations),
    software: text(d.software),
    script: typeof d.script === 'string' ? d.script : '',
  };
}

/** The PUT body for a draft; throws naming the field whose JSON does not parse. */
function bodyOf(d: Draft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (d.weight.trim() !== '') body.weight = Number(d.weight);
  if (d.channel.trim() !== '') body.channel = d.channel.trim();
  for (const key of ['precondition', 'declarations', 'software'] as const) {
    if (d[key].trim() === '') continue;
    try {
      body[key] = JSON.parse(d[key]);
    } catch (e) {
      throw new Error(`${key} is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (d.script.trim() !== '') body.script = d.script;
  return body;
}

export function PresetsPage() {
  const user = useUser();
  const list = useAsync(() => api.get<{ presets: Preset[] }>('/api/v1/presets'), []);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deviceId, setDeviceId] = useState('');
  const [dry, setDry] = useState<DryRun | null>(null);
  const [dryError, setDryError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const devices = useAsync(
    () =>
      api.get<{ devices: { id: string }[] }>('/api/v1/devices', {
        limit: 100,
        fields: ['id'],
        tags: false,
      }),
    [],
  );

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const operator = can(user, 'operator');

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const body = bodyOf(draft);
      if (JSON.stringify(body).includes('"[redacted]"')) {
        throw new Error(
          'Give the secret values again: they read back as "[redacted]", and saving would store that instead.',
        );
      }
      await api.put(`/api/v1/presets/${enc(draft.name.trim())}`, body);
      setNotice(`Preset ${draft.name.trim()} saved.`);
      setEditing(draft.name.trim());
      list.reload();
    } catch (err) {
      setError(message(err));
    }
  };

  const dryRun = async () => {
    setDryError(null);
    setDry(null);
    setBusy(true);
    try {
      const preset = bodyOf(draft);
      const name = draft.name.trim();
      setDry(
        await api.post<DryRun>('/api/v1/presets/dry-run', {
          preset,
          deviceId: deviceId.trim(),
          // Under its name, it stands in for the stored preset of that name in the plan.
          ...(/^[A-Za-z0-9_.-]{1,128}$/.test(name) ? { name } : {}),
        }),
      );
    } catch (err) {
      setDryError(message(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (name: string) => {
    if (!confirm(`Delete preset ${name}?`)) return;
    try {
      await api.del(`/api/v1/presets/${enc(name)}`);
      if (editing === name) {
        setEditing(null);
        setDraft(EMPTY);
      }
      list.reload();
    } catch (err) {
      setError(message(err));
    }
  };

  const presets = list.data?.presets ?? [];
  return (
    <>
      <h1>Presets</h1>
      <ErrorBox error={list.error} />
      <Section
        title="Presets"
        actions={
          operator ? (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
                setDry(null);
              }}
            >
              New preset
            </button>
          ) : null
        }
      >
        {list.data && presets.length === 0 ? <p class="muted">No presets yet.</p> : null}
        {presets.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Weight</th>
                <th scope="col">Channel</th>
                <th scope="col">Updated</th>
                <th scope="col">By</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {presets.map((p) => (
                <tr key={p.name} class={editing === p.name ? 'selected' : ''}>
                  <td>{p.name}</td>
                  <td>{String(p.definition.weight ?? '')}</td>
                  <td>{String(p.definition.channel ?? '')}</td>
                  <td>{time(p.updatedAt)}</td>
                  <td>{p.updatedBy ?? ''}</td>
                  <td class="actions">
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => {
                        setEditing(p.name);
                        setDraft(draftOf(p));
                        setDry(null);
                      }}
                    >
                      Edit
                    </button>
                    {operator ? (
                      <button type="button" class="small danger" onClick={() => remove(p.name)}>
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

      <Section title={editing ? `Preset ${editing}` : 'New preset'}>
        <form onSubmit={save} class="preset-form">
          <div class="row">
            <Field label="Name">
              <input
                name="name"
                required
                placeholder="letters, digits, _ - ."
                pattern="[A-Za-z0-9_.\-]+"
                value={draft.name}
                onInput={(e) => set({ name: e.currentTarget.value })}
              />
            </Field>
            <Field label="Weight">
              <input
                name="weight"
                type="number"
                value={draft.weight}
                onInput={(e) => set({ weight: e.currentTarget.value })}
              />
            </Field>
            <Field label="Channel">
              <input
                name="channel"
                value={draft.channel}
                onInput={(e) => set({ channel: e.currentTarget.value })}
              />
            </Field>
          </div>
          <Field label="Precondition (JSON; empty: every device)">
            <textarea
              name="precondition"
              class="mono"
              rows={4}
              value={draft.precondition}
              onInput={(e) => set({ precondition: e.currentTarget.value })}
            />
          </Field>
          <Field label="Declarations (JSON)">
            <textarea
              name="declarations"
              class="mono"
              rows={8}
              value={draft.declarations}
              onInput={(e) => set({ declarations: e.currentTarget.value })}
            />
          </Field>
          <Field label="Software (JSON, optional: {&quot;version&quot;, &quot;fileId&quot;})">
            <textarea
              name="software"
              class="mono"
              rows={2}
              value={draft.software}
              onInput={(e) => set({ software: e.currentTarget.value })}
            />
          </Field>
          <ScriptField value={draft.script} onChange={(script) => set({ script })} />
          <ErrorBox error={error} />
          <Notice text={notice} />
          {operator ? <button type="submit">Save preset</button> : null}
        </form>
      </Section>

      <Section title="Dry run">
        <p class="muted">
          What this preset (as edited above, unsaved changes included) would do to one device now.
        </p>
        <div class="row">
          <Field label="Device">
            <input
              name="dry-run-device"
              class="wide"
              list="dry-run-devices"
              value={deviceId}
              onInput={(e) => setDeviceId(e.currentTarget.value)}
            />
          </Field>
          <datalist id="dry-run-devices">
            {(devices.data?.devices ?? []).map((d) => (
              <option key={d.id} value={d.id} />
            ))}
          </datalist>
          <button type="button" disabled={busy || deviceId.trim() === ''} onClick={dryRun}>
            {busy ? 'Running…' : 'Dry run'}
          </button>
        </div>
        <ErrorBox error={dryError} />
        {dry ? <DryRunResult dry={dry} /> : null}
      </Section>
    </>
  );
}

function ScriptField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<ScriptEditor | null>(null);
  const [failed, setFailed] = useState(false);
  const [ready, setReady] = useState(false);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    let cancelled = false;
    import('../editor.ts').then(
      ({ createEditor }) => {
        if (cancelled || box.current === null) return;
        editor.current = createEditor(
          box.current,
          value,
          (t) => change.current(t),
          'Script (JavaScript)',
        );
        setReady(true);
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
      editor.current?.destroy();
      editor.current = null;
    };
  }, []);

  useEffect(() => {
    if (editor.current && editor.current.get() !== value) editor.current.set(value);
  }, [value]);

  return (
    <div class="field">
      <span class="label" id="script-label">
        Script (JavaScript, optional)
      </span>
      {failed ? (
        <textarea
          class="mono"
          rows={8}
          aria-labelledby="script-label"
          value={value}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      ) : (
        <div class="editor" ref={box} data-ready={ready ? 'yes' : 'no'} />
      )}
    </div>
  );
}
