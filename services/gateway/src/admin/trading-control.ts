// Whether trading is halted, as this gateway knows it: read from the control aggregate at start and
// followed live by a subscription to its subject (every JetStream append is also a core NATS
// message), so a halt reaches every gateway within milliseconds. Cancels never look at this.
// Halts and resumes are decided like every other command: through a scope repository, here the
// system's scope (the nil user's subjects), under its optimistic-concurrency check.
import { decodeCommit, type EventStore, ScopeRepository, uuidv7 } from '@blotter/eventstore';
import { type ControlState, controlAggregate, haltTrading, resumeTrading } from '@blotter/orders';
import { type ControlEvent, type DomainEvent, SYSTEM_USER_ID } from '@blotter/schemas';
import type { Subscription } from 'nats';

export class TradingControl {
  private state: ControlState = controlAggregate.initialState();
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly repo: ScopeRepository<ControlState, DomainEvent>;
  private readonly subject: string;

  constructor(private readonly store: EventStore) {
    this.repo = new ScopeRepository(store, controlAggregate, { scopeOf: store.subjects.userEvents, cacheSize: 1 });
    this.subject = store.subjects.control(SYSTEM_USER_ID);
  }

  async start(): Promise<void> {
    this.sub = this.store.nc.subscribe(this.subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          const commit = decodeCommit(0, msg.subject, new Date(), msg.data);
          for (const e of commit.events) this.state = controlAggregate.evolve(this.state, e);
        } catch {
          // Not a control commit; the stream's consumers deal with poison messages.
        }
      },
    });
    this.state = (await this.repo.loadFresh(SYSTEM_USER_ID)).state;
    // A notice lost while disconnected is caught up by reading the aggregate again now and then.
    this.timer = setInterval(() => {
      this.repo.loadFresh(SYSTEM_USER_ID).then(
        (l) => {
          this.state = l.state;
        },
        () => {},
      );
    }, 10_000);
    this.timer.unref();
  }

  stop(): void {
    this.sub?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  get halted(): boolean {
    return this.state.halted;
  }

  status(): ControlState {
    return { ...this.state };
  }

  halt(by: string, reason: string): Promise<ControlState> {
    return this.apply(by, (s) => haltTrading(s, by, reason));
  }

  resume(by: string): Promise<ControlState> {
    return this.apply(by, (s) => resumeTrading(s, by));
  }

  private async apply(by: string, decide: (s: ControlState) => ControlEvent[]): Promise<ControlState> {
    const target = {
      subject: this.subject,
      aggregateId: 'control',
      commitId: uuidv7(),
      occurredAt: new Date().toISOString(),
      correlationId: by,
    };
    const result = await this.repo.decide(SYSTEM_USER_ID, target, decide);
    this.state = result.state;
    return this.state;
  }
}
