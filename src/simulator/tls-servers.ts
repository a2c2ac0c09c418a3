/**
 * Local TLS servers for tests and the demo: the "far end" a simulated modem connects to.
 *
 * Owns: an echo server over `node:tls` with the knobs tests need — server-only or mutual
 * authentication, protocol versions, cipher list, ALPN, closing each connection after some bytes —
 * and what it saw (connections, SNI name, client certificate subject, handshake errors).
 * Must never: keep a handle alive after `close()` (tests exit on their own), or listen anywhere
 * but the address asked for (default loopback).
 *
 * ```
 * const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
 * // … openTls({ host: '127.0.0.1', port: server.port, … }) …
 * await server.close();
 * ```
 */
import { EventEmitter } from 'node:events';
import type * as net from 'node:net';
import * as tls from 'node:tls';

type Pem = string | Buffer;

export interface TlsEchoServerOptions {
  cert: Pem | Pem[];
  key: Pem | Pem[];
  /** Roots trusted for client certificates (mutual). */
  ca?: Pem | Pem[];
  /** Mutual authentication: ask for a client certificate, require one, and verify it against `ca`. */
  requestCert?: boolean;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher string (TLS 1.2 names and TLS 1.3 `TLS_…` names, colon separated). */
  ciphers?: string;
  alpn?: string[];
  /** Echo at most this many bytes per connection, then close it (0: close on the first byte). */
  closeAfterBytes?: number;
  /** Echo the first chunk received, then close the connection. */
  closeAfterFirstChunk?: boolean;
}

export interface TlsEchoServerEvents {
  /** A client completed the handshake (and, with `requestCert`, was accepted). */
  connection: [socket: tls.TLSSocket];
  /** A handshake failed on the server side (`tlsClientError`). */
  'tls-error': [error: Error];
}

export class TlsEchoServer extends EventEmitter<TlsEchoServerEvents> {
  /** Completed handshakes since start. */
  connections = 0;
  /** One-line subject of the last accepted client certificate, e.g. `O=…, CN=modem-client`. */
  lastClientCertSubject?: string;
  /** The SNI name of the last connection; undefined when the client sent none. */
  lastServername?: string;
  /** The ALPN protocol agreed on the last connection. */
  lastAlpnProtocol?: string;
  /** Protocol version of the last connection. */
  lastProtocol?: string;
  /** The last handshake error. */
  lastTlsError?: Error;

  private closing?: Promise<void>;

  constructor(
    private readonly server: tls.Server,
    /** Every open TCP connection, handshaking or established, kept so `close()` can end them. */
    private readonly sockets: ReadonlySet<net.Socket>,
    readonly host: string,
    readonly port: number,
  ) {
    super();
  }

  /** Currently open TCP connections (handshaking or established). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Stops listening, destroys every live connection, resolves once the server is closed. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }
}

export async function startTlsEchoServer(options: TlsEchoServerOptions): Promise<TlsEchoServer> {
  const mutual = options.requestCert === true;
  const server = tls.createServer({
    cert: options.cert,
    key: options.key,
    ca: options.ca,
    requestCert: mutual,
    rejectUnauthorized: mutual,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    ciphers: options.ciphers,
    ALPNProtocols: options.alpn,
    // DHE suites (Telit platforms 25, 30, 37, 52 offer them) need DH parameters: 'auto' lets OpenSSL pick well-known ones.
    dhparam: 'auto',
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const sockets = new Set<net.Socket>();
  const echo = new TlsEchoServer(server, sockets, host, address.port);

  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined); // resets by clients that fail on purpose are expected
  });
  server.on('tlsClientError', (error: Error) => {
    echo.lastTlsError = error;
    echo.emit('tls-error', error);
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    socket.on('error', () => undefined);
    echo.connections++;
    const servername = (socket as tls.TLSSocket & { servername?: string | false }).servername;
    echo.lastServername = typeof servername === 'string' ? servername : undefined;
    echo.lastAlpnProtocol = socket.alpnProtocol || undefined;
    echo.lastProtocol = socket.getProtocol() ?? undefined;
    if (mutual) {
      const peer = socket.getPeerX509Certificate();
      if (peer) echo.lastClientCertSubject = peer.subject.split('\n').join(', ');
    }
    serveEcho(socket, options);
    echo.emit('connection', socket);
  });
  return echo;
}

function serveEcho(socket: tls.TLSSocket, options: TlsEchoServerOptions): void {
  const limit = options.closeAfterBytes;
  let echoed = 0;
  const stop = (): void => {
    socket.off('data', onData);
    socket.end();
  };
  const onData = (chunk: Buffer): void => {
    const part = limit === undefined ? chunk : chunk.subarray(0, limit - echoed);
    echoed += part.length;
    if (part.length > 0) socket.write(part);
    if ((limit !== undefined && echoed >= limit) || options.closeAfterFirstChunk) stop();
  };
  socket.on('data', onData);
}
