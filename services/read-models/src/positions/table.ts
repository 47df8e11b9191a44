import type { PositionState } from '@blotter/orders';

export interface PositionsTable extends PositionState {
  userId: string;
  symbol: string;
  version: number;
}
