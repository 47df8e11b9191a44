// Test and dev controls that Binance does not have: testnet-style accounts (funded on creation,
// deposits and withdrawals), price pins, fault injection, and a look at every order an account
// ever sent (to count venue orders per client order id).
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TSchema, Static } from 'typebox';
import Value from 'typebox/value';
import { AccountSettingsBody, CreateAccountBody, PinPriceBody, TransferBody } from '../admin-schemas.ts';
import { orderView } from '../api/views.ts';
import { Big, fmt8 } from '../decimal.ts';
import type { Account } from '../engine/accounts.ts';
import { FaultSpec } from '../faults.ts';
import type { Simulator } from '../simulator.ts';
import type { WsApi } from '../ws/ws-api.ts';
import { AdminError, requireAdmin } from './admin-auth.ts';

/** Admin bodies are JSON; the app keeps every body raw (see app.ts), so they are parsed here. */
function parse<S extends TSchema>(schema: S, req: FastifyRequest): Static<S> {
  let body: unknown = {};
  if (typeof req.body === 'string' && req.body.trim() !== '') {
    try {
      body = JSON.parse(req.body);
    } catch {
      throw new AdminError(400, 'invalid body: not JSON');
    }
  }
  const value = Value.Default(schema, body);
  if (!Value.Check(schema, value)) {
    const first = [...Value.Errors(schema, value)][0];
    throw new AdminError(400, `invalid body: ${first?.instancePath || '/'} ${first?.message ?? 'does not match'}`);
  }
  return value;
}

const balancesView = (a: Account) => a.balances.list().map((b) => ({ asset: b.asset, free: fmt8(b.free), locked: fmt8(b.locked) }));

export const adminRoutes: FastifyPluginAsync<{ sim: Simulator; wsApi: WsApi }> = async (app, { sim, wsApi }) => {
  app.addHook('onRequest', async (req) => requireAdmin(sim.config.adminToken, req));

  const accountOf = (apiKey: string) => {
    const account = sim.accounts.find(apiKey);
    if (!account) throw new AdminError(404, 'no such account');
    return account;
  };

  app.post('/admin/accounts', async (req, reply) => {
    const body = parse(CreateAccountBody, req);
    const { account, privateKey } = sim.openAccount(body);
    await sim.flushed();
    reply.code(201);
    const c = account.credential;
    if (c.type === 'HMAC') return { apiKey: account.apiKey, apiSecret: c.secret, balances: balancesView(account) };
    return {
      apiKey: account.apiKey,
      keyType: c.type,
      publicKey: c.publicKey,
      ...(privateKey ? { privateKey } : {}),
      balances: balancesView(account),
    };
  });

  app.get<{ Params: { apiKey: string } }>('/admin/accounts/:apiKey', async (req) => {
    const account = accountOf(req.params.apiKey);
    return {
      apiKey: account.apiKey,
      keyType: account.credential.type,
      payFeesInBnb: account.settings.payFeesInBnb,
      balances: balancesView(account),
    };
  });

  app.patch<{ Params: { apiKey: string } }>('/admin/accounts/:apiKey', async (req) => {
    const account = accountOf(req.params.apiKey);
    const { payFeesInBnb } = parse(AccountSettingsBody, req);
    sim.setPayFeesInBnb(account, payFeesInBnb);
    await sim.flushed();
    return { apiKey: account.apiKey, payFeesInBnb };
  });

  for (const kind of ['deposit', 'withdraw'] as const) {
    app.post<{ Params: { apiKey: string } }>(`/admin/accounts/:apiKey/${kind}`, async (req) => {
      const account = accountOf(req.params.apiKey);
      const { asset, amount } = parse(TransferBody, req);
      const delta = new Big(amount);
      if (delta.lte(0)) throw new AdminError(400, 'amount must be positive');
      sim.transfer(account, asset, kind === 'deposit' ? delta : delta.times(-1));
      await sim.flushed();
      return { asset, free: fmt8(account.balances.freeOf(asset)), locked: fmt8(account.balances.lockedOf(asset)) };
    });
  }

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
    const { price } = parse(PinPriceBody, req);
    const spec = sim.market.spec(req.params.symbol);
    const tick = spec.filters.price.tickSize;
    const p = new Big(price);
    if (p.lte(0) || (tick.gt(0) && !p.mod(tick).eq(0))) throw new AdminError(400, `price must be a positive multiple of ${tick}`);
    sim.pin(spec.symbol, p);
    await sim.flushed();
    return { symbol: spec.symbol, price: fmt8(p), pinned: true };
  });

  app.delete<{ Params: { symbol: string } }>('/admin/prices/:symbol', async (req) => {
    const spec = sim.market.spec(req.params.symbol);
    sim.unpin(spec.symbol);
    await sim.flushed();
    return { symbol: spec.symbol, price: fmt8(sim.market.price(spec.symbol, sim.now())), pinned: false };
  });

  app.post('/admin/faults', async (req, reply) => {
    const fault = parse(FaultSpec, req);
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
