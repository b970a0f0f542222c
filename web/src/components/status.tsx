import type { ReactNode } from 'react';

export function PageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="page-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An error the person should read, announced when it appears. */
export function ErrorNotice({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="notice notice-error" role="alert">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
      {action}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

interface EventListStatusProps {
  /** What the page lists, plural and lower case ("offers"): names the load error. */
  what: string;
  /** The query's data: `event` is null when the event does not exist or the caller cannot see it. */
  data: { event?: unknown } | undefined;
  error: { message: string } | undefined;
  loading: boolean;
  count: number;
  /** Shown when the event has nothing to list yet. */
  empty: ReactNode;
  /** The list itself, shown once there is something in it. */
  children: ReactNode;
}

/**
 * The states of a page that lists one event's items: an event that is not available, a load error
 * (beside whatever part did load), the first load, nothing yet, or the list.
 */
export function EventListStatus({ what, data, error, loading, count, empty, children }: EventListStatusProps) {
  return (
    <>
      {data && data.event === null && !error && <ErrorNotice title="This event is not available">It does not exist or you cannot see it.</ErrorNotice>}
      {error && <ErrorNotice title={`Could not load the ${what}`}>{error.message}</ErrorNotice>}
      {loading && !data ? <PageLoading /> : count === 0 ? !error && Boolean(data?.event) && empty : children}
    </>
  );
}
