/**
 * Dialling for the simulated L610: a TCP connection, and on it a real `node:tls` client handshake
 * made the way the module's settings say — exactly one protocol version, the enabled suites, the
 * server's chain judged against the TRUSTFILEs and the *module* clock (no host name: the manual
 * documents no such check), and the client certificate presented whenever CERTFILE and KEYFILE are
 * both loaded, verification or not.
 *
 * Owns: the connection attempt and the +GTSSLERR code of its failure. Must never: log or put key
 * material into an error text, or leave a socket open behind a rejected promise.
 *
 * Why not the shared stack's `openTls`: its profile cannot say "present a certificate, verify
 * nothing" (+GTSSLMODE=0 with files loaded, manual Example 5), it raises SSL 3.0 to TLS 1.0 where
 * this module must fail, and one timer covers TCP and handshake where the module reports them
 * apart (-4 and -8). The stack's `peerChain`, `checkServerChain` and `classifyTlsError` are used
 * as they are.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { cipherSuite, isAvailable, toIana } from '../../../tls/ciphers';
import { checkServerChain, classifyTlsError, peerChain } from '../../tls-stack';
import { TlsFailure } from '../../tls-types';
import { SSL_ERROR, TLS_FAILURE_CODE } from './tables';

export type ModuleVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2';

/** A failed attempt: the +GTSSLERR code, and the verdict in the stack's words (for tests). */
export class DialFailure extends Error {
  constructor(
    readonly code: number,
    readonly failure: TlsFailure,
  ) {
    super(`${code}: ${failure.message}`);
    this.name = 'DialFailure';
  }
}

export interface TlsPlan {
  host: string;
  port: number;
  localPort?: number;
  /** SNI, when the host asked for a name (RFC 6066 §3: never an address). */
  servername?: string;
  version: ModuleVersion;
  /** IANA names, in the order offered. */
  suites: readonly string[];
  /** +GTSSLMODE=1: the chain must lead to one of these, with dates judged by `now()`. */
  verify?: { trusted: readonly X509Certificate[]; now: () => Date };
  client?: { cert: string; key: KeyObject };
  connectTimeoutMs: number;
  handshakeTimeoutMs: number;
  /** The socket went (network lost, power): give up at once. */
  signal?: AbortSignal;
}

const RANK: Readonly<Record<string, number>> = { SSLv3: 0, TLSv1: 1, 'TLSv1.1': 2, 'TLSv1.2': 3, 'TLSv1.3': 4 };

/** The OpenSSL names of the suites this Node can offer at `version`; the rest are left out, as a stack that lacks them would. */
export function offerable(suites: readonly string[], version: ModuleVersion): string[] {
  const out: string[] = [];
  for (const name of suites) {
    const suite = cipherSuite(name);
    if (!suite?.openssl || !isAvailable(suite.iana)) continue;
    if (RANK[suite.minVersion]! > RANK[version]! || RANK[suite.maxVersion]! < RANK[version]!) continue;
    out.push(suite.openssl);
  }
  return out;
}

const NET_CAUSE: Readonly<Record<string, 'refused' | 'unreachable'>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
};

const abandoned = (): TlsFailure => new TlsFailure('closed', 'the module gave up the connection');

/** A TCP connection; any failure, a timeout included, is -4 ("socket cannot read or write effectively"). */
export function dialTcp(host: string, port: number, localPort: number | undefined, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DialFailure(SSL_ERROR.socket, abandoned()));
      return;
    }
    const socket = net.connect({ host, port, localPort: localPort || undefined });
    const onAbort = (): void => fail(abandoned());
    const fail = (failure: TlsFailure): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.on('error', () => undefined);
      socket.destroy();
      reject(new DialFailure(SSL_ERROR.socket, failure));
    };
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TCP connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const onError = (err: NodeJS.ErrnoException): void => fail(new TlsFailure(NET_CAUSE[err.code ?? ''] ?? 'refused', `${err.code ?? ''} ${err.message}`.trim()));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      // Whoever takes the socket over listens for its errors; until then none may go unhandled.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

export interface TlsSession {
  socket: tls.TLSSocket;
  version: string;
  cipher: string;
}

