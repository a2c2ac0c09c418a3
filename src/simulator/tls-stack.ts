/**
 * The simulated modem's TLS stack: a real `node:tls` client connection made with the modem's
 * profile, judged the way the modem would judge it, and every failure classified into one
 * `TlsFailureCause` that a dialect turns into its vendor's error.
 *
 * Owns: turning a `ModemTlsProfile` into `tls.connect` options (versions, suites by IANA name,
 * SNI, ALPN, session, client certificate in any of PEM/DER/PKCS#1/PKCS#8/encrypted), checking the
 * server's chain, dates and name itself against the *modem* clock (`options.now()`), and mapping
 * OpenSSL/Node errors and TLS alerts to causes.
 * Must never: judge certificate dates by the host clock (OpenSSL's own verification is switched
 * off for that reason), log or put key material or passwords into an error text, or leave a
 * socket open behind a rejected promise.
 *
 * Behaviour worth knowing, as OpenSSL 3 in Node 20+ shows it:
 * - SSLv3 cannot be negotiated at all; a profile asking for it gets TLS 1.0 as its floor.
 * - TLS 1.0/1.1 and legacy suites need `@SECLEVEL=0`; it is added only when the profile asks for
 *   them. Suites this OpenSSL lacks (RC4, NULL, 3DES, static ECDH, export, SEED …) are silently not
 *   offered, the way a server that lacks them would ignore them.
 * - With TLS 1.3 the server checks the client certificate after the client considers the handshake
 *   done (RFC 8446 §4.4.2, §6.2): the alert, or a Node server's silent close, arrives after
 *   `secureConnect`. The stack waits for the first session ticket — sent only once the server has
 *   accepted the client's Finished — or a short grace period before declaring success.
 */
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { cipherSuite, isAvailable, toIana, type CipherSuiteInfo } from '../tls/ciphers';
import { TlsFailure, type ModemTlsProfile, type OpenTls, type OpenTlsOptions, type TlsConnection, type TlsFailureCause, type TlsVersion } from './tls-types';

/** Default for TCP connect plus handshake. */
export const DEFAULT_TLS_TIMEOUT_MS = 15_000;
/** How long a TLS 1.3 connection waits for the server's verdict on the client (see header). */
export const TLS13_CLIENT_VERDICT_MS = 500;

type NodeVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const ORDER: Readonly<Record<NodeVersion, number>> = { TLSv1: 1, 'TLSv1.1': 2, 'TLSv1.2': 3, 'TLSv1.3': 4 };

/** SSLv3 is gone from OpenSSL (RFC 7568 forbids it): the closest a real stack gets is TLS 1.0. */
function nodeVersion(version: TlsVersion | undefined): NodeVersion | undefined {
  if (version === undefined) return undefined;
  return version === 'SSLv3' ? 'TLSv1' : version;
}

const maxOf = (a: NodeVersion, b: NodeVersion): NodeVersion => (ORDER[a] >= ORDER[b] ? a : b);
const minOf = (a: NodeVersion, b: NodeVersion): NodeVersion => (ORDER[a] <= ORDER[b] ? a : b);

// ---------------------------------------------------------------------------------------------
// Profile → tls.connect options
// ---------------------------------------------------------------------------------------------

interface Prepared {
  connect: tls.ConnectionOptions;
  trusted: crypto.X509Certificate[];
  /** The name the certificate must carry: the SNI name when one is set, else the host. */
  expectedName: string;
  /** Whether a client certificate is presented. */
  presentsCertificate: boolean;
}

