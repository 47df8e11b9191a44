// The signing on the adapter's request path, against Binance's published example
// (rest-api.md, "SIGNED Endpoint Examples for POST /api/v3/order").
import { createHmac } from 'node:crypto';
import t from 'tap';
import { createLibraryClient } from '../src/venue/binance-client.ts';
import { createBinanceVenue } from '../src/venue/index.ts';
import { silentLogger } from '@blotter/eventstore/logger';
import { FixtureVenue } from './fixtures/fixture-venue.ts';

const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const PAYLOAD = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';

const hmac = (payload: string) => createHmac('sha256', SECRET).update(payload).digest('hex');

t.test('the library function that signs every request (generateSignature) reproduces the published signature', async (t) => {
  const client = createLibraryClient(
    { apiKey: API_KEY, apiSecret: SECRET, kind: 'paper', baseUrl: 'http://127.0.0.1:9' },
    10_000,
    silentLogger,
  );
  t.equal(client.generateSignature(PAYLOAD), SIGNATURE);
  t.equal(hmac(PAYLOAD), SIGNATURE, 'the independent HMAC used below agrees with the published example');
});

t.test('the signature the adapter sends is the HMAC of exactly the bytes it sends', async (t) => {
  const server = await FixtureVenue.start(SECRET);
  t.teardown(() => server.close());
  const venue = await createBinanceVenue({ apiKey: API_KEY, apiSecret: SECRET, kind: 'paper', baseUrl: server.url });
  t.teardown(() => venue.close());
  server.reply('POST /api/v3/order', {
    status: 200,
    body: {
      symbol: 'LTCBTC',
      orderId: 1,
      clientOrderId: 'sig-1',
      transactTime: 1499827319559,
      executedQty: '0.00000000',
      cummulativeQuoteQty: '0.00000000',
      status: 'NEW',
      fills: [],
    },
  });
  await venue.placeOrder({
    symbol: 'LTCBTC',
    side: 'BUY',
    type: 'LIMIT',
    quantity: '1',
    price: '0.1',
    stopPrice: null,
    timeInForce: 'GTC',
    clientOrderId: 'sig-1',
  });
  const [sent] = server.requestsTo('POST /api/v3/order');
  if (!sent) throw new Error('no request');
  const match = /^(?<payload>.*)&signature=(?<signature>[0-9a-f]{64})$/.exec(sent.rawBody);
  if (!match?.groups) throw new Error(`unsigned body: ${sent.rawBody}`);
  const { payload = '', signature } = match.groups;
  t.equal(signature, hmac(payload));
  t.match(
    payload,
    /^symbol=LTCBTC&side=BUY&type=LIMIT&quantity=1&price=0\.1&timeInForce=GTC&newClientOrderId=sig-1&newOrderRespType=FULL&recvWindow=5000&timestamp=\d{13}$/,
  );
  t.equal(sent.rawQuery, '', 'everything signed is in the body');
  t.equal(sent.apiKey, API_KEY);
});
