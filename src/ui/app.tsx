import { useEffect, useState } from 'preact/hooks';
import {
  ApiError,
  api,
  message,
  setCsrfToken,
  setUnauthenticatedHandler,
  type User,
} from './api.ts';
import { Link } from './components/ui.tsx';
import { connectEvents, disconnectEvents, type LiveStatus, onStatus } from './events.ts';
import { AuditPage } from './pages/audit.tsx';
import { CampaignPage, CampaignsPage } from './pages/campaigns.tsx';
import { DashboardPage } from './pages/dashboard.tsx';
import { DevicePage } from './pages/device/index.tsx';
import { DevicesPage } from './pages/devices.tsx';
import { FilesPage } from './pages/files.tsx';
import { LoginPage } from './pages/login.tsx';
import { PresetsPage } from './pages/presets.tsx';
import { UsersPage } from './pages/users.tsx';
import { match, navigate, useLocation } from './router.ts';
import { can, setUser, useUser } from './session.ts';

interface SessionReply {
  user: User | null;
  csrfToken: string;
}

const NAV: { href: string; label: string; admin?: boolean }[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/devices', label: 'Devices' },
  { href: '/presets', label: 'Presets' },
  { href: '/files', label: 'Files' },
  { href: '/campaigns', label: 'Campaigns' },
  { href: '/audit', label: 'Audit log', admin: true },
  { href: '/users', label: 'Users & API keys', admin: true },
];

export function App() {
  const user = useUser();
  const [checked, setChecked] = useState(false);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      if (user !== null) setExpired(true);
      signedOut();
    });
  }, [user]);

  useEffect(() => {
    api
      .get<SessionReply>('/api/v1/session')
      .then(signedIn, () => signedOut())
      .finally(() => setChecked(true));
  }, []);

  if (!checked) return <p class="muted boot">Loading…</p>;
  if (user === null) {
    return (
      <LoginPage
        notice={expired ? 'Your session has ended: log in again.' : null}
        onLogin={(s) => {
          setExpired(false);
          signedIn(s);
        }}
      />
    );
  }
  return <Shell user={user} />;
}

function signedIn(s: SessionReply): void {
  // An API key's session (no console user) is no login for the console.
  if (s.user === null || !s.csrfToken) {
    signedOut();
    return;
  }
  setCsrfToken(s.csrfToken);
  setUser(s.user);
  connectEvents();
  if (location.pathname === '/login') navigate('/', true);
}

function signedOut(): void {
  setCsrfToken('');
  disconnectEvents();
  setUser(null);
}

function Shell({ user }: { user: User }) {
  const { path } = useLocation();
  const [live, setLive] = useState<LiveStatus>('offline');
  const [logoutError, setLogoutError] = useState<string | null>(null);
  useEffect(() => onStatus(setLive), []);

  const logout = async () => {
    try {
      await api.post('/api/v1/logout');
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) {
        setLogoutError(message(e));
        return;
      }
    }
    signedOut();
    navigate('/', true);
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Corral</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter((n) => !n.admin || can(user, 'admin')).map((n) => (
              <li key={n.href}>
                <Link href={n.href} aria-current={isCurrent(n.href, path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <span class={`live live-${live}`} title="Live updates" role="status">
          {live === 'live' ? '● live' : live === 'connecting' ? '○ connecting' : '○ offline'}
        </span>
        <span class="who">
          {user.name} <span class="muted">({user.role})</span>
        </span>
        <button type="button" class="secondary" onClick={logout}>
          Log out
        </button>
      </header>
      {logoutError ? (
        <p class="error" role="alert">
          {logoutError}
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Page path={path} />
      </main>
    </>
  );
}

function isCurrent(href: string, path: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/login') return <DashboardPage />;
  if (path === '/devices') return <DevicesPage />;
  let m = match('/devices/:id', path);
  if (m) return <DevicePage id={m.id!} />;
  if (path === '/presets') return <PresetsPage />;
  if (path === '/files') return <FilesPage />;
  if (path === '/campaigns') return <CampaignsPage />;
  m = match('/campaigns/:id', path);
  if (m) return <CampaignPage id={m.id!} />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/users') return <UsersPage />;
  return (
    <section class="card">
      <h1>Not found</h1>
      <p>
        There is no page here. <Link href="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}
