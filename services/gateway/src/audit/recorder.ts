// Every auditor read is recorded before the data leaves: an AuditAccessed event on the auditor's
// own audit subject. If the record cannot be written, the read fails rather than go unlogged.
import { AggregateRepository, type EventStore, uuidv7 } from '@blotter/eventstore';
import { type AuditEvent, isAuditEvent } from '@blotter/schemas';

export class AuditRecorder {
  private readonly repo: AggregateRepository<number, AuditEvent>;

  constructor(private readonly store: EventStore) {
    // The state is just a count: concurrent reads by one auditor retry on the optimistic check.
    this.repo = new AggregateRepository(
      store,
      { initialState: () => 0, evolve: (n) => n + 1, isEvent: isAuditEvent },
      { cacheSize: 1000, maxAttempts: 10 },
    );
  }

  async record(
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
