import type { ExistingOrder } from '@blotter/orders';

/** One row per order; the columns are exactly the order aggregate's state. */
export type OrdersTable = ExistingOrder;
