/**
 * u-blox error codes explained: the `+CME ERROR` codes seen on the security and socket paths
 * (numeric with `AT+CMEE=1`, verbose with `AT+CMEE=2`; 3GPP TS 27.007 §9.2 numbering, which the
 * u-blox AT commands manual's appendix "Mobile termination error result codes" follows), and the
 * socket error numbers `+USOCTL: <socket>,1,<errno>` / `+USOER: <errno>` report (the manual's
 * appendix "Internal TCP/UDP/IP stack class error codes": BSD errno numbering).
 * The meanings and hints are ours; the verbose strings are the manual's. A few codes mean
 * something narrower on one command than in general: those are looked up by the command first.
 *
 * Must never: send anything to a modem.
 */
import type { DecodedError } from '../adapter';
import { decodeCme, type CmeTable, type Explanation } from '../cme';

type Entry = Explanation;

const CME: Readonly<Record<number, Entry>> = {
  0: { name: 'phone failure', meaning: 'The module reports an internal failure.', category: 'modem', hint: 'Retry; if it persists, restart the module.' },
  1: { name: 'no connection to phone', meaning: 'The module cannot reach its own modem part.', category: 'modem', hint: 'Restart the module.' },
  3: {
    name: 'operation not allowed',
    meaning: 'The module does not allow this operation now: a security profile or certificate in use, a socket in the wrong state, or a pre-installed certificate that cannot be changed.',
    category: 'state',
    hint: 'Check the order of the steps (load certificates, apply the profile, then open); close connections before changing their profile; pre-installed ubx_* certificates cannot be removed or replaced.',
  },
  4: {
    name: 'operation not supported',
    meaning: 'This module or firmware does not support the command or the value (e.g. TLS 1.3, a cipher suite list, ZTP).',
    category: 'parameter',
    hint: 'Choose a value the module supports; the tls-profile node lists them from the u-blox capabilities.',
  },
  10: { name: 'SIM not inserted', meaning: 'No SIM card is detected.', category: 'modem', hint: 'Insert the SIM card and restart the module.' },
  11: { name: 'SIM PIN required', meaning: 'The SIM is locked by a PIN.', category: 'modem', hint: 'Unlock the SIM (AT+CPIN) before attaching to the network.' },
  12: { name: 'SIM PUK required', meaning: 'The SIM is blocked after wrong PINs.', category: 'modem', hint: 'Unblock it with its PUK.' },
  13: { name: 'SIM failure', meaning: 'The SIM card does not respond.', category: 'modem', hint: 'Check the SIM card and its holder.' },
  16: { name: 'incorrect password', meaning: 'A password was refused, for example the one of an encrypted private key.', category: 'certificate', hint: 'Give the right password of the key (load-cert password, or the profile key password).' },
  20: {
    name: 'memory full',
    meaning: 'The module has no room for another certificate or key (up to 10 can be imported).',
    category: 'certificate',
    hint: 'Remove certificates or keys no longer used (list them with AT+USECMNG=3), or reuse a name: importing under an existing name replaces it.',
  },
  21: { name: 'invalid index', meaning: 'A profile or socket number is outside the module’s range.', category: 'parameter', hint: 'Profiles are 0..4, sockets 0..6.' },
  22: { name: 'not found', meaning: 'No certificate or key is stored under that name and type.', category: 'certificate', hint: 'Check the name and the type (CA, client certificate, key): names are case-sensitive.' },
  23: { name: 'memory failure', meaning: 'The module could not write its memory.', category: 'modem', hint: 'Retry; if it persists, the module may need service.' },
  24: { name: 'text string too long', meaning: 'A name or text parameter is longer than the module accepts.', category: 'parameter', hint: 'Names of imported items are at most 30 characters, host names 256, SNI 128.' },
  25: { name: 'invalid characters in text string', meaning: 'A text parameter holds characters the module does not accept.', category: 'parameter', hint: 'Use plain ASCII letters, digits, dots, dashes and underscores in names.' },
  30: { name: 'no network service', meaning: 'The module is not registered on a network.', category: 'network', hint: 'Check the antenna, the coverage and the SIM subscription.' },
  31: { name: 'network timeout', meaning: 'The network did not answer in time.', category: 'network', hint: 'Retry; check the signal quality (AT+CSQ).' },
  32: { name: 'network not allowed - emergency calls only', meaning: 'The network refuses service to this SIM.', category: 'network', hint: 'Check the SIM subscription and roaming settings.' },
  50: {
    name: 'incorrect parameters',
    meaning: 'A value was outside what the command accepts: a size over 8192 bytes, a data size that does not match what was sent, a malformed certificate or key, an unknown profile operation.',
    category: 'parameter',
    hint: 'Check the value named in the error; for certificates, the module takes X.509 in PEM or DER and keys without PEM extension headers.',
  },
  100: { name: 'unknown', meaning: 'The module reports an unspecified error.', category: 'unknown', hint: 'Retry; if it persists, check the module’s state (network, profile, sockets).' },
  132: { name: 'service option not supported', meaning: 'The network does not offer the requested data service.', category: 'network', hint: 'Check the APN.' },
  133: { name: 'requested service option not subscribed', meaning: 'The SIM has no subscription for this data service or APN.', category: 'network', hint: 'Check the APN with your SIM provider.' },
  134: { name: 'service option temporarily out of order', meaning: 'The network cannot give the data service now.', category: 'network', hint: 'Retry later.' },
  148: { name: 'unspecified GPRS error', meaning: 'The data connection failed without a detailed cause.', category: 'network', hint: 'Check the APN and the registration (AT+CEREG?), then retry.' },
  149: { name: 'PDP authentication failure', meaning: 'The network refused the APN user name or password.', category: 'network', hint: 'Check the APN user and password in the modem config.' },
};

