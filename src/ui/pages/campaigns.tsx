import { useMemo, useState } from 'preact/hooks';
import { api, enc, message } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { ErrorBox, Link, Notice, Pager, Section, StateBadge } from '../components/ui.tsx';
import { json, time } from '../format.ts';
import { useAsync, useLive, useThrottled } from '../hooks.ts';
import { can, useUser } from '../session.ts';
import { CreateCampaign } from './campaign-create.tsx';

export interface Campaign {
  id: number;
  name: string;
  state: string;
  stateReason: string | null;
  definition: Record<string, unknown>;
  createdAt: number;
  createdBy: string;
  approvedAt: number | null;
  approvedBy: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

type Counts = Record<string, number>;
interface Progress {
  total: number;
  counts: Counts;
  stages: { stage: number; total: number; counts: Counts }[];
  currentStage: number | null;
}
interface CampaignDevice {
  deviceId: string;
  position: number;
  stage: number | null;
  state: string;
  taskId: number | null;
  transfer: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  reason: string | null;
  detail: unknown;
}

const DEVICE_STATES = ['succeeded', 'failed', 'in-progress', 'pending', 'skipped', 'cancelled'];
const COLORS: Record<string, string> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  'in-progress': '#1565c0',
  pending: '#9e9e9e',
  skipped: '#8d6e63',
  cancelled: '#6a1b9a',
};

