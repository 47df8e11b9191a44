import type { Balance } from '@blotter/schemas';

export type BalancesTable = Balance;