function prepare(options: OpenTlsOptions): Prepared {
  const { profile, host, port } = options;
  const requestedMin = nodeVersion(profile.minVersion);
  const requestedMax = nodeVersion(profile.maxVersion);
  if (requestedMin && requestedMax && ORDER[requestedMin] > ORDER[requestedMax]) {
    throw new TlsFailure('protocol-version', `minVersion ${profile.minVersion} is above maxVersion ${profile.maxVersion}`);
  }
  let max: NodeVersion = requestedMax ?? (tls.DEFAULT_MAX_VERSION as NodeVersion);
  let min: NodeVersion = requestedMin ?? minOf(tls.DEFAULT_MIN_VERSION as NodeVersion, max);

  let ciphers: string | undefined;
  let legacySuite = false;
  if (profile.ciphers?.length) {
    const offered = offerableSuites(profile.ciphers, min, max);
    if (offered.length === 0) {
      throw new TlsFailure('no-shared-cipher', `none of the configured suites (${profile.ciphers.join(', ')}) can be offered with ${min}..${max}`);
    }
    const tls13 = offered.filter((suite) => suite.maxVersion === 'TLSv1.3');
    const classic = offered.filter((suite) => suite.maxVersion !== 'TLSv1.3');
    // Node keeps OpenSSL's default TLS 1.3 suites when the list names none, so cap the version
    // instead: a modem without a TLS 1.3 suite does not speak TLS 1.3.
    if (tls13.length === 0) max = minOf(max, 'TLSv1.2');
    if (classic.length === 0) min = maxOf(min, 'TLSv1.3');
    legacySuite = classic.some((suite) => suite.legacy === true);
    ciphers = offered.map((suite) => suite.openssl).join(':');
  }
  // OpenSSL 3 refuses TLS < 1.2 (SHA-1/MD5 signatures) and weak suites at its default level 1.
  if (ORDER[min] < ORDER['TLSv1.2'] || legacySuite) ciphers = `${ciphers ?? tls.DEFAULT_CIPHERS}:@SECLEVEL=0`;

  const servername = serverName(profile, host);
  const connect: tls.ConnectionOptions = {
    host,
    port,
    servername,
    minVersion: min,
    maxVersion: max,
    // Certificates are judged below against the modem clock; OpenSSL would use the host's.
    rejectUnauthorized: false,
    checkServerIdentity: () => undefined,
  };
  if (ciphers !== undefined) connect.ciphers = ciphers;
  if (profile.alpn?.length) connect.ALPNProtocols = profile.alpn;
  if (profile.session) connect.session = profile.session;

  let presentsCertificate = false;
  if (profile.verify === 'mutual' && (profile.cert || profile.key)) {
    if (!profile.cert || !profile.key) {
      throw new TlsFailure('bad-certificate', profile.cert ? 'client certificate has no private key' : 'client private key has no certificate');
    }
    const { cert, key } = clientCredentials(profile.cert, profile.key, profile.keyPassword);
    connect.cert = cert;
    connect.key = key;
    presentsCertificate = true;
  }

  const trusted = profile.verify === 'none' ? [] : trustedCertificates(profile.ca ?? []);
  return { connect, trusted, expectedName: typeof profile.sni === 'string' && profile.sni !== '' ? profile.sni : host, presentsCertificate };
}

function offerableSuites(names: readonly string[], min: NodeVersion, max: NodeVersion): CipherSuiteInfo[] {
  const seen = new Set<string>();
  const out: CipherSuiteInfo[] = [];
  for (const name of names) {
    const suite = cipherSuite(name);
    if (!suite || seen.has(suite.iana) || !isAvailable(suite.iana)) continue;
    const lo = nodeVersion(suite.minVersion)!;
    const hi = nodeVersion(suite.maxVersion)!;
    if (ORDER[hi] < ORDER[min] || ORDER[lo] > ORDER[max]) continue;
    seen.add(suite.iana);
    out.push(suite);
  }
  return out;
}

/** RFC 6066 §3: SNI carries a host name, never an address. */
function serverName(profile: ModemTlsProfile, host: string): string | undefined {
  if (profile.sni === false) return undefined;
  const name = typeof profile.sni === 'string' && profile.sni !== '' ? profile.sni : host;
  return net.isIP(name) === 0 ? name : undefined;
}

function isPem(data: Buffer): boolean {
  return data.subarray(0, 2048).toString('latin1').includes('-----BEGIN ');
}

function derToPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Each Buffer one certificate, PEM or DER; a PEM bundle is accepted too. */
function trustedCertificates(ca: readonly Buffer[]): crypto.X509Certificate[] {
  const out: crypto.X509Certificate[] = [];
  ca.forEach((entry, index) => {
    const parts = isPem(entry) ? (entry.toString('latin1').match(PEM_CERTIFICATE) ?? []) : [entry];
    if (parts.length === 0) throw new TlsFailure('bad-certificate', `trusted CA #${index + 1} holds no certificate`);
    for (const part of parts) {
      try {
        out.push(new crypto.X509Certificate(part));
      } catch {
        throw new TlsFailure('bad-certificate', `trusted CA #${index + 1} is not a readable X.509 certificate`);
      }
    }
  });
  return out;
}

/**
 * The client certificate (PEM chain or one DER) and its key in whichever form the modem holds it:
 * PKCS#8 or PKCS#1 (RSA) or SEC1 (EC), PEM or DER, possibly encrypted with `keyPassword`.
 * The key goes to OpenSSL as unencrypted PKCS#8 PEM, in memory only.
 */
