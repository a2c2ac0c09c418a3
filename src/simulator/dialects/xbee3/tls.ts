/**
 * How the simulated XBee3 Cellular makes a connection: the TLS profile ($0..$2, seeds/000) read
 * from flash at connect time, TL for the protocol version, then a TCP connection and on it a real
 * `node:tls` handshake.
 *
 * Owns: reading a profile's files into credentials, and dialling. Must never: put key material
 * into an error text or a log, or leave a socket open behind a rejected promise.
 *
 * seeds/000 (the TLS AT commands page of the XBee3 Cellular LTE-M guide), as simulated:
 * - files are names in `certs/` (l. 9-12), or `../x` / `/flash/x` (l. 26-28), checked only when a
 *   connection is made (l. 29-30): a missing or unreadable file, or a certificate without its key,
 *   is an invalid configuration;
 * - an empty ca_cert means the server is not authenticated (l. 12-13); otherwise the server's
 *   chain must lead to that one certificate, which must be a self-signed root: "The modules do not
 *   allow a non-self signed certificate to work" (l. 14-15) — such a file makes every handshake
 *   fail as a verification failure (contract);
 * - client_cert and client_key are presented when both are set (l. 16-22); the guide's "Key
 *   formats" section asks for an unencrypted RSA PKCS#1 key (`BEGIN RSA PRIVATE KEY`), and so
 *   does the simulator;
 * - the host name in the server certificate is not checked (not in the stored guide copies;
 *   chosen by the contract), but a host name given to connect is sent as SNI;
 * - TL: 2 is TLS 1.2 only, 1 TLS 1.0 only, 0 (SSL v3) cannot be made with node:tls and is refused
 *   as an invalid configuration (chosen by the contract).
 * Certificate dates are judged by the host clock: the module takes its time from the network.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { toIana } from '../../../tls/ciphers';
import { checkServerChain, classifyTlsError, peerChain } from '../../tls-stack';
import { TlsFailure } from '../../tls-types';
import type { Flash } from './filesystem';
import { FLASH } from './tables';

export interface TlsSettings {
  version: 'TLSv1' | 'TLSv1.2';
  /** The profile's CA: its self-signed root, or why it can verify nothing. Absent: no verification. */
  trust?: { root: X509Certificate } | { unusable: string };
  client?: { cert: string; key: string; subject: string };
  /** The profile as read, for tests. */
  profile: number;
}

const CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const RSA_KEY = /-----BEGIN RSA PRIVATE KEY-----[\s\S]+?-----END RSA PRIVATE KEY-----/;

const invalid = (detail: string): TlsFailure => new TlsFailure('bad-certificate', `invalid TLS configuration: ${detail}`);

/** The profile `value` (`ca;cert;key`) and TL as a connection uses them, or the invalid configuration that stops it. */
export function readTlsSettings(flash: Flash, profile: number, value: string, tl: number): TlsSettings | TlsFailure {
  if (tl === 0) return invalid('TL=0 asks for SSL v3, which cannot be negotiated');
  const [ca = '', certName = '', keyName = ''] = value.split(';');
  const base = [FLASH.certDir];
  const settings: TlsSettings = { version: tl === 1 ? 'TLSv1' : 'TLSv1.2', profile };
  if (ca !== '') {
    const data = flash.readForTls(ca, base);
    if (!data) return invalid(`CA file "${ca}" is missing`);
    const blocks = data.toString('latin1').match(CERTIFICATE) ?? [];
    if (blocks.length === 0) return invalid(`CA file "${ca}" holds no PEM certificate`);
    let root: X509Certificate;
    try {
      root = new X509Certificate(blocks[0]!);
    } catch {
      return invalid(`CA file "${ca}" is not a readable certificate`);
    }
    if (blocks.length > 1) settings.trust = { unusable: `CA file "${ca}" holds ${blocks.length} certificates, not a single root` };
    else if (!root.checkIssued(root) || !root.verify(root.publicKey)) settings.trust = { unusable: `CA file "${ca}" is not a self-signed root ("${root.subject.split('\n').join(', ')}")` };
    else settings.trust = { root };
  }
  if ((certName === '') !== (keyName === '')) return invalid(certName === '' ? 'a client key without a client certificate' : 'a client certificate without a client key');
  if (certName !== '') {
    const certData = flash.readForTls(certName, base);
    if (!certData) return invalid(`client certificate "${certName}" is missing`);
    const keyData = flash.readForTls(keyName, base);
    if (!keyData) return invalid(`client key "${keyName}" is missing`);
    const certs = certData.toString('latin1').match(CERTIFICATE) ?? [];
    let leaf: X509Certificate;
    try {
      leaf = new X509Certificate(certs[0] ?? '');
    } catch {
      return invalid(`client certificate "${certName}" holds no readable PEM certificate`);
    }
    const keyPem = RSA_KEY.exec(keyData.toString('latin1'))?.[0];
    if (!keyPem || /Proc-Type:\s*4,ENCRYPTED/.test(keyPem)) return invalid(`client key "${keyName}" is not an unencrypted RSA PKCS#1 PEM key`);
    let key;
    try {
      key = createPrivateKey({ key: keyPem, format: 'pem' });
    } catch {
      return invalid(`client key "${keyName}" cannot be read`);
    }
    if (!leaf.checkPrivateKey(key)) return invalid(`client key "${keyName}" does not belong to "${certName}"`);
    settings.client = { cert: certs.join('\n'), key: key.export({ type: 'pkcs8', format: 'pem' }) as string, subject: leaf.subject.split('\n').join(', ') };
  }
  return settings;
}

