// Whether trading is halted, as this gateway knows it: read from the control aggregate at start and
// followed live by a subscription to its subject (every JetStream append is also a core NATS
// message), so a halt reaches every gateway within milliseconds. Cancels never look at this.
import { AggregateRepository, decodeCommit, type EventStore, uuidv7 } from '@blotter/eventstore';
import { type ControlState, controlAggregate, haltTrading, resumeTrading } from '@blotter/orders';
import { type ControlEvent, SYSTEM_USER_ID } from '@blotter/schemas';
import type { Subscription } from 'nats';

export class TradingControl {
  private state: ControlState = controlAggregate.initialState();
  private sub: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly repo: AggregateRepository<ControlState, ControlEvent>;
  private readonly subject: string;

  constructor(private readonly store: EventStore) {
    this.repo = new AggregateRepository(store, controlAggregate);
    this.subject = store.subjects.control(SYSTEM_USER_ID);
  }

  async start(): Promise<void> {
    this.sub = this.store.nc.subscribe(this.subject, {
      callback: (err, msg) => {
        if (err) return;
        try {
          const commit = decodeCommit(0, msg.subject, new Date(), msg.data);
          for (const e of commit.events) if (controlAggregate.isEvent(e)) this.state = controlAggregate.evolve(this.state, e);
        } catch {
          // Not a control commit; the stream's consumers deal with poison messages.
        }
      },
    });
    this.state = (await this.repo.loadFresh(this.subject)).state;
    // A notice lost while disconnected is caught up by reading the aggregate again now and then.
    this.timer = setInterval(() => {
      this.repo.loadFresh(this.subject).then(
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
    const result = await this.repo.handle(
      this.subject,
      { commitId: uuidv7(), aggregateId: 'control', userId: SYSTEM_USER_ID, occurredAt: new Date().toISOString(), correlationId: by },
      decide,
    );
    this.state = result.state;
    return this.state;
  }
}
