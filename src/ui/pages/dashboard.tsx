import { useMemo } from 'preact/hooks';
import { api } from '../api.ts';
import { Chart } from '../components/chart.tsx';
import { ErrorBox, Link, Loading, Section, StateBadge } from '../components/ui.tsx';
import { useAsync, useLive, useThrottled } from '../hooks.ts';

interface Dashboard {
  devices: { total: number; seenRecently: number; recentWindowSeconds: number };
  informsPerMinute: { minute: number; count: number }[];
  sessionsInFlight: number;
  faultsByCode: { code: string | number | null; count: number }[];
  campaigns: { byState: Record<string, number> };
  connectionRequests: { sent: number; succeeded: number };
}

const SERIES = [{ label: 'Informs per minute', color: '#2f6fb0', bars: true }];

export function DashboardPage() {
  const d = useAsync(() => api.get<Dashboard>('/api/v1/dashboard'), []);
  const running = useAsync(
    () =>
      api.get<{ campaigns: { id: number; name: string; state: string }[] }>('/api/v1/campaigns', {
        state: ['running', 'paused'],
        limit: 10,
      }),
    [],
  );
  // Live: any Inform, task or campaign change refreshes the figures (at most every 2 s).
  const refresh = useThrottled(d.reload, 2000);
  useLive('device', refresh);
  useLive('task', refresh);
  useLive('campaign', () => {
    refresh();
    running.reload();
  });

  const data = d.data;
  const chart = useMemo(() => {
    const points = data?.informsPerMinute ?? [];
    return { x: points.map((p) => p.minute / 1000), ys: [points.map((p) => p.count)] };
  }, [data]);

  return (
    <>
      <h1>Dashboard</h1>
      <ErrorBox error={d.error} />
      <Loading when={d.loading && data === undefined} />
      {data ? (
        <>
          <div class="figures">
            <Figure
              label="Devices"
              value={data.devices.total}
              sub={`${data.devices.seenRecently} seen in the last ${minutes(data.devices.recentWindowSeconds)}`}
            />
            <Figure label="Sessions in flight" value={data.sessionsInFlight} />
            <Figure
              label="Running campaigns"
              value={data.campaigns.byState.running ?? 0}
              sub={Object.entries(data.campaigns.byState)
                .map(([s, n]) => `${n} ${s}`)
                .join(', ')}
            />
            <Figure
              label="Connection requests"
              value={
                data.connectionRequests.sent === 0
                  ? '—'
                  : `${Math.round((100 * data.connectionRequests.succeeded) / data.connectionRequests.sent)} %`
              }
              sub={`${data.connectionRequests.succeeded} of ${data.connectionRequests.sent} succeeded`}
            />
          </div>
          <Section title="Informs per minute (last hour)">
            <Chart
              x={chart.x}
              ys={chart.ys}
              series={SERIES}
              label="Informs per minute, last 60 minutes"
            />
          </Section>
          {running.data && running.data.campaigns.length > 0 ? (
            <Section title="Campaigns under way">
              <ul>
                {running.data.campaigns.map((c) => (
                  <li key={c.id}>
                    <Link href={`/campaigns/${c.id}`}>{c.name}</Link> <StateBadge state={c.state} />
                  </li>
                ))}
              </ul>
            </Section>
          ) : null}
          <Section title="Faults by code">
            {data.faultsByCode.length === 0 ? (
              <p class="muted">No faults.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Code</th>
                    <th scope="col">Tasks</th>
                  </tr>
                </thead>
                <tbody>
                  {data.faultsByCode.map((f) => (
                    <tr key={String(f.code)}>
                      <td>{f.code === null ? '(none)' : String(f.code)}</td>
                      <td>{f.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p>
              <Link href="/devices">Browse devices →</Link>
            </p>
          </Section>
        </>
      ) : null}
    </>
  );
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

function Figure({ label, value, sub }: { label: string; value: number | string; sub?: string }) {
  return (
    <div class="figure">
      <div class="figure-label">{label}</div>
      <div class="figure-value">{String(value)}</div>
      {sub ? <div class="figure-sub muted">{sub}</div> : null}
    </div>
  );
}