/** Why a dial failed, in the terms the module reports (0xCF status, CI). */
export type DialFailureKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'other';

export class DialFailure extends Error {
  constructor(
    readonly kind: DialFailureKind,
    readonly failure: TlsFailure,
  ) {
    super(`${kind}: ${failure.message}`);
    this.name = 'DialFailure';
  }
}

export interface DialPlan {
  /** Where to connect (after `route`). */
  host: string;
  port: number;
  /** SNI: the host name the host asked for (never an address, RFC 6066 §3). */
  servername?: string;
  /** Absent: plain TCP. */
  tls?: TlsSettings;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface Dialled {
  stream: net.Socket;
  /** `TLSv1.2` …, or `TCP`. */
  version: string;
  cipher: string;
}

function networkKind(code: string | undefined): DialFailureKind {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'other';
}

function connectTcp(plan: DialPlan): Promise<net.Socket> {
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect({ host: plan.host, port: plan.port });
    const fail = (failure: DialFailure): void => {
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('connect');
      socket.on('error', () => undefined);
      socket.destroy();
      reject(failure);
    };
    const onAbort = (): void => fail(new DialFailure('other', new TlsFailure('closed', 'the module gave up the connection')));
    const timer = setTimeout(() => fail(new DialFailure('timeout', new TlsFailure('timeout', `no TCP connection to ${plan.host}:${plan.port} within ${plan.timeoutMs} ms`))), plan.timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => fail(new DialFailure(networkKind(err.code), new TlsFailure('refused', `${err.code ?? ''} ${err.message}`.trim()))));
    if (plan.signal.aborted) return onAbort();
    plan.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}

/** TCP, then (with `plan.tls`) the handshake; rejects with a `DialFailure`. */
export async function dial(plan: DialPlan): Promise<Dialled> {
  const tcp = await connectTcp(plan);
  const settings = plan.tls;
  if (!settings) return { stream: tcp, version: 'TCP', cipher: '' };
  return new Promise<Dialled>((resolve, reject) => {
    const options: tls.ConnectionOptions = {
      socket: tcp,
      minVersion: settings.version,
      maxVersion: settings.version,
      // The chain is judged below (one self-signed root, no host name); OpenSSL would judge differently.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    };
    // OpenSSL 3 refuses TLS 1.0 at its default security level.
    if (settings.version === 'TLSv1') options.ciphers = `${tls.DEFAULT_CIPHERS}:@SECLEVEL=0`;
    if (plan.servername) options.servername = plan.servername;
    if (settings.client) {
      options.cert = settings.client.cert;
      options.key = settings.client.key;
    }
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(options);
    } catch (err) {
      tcp.destroy();
      reject(new DialFailure('tls', classifyTlsError(err as Error, { presentsCertificate: settings.client !== undefined })));
      return;
    }
    let progressed = false;
    let settled = false;
    const fail = (failure: TlsFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.on('error', () => undefined);
      socket.destroy();
      tcp.destroy();
      reject(new DialFailure('tls', failure));
    };
    const onAbort = (): void => fail(new TlsFailure('closed', 'the module gave up the connection'));
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TLS handshake with ${plan.host}:${plan.port} within ${plan.timeoutMs} ms`)), plan.timeoutMs);
    plan.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('keylog', () => (progressed = true));
    socket.on('error', (err) => fail(classifyTlsError(err, { progressed, presentsCertificate: settings.client !== undefined })));
    socket.once('close', () => fail(new TlsFailure('closed', 'the server closed the connection during the handshake')));
    socket.once('secureConnect', () => {
      const trust = settings.trust;
      if (trust && 'unusable' in trust) return fail(new TlsFailure('unknown-ca', trust.unusable));
      if (trust) {
        let failure: TlsFailure | undefined;
        try {
          failure = checkServerChain({ chain: peerChain(socket), trusted: [trust.root], now: new Date(), checkDates: true });
        } catch (err) {
          failure = new TlsFailure('bad-certificate', `the server certificate cannot be read: ${(err as Error).message.split('\n')[0]}`);
        }
        if (failure) return fail(failure);
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      plan.signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('close');
      socket.removeAllListeners('error');
      socket.removeAllListeners('keylog');
      socket.on('error', () => undefined);
      const cipher = socket.getCipher();
      resolve({ stream: socket, version: socket.getProtocol() ?? cipher.version, cipher: toIana(cipher.name) ?? cipher.standardName ?? cipher.name });
    });
  });
}
