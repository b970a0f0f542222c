import { useId, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { AlertDialog } from 'radix-ui';
import {
  DashboardCreateReportScheduleDocument,
  DashboardDeleteReportScheduleDocument,
  DashboardReportSchedulesDocument,
  DashboardSendReportNowDocument,
  DashboardUpdateReportScheduleDocument,
  type ReportScheduleRowFragment,
} from '../../generated/graphql';
import { Dialog } from '../../components/Dialog';
import { Badge, Button, Card } from '../../components/ui';
import { EmptyState, ErrorNotice, PageLoading } from '../../components/status';
import { useToaster } from '../../components/toast';
import { serverFieldErrors } from '../../lib/graphql-errors';
import { ScheduleForm } from './ScheduleForm';
import { ScheduleDeliveries, deliveriesQuery } from './ScheduleDeliveries';
import { emptySchedule, scheduleValues, toCreateInput, toUpdateInput, type ScheduleFormValues } from './schedule-form';
import { describeSchedule, formatInZone, formatLabel, formatPeriod } from './schedule-text';
import './reports.css';

const errorText = (failure: unknown) => {
  const { fields, other } = serverFieldErrors(failure);
  return [...Object.values(fields), ...other].join(' ');
};

/** The Exports page's scheduled reports: the event's schedules, their deliveries, and the forms. */
export function ScheduledReports({ eventId }: { eventId: string }) {
  const toaster = useToaster();
  const schedulesQuery = { query: DashboardReportSchedulesDocument, variables: { eventId } };
  const { data, loading, error } = useQuery(DashboardReportSchedulesDocument, { variables: { eventId } });
  const [createSchedule] = useMutation(DashboardCreateReportScheduleDocument, {
    update(cache, { data: created }) {
      if (!created?.createReportSchedule) return;
      cache.updateQuery(schedulesQuery, (existing) =>
        existing ? { reportSchedules: [...(existing.reportSchedules ?? []), created.createReportSchedule!] } : existing,
      );
    },
  });
  const [updateSchedule] = useMutation(DashboardUpdateReportScheduleDocument);
  const [editing, setEditing] = useState<ReportScheduleRowFragment | 'new' | null>(null);

  const save = async (values: ScheduleFormValues) => {
    try {
      if (editing === 'new') await createSchedule({ variables: { eventId, input: toCreateInput(values) } });
      else if (editing) await updateSchedule({ variables: { id: editing.id, input: toUpdateInput(values) } });
      toaster.notify({ title: editing === 'new' ? 'Report scheduled' : 'Schedule saved' });
      setEditing(null);
      return { fields: {}, other: [] };
    } catch (failure) {
      return serverFieldErrors(failure);
    }
  };

  const schedules = data?.reportSchedules ?? [];
  return (
    <Card
      title="Scheduled reports"
      className="span-2"
      actions={
        <Button variant="primary" onClick={() => setEditing('new')}>
          New schedule
        </Button>
      }
    >
      <p className="muted schedules-intro">
        The same report by email, on a schedule. Each report covers the whole days since the one before, in the schedule’s time zone.
      </p>
      {error && <ErrorNotice title="Could not load the schedules">{error.message}</ErrorNotice>}
      {loading && !data ? (
        <PageLoading label="Loading schedules…" />
      ) : (
        !error &&
        (schedules.length === 0 ? (
          <EmptyState title="No scheduled reports">Schedule one to email the report every day, week or month.</EmptyState>
        ) : (
          <ul className="schedule-list">
            {schedules.map((schedule) => (
              <li key={schedule.id}>
                <ScheduleItem
                  schedule={schedule}
                  onEdit={() => setEditing(schedule)}
                  onDeleted={() => toaster.notify({ title: `Deleted “${describeSchedule(schedule)}”` })}
                  onError={(title, failure) => toaster.notify({ title, description: errorText(failure), tone: 'error' })}
                  onNotify={(title) => toaster.notify({ title })}
                />
              </li>
            ))}
          </ul>
        ))
      )}
      <Dialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        title={editing === 'new' ? 'New scheduled report' : 'Edit scheduled report'}
      >
        {editing && (
          <ScheduleForm
            initial={editing === 'new' ? emptySchedule() : scheduleValues(editing)}
            submitLabel={editing === 'new' ? 'Create schedule' : 'Save changes'}
            onSubmit={save}
            onCancel={() => setEditing(null)}
          />
        )}
      </Dialog>
    </Card>
  );
}

function ScheduleItem({
  schedule,
  onEdit,
  onDeleted,
  onError,
  onNotify,
}: {
  schedule: ReportScheduleRowFragment;
  onEdit(): void;
  onDeleted(): void;
  onError(title: string, failure: unknown): void;
  onNotify(title: string): void;
}) {
  const headingId = useId();
  const label = describeSchedule(schedule);
  const [setActive, { loading: switching }] = useMutation(DashboardUpdateReportScheduleDocument);
  const [sendNow, { loading: sending }] = useMutation(DashboardSendReportNowDocument, {
    update(cache, { data: sent }) {
      if (!sent?.sendReportNow) return;
      cache.updateQuery(deliveriesQuery(schedule.id), (existing) =>
        existing ? { reportDeliveries: [sent.sendReportNow!, ...(existing.reportDeliveries ?? [])] } : existing,
      );
    },
  });
  const [remove, { loading: deleting }] = useMutation(DashboardDeleteReportScheduleDocument, {
    update(cache, { data: deleted }) {
      if (!deleted?.deleteReportSchedule) return;
      cache.updateQuery({ query: DashboardReportSchedulesDocument, variables: { eventId: schedule.eventId } }, (existing) =>
        existing ? { reportSchedules: (existing.reportSchedules ?? []).filter((row) => row.id !== schedule.id) } : existing,
      );
      cache.evict({ id: cache.identify(schedule) });
      cache.gc();
    },
  });

  const toggle = async () => {
    try {
      await setActive({ variables: { id: schedule.id, input: { isActive: !schedule.isActive } } });
      onNotify(schedule.isActive ? `Paused “${label}”` : `Resumed “${label}”`);
    } catch (failure) {
      onError(schedule.isActive ? 'Could not pause the schedule' : 'Could not resume the schedule', failure);
    }
  };
  const send = async () => {
    try {
      const { data } = await sendNow({ variables: { scheduleId: schedule.id } });
      const delivery = data?.sendReportNow;
      if (delivery?.status === 'FAILED') onError('The report could not be sent', new Error(delivery.failureReason ?? 'No reason was recorded.'));
      else if (delivery) onNotify(`Sending the report for ${formatPeriod(delivery.period)}`);
    } catch (failure) {
      onError('Could not send the report', failure);
    }
  };
  const confirmDelete = async () => {
    try {
      await remove({ variables: { id: schedule.id } });
      onDeleted();
    } catch (failure) {
      onError('Could not delete the schedule', failure);
    }
  };

  return (
    <article className="schedule" aria-labelledby={headingId}>
      <header className="schedule-head">
        <div className="schedule-name">
          <h3 id={headingId} className="schedule-title">
            {label}
          </h3>
          {schedule.isActive ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Paused</Badge>}
        </div>
        <div className="schedule-actions">
          <Button variant="primary" onClick={() => void send()} disabled={sending}>
            {sending ? 'Sending…' : 'Send now'}
          </Button>
          <Button onClick={onEdit}>Edit</Button>
          <Button onClick={() => void toggle()} disabled={switching}>
            {schedule.isActive ? 'Pause' : 'Resume'}
          </Button>
          <AlertDialog.Root>
            <AlertDialog.Trigger asChild>
              <Button variant="danger" disabled={deleting}>
                Delete
              </Button>
            </AlertDialog.Trigger>
            <AlertDialog.Portal>
              <AlertDialog.Overlay className="dialog-overlay" />
              <AlertDialog.Content className="dialog-content schedule-confirm">
                <AlertDialog.Title className="dialog-title">Delete “{label}”?</AlertDialog.Title>
                <AlertDialog.Description className="dialog-description">
                  No more reports go to its {schedule.recipients.length === 1 ? 'recipient' : `${schedule.recipients.length} recipients`}, and its
                  delivery history is deleted with it. This cannot be undone.
                </AlertDialog.Description>
                <div className="form-actions">
                  <AlertDialog.Cancel asChild>
                    <Button>Keep it</Button>
                  </AlertDialog.Cancel>
                  <AlertDialog.Action asChild>
                    <Button variant="danger" onClick={() => void confirmDelete()}>
                      Delete schedule
                    </Button>
                  </AlertDialog.Action>
                </div>
              </AlertDialog.Content>
            </AlertDialog.Portal>
          </AlertDialog.Root>
        </div>
      </header>
      <dl className="schedule-facts">
        <div>
          <dt>Next report</dt>
          <dd>{schedule.nextRunAt ? formatInZone(schedule.nextRunAt, schedule.timeZone) : 'None while paused'}</dd>
        </div>
        <div>
          <dt>Covering</dt>
          <dd>{schedule.nextPeriod ? formatPeriod(schedule.nextPeriod) : '—'}</dd>
        </div>
        <div>
          <dt>Time zone</dt>
          <dd>{schedule.timeZone.replaceAll('_', ' ')}</dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>{formatLabel(schedule.format)}</dd>
        </div>
        <div className="schedule-recipients">
          <dt>Recipients</dt>
          <dd>
            <ul>
              {schedule.recipients.map((recipient) => (
                <li key={recipient}>{recipient}</li>
              ))}
            </ul>
          </dd>
        </div>
      </dl>
      <ScheduleDeliveries scheduleId={schedule.id} label={label} />
    </article>
  );
}
