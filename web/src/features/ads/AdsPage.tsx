import { useMutation, useQuery } from '@apollo/client/react';
import { DashboardAdsDocument, DashboardCreateAdDocument, DashboardUpdateAdDocument, type AdRowFragment } from '../../generated/graphql';
import { useEventId } from '../../app/EventLayout';
import { Dialog } from '../../components/Dialog';
import { Badge, Button, Card, PageHeader } from '../../components/ui';
import { EmptyState, EventListStatus } from '../../components/status';
import { useEditDialog } from '../../lib/use-edit-dialog';
import { formatCount, formatDateTime, formatRatio } from '../../lib/format';
import { AdForm } from './AdForm';
import { emptyAd, toCreateAdInput, toLocalInput, toUpdateAdInput, type AdFormValues } from './ad-validation';

function formValues(ad: AdRowFragment): AdFormValues {
  return {
    name: ad.name,
    mediaUrl: ad.mediaUrl,
    clickUrl: ad.clickUrl,
    startsAt: toLocalInput(ad.startsAt),
    endsAt: toLocalInput(ad.endsAt),
    placements: ad.placements.join(', '),
    targetSessions: ad.targetSessions.join(', '),
    frequencyCap: ad.frequencyCap === null || ad.frequencyCap === undefined ? '' : String(ad.frequencyCap),
    aspectRatio: ad.aspectRatio ?? '',
    weight: String(ad.weight),
    isActive: ad.isActive,
  };
}

function schedule(ad: AdRowFragment): string {
  if (!ad.startsAt && !ad.endsAt) return 'Always';
  return `${formatDateTime(ad.startsAt)} – ${formatDateTime(ad.endsAt)}`;
}

/** Ads: the event's ads with their performance, and forms to create and edit them. */
export default function AdsPage() {
  const eventId = useEventId();
  const { data, loading, error } = useQuery(DashboardAdsDocument, {
    variables: { eventId },
    errorPolicy: 'all',
    // Another page may have cached this event as null (a failed subgraph nulls it): always ask again.
    fetchPolicy: 'cache-and-network',
  });
  const [createAd] = useMutation(DashboardCreateAdDocument, {
    update(cache, { data: created }) {
      if (!created) return;
      cache.updateQuery({ query: DashboardAdsDocument, variables: { eventId } }, (existing) =>
        existing?.event ? { event: { ...existing.event, ads: [...(existing.event.ads ?? []), created.createAd] } } : existing,
      );
    },
  });
  const [updateAd] = useMutation(DashboardUpdateAdDocument);
  const { editing, setEditing, close, save } = useEditDialog<AdRowFragment, AdFormValues>({
    create: (values) => createAd({ variables: { input: toCreateAdInput(eventId, values) } }),
    update: (row, values) => updateAd({ variables: { id: row.id, input: toUpdateAdInput(values) } }),
    savedTitle: (values, created) => `Ad “${values.name.trim()}” ${created ? 'created' : 'saved'}`,
  });

  const ads = data?.event?.ads ?? [];
  return (
    <>
      <PageHeader
        title="Ads"
        description="Sponsor creatives, where and when they show, and how they perform."
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            New ad
          </Button>
        }
      />
      <EventListStatus what="ads" data={data} error={error} loading={loading} count={ads.length} empty={<EmptyState title="No ads yet">Create one to fill the event’s placements.</EmptyState>}>
        <Card>
          <div className="table-wrap">
            <table className="responsive-table">
              <caption className="visually-hidden">Ads</caption>
              <thead>
                <tr>
                  <th scope="col">Ad</th>
                  <th scope="col">Status</th>
                  <th scope="col">Schedule</th>
                  <th scope="col" className="num">Impressions</th>
                  <th scope="col" className="num">Clicks</th>
                  <th scope="col" className="num">CTR</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {ads.map((ad) => (
                  <tr key={ad.id}>
                    <td className="cell-main">
                      <div className="cell-title">{ad.name}</div>
                      <div className="cell-sub">
                        {ad.placements.length > 0 ? ad.placements.join(', ') : 'No placement'}
                        {ad.aspectRatio ? ` · ${ad.aspectRatio}` : ''}
                        {ad.frequencyCap ? ` · ${ad.frequencyCap}/day per person` : ''}
                      </div>
                    </td>
                    <td data-label="Status">{ad.isActive ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Paused</Badge>}</td>
                    <td data-label="Schedule">{schedule(ad)}</td>
                    <td className="num" data-label="Impressions">{formatCount(ad.performance.impressions)}</td>
                    <td className="num" data-label="Clicks">{formatCount(ad.performance.clicks)}</td>
                    <td className="num" data-label="CTR">{formatRatio(ad.performance.ctr)}</td>
                    <td className="num">
                      <Button variant="ghost" onClick={() => setEditing(ad)} aria-label={`Edit ${ad.name}`}>
                        Edit
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </EventListStatus>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && close()} title={editing === 'new' ? 'New ad' : 'Edit ad'}>
        {editing && (
          <AdForm
            initial={editing === 'new' ? emptyAd : formValues(editing)}
            submitLabel={editing === 'new' ? 'Create ad' : 'Save changes'}
            onSubmit={save}
            onCancel={close}
          />
        )}
      </Dialog>
    </>
  );
}
