/**
 * The two u-blox connections the shared TLS stack (`tls-stack.ts`, whose `ModemTlsProfile` has no
 * PSK and no "present a certificate but verify nothing") cannot make: pre-shared keys (+USECPRF op
 * 8/9 or 11) and validation level 0 with a client certificate. A real `node:tls` connection all
 * the same, the server's chain read with the stack's own `peerChain` and judged with its
 * `checkServerChain` against the module clock, and failures classified with its `classifyTlsError`.
 *
 * Owns: those two cases only. Must never: log or put key material into an error text, or leave a
 * socket open behind a rejected promise.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { isAvailable, toIana, toOpenSsl } from '../../../tls/ciphers';
import { checkServerChain, classifyTlsError, peerChain } from '../../tls-stack';
import { TlsFailure, type OpenTlsOptions, type TlsConnection } from '../../tls-types';

export interface DirectOptions extends OpenTlsOptions {
  psk?: { key: Buffer; identity: string };
}

function keyPem(key: Buffer, password: string | undefined): string {
  const passphrase = password;
  const isPem = key.toString('latin1').includes('-----BEGIN ');
  const attempts = isPem
    ? [{ key, format: 'pem' as const, passphrase }]
    : (['pkcs8', 'pkcs1', 'sec1'] as const).map((type) => ({ key, format: 'der' as const, type, passphrase: type === 'pkcs8' ? passphrase : undefined }));
  for (const attempt of attempts) {
    try {
      return createPrivateKey(attempt).export({ type: 'pkcs8', format: 'pem' }) as string;
    } catch {
      // next form
    }
  }
  throw new TlsFailure('bad-certificate', 'client private key cannot be read (format or key password)');
}

function certPem(cert: Buffer): string {
  if (cert.toString('latin1').includes('-----BEGIN ')) return cert.toString('latin1');
  return new X509Certificate(cert).toString();
}

export function openDirectTls(options: DirectOptions): Promise<TlsConnection> {
  return new Promise<TlsConnection>((resolve, reject) => {
    const { profile, psk } = options;
    let connect: tls.ConnectionOptions;
    try {
      const suites = (profile.ciphers ?? []).map((name) => ({ name, openssl: toOpenSsl(name) })).filter((s) => s.openssl && isAvailable(s.name));
      if (suites.length === 0) throw new TlsFailure('no-shared-cipher', 'none of the configured suites can be offered');
      // node:tls does PSK through pskCallback for TLS 1.2 suites only (TLS 1.3 PSK is session resumption).
      const max = psk ? 'TLSv1.2' : (profile.maxVersion as tls.SecureVersion | undefined);
      const min = (profile.minVersion === 'SSLv3' ? 'TLSv1' : profile.minVersion) as tls.SecureVersion | undefined;
      const legacy = min === 'TLSv1' || min === 'TLSv1.1';
      connect = {
        host: options.host,
        port: options.port,
        minVersion: min,
        maxVersion: max,
        ciphers: suites.map((s) => s.openssl).join(':') + (legacy ? ':@SECLEVEL=0' : ''),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      };
      const sni = typeof profile.sni === 'string' && profile.sni !== '' ? profile.sni : undefined;
      if (sni && isIP(sni) === 0) connect.servername = sni;
      if (profile.alpn?.length) connect.ALPNProtocols = profile.alpn;
      if (profile.session) connect.session = profile.session;
      if (profile.cert && profile.key) {
        connect.cert = certPem(profile.cert);
        connect.key = keyPem(profile.key, profile.keyPassword);
      }
      if (psk) connect.pskCallback = () => ({ psk: psk.key, identity: psk.identity });
    } catch (err) {
      reject(err instanceof TlsFailure ? err : new TlsFailure('handshake', 'the connection cannot be prepared'));
      return;
    }

    let progressed = false;
    let settled = false;
    const socket = tls.connect(connect);
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TLS connection to ${options.host}:${options.port} within ${options.timeoutMs} ms`)), options.timeoutMs ?? 15_000);
    const onError = (err: Error): void => fail(classifyTlsError(err, { progressed, presentsCertificate: profile.cert !== undefined, profile }));
    const onClose = (): void => fail(new TlsFailure('closed', 'the server closed the connection during the handshake'));
    socket.on('keylog', () => (progressed = true));
    socket.on('error', onError);
    socket.on('close', onClose);

    function fail(failure: TlsFailure): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.on('error', () => undefined);
      socket.destroy();
      reject(failure);
    }

    socket.once('secureConnect', () => {
      // A PSK suite authenticates the server by the key: it sends no certificate to check.
      const chain = peerChain(socket);
      if (profile.verify !== 'none' && chain.length > 0) {
        const failure = checkServerChain({
          chain,
          trusted: (profile.ca ?? []).map((der) => new X509Certificate(der)),
          now: options.now(),
          checkDates: profile.checkDates !== false,
        });
        if (failure) {
          fail(failure);
          return;
        }
      }
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      const cipher = socket.getCipher();
      const version = socket.getProtocol() ?? cipher.version;
      resolve({ socket, version, cipher: toIana(cipher.name) ?? cipher.standardName ?? cipher.name, resumed: socket.isSessionReused(), session: socket.getSession() });
    });
  });
}
