// Armed failures for the next N matching requests, so executor tests can rehearse what the real
// venue does on a bad day: slow answers, 5xx before or after the order was booked, 429s, and
// user-data sockets that drop.
import Type, { type Static } from 'typebox';

const Count = Type.Integer({ minimum: 1, maximum: 1000, default: 1 });
const Path = Type.Optional(Type.String({ pattern: '^/', maxLength: 200, description: 'Exact request path, e.g. /api/v3/order' }));
const Method = Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('DELETE'), Type.Literal('PUT')]));

export const FaultSpec = Type.Union([
  Type.Object(
    { kind: Type.Literal('delay'), ms: Type.Integer({ minimum: 0, maximum: 120_000 }), count: Count, path: Path, method: Method },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('error5xx'),
      afterExecute: Type.Boolean(),
      status: Type.Optional(Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503), Type.Literal(504)])),
      count: Count,
      path: Path,
      method: Method,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('rateLimit'),
      retryAfterSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
      count: Count,
      path: Path,
      method: Method,
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('dropWs'), count: Count }, { additionalProperties: false }),
]);
export type FaultSpec = Static<typeof FaultSpec>;
export type HttpFault = Exclude<FaultSpec, { kind: 'dropWs' }>;

interface Armed {
  spec: HttpFault;
  left: number;
}

export class Faults {
  private armed: Armed[] = [];
  private dropWsLeft = 0;

  arm(spec: HttpFault): void {
    this.armed.push({ spec, left: spec.count });
  }

  /** Consumes one shot of the first fault that matches this request, if any. */
  take(method: string, path: string): HttpFault | undefined {
    const hit = this.armed.find((a) => (!a.spec.path || a.spec.path === path) && (!a.spec.method || a.spec.method === method));
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.armed = this.armed.filter((a) => a !== hit);
    return hit.spec;
  }

  /** Remaining user-data socket drops not yet spent on an open connection. */
  armDropWs(count: number): void {
    this.dropWsLeft = count;
  }

  takeDropWs(): boolean {
    if (this.dropWsLeft <= 0) return false;
    this.dropWsLeft -= 1;
    return true;
  }

  clear(): void {
    this.armed = [];
    this.dropWsLeft = 0;
  }

  list(): { spec: FaultSpec; left: number }[] {
    const http = this.armed.map((a) => ({ spec: a.spec as FaultSpec, left: a.left }));
    return this.dropWsLeft > 0 ? [...http, { spec: { kind: 'dropWs', count: this.dropWsLeft }, left: this.dropWsLeft }] : http;
  }
}
