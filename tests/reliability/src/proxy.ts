// A TCP proxy we control, between one process and Postgres:
//  - cut() drops every connection and refuses new ones (what a network partition or a dead server
//    looks like to the client); restore() listens again on the same port;
//  - freeze(true) holds everything the client sends, connections open: a query or a COMMIT in
//    flight stays in flight, which is the moment a crash test wants to kill the client in.
import net from 'node:net';

interface Link {
  client: net.Socket;
  upstream: net.Socket;
  held: Buffer[];
}

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly links = new Set<Link>();
  private frozen = false;
  port = 0;
  connections = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = this.port): Promise<number> {
    const server = net.createServer((client) => {
      this.connections++;
      const upstream = net.connect(this.target);
      const link: Link = { client, upstream, held: [] };
      this.links.add(link);
      client.on('data', (chunk: Buffer) => {
        if (this.frozen) link.held.push(chunk);
        else upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => client.write(chunk));
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.links.delete(link);
      };
      for (const s of [client, upstream]) {
        s.on('error', end);
        s.on('close', end);
      }
    });
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen({ port, host: '127.0.0.1' }, () => done());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.server = server;
    return this.port;
  }

  /** Drops every open connection and stops listening: clients get resets, then ECONNREFUSED. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const l of this.links) {
      l.client.destroy();
      l.upstream.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Holds (true) or forwards again (false) what the clients send. */
  freeze(on: boolean): void {
    this.frozen = on;
    if (on) return;
    for (const l of this.links) {
      for (const chunk of l.held) l.upstream.write(chunk);
      l.held = [];
    }
  }

  restore(): Promise<number> {
    return this.start(this.port);
  }

  /** `url` with its host and port replaced by this proxy's. */
  rewrite(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}
