/**
 * How the simulated eS-WiFi makes a connection for P6=1: a TCP connection, and for a P1=3 socket
 * a real `node:tls` client handshake on it, made with the certificate set selected by PF and
 * judged the way P9 says.
 *
 * Owns: turning a set and a P9 value into what TLS is given, and dialling. Must never: put key
 * material into an error text or a record, or leave a socket open behind a rejected promise.
 *
 * P9 (seeds/002 l. 23-29), as simulated:
 * - 0 "No verification": the server certificate is accepted whatever it is; nothing of the set is used;
 * - 1 "Optional": "if a RootCA is program[med] for the Certificate set it will be used to verify
 *   the server certificate" — without one, nothing is verified;
 * - 2 "Required": the set's root CA verifies the server (the P6=1 handler refuses a set without
 *   one), and the set's certificate and key are presented when both are programmed and the
 *   server asks ("uses the RootCA, Certificate, and Key in the certificate set").
 * Chosen (the seed documents neither): the host name and the certificate dates are not checked,
 * and no SNI is sent. One TLS version, 1.2 (tables.ts).
 */
import { X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { toIana } from '../../../tls/ciphers';
import { checkServerChain, classifyTlsError, peerChain } from '../../tls-stack';
import { TlsFailure } from '../../tls-types';
import type { CertificateSet } from './state';
import { CONNECT, VERIFICATION } from './tables';

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** What TLS is given for one P6=1. */
export interface TlsCredentials {
  /** The set's root CA certificates; absent: nothing is verified. */
  trusted?: X509Certificate[];
  /** The set's certificate (chain) and key, both PEM as programmed, and the certificate's one-line subject. */
  client?: { cert: string; key: string; subject: string };
}

export const oneLine = (name: string): string => name.split('\n').join(', ');

/** The certificates of a PEM bundle (validated when it was programmed). */
export function certificatesOf(pem: Buffer): X509Certificate[] {
  return (pem.toString('latin1').match(CERTIFICATE) ?? []).map((block) => new X509Certificate(block));
}

/** P9 and the set → credentials. The caller has refused P9=2 without a root CA already. */
export function credentialsFor(set: CertificateSet, verification: number): TlsCredentials {
  if (verification === VERIFICATION.none) return {};
  const credentials: TlsCredentials = {};
  if (set.ca) credentials.trusted = certificatesOf(set.ca);
  if (verification === VERIFICATION.required && set.cert && set.key) {
    const leaf = certificatesOf(set.cert)[0];
    credentials.client = { cert: set.cert.toString('latin1'), key: set.key.toString('latin1'), subject: leaf ? oneLine(leaf.subject) : '' };
  }
  return credentials;
}

/** A failed attempt: at the TCP stage (`Connection Failed`) or in the handshake (`SSL Handshake Failed`). */
export class DialFailure extends Error {
  constructor(
    readonly stage: 'tcp' | 'tls',
    readonly failure: TlsFailure,
    /** The server certificate's one-line subject, when the handshake got that far. */
    readonly peerSubject?: string,
  ) {
    super(`${stage}: ${failure.message}`);
    this.name = 'DialFailure';
  }
}

const gaveUp = (): TlsFailure => new TlsFailure('closed', 'the module gave up the connection');

/** A TCP connection, or a `DialFailure` at the `tcp` stage (refused, unreachable, timed out, abandoned). */
export function dialTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    if (signal.aborted) {
      reject(new DialFailure('tcp', gaveUp()));
      return;
    }
    const socket = net.connect({ host, port });
    const onAbort = (): void => fail(gaveUp());
    const fail = (failure: TlsFailure): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.on('error', () => undefined);
      socket.destroy();
      reject(new DialFailure('tcp', failure));
    };
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TCP connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const onError = (err: NodeJS.ErrnoException): void => fail(classifyTlsError(err));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      // Whoever takes the socket over listens for its errors; until then none may go unhandled.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

export interface Handshaken {
  socket: tls.TLSSocket;
  version: string;
  cipher: string;
  peerSubject: string;
}

/** The handshake on `tcp`; a `DialFailure` at the `tls` stage destroys both sockets. */
export function handshake(tcp: net.Socket, credentials: TlsCredentials, timeoutMs: number, signal: AbortSignal): Promise<Handshaken> {
  return new Promise<Handshaken>((resolve, reject) => {
    const options: tls.ConnectionOptions = {
      socket: tcp,
      minVersion: CONNECT.tlsVersion,
      maxVersion: CONNECT.tlsVersion,
      // The chain is judged below, against the set's root CA only, without names or dates.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    };
    const client = credentials.client;
    if (client) {
      options.cert = client.cert;
      options.key = client.key;
    }
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(options);
    } catch (err) {
      // A certificate and key that do not belong together are refused by OpenSSL at once.
      tcp.destroy();
      reject(new DialFailure('tls', classifyTlsError(err as Error, { presentsCertificate: client !== undefined })));
      return;
    }
    let progressed = false;
    let settled = false;
    let peerSubject: string | undefined;
    const onAbort = (): void => fail(gaveUp());
    const fail = (failure: TlsFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.off('close', onClose);
      socket.on('error', () => undefined);
      socket.destroy();
      // The TLS socket wraps the TCP one; ending the first does not end the second.
      tcp.destroy();
      reject(new DialFailure('tls', failure, peerSubject));
    };
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    const onClose = (): void => fail(new TlsFailure('closed', 'the server closed the connection during the handshake'));
    const onError = (err: Error): void => fail(classifyTlsError(err, { progressed, presentsCertificate: client !== undefined }));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('keylog', () => (progressed = true));
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('secureConnect', () => {
      let chain: X509Certificate[] = [];
      try {
        chain = peerChain(socket);
      } catch {
        // An unreadable chain: fails below when it must be verified.
      }
      peerSubject = chain[0] ? oneLine(chain[0].subject) : undefined;
      if (credentials.trusted) {
        const failure =
          chain.length === 0
            ? new TlsFailure('bad-certificate', 'the server certificate cannot be read')
            : checkServerChain({ chain, trusted: credentials.trusted, now: new Date(), checkDates: false });
        if (failure) {
          fail(failure);
          return;
        }
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('close', onClose);
      socket.off('error', onError);
      socket.removeAllListeners('keylog');
      // Until the socket module takes over: a late error must not go unhandled.
      socket.on('error', () => undefined);
      const cipher = socket.getCipher();
      resolve({ socket, version: socket.getProtocol() ?? cipher.version, cipher: toIana(cipher.name) ?? cipher.standardName ?? cipher.name, peerSubject: peerSubject ?? '' });
    });
  });
}
