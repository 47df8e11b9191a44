// WebSockets share the HTTP port, as on Binance's gateways: /ws-api/v3 is the WebSocket API,
// /ws/... and /stream?streams=... are market streams. Anything else is refused with a 404.
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import type { Simulator } from '../simulator.ts';
import { MarketStreams } from './market-streams.ts';
import type { WsApi } from './ws-api.ts';

export function attachWebSockets(app: FastifyInstance, sim: Simulator, wsApi: WsApi): void {
  const wss = new WebSocketServer({ noServer: true });
  const streams = new MarketStreams(sim);
  app.server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/ws-api/v3') {
      wss.handleUpgrade(req, socket, head, (ws) => wsApi.handle(ws, req.socket.remoteAddress ?? 'unknown', url));
    } else if (url.pathname === '/stream' || url.pathname === '/ws' || url.pathname.startsWith('/ws/')) {
      wss.handleUpgrade(req, socket, head, (ws) => streams.handle(ws, url));
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  app.addHook('preClose', async () => {
    wsApi.closeAll();
    streams.closeAll();
    wss.close();
  });
}
