import { AddressInfo, createServer, Server, Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of another server. While stalled it accepts connections and
 * never answers: nothing is read from the client or passed either way, as with an endpoint that
 * hangs. Forwarding again lets every held connection go on where it stopped.
 */
export class StallingProxy {
  private stalled = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
  ) {
    server.on('connection', (client) => this.relay(client));
  }

  static async start(upstream: string): Promise<StallingProxy> {
    const proxy = new StallingProxy(createServer(), new URL(upstream));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stall(): void {
    this.stalled = true;
    this.sockets.forEach((socket) => socket.pause());
  }

  forward(): void {
    this.stalled = false;
    this.sockets.forEach((socket) => socket.resume());
  }

  async close(): Promise<void> {
    this.sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => this.server.close(resolve));
  }

  private relay(client: Socket): void {
    const upstream = new Socket().connect(Number(this.upstream.port), this.upstream.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      this.sockets.add(from);
      if (this.stalled) from.pause();
      from.on('data', (chunk: Buffer) => to.write(chunk));
      from.on('end', () => to.end());
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}
