import { useState } from 'preact/hooks';
import { api, enc } from '../../api.ts';
import { ErrorBox, Link, Loading, Section } from '../../components/ui.tsx';
import { ago, time } from '../../format.ts';
import { useAsync, useLive, useThrottled } from '../../hooks.ts';
import { navigate, useLocation } from '../../router.ts';
import { DataModelReport } from './datamodel.tsx';
import { Events, Sessions, Uploads } from './history.tsx';
import { Faults, Tasks } from './tasks.tsx';
import { ParameterTree } from './tree.tsx';
import { type DeviceReply, ROOTS } from './types.ts';

const TABS = [
  ['summary', 'Summary'],
  ['parameters', 'Parameters'],
  ['tasks', 'Tasks'],
  ['faults', 'Faults'],
  ['events', 'Events'],
  ['sessions', 'Session traces'],
  ['uploads', 'Uploads'],
  ['datamodel', 'Data model'],
] as const;

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
            {tab === 'datamodel' ? <DataModelReport id={id} /> : null}
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
