import type { BalanceRow, CandleRow, OrderRow, PositionRow, TradeRow } from '../src/lib/live/channels.ts';
import { BTCUSDT } from '@blotter/test-kit/fixtures';

export { BTCUSDT };

export const USER = '0192f4a7-0000-7000-8000-000000000001';

let n = 0;
export const uuid = (i = ++n) => `0192f4a8-5b7e-7c31-9a55-${i.toString(16).padStart(12, '0')}`;

export function order(over: Partial<OrderRow> = {}): OrderRow {
  return {
    orderId: uuid(1),
    userId: USER,
    clientOrderId: 'ui-abc',
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'LIMIT',
    timeInForce: 'GTC',
    quantity: '0.01',
    price: '64000',
    stopPrice: null,
    status: 'NEW',
    filledQuantity: '0',
    avgFillPrice: null,
    fee: '0',
    feeAsset: null,
    fees: [],
    venue: 'paper',
    venueOrderId: null,
    reason: null,
    createdAt: '2026-11-24T12:00:00.000Z',
    updatedAt: '2026-11-24T12:00:00.000Z',
    version: 10,
    ...over,
  };
}

export function trade(over: Partial<TradeRow> = {}): TradeRow {
  return {
    tradeId: '1',
    orderId: uuid(1),
    userId: USER,
    symbol: 'BTCUSDT',
    side: 'BUY',
    price: '64000',
    quantity: '0.01',
    quoteQuantity: '640',
    fee: '0.00001',
    feeAsset: 'BTC',
    at: '2026-11-24T12:00:01.000Z',
    version: 11,
    ...over,
  };
}

export function position(over: Partial<PositionRow> = {}): PositionRow {
  return {
    userId: USER,
    symbol: 'BTCUSDT',
    quantity: '0.5',
    avgEntryPrice: '100',
    realizedPnl: '0',
    fees: '0',
    feesByAsset: [],
    version: 5,
    ...over,
  };
}

export const balance = (asset: string, free: string, locked = '0'): BalanceRow => ({ asset, free, locked });

export function candle(minute: number, close = '100', over: Partial<CandleRow> = {}): CandleRow {
  const openTime = new Date(Date.UTC(2026, 10, 24, 12, minute)).toISOString();
  return { openTime, open: '100', high: '101', low: '99', close, volume: '1.5', ...over };
}
