import t from 'tap';
import { readConfig } from '../src/lib/server/config.ts';
import { SECURITY_HEADERS, withConnectSrc } from '../src/lib/server/security.ts';

t.test("the gateway's socket origin joins connect-src", async (t) => {
  const kit = "default-src 'self'; connect-src 'self'; script-src 'self' 'nonce-abc'; frame-ancestors 'none'";
  t.equal(
    withConnectSrc(kit, ['ws://127.0.0.1:3001']),
    "default-src 'self'; connect-src 'self' ws://127.0.0.1:3001; script-src 'self' 'nonce-abc'; frame-ancestors 'none'",
  );
  t.equal(withConnectSrc("connect-src 'self' ws://a", ['ws://a']), "connect-src 'self' ws://a", 'no duplicates');
  t.equal(
    withConnectSrc("default-src 'self' https://cdn", ['wss://gw']),
    "default-src 'self' https://cdn; connect-src 'self' https://cdn wss://gw",
    'created from default-src',
  );
});

t.test('framing, sniffing and referrer headers', async (t) => {
  t.equal(SECURITY_HEADERS['x-frame-options'], 'DENY');
  t.equal(SECURITY_HEADERS['x-content-type-options'], 'nosniff');
  t.ok(SECURITY_HEADERS['referrer-policy']);
});

t.test('config: defaults, public socket URL, validation', async (t) => {
  t.same(readConfig({}), {
    gatewayUrl: 'http://127.0.0.1:3001',
    wsUrl: 'ws://127.0.0.1:3001/api/ws',
    wsOrigin: 'ws://127.0.0.1:3001',
    gatewayTimeoutMs: 10_000,
  });
  const c = readConfig({ GATEWAY_URL: 'http://gateway:3001/', GATEWAY_PUBLIC_URL: 'https://trade.example.com' });
  t.equal(c.gatewayUrl, 'http://gateway:3001');
  t.equal(c.wsUrl, 'wss://trade.example.com/api/ws');
  t.equal(c.wsOrigin, 'wss://trade.example.com');
  t.throws(() => readConfig({ GATEWAY_URL: 'gateway:3001' }), /GATEWAY_URL/);
  t.throws(() => readConfig({ GATEWAY_URL: 'ftp://x' }), /GATEWAY_URL must use/);
  t.throws(() => readConfig({ GATEWAY_TIMEOUT_MS: 'soon' }), /GATEWAY_TIMEOUT_MS/);
});
