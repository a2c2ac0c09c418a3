/**
 * A TLS server whose connections a test scripts (`onConnection`), counting handshakes, resumed
 * sessions, the SNI and ALPN it saw; closing destroys every connection. Used by the simulator
 * dialect tests, where the module's TLS stack is the client.
 */
import type * as net from 'node:net';
import * as tls from 'node:tls';

export interface TestServer {
  readonly port: number;
  readonly sockets: Set<tls.TLSSocket>;
  /** Handshakes completed, how many resumed a session, and what the last client asked for. */
  readonly stats: { connections: number; resumed: number; servername?: string; alpn?: string };
  close(): Promise<void>;
}

/** `options` override the certificate and key (`keys`) and any other server setting. */
export async function startScriptedServer(
  keys: { cert: string; key: string },
  onConnection: (socket: tls.TLSSocket) => void,
  options: tls.TlsOptions = {},
): Promise<TestServer> {
  const sockets = new Set<tls.TLSSocket>();
  const raw = new Set<net.Socket>();
  const stats: TestServer['stats'] = { connections: 0, resumed: 0 };
  const server = tls.createServer({ cert: keys.cert, key: keys.key, ...options }, (socket) => {
    sockets.add(socket);
    stats.connections++;
    if (socket.isSessionReused()) stats.resumed++;
    const name = (socket as tls.TLSSocket & { servername?: string | false }).servername;
    stats.servername = typeof name === 'string' ? name : undefined;
    stats.alpn = socket.alpnProtocol || undefined;
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('connection', (socket: net.Socket) => {
    raw.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => raw.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of raw) socket.destroy();
      }),
  };
}

/** Echoes every byte back. */
export function echo(socket: tls.TLSSocket): void {
  socket.on('data', (data: Buffer) => socket.write(data));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
