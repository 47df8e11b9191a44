// Appends to a user's account aggregate (venue keys stored or removed) through the repository, so
// concurrent changes for one user retry on the optimistic check instead of failing.
import { AggregateRepository, type EventStore, uuidv7 } from '@blotter/eventstore';
import { type AccountEvent, isAccountEvent } from '@blotter/schemas';

export class AccountLog {
  private readonly repo: AggregateRepository<number, AccountEvent>;

  constructor(private readonly store: EventStore) {
    // Only the sequence matters here; the state is a count of commits.
    this.repo = new AggregateRepository(
      store,
      { initialState: () => 0, evolve: (n) => n + 1, isEvent: isAccountEvent },
      { cacheSize: 10_000, maxAttempts: 10 },
    );
  }

  async append(userId: string, event: AccountEvent, correlationId: string): Promise<void> {
    await this.repo.handle(
      this.store.subjects.account(userId),
      { commitId: uuidv7(), aggregateId: userId, userId, occurredAt: new Date().toISOString(), correlationId },
      () => [event],
    );
  }
}
