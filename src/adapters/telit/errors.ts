/**
 * Telit error codes explained: the SSL codes 830..841 of the SSL/TLS User Guide §12.2
 * (numeric with `AT+CMEE=1`, verbose with `AT+CMEE=2`) and the other codes its SSL commands
 * answer with, each with a category and a hint in plain words. The meanings and hints are
 * ours; the verbose strings are Telit's.
 *
 * Owns: what a Telit error means to the user. Must never: decide what to do about it (the
 * adapter does), or reword a verbose string: it is matched as the module prints it.
 */
import type { DecodedError } from '../adapter';
import { decodeCme, type CmeTable, type Explanation } from '../cme';
import { TELIT_SSL_ERRORS } from './platforms';

type Entry = Explanation;

const SSL: Readonly<Record<number, Entry>> = {
  830: {
    name: 'SSL generic error',
    meaning: 'The secure socket failed for a reason the module does not detail.',
    category: 'state',
    hint: 'Check the socket status (#SSLS) and the configuration of the secure socket, then try again; if it persists, reboot the module.',
  },
  831: {
    name: 'SSL cannot activate',
    meaning: 'The module could not enable the secure socket.',
    category: 'state',
    hint: 'Another AT instance or service (HTTP, FTP, MQTT) may hold the SSL resource; disable it there first.',
  },
  832: {
    name: 'SSL socket error',
    meaning: 'The TCP connection under the secure socket failed: the server refused it, could not be reached, or the data connection is down.',
    category: 'network',
    hint: 'Check the host name and port, that the server is listening, and that the PDP context is active (#SGACT) with the right APN.',
  },
  833: {
    name: 'SSL not connected',
    meaning: 'The command needs an open connection on this secure socket, and there is none.',
    category: 'state',
    hint: 'Open the connection first (tls-open); if the server closed it, open it again.',
  },
  834: {
    name: 'SSL already connected',
    meaning: 'This secure socket already has an open connection.',
    category: 'state',
    hint: 'Close it (tls-close) before opening another one, or use another secure socket id.',
  },
  835: {
    name: 'SSL already activated',
    meaning: 'SSL is already enabled, possibly for another service: the module has one SSL resource for sockets, HTTP, FTP and MQTT.',
    category: 'state',
    hint: 'Disable SSL for the other service (HTTP, FTP or MQTT configuration) before using secure sockets.',
  },
  836: {
    name: 'SSL not activated',
    meaning: 'The secure socket is not enabled (#SSLEN), so its settings cannot be read or changed.',
    category: 'state',
    hint: 'Enable it: the tls-profile and load-cert nodes do this by themselves; with raw commands send AT#SSLEN=<SSId>,1 first.',
  },
  837: {
    name: 'SSL certs and keys wrong or not stored',
    meaning: 'The authentication mode needs certificates or a key that are missing on the module, or that it cannot use.',
    category: 'certificate',
    hint: 'Load the CA certificate (and for mutual TLS the client certificate and its RSA key) into the same secure socket id with load-cert.',
  },
  838: {
    name: 'SSL error enc/dec data',
    meaning: 'The module failed to encrypt or decrypt data on the connection.',
    category: 'handshake',
    hint: 'The connection is unusable: close it and open it again. Repeated failures point to an unsupported cipher suite.',
  },
  839: {
    name: 'SSL error during handshake',
    meaning: 'The TLS handshake failed: the server certificate was not trusted, expired or for another host, the server wanted a client certificate, or no protocol version or cipher suite was common.',
    category: 'handshake',
    hint: 'Check that the CA loaded is the root of the server’s chain, that the modem clock is right (clockSync), the host name matches the certificate, and the TLS version and cipher suite are ones the server accepts.',
  },
  840: {
    name: 'SSL disconnected',
    meaning: 'The connection was closed, by the server or after the inactivity timeout.',
    category: 'network',
    hint: 'Open the connection again; raise the inactivity timeout (maxTo) if the server is expected to stay quiet for long.',
  },
  841: {
    name: 'SSL invalid state',
    meaning: 'The command is not allowed in the current state of the secure socket (for example a setting changed while connected).',
    category: 'state',
    hint: 'Close the connection before changing its settings.',
  },
};

