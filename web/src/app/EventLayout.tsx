import { Suspense } from 'react';
import { NavLink, Outlet, useParams } from 'react-router';
import { useAuth } from './auth';
import { EVENT_PAGES } from './pages';
import { PageLoading } from '../components/status';
import { TopBar } from './TopBar';

/** The frame of an event's pages: the header, the event's tabs and the page. */
export function EventLayout() {
  const { eventId = '' } = useParams();
  const { session } = useAuth();
  const eventName = session?.events.find((event) => event.id === eventId)?.name ?? eventId;
  return (
    <div className="shell">
      <TopBar title="Organizer dashboard" />
      <div className="event-bar">
        <div className="event-bar-inner">
          <p className="event-name">
            <span className="visually-hidden">Event: </span>
            {eventName}
          </p>
          <nav aria-label="Event pages" className="tabs">
            {EVENT_PAGES.map((page) => (
              <NavLink key={page.path} to={page.path} className="tab">
                {page.label}
              </NavLink>
            ))}
          </nav>
        </div>
      </div>
      <main className="content" id="main">
        <Suspense fallback={<PageLoading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}

/** The event id of the page being shown. */
export function useEventId(): string {
  const { eventId } = useParams();
  if (!eventId) throw new Error('useEventId outside /events/:eventId');
  return eventId;
}