function clientCredentials(certData: Buffer, keyData: Buffer, password: string | undefined): { cert: string; key: string } {
  let cert: string;
  let leaf: crypto.X509Certificate;
  try {
    cert = isPem(certData) ? certData.toString('latin1') : derToPem(certData, 'CERTIFICATE');
    leaf = new crypto.X509Certificate(cert);
  } catch {
    throw new TlsFailure('bad-certificate', 'client certificate is not a readable X.509 certificate');
  }
  const key = readPrivateKey(keyData, password);
  if (!leaf.checkPrivateKey(key)) throw new TlsFailure('bad-certificate', 'client private key does not match the client certificate');
  return { cert, key: key.export({ type: 'pkcs8', format: 'pem' }) as string };
}

function readPrivateKey(data: Buffer, password: string | undefined): crypto.KeyObject {
  const passphrase = password === undefined ? undefined : Buffer.from(password, 'utf8');
  const attempts: crypto.PrivateKeyInput[] = isPem(data)
    ? [{ key: data, format: 'pem', passphrase }]
    : [
        { key: data, format: 'der', type: 'pkcs8', passphrase },
        { key: data, format: 'der', type: 'pkcs1' },
        { key: data, format: 'der', type: 'sec1' },
      ];
  let encrypted = false;
  for (const attempt of attempts) {
    try {
      return crypto.createPrivateKey(attempt);
    } catch (err) {
      if (/passphrase|decrypt/i.test((err as Error).message)) encrypted = true;
    }
  }
  throw new TlsFailure(
    'bad-certificate',
    encrypted ? 'client private key cannot be decrypted (missing or wrong key password)' : 'client private key is not a readable RSA or EC key',
  );
}

// ---------------------------------------------------------------------------------------------
// Certificate checks against the modem clock (RFC 5280 §6.1, simplified; RFC 6125 names)
// ---------------------------------------------------------------------------------------------

export interface ChainCheck {
  /** The server's certificates as sent, leaf first. */
  chain: readonly crypto.X509Certificate[];
  trusted: readonly crypto.X509Certificate[];
  now: Date;
  /** Host name or IP address to find in the leaf; undefined: no name check. */
  expectedName?: string;
  checkDates: boolean;
}

const MAX_DEPTH = 10;

/**
 * What a modem's TLS library checks in a server chain, in its order: a path to a trusted root
 * (signatures and issuer names), then each certificate's validity window, then the name.
 * Returns the failure, or undefined when the chain is good.
 */
export function checkServerChain(check: ChainCheck): TlsFailure | undefined {
  const [leaf, ...sent] = check.chain;
  if (!leaf) return new TlsFailure('bad-certificate', 'the server sent no certificate');
  const path: crypto.X509Certificate[] = [leaf];
  let current = leaf;
  for (let depth = 0; ; depth++) {
    // A trusted certificate presented as is (a self-signed server certificate in the CA list).
    if (check.trusted.some((anchor) => anchor.raw.equals(current.raw))) break;
    const anchor = check.trusted.find((candidate) => current.checkIssued(candidate));
    if (anchor) {
      if (!current.verify(anchor.publicKey)) return badSignature(current, anchor);
      path.push(anchor);
      break;
    }
    const parent = sent.find((candidate) => !path.includes(candidate) && current.checkIssued(candidate));
    if (!parent || depth >= MAX_DEPTH) {
      return new TlsFailure('unknown-ca', `no trusted CA issued "${oneLine(current.subject)}" (issuer "${oneLine(current.issuer)}")`);
    }
    if (!current.verify(parent.publicKey)) return badSignature(current, parent);
    if (!parent.ca) return new TlsFailure('bad-certificate', `"${oneLine(parent.subject)}" signs certificates but is not a CA`);
    path.push(parent);
    current = parent;
  }

  if (check.checkDates) {
    const now = check.now.getTime();
    const clock = `modem clock ${check.now.toISOString()}`;
    for (const cert of path) {
      const notBefore = new Date(Date.parse(cert.validFrom));
      const notAfter = new Date(Date.parse(cert.validTo));
      if (now > notAfter.getTime()) return new TlsFailure('expired', `"${oneLine(cert.subject)}" expired ${notAfter.toISOString()}, ${clock}`);
      if (now < notBefore.getTime()) return new TlsFailure('not-yet-valid', `"${oneLine(cert.subject)}" is valid from ${notBefore.toISOString()}, ${clock}`);
    }
  }

  if (check.expectedName !== undefined) {
    const name = check.expectedName;
    const matched = net.isIP(name) ? leaf.checkIP(name) : leaf.checkHost(name);
    if (matched === undefined) {
      return new TlsFailure('hostname-mismatch', `"${name}" is not in the certificate (${leaf.subjectAltName ?? oneLine(leaf.subject)})`);
    }
  }
  return undefined;
}