/**
 * An SSId enabled (#SSLEN) on one AT instance — one serial or USB port of the module — is that
 * instance's until it disables it: from any other port every SSL command on it fails (§6.2.1,
 * §6.2.2). The guide prints only the verbose form, "Resource used by another instance"
 * (§6.8.1 lines 983 and 1019, the second with a full stop; §6.8.2 lines 1117, 1147, 1213); the
 * number is the AT reference guides' 612, which they spell "resource used by other instance".
 */
const INSTANCE: Readonly<Record<number, Entry>> = {
  612: {
    name: 'Resource used by another instance',
    meaning: 'The secure socket is enabled on another port of the module (another AT instance), and only that port may use or change it.',
    category: 'state',
    hint: 'Disable it on the port that enabled it (AT#SSLEN=<SSId>,0 there), or use another secure socket id; check that no other program has the module’s second port open.',
  },
};

/** Numeric code → the verbose text the guide prints for it (§12.2; §6.8.1 for 612). */
export const TELIT_ERROR_TEXTS: Readonly<Record<number, string>> = {
  ...TELIT_SSL_ERRORS,
  612: 'Resource used by another instance',
};

/** Other spellings of the same codes: the AT reference guides' text of 612. */
const ALSO_SPELLED: ReadonlyArray<readonly [string, number]> = [['resource used by other instance', 612]];

const VERBOSE = new Map([
  ...Object.entries(TELIT_ERROR_TEXTS).map(([code, text]) => [text.toLowerCase(), Number(code)] as const),
  ...ALSO_SPELLED,
]);

// 3GPP TS 27.007 §9.2 general codes Telit modules also report on these paths.
const GENERAL: Readonly<Record<number, Entry>> = {
  3: { name: 'operation not allowed', meaning: 'The module does not allow this operation now.', category: 'state', hint: 'Check the order of the steps: enable, configure, then connect.' },
  4: { name: 'operation not supported', meaning: 'This module or firmware does not support the command or value.', category: 'parameter', hint: 'Check the platform chosen in the modem config; it decides which values are sent.' },
  10: { name: 'SIM not inserted', meaning: 'No SIM card is detected.', category: 'modem', hint: 'Insert the SIM card and restart the module.' },
  11: { name: 'SIM PIN required', meaning: 'The SIM is locked by a PIN.', category: 'modem', hint: 'Enter the SIM PIN in the modem config.' },
  30: { name: 'no network service', meaning: 'The module is not registered on a network.', category: 'network', hint: 'Check the antenna, the coverage and the SIM subscription.' },
  50: { name: 'incorrect parameters', meaning: 'A value was outside what the command accepts.', category: 'parameter', hint: 'Check the value named in the error against the module’s range.' },
  100: { name: 'unknown', meaning: 'The module reports an unspecified error.', category: 'unknown', hint: 'Retry; if it persists, check the module’s state with its status commands.' },
  555: { name: 'activation failed', meaning: 'The PDP context could not be activated.', category: 'network', hint: 'Check the APN, user name and password for your SIM provider.' },
  556: { name: 'context not opened', meaning: 'The data connection is not active.', category: 'network', hint: 'Activate the PDP context (set the APN in the modem config).' },
};

const TABLE: CmeTable = {
  vendor: 'telit',
  codes: { ...GENERAL, ...SSL, ...INSTANCE },
  verbose: VERBOSE,
  bareError: {
    meaning: 'The module refused the command without saying why (error reports are off or the command is unknown).',
    hint: 'Numeric error reports (AT+CMEE=1) give the exact cause; the modem config turns them on at start.',
  },
  unknown: {
    meaning: 'A code this package does not know for Telit modules.',
    hint: 'Look the code up in the AT Commands Reference Guide of the module.',
  },
};

export function decodeTelitError(error: { code?: string | number; line?: string }): DecodedError {
  return decodeCme(TABLE, error);
}
