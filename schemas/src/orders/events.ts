// Order events: everything that ever happens to an order, in the past tense. One order is one
// aggregate with its own subject; every fact the projections need travels on the event itself, so a
// projection never has to look anything up to apply it.
import Type, { type Static } from 'typebox';
import { defineEvent } from '../event.ts';
import { FILTER_NAMES, FilterName } from '../market/market.ts';
import {
  Asset,
  AssetAmount,
  ClientOrderId,
  Decimal,
  Id,
  MarketSymbol,
  Nullable,
  OrderType,
  Side,
  TimeInForce,
  Timestamp,
  Venue,
} from '../primitives.ts';

const orderTerms = {
  orderId: Id,
  userId: Id,
  clientOrderId: Nullable(ClientOrderId),
  symbol: MarketSymbol,
  side: Side,
  type: OrderType,
  timeInForce: Nullable(TimeInForce),
  quantity: Decimal,
  price: Nullable(Decimal),
  stopPrice: Nullable(Decimal),
  venue: Venue,
};

const OrderPlacedV1 = Type.Object(
  {
    ...orderTerms,
    /** What the order holds back from the trader's free balance until it closes. */
    reserved: AssetAmount,
  },
  { additionalProperties: false },
);

const OrderPlacedV2 = Type.Object(
  {
    ...orderTerms,
    baseAsset: Asset,
    quoteAsset: Asset,
    reserved: AssetAmount,
  },
  { additionalProperties: false },
);

