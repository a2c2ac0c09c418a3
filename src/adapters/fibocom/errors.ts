/**
 * Fibocom L610 errors explained: the SSL error codes `+GTSSLERR: <err_code>` reports for the last
 * connection (seeds/004 l. 175–202, -0..-20), the bare `ERROR` its SSL and +MIP commands answer
 * (which means something particular on some of them: on +GTSSLFILE after the `>`, the 12 s upload
 * window ran out, l. 121), and `+CME ERROR` codes in 3GPP TS 27.007 §9.2 numbering.
 * The meanings and hints are ours; the code list is the manual's.
 *
 * Must never: send anything to a modem.
 */
import type { DecodedError } from '../adapter';
import { decodeCme, type CmeTable, type Explanation } from '../cme';

const CLOCK = 'the module clock (it starts from a default after every power-up: turn on clockSync in the modem config, or set it with AT+CCLK)';

/** `+GTSSLERR` codes by their number without the sign (`-11` → 11). */
const SSL_ERRORS: Readonly<Record<number, Explanation>> = {
  0: { name: 'normal', meaning: 'The last SSL connection had no error.', category: 'unknown', hint: 'Nothing to do here; the failure had another cause (the network, the data connection or the server).' },
  1: { name: 'parameter error', meaning: 'A parameter of the SSL connection was wrong.', category: 'parameter', hint: 'Check the host, the port and the socket id of the open, and the SSL settings (+GTSSLMODE, +GTSSLVER, +GTSSLCIPHER).' },
  2: { name: 'SSL connection failed', meaning: 'The SSL connection could not be established.', category: 'handshake', hint: 'Check that the server speaks TLS on that port and accepts the version and suites of the profile; a server that asks for a client certificate needs CERTFILE and KEYFILE loaded.' },
  3: { name: 'file read error', meaning: 'The module could not read one of its certificate or key files.', category: 'certificate', hint: 'Power-cycle the module and load the files again: they cannot be replaced while it runs.' },
  4: { name: 'socket cannot connect', meaning: 'The TCP connection under the SSL session could not be made (the socket could neither read nor write).', category: 'network', hint: 'Check the host and port, that the server is reachable from the mobile network, and the data connection (+MIPCALL).' },
  5: { name: 'socket read failed', meaning: 'Reading from the socket failed during the SSL exchange.', category: 'network', hint: 'The network dropped the connection: open it again; check the signal and the data connection.' },
  6: { name: 'socket write failed', meaning: 'Writing to the socket failed during the SSL exchange.', category: 'network', hint: 'The network dropped the connection: open it again; check the signal and the data connection.' },
  7: { name: 'SSL protocol error', meaning: 'The server and the module did not agree on the protocol (version or cipher suites), or a message was malformed.', category: 'handshake', hint: 'Match the TLS version and cipher suites of the profile with what the server accepts (+GTSSLVER, +GTSSLCIPHER).' },
  8: { name: 'no handshake response', meaning: 'The server did not answer the handshake the module started.', category: 'handshake', hint: 'Check that the port is a TLS port (not plain TCP) and that the server is up; a firewall may drop the traffic.' },
  9: { name: 'closed by the server', meaning: 'The server ended the SSL connection.', category: 'handshake', hint: 'The server refused the session: check its logs (a client certificate it does not trust, a version or suite it refuses).' },
  10: { name: 'unknown error', meaning: 'The module reports an SSL error it does not name.', category: 'unknown', hint: 'Try again; if it persists, check the server and the profile, and power-cycle the module.' },
  11: { name: 'certificate validation failed', meaning: 'The server certificate could not be verified: no trust certificate (TRUSTFILE) is loaded, the server is not signed by one that is, or a certificate is outside its validity dates by the module clock.', category: 'certificate', hint: `Load the CA that signed the server (load-cert, certType ca) — files are lost at every power-down — and check ${CLOCK}.` },
  12: { name: 'certificate length mismatch', meaning: 'The length given for a certificate does not match its data.', category: 'certificate', hint: 'Load the file again with load-cert, which counts the PEM text it sends; the module must be power-cycled first if it is a client certificate or key.' },
  13: { name: 'missing RSA encryption certificate', meaning: 'The suite chosen needs an RSA certificate the module does not have.', category: 'certificate', hint: 'Load a client certificate and key (CERTFILE, KEYFILE) with an RSA key, or choose suites that do not need one.' },
  14: { name: 'missing RSA signature certificate', meaning: 'The suite chosen needs an RSA signing certificate the module does not have.', category: 'certificate', hint: 'Load a client certificate and key with an RSA key, or choose other suites.' },
  15: { name: 'public key parameter not found', meaning: 'The public key information of a certificate could not be found.', category: 'certificate', hint: 'Check the certificate: the module may not take its key type or curve; RSA and P-256 keys are the safest.' },
  16: { name: 'unknown certificate type', meaning: 'A certificate is of a type the module does not know.', category: 'certificate', hint: 'Load X.509 certificates in PEM (load-cert converts DER); check the key type of the certificate.' },
  17: { name: 'client certificate file error', meaning: 'The client certificate loaded (CERTFILE) is damaged or unreadable.', category: 'certificate', hint: 'Power-cycle the module (the file cannot be replaced while it runs) and load the client certificate again in PEM.' },
  18: { name: 'client key file error', meaning: 'The client key loaded (KEYFILE) is damaged or unreadable.', category: 'certificate', hint: 'Power-cycle the module and load the key again, unencrypted, in PEM (load-cert decrypts a key with its password).' },
  19: { name: 'trust certificate file error', meaning: 'A trust certificate loaded (TRUSTFILE) is damaged or unreadable.', category: 'certificate', hint: 'Power-cycle the module (trust files cannot be removed) and load the CA certificates again in PEM.' },
  20: { name: 'receive timeout', meaning: 'Data of the SSL session did not arrive in time.', category: 'network', hint: 'The network or the server is slow or gone: open the connection again.' },
};

