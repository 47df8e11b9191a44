// The result table: every figure is the median of its rounds; ratios compare Blotter's rows with the
// ceilings and with Emmett, and the targets say whether each is met.
import type { Progress } from './progress.ts';
import type { LatencySummary } from './stats.ts';

export interface Sizes {
  /** Rounds per figure. */
  rounds: number;
  /** Length of a time-bounded round, seconds. */
  roundSeconds: number;
  publishPerSubject: number;
  publishInFlight: number;
  batchSize: number;
  emmettOrderPool: number;
  emmettProjectionSeconds: number;
  emmettInFlight: number;
  gatewayUsers: number;
  gatewayClients: number;
  gatewaySeconds: number;
  latencyRate: number;
  /** A lower offered rate for row 3b″ (no target): latency without the queueing of an overloaded machine. */
  latencyLowRate: number;
  latencySeconds: number;
  latencyUsers: number;
  rebuildEvents: number;
  fanoutClients: number;
  fanoutSeconds: number;
  fanoutProbesPerSecond: number;
}

export interface ScenarioContext {
  rounds: number;
  sizes: Sizes;
  progress: Progress;
  /** Where profiles and JSON go. */
  resultsDir: string;
  /** Anything a scenario wants kept in the results JSON besides its metrics. */
  extras: Record<string, unknown>;
}

export interface Metric {
  id: string;
  label: string;
  unit: string;
  /** Per-round values (throughput, or p99 for latencies). */
  rounds: number[];
  /** Median of the rounds. */
  value: number;
  detail?: string;
  /** Latency rows: the median over rounds of each percentile, ms. */
  latency?: LatencySummary;
  /** Anything else worth keeping in the JSON. */
  extra?: Record<string, unknown>;
}

export interface Target {
  metric: string;
  text: string;
  /** The compared quantity (a ratio or a latency). */
  actual: number;
  met: boolean;
}

const ORDER: { id: string; section: string }[] = [
  { id: 'ceiling.publish', section: '1a' },
  { id: 'ceiling.consume', section: '1b' },
  { id: 'ceiling.postgres', section: '1c' },
  { id: 'emmett.append', section: '2a' },
  { id: 'emmett.projection', section: '2b' },
  { id: 'blotter.gateway', section: '3a' },
  { id: 'blotter.append', section: '3a′' },
  { id: 'blotter.latency', section: '3b' },
  { id: 'blotter.latency.low', section: '3b″' },
  { id: 'blotter.rebuild', section: '3c' },
  { id: 'blotter.rebuild.scaleout', section: '3c″' },
  { id: 'blotter.fanout.ticker', section: '3d' },
  { id: 'blotter.fanout.orders', section: '3d′' },
  { id: 'blotter.alerts', section: '3e' },
  { id: 'blotter.scroll', section: '3f' },
  { id: 'floor.route', section: '4a' },
  { id: 'production.gateway', section: '4b' },
  { id: 'production.gateways2', section: '4c' },
  { id: 'production.latency', section: '4d' },
];

const fmt = (v: number, digits = 0) =>
  v === Number.POSITIVE_INFINITY
    ? '∞'
    : Number.isFinite(v)
      ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : 'n/a';
const short = (v: number) =>
  !Number.isFinite(v) ? 'n/a' : v >= 10_000 ? `${(v / 1000).toFixed(1)}k` : v >= 100 ? v.toFixed(0) : v.toFixed(1);
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? a / b : Number.NaN);

export interface Comparison {
  metric: string;
  against: string;
  ratio: number;
}