/** Quote assets a v1 symbol can end in, longest first so FDUSD wins over USD. */
const KNOWN_QUOTES = ['FDUSD', 'USDT', 'USDC', 'BUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'TRY'];

/** Base and quote asset of a symbol by its known quote suffix; null for an unknown quote. */
export function trySplitSymbol(symbol: string): { baseAsset: string; quoteAsset: string } | null {
  const quote = KNOWN_QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
  return quote ? { baseAsset: symbol.slice(0, -quote.length), quoteAsset: quote } : null;
}

/** v1 events did not carry the assets; they follow from the symbol. */
export function splitSymbol(symbol: string): { baseAsset: string; quoteAsset: string } {
  const split = trySplitSymbol(symbol);
  if (!split) throw new Error(`cannot split symbol ${symbol} into base and quote`);
  return split;
}

const example = {
  orderId: '0192f4a8-5b7e-7c31-9a55-3f6d2c1b0e9a',
  userId: '0192f4a7-0000-7000-8000-000000000001',
  clientOrderId: 'my-bot-000123',
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  type: 'LIMIT' as const,
  timeInForce: 'GTC' as const,
  quantity: '0.01',
  price: '64000.00',
  stopPrice: null,
  venue: 'paper' as const,
};

export const OrderPlaced = defineEvent({
  type: 'OrderPlaced',
  description: 'A trader placed an order that passed the pre-trade checks; its reservation is locked.',
  versions: [OrderPlacedV1, OrderPlacedV2],
  upcasters: [
    (v1) => {
      const data = v1 as { symbol: string };
      return { ...data, ...splitSymbol(data.symbol) };
    },
  ],
  examples: [{ ...example, baseAsset: 'BTC', quoteAsset: 'USDT', reserved: { asset: 'USDT', amount: '640' } }],
});

/** Why the pre-trade checks deny an order: on the OrderDenied event and as the API's error code. */
export const DENIAL_CODES = [
  'UNKNOWN_SYMBOL',
  'FILTER_FAILURE',
  'INSUFFICIENT_BALANCE',
  'MAX_NOTIONAL_EXCEEDED',
  'MAX_OPEN_ORDERS',
  'TRADING_HALTED',
] as const;
export const DenialCode = Type.Enum(DENIAL_CODES);
export type DenialCode = Static<typeof DenialCode>;

const denialTerms = {
  ...orderTerms,
  code: DenialCode,
  reason: Type.String({ maxLength: 500 }),
  /** The request field the denial is about, so a form can show it next to that field. */
  field: Nullable(Type.Enum(['symbol', 'quantity', 'price', 'stopPrice', 'notional'])),
};

const OrderDeniedV1 = Type.Object(denialTerms, { additionalProperties: false });
const OrderDeniedV2 = Type.Object(
  {
    ...denialTerms,
    /** The Binance filter a FILTER_FAILURE is about (null for the other codes). */
    filter: Nullable(FilterName),
  },
  { additionalProperties: false },
);

/** v1 named the filter only as the reason's prefix ("LOT_SIZE: quantity ..."). */
function filterOfReason(code: unknown, reason: unknown): FilterName | null {
  if (code !== 'FILTER_FAILURE' || typeof reason !== 'string') return null;
  const prefix = reason.slice(0, Math.max(0, reason.indexOf(':')));
  return FILTER_NAMES.find((name) => name === prefix) ?? null;
}

export const OrderDenied = defineEvent({
  type: 'OrderDenied',
  description: 'Pre-trade checks denied an order; it never reached the venue.',
  versions: [OrderDeniedV1, OrderDeniedV2],
  upcasters: [
    (v1) => {
      const data = v1 as { code: unknown; reason: unknown };
      return { ...data, filter: filterOfReason(data.code, data.reason) };
    },
  ],
  examples: [
    { ...example, code: 'INSUFFICIENT_BALANCE', reason: 'needs 640.64 USDT, 100 available', field: 'quantity', filter: null },
    {
      ...example,
      quantity: '0.00001',
      code: 'FILTER_FAILURE',
      reason: 'NOTIONAL: order value 0.64 is below the minimum 5',
      field: 'notional',
      filter: 'NOTIONAL',
    },
  ],
});

export const OrderAccepted = defineEvent({
  type: 'OrderAccepted',
  description: 'The venue acknowledged the order (it rests on the book or is about to fill).',
  versions: [
    Type.Object({ orderId: Id, venueOrderId: Type.String({ maxLength: 64 }), acceptedAt: Timestamp }, { additionalProperties: false }),
  ],
  examples: [{ orderId: example.orderId, venueOrderId: '28457', acceptedAt: '2026-11-24T12:00:00.120Z' }],
});

const fillTerms = {
  orderId: Id,
  tradeId: Type.String({ maxLength: 64 }),
  symbol: MarketSymbol,
  side: Side,
  baseAsset: Asset,
  quoteAsset: Asset,
  price: Decimal,
  quantity: Decimal,
  quoteQuantity: Decimal,
  fee: Decimal,
  feeAsset: Asset,
  cumulativeQuantity: Decimal,
  released: AssetAmount,
  filledAt: Timestamp,
};

const OrderFilledV1 = Type.Object(fillTerms, { additionalProperties: false });
const OrderFilledV2 = Type.Object(
  {
    ...fillTerms,
    /**
     * The price of one unit of feeAsset in quoteAsset that values the fee: 1 for a quote fee, the
     * fill price for a base fee, and for a third asset (BNB) the venue's price when the fill was
     * recorded. Recorded so every replay values the fee the same way; null when the venue had no
     * price for that asset (the fee then counts in feesByAsset but not in the quote figures).
     */
    feeQuoteRate: Nullable(Decimal),
  },
  { additionalProperties: false },
);

/** v1 fills had no rate: quote and base fees have theirs by definition, a third asset's is unknown. */
function rateOfV1Fill(data: { fee: string; feeAsset: string; baseAsset: string; quoteAsset: string; price: string }): string | null {
  if (data.feeAsset === data.quoteAsset) return '1';
  if (data.feeAsset === data.baseAsset) return data.price;
  return null;
}

const filledExample = {
  orderId: example.orderId,
  tradeId: '9912',
  symbol: 'BTCUSDT',
  side: 'BUY' as const,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  price: '63990.00',
  quantity: '0.01',
  quoteQuantity: '639.9',
  fee: '0.00001',
  feeAsset: 'BTC',
  cumulativeQuantity: '0.01',
  released: { asset: 'USDT', amount: '640' },
  filledAt: '2026-11-24T12:00:01.000Z',
};

export const OrderFilled = defineEvent({
  type: 'OrderFilled',
  description:
    'One execution (trade) of the order at the venue. The status becomes PARTIALLY_FILLED or FILLED ' +
    'from the cumulative quantity; `released` is the part of the reservation this fill frees; ' +
    '`feeQuoteRate` values the fee in the quote asset.',
  versions: [OrderFilledV1, OrderFilledV2],
  upcasters: [
    (v1) => {
      const data = v1 as Parameters<typeof rateOfV1Fill>[0];
      return { ...data, feeQuoteRate: rateOfV1Fill(data) };
    },
  ],
  examples: [
    { ...filledExample, feeQuoteRate: '63990' },
    { ...filledExample, tradeId: '9913', fee: '0.00086', feeAsset: 'BNB', feeQuoteRate: '612.4' },
  ],
});

const closing = {
  orderId: Id,
  reason: Type.String({ maxLength: 500 }),
  /** The rest of the reservation, returned to the free balance. */
  released: AssetAmount,
};

export const OrderRejected = defineEvent({
  type: 'OrderRejected',
  description: 'The venue refused the order (e.g. -2010 insufficient balance, -1013 filter failure).',
  versions: [Type.Object({ ...closing, code: Type.String({ maxLength: 32 }) }, { additionalProperties: false })],
  examples: [
    {
      orderId: example.orderId,
      code: '-2010',
      reason: 'Account has insufficient balance for requested action.',
      released: { asset: 'USDT', amount: '640' },
    },
  ],
});

export const OrderExpired = defineEvent({
  type: 'OrderExpired',
  description:
    'The venue expired the order (IOC/FOK remainder, a MARKET order without enough liquidity) or ' +
    'reconciliation found the venue does not know it. Fills recorded before stay booked.',
  versions: [Type.Object(closing, { additionalProperties: false })],
  examples: [
    {
      orderId: example.orderId,
      reason: 'IOC remainder expired at the venue',
      released: { asset: 'USDT', amount: '320' },
    },
  ],
});

export const OrderCancelRequested = defineEvent({
  type: 'OrderCancelRequested',
  description: 'The trader asked to cancel; the executor forwards it to the venue.',
  versions: [Type.Object({ orderId: Id, requestedBy: Id }, { additionalProperties: false })],
  examples: [{ orderId: example.orderId, requestedBy: example.userId }],
});

export const OrderCanceled = defineEvent({
  type: 'OrderCanceled',
  description: 'The venue canceled the order; what was not filled is released.',
  versions: [Type.Object(closing, { additionalProperties: false })],
  examples: [
    {
      orderId: example.orderId,
      reason: 'canceled by the trader',
      released: { asset: 'USDT', amount: '640' },
    },
  ],
});

export const OrderCancelRejected = defineEvent({
  type: 'OrderCancelRejected',
  description: 'The venue refused the cancel (e.g. -2011: the order had already filled).',
  versions: [
    Type.Object(
      { orderId: Id, code: Type.String({ maxLength: 32 }), reason: Type.String({ maxLength: 500 }) },
      { additionalProperties: false },
    ),
  ],
  examples: [{ orderId: example.orderId, code: '-2011', reason: 'Unknown order sent.' }],
});

export const orderEvents = [
  OrderPlaced,
  OrderDenied,
  OrderAccepted,
  OrderFilled,
  OrderRejected,
  OrderExpired,
  OrderCancelRequested,
  OrderCanceled,
  OrderCancelRejected,
] as const;