/** TCP, then the handshake; rejects with a `DialFailure` carrying the module's code. */
export async function dialTls(plan: TlsPlan): Promise<TlsSession> {
  const tcp = await dialTcp(plan.host, plan.port, plan.localPort, plan.connectTimeoutMs, plan.signal);
  const refuse = (failure: TlsFailure): never => {
    tcp.destroy();
    throw new DialFailure(TLS_FAILURE_CODE[failure.cause], failure);
  };
  // RFC 7568 forbids SSL 3.0 and OpenSSL 3 no longer has it: a server of today answers such a hello with protocol_version.
  if (plan.version === 'SSLv3') refuse(new TlsFailure('protocol-version', 'SSL 3.0 (+GTSSLVER=1) cannot be negotiated'));
  const names = offerable(plan.suites, plan.version);
  if (names.length === 0) refuse(new TlsFailure('no-shared-cipher', `none of the enabled suites exists in ${plan.version}`));

  return new Promise<TlsSession>((resolve, reject) => {
    const options: tls.ConnectionOptions = {
      socket: tcp,
      minVersion: plan.version as tls.SecureVersion,
      maxVersion: plan.version as tls.SecureVersion,
      // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level.
      ciphers: names.join(':') + (plan.version === 'TLSv1.2' ? '' : ':@SECLEVEL=0'),
      // The chain is judged below against the module clock; OpenSSL would use the host's.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    };
    if (plan.servername) options.servername = plan.servername;
    if (plan.client) {
      options.cert = plan.client.cert;
      options.key = plan.client.key.export({ type: 'pkcs8', format: 'pem' }) as string;
    }
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(options);
    } catch (err) {
      tcp.destroy();
      const failure = classifyTlsError(err as Error, { presentsCertificate: plan.client !== undefined });
      reject(new DialFailure(TLS_FAILURE_CODE[failure.cause], failure));
      return;
    }
    let progressed = false;
    let settled = false;
    const onAbort = (): void => fail(SSL_ERROR.socket, abandoned());
    const fail = (code: number, failure: TlsFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      plan.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.off('close', onClose);
      socket.on('error', () => undefined);
      socket.destroy();
      // The TLS socket wraps the TCP one; ending the first does not end the second.
      tcp.destroy();
      reject(new DialFailure(code, failure));
    };
    const timer = setTimeout(
      () => fail(SSL_ERROR.noHandshake, new TlsFailure('timeout', `no handshake answer from ${plan.host}:${plan.port} within ${plan.handshakeTimeoutMs} ms`)),
      plan.handshakeTimeoutMs,
    );
    const onClose = (): void => fail(SSL_ERROR.closedByServer, new TlsFailure('closed', 'the server closed the connection during the handshake'));
    if (plan.signal?.aborted) {
      onAbort();
      return;
    }
    plan.signal?.addEventListener('abort', onAbort, { once: true });
    const onError = (err: Error): void => {
      const failure = classifyTlsError(err, { progressed, presentsCertificate: plan.client !== undefined });
      fail(TLS_FAILURE_CODE[failure.cause], failure);
    };
    socket.on('keylog', () => (progressed = true));
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('secureConnect', () => {
      if (plan.verify) {
        let failure: TlsFailure | undefined;
        try {
          failure = checkServerChain({ chain: peerChain(socket), trusted: plan.verify.trusted, now: plan.verify.now(), checkDates: true });
        } catch (err) {
          failure = new TlsFailure('bad-certificate', `the server certificate cannot be read: ${(err as Error).message.split('\n')[0]}`);
        }
        if (failure) {
          fail(SSL_ERROR.validation, failure);
          return;
        }
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      plan.signal?.removeEventListener('abort', onAbort);
      socket.off('close', onClose);
      socket.off('error', onError);
      // Until the socket module takes over: a late error must not go unhandled.
      socket.on('error', () => undefined);
      const cipher = socket.getCipher();
      resolve({ socket, version: socket.getProtocol() ?? cipher.version, cipher: toIana(cipher.name) ?? cipher.standardName ?? cipher.name });
    });
  });
}
