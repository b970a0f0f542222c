import { Suspense, lazy, useEffect, useMemo } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { AuthProvider, useAuth } from './auth';
import { createDashboardClient } from './apollo';
import { DashboardClientContext } from './dashboard-client';
import { EventLayout } from './EventLayout';
import { ToastProvider } from '../components/toast';
import { PageLoading } from '../components/status';
import { SignInPage } from '../features/auth/SignInPage';
import { EventsPage } from '../features/events/EventsPage';
import { EVENT_PAGES } from './pages';

/** The attendee view of an event's offers: its own chunk, outside the organizer's tabs. */
const ShopPage = lazy(() => import('../features/shop/ShopPage'));

/** Routes that need a signed-in person: they get an Apollo client bound to that person's token. */
function SignedIn() {
  const { session } = useAuth();
  const location = useLocation();
  const token = session?.token;
  const client = useMemo(() => (token ? createDashboardClient(token) : null), [token]);
  useEffect(() => () => client?.dispose(), [client]);
  if (!client) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return (
    <DashboardClientContext.Provider value={client}>
      <ApolloProvider client={client.apollo}>
        <Routes>
          <Route index element={<EventsPage />} />
          <Route path="events/:eventId/shop" element={<ShopPage />} />
          <Route path="events/:eventId" element={<EventLayout />}>
            <Route index element={<Navigate to={EVENT_PAGES[0].path} replace />} />
            {EVENT_PAGES.map((page) => (
              <Route key={page.path} path={page.path} element={<page.Component />} />
            ))}
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ApolloProvider>
    </DashboardClientContext.Provider>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <ToastProvider>
          <Suspense fallback={<PageLoading />}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route path="/*" element={<SignedIn />} />
            </Routes>
          </Suspense>
        </ToastProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
