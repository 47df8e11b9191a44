import t from 'tap';
import { channelMessages, parseServerMessage, wsUrlFor } from '../src/lib/live/protocol.ts';
import { candlesChannel, parseChannel, tickerChannel } from '../src/lib/live/channels.ts';

t.test('server messages are parsed and checked against the contract', async (t) => {
  t.same(parseServerMessage('{"type":"ready"}'), { type: 'ready' }, 'ready with or without a userId');
  t.same(parseServerMessage('{"type":"ready","userId":"u"}'), { type: 'ready' });
  t.same(parseServerMessage('{"type":"snapshot","channel":"orders","version":3,"data":[]}'), {
    type: 'snapshot',
    channel: 'orders',
    version: 3,
    data: [],
  });
  t.same(parseServerMessage('{"type":"update","channel":"ticker:BTCUSDT","version":4,"prevVersion":3,"data":{}}')?.type, 'update');
  t.equal(parseServerMessage('{"type":"update","channel":"orders","version":4,"data":[]}'), null, 'an update without prevVersion');
  t.equal(parseServerMessage('{"type":"snapshot","channel":"nope","version":1,"data":[]}'), null, 'an unknown channel');
  t.equal(parseServerMessage('{"type":"pong"}')?.type, 'pong');
  t.equal(parseServerMessage('not json'), null);
  t.equal(parseServerMessage(new ArrayBuffer(2)), null, 'binary frames are not part of the contract');
});

t.test('subscriptions are split in messages of at most 20 channels', async (t) => {
  const channels = Array.from({ length: 45 }, (_, i) => tickerChannel(`SYM${i}`));
  const msgs = channelMessages('subscribe', channels);
  t.equal(msgs.length, 3);
  t.same(
    msgs.map((m) => ('channels' in m ? m.channels.length : 0)),
    [20, 20, 5],
  );
  t.same(channelMessages('unsubscribe', []), []);
});

t.test('the WebSocket URL is derived from the gateway URL', async (t) => {
  t.equal(wsUrlFor('http://127.0.0.1:3001'), 'ws://127.0.0.1:3001/api/ws');
  t.equal(wsUrlFor('https://gw.example.com/'), 'wss://gw.example.com/api/ws');
  t.equal(wsUrlFor('https://example.com/blotter/'), 'wss://example.com/blotter/api/ws', 'path prefix kept');
  t.equal(wsUrlFor('ws://localhost:3001'), 'ws://localhost:3001/api/ws');
  t.throws(() => wsUrlFor('ftp://x'));
});

t.test('channel names follow the contract grammar', async (t) => {
  t.same(parseChannel('orders'), { kind: 'orders' });
  t.same(parseChannel('ticker:ETHUSDT'), { kind: 'ticker', symbol: 'ETHUSDT' });
  t.same(parseChannel(candlesChannel('BTCUSDT', '1h')), { kind: 'candles', symbol: 'BTCUSDT', interval: '1h' });
  t.equal(parseChannel('candles:BTCUSDT:2m'), null);
  t.equal(parseChannel('ticker:btcusdt'), null);
  t.equal(parseChannel('ordersx'), null);
});
