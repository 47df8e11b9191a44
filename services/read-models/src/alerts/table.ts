import type { Alert } from '@blotter/schemas';

/** One row per alert; the columns are exactly the alert as the alert aggregate holds it. */
export type AlertsTable = Alert;
