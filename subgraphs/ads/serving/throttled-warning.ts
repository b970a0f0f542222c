import type { Logger } from '../../../kernel/logger';

/**
 * A warning logged at most once per period, however often its cause repeats: a Redis outage seen by
 * every ad request must not flood the logs. Each warning says how many occurrences it stands for.
 */
export class ThrottledWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private occurrences = 0;

  constructor(
    private readonly logger: Logger,
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  note(message: string, fields: Record<string, unknown> = {}): void {
    this.occurrences += 1;
    const at = this.now();
    if (at - this.lastAt < this.everyMs) return;
    this.logger.warn({ ...fields, occurrences: this.occurrences, periodMs: this.everyMs }, message);
    this.lastAt = at;
    this.occurrences = 0;
  }
}
