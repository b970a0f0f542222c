import type { WaitlistChange, WaitlistChangeKind } from '../../kernel/contracts/live-channels';
import { LiveChannels } from '../../kernel/contracts/live-channels';
import type { QueueChanges, QueueMember } from './queue/queue';
import type { WaitlistServices } from './services';

/**
 * What a waitlist transaction must tell Redis once it has committed: the sorted-set changes and the
 * live WaitlistChange messages. Nothing here runs before the commit, so a rolled-back change is
 * never mirrored or announced.
 */
export class AfterCommit {
  private readonly queues = new Map<string, QueueChanges>();
  private readonly changes: WaitlistChange[] = [];

  enqueue(member: QueueMember): void {
    this.queueOf(member.sessionId).add.push(member);
  }

  dequeue(member: QueueMember): void {
    this.queueOf(member.sessionId).remove.push(member);
  }

  invalidate(sessionId: string): void {
    this.queueOf(sessionId).invalidate = true;
  }

  announce(sessionId: string, eventId: string, kind: WaitlistChangeKind): void {
    this.changes.push({ sessionId, eventId, kind, at: new Date().toISOString() });
  }

  /** Applies the mirror changes (awaited, so the caller reads its own write) and publishes the live changes. */
  async run(services: WaitlistServices): Promise<void> {
    await Promise.all([...this.queues].map(([sessionId, changes]) => services.queue.apply(sessionId, changes)));
    await Promise.all(this.changes.map((change) => services.live.publish(LiveChannels.waitlistSession(change.sessionId), change)));
  }

  private queueOf(sessionId: string): QueueChanges {
    let changes = this.queues.get(sessionId);
    if (!changes) {
      changes = { add: [], remove: [], invalidate: false };
      this.queues.set(sessionId, changes);
    }
    return changes;
  }
}
