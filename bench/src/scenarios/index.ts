// Every scenario, in the order `make bench` runs them. Modules are imported on demand, so a
// scenario's process loads only what it measures.
import type { CpuProfile } from '../profile.ts';
import type { Metric, ScenarioContext } from '../report.ts';

type Run = (ctx: ScenarioContext, options?: { profile?: (p: CpuProfile) => void }) => Promise<Metric[]>;

export interface Scenario {
  id: string;
  name: string;
  load: () => Promise<Run>;
  /** Runs once more under the CPU profiler (row 5). */
  profiled?: boolean;
}

export const scenarios: Scenario[] = [
  {
    id: 'jetstream',
    name: '1a/1b ceilings: JetStream OCC publish, durable pull consume',
    load: async () => (await import('./ceiling-jetstream.ts')).ceilingJetStream,
  },
  {
    id: 'postgres',
    name: '1c ceiling: Postgres folded upsert + checkpoint per transaction',
    load: async () => (await import('./ceiling-postgres.ts')).ceilingPostgres,
  },
  { id: 'emmett', name: '2 peer: Emmett PostgreSQL append + projection', load: async () => (await import('./emmett.ts')).emmett },
  {
    id: 'gateway',
    name: '3a Blotter: accepted orders/s over HTTP',
    load: async () => (await import('./gateway-throughput.ts')).gatewayThroughput,
    profiled: true,
  },
  {
    id: 'latency',
    name: '3b Blotter: POST → FILLED on the WebSocket at a fixed rate',
    load: async () => (await import('./post-to-filled.ts')).postToFilled,
    profiled: true,
  },
  {
    id: 'rebuild',
    name: '3c Blotter: projection rebuild from sequence 1',
    load: async () => (await import('./rebuild.ts')).rebuild,
    profiled: true,
  },
  {
    id: 'production',
    name: '4 Blotter in production topology (every service its own process) beside the floor of an HTTP order path',
    load: async () => (await import('./production.ts')).production,
  },
  { id: 'fanout', name: '3d Blotter: WebSocket fan-out to 1,000 clients', load: async () => (await import('./fanout.ts')).fanout },
  {
    id: 'alerts',
    name: '3e Blotter: price crossing → alert TRIGGERED on the WebSocket',
    load: async () => (await import('./alert-latency.ts')).alertLatency,
  },
  {
    id: 'scroll',
    name: "3f Blotter: scrolling 10,000 orders in the browser (the UI suite's history test)",
    load: async () => (await import('./ui-scroll.ts')).uiScroll,
  },
];
