import { json } from '../format.ts';

/** What a preset dry run answers (src/api/routes/provisioning.ts). */
export interface DryRun {
  deviceId: string;
  now: number;
  events: string[];
  matched: string[];
  invalidPresets: { name: string; field: string; reason: string }[];
  scripts: {
    preset: string;
    channel: string;
    ok: boolean;
    reason?: string;
    message?: string;
    logs: string[];
    declarations?: unknown;
  }[];
  plan: unknown;
  summary: string;
  /** What the data model refuses of the matching presets on this device. */
  modelProblems: { preset: string; field: string; message: string }[];
}

/** The plan a dry run found for one device, with what would fail on it. */
export function DryRunResult({ dry }: { dry: DryRun }) {
  return (
    <div class="dry-run" aria-live="polite">
      <h3>Plan for {dry.deviceId}</h3>
      <p>
        Matched presets: {dry.matched.length === 0 ? 'none' : dry.matched.join(', ')}
        {dry.events.length > 0 ? ` · last Inform events: ${dry.events.join(', ')}` : ''}
      </p>
      <pre class="mono summary-text">{dry.summary}</pre>
      {dry.invalidPresets.length > 0 ? (
        <ul class="error">
          {dry.invalidPresets.map((p) => (
            <li key={p.name}>
              {p.name}: {p.field} {p.reason}
            </li>
          ))}
        </ul>
      ) : null}
      {dry.modelProblems.length > 0 ? (
        <div class="error">
          <p>The device would refuse these declarations (its data model):</p>
          <ul>
            {dry.modelProblems.map((p) => (
              <li key={`${p.preset} ${p.field}`}>
                {p.preset}: {p.field}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {dry.scripts.map((s) => (
        <div key={`${s.preset}-${s.channel}`} class={s.ok ? 'notice' : 'error'}>
          <p>
            Script of {s.preset} ({s.channel}):{' '}
            {s.ok ? 'ok' : `failed: ${s.reason ?? ''} ${s.message ?? ''}`}
          </p>
          {s.logs.length > 0 ? <pre class="mono">{s.logs.join('\n')}</pre> : null}
        </div>
      ))}
      <details>
        <summary>The plan as JSON</summary>
        <pre class="mono">{json(dry.plan)}</pre>
      </details>
    </div>
  );
}

/** The script, in CodeMirror once it has loaded (a plain textarea until then, or if it cannot load). */
