/** A new firmware campaign: its name, file, target filter, stages, window and stop rules, created as a draft. */
import { useState } from 'preact/hooks';
import { api, message } from '../api.ts';
import { ErrorBox, Field, Section } from '../components/ui.tsx';
import { json } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { navigate } from '../router.ts';
import type { Campaign } from './campaigns.tsx';
import type { StoredFile } from './files.tsx';

export function CreateCampaign() {
  const files = useAsync(
    () =>
      api.get<{ files: StoredFile[] }>('/api/v1/files', {
        fileType: '1 Firmware Upgrade Image',
        limit: 500,
      }),
    [],
  );
  const [name, setName] = useState('');
  const [fileId, setFileId] = useState('');
  const [version, setVersion] = useState('');
  const [filter, setFilter] = useState(
    json([{ kind: 'field', field: 'productClass', op: 'eq', value: '' }]),
  );
  const [stages, setStages] = useState(json([{ devices: 1 }, { percent: 100 }]));
  const [concurrency, setConcurrency] = useState('10');
  const [timeout, setTimeoutSeconds] = useState('3600');
  const [maxFailures, setMaxFailures] = useState('');
  const [cr, setCr] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      let devicesFilter: unknown;
      let stageList: unknown;
      try {
        devicesFilter = JSON.parse(filter);
      } catch {
        throw new Error('The device filter is not valid JSON.');
      }
      try {
        stageList = JSON.parse(stages);
      } catch {
        throw new Error('The stages are not valid JSON.');
      }
      const body: Record<string, unknown> = {
        name: name.trim(),
        fileId: fileId || (files.data?.files[0]?.id ?? ''),
        softwareVersion: version.trim(),
        devices: { filter: devicesFilter },
        stages: stageList,
        concurrency: Number(concurrency),
        timeoutSeconds: Number(timeout),
        connectionRequest: cr,
      };
      if (maxFailures.trim() !== '') body.stopRules = { maxFailures: Number(maxFailures) };
      const r = await api.post<{ campaign: Campaign }>('/api/v1/campaigns', body);
      navigate(`/campaigns/${r.campaign.id}`);
    } catch (err) {
      setError(message(err));
    }
  };

  const firmware = files.data?.files ?? [];
  return (
    <Section title="New campaign">
      <form onSubmit={submit} class="campaign-form">
        <div class="row">
          <Field label="Name">
            <input
              name="name"
              required
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field label="Firmware file">
            <select
              name="fileId"
              required
              value={fileId}
              onChange={(e) => setFileId(e.currentTarget.value)}
            >
              <option value="">— choose —</option>
              {firmware.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Target software version" hint="success: the device comes back on it">
            <input
              name="softwareVersion"
              required
              value={version}
              onInput={(e) => setVersion(e.currentTarget.value)}
            />
          </Field>
        </div>
        <Field label="Devices: filter conditions (JSON, as the device list's filter)">
          <textarea
            name="filter"
            class="mono"
            rows={4}
            value={filter}
            onInput={(e) => setFilter(e.currentTarget.value)}
          />
        </Field>
        <Field label="Stages (JSON: {&quot;devices&quot;: n} or {&quot;percent&quot;: p})">
          <textarea
            name="stages"
            class="mono"
            rows={3}
            value={stages}
            onInput={(e) => setStages(e.currentTarget.value)}
          />
        </Field>
        <div class="row">
          <Field label="Concurrency">
            <input
              type="number"
              min={1}
              value={concurrency}
              onInput={(e) => setConcurrency(e.currentTarget.value)}
            />
          </Field>
          <Field label="Timeout (seconds)">
            <input
              type="number"
              min={1}
              value={timeout}
              onInput={(e) => setTimeoutSeconds(e.currentTarget.value)}
            />
          </Field>
          <Field label="Halt after failures" hint="empty: more than 10 % failed">
            <input
              type="number"
              min={0}
              value={maxFailures}
              onInput={(e) => setMaxFailures(e.currentTarget.value)}
            />
          </Field>
        </div>
        <label class="check">
          <input type="checkbox" checked={cr} onChange={(e) => setCr(e.currentTarget.checked)} />{' '}
          Connection request to each device started
        </label>
        <ErrorBox error={error} />
        <button type="submit">Create campaign (draft)</button>
      </form>
    </Section>
  );
}
