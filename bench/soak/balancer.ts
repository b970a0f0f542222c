import net from 'node:net';

/**
 * A loopback TCP balancer in front of a subgraph's replicas, as a Kubernetes Service is: each new
 * connection goes to the next replica round-robin, and to another one when that replica refuses
 * (it is down). Connections to a replica that dies are cut, as they would be in a cluster.
 */
export class Balancer {
  private server?: net.Server;
  private next = 0;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly backends: () => number[]) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      this.track(client);
      client.pause();
      this.connect(client, this.backends(), 0);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private connect(client: net.Socket, ports: number[], tried: number): void {
    if (tried >= ports.length || client.destroyed) {
      client.destroy();
      return;
    }
    const port = ports[this.next++ % ports.length];
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('error', () => {
      if (!connected) this.connect(client, ports, tried + 1);
    });
    upstream.once('connect', () => {
      connected = true;
      this.track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
