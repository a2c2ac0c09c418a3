/**
 * A real MQTT broker behind TLS that insists on a client certificate: `aedes` on a `tls.createServer`
 * with `requestCert` and `rejectUnauthorized`, trusting the test CA only. It is the far end the
 * bridge tests point a modem at, and it keeps a log of each TLS connection it accepted: the client
 * certificate the peer presented (subject CN, issuer, SHA-256 fingerprint), the MQTT client id, the
 * subscriptions and the publishes (topic, QoS, payload length) — what the module presented and
 * carried, seen from the far side.
 *
 * Owns: the TLS server, the broker and every connection; `close()` ends all of them, so a test that
 * checks for leaked handles passes. Must never: listen anywhere but the address asked for (default
 * loopback), or accept a client without a certificate from the CA it was given.
 *
 * ```
 * const broker = await startMqttBroker({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert });
 * // … a modem connects to 127.0.0.1:broker.port …
 * broker.clients[0].cn; // 'modem-client'
 * await broker.close();
 * ```
 */
import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { X509Certificate } from 'node:crypto';

type Pem = string | Buffer;

export interface MqttBrokerOptions {
  cert: Pem;
  key: Pem;
  /** The roots a client certificate must chain to. */
  ca: Pem | Pem[];
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Also keep `lines`, one text line per event. Default true. */
  lines?: boolean;
}

/** One subscription or publish as the broker saw it. */
export interface BrokerSubscription {
  topic: string;
  qos: number;
}

export interface BrokerPublish {
  topic: string;
  qos: number;
  /** The payload's length in bytes. */
  length: number;
}

/** What the broker saw of one TLS connection, from the handshake on. */
export interface BrokerClient {
  /** The peer's address, `host:port`. */
  remote: string;
  /** The client certificate's subject CN. */
  cn?: string;
  /** Its subject and issuer, one line each (`O=…, CN=…`). */
  subject?: string;
  issuer?: string;
  /** Its SHA-256 fingerprint as `X509Certificate.fingerprint256` writes it (`AB:CD:…`). */
  fingerprint256?: string;
  /** The MQTT client id, once the CONNECT was accepted. */
  clientId?: string;
  subscriptions: BrokerSubscription[];
  publishes: BrokerPublish[];
  /** Whether the TCP connection is still open. */
  open: boolean;
  /** Why the MQTT session ended, when the broker said so (client error, keepalive). */
  ended?: string;
}

export interface MqttBroker {
  readonly host: string;
  readonly port: number;
  /** One entry per accepted TLS connection, oldest first. */
  readonly clients: readonly BrokerClient[];
  /** One line per event (`tls`, `connect`, `subscribe`, `publish`, `close`, `refused`), oldest first. */
  readonly lines: readonly string[];
  /** Handshakes the server refused (no or untrusted client certificate). */
  readonly refused: readonly string[];
  /** The clients whose MQTT client id is `clientId`, oldest first. */
  clientsWithId(clientId: string): BrokerClient[];
  /** Stops listening, ends every connection and the broker; resolves once all are closed. */
  close(): Promise<void>;
}

interface AedesClient {
  id: string;
  conn: net.Socket | tls.TLSSocket;
}

interface AedesBroker {
  handle(stream: net.Socket | tls.TLSSocket): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  close(callback?: () => void): void;
}

interface AedesModule {
  Aedes: { createBroker(options?: Record<string, unknown>): Promise<AedesBroker> };
}

/** The CN of a one-line-per-attribute DN as `X509Certificate` gives it. */
function commonName(dn: string): string | undefined {
  return dn.split('\n').find((part) => part.startsWith('CN='))?.slice(3);
}

const oneLine = (dn: string): string => dn.split('\n').join(', ');

export async function startMqttBroker(options: MqttBrokerOptions): Promise<MqttBroker> {
  // aedes is an ES module; Node loads it with require() (Node ≥ 20.19).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Aedes } = require('aedes') as AedesModule;
  const broker = await Aedes.createBroker();
  const keepLines = options.lines ?? true;
  const clients: BrokerClient[] = [];
  const lines: string[] = [];
  const refused: string[] = [];
  const byConnection = new Map<net.Socket | tls.TLSSocket, BrokerClient>();
  const sockets = new Set<net.Socket>();
  const say = (line: string): void => {
    if (keepLines) lines.push(line);
  };
  const entryOf = (client: AedesClient | null | undefined): BrokerClient | undefined => (client ? byConnection.get(client.conn) : undefined);

  broker.on('client', (client: AedesClient) => {
    const entry = entryOf(client);
    if (!entry) return;
    entry.clientId = client.id;
    say(`connect ${entry.remote} client id ${client.id}`);
  });
  broker.on('subscribe', (subscriptions: Array<{ topic: string; qos: number }>, client: AedesClient) => {
    const entry = entryOf(client);
    if (!entry) return;
    for (const s of subscriptions) {
      entry.subscriptions.push({ topic: s.topic, qos: s.qos });
      say(`subscribe ${entry.clientId ?? entry.remote} ${s.topic} qos ${s.qos}`);
    }
  });
  broker.on('publish', (packet: { topic: string; qos: number; payload: Buffer | string }, client: AedesClient | null) => {
    // Publishes of the broker itself ($SYS, will messages) have no client.
    const entry = entryOf(client);
    if (!entry) return;
    const length = Buffer.byteLength(packet.payload ?? '');
    entry.publishes.push({ topic: packet.topic, qos: packet.qos, length });
    say(`publish ${entry.clientId ?? entry.remote} ${packet.topic} qos ${packet.qos} ${length} bytes`);
  });
  for (const event of ['clientError', 'connectionError', 'keepaliveTimeout']) {
    broker.on(event, (client: AedesClient, error?: Error) => {
      const entry = entryOf(client);
      if (!entry) return;
      entry.ended = `${event}${error ? `: ${error.message}` : ''}`;
      say(`${event} ${entry.clientId ?? entry.remote}${error ? `: ${error.message}` : ''}`);
    });
  }

  const server = tls.createServer({ cert: options.cert, key: options.key, ca: options.ca, requestCert: true, rejectUnauthorized: true });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A modem link that drops resets the connection: expected, and told by `close`.
    socket.on('error', () => undefined);
  });
  server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
    const line = `refused ${socket.remoteAddress}:${socket.remotePort}: ${error.message}`;
    refused.push(line);
    say(line);
  });
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    socket.on('error', () => undefined);
    const peer: X509Certificate | undefined = socket.getPeerX509Certificate();
    const entry: BrokerClient = {
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      cn: peer ? commonName(peer.subject) : undefined,
      subject: peer ? oneLine(peer.subject) : undefined,
      issuer: peer ? oneLine(peer.issuer) : undefined,
      fingerprint256: peer?.fingerprint256,
      subscriptions: [],
      publishes: [],
      open: true,
    };
    clients.push(entry);
    byConnection.set(socket, entry);
    say(`tls ${entry.remote} CN=${entry.cn ?? '-'} issuer "${entry.issuer ?? '-'}" sha256 ${entry.fingerprint256 ?? '-'}`);
    socket.once('close', () => {
      entry.open = false;
      byConnection.delete(socket);
      say(`close ${entry.clientId ?? entry.remote}`);
    });
    broker.handle(socket);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    clients,
    lines,
    refused,
    clientsWithId: (clientId) => clients.filter((c) => c.clientId === clientId),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await stopped;
        await new Promise<void>((resolve) => broker.close(() => resolve()));
      })();
      return closing;
    },
  };
}
