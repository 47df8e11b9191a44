// A trader's view of a gateway: bare HTTP calls (no retries, the tests assert on each answer) and the
// kit's WebSocket client that records every message.
import http from 'node:http';
import { type Answer, call } from '@blotter/reliability/http';
import { liveClient, registerAt, type Session, uniqueEmail } from '@blotter/test-kit';

export { type Answer, call };

/** The same call on a connection of its own (closed afterwards), so a TCP balancer routes it afresh. */
export function callOnNewConnection(base: string, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 20_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let json: Answer['json'] = {};
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, json, ms: Date.now() - t0 });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export type Trader = Session;

/** A new trader, registered over HTTP; the password is the one the tests log in with. */
export const register = (base: string, prefix = 'scale'): Promise<Trader> => registerAt(base, uniqueEmail(`${prefix}-`), 'scaling proof 1');

export type Message = Record<string, unknown>;

export { liveClient };

/** An `orders` update on a socket that shows `orderId` in `status`. */
export const orderUpdate =
  (orderId: string, status: string) =>
  (m: Message): boolean =>
    m.type === 'update' &&
    m.channel === 'orders' &&
    Array.isArray(m.data) &&
    (m.data as { orderId?: string; status?: string }[]).some((o) => o.orderId === orderId && o.status === status);
