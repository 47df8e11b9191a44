// Test and dev controls that Binance does not have: accounts, price pins, fault injection, and a
// look at every order an account ever sent (to count venue orders per client order id).
import type { FastifyPluginAsync } from 'fastify';
import Type, { type Static, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { Big, fmt8 } from '../../decimal.ts';
import { orderView } from '../../engine/views.ts';
import { FaultSpec } from '../../faults.ts';
import type { Simulator } from '../../simulator.ts';
import type { WsApi } from '../../ws/ws-api.ts';
import { AdminError, requireAdmin } from '../admin-auth.ts';

const DECIMAL = '^[0-9]{1,20}(\\.[0-9]{1,8})?$';
const CreateAccount = Type.Object(
  { balances: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Z0-9]{1,20}$' }), Type.String({ pattern: DECIMAL }))) },
  { additionalProperties: false },
);
const PinPrice = Type.Object({ price: Type.String({ pattern: DECIMAL }) }, { additionalProperties: false });

function parse<S extends TSchema>(schema: S, body: unknown): Static<S> {
  const value = Value.Default(schema, body ?? {});
  const first = [...Value.Errors(schema, value)][0];
  if (first) throw new AdminError(400, `invalid body: ${first.instancePath || '/'} ${first.message}`);
  return value as Static<S>;
}

export const adminRoutes: FastifyPluginAsync<{ sim: Simulator; wsApi: WsApi }> = async (app, { sim, wsApi }) => {
  app.addHook('onRequest', async (req) => requireAdmin(sim.config.adminToken, req));

  const accountOf = (apiKey: string) => {
    const account = sim.accounts.find(apiKey);
    if (!account) throw new AdminError(404, 'no such account');
    return account;
  };
  const balancesOf = (apiKey: string) =>
    accountOf(apiKey)
      .balances.list()
      .map((b) => ({ asset: b.asset, free: fmt8(b.free), locked: fmt8(b.locked) }));

  app.post('/admin/accounts', async (req, reply) => {
    const { balances } = parse(CreateAccount, req.body);
    const account = sim.createAccount(balances);
    reply.code(201);
    return { apiKey: account.apiKey, apiSecret: account.apiSecret, balances: balancesOf(account.apiKey) };
  });

  app.get<{ Params: { apiKey: string } }>('/admin/accounts/:apiKey', async (req) => ({
    apiKey: req.params.apiKey,
    balances: balancesOf(req.params.apiKey),
  }));

  app.get<{ Params: { apiKey: string }; Querystring: { symbol?: string; clientOrderId?: string } }>(
    '/admin/accounts/:apiKey/orders',
    async (req) => {
      const { symbol, clientOrderId } = req.query;
      return accountOf(req.params.apiKey)
        .orders.filter((o) => (!symbol || o.symbol === symbol) && (!clientOrderId || o.clientOrderId === clientOrderId))
        .map(orderView);
    },
  );

  app.get('/admin/prices', async () => {
    const now = sim.now();
    return sim.market
      .symbols()
      .map((symbol) => ({ symbol, price: fmt8(sim.market.price(symbol, now)), pinned: sim.market.isPinned(symbol) }));
  });

  app.put<{ Params: { symbol: string } }>('/admin/prices/:symbol', async (req) => {
    const { price } = parse(PinPrice, req.body);
    const spec = sim.market.spec(req.params.symbol);
    if (!new Big(price).mod(spec.tickSize).eq(0) || new Big(price).lte(0))
      throw new AdminError(400, `price must be a positive multiple of ${spec.tickSize}`);
    sim.pin(spec.symbol, new Big(price));
    return { symbol: spec.symbol, price: fmt8(new Big(price)), pinned: true };
  });

  app.delete<{ Params: { symbol: string } }>('/admin/prices/:symbol', async (req) => {
    const spec = sim.market.spec(req.params.symbol);
    sim.unpin(spec.symbol);
    return { symbol: spec.symbol, price: fmt8(sim.market.price(spec.symbol, sim.now())), pinned: false };
  });

  app.post('/admin/faults', async (req, reply) => {
    const fault = parse(FaultSpec, req.body);
    reply.code(201);
    if (fault.kind === 'dropWs') return { armed: fault, dropped: wsApi.dropUserConnections(fault.count) };
    sim.faults.arm(fault);
    return { armed: fault };
  });

  app.get('/admin/faults', async () => sim.faults.list());

  app.delete('/admin/faults', async () => {
    sim.faults.clear();
    return {};
  });
};
