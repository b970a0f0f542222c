import { z } from 'zod';
import { configValues, defineConfigSection } from '../../kernel/config';

/** The analytics subgraph's settings: how often due report schedules are looked for (a report goes out at most this late). */
export const analyticsConfig = defineConfigSection(
  'analytics',
  z.object({ REPORT_SCHEDULE_TICK_MS: configValues.integer(50, 3_600_000, 60_000) }),
  (e) => ({ scheduleTickMs: e.REPORT_SCHEDULE_TICK_MS }),
);
