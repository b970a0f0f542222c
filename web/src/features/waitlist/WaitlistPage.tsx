import { useEffect, useId, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { useEventId } from '../../app/EventLayout';
import { PageHeader } from '../../components/ui';
import { EmptyState, ErrorNotice, PageLoading } from '../../components/status';
import { WaitlistSessionsDocument } from '../../generated/graphql';
import { SessionWaitlist } from './SessionWaitlist';
import './waitlist.css';

const startFormat = new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * Waitlist management (issue 14, section 4): one session at a time, chosen here. The session,
 * page and search live in the address (`?session=…&page=2&q=…`), so a reload or a shared link
 * opens the same view.
 */
export default function WaitlistPage() {
  const eventId = useEventId();
  const [params, setParams] = useSearchParams();
  const sessions = useQuery(WaitlistSessionsDocument, { variables: { eventId } });
  const list = sessions.data?.event?.waitlistSessions ?? [];
  const sessionId = params.get('session') ?? list[0]?.id ?? null;
  const session = list.find((candidate) => candidate.id === sessionId);
  const page = Number(params.get('page') ?? '1') || 1;
  const search = params.get('q') ?? '';

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value === null || value === '') next.delete(key);
          else next.set(key, value);
        }
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title="Waitlist" description="People waiting for a seat, per session: send offers, change tiers and manage capacity." />
      {sessions.loading && !sessions.data && <PageLoading label="Loading sessions…" />}
      {sessions.error && <ErrorNotice title="The sessions could not be loaded.">{sessions.error.message}</ErrorNotice>}
      {sessions.data && list.length === 0 && <EmptyState title="This event has no sessions yet." />}
      {list.length > 0 && (
        <div className="wl-toolbar">
          <SessionPicker sessions={list} value={sessionId ?? ''} onChange={(id) => update({ session: id, page: null, q: null })} />
          <SearchBox key={sessionId} initial={search} onSearch={(q) => update({ q, page: null })} />
        </div>
      )}
      {sessionId && session && (
        <SessionWaitlist
          key={sessionId}
          sessionId={sessionId}
          sessionTitle={session.title}
          page={page}
          search={search}
          onPage={(next) => update({ page: next > 1 ? String(next) : null })}
        />
      )}
      {sessionId && sessions.data && !session && <ErrorNotice title="This session is not part of the event.">Pick one of the event&apos;s sessions above.</ErrorNotice>}
    </>
  );
}

function SessionPicker({ sessions, value, onChange }: { sessions: { id: string; title: string; startsAt: string }[]; value: string; onChange(id: string): void }) {
  const id = useId();
  return (
    <div className="field wl-session">
      <label htmlFor={id}>Session</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {sessions.map((session) => (
          <option key={session.id} value={session.id}>
            {session.title} · {startFormat.format(new Date(session.startsAt))}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Search by name or email, on the server: asked 300 ms after the last keystroke, or at once on Enter. */
function SearchBox({ initial, onSearch }: { initial: string; onSearch(q: string): void }) {
  const id = useId();
  const [text, setText] = useState(initial);
  useEffect(() => {
    if (text.trim() === initial) return;
    const timer = setTimeout(() => onSearch(text.trim()), 300);
    return () => clearTimeout(timer);
    // onSearch changes every render; the text is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);
  return (
    <form
      role="search"
      className="field wl-search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <label htmlFor={id}>Search by name or email</label>
      <input id={id} type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="e.g. Gus or @example.com" autoComplete="off" />
    </form>
  );
}
