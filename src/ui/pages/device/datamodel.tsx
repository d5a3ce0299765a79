import { api, enc } from '../../api.ts';
import { ErrorBox, Loading, Section } from '../../components/ui.tsx';
import { useAsync } from '../../hooks.ts';

/** GET /api/v1/devices/{id}/datamodel (src/api/device-model-report.ts). */
interface ModelReport {
  root: string | null;
  model: string | null;
  items: number;
  counts: Record<string, number>;
  findings: { path: string; rule: string; message: string }[];
  truncated: boolean;
}

/** What the device gets wrong of its data model, from what the ACS has stored of its tree. */
export function DataModelReport({ id }: { id: string }) {
  const report = useAsync(() => api.get<ModelReport>(`/api/v1/devices/${enc(id)}/datamodel`), [id]);
  const r = report.data;
  return (
    <Section title="Data model">
      <ErrorBox error={report.error} />
      <Loading when={report.loading && r === undefined} />
      {r ? (
        <>
          <p>
            {r.model ?? 'No known model'} · {r.items} stored paths checked
            {r.items < 50
              ? ' (refresh the whole tree from the Parameters tab for a full check)'
              : ''}
          </p>
          {r.findings.length === 0 ? (
            <p class="notice">Nothing found wrong.</p>
          ) : (
            <>
              <p>
                {Object.entries(r.counts)
                  .map(([rule, n]) => `${rule}: ${n}`)
                  .join(' · ')}
                {r.truncated ? ` · the first ${r.findings.length} are listed` : ''}
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Path</th>
                    <th scope="col">Rule</th>
                    <th scope="col">What is wrong</th>
                  </tr>
                </thead>
                <tbody>
                  {r.findings.map((f) => (
                    <tr key={`${f.rule} ${f.path}`}>
                      <td class="mono">{f.path}</td>
                      <td>{f.rule}</td>
                      <td>{f.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      ) : null}
    </Section>
  );
}
