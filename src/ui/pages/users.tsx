import { useState } from 'preact/hooks';
import { api, enc, message } from '../api.ts';
import { ErrorBox, Field, Notice, Section } from '../components/ui.tsx';
import { time } from '../format.ts';
import { useAsync } from '../hooks.ts';
import { can, useUser } from '../session.ts';

interface UserRow {
  name: string;
  role: string;
  createdAt: number;
  lastLoginAt: number | null;
}
interface ApiKey {
  id: string;
  name: string;
  role: string;
  createdAt: number;
  createdBy: string | null;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

const ROLES = ['read-only', 'operator', 'admin'];

export function UsersPage() {
  const user = useUser();
  return (
    <>
      <h1>Users &amp; API keys</h1>
      <OwnPassword />
      {can(user, 'admin') ? (
        <>
          <Users />
          <ApiKeys />
        </>
      ) : null}
    </>
  );
}

function OwnPassword() {
  const user = useUser();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (user === null) return null;
  return (
    <Section title="Your password">
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          setNotice(null);
          if (password !== again) {
            setError('The two passwords differ.');
            return;
          }
          try {
            await api.put(`/api/v1/users/${enc(user.name)}/password`, {
              password,
              currentPassword: current,
            });
            setCurrent('');
            setPassword('');
            setAgain('');
            // A new password ends every session of the user, this one too.
            setNotice('Password changed: log in again with the new one.');
            setTimeout(() => location.assign('/'), 1500);
          } catch (err) {
            setError(message(err));
          }
        }}
      >
        <Field label="Current password">
          <input
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onInput={(e) => setCurrent(e.currentTarget.value)}
          />
        </Field>
        <Field label="New password">
          <input
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <Field label="New password again">
          <input
            type="password"
            autoComplete="new-password"
            required
            value={again}
            onInput={(e) => setAgain(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Change password</button>
      </form>
      <ErrorBox error={error} />
      <Notice text={notice} />
    </Section>
  );
}

function Users() {
  const me = useUser();
  const list = useAsync(() => api.get<{ users: UserRow[] }>('/api/v1/users'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState('operator');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const attempt = async (what: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await what();
      setNotice(done);
      list.reload();
    } catch (err) {
      setError(message(err));
    }
  };

  return (
    <Section title="Users">
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last login</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.users ?? []).map((u) => (
            <tr key={u.name}>
              <td>{u.name}</td>
              <td>
                <label class="sr-only" for={`role-${u.name}`}>
                  Role of {u.name}
                </label>
                <select
                  id={`role-${u.name}`}
                  value={u.role}
                  onChange={(e) => {
                    const r = e.currentTarget.value;
                    void attempt(
                      () => api.patch(`/api/v1/users/${enc(u.name)}`, { role: r }),
                      `${u.name} is now ${r}.`,
                    );
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td>{time(u.createdAt)}</td>
              <td>{time(u.lastLoginAt)}</td>
              <td class="actions">
                {u.name !== me?.name ? (
                  <button
                    type="button"
                    class="small secondary"
                    onClick={() => {
                      const p = prompt(`New password for ${u.name}:`);
                      if (p)
                        void attempt(
                          () => api.put(`/api/v1/users/${enc(u.name)}/password`, { password: p }),
                          `Password of ${u.name} set.`,
                        );
                    }}
                  >
                    Set password
                  </button>
                ) : (
                  <span class="muted small">yours: above</span>
                )}
                {u.name !== me?.name ? (
                  <button
                    type="button"
                    class="small danger"
                    onClick={() => {
                      if (confirm(`Remove user ${u.name}?`))
                        void attempt(
                          () => api.del(`/api/v1/users/${enc(u.name)}`),
                          `${u.name} removed.`,
                        );
                    }}
                  >
                    Remove
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="row below"
        aria-label="Add a user"
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            await api.post('/api/v1/users', { name: name.trim(), role, password });
            setName('');
            setPassword('');
          }, `User ${name.trim()} added.`);
        }}
      >
        <Field label="User name">
          <input
            name="new-user"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field label="Role">
          <select
            name="new-user-role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Password">
          <input
            name="new-user-password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Add user</button>
      </form>
      <ErrorBox error={error} />
      <Notice text={notice} />
    </Section>
  );
}

function ApiKeys() {
  const list = useAsync(() => api.get<{ keys: ApiKey[] }>('/api/v1/api-keys'), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState('read-only');
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Section title="API keys">
      <ErrorBox error={list.error ?? error} />
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.keys ?? []).map((k) => (
            <tr key={k.id}>
              <td class="mono">{k.id}</td>
              <td>{k.name}</td>
              <td>{k.role}</td>
              <td>
                {time(k.createdAt)}
                {k.createdBy ? ` by ${k.createdBy}` : ''}
              </td>
              <td>{time(k.lastUsedAt)}</td>
              <td>{k.expiresAt === null ? 'never' : time(k.expiresAt)}</td>
              <td>
                {k.revokedAt !== null ? (
                  `revoked ${time(k.revokedAt)}`
                ) : (
                  <button
                    type="button"
                    class="small danger"
                    onClick={async () => {
                      if (!confirm(`Revoke key ${k.name}? It stops working at once.`)) return;
                      try {
                        await api.del(`/api/v1/api-keys/${k.id}`);
                        list.reload();
                      } catch (err) {
                        setError(message(err));
                      }
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="row below"
        aria-label="Create an API key"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const r = await api.post<{ token: string }>('/api/v1/api-keys', {
              name: name.trim(),
              role,
            });
            setToken(r.token);
            setName('');
            list.reload();
          } catch (err) {
            setError(message(err));
          }
        }}
      >
        <Field label="Key name">
          <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">Create key</button>
      </form>
      {token ? (
        <div class="notice" role="status">
          <p>The new key's token — shown this once; keep it safe:</p>
          <code class="token">{token}</code>
          <button type="button" class="small secondary" onClick={() => setToken(null)}>
            Done
          </button>
        </div>
      ) : null}
    </Section>
  );
}
