import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** One tab of an event: its path under /events/:eventId, its label, and its page (loaded on demand). */
export interface EventPage {
  path: string;
  label: string;
  Component: LazyExoticComponent<ComponentType>;
}

/**
 * The event's pages, in tab order. Each page is its own chunk, so the first load carries only the
 * page opened. A feature adds its page here and nowhere else.
 */
export const EVENT_PAGES: readonly [EventPage, ...EventPage[]] = [
  { path: 'revenue', label: 'Revenue', Component: lazy(() => import('../features/revenue/RevenuePage')) },
  { path: 'upsells', label: 'Upsells', Component: lazy(() => import('../features/offers/OffersPage')) },
  { path: 'ads', label: 'Ads', Component: lazy(() => import('../features/ads/AdsPage')) },
  { path: 'waitlist', label: 'Waitlist', Component: lazy(() => import('../features/waitlist/WaitlistPage')) },
  { path: 'exports', label: 'Exports', Component: lazy(() => import('../features/exports/ExportsPage')) },
];
