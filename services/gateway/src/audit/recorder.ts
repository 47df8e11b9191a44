// Every auditor read is recorded before the data leaves: an AuditAccessed event on the auditor's
// own audit subject, appended through the auditor's account scope like any other command. If the
// record cannot be written, the read fails rather than go unlogged.
import type { ScopeRepository } from '@blotter/eventstore';
import { uuidv7 } from '@blotter/eventstore';
import { type AccountState, recordAuditAccess } from '@blotter/orders';
import type { DomainEvent, Subjects } from '@blotter/schemas';

/** One auditor read: who, which route, with which parameters, whose data, in which request. */
export interface AuditRead {
  auditorId: string;
  resource: string;
  query: Record<string, string>;
  subjectUserId: string | null;
  correlationId: string;
}

export class AuditRecorder {
  constructor(
    private readonly accounts: ScopeRepository<AccountState, DomainEvent>,
    private readonly subjects: Subjects,
  ) {}

  /** Records one read; resolves once the AuditAccessed event is stored. */
  async record({ auditorId, resource, query, subjectUserId, correlationId }: AuditRead): Promise<void> {
    const command = { commandId: uuidv7(), userId: auditorId, at: new Date().toISOString(), resource, query, subjectUserId };
    const target = {
      subject: this.subjects.audit(auditorId),
      aggregateId: auditorId,
      commitId: command.commandId,
      occurredAt: command.at,
      correlationId,
    };
    await this.accounts.decide(auditorId, target, () => recordAuditAccess(command));
  }
}
