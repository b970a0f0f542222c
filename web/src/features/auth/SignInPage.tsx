import { useEffect, useId, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { nameFromToken } from '../../app/session';
import { Button, Card } from '../../components/ui';
import { ErrorNotice, PageLoading } from '../../components/status';
import { demoToken, listDemoUsers, type DemoUser } from './dev-sign-in';

/**
 * Development and the embedded default list the demo users to sign in as; elsewhere the page takes
 * the platform's bearer token.
 */
export function SignInPage() {
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from;
  const [users, setUsers] = useState<DemoUser[] | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listDemoUsers().then(setUsers, () => setUsers(null));
  }, []);

  const enter = (token: string, name: string, events: DemoUser['events']) => {
    signIn({ token, name, events: events.map(({ id, name: eventName }) => ({ id, name: eventName })) });
    const deepLink = from && from !== '/' && from !== '/sign-in' ? from : null;
    const target = deepLink ?? (events.length === 1 ? `/events/${events[0]!.id}/revenue` : '/');
    navigate(target, { replace: true });
  };

  const signInAs = async (user: DemoUser) => {
    setError(null);
    try {
      enter(await demoToken(user.id), user.name, user.events);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1 className="sign-in-title">Organizer dashboard</h1>
      {users === undefined && <PageLoading />}
      {error && <ErrorNotice title="Could not sign in">{error}</ErrorNotice>}
      {users && (
        <Card title="Sign in as a demo user">
          <p className="muted">Development sign-in: this list does not exist in production.</p>
          <ul className="user-list">
            {users.map((user) => (
              <li key={user.id}>
                <button type="button" className="user-choice" onClick={() => void signInAs(user)}>
                  <span className="user-choice-name">{user.name}</span>
                  <span className="user-choice-meta">
                    {user.email} ·{' '}
                    {user.events.length > 0 ? `organizes ${user.events.map((event) => event.name).join(', ')}` : 'attendee'}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {users === null && <TokenForm onToken={(token) => enter(token, nameFromToken(token) ?? 'Signed in', [])} />}
    </main>
  );
}

function TokenForm({ onToken }: { onToken(token: string): void }) {
  const id = useId();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim().replace(/^Bearer\s+/i, '');
    if (trimmed) onToken(trimmed);
  };
  return (
    <Card title="Sign in with your platform token">
      <form onSubmit={submit} className="form">
        <div className="field">
          <label htmlFor={id}>Bearer token</label>
          <textarea id={id} rows={4} value={token} onChange={(event) => setToken(event.target.value)} autoComplete="off" />
        </div>
        <Button type="submit" variant="primary" disabled={!token.trim()}>
          Sign in
        </Button>
      </form>
    </Card>
  );
}
