import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, message } from '../../api.ts';
import { ErrorBox, Loading, Section } from '../../components/ui.tsx';
import { bytes, time } from '../../format.ts';
import { useAsync, useLive, useThrottled } from '../../hooks.ts';
import { can, useUser } from '../../session.ts';
import { prettyXml, rpcName } from '../../xml.ts';

export function Events({ id }: { id: string }) {
  const list = useAsync(
    () =>
      api.get<{ events: { code: string; commandKey: string; at: number }[] }>(
        `/api/v1/devices/${enc(id)}/events`,
        { limit: 200 },
      ),
    [id],
  );
  const refresh = useThrottled(list.reload, 1000);
  useLive('device', (e) => {
    if (e.deviceId === id && e.change === 'inform') refresh();
  });
  const events = list.data?.events ?? [];
  return (
    <Section title="Event history">
      <ErrorBox error={list.error} />
      {list.data && events.length === 0 ? <p class="muted">No events.</p> : null}
      {events.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Event</th>
              <th scope="col">CommandKey</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td>{time(e.at)}</td>
                <td>{e.code}</td>
                <td>{e.commandKey}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Section>
  );
}

interface TraceSession {
  sessionId: string;
  startedAt: number;
  lastAt: number;
  messages: number;
  bytes: number;
  truncated: boolean;
}
interface TraceMessage {
  seq: number;
  at: number;
  direction: 'cpe-to-acs' | 'acs-to-cpe';
  body: string;
  bytes: number;
  truncated: boolean;
  /** Of the response that carried an ACS → CPE message; null for the CPE's POSTs. */
  httpStatus: number | null;
}

export function Sessions({ id }: { id: string }) {
  const list = useAsync(
    () => api.get<{ sessions: TraceSession[] }>(`/api/v1/devices/${enc(id)}/sessions`),
    [id],
  );
  const [open, setOpen] = useState<string | null>(null);
  const refresh = useThrottled(list.reload, 2000);
  useLive('device', (e) => {
    if (e.deviceId === id && e.change === 'inform') refresh();
  });
  const sessions = list.data?.sessions ?? [];
  return (
    <Section title="Session traces">
      <ErrorBox error={list.error} />
      {list.data && sessions.length === 0 ? <p class="muted">No traced sessions.</p> : null}
      {sessions.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Messages</th>
              <th scope="col">Size</th>
              <th scope="col">Session</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.sessionId} class={open === s.sessionId ? 'selected' : ''}>
                <td>{time(s.startedAt)}</td>
                <td>{s.lastAt - s.startedAt} ms</td>
                <td>
                  {s.messages}
                  {s.truncated ? ' (truncated)' : ''}
                </td>
                <td>{bytes(s.bytes)}</td>
                <td>
                  <button
                    type="button"
                    class="small secondary"
                    aria-label={`Open session ${s.sessionId}`}
                    onClick={() => setOpen(open === s.sessionId ? null : s.sessionId)}
                  >
                    {open === s.sessionId ? 'Close' : 'Open'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open !== null ? <Trace id={id} sessionId={open} /> : null}
    </Section>
  );
}

function Trace({ id, sessionId }: { id: string; sessionId: string }) {
  const t = useAsync(
    () =>
      api.get<{ session: TraceSession; messages: TraceMessage[] }>(
        `/api/v1/devices/${enc(id)}/sessions/${enc(sessionId)}`,
      ),
    [id, sessionId],
  );
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (t.data) ref.current?.focus();
  }, [t.data]);
  if (t.error) return <ErrorBox error={t.error} />;
  if (!t.data) return <Loading when />;
  const start = t.data.session.startedAt;
  let previous = start;
  return (
    <section class="trace" ref={ref} tabIndex={-1} aria-label={`Session ${sessionId}`}>
      <h3>Session {sessionId}</h3>
      <ol class="messages">
        {t.data.messages.map((m) => {
          const delta = m.at - previous;
          previous = m.at;
          return (
            <li key={m.seq} class={`message ${m.direction}`}>
              <div class="message-head">
                <strong>
                  {m.seq}. {m.direction === 'cpe-to-acs' ? 'CPE → ACS' : 'ACS → CPE'}{' '}
                  {rpcName(m.body)}
                </strong>
                <span class="muted">
                  {' '}
                  +{m.at - start} ms (Δ {delta} ms) · {bytes(m.bytes)}
                  {m.httpStatus !== null ? ` · HTTP ${m.httpStatus}` : ''}
                  {m.truncated ? ' · truncated' : ''}
                </span>
              </div>
              <pre class="mono xml">
                {m.body.trim() === '' ? '(empty HTTP body)' : prettyXml(m.body)}
              </pre>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function Uploads({ id }: { id: string }) {
  const user = useUser();
  const list = useAsync(
    () =>
      api.get<{
        uploads: {
          id: string;
          fileType: string;
          name: string;
          size: number;
          sha256: string;
          receivedAt: number;
        }[];
      }>(`/api/v1/devices/${enc(id)}/uploads`),
    [id],
  );
  const [error, setError] = useState<string | null>(null);
  const uploads = list.data?.uploads ?? [];
  return (
    <Section title="Uploads">
      <ErrorBox error={list.error ?? error} />
      {list.data && uploads.length === 0 ? <p class="muted">Nothing uploaded.</p> : null}
      {uploads.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">File type</th>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((u) => (
              <tr key={u.id}>
                <td>{time(u.receivedAt)}</td>
                <td>{u.fileType}</td>
                <td>{u.name}</td>
                <td>{bytes(u.size)}</td>
                <td class="actions">
                  {can(user, 'operator') ? (
                    <a
                      class="button small secondary"
                      href={`/api/v1/uploads/${u.id}/content`}
                      download={u.name}
                    >
                      Download
                    </a>
                  ) : null}
                  {can(user, 'operator') ? (
                    <button
                      type="button"
                      class="small danger"
                      onClick={async () => {
                        try {
                          await api.del(`/api/v1/uploads/${u.id}`);
                          list.reload();
                        } catch (e) {
                          setError(message(e));
                        }
                      }}
                    >
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
  );
}