function badSignature(cert: crypto.X509Certificate, issuer: crypto.X509Certificate): TlsFailure {
  return new TlsFailure('bad-certificate', `signature of "${oneLine(cert.subject)}" does not verify with "${oneLine(issuer.subject)}"`);
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}

/** The peer's certificates as sent, leaf first, from Node's linked `issuerCertificate` view. */
export function peerChain(socket: tls.TLSSocket): crypto.X509Certificate[] {
  const out: crypto.X509Certificate[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    out.push(new crypto.X509Certificate(cert.raw));
    cert = cert.issuerCertificate;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Errors → causes
// ---------------------------------------------------------------------------------------------

export interface FailureContext {
  /** The key exchange happened (keylog fired): the server accepted our hello, version and suite. */
  progressed: boolean;
  presentsCertificate: boolean;
  profile: ModemTlsProfile;
}

const NETWORK: Readonly<Record<string, TlsFailureCause>> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EAI_FAIL: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  EHOSTDOWN: 'unreachable',
  EADDRNOTAVAIL: 'unreachable',
  ETIMEDOUT: 'timeout',
};

/**
 * OpenSSL reasons and received alerts (RFC 8446 §6.2 numbers in the texts) → causes. Every
 * certificate alert refers to *our* certificate: this client never sends one (it verifies after
 * the handshake), so an alert about a certificate is the server's verdict on the client's.
 */
const REASONS: ReadonlyArray<[RegExp, TlsFailureCause]> = [
  [/wrong version number|unsupported protocol|alert protocol version|no protocols available|version too low|inappropriate fallback/, 'protocol-version'],
  [/no shared cipher|no ciphers available|no cipher match|alert insufficient security/, 'no-shared-cipher'],
  [/certificate required|peer did not return a certificate/, 'client-certificate-required'],
  [/alert (bad certificate|unknown ca|certificate unknown|unsupported certificate|certificate expired|certificate revoked|access denied)/, 'client-certificate-required'],
  [/key values mismatch|bad decrypt|ee key too small|ca md too weak|no certificate assigned|bad password/, 'bad-certificate'],
];

/**
 * The cause of a failed connection attempt, from a Node/OpenSSL error. `context.progressed`: the
 * key exchange had happened; `presentsCertificate`: a client certificate was sent.
 */
export function classifyTlsError(
  err: NodeJS.ErrnoException & { reason?: string },
  context: Partial<FailureContext> = {},
): TlsFailure {
  return classify(err, { progressed: false, presentsCertificate: false, profile: { verify: 'server' }, ...context });
}

function classify(err: NodeJS.ErrnoException & { reason?: string }, context: FailureContext): TlsFailure {
  const code = err.code ?? '';
  const detail = firstLine(err.reason ?? err.message);
  const network = NETWORK[code];
  if (network) return new TlsFailure(network, `${code} ${detail}`.trim());
  const text = `${code} ${err.message} ${err.reason ?? ''}`.toLowerCase();
  for (const [pattern, cause] of REASONS) if (pattern.test(text)) return new TlsFailure(cause, detail);
  if (/alert handshake failure/.test(text)) {
    // handshake_failure (40) answers both a hello the server cannot accept and, in TLS 1.2, a
    // missing client certificate (OpenSSL's server: "peer did not return a certificate"). Which
    // one it was shows in whether the key exchange had happened.
    return context.progressed
      ? new TlsFailure('client-certificate-required', `${detail} (after the key exchange: the server wants a client certificate)`)
      : new TlsFailure('no-shared-cipher', `${detail} (the server refused the offered suites)`);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up|disconnected before secure/i.test(err.message)) return peerClosed(context, detail);
  return new TlsFailure('handshake', detail || code || 'TLS handshake failed');
}

/**
 * A peer that hangs up mid-handshake after the key exchange, when we presented a certificate, is
 * a server refusing it without an alert — what a Node.js server with `rejectUnauthorized` does.
 */
function peerClosed(context: FailureContext, detail: string): TlsFailure {
  if (context.progressed && (context.presentsCertificate || context.profile.verify === 'mutual')) {
    return new TlsFailure('client-certificate-required', `${detail} (the server closed after receiving the client certificate)`);
  }
  return new TlsFailure('closed', detail);
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

// ---------------------------------------------------------------------------------------------
// The connection
// ---------------------------------------------------------------------------------------------

export const openTls: OpenTls = (options) =>
  new Promise<TlsConnection>((resolve, reject) => {
    let prepared: Prepared;
    try {
      prepared = prepare(options);
    } catch (err) {
      reject(err instanceof TlsFailure ? err : new TlsFailure('handshake', firstLine((err as Error).message)));
      return;
    }
    const { profile } = options;
    const context: FailureContext = { progressed: false, presentsCertificate: prepared.presentsCertificate, profile };

    let socket: tls.TLSSocket;
    try {
      socket = tls.connect(prepared.connect);
    } catch (err) {
      // Secure-context errors are thrown synchronously (e.g. a cipher string OpenSSL rejects).
      reject(classify(err as Error, context));
      return;
    }

    let latestSession: Buffer | undefined;
    let settled = false;
    let verdictTimer: NodeJS.Timeout | undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TLS_TIMEOUT_MS;
    const timer = setTimeout(() => fail(new TlsFailure('timeout', `no TLS connection to ${options.host}:${options.port} within ${timeoutMs} ms`)), timeoutMs);

    const onKeylog = (): void => {
      context.progressed = true;
    };
    const onSession = (session: Buffer): void => {
      latestSession = session;
    };
    const onError = (err: Error): void => fail(classify(err, context));
    const onClose = (): void => fail(peerClosed(context, 'the server closed the connection during the handshake'));
    const onEnd = onClose;

    function cleanup(): void {
      clearTimeout(timer);
      if (verdictTimer) clearTimeout(verdictTimer);
      socket.off('keylog', onKeylog);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('end', onEnd);
      socket.off('secureConnect', onSecureConnect);
      socket.off('session', onVerdict);
    }

    function fail(failure: TlsFailure): void {
      if (settled) return;
      settled = true;
      cleanup();
      socket.on('error', () => undefined); // a late error from the destroyed socket is already reported
      socket.destroy();
      reject(failure);
    }

    function succeed(): void {
      if (settled) return;
      settled = true;
      cleanup();
      const cipher = socket.getCipher();
      const version = socket.getProtocol() ?? cipher.version;
      const connection: TlsConnection = {
        socket,
        version,
        cipher: toIana(cipher.name) ?? cipher.standardName ?? cipher.name,
        resumed: socket.isSessionReused(),
        get session(): Buffer | undefined {
          return latestSession ?? (version === 'TLSv1.3' ? undefined : socket.getSession());
        },
      };
      resolve(connection);
    }

    function verifyPeer(): TlsFailure | undefined {
      try {
        const chain = peerChain(socket);
        // A resumed session was verified when it was made; OpenSSL need not keep the chain with it.
        if (chain.length === 0 && socket.isSessionReused()) return undefined;
        return checkServerChain({
          chain,
          trusted: prepared.trusted,
          now: options.now(),
          expectedName: profile.checkHostname === false ? undefined : prepared.expectedName,
          checkDates: profile.checkDates !== false,
        });
      } catch (err) {
        return new TlsFailure('bad-certificate', `server certificate cannot be read: ${firstLine((err as Error).message)}`);
      }
    }

    function onVerdict(): void {
      // Not from inside the 'session' callback: OpenSSL is mid-read there, and a write the caller
      // makes as soon as the promise resolves would sit in the TLS buffer until the next read.
      setImmediate(succeed);
    }

    function onSecureConnect(): void {
      if (profile.verify !== 'none') {
        const failure = verifyPeer();
        if (failure) {
          fail(failure);
          return;
        }
      }
      // A resumed TLS 1.3 session authenticates by PSK: the server asks for no certificate then
      // (RFC 8446 §4.3.2), so there is no verdict to wait for.
      if (socket.getProtocol() !== 'TLSv1.3' || socket.isSessionReused()) {
        succeed();
        return;
      }
      // TLS 1.3: the server's verdict on our Finished (and certificate) comes after this point.
      socket.once('session', onVerdict);
      // When the grace period ends, I/O already pending (an alert, a close) is still read first:
      // timers run before the poll phase, immediates after it.
      verdictTimer = setTimeout(() => setImmediate(succeed), TLS13_CLIENT_VERDICT_MS);
    }

    socket.on('keylog', onKeylog);
    socket.on('session', onSession);
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.on('end', onEnd);
    socket.once('secureConnect', onSecureConnect);
  });
