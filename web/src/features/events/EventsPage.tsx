import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../../app/auth';
import { Button, Card } from '../../components/ui';

/** Where a signed-in person picks the event to manage: theirs when known, or any by id. */
export function EventsPage() {
  const { session, signOut } = useAuth();
  const navigate = useNavigate();
  const id = useId();
  const [eventId, setEventId] = useState('');
  const organizes = Boolean(session && session.events.length > 0);
  const go = (page: 'revenue' | 'shop') => {
    if (eventId.trim()) navigate(`/events/${encodeURIComponent(eventId.trim())}/${page}`);
  };
  // An attendee opens the event's offers; an organizer its dashboard (the offers stay one click away).
  const open = (event: FormEvent) => {
    event.preventDefault();
    go(organizes ? 'revenue' : 'shop');
  };
  return (
    <main className="sign-in" id="main">
      <div className="events-head">
        <h1 className="sign-in-title">Hello, {session?.name}</h1>
        <Button variant="ghost" onClick={signOut}>
          Sign out
        </Button>
      </div>
      {session && session.events.length > 0 && (
        <Card title="Your events">
          <ul className="user-list">
            {session.events.map((event) => (
              <li key={event.id}>
                <Link className="user-choice" to={`/events/${event.id}/revenue`}>
                  <span className="user-choice-name">{event.name}</span>
                  <span className="user-choice-meta">{event.id}</span>
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Open an event">
        <form className="inline-form" onSubmit={open}>
          <div className="field">
            <label htmlFor={id}>Event id</label>
            <input id={id} value={eventId} onChange={(event) => setEventId(event.target.value)} placeholder="ev-…" />
          </div>
          <Button type="submit" variant="primary" disabled={!eventId.trim()}>
            {organizes ? 'Open dashboard' : 'Browse offers'}
          </Button>
          {organizes && (
            <Button disabled={!eventId.trim()} onClick={() => go('shop')}>
              Browse offers
            </Button>
          )}
        </form>
      </Card>
    </main>
  );
}
