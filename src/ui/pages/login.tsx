import { useState } from 'preact/hooks';
import { ApiError, api, message, type User } from '../api.ts';
import { ErrorBox, Notice } from '../components/ui.tsx';

export function LoginPage({
  onLogin,
  notice,
}: {
  onLogin: (s: { user: User | null; csrfToken: string }) => void;
  notice: string | null;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api.post<{ user: User; csrfToken: string }>('/api/v1/login', {
        username,
        password,
      });
      setPassword('');
      onLogin(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError('Wrong user name or password.');
      else if (err instanceof ApiError && err.status === 429)
        setError('Too many attempts: wait a minute, then try again.');
      else setError(message(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <form class="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Corral console</h1>
        <Notice text={notice} />
        <label class="field">
          <span class="label">User name</span>
          <input
            name="username"
            autoComplete="username"
            required
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span class="label">Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <p class="muted small">
          The first run of <code>corral serve</code> prints the <code>admin</code> user's password.
        </p>
      </form>
    </main>
  );
}
