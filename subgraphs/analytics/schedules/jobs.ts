import type { Disposable } from '../../../kernel/events/bus';
import type { Runtime } from '../../../kernel/runtime';
import { startScheduler } from '../../../kernel/jobs/scheduler';
import { analyticsConfig } from '../config';
import { runReportSchedules } from './delivery-runner';
import { prepareReportsTopic } from './reports-topic';

/** The BullMQ queue of scheduled reports (one job scheduler, whatever the number of replicas). */
export const REPORTS_QUEUE = 'analytics-reports';

/**
 * Runs the report schedules every `REPORT_SCHEDULE_TICK_MS`: on real Redis as a BullMQ job
 * scheduler, so each tick runs on one replica (and the database's row locks and unique periods keep
 * even overlapping ticks from sending a period twice); on the embedded default with a timer.
 */
export async function startReportScheduling(runtime: Runtime): Promise<Disposable[]> {
  const logger = runtime.logger.child({ subgraph: 'analytics', component: 'report-schedules' });
  const topic = await prepareReportsTopic(
    runtime.config.kafka.brokers,
    runtime.config.kafka.clientId,
    runtime.config.kafka.topicPartitions,
    logger,
  );
  const scheduler = await startScheduler({
    redis: runtime.config.redis,
    queueName: REPORTS_QUEUE,
    jobs: [{ name: 'run-report-schedules', everyMs: analyticsConfig.of(runtime.config).scheduleTickMs, run: () => runReportSchedules(runtime.orm.em, logger) }],
    logger,
  });
  return [scheduler, topic];
}
