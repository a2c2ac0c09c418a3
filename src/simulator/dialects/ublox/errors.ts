/**
 * What the simulated u-blox module answers when something fails: the `+CME ERROR` codes (numeric
 * with `AT+CMEE=1`, verbose with `AT+CMEE=2`, plain `ERROR` with 0, as the framework does), the
 * socket error numbers behind them, and how a failed TLS connection is classified.
 *
 * Owns: the failure table and the `TlsFailureCause` → errno mapping. Must never: decide when a
 * command fails (the command modules do).
 *
 * Codes are the 3GPP TS 27.007 §9.2.1 general errors that u-blox modules use (UBX-19047455,
 * appendix "Mobile termination error result codes"): 3 operation not allowed, 4 operation not
 * supported, 20 memory full, 50 incorrect parameters. For the socket commands u-blox answers every
 * failure with "operation not allowed" and keeps the cause for +USOER (UBX-19047455, "+USOER":
 * "Retrieves the last error occurred in the last socket operation"); the simulator does the same.
 */
import type { CmeFailure } from '../../results';
import type { TlsFailureCause } from '../../tls-types';
import { ERRNO } from './tables';

export class UbloxError extends Error implements CmeFailure {
  constructor(
    readonly cme: number,
    readonly text: string,
    /** The socket error (+USOER) this failure records, for socket commands. */
    readonly errno?: number,
  ) {
    super(`+CME ERROR: ${cme} (${text})`);
    this.name = 'UbloxError';
  }
}

export const FAIL = {
  notAllowed: (errno?: number) => new UbloxError(3, 'operation not allowed', errno),
  /**
   * A name that is not stored (+USECMNG op 2/4) and data the module cannot take. A SARA-R422
   * answers `AT+USECMNG=4,0,"<unknown>"` with `+CME ERROR: 4` (ubxlib issue #77's UART log).
   */
  notSupported: () => new UbloxError(4, 'operation not supported'),
  memoryFull: () => new UbloxError(20, 'memory full'),
  badParameter: () => new UbloxError(50, 'Incorrect parameters'),
  /** A socket command that failed: always "operation not allowed", the cause in +USOER. */
  socket: (errno: number) => new UbloxError(3, 'operation not allowed', errno),
} as const;

/**
 * How a connection that did not come up (+USOCO) shows in +USOER / +USOCTL=<socket>,1 — the
 * mapping the simulator chose, since the manuals give errno names but not which TLS verdict gives
 * which:
 * - the TCP connection failed: refused → 111 ECONNREFUSED, no host/route → 113 EHOSTUNREACH,
 *   nothing within the 60 s handshake inactivity timer → 110 ETIMEDOUT;
 * - the module itself rejected the server (unknown CA, expired or not yet valid against the module
 *   clock, host name mismatch, unreadable certificate, pinning mismatch) → 103 ECONNABORTED,
 *   "software caused connection abort": the module's own TLS layer hung up;
 * - the server refused the module (no common version or suite, wants a client certificate, any
 *   other alert) → 71 EPROTO;
 * - the server hung up during the handshake → 104 ECONNRESET.
 */
export const TLS_FAILURE_ERRNO: Readonly<Record<TlsFailureCause, number>> = {
  refused: ERRNO.ECONNREFUSED,
  unreachable: ERRNO.EHOSTUNREACH,
  timeout: ERRNO.ETIMEDOUT,
  'unknown-ca': ERRNO.ECONNABORTED,
  expired: ERRNO.ECONNABORTED,
  'not-yet-valid': ERRNO.ECONNABORTED,
  'hostname-mismatch': ERRNO.ECONNABORTED,
  'bad-certificate': ERRNO.ECONNABORTED,
  'client-certificate-required': ERRNO.EPROTO,
  'protocol-version': ERRNO.EPROTO,
  'no-shared-cipher': ERRNO.EPROTO,
  handshake: ERRNO.EPROTO,
  closed: ERRNO.ECONNRESET,
};
