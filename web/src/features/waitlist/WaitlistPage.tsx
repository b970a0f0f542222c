import { PageHeader } from '../../components/ui';
import { EmptyState } from '../../components/status';

/**
 * The waitlist management page (issue 14, section 4) is built in this folder by its own change:
 * its documents go in `waitlist.graphql` here (codegen and the schema check pick up every
 * `web/src/features/<feature>/*.graphql`), the route is already in `app/pages.ts`.
 */
export default function WaitlistPage() {
  return (
    <>
      <PageHeader title="Waitlist" description="Per-session waitlists, offers and capacity." />
      <EmptyState title="Waitlist management is not in this build yet.">
        <p>Sessions, entries and live updates will appear here.</p>
      </EmptyState>
    </>
  );
}
