import { generateKeyPairSync, sign } from 'node:crypto';
import t from 'tap';
import { extractSignature, hmacHex, signatureMatches, wsSignaturePayload } from '../src/api/signature.ts';
import { Account } from '../src/engine/accounts.ts';

// Binance's published HMAC example (rest-api.md, "SIGNED Endpoint Examples for POST /api/v3/order").
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const QUERY = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
// The same docs' non-ASCII example: the payload is signed percent-encoded.
const NON_ASCII =
  'symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const NON_ASCII_SIGNATURE = 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3';

const hmacAccount = (secret: string) => new Account('K'.repeat(64), { type: 'HMAC', secret }, {}, 0, { payFeesInBnb: false });

t.test('the published examples verify, from the query string or from the body', async (t) => {
  t.equal(hmacHex(SECRET, QUERY), SIGNATURE);
  t.equal(hmacHex(SECRET, NON_ASCII), NON_ASCII_SIGNATURE);
  const account = hmacAccount(SECRET);
  const fromQuery = extractSignature(`${QUERY}&signature=${SIGNATURE}`, '');
  t.same(fromQuery, { payload: QUERY, signature: SIGNATURE });
  t.ok(signatureMatches(account, fromQuery.payload, SIGNATURE));
  const fromBody = extractSignature('', `${QUERY}&signature=${SIGNATURE}`);
  t.ok(signatureMatches(account, fromBody.payload, SIGNATURE));
  t.ok(signatureMatches(account, QUERY, SIGNATURE.toUpperCase()), 'hex case does not matter');
});

t.test('query and body are concatenated without a separator', async (t) => {
  const { payload } = extractSignature(
    'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC',
    'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=x',
  );
  t.equal(payload, 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559');
  t.equal(hmacHex(SECRET, payload), '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77');
});

t.test('a tampered query or another secret does not verify', async (t) => {
  t.notOk(signatureMatches(hmacAccount(SECRET), QUERY.replace('quantity=1', 'quantity=2'), SIGNATURE));
  t.notOk(signatureMatches(hmacAccount(`${SECRET}x`), QUERY, SIGNATURE));
  t.notOk(signatureMatches(hmacAccount(SECRET), QUERY, 'short'));
  t.equal(extractSignature(QUERY, '').signature, undefined);
});

t.test('Ed25519 and RSA keys: base64 signatures over the same payload, percent-decoded from the query', async (t) => {
  for (const type of ['ED25519', 'RSA'] as const) {
    const pair =
      type === 'ED25519'
        ? generateKeyPairSync('ed25519', {
            publicKeyEncoding: { type: 'spki', format: 'pem' },
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          })
        : generateKeyPairSync('rsa', {
            modulusLength: 2048,
            publicKeyEncoding: { type: 'spki', format: 'pem' },
            privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          });
    const account = new Account('E'.repeat(64), { type, publicKey: pair.publicKey }, {}, 0, { payFeesInBnb: false });
    const sig = sign(type === 'RSA' ? 'RSA-SHA256' : null, Buffer.from(QUERY), pair.privateKey).toString('base64');
    const extracted = extractSignature(`${QUERY}&signature=${encodeURIComponent(sig)}`, '');
    t.equal(extracted.signature, sig, `${type}: the signature is percent-decoded`);
    t.ok(signatureMatches(account, extracted.payload, sig), `${type} verifies`);
    t.notOk(signatureMatches(account, `${QUERY}0`, sig), `${type}: another payload does not`);
    t.notOk(signatureMatches(account, QUERY, sig.toLowerCase()), `${type}: base64 is case-sensitive`);
    t.notOk(signatureMatches(account, QUERY, ''), `${type}: empty signature`);
  }
});

t.test('WebSocket API payload: params sorted by name, signature left out, values not encoded', async (t) => {
  t.equal(wsSignaturePayload({ timestamp: 1649729878532, signature: 'abc', apiKey: 'K' }), 'apiKey=K&timestamp=1649729878532');
  t.equal(wsSignaturePayload({ symbols: ['A', 'B'], apiKey: 'K' }), 'apiKey=K&symbols=["A","B"]');
  t.equal(wsSignaturePayload({ symbols: ['A', 'B'], apiKey: 'K' }, true), 'apiKey=K&symbols=%5B%22A%22%2C%22B%22%5D');
});
