// Every auditor read is recorded before the data leaves: an AuditAccessed event on the auditor's
// own audit subject. If the record cannot be written, the read fails rather than go unlogged.
import { AggregateRepository, type EventStore, uuidv7 } from '@blotter/eventstore';
import { type AuditEvent, isAuditEvent } from '@blotter/schemas';

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

  record(
    auditorId: string,
    resource: string,
    query: Record<string, string>,
    subjectUserId: string | null,
    correlationId: string,
  ): Promise<void> {
    const previous = this.tails.get(auditorId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.write(auditorId, resource, query, subjectUserId, correlationId));
    this.tails.set(auditorId, next);
    next
      .finally(() => {
        if (this.tails.get(auditorId) === next) this.tails.delete(auditorId);
      })
      .catch(() => {});
    return next;
  }

  private async write(
    auditorId: string,
    resource: string,
    query: Record<string, string>,
    subjectUserId: string | null,
    correlationId: string,
  ): Promise<void> {
    await this.repo.handle(
      this.store.subjects.audit(auditorId),
      { commitId: uuidv7(), aggregateId: auditorId, userId: auditorId, occurredAt: new Date().toISOString(), correlationId },
      () => [{ type: 'AuditAccessed', data: { auditorId, resource, query, subjectUserId } }],
    );
  }
}
