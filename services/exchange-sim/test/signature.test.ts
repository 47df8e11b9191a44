import t from 'tap';
import { extractSignature, hmacHex, signatureMatches } from '../src/http/signature.ts';
import { wsSignaturePayload } from '../src/ws/ws-api-methods.ts';

// Binance's published HMAC example (SIGNED endpoint security, "Example 1").
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';

t.test('the published example verifies, from the query string or from the body', async (t) => {
  t.equal(hmacHex(SECRET, QUERY), SIGNATURE);
  const fromQuery = extractSignature(`${QUERY}&signature=${SIGNATURE}`, '');
  t.same(fromQuery, { payload: QUERY, signature: SIGNATURE });
  t.ok(signatureMatches(SECRET, fromQuery.payload, SIGNATURE));
  const fromBody = extractSignature('', `${QUERY}&signature=${SIGNATURE}`);
  t.ok(signatureMatches(SECRET, fromBody.payload, SIGNATURE));
  t.ok(signatureMatches(SECRET, QUERY, SIGNATURE.toUpperCase()), 'hex case does not matter');
});

t.test('query and body are concatenated without a separator (Binance example 3)', async (t) => {
  const { payload } = extractSignature(
    'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC',
    'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=x',
  );
  t.equal(payload, 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
  t.equal(hmacHex(SECRET, payload), '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
});

t.test('a tampered query or another secret does not verify', async (t) => {
  t.notOk(signatureMatches(SECRET, QUERY.replace('quantity=1', 'quantity=2'), SIGNATURE));
  t.notOk(signatureMatches(`${SECRET}x`, QUERY, SIGNATURE));
  t.notOk(signatureMatches(SECRET, QUERY, 'short'));
  t.equal(extractSignature(QUERY, '').signature, undefined);
});

t.test('WebSocket API payload: params sorted by name, signature left out', async (t) => {
  t.equal(wsSignaturePayload({ timestamp: 1649729878532, signature: 'abc', apiKey: 'K' }), 'apiKey=K&timestamp=1649729878532');
});
