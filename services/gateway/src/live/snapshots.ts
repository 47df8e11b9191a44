// Snapshots for the user channels, each read in one REPEATABLE READ transaction together with the
// channel's version, so the rows and the version describe the same instant.
import { channelVersion, listAlerts, listBalances, listOrders, listPositions, listTrades, withMark } from '@blotter/read-models';
import type { UserChannel } from '@blotter/schemas';
import type { FastifyInstance } from 'fastify';

export async function userSnapshot(
  app: FastifyInstance,
  userId: string,
  channel: UserChannel,
): Promise<{ version: number; data: unknown[] }> {
  const schema = app.readSchema;
  return app.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const version = await channelVersion(trx, schema, userId, channel);
      switch (channel) {
        case 'orders':
          return { version, data: await listOrders(trx, schema, { userId, status: 'all', limit: 200 }) };
        case 'trades':
          return { version, data: await listTrades(trx, schema, { userId, limit: 200 }) };
        case 'balances':
          return { version, data: (await listBalances(trx, schema, userId)).map(({ asset, free, locked }) => ({ asset, free, locked })) };
        case 'positions':
          return { version, data: (await listPositions(trx, schema, userId)).map((p) => withMark(p, app.market.markPrice(p.symbol))) };
        case 'alerts':
          return { version, data: await listAlerts(trx, schema, userId, 'all') };
      }
    });
}
