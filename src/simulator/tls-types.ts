/**
 * The contract of the simulated modem's TLS stack: what a dialect asks for when its
 * host opens a secure socket, and how a failure is classified so each dialect can
 * report it the way its vendor does. Implemented in `tls-stack.ts`.
 */
import type { TLSSocket } from 'node:tls';

export type TlsVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface ModemTlsProfile {
  /** What the modem checks: nothing, the server, or the server and it presents a client certificate. */
  verify: 'none' | 'server' | 'mutual';
  /** Trusted roots (PEM or DER, one certificate each). Required for `server` and `mutual`. */
  ca?: Buffer[];
  /** Client certificate and private key (PEM or DER), sent when the server asks (`mutual`). */
  cert?: Buffer;
  key?: Buffer;
  keyPassword?: string;
  /** Check the server name against the certificate (default true when verifying). */
  checkHostname?: boolean;
  /** Check validity dates against the modem clock (default true when verifying). */
  checkDates?: boolean;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** IANA suite names to offer; empty/undefined: the stack's defaults for the version range. */
  ciphers?: string[];
  /** Server Name Indication: a name to send, or false to send none. */
  sni?: string | false;
  alpn?: string[];
  /** A TLS session to resume (from a previous connection's `session`). */
  session?: Buffer;
}

export type TlsFailureCause =
  | 'refused' //           TCP connection refused
  | 'unreachable' //       host not found / no route
  | 'timeout' //           no answer within the timeout
  | 'unknown-ca' //        chain does not lead to a trusted root
  | 'expired' //           a certificate's notAfter is before the modem clock
  | 'not-yet-valid' //     a certificate's notBefore is after the modem clock
  | 'hostname-mismatch' // certificate not issued for the host
  | 'bad-certificate' //   unparsable or wrongly signed certificate, or bad client key
  | 'client-certificate-required' // the server demanded one and got none (or rejected it)
  | 'protocol-version' //  no common protocol version
  | 'no-shared-cipher' //  no common cipher suite
  | 'handshake' //         any other handshake failure
  | 'closed'; //           the peer closed during the handshake

export class TlsFailure extends Error {
  constructor(
    override readonly cause: TlsFailureCause,
    readonly detail: string,
  ) {
    super(`${cause}: ${detail}`);
    this.name = 'TlsFailure';
  }
}

export interface TlsConnection {
  socket: TLSSocket;
  /** Negotiated protocol and suite (IANA name when known, else OpenSSL's). */
  version: string;
  cipher: string;
  /** Session ticket/state for resumption, when the server offered one. */
  session?: Buffer;
  /** Whether this connection resumed `profile.session`. */
  resumed: boolean;
}

export interface OpenTlsOptions {
  host: string;
  port: number;
  profile: ModemTlsProfile;
  /** The modem clock: certificate dates are judged against it, not the host's. */
  now(): Date;
  timeoutMs?: number;
}

export type OpenTls = (options: OpenTlsOptions) => Promise<TlsConnection>;