/** Blotter / ceiling and Blotter / Emmett for each comparable pair, and the targets. */
export function evaluate(metrics: Metric[]): { comparisons: Comparison[]; targets: Target[] } {
  const v = (id: string) => metrics.find((m) => m.id === id)?.value;
  const pairs: [string, string][] = [
    ['blotter.gateway', 'ceiling.publish'],
    ['blotter.gateway', 'emmett.append'],
    ['blotter.append', 'ceiling.publish'],
    ['blotter.append', 'emmett.append'],
    ['blotter.rebuild', 'ceiling.postgres'],
    ['blotter.rebuild', 'ceiling.consume'],
    ['blotter.rebuild', 'emmett.projection'],
    ['blotter.rebuild.scaleout', 'ceiling.postgres'],
    ['production.gateway', 'floor.route'],
    ['production.gateway', 'ceiling.publish'],
    ['production.gateway', 'emmett.append'],
    ['production.gateways2', 'production.gateway'],
    ['floor.route', 'ceiling.publish'],
  ];
  const comparisons = pairs
    .filter(([a, b]) => v(a) !== undefined && v(b) !== undefined)
    .map(([a, b]) => ({ metric: a, against: b, ratio: ratio(v(a), v(b)) }));
  const targets: Target[] = [];
  const r = (a: string, b: string) => comparisons.find((c) => c.metric === a && c.against === b)?.ratio;
  const push = (metric: string, text: string, actual: number | undefined, ok: (x: number) => boolean) => {
    if (actual !== undefined && !Number.isNaN(actual)) targets.push({ metric, text, actual, met: ok(actual) });
  };
  push('blotter.gateway', '≥ 0.5× publish ceiling', r('blotter.gateway', 'ceiling.publish'), (x) => x >= 0.5);
  push('blotter.gateway', '≥ 3× Emmett append', r('blotter.gateway', 'emmett.append'), (x) => x >= 3);
  const lat = metrics.find((m) => m.id === 'blotter.latency');
  push('blotter.latency', 'p99 ≤ 50 ms at 500/s', lat?.latency?.p99, (x) => x <= 50);
  push('blotter.rebuild', '≥ 0.5× Postgres ceiling', r('blotter.rebuild', 'ceiling.postgres'), (x) => x >= 0.5);
  // The account-boundary issue's targets, in the production topology, against the floor of the same run.
  push('production.gateway', '≥ 0.8× the floor route', r('production.gateway', 'floor.route'), (x) => x >= 0.8);
  const cpu = (id: string) => metrics.find((m) => m.id === id)?.extra?.cpuMsPerAnswerMedian as number | undefined;
  const gatewayCpu = cpu('production.gateway');
  const floorCpu = cpu('floor.route');
  push('production.gateway', 'CPU/order ≤ 1.25× the floor', gatewayCpu && floorCpu ? gatewayCpu / floorCpu : undefined, (x) => x <= 1.25);
  const prod = metrics.find((m) => m.id === 'production.latency');
  push('production.latency', 'p50 ≤ 10 ms at 500/s', prod?.latency?.p50, (x) => x <= 10);
  push('production.latency', 'p99 ≤ 50 ms at 500/s', prod?.latency?.p99, (x) => x <= 50);
  const refused = (prod?.extra?.statuses as Record<string, number>[] | undefined)?.some((st) =>
    Object.entries(st).some(([k, n]) => !k.startsWith('2') && n > 0),
  );
  if (prod) targets.push({ metric: 'production.latency', text: 'no request refused', actual: refused ? 1 : 0, met: !refused });
  for (const id of ['blotter.fanout.ticker', 'blotter.fanout.orders']) {
    push(id, 'p99 ≤ 100 ms at 1,000 clients', metrics.find((m) => m.id === id)?.latency?.p99, (x) => x <= 100);
  }
  push('blotter.alerts', 'p99 ≤ 1 s from the crossing', metrics.find((m) => m.id === 'blotter.alerts')?.latency?.p99, (x) => x <= 1000);
  push('blotter.scroll', 'no table task over 50 ms', metrics.find((m) => m.id === 'blotter.scroll')?.value, (x) => x <= 50);
  return { comparisons, targets };
}

function pad(cells: string[][]): string {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length))) ?? [];
  const line = (row: string[]) =>
    `| ${row.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i >= 2 && i <= 3 ? `${'-'.repeat(w + 1)}:` : `-${'-'.repeat(w)}-`)).join('|')}|`;
  return [line(cells[0] as string[]), sep, ...cells.slice(1).map(line)].join('\n');
}

export function renderTable(metrics: Metric[], rounds: number): string {
  const { comparisons, targets } = evaluate(metrics);
  const rows: string[][] = [['#', 'what (median of rounds)', 'median', 'unit', 'rounds', 'vs ceiling / Emmett', 'target', 'met']];
  const sorted = [...metrics].sort((a, b) => ORDER.findIndex((o) => o.id === a.id) - ORDER.findIndex((o) => o.id === b.id));
  for (const m of sorted) {
    const section = ORDER.find((o) => o.id === m.id)?.section ?? '';
    const isLatency = m.latency !== undefined;
    const value = isLatency ? `${fmt(m.latency?.p99 ?? Number.NaN, 1)}` : fmt(m.value);
    const unit = isLatency ? 'ms p99' : m.unit;
    const perRound = m.rounds.map(short).join(' ');
    const vs = comparisons
      .filter((c) => c.metric === m.id)
      .map(
        (c) =>
          `${c.ratio.toFixed(2)}× ${c.against.replace('ceiling.', '').replace('emmett.', 'Emmett ').replace('floor.route', 'floor').replace('production.gateway', '1 gateway')}`,
      )
      .join(', ');
    const ts = targets.filter((t) => t.metric === m.id);
    rows.push([
      section,
      m.label,
      value,
      unit,
      perRound,
      vs,
      ts.map((t) => t.text).join('; '),
      ts.map((t) => (t.met ? 'yes' : 'NO')).join('; '),
    ]);
    if (isLatency && m.latency) {
      rows.push([
        '',
        `  p50 / p95 / p99 / max (n=${fmt(m.latency.count)})`,
        '',
        '',
        '',
        `${fmt(m.latency.p50, 1)} / ${fmt(m.latency.p95, 1)} / ${fmt(m.latency.p99, 1)} / ${fmt(m.latency.max, 1)} ms`,
        '',
        '',
      ]);
    }
  }
  const met = targets.filter((t) => t.met).length;
  const details = sorted.filter((m) => m.detail).map((m) => `  ${ORDER.find((o) => o.id === m.id)?.section ?? m.id}: ${m.detail}`);
  return `${pad(rows)}\n${rounds} rounds per figure; targets met: ${met}/${targets.length}\nhow each row was measured:\n${details.join('\n')}`;
}
