// The simplest balancer that can stand in front of stateless gateways: one TCP port, each new
// connection (an HTTP keep-alive connection or a WebSocket) piped to the next backend in turn, no
// stickiness, no knowledge of HTTP. It records which backend each connection went to.
import net from 'node:net';

export class RoundRobin {
  private server: net.Server | null = null;
  private next = 0;
  private readonly sockets = new Set<net.Socket>();
  /** Backend index of every connection accepted, in order. */
  readonly routed: number[] = [];
  port = 0;

  constructor(private readonly backends: { host: string; port: number }[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const index = this.next++ % this.backends.length;
      this.routed.push(index);
      const target = this.backends[index] as { host: string; port: number };
      const upstream = net.connect(target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