export function CampaignsPage() {
  const user = useUser();
  const list = useAsync(
    () => api.get<{ campaigns: Campaign[] }>('/api/v1/campaigns', { limit: 200 }),
    [],
  );
  const refresh = useThrottled(list.reload, 1000);
  useLive('campaign', refresh);
  const campaigns = list.data?.campaigns ?? [];
  return (
    <>
      <h1>Campaigns</h1>
      <ErrorBox error={list.error} />
      <Section title="Firmware campaigns">
        {list.data && campaigns.length === 0 ? <p class="muted">No campaigns yet.</p> : null}
        {campaigns.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Approved by</th>
              </tr>
            </thead>
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>
                    <Link href={`/campaigns/${c.id}`}>{c.name}</Link>
                  </td>
                  <td>
                    <StateBadge state={c.state} />
                  </td>
                  <td>
                    {time(c.createdAt)} by {c.createdBy}
                  </td>
                  <td>{c.approvedBy ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>
      {can(user, 'operator') ? <CreateCampaign /> : null}
    </>
  );
}

const ACTIONS: { action: string; label: string; states: string[]; role: 'operator' | 'admin' }[] = [
  { action: 'approve', label: 'Approve', states: ['draft'], role: 'admin' },
  { action: 'start', label: 'Start', states: ['approved'], role: 'operator' },
  { action: 'pause', label: 'Pause', states: ['running'], role: 'operator' },
  { action: 'resume', label: 'Resume', states: ['paused'], role: 'operator' },
  {
    action: 'abort',
    label: 'Abort',
    states: ['draft', 'approved', 'running', 'paused'],
    role: 'operator',
  },
];

export function CampaignPage({ id }: { id: string }) {
  const user = useUser();
  const c = useAsync(
    () => api.get<{ campaign: Campaign; progress: Progress }>(`/api/v1/campaigns/${enc(id)}`),
    [id],
  );
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const devices = useAsync(
    () =>
      api.get<{ devices: CampaignDevice[] }>(`/api/v1/campaigns/${enc(id)}/devices`, {
        limit: 100,
        offset,
      }),
    [id, offset],
  );
  const reloadAll = () => {
    c.reload();
    devices.reload();
  };
  const refresh = useThrottled(reloadAll, 1000);
  useLive('campaign', (e) => {
    if (String(e.campaignId) !== id) return;
    setNotice(null);
    refresh();
  });
  // Each device's task moving is progress too.
  useLive('task', (e) => {
    if (devices.data?.devices.some((d) => d.deviceId === e.deviceId)) refresh();
  });

  const act = async (action: string) => {
    setError(null);
    setNotice(null);
    if (action === 'abort' && !confirm('Abort this campaign?')) return;
    try {
      const r = await api.post<{ campaign: Campaign }>(`/api/v1/campaigns/${enc(id)}/${action}`);
      setNotice(`Campaign ${r.campaign.state}.`);
      reloadAll();
    } catch (err) {
      setError(message(err));
    }
  };

  const progress = c.data?.progress;
  // Stacked bars, one per stage: each state's bar reaches the sum of it and the states below it, drawn tallest first.
  const chart = useMemo(() => {
    const stages = progress?.stages ?? [];
    const running = stages.map(() => 0);
    const stacked = DEVICE_STATES.map((st) =>
      stages.map((s, i) => {
        running[i] = (running[i] ?? 0) + (s.counts[st] ?? 0);
        return running[i]!;
      }),
    );
    return { x: stages.map((s) => s.stage + 1), ys: stacked.reverse() };
  }, [progress]);
  const series = useMemo(
    () =>
      [...DEVICE_STATES]
        .reverse()
        .map((s) => ({ label: s, color: COLORS[s]!, bars: true, solid: true })),
    [],
  );

  if (c.error && !c.data) return <ErrorBox error={c.error} />;
  const campaign = c.data?.campaign;
  if (!campaign || !progress) return <p class="muted">Loading…</p>;
  const done =
    (progress.counts.succeeded ?? 0) +
    (progress.counts.failed ?? 0) +
    (progress.counts.skipped ?? 0) +
    (progress.counts.cancelled ?? 0);
  return (
    <>
      <p class="crumbs">
        <Link href="/campaigns">← Campaigns</Link>
      </p>
      <h1>
        {campaign.name} <StateBadge state={campaign.state} />
      </h1>
      {campaign.stateReason ? <p class="error">{campaign.stateReason}</p> : null}
      <div class="actions">
        {ACTIONS.filter((a) => a.states.includes(campaign.state) && can(user, a.role)).map((a) => (
          <button
            key={a.action}
            type="button"
            class={a.action === 'abort' ? 'danger' : ''}
            onClick={() => act(a.action)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {campaign.state === 'draft' ? (
        <p class="muted">
          A draft must be approved by an admin other than its creator ({campaign.createdBy}) before
          it can start.
        </p>
      ) : null}
      <ErrorBox error={error} />
      <Notice text={notice} />
      <Section title="Progress">
        <p>
          <label>
            {done} of {progress.total} devices finished
            {progress.currentStage !== null
              ? ` · stage ${progress.currentStage + 1} under way`
              : ''}
            <progress class="wide" max={progress.total || 1} value={done} />
          </label>
        </p>
        <p class="counts">
          {DEVICE_STATES.map((s) => (
            <span key={s} class={`badge state-${s}`}>
              {s}: {progress.counts[s] ?? 0}
            </span>
          ))}
        </p>
        {progress.stages.length > 0 ? (
          <>
            <Chart
              x={chart.x}
              ys={chart.ys}
              series={series}
              time={false}
              label="Devices per stage by outcome"
            />
            <table>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Devices</th>
                  {DEVICE_STATES.map((s) => (
                    <th scope="col" key={s}>
                      {s}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {progress.stages.map((s) => (
                  <tr key={s.stage}>
                    <td>{s.stage + 1}</td>
                    <td>{s.total}</td>
                    {DEVICE_STATES.map((st) => (
                      <td key={st}>{s.counts[st] ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p class="muted">The device set is resolved when the campaign starts.</p>
        )}
      </Section>
      <Section title="Devices">
        <ErrorBox error={devices.error} />
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Device</th>
              <th scope="col">Stage</th>
              <th scope="col">State</th>
              <th scope="col">Transfer</th>
              <th scope="col">Started</th>
              <th scope="col">Finished</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {(devices.data?.devices ?? []).map((d) => (
              <tr key={d.deviceId}>
                <td>{d.position}</td>
                <td>
                  <Link href={`/devices/${enc(d.deviceId)}`}>{d.deviceId}</Link>
                </td>
                <td>{d.stage === null ? '' : d.stage + 1}</td>
                <td>
                  <StateBadge state={d.state} />
                </td>
                <td>{d.transfer ?? ''}</td>
                <td>{time(d.startedAt)}</td>
                <td>{time(d.finishedAt)}</td>
                <td>
                  {d.reason ?? ''}
                  {d.detail !== null && d.detail !== undefined ? ` ${json(d.detail)}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager
          offset={offset}
          limit={100}
          total={progress.total}
          count={devices.data?.devices.length ?? 0}
          onOffset={setOffset}
        />
      </Section>
      <Section title="Definition">
        <p class="muted">
          Created {time(campaign.createdAt)} by {campaign.createdBy}
          {campaign.approvedBy
            ? ` · approved ${time(campaign.approvedAt)} by ${campaign.approvedBy}`
            : ''}
          {campaign.startedAt ? ` · started ${time(campaign.startedAt)}` : ''}
          {campaign.finishedAt ? ` · finished ${time(campaign.finishedAt)}` : ''}
        </p>
        <pre class="mono">{json(campaign.definition)}</pre>
      </Section>
    </>
  );
}
