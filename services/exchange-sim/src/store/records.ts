// What the simulator writes to its data directory, declared once: the journal's records (one per
// unit of work, as a JSON line) and the snapshot that compacts them. Both are read back through
// these schemas, never trusted by type assertion: a file that does not fit stops the boot.
import Type, { type Static } from 'typebox';

const Dec = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$' });
const Int = Type.Integer();
const Key = Type.String({ minLength: 1, maxLength: 200 });
const OrderType = Type.Union([
  Type.Literal('LIMIT'),
  Type.Literal('MARKET'),
  Type.Literal('STOP_LOSS'),
  Type.Literal('STOP_LOSS_LIMIT'),
  Type.Literal('TAKE_PROFIT'),
  Type.Literal('TAKE_PROFIT_LIMIT'),
  Type.Literal('LIMIT_MAKER'),
]);
const Status = Type.Union([
  Type.Literal('NEW'),
  Type.Literal('PARTIALLY_FILLED'),
  Type.Literal('FILLED'),
  Type.Literal('CANCELED'),
  Type.Literal('EXPIRED'),
  Type.Literal('EXPIRED_IN_MATCH'),
  Type.Literal('REJECTED'),
]);
const Stp = Type.Union([
  Type.Literal('NONE'),
  Type.Literal('EXPIRE_TAKER'),
  Type.Literal('EXPIRE_MAKER'),
  Type.Literal('EXPIRE_BOTH'),
  Type.Literal('DECREMENT'),
]);
const Tif = Type.Union([Type.Literal('GTC'), Type.Literal('IOC'), Type.Literal('FOK')]);
const Expiry = Type.Union([
  Type.Literal('INSUFFICIENT_LIQUIDITY'),
  Type.Literal('UNFILLED_IOC_QUANTITY_EXPIRED'),
  Type.Literal('UNFILLED_FOK_ORDER_EXPIRED'),
]);

export const CredentialRow = Type.Union([
  Type.Object({ type: Type.Literal('HMAC'), secret: Type.String({ minLength: 1 }) }),
  Type.Object({ type: Type.Union([Type.Literal('ED25519'), Type.Literal('RSA')]), publicKey: Type.String({ minLength: 1 }) }),
]);

export const AccountRow = Type.Object({
  apiKey: Key,
  credential: CredentialRow,
  settings: Type.Object({ payFeesInBnb: Type.Boolean() }),
  updateTime: Int,
});

/** [asset, free, locked] */
export const BalanceRow = Type.Tuple([Type.String({ minLength: 1 }), Dec, Dec]);

export const OrderRow = Type.Object({
  symbol: Type.String(),
  orderId: Int,
  clientOrderId: Type.String(),
  side: Type.Union([Type.Literal('BUY'), Type.Literal('SELL')]),
  type: OrderType,
  timeInForce: Tif,
  price: Dec,
  stopPrice: Dec,
  origQty: Dec,
  origQuoteOrderQty: Dec,
  executedQty: Dec,
  cummulativeQuoteQty: Dec,
  preventedQty: Dec,
  preventedMatchId: Type.Optional(Int),
  status: Status,
  time: Int,
  updateTime: Int,
  workingTime: Int,
  selfTradePreventionMode: Stp,
  expiryReason: Type.Optional(Expiry),
  locked: Dec,
  lockPrice: Type.Optional(Dec),
  bookSeq: Int,
  amendCount: Int,
});

export const TradeRow = Type.Object({
  symbol: Type.String(),
  id: Int,
  orderId: Int,
  price: Dec,
  qty: Dec,
  quoteQty: Dec,
  commission: Dec,
  commissionAsset: Type.String(),
  time: Int,
  isBuyer: Type.Boolean(),
  isMaker: Type.Boolean(),
});

export const PreventedRow = Type.Object({
  symbol: Type.String(),
  preventedMatchId: Int,
  takerOrderId: Int,
  makerOrderId: Int,
  selfTradePreventionMode: Stp,
  price: Dec,
  takerPreventedQuantity: Type.Optional(Dec),
  makerPreventedQuantity: Type.Optional(Dec),
  transactTime: Int,
});

export const Counters = Type.Object({
  orderIds: Type.Record(Type.String(), Int),
  tradeIds: Type.Record(Type.String(), Int),
  preventedMatchIds: Type.Record(Type.String(), Int),
  bookSeq: Type.Record(Type.String(), Int),
  executionId: Int,
});

/** One unit of work. `k` names the account (its API key) a row belongs to. */
export const JournalRecord = Type.Object({
  n: Int,
  t: Int,
  counters: Counters,
  accounts: Type.Array(AccountRow),
  touched: Type.Array(Type.Object({ k: Key, updateTime: Int, balances: Type.Array(BalanceRow) })),
  orders: Type.Array(Type.Object({ k: Key, o: OrderRow })),
  trades: Type.Array(Type.Object({ k: Key, t: TradeRow })),
  prevented: Type.Array(Type.Object({ k: Key, p: PreventedRow })),
});

export const SnapshotAccount = Type.Object({
  ...AccountRow.properties,
  balances: Type.Array(BalanceRow),
  orders: Type.Array(OrderRow),
  trades: Type.Array(TradeRow),
  prevented: Type.Array(PreventedRow),
});

export const Snapshot = Type.Object({
  version: Type.Literal(1),
  /** The last journal record the snapshot includes. */
  n: Int,
  t: Int,
  counters: Counters,
  accounts: Type.Array(SnapshotAccount),
});

export type AccountRow = Static<typeof AccountRow>;
export type BalanceRow = Static<typeof BalanceRow>;
export type OrderRow = Static<typeof OrderRow>;
export type TradeRow = Static<typeof TradeRow>;
export type PreventedRow = Static<typeof PreventedRow>;
export type JournalRecord = Static<typeof JournalRecord>;
export type Snapshot = Static<typeof Snapshot>;
export type SnapshotAccount = Static<typeof SnapshotAccount>;
