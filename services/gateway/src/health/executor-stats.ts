// The executor announces its figures on `<ns>.stats.executor`; the gateway keeps the latest ones as
// gauges, so one /metrics shows both sides.
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    const decoder = new TextDecoder();
    const sub = app.nc.subscribe(app.store.subjects.executorStats, {
      callback: (err, msg) => {
        if (err) return;
        let stats: unknown;
        try {
          stats = JSON.parse(decoder.decode(msg.data));
        } catch {
          return;
        }
        if (typeof stats !== 'object' || stats === null) return;
        for (const [figure, value] of Object.entries(stats)) if (typeof value === 'number') app.metrics.executor.set({ figure }, value);
      },
    });
    app.addHook('onClose', async () => sub.unsubscribe());
  },
  { name: 'executor-stats', dependencies: ['nats', 'metrics'] },
);
