import { Link } from 'react-router';
import { useAuth } from './auth';
import { Button } from '../components/ui';

/** The bar above every signed-in page: what this app is (a link home), who is signed in, and sign out. */
export function TopBar({ title }: { title: string }) {
  const { session, signOut } = useAuth();
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to="/" className="brand">
          {title}
        </Link>
        <div className="topbar-user">
          <span className="user-name">{session?.name}</span>
          <Button variant="ghost" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
