// The alert evaluator: watches the market's tickers and every user's active alerts, and records
// AlertTriggered when a price reaches an alert. It keeps no state of its own that matters:
//
// - The active alerts come from the stream, not from a read model: on start it follows every alert
//   subject (`<ns>.evt.*.*.alert.*`) from the beginning, folding the same evolveAlert the deciders
//   use, and keeps following, so a restart rebuilds exactly the set it had (plus what changed).
// - A trigger is a command decided by the alert aggregate on the user's fresh scope and appended
//   with the scope's last sequence (ScopeRepository): if a second evaluator, a restart or a cancel
//   got there first, the append conflicts, the decision is taken again on the state that includes
//   the other event, and it decides nothing. The commit id is fixed per alert too, so even a
//   retried append is stored once. An alert therefore triggers exactly once, whoever evaluates.
//
// Prices arrive on the core-NATS ticker subjects the market feed publishes, so the evaluator can
// run next to any feed (it runs inside the market feed process: see docs/ARCHITECTURE.md).
import { type EventStore, type Follower, follow, ScopeRepository, type Logger } from '@blotter/eventstore';
import { type AlertsState, alertsAggregate, crosses, evolveAlert, triggerAlert } from '@blotter/orders';
import { type Alert, type DomainEvent, Ticker } from '@blotter/schemas';
import type { NatsConnection, Subscription } from 'nats';
import { Compile } from 'typebox/compile';

const TickerCheck = Compile(Ticker);
const decoder = new TextDecoder();

export interface EvaluatorOptions {
  store: EventStore;
  nc: NatsConnection;
  log: Logger;
  /** A repository to decide with (tests share one between two evaluators or give each its own). */
  repo?: ScopeRepository<AlertsState, DomainEvent>;
}

export interface EvaluatorStats {
  /** Triggers this evaluator appended. */
  triggered: number;
  /** Triggers it attempted that found the alert already closed (another evaluator, a cancel). */
  lost: number;
}

export class AlertEvaluator {
  /** Active alerts by symbol, then id: what a ticker is checked against. */
  private readonly active = new Map<string, Map<string, Alert>>();
  /** The same alerts by id, as the events left them (a closed alert is forgotten). */
  private readonly alerts = new Map<string, Alert>();
  /** Alerts with a trigger in flight: a second tick must not queue a second command. */
  private readonly pending = new Set<string>();
  private readonly repo: ScopeRepository<AlertsState, DomainEvent>;
  private follower: Follower | null = null;
  /** Past the alerts that existed at start: new ones are worth preloading their owner for. */
  private live = false;
  private sub: Subscription | null = null;
  private inflight = new Set<Promise<void>>();
  readonly stats: EvaluatorStats = { triggered: 0, lost: 0 };

  constructor(private readonly o: EvaluatorOptions) {
    this.repo = o.repo ?? ScopeRepository.forUsers<AlertsState, DomainEvent>(o.store, alertsAggregate, { log: o.log });
  }

  /** Resolves once the active set is rebuilt from the stream and tickers are being evaluated. */
  async start(): Promise<void> {
    const { store } = this.o;
    this.follower = await follow(
      store,
      store.subjects.allAlertEvents,
      0,
      (commit) => {
        for (const event of commit.events) this.fold(event, { seq: commit.seq, occurredAt: event.occurredAt });
      },
      {
        onPoison: (err) =>
          this.o.log.warn({ seq: err.seq, err: err.message }, 'an alert subject holds a message that is not a commit; skipped'),
        onEnd: (err) => this.o.log.warn({ err: String(err) }, 'the alert follower stopped'),
      },
    );
    await this.follower.caughtUp;
    this.live = true;
    this.sub = this.o.nc.subscribe(store.subjects.allTickers, {
      callback: (err, msg) => {
        if (err) return;
        let ticker: unknown;
        try {
          ticker = JSON.parse(decoder.decode(msg.data));
        } catch {
          return;
        }
        if (TickerCheck.Check(ticker)) this.onTicker(ticker);
      },
    });
    this.o.log.info({ active: this.activeCount() }, 'alert evaluator started');
  }

  async stop(): Promise<void> {
    this.sub?.unsubscribe();
    this.sub = null;
    await Promise.allSettled([...this.inflight]);
    await this.follower?.stop();
    this.follower = null;
  }

  activeCount(): number {
    let n = 0;
    for (const bySymbol of this.active.values()) n += bySymbol.size;
    return n;
  }

  /** Checks one price against the symbol's active alerts; triggers each one it reaches. */
  onTicker(ticker: Ticker): void {
    const bySymbol = this.active.get(ticker.symbol);
    if (!bySymbol) return;
    for (const alert of bySymbol.values()) {
      // A price observed before the alert existed is not a crossing of it.
      if (Date.parse(ticker.at) < Date.parse(alert.createdAt)) continue;
      if (this.pending.has(alert.alertId) || !crosses(alert, ticker.price)) continue;
      this.pending.add(alert.alertId);
      const run = this.trigger(alert, ticker).finally(() => {
        this.pending.delete(alert.alertId);
        this.inflight.delete(run);
      });
      this.inflight.add(run);
    }
  }

  private async trigger(alert: Alert, ticker: Ticker): Promise<void> {
    const { alertId, userId } = alert;
    const commandId = `trigger-${alertId}`;
    const command = { commandId, userId, alertId, at: ticker.at, symbol: ticker.symbol, price: ticker.price };
    const target = {
      subject: this.o.store.subjects.alert(userId, alertId),
      aggregateId: alertId,
      commitId: commandId,
      occurredAt: ticker.at,
    };
    try {
      const result = await this.repo.decide(userId, target, (state) => triggerAlert(command, state));
      if (result.events.length > 0) this.stats.triggered++;
      else this.stats.lost++;
      // Whatever happened, the fresh state says what the alert is now; the follower will say so too.
      const now = result.state.alerts[alertId];
      if (now && now.status !== 'ACTIVE') this.deactivate(now);
    } catch (err) {
      // NATS unavailable, or the outcome unknown: the alert stays active and the next tick retries
      // (the fixed commit id makes a retry of a stored trigger a duplicate, not a second trigger).
      this.o.log.warn({ alertId, err: String(err) }, 'could not record an alert trigger; retrying on the next price');
    }
  }

  private fold(event: DomainEvent, at: { seq: number; occurredAt: string }): void {
    if (event.type !== 'AlertSet' && event.type !== 'AlertCancelled' && event.type !== 'AlertTriggered') return;
    const next = evolveAlert(this.alerts.get(event.data.alertId), event, at);
    if (!next) return;
    if (next.status === 'ACTIVE') {
      // Load the owner's scope now, while nothing is waiting for it: a trigger then only appends
      // (a stale copy costs one conflict and a short read, never a wrong decision).
      if (event.type === 'AlertSet' && this.live) this.warm(next.userId);
      this.alerts.set(next.alertId, next);
      const bySymbol = this.active.get(next.symbol) ?? new Map<string, Alert>();
      bySymbol.set(next.alertId, next);
      this.active.set(next.symbol, bySymbol);
    } else this.deactivate(next);
  }

  private warm(userId: string): void {
    this.repo.load(userId).catch((err) => this.o.log.warn({ userId, err: String(err) }, 'could not preload an alert owner'));
  }

  private deactivate(alert: Alert): void {
    this.alerts.delete(alert.alertId);
    const bySymbol = this.active.get(alert.symbol);
    bySymbol?.delete(alert.alertId);
    if (bySymbol?.size === 0) this.active.delete(alert.symbol);
  }
}
