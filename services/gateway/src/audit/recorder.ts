// Every auditor read is recorded before the data leaves: an AuditAccessed event on the auditor's
// own audit subject. If the record cannot be written, the read fails rather than go unlogged.
import { AggregateRepository, type EventStore, uuidv7 } from '@blotter/eventstore';
import { type AuditEvent, isAuditEvent } from '@blotter/schemas';

/** One auditor read: who, which route, with which parameters, whose data, in which request. */
export interface AuditRead {
  auditorId: string;
  resource: string;
  query: Record<string, string>;
  subjectUserId: string | null;
  correlationId: string;
}

export class AuditRecorder {
  private readonly repo: AggregateRepository<number, AuditEvent>;
  /** One auditor's records are written one after the other: parallel reads would only collide. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly store: EventStore) {
    // The state is just a count; reads by the same auditor on another gateway retry on the check.
    this.repo = new AggregateRepository(
      store,
      { initialState: () => 0, evolve: (n) => n + 1, isEvent: isAuditEvent },
      { cacheSize: 1000, maxAttempts: 10 },
    );
  }

  /** Records one read; resolves once the AuditAccessed event is stored. */
  record(read: AuditRead): Promise<void> {
    const previous = this.tails.get(read.auditorId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.write(read));
    this.tails.set(read.auditorId, next);
    next
      .finally(() => {
        if (this.tails.get(read.auditorId) === next) this.tails.delete(read.auditorId);
      })
      .catch(() => {});
    return next;
  }

  private async write({ auditorId, resource, query, subjectUserId, correlationId }: AuditRead): Promise<void> {
    await this.repo.handle(
      this.store.subjects.audit(auditorId),
      { commitId: uuidv7(), aggregateId: auditorId, userId: auditorId, occurredAt: new Date().toISOString(), correlationId },
      () => [{ type: 'AuditAccessed', data: { auditorId, resource, query, subjectUserId } }],
    );
  }
}
