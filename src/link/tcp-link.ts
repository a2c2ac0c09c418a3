/**
 * A link over a raw TCP socket to a ser2net-style server or terminal server that exposes the
 * modem's serial port (no telnet/RFC 2217 negotiation: bytes in, bytes out).
 *
 * Owns: one `net.Socket` per connect attempt, its connect timeout, and the translation of socket
 * errors into words. Must never: leave a socket without an `error` listener, or resolve a release
 * before the socket's handle is closed.
 */
import * as net from 'node:net';
import { ReconnectingLink, type ConnectAttempt, type Transport } from './reconnecting-link';
import type { BackoffOptions, TcpLinkOptions } from './types';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** A ser2net host that vanished (power cut, Wi-Fi gone) is noticed within about a minute instead of hours. */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/** `127.0.0.1:7001`, or `[::1]:7001` for an IPv6 literal. */
export function describeTcpEndpoint(options: Pick<TcpLinkOptions, 'host' | 'port'>): string {
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return `${host}:${options.port}`;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, errors } = err as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // With autoSelectFamily (Node 20 default) a name with several addresses fails as an AggregateError.
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return undefined;
}

/** Puts a socket error into words that name the endpoint. */
export function explainSocketError(options: Pick<TcpLinkOptions, 'host' | 'port'>, err: unknown): string {
  const endpoint = describeTcpEndpoint(options);
  switch (errorCode(err)) {
    case 'ECONNREFUSED':
      return `nothing is listening on ${endpoint}`;
    case 'ENOTFOUND':
    case 'EAI_NONAME':
      return `host ${options.host} not found`;
    case 'EAI_AGAIN':
      return `host ${options.host} could not be looked up (is DNS reachable?)`;
    case 'ETIMEDOUT':
      return `connection to ${endpoint} timed out`;
    case 'ECONNRESET':
      return `connection to ${endpoint} was reset`;
    case 'EPIPE':
    case 'ECONNABORTED':
      return `connection to ${endpoint} was closed by the other side`;
    case 'EHOSTUNREACH':
      return `host ${options.host} is unreachable`;
    case 'ENETUNREACH':
      return `no network route to ${options.host}`;
    default:
      return `${endpoint}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Destroys the socket and calls `done` once its handle is closed. */
function destroyThen(socket: net.Socket, done: () => void): void {
  if (socket.closed) {
    done();
    return;
  }
  socket.once('close', () => done());
  socket.destroy();
}

export class TcpLink extends ReconnectingLink {
  private readonly options: TcpLinkOptions;

  constructor(options: TcpLinkOptions & { backoff?: BackoffOptions }) {
    super(describeTcpEndpoint(options), options.backoff);
    this.options = { ...options };
  }

  protected override connectOnce(attempt: ConnectAttempt): Promise<Transport> {
    const options = this.options;
    const endpoint = describeTcpEndpoint(options);
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (attempt.signal.aborted) return Promise.reject(new Error(`connecting to ${endpoint} was cancelled`));
    return new Promise<Transport>((resolve, reject) => {
      const socket = new net.Socket();
      let settled = false;
      let lastError: string | undefined;

      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        attempt.signal.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (reason: string): void => {
        if (finish()) destroyThen(socket, () => reject(new Error(reason)));
      };
      const onAbort = (): void => fail(`connecting to ${endpoint} was cancelled`);
      const timer = setTimeout(() => fail(`no answer from ${endpoint} within ${timeoutMs} ms`), timeoutMs);
      attempt.signal.addEventListener('abort', onAbort, { once: true });

      socket.on('error', (err) => {
        lastError = explainSocketError(options, err);
        fail(lastError);
      });
      socket.once('connect', () => {
        if (!finish()) return;
        socket.setNoDelay(true);
        socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
        socket.on('data', (chunk: Buffer) => attempt.data(chunk));
        socket.on('close', () => attempt.lost(lastError ?? `connection to ${endpoint} was closed by the other side`));
        resolve({
          write: (data) =>
            new Promise<void>((done, failWrite) => {
              if (socket.destroyed || !socket.writable) {
                failWrite(new Error(lastError ?? `connection to ${endpoint} is closed`));
                return;
              }
              // The callback fires once libuv handed the bytes to the kernel.
              socket.write(data, (err) => (err ? failWrite(new Error(explainSocketError(options, err))) : done()));
            }),
          close: () => new Promise<void>((done) => destroyThen(socket, done)),
        });
      });
      socket.connect({ host: options.host, port: options.port });
    });
  }
}
