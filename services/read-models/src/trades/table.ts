import type { Trade } from '@blotter/schemas';

export interface TradesTable extends Trade {
  /** `<orderId>:<tradeId>`: venue trade ids are only unique per symbol. */
  tradeKey: string;
}
