import { fmt8 } from '../decimal.ts';
import { errors } from '../errors.ts';
import { checkTimestamp, findAccount } from '../http/auth.ts';
import { signatureMatches } from '../http/signature.ts';
import { Params } from '../params.ts';
import type { Simulator } from '../simulator.ts';
import type { ApiConnection } from './ws-api.ts';

export type WsMethod = (conn: ApiConnection, params: Record<string, unknown>) => unknown;

/** WS API signing: every param but `signature`, sorted by name, joined as a query string. */
export const wsSignaturePayload = (params: Record<string, unknown>): string =>
  Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');

export function wsMethods(sim: Simulator): Map<string, WsMethod> {
  const subscribe: WsMethod = (conn, raw) => {
    const p = Params.fromObject(raw);
    const account = findAccount(sim, p.string('apiKey'));
    const signature = p.required('signature');
    if (p.integer('timestamp') === undefined) throw errors.mandatory('timestamp');
    if (!signatureMatches(account.apiSecret, wsSignaturePayload(raw), signature)) throw errors.badSignature();
    checkTimestamp(p, sim.now());
    const subscriptionId = conn.nextSubscriptionId++;
    conn.subscriptions.set(subscriptionId, account);
    return { subscriptionId };
  };

  const unsubscribe: WsMethod = (conn, raw) => {
    const id = Params.fromObject(raw).integer('subscriptionId');
    if (id === undefined) conn.subscriptions.clear();
    else if (!conn.subscriptions.delete(id)) throw errors.invalidParam('subscriptionId');
    return {};
  };

  return new Map<string, WsMethod>([
    ['ping', () => ({})],
    ['time', () => ({ serverTime: sim.now() })],
    ['userDataStream.subscribe.signature', subscribe],
    ['userDataStream.unsubscribe', unsubscribe],
    ['userDataStream.subscription.list', (conn) => [...conn.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }))],
    [
      'session.status',
      (conn) => ({
        apiKey: null,
        authorizedSince: null,
        connectedSince: conn.connectedSince,
        returnRateLimits: true,
        serverTime: sim.now(),
        userDataStream: conn.subscriptions.size > 0,
      }),
    ],
    [
      'ticker.price',
      (_conn, raw) => {
        const now = sim.now();
        const view = (s: string) => ({ symbol: sim.market.spec(s).symbol, price: fmt8(sim.market.price(s, now)) });
        if (typeof raw.symbol === 'string') return view(raw.symbol);
        const symbols = Array.isArray(raw.symbols) ? raw.symbols.map(String) : sim.market.symbols();
        return symbols.map(view);
      },
    ],
  ]);
}