/** 3GPP TS 27.007 §9.2 codes a module answers to the commands this package sends. */
const CME: Readonly<Record<number, Explanation>> = {
  0: { name: 'phone failure', meaning: 'The module reports an internal failure.', category: 'modem', hint: 'Retry; if it persists, power-cycle the module.' },
  3: { name: 'operation not allowed', meaning: 'The command is not allowed in the module’s current state.', category: 'state', hint: 'Check the state the command needs (data connection active, socket open or free).' },
  4: { name: 'operation not supported', meaning: 'The module does not support the command or value.', category: 'parameter', hint: 'Check the command and its values against the module’s firmware.' },
  10: { name: 'SIM not inserted', meaning: 'No SIM card is detected.', category: 'modem', hint: 'Insert the SIM card and power-cycle the module.' },
  11: { name: 'SIM PIN required', meaning: 'The SIM is locked by its PIN.', category: 'modem', hint: 'Unlock it (AT+CPIN) or remove the PIN from the SIM.' },
  13: { name: 'SIM failure', meaning: 'The SIM card does not work.', category: 'modem', hint: 'Check or replace the SIM card.' },
  14: { name: 'SIM busy', meaning: 'The SIM is busy.', category: 'modem', hint: 'Wait a moment and try again.' },
  30: { name: 'no network service', meaning: 'The module is not registered on a network.', category: 'network', hint: 'Check the antenna, coverage and the SIM’s subscription (AT+CEREG?, AT+COPS?).' },
  31: { name: 'network timeout', meaning: 'The network did not answer in time.', category: 'network', hint: 'Try again; check the signal (AT+CSQ).' },
  50: { name: 'incorrect parameters', meaning: 'A value of the command is wrong.', category: 'parameter', hint: 'Check the values against the command’s syntax.' },
  100: { name: 'unknown', meaning: 'The module reports an error it does not name.', category: 'unknown', hint: 'Try again; if it persists, power-cycle the module.' },
};

const VERBOSE = new Map(Object.entries(CME).map(([code, e]) => [e.name.toLowerCase(), Number(code)]));

const TABLE: CmeTable = {
  vendor: 'fibocom',
  codes: CME,
  verbose: VERBOSE,
  bareError: {
    meaning: 'The module refused the command without saying why: the L610 SSL and +MIP commands answer a plain ERROR for a wrong value, a state that does not allow it, or a limit reached.',
    hint: 'Check the command’s values and state; after a failed connection AT+GTSSLERR? gives the SSL reason.',
  },
  unknown: {
    meaning: 'A code this package does not know for the Fibocom L610.',
    hint: 'Look it up in the Fibocom L610 AT commands manual.',
  },
};

