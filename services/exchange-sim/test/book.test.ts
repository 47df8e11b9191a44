// The order book's bookkeeping: price levels best first on each side, FIFO within a level, level
// totals, the update id and the level listener that drive /depth and the diff-depth stream.
import t from 'tap';
import { Big } from '../src/decimal.ts';
import { type MarketMakerQuote, OrderBook, type Quote } from '../src/engine/book.ts';

const q = (book: OrderBook, side: 'BUY' | 'SELL', price: string, qty: string): MarketMakerQuote => {
  const quote: MarketMakerQuote = { kind: 'mm', side, price: new Big(price), qty: new Big(qty), seq: book.takeSeq() };
  book.add(quote);
  return quote;
};
const levels = (book: OrderBook, side: 'BUY' | 'SELL') => book.depth(side, 10).map(([p, s]) => `${p}:${s}`);

t.test('levels sort best first; quotes queue in arrival order within a level', async (t) => {
  const book = new OrderBook('X');
  const a = q(book, 'SELL', '101', '1');
  const b = q(book, 'SELL', '100', '2');
  const c = q(book, 'SELL', '101', '3');
  q(book, 'BUY', '98', '1');
  q(book, 'BUY', '99', '4');
  t.same(levels(book, 'SELL'), ['100:2', '101:4']);
  t.same(levels(book, 'BUY'), ['99:4', '98:1']);
  const crossing: Quote[] = [...book.crossing('BUY', new Big('101'))];
  t.same(crossing, [b, a, c], 'best price first, then FIFO');
  t.same([...book.crossing('BUY', new Big('100'))], [b], 'a limit stops the walk');
  t.equal([...book.crossing('SELL')].length, 2, 'no limit: every bid');
});

t.test('reducing a quote updates its level; an empty quote and an empty level leave the book', async (t) => {
  const book = new OrderBook('X');
  const a = q(book, 'SELL', '100', '2');
  const b = q(book, 'SELL', '100', '3');
  const changes: string[] = [];
  book.onLevelChange((side, price, total) => changes.push(`${side} ${price} ${total}`));
  const before = book.updateId;
  a.qty = new Big('0.5');
  book.reduced(a, new Big('1.5'));
  t.same(levels(book, 'SELL'), ['100:3.5']);
  a.qty = new Big(0);
  book.reduced(a, new Big('0.5'));
  t.same([...book.crossing('BUY')], [b]);
  book.remove(b);
  t.same(levels(book, 'SELL'), []);
  t.same(changes, ['SELL 100 3.5', 'SELL 100 3', 'SELL 100 0']);
  t.equal(book.updateId, before + 3, 'each change is one update id');
});

t.test('sequence numbers keep increasing, also past restored ones', async (t) => {
  const book = new OrderBook('X');
  const first = book.takeSeq();
  book.reserveSeq(first + 10);
  t.equal(book.takeSeq(), first + 11);
  t.equal(book.peekSeq(), first + 12);
});
