/**
 * The demo's MQTT broker: aedes behind a TLS server that only talks to clients with a certificate
 * from the demo's CA (mutual TLS, as a cloud IoT broker asks of a device). The MQTT example's
 * tls bridge reaches it through the simulated Telit modem, whose TLS connection presents the
 * client certificate stored in the module.
 *
 * Says on `log` who connected and with which certificate (`CN=modem-client`), who left, and each
 * TLS connection it refused and why, so whoever runs the demo sees the modem's certificate at work.
 *
 * Owns: the TLS listener, the broker, every connection they accepted.
 * Must never: listen anywhere but `host`; accept a client without a certificate the CA signed;
 * leave a socket, a server or a timer behind after `close()`.
 *
 * ```
 * const broker = await startDemoBroker({ port: 0, ca, cert, key, log: console.log });
 * // … mqtts://127.0.0.1:<broker.port> with a client certificate …
 * await broker.close();
 * ```
 */
import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { Aedes, Client } from 'aedes' with { 'resolution-mode': 'import' };

export interface DemoBrokerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The CA whose client certificates are accepted (PEM). */
  ca: string;
  /** The broker's own certificate and key (PEM). */
  cert: string;
  key: string;
  /** One line per client that connects or leaves, and per refused TLS connection. Default: none. */
  log?: (line: string) => void;
}

/** A client the broker accepted: its MQTT client id and the subject of the certificate it presented. */
export interface DemoBrokerClient {
  id: string;
  /** e.g. `CN=modem-client`. */
  subject: string;
  /** e.g. `CN=modem-tls test CA`. */
  issuer: string;
  /** `127.0.0.1:53122`. */
  address: string;
}

export interface DemoBroker {
  host: string;
  port: number;
  /** Every client that connected, in order (also those gone since). */
  readonly clients: readonly DemoBrokerClient[];
  /** Stops listening, ends every connection. Idempotent. */
  close(): Promise<void>;
}

/** `CN=a, O=b` from a certificate's subject or issuer fields. */
function nameText(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '(none)';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

function addressOf(socket: net.Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

export async function startDemoBroker(options: DemoBrokerOptions): Promise<DemoBroker> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  // aedes is an ES module; Node.js loads it with require() from 20.19 on.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Aedes: AedesClass } = require('aedes') as { Aedes: typeof Aedes };
  const broker = await AedesClass.createBroker();
  const clients: DemoBrokerClient[] = [];
  const sockets = new Set<net.Socket>();

  const server = tls.createServer(
    { key: options.key, cert: options.cert, ca: options.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    (socket) => broker.handle(socket),
  );
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', (err, socket) => {
    // OpenSSL's reason alone (`peer did not return a certificate`), not its whole error string.
    const reason = (err as Error & { reason?: string }).reason ?? err.message;
    log(`MQTT broker: refused a TLS connection from ${addressOf(socket)}: ${reason}`);
  });

  broker.on('client', (client: Client) => {
    const socket = client.conn as tls.TLSSocket;
    const peer = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const seen: DemoBrokerClient = {
      id: client.id,
      subject: nameText(peer?.subject as unknown as Record<string, string> | undefined),
      issuer: nameText(peer?.issuer as unknown as Record<string, string> | undefined),
      address: addressOf(socket),
    };
    clients.push(seen);
    log(`MQTT broker: client "${seen.id}" connected from ${seen.address} with the client certificate ${seen.subject} (issued by ${seen.issuer})`);
  });
  broker.on('clientDisconnect', (client: Client) => log(`MQTT broker: client "${client.id}" disconnected`));
  // A client that drops its connection without DISCONNECT is an everyday event, not a broker failure.
  broker.on('clientError', (client: Client, err: Error) => log(`MQTT broker: client "${client.id}": ${err.message}`));

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw err;
  }
  const port = (server.address() as net.AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await serverClosed;
  };
  return {
    host,
    port,
    clients,
    close: () => (closing ??= close()),
  };
}