/** What a bare ERROR means on one command. */
const ON_COMMAND: ReadonlyArray<{ command: RegExp; entry: Explanation }> = [
  {
    command: /^AT\+GTSSLFILE=/i,
    entry: {
      name: 'upload refused or timed out',
      meaning: 'The module left the upload (ODM) mode without storing the file: no data came for 12 s after the ">" prompt, the length is outside 4..8192, or the limit of one client certificate, one key and 40 trust certificates was reached.',
      category: 'certificate',
      hint: 'Load it again with load-cert, which sends the PEM text at once and checks the limits first; a client certificate or key already loaded stays until the module is power-cycled.',
    },
  },
  {
    command: /^AT\+MIPOPEN=/i,
    entry: {
      name: 'open refused',
      meaning: 'The module refused to open the socket: the data connection is not active (+MIPCALL), the socket id is in use, or a value is wrong.',
      category: 'state',
      hint: 'Check the APN of the modem config (the data connection comes up with it) and close sockets no longer used.',
    },
  },
  {
    command: /^AT\+MIPCALL=/i,
    entry: {
      name: 'data connection refused',
      meaning: 'The module could not start the data connection (or it is already active).',
      category: 'network',
      hint: 'Check the APN, user and password of the modem config, the SIM and the registration (AT+CEREG?).',
    },
  },
  {
    command: /^AT\+MIPSEND=/i,
    entry: {
      name: 'send refused',
      meaning: 'The module refused the data: the socket is not open any more, the length is out of range, or no data came in time after the prompt.',
      category: 'state',
      hint: 'Open the connection again (tls-open) and send again.',
    },
  },
];

/** `-11`, `+GTSSLERR: -11`, `GTSSLERR -11` → 11. */
function sslErrorOf(text: string): number | undefined {
  const m = /^(?:\+?GTSSLERR:?\s*)?-(\d{1,2})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

/** Outcomes the module reports by URC rather than by a code: a data connection or a connection that did not come up. */
const OUTCOMES: ReadonlyArray<{ line: RegExp; entry: Explanation }> = [
  {
    line: /^\+MIPCALL: ?0$/,
    entry: {
      name: 'data connection refused',
      meaning: 'The module could not start the data connection (+MIPCALL: 0): the network refused the APN or its user and password, or the module is not registered.',
      category: 'network',
      hint: 'Check the APN, user and password of the modem config, the SIM and the registration (AT+CEREG?, AT+COPS?).',
    },
  },
  {
    line: /^\+MIPOPEN:? ?(?:\d+,)?0$/,
    entry: {
      name: 'connection failed',
      meaning: 'The TCP connection to the server could not be made, and the module reports no SSL error for it.',
      category: 'network',
      hint: 'Check the host and port, that the server is reachable from the mobile network, and the signal.',
    },
  },
];

export function decodeFibocomError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
  for (const raw of [error.code, error.line]) {
    if (raw === undefined || raw === '') continue;
    const outcome = OUTCOMES.find((o) => o.line.test(String(raw).trim()));
    if (outcome) return { vendor: 'fibocom', code: String(raw).trim(), ...outcome.entry };
  }
  for (const raw of [error.code, error.line]) {
    if (raw === undefined || raw === '') continue;
    const n = sslErrorOf(String(raw));
    if (n === undefined) continue;
    const entry = SSL_ERRORS[n];
    if (entry) return { vendor: 'fibocom', code: `-${n}`, ...entry };
    return { vendor: 'fibocom', code: `-${n}`, name: `SSL error -${n}`, meaning: 'An SSL error code the Fibocom L610 manual does not list (it documents -0 to -20).', category: 'unknown', hint: 'Look it up in the Fibocom L610 AT commands manual.' };
  }
  const decoded = decodeCme(TABLE, error);
  const command = error.command?.trim();
  if (command && decoded.name === 'ERROR') {
    const special = ON_COMMAND.find((c) => c.command.test(command));
    if (special) return { ...decoded, ...special.entry };
  }
  return decoded;
}

/** The entry of a +GTSSLERR code, for messages built by the adapter. */
export function sslError(code: number): Explanation | undefined {
  return SSL_ERRORS[code];
}