const VERBOSE = new Map(Object.entries(CME).map(([code, e]) => [e.name.toLowerCase(), Number(code)]));

/**
 * What a code means on one command, where that is narrower than its general meaning. The command is
 * the one in the error (`msg.modemError.command`), as sent: `AT+USECMNG=4,0,"name"`.
 */
const ON_COMMAND: ReadonlyArray<{ command: RegExp; code: number; entry: Entry }> = [
  {
    // +USECMNG op 4 (MD5) and op 2 (remove) of a name nothing is stored under: the modules answer 4,
    // "operation not supported" (a SARA-R422 does so in ubxlib issue #77's log), not 22 "not found".
    command: /^AT\+USECMNG=\s*[24]\s*,/i,
    code: 4,
    entry: {
      name: 'no such certificate or key',
      meaning: 'The module holds no certificate or key of that type under that name, so there is nothing to hash or remove.',
      category: 'certificate',
      hint: 'Names are case-sensitive and belong to one type (CA, client certificate, key, server certificate): list what is stored (load-cert action list, or AT+USECMNG=3) and use a name and type shown there, or load the item first.',
    },
  },
];

/** Socket errors (`+USOCTL: <socket>,1,<errno>`, `+USOER: <errno>`), BSD errno numbering. */
const ERRNO: Readonly<Record<number, Entry & { symbol: string }>> = {
  0: { symbol: '', name: 'no error', meaning: 'The socket reports no error.', category: 'unknown', hint: 'The failure came from elsewhere: read the +CME ERROR code of the command.' },
  1: { symbol: 'EPERM', name: 'operation not permitted', meaning: 'The socket operation is not permitted (an internal error of the stack).', category: 'state', hint: 'Close the socket and open it again; on a secure socket check the profile (certificates loaded, names right).' },
  2: { symbol: 'ENOENT', name: 'no such resource', meaning: 'The socket or the resource it needs does not exist.', category: 'state', hint: 'Open the connection again (tls-open).' },
  4: { symbol: 'EINTR', name: 'interrupted system call', meaning: 'The operation was interrupted.', category: 'state', hint: 'Retry.' },
  5: { symbol: 'EIO', name: 'I/O error', meaning: 'The socket failed while sending or receiving; on a secure socket this is often a failed TLS handshake.', category: 'handshake', hint: 'Check that the CA loaded is the root of the server’s chain, the modem clock (clockSync), the host name, and that version and cipher suite are ones the server accepts.' },
  9: { symbol: 'EBADF', name: 'bad file descriptor', meaning: 'No open socket has this number.', category: 'state', hint: 'Use the socket returned by tls-open; it may have been closed already.' },
  11: { symbol: 'EAGAIN', name: 'resource temporarily unavailable', meaning: 'The operation would block: no data to read yet, or the send buffer is full.', category: 'network', hint: 'Retry a little later; send smaller chunks.' },
  12: { symbol: 'ENOMEM', name: 'out of memory', meaning: 'The module ran out of memory for the socket (TLS connections need much of it).', category: 'modem', hint: 'Close unused connections; at most 4 TLS connections can be open at once.' },
  13: { symbol: 'EACCES', name: 'permission denied', meaning: 'The operation is not allowed on this socket.', category: 'state', hint: 'Check the socket number and that it is open.' },
  14: { symbol: 'EFAULT', name: 'bad address', meaning: 'An address given to the socket is not valid.', category: 'parameter', hint: 'Check the host name and port.' },
  16: { symbol: 'EBUSY', name: 'device or resource busy', meaning: 'The socket is busy with another operation.', category: 'state', hint: 'Wait for the running operation (e.g. a connect) to end.' },
  22: { symbol: 'EINVAL', name: 'invalid argument', meaning: 'A value given to the socket is not valid (port, host, length, profile).', category: 'parameter', hint: 'Check host, port and profile id (0..4).' },
  24: { symbol: 'EMFILE', name: 'too many open sockets', meaning: 'All sockets of the module are in use.', category: 'state', hint: 'Close connections no longer needed (tls-close).' },
  28: { symbol: 'ENOSPC', name: 'no space left', meaning: 'The socket’s buffers are full.', category: 'network', hint: 'Read what arrived (tls-recv) and send smaller chunks.' },
  32: { symbol: 'EPIPE', name: 'broken pipe', meaning: 'The connection is closed for sending.', category: 'network', hint: 'Open the connection again.' },
  71: { symbol: 'EPROTO', name: 'protocol error', meaning: 'A protocol error occurred on the connection; on a secure socket, in TLS.', category: 'handshake', hint: 'Check TLS version and cipher suite against what the server accepts.' },
  95: { symbol: 'EOPNOTSUPP', name: 'operation not supported', meaning: 'The socket does not support this operation.', category: 'parameter', hint: 'Check the socket type (TCP) and the command.' },
  98: { symbol: 'EADDRINUSE', name: 'address already in use', meaning: 'The local port is in use.', category: 'state', hint: 'Close the other socket, or let the module choose the local port.' },
  99: { symbol: 'EADDRNOTAVAIL', name: 'cannot assign requested address', meaning: 'The module has no IP address for the socket: the data connection is down.', category: 'network', hint: 'Set the APN in the modem config so the data connection (PDP context) is activated.' },
  100: { symbol: 'ENETDOWN', name: 'network is down', meaning: 'The data connection is down.', category: 'network', hint: 'Check the registration and the APN; the data connection must be active.' },
  101: { symbol: 'ENETUNREACH', name: 'network is unreachable', meaning: 'No route to the server’s network.', category: 'network', hint: 'Check the APN (a private APN may not reach the Internet) and the server address.' },
  102: { symbol: 'ENETRESET', name: 'network dropped connection on reset', meaning: 'The network reset the connection.', category: 'network', hint: 'Open the connection again.' },
  103: { symbol: 'ECONNABORTED', name: 'software caused connection abort', meaning: 'The module aborted the connection; on a secure socket often because the TLS handshake failed or timed out (60 s inactivity).', category: 'handshake', hint: 'Check CA, client certificate and key names in the profile, the modem clock, and the server’s TLS settings.' },
  104: { symbol: 'ECONNRESET', name: 'connection reset by peer', meaning: 'The server reset the connection; during tls-open usually because it rejected the TLS handshake (no client certificate, unknown CA, no common cipher or version).', category: 'handshake', hint: 'For mutual TLS load the client certificate and key and name them in the profile; check the TLS version and cipher suite.' },
  105: { symbol: 'ENOBUFS', name: 'no buffer space available', meaning: 'The module has no buffer left for the socket.', category: 'modem', hint: 'Read pending data and close unused connections.' },
  106: { symbol: 'EISCONN', name: 'already connected', meaning: 'The socket is already connected.', category: 'state', hint: 'Use it, or close it before connecting again.' },
  107: { symbol: 'ENOTCONN', name: 'not connected', meaning: 'The socket is not connected.', category: 'state', hint: 'Open the connection first (tls-open); the server may have closed it.' },
  108: { symbol: 'ESHUTDOWN', name: 'cannot send after shutdown', meaning: 'The connection was shut down for sending.', category: 'network', hint: 'Open the connection again.' },
  110: { symbol: 'ETIMEDOUT', name: 'connection timed out', meaning: 'The server did not answer in time (no TCP answer, or a TLS handshake that stalled).', category: 'network', hint: 'Check the host and port, that the server is reachable from the mobile network, and the signal quality.' },
  111: { symbol: 'ECONNREFUSED', name: 'connection refused', meaning: 'The server refused the connection: nothing listens on that port.', category: 'network', hint: 'Check the port and that the server is running and reachable from the mobile network.' },
  112: { symbol: 'EHOSTDOWN', name: 'host is down', meaning: 'The server does not answer.', category: 'network', hint: 'Check that the server is running.' },
  113: { symbol: 'EHOSTUNREACH', name: 'no route to host', meaning: 'The server cannot be reached from the mobile network.', category: 'network', hint: 'Check the address (a private address is not reachable through a public APN) and the APN.' },
  115: { symbol: 'EINPROGRESS', name: 'operation now in progress', meaning: 'A connect is still running on this socket.', category: 'state', hint: 'Wait for it to finish.' },
};

