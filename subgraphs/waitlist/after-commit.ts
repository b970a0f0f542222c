import type { EntityManager } from '@mikro-orm/postgresql';
import type { WaitlistChange, WaitlistChangeKind } from '../../kernel/live/live-events';
import { LiveChannels } from '../../kernel/live/live-events';
import { bumpLiveVersion, LiveVersionKeys } from '../../kernel/live/versions';
import type { QueueChanges, QueueMember } from './queue';
import type { WaitlistServices } from './services';

/**
 * What a waitlist transaction must tell Redis once it has committed: the sorted-set changes and the
 * live WaitlistChange messages. Nothing here runs before the commit, so a rolled-back change is
 * never mirrored or announced.
 */
export class AfterCommit {
  private readonly queues = new Map<string, QueueChanges>();
  private readonly changes = new Map<string, WaitlistChange>();

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
    const change = this.changes.get(sessionId);
    if (change) change.kinds.push(kind);
    else this.changes.set(sessionId, { sessionId, eventId, kinds: [kind], at: new Date().toISOString() });
  }

  /**
   * Inside the transaction, before it commits: gives each announced session its next live version
   * (sessions in id order, so two transactions never wait on each other's rows crosswise).
   */
  async version(tx: EntityManager): Promise<void> {
    for (const sessionId of [...this.changes.keys()].sort()) {
      this.changes.get(sessionId)!.version = await bumpLiveVersion(tx, LiveVersionKeys.waitlistSession(sessionId));
    }
  }

  /**
   * Applies the mirror changes (awaited, so the caller reads its own write) and publishes one live
   * message per session with everything the transaction changed on it.
   */
  async run(services: WaitlistServices): Promise<void> {
    await Promise.all([...this.queues].map(([sessionId, changes]) => services.queue.apply(sessionId, changes)));
    await Promise.all([...this.changes.values()].map((change) => services.live.publish(LiveChannels.waitlistSession(change.sessionId), change)));
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
