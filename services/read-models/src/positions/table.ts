import type { SequencedPosition } from '@blotter/orders';

/** `settled` and `recent` keep the fill order right (SequencedPosition); the API shows neither. */
export interface PositionsTable extends SequencedPosition {
  userId: string;
  symbol: string;
  version: number;
}
