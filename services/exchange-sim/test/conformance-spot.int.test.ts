// Conformance with Binance's official Spot connector (@binance/spot), unchanged, pointed at the
// simulator: REST, WebSocket API and market streams through a whole trading session with an Ed25519
// key (Binance's recommended kind). Every answer is compared with the example Binance's own docs
// give for it (fixtures/binance-docs/examples.json, with the docs' commit).
process.env.LOG_LEVEL ??= 'error';
import { Spot, SpotRestAPI, SpotWebsocketAPI as WsApi, SpotWebsocketStreams as Streams } from '@binance/spot';
import Big from 'big.js';
import t from 'tap';
import { conformance } from './fixtures/shapes.ts';
import { withSim } from './fixtures/sim.ts';
import { eventually } from '@blotter/test-kit/procs';

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A rejection's Binance code, as the connector surfaces it (REST: error.code; WS API: the error object). */
async function codeOf(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
  } catch (err) {
    if (isJson(err) && typeof err.code === 'number') return err.code;
    if (err instanceof Error && 'code' in err && typeof err.code === 'number') return err.code;
    return undefined;
  }
  throw new Error('expected a rejection');
}

t.test('@binance/spot: a whole session over REST, the WebSocket API and market streams', async (t) => {
  const sim = await withSim(t);
  await sim.admin.pinPrice('BTCUSDT', '60000.00');
  const me = await sim.admin.createEd25519Account({ USDT: '100000', BTC: '1' });
  const other = await sim.admin.createEd25519Account({ BTC: '1' });
  const privateKey = me.privateKey ?? '';
  const spotFor = (apiKey: string, key: string) =>
    new Spot({
      configurationRestAPI: { apiKey, privateKey: key, basePath: sim.url, timeout: 10_000, retries: 0 },
      configurationWebsocketAPI: { apiKey, privateKey: key, wsURL: sim.wsApiUrl, timeout: 10_000 },
      configurationWebsocketStreams: { wsURL: sim.wsUrl },
    });
  const spot = spotFor(me.apiKey, privateKey);
  const rest = spot.restAPI;
  const check = async (name: string, answer: unknown) => {
    const { problems, where } = conformance(name, answer);
    t.same(problems, [], `${name} has the shape of ${where}`);
  };
  const data = async <T>(p: Promise<{ data(): Promise<T> }>): Promise<T> => (await p).data();

  // ---- market data over REST -------------------------------------------------------------
  await check('rest.ping', await data(rest.ping()));
  await check('rest.time', await data(rest.time()));
  const info = await data(rest.exchangeInfo({ symbol: 'BTCUSDT' }));
  await check('rest.exchangeInfo', info);
  await check('rest.depth', await data(rest.depth({ symbol: 'BTCUSDT', limit: 5 })));
  // The simulated market trades on its own clock: wait for its first public trade, since an empty
  // list would prove nothing about a trade's shape.
  const nonEmpty = async <T>(read: () => Promise<T[]>): Promise<T[] | undefined> => {
    const list = await read();
    return list.length > 0 ? list : undefined;
  };
  const tape = <T>(name: string, read: () => Promise<T[]>) => eventually(() => nonEmpty(read), 20_000, name, 25);
  await check('rest.trades', await tape('a public trade', () => data(rest.getTrades({ symbol: 'BTCUSDT', limit: 5 }))));
  await check(
    'rest.historicalTrades',
    await tape('a historical trade', () => data(rest.historicalTrades({ symbol: 'BTCUSDT', limit: 5 }))),
  );
  await check('rest.aggTrades', await tape('an aggregate trade', () => data(rest.aggTrades({ symbol: 'BTCUSDT', limit: 5 }))));
  await check(
    'rest.klines',
    (await data(rest.klines({ symbol: 'BTCUSDT', interval: SpotRestAPI.KlinesIntervalEnum.INTERVAL_1m, limit: 3 })))[0],
  );
  await check(
    'rest.uiKlines',
    (await data(rest.uiKlines({ symbol: 'BTCUSDT', interval: SpotRestAPI.UiKlinesIntervalEnum.INTERVAL_1h, limit: 3 })))[0],
  );
  await check('rest.avgPrice', await data(rest.avgPrice({ symbol: 'BTCUSDT' })));
  await check('rest.ticker24hr', await data(rest.ticker24hr({ symbol: 'BTCUSDT' })));
  await check('rest.ticker24hrMini', await data(rest.ticker24hr({ symbol: 'BTCUSDT', type: SpotRestAPI.Ticker24hrTypeEnum.MINI })));
  await check('rest.tickerTradingDay', await data(rest.tickerTradingDay({ symbol: 'BTCUSDT' })));
  await check('rest.ticker', await data(rest.ticker({ symbol: 'BTCUSDT', windowSize: SpotRestAPI.TickerWindowSizeEnum.WINDOW_SIZE_1h })));
  await check('rest.tickerPrice', await data(rest.tickerPrice({ symbol: 'BTCUSDT' })));
  await check('rest.bookTicker', await data(rest.tickerBookTicker({ symbol: 'BTCUSDT' })));

  // ---- market streams ---------------------------------------------------------------------
  const streams = await spot.websocketStreams.connect();
  t.teardown(() => streams.disconnect());
  const firstOf = async (
    name: string,
    open: (c: Streams.WebsocketStreamsConnection) => { on(e: 'message', cb: (d: unknown) => void): void; unsubscribe(): void },
  ) => {
    let got: unknown;
    const s = open(streams);
    s.on('message', (d) => {
      got ??= d;
    });
    const value = await eventually(() => got, 10_000, name, 25);
    s.unsubscribe();
    await check(name, value);
  };
  await firstOf('stream.bookTicker', (c) => c.bookTicker({ symbol: 'btcusdt' }));
  await firstOf('stream.partialDepth', (c) =>
    c.partialBookDepth({ symbol: 'btcusdt', levels: Streams.PartialBookDepthLevelsEnum.LEVELS_5 }),
  );
  await firstOf('stream.kline', (c) => c.kline({ symbol: 'btcusdt', interval: Streams.KlineIntervalEnum.INTERVAL_1s }));
  await firstOf('stream.ticker', (c) => c.ticker({ symbol: 'btcusdt' }));
  await firstOf('stream.miniTicker', (c) => c.miniTicker({ symbol: 'btcusdt' }));
  await firstOf('stream.rollingTicker', (c) =>
    c.rollingWindowTicker({ symbol: 'btcusdt', windowSize: Streams.RollingWindowTickerWindowSizeEnum.WINDOW_SIZE_1h }),
  );
  await firstOf('stream.avgPrice', (c) => c.avgPrice({ symbol: 'btcusdt' }));
  await firstOf('stream.trade', (c) => c.trade({ symbol: 'btcusdt' }));
  await firstOf('stream.aggTrade', (c) => c.aggTrade({ symbol: 'btcusdt' }));
  await firstOf('stream.diffDepth', (c) =>
    c.diffBookDepth({ symbol: 'btcusdt', updateSpeed: Streams.DiffBookDepthUpdateSpeedEnum.UPDATE_SPEED_100ms }),
  );

  // ---- the WebSocket API: session logon and the user-data stream ------------------------
  const ws = await spot.websocketAPI.connect();
  t.teardown(() => ws.disconnect());
  const logon = await ws.sessionLogon();
  const logonResult = Array.isArray(logon) ? logon[0] : logon;
  await check('wsapi.sessionLogon', { id: 'x', status: 200, result: logonResult?.data, rateLimits: logonResult?.rateLimits });
  const { stream } = await ws.userDataStreamSubscribe();
  const events: Json[] = [];
  stream.on('message', (e: unknown) => {
    if (isJson(e)) events.push(e);
  });
  const reportsOf = (orderId: number) => events.filter((e) => e.e === 'executionReport' && e.i === orderId);
  const seen = (orderId: number, x: string) =>
    eventually(() => reportsOf(orderId).find((e) => e.x === x), 5_000, `${x} for ${orderId}`, 25);

  // ---- a resting order, queried, filled by another account, amended, canceled -----------
  const resting = await data(
    rest.newOrder({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.NewOrderSideEnum.BUY,
      type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
      timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
      quantity: 0.01,
      price: 59999,
      newClientOrderId: 'spot-rest-1',
      newOrderRespType: SpotRestAPI.NewOrderNewOrderRespTypeEnum.RESULT,
    }),
  );
  await check('rest.orderResult', resting);
  const orderId = Number(resting.orderId);
  await check('user.executionReport', { subscriptionId: 0, event: await seen(orderId, 'NEW') });
  await check('rest.order', await data(rest.getOrder({ symbol: 'BTCUSDT', orderId })));
  await check('rest.openOrders', (await data(rest.getOpenOrders({ symbol: 'BTCUSDT' })))[0]);
  const viaWs = await ws.orderStatus({ symbol: 'BTCUSDT', origClientOrderId: 'spot-rest-1' });
  t.match(viaWs.data, { orderId, status: 'NEW', clientOrderId: 'spot-rest-1' }, 'order.status over the WebSocket API');

  const seller = spotFor(other.apiKey, other.privateKey ?? '');
  const sold = await data(
    seller.restAPI.newOrder({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.NewOrderSideEnum.SELL,
      type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
      timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.IOC,
      quantity: 0.004,
      price: 59999,
    }),
  );
  await check('rest.orderFull', sold);
  t.match(
    sold,
    { status: 'FILLED', fills: [{ price: '59999.00000000', qty: '0.00400000', commissionAsset: 'USDT' }] },
    'the other account sold into the resting bid',
  );
  const makerFill = await seen(orderId, 'TRADE');
  t.match(
    makerFill,
    { X: 'PARTIALLY_FILLED', l: '0.00400000', L: '59999.00000000', m: true, n: '0.00000400', N: 'BTC' },
    'our order filled as maker, fee in BTC',
  );
  const mine = await data(rest.myTrades({ symbol: 'BTCUSDT', orderId }));
  await check('rest.myTrades', mine[0]);
  t.match(mine, [{ isMaker: true, isBuyer: true, qty: '0.00400000', commission: '0.00000400' }]);

  const amended = await data(rest.orderAmendKeepPriority({ symbol: 'BTCUSDT', orderId, newQty: 0.008 }));
  await check('rest.amend', amended);
  t.match(await seen(orderId, 'REPLACED'), { q: '0.00800000', X: 'PARTIALLY_FILLED' });

  const canceled = await ws.orderCancel({ symbol: 'BTCUSDT', orderId });
  await check('rest.cancel', canceled.data);
  // The amend gave the order a new client id (none was asked for): the cancel report names that one.
  t.match(await seen(orderId, 'CANCELED'), { X: 'CANCELED', C: amended.amendedOrder?.clientOrderId });
  t.not(amended.amendedOrder?.clientOrderId, 'spot-rest-1');

  // ---- a crossing order over the WebSocket API, with fills and commissions ---------------
  const taken = await ws.orderPlace({
    symbol: 'BTCUSDT',
    side: WsApi.OrderPlaceSideEnum.BUY,
    type: WsApi.OrderPlaceTypeEnum.MARKET,
    quantity: 0.02,
    newOrderRespType: WsApi.OrderPlaceNewOrderRespTypeEnum.FULL,
  });
  await check('rest.orderFull', taken.data);
  const takenFills = (taken.data.fills ?? []) as { qty?: string; commission?: string; commissionAsset?: string }[];
  t.ok(takenFills.length > 0, 'fills listed');
  for (const f of takenFills) t.equal(f.commission, new Big(f.qty ?? '0').times('0.001').toFixed(8), 'taker fee 0.1 % of the BTC received');
  t.match(
    taken.rateLimits,
    [{ rateLimitType: 'ORDERS' }, { rateLimitType: 'ORDERS' }, { rateLimitType: 'REQUEST_WEIGHT' }],
    'rateLimits with the order counts',
  );
  const takerId = Number(taken.data.orderId);
  await seen(takerId, 'TRADE');
  await eventually(() => (reportsOf(takerId).some((e) => e.X === 'FILLED') ? true : undefined), 5_000, 'the last fill', 25);
  t.same(
    reportsOf(takerId).map((e) => e.x),
    ['NEW', ...takenFills.map(() => 'TRADE')],
    'executionReports: NEW, then one TRADE per fill, in order',
  );
  const position = await eventually(() => events.filter((e) => e.e === 'outboundAccountPosition').at(-1), 5_000, 'position', 25);
  await check('user.outboundAccountPosition', { subscriptionId: 0, event: position });
  t.ok(events.indexOf(position) > events.indexOf(reportsOf(takerId).at(-1) ?? {}), 'the position comes after the reports');

  // ---- test orders, and bad orders with Binance's codes ----------------------------------
  const order = (over: Partial<SpotRestAPI.NewOrderRequest>) =>
    rest.newOrder({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.NewOrderSideEnum.BUY,
      type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
      timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
      quantity: 0.01,
      price: 59000,
      ...over,
    });
  await check(
    'rest.orderTest',
    await data(
      rest.orderTest({
        symbol: 'BTCUSDT',
        side: SpotRestAPI.OrderTestSideEnum.BUY,
        type: SpotRestAPI.OrderTestTypeEnum.MARKET,
        quantity: 0.01,
      }),
    ),
  );
  await check(
    'rest.orderTestCommission',
    await data(
      rest.orderTest({
        symbol: 'BTCUSDT',
        side: SpotRestAPI.OrderTestSideEnum.BUY,
        type: SpotRestAPI.OrderTestTypeEnum.MARKET,
        quantity: 0.01,
        computeCommissionRates: true,
      }),
    ),
  );
  t.equal(await codeOf(order({ price: 59000.005 })), -1013, 'PRICE_FILTER → -1013');
  t.equal(await codeOf(order({ quantity: 100 })), -2010, 'insufficient balance → -2010');
  t.equal(await codeOf(order({ symbol: 'NOPEUSDT' })), -1121, 'unknown symbol → -1121');
  t.equal(
    await codeOf(
      ws.orderPlace({
        symbol: 'BTCUSDT',
        side: WsApi.OrderPlaceSideEnum.BUY,
        type: WsApi.OrderPlaceTypeEnum.LIMIT,
        quantity: 0.01,
        price: 59000,
      }),
    ),
    -1102,
    'no timeInForce → -1102 over the WS API too',
  );

  // ---- cancel-replace, cancel-all, self-trade prevention, account data --------------------
  const a = await data(order({ price: 59001, newClientOrderId: 'spot-cr-1' }));
  const replaced = await data(
    rest.orderCancelReplace({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.OrderCancelReplaceSideEnum.BUY,
      type: SpotRestAPI.OrderCancelReplaceTypeEnum.LIMIT,
      cancelReplaceMode: SpotRestAPI.OrderCancelReplaceCancelReplaceModeEnum.STOP_ON_FAILURE,
      timeInForce: SpotRestAPI.OrderCancelReplaceTimeInForceEnum.GTC,
      quantity: 0.01,
      price: 59002,
      cancelOrderId: Number(a.orderId),
    }),
  );
  await check('rest.cancelReplace', replaced);
  t.equal(
    await codeOf(
      rest.orderCancelReplace({
        symbol: 'BTCUSDT',
        side: SpotRestAPI.OrderCancelReplaceSideEnum.BUY,
        type: SpotRestAPI.OrderCancelReplaceTypeEnum.LIMIT,
        cancelReplaceMode: SpotRestAPI.OrderCancelReplaceCancelReplaceModeEnum.STOP_ON_FAILURE,
        timeInForce: SpotRestAPI.OrderCancelReplaceTimeInForceEnum.GTC,
        quantity: 0.01,
        price: 59003,
        cancelOrderId: Number(a.orderId),
      }),
    ),
    -2022,
    'canceling it twice fails the whole cancel-replace',
  );
  const ask = await data(
    rest.newOrder({
      symbol: 'BTCUSDT',
      side: SpotRestAPI.NewOrderSideEnum.SELL,
      type: SpotRestAPI.NewOrderTypeEnum.LIMIT,
      timeInForce: SpotRestAPI.NewOrderTimeInForceEnum.GTC,
      quantity: 0.01,
      price: 60001,
    }),
  );
  const self = await data(order({ price: 60001, selfTradePreventionMode: SpotRestAPI.NewOrderSelfTradePreventionModeEnum.EXPIRE_TAKER }));
  t.match(self, { status: 'EXPIRED_IN_MATCH', preventedMatchId: Number, preventedQuantity: '0.01000000' });
  await seen(Number(self.orderId), 'TRADE_PREVENTION');
  await check('rest.myPreventedMatches', (await data(rest.myPreventedMatches({ symbol: 'BTCUSDT', orderId: Number(self.orderId) })))[0]);
  t.match(
    await data(rest.getOrder({ symbol: 'BTCUSDT', orderId: Number(ask.orderId) })),
    { status: 'NEW' },
    'the resting side is untouched',
  );
  await check('rest.cancelAll', (await data(rest.deleteOpenOrders({ symbol: 'BTCUSDT' })))[0]);
  await check('rest.allOrders', (await data(rest.allOrders({ symbol: 'BTCUSDT' })))[0]);
  await check('rest.account', await data(rest.getAccount()));
  await check('rest.accountCommission', await data(rest.accountCommission({ symbol: 'BTCUSDT' })));
  await check('rest.rateLimitOrder', await data(rest.rateLimitOrder()));

  // ---- a deposit on the user-data stream, and the end of the subscription ---------------
  await sim.admin.deposit(me.apiKey, 'USDT', '25');
  const deposit = await eventually(() => events.find((e) => e.e === 'balanceUpdate'), 5_000, 'balanceUpdate', 25);
  await check('user.balanceUpdate', { subscriptionId: 0, event: deposit });
  t.match(deposit, { a: 'USDT', d: '25.00000000' });
  await ws.userDataStreamUnsubscribe();
  await check('user.eventStreamTerminated', {
    subscriptionId: 0,
    event: await eventually(() => events.find((e) => e.e === 'eventStreamTerminated'), 5_000, 'end', 25),
  });
  t.same(sim.simulator.accounts.find(me.apiKey)?.openOrders() ?? ['x'], [], 'nothing left open');
});
