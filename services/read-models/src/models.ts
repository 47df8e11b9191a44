import { alertsModel } from './alerts/projection.ts';
import { balancesModel } from './balances/projection.ts';
import { ordersModel } from './orders/projection.ts';
import { positionsModel } from './positions/projection.ts';
import type { AnyReadModel } from './read-model.ts';
import { tradesModel } from './trades/projection.ts';

/** Every read model, in the order the runner applies them within a batch. */
export const allReadModels: readonly AnyReadModel[] = [ordersModel, tradesModel, balancesModel, positionsModel, alertsModel];