const SYMBOLS = new Map(Object.entries(ERRNO).filter(([, e]) => e.symbol).map(([n, e]) => [e.symbol, Number(n)]));

/** The entry of a socket error number, for messages built by the adapter. */
export function socketErrno(errno: number): (Entry & { symbol: string }) | undefined {
  return ERRNO[errno];
}

/** `errno 111`, `+USOCTL: 0,1,111`, `+USOER: 111`, `ECONNREFUSED` → 111. */
function errnoOf(text: string): number | undefined {
  const m = /^errno\s*:?\s*(\d+)$/i.exec(text) ?? /^\+USOCTL:\s*\d+,\s*1,\s*(\d+)$/i.exec(text) ?? /^\+USOER:\s*(\d+)$/i.exec(text);
  if (m) return Number(m[1]);
  return SYMBOLS.get(text.toUpperCase());
}

const TABLE: CmeTable = {
  vendor: 'ublox',
  codes: CME,
  verbose: VERBOSE,
  bareError: {
    meaning: 'The module refused the command without saying why (error reports are off, or the command or a value is unknown).',
    hint: 'Numeric error reports (AT+CMEE=1) give the cause; the modem config turns them on at start.',
  },
  unknown: {
    meaning: 'A code this package does not know for u-blox modules.',
    hint: 'Look the code up in the u-blox AT commands manual, appendix "Mobile termination error result codes".',
  },
};

export function decodeUbloxError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
  const candidates = [error.code, error.line].filter((v): v is string | number => v !== undefined && v !== '');
  for (const raw of candidates) {
    const text = String(raw).trim();
    const errno = errnoOf(text);
    if (errno !== undefined) {
      const e = ERRNO[errno];
      if (e) {
        const { symbol, ...entry } = e;
        return { vendor: 'ublox', code: `errno ${errno}`, ...entry, name: symbol ? `${symbol}: ${e.name}` : e.name };
      }
      return {
        vendor: 'ublox',
        code: `errno ${errno}`,
        name: `socket error ${errno}`,
        meaning: 'A socket error number this package does not know.',
        category: 'network',
        hint: 'Look it up in the u-blox AT commands manual, appendix "Internal TCP/UDP/IP stack class error codes".',
      };
    }
  }
  const decoded = decodeCme(TABLE, error);
  const command = error.command?.trim();
  const special = command ? ON_COMMAND.find((c) => c.code === decoded.code && c.command.test(command)) : undefined;
  return special ? { ...decoded, ...special.entry } : decoded;
}
