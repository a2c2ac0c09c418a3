/**
 * What the simulated Telit module answers when something fails: the `+CME ERROR` codes it uses
 * (numeric with `AT+CMEE=1`, the verbose text with `AT+CMEE=2`, plain `ERROR` with 0) and how a
 * failed TLS handshake is reported.
 *
 * Owns: the failure table, the code and text of each failure, and the `TlsFailure` cause → Telit
 * code mapping. Must never: decide when a command fails (the command modules do), or import the
 * product's error table: the two are written separately from the guide and compared by
 * `telit-tables-agree.test.ts`.
 */
import type { CmeFailure } from '../../results';
import type { TlsFailureCause } from '../../tls-types';

/** A `+CME ERROR` failure from the tables below; handlers throw it. */
export class TelitError extends Error implements CmeFailure {
  constructor(
    readonly cme: number,
    readonly text: string,
  ) {
    super(`+CME ERROR: ${cme} (${text})`);
    this.name = 'TelitError';
  }
}

function entry(cme: number, text: string): TelitError {
  return new TelitError(cme, text);
}

/** §12.2, Table 11 (lines 3342-3353): the SSL codes, numeric with `AT+CMEE=1`, verbose with `AT+CMEE=2`. */
export const SSL_ERRORS: Readonly<Record<number, string>> = {
  830: 'SSL generic error',
  831: 'SSL cannot activate',
  832: 'SSL socket error',
  833: 'SSL not connected',
  834: 'SSL already connected',
  835: 'SSL already activated',
  836: 'SSL not activated',
  837: 'SSL certs and keys wrong or not stored',
  838: 'SSL error enc/dec data',
  839: 'SSL error during handshake',
  840: 'SSL disconnected',
  841: 'SSL invalid state',
};

/**
 * The other codes the SSL commands of the guide answer with. §6.8.1 and §6.8.2 print
 * "Resource used by another instance" (lines 983, 1019, 1117, 1147, 1213) when an SSId enabled on
 * one AT instance is touched from another; the guide gives no number for it, so the numeric form
 * is the AT reference guides' 612 ("resource used by other instance").
 */
export const OTHER_ERRORS: Readonly<Record<number, string>> = {
  612: 'Resource used by another instance',
};

const ssl = (cme: number): TelitError => entry(cme, SSL_ERRORS[cme]);

/**
 * Every failure the dialect reports, by what went wrong. Each is a fresh error per call so a stack
 * trace shows the command that raised it.
 */
export const FAIL = {
  // 27.007 §9.2.1. Telit modules answer a value outside a command's range with "operation not
  // supported" rather than 27.007's 50 "Incorrect parameters" (AT reference guides, §2.2.2.1).
  notAllowed: () => entry(3, 'operation not allowed'),
  badParameter: () => entry(4, 'operation not supported'),

  // IP Easy codes of the AT reference guides (§2.2.2.1, "Easy GPRS related errors").
  activationFailed: () => entry(555, 'activation failed'),
  contextAlreadyActive: () => entry(553, 'context already activated'),
  /**
   * An SSL socket dialled on a PDP context that is not active. The guide (§5) only says the
   * context must be activated first; the module's IP stack, under the SSL layer, reports its own
   * "context not opened".
   */
  contextNotOpened: () => entry(556, 'context not opened'),

  // FTP codes of the same table.
  ftpWrongState: () => entry(601, 'wrong state'),
  ftpCannotConnect: () => entry(605, 'can not connect control socket'),
  ftpBadResponse: () => entry(606, 'bad or no response from server'),
  ftpNotConnected: () => entry(607, 'not connected'),
  ftpAlreadyConnected: () => entry(608, 'already connected'),
  // §6.8.1/§6.8.2 (see `OTHER_ERRORS`).
  otherInstance: () => entry(612, OTHER_ERRORS[612]),

  // §12.2, SSL codes.
  sslGeneric: () => ssl(830),
  sslCannotActivate: () => ssl(831),
  sslSocket: () => ssl(832),
  sslNotConnected: () => ssl(833),
  sslAlreadyConnected: () => ssl(834),
  sslAlreadyActivated: () => ssl(835),
  sslNotActivated: () => ssl(836),
  sslCertsKeys: () => ssl(837),
  sslEncDec: () => ssl(838),
  sslHandshake: () => ssl(839),
  sslDisconnected: () => ssl(840),
  sslInvalidState: () => ssl(841),
} as const;

/**
 * How a Telit module reports a connection that did not come up (§7: "If for any reason the
 * handshake fails … an ERROR response message appears"; the numeric codes are §12.2's):
 * - the TCP connection itself failed (refused, no route, name not resolved) → 832 "SSL socket
 *   error": no TLS byte was exchanged, the socket under SSL is what failed;
 * - everything after TCP connected, including certificate verdicts judged against the modem's
 *   clock, a client certificate the server wanted, no common version or cipher, the server
 *   hanging up mid-handshake, and the `<Timeout>` of #SSLD ("maximum allowed TCP inter-packet
 *   delay … the module gives up the handshake", AT reference guides) → 839 "SSL error during
 *   handshake";
 * - certificates or keys missing or unusable on the module's side are found before dialling and
 *   reported as 837 by the socket module, not here.
 */
export const TLS_FAILURE_CODES: Readonly<Record<TlsFailureCause, () => TelitError>> = {
  refused: FAIL.sslSocket,
  unreachable: FAIL.sslSocket,
  timeout: FAIL.sslHandshake,
  'unknown-ca': FAIL.sslHandshake,
  expired: FAIL.sslHandshake,
  'not-yet-valid': FAIL.sslHandshake,
  'hostname-mismatch': FAIL.sslHandshake,
  'bad-certificate': FAIL.sslHandshake,
  'client-certificate-required': FAIL.sslHandshake,
  'protocol-version': FAIL.sslHandshake,
  'no-shared-cipher': FAIL.sslHandshake,
  handshake: FAIL.sslHandshake,
  closed: FAIL.sslHandshake,
};
