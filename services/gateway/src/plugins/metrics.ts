// Prometheus metrics: requests, commands, appended events, projection lag and the executor's
// figures (which the executor announces on NATS). Each gateway has its own registry so several
// apps in one test process do not collide.
import { scopeStats } from '@blotter/eventstore';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface GatewayMetrics {
  registry: Registry;
  commands: Counter<'command' | 'outcome'>;
  events: Counter<'type'>;
  projectionLag: Gauge<'consumer'>;
  executor: Gauge<'figure'>;
  deadLetters: Gauge;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: GatewayMetrics;
  }
}

export default fp(
  async (app) => {
    const registry = new Registry();
    const requests = new Histogram({
      name: 'blotter_http_request_duration_seconds',
      help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
    const metrics: GatewayMetrics = {
      registry,
      commands: new Counter({
        name: 'blotter_commands_total',
        help: 'Commands handled by type and outcome',
        labelNames: ['command', 'outcome'],
        registers: [registry],
      }),
      events: new Counter({
        name: 'blotter_events_appended_total',
        help: 'Events appended by this gateway',
        labelNames: ['type'],
        registers: [registry],
      }),
      projectionLag: new Gauge({
        name: 'blotter_projection_lag_messages',
        help: 'Commits not yet applied by each projector consumer (pending + unacknowledged)',
        labelNames: ['consumer'],
        registers: [registry],
      }),
      executor: new Gauge({
        name: 'blotter_executor',
        help: 'Figures announced by the executor',
        labelNames: ['figure'],
        registers: [registry],
      }),
      deadLetters: new Gauge({ name: 'blotter_dead_letters', help: 'Commits in the dead-letter stream', registers: [registry] }),
    };
    // The account appends of this process under optimistic concurrency: commits appended, races lost
    // (each re-read and re-decided) and decisions that appended nothing, confirmed on current state.
    new Gauge({
      name: 'blotter_account_appends',
      help: 'Account commits of this process by outcome, since it started',
      labelNames: ['outcome'],
      registers: [registry],
      collect() {
        this.set({ outcome: 'appended' }, scopeStats.appends);
        this.set({ outcome: 'conflict' }, scopeStats.conflicts);
        this.set({ outcome: 'confirmed' }, scopeStats.confirmations);
      },
    });
    new Gauge({
      name: 'blotter_account_commits_followed',
      help: "Other processes' commits folded into cached accounts as they arrived, since this process started",
      registers: [registry],
      collect() {
        this.set(scopeStats.followed);
      },
    });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      requests.observe(
        { method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'metrics' },
);
