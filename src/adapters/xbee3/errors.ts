/**
 * Digi XBee3 Cellular errors explained. The XBee3 has no `+CME ERROR`; what it reports instead:
 * - the status byte of a response frame, as the adapter writes it `0x<frame>:0x<status>`:
 *   Socket Create Response 0xC0, Socket Option Response 0xC1, Socket Connect Response 0xC2,
 *   Socket Close Response 0xC3, Transmit Status 0x89 (after Socket Send), Socket Status 0xCF (the
 *   outcome of a connect, or the end of a connection) and AT Command Response 0x88; the lines
 *   read `Transmit Status 0x86`, `Socket Status 0x08`, `status 0x32`;
 * - a file-system error line: a capital E, a code, a space and a text (`ENOENT No such file or
 *   directory`), decoded by its code word;
 * - the plain `ERROR` of a command-mode command, with a hint for the commands this package sends
 *   (`AT$0`..`AT$2`, `ATTL`, `ATAP`, `ATDL`, `ATDE`, `ATFS`);
 * - the transparent-mode connection status `ATCI` reads, as `CI:0x2F`;
 * - what people type: `0x86` or `86` alone (Transmit Status first, then Socket Status),
 *   `Transmit Status 0x86`, `Socket Status 0x08`, `ENOENT`, `ERROR`.
 *
 * Sources: Digi XBee3 Cellular User Guide 90002258, the frame pages ("Socket Create Response -
 * 0xC0" … "Socket Status - 0xCF", "Transmit Status - 0x89", "AT Command Response - 0x88"), "Error
 * responses" of the file system chapter, "CI (Protocol/Connection Indication)", and seeds/000 for
 * the TLS profiles (a file the profile names is only looked for at connect; the CA must be a
 * self-signed root; no client-only authentication). The status names are the guide's (the
 * `*_STATUS_TEXT` tables of api-frames.ts); the meanings and hints are ours.
 *
 * Must never: send anything to a modem.
 */
import type { DecodedError } from '../adapter';
import type { Explanation } from '../cme';
import {
  AT_STATUS_TEXT,
  CLOSE_STATUS_TEXT,
  CONNECT_STATUS_TEXT,
  CREATE_STATUS_TEXT,
  OPTION_STATUS_TEXT,
  SOCKET_STATUS_TEXT,
  TRANSMIT_STATUS_TEXT,
} from './api-frames';

const VENDOR = 'xbee3';
const GUIDE = 'the XBee3 Cellular User Guide (Digi 90002258)';

/** A status's explanation; its name is the guide's, unless `name` says more (a TLS socket's 0x08). */
type Entry = Omit<Explanation, 'name'> & { name?: string };

// ---------------------------------------------------------------------------------------------
// Words several tables share.

const NOT_AN_ERROR = (what: string): Entry => ({
  meaning: `${what} This is not a failure.`,
  category: 'unknown',
  hint: 'Nothing to do here; if a node still failed, the cause is elsewhere — read its message.',
});
const NOT_REGISTERED: Entry = {
  meaning: 'The module is not registered on a cellular network, so it cannot open or use a socket.',
  category: 'network',
  hint: 'Check the antenna, the coverage, the SIM and its data plan; ATAI reads 0 once the module is on the Internet.',
};
const INTERNAL: Entry = {
  meaning: 'The module hit an internal failure while handling the request.',
  category: 'modem',
  hint: 'Try again; if it repeats, power-cycle the module and check its firmware version (ATVR).',
};
const RESOURCE: Entry = {
  meaning: 'The module has no room for the request now: all its sockets are in use, or too much data is waiting to go out.',
  category: 'state',
  hint: 'Close connections no longer used (tls-close) and send more slowly; the XBee3 allows only a few TLS sockets at once (4 on LTE-M).',
};
const UPDATING: Entry = {
  meaning: 'The module is updating its cellular firmware and takes no socket requests meanwhile.',
  category: 'modem',
  hint: 'Wait until the update has finished (ATAI stops reading 0x30), then try again.',
};
const UNKNOWN_STATUS: Entry = {
  meaning: 'The module reports a failure it does not name.',
  category: 'unknown',
  hint: 'Try again; if it repeats, check the profile files, the server and the signal, and power-cycle the module.',
};
const BAD_SOCKET: Entry = {
  meaning: 'The socket ID of the request is not an open socket of the module (it was closed, by either side, or never existed).',
  category: 'state',
  hint: 'Open the connection again (tls-open) and use the msg.socket it returns; a socket is gone after any Socket Status other than 0x00.',
};
const TLS_CONFIG: Entry = {
  meaning: 'The TLS profile of the socket cannot be used: a file it names is missing from the file system, or its fields do not fit together. The module only looks for the files when a TLS connection starts, not when the profile is set.',
  category: 'certificate',
  hint: 'Check AT$0..AT$2 of the profile used: every file named must exist (ATFS LS /flash/certs), a client certificate needs its key, and the CA alone or all three — never a client certificate without a CA. Load missing files with load-cert.',
};
const TLS_AUTH: Entry = {
  meaning: 'The TLS handshake failed on authentication: the server certificate could not be verified, or the server refused the client certificate.',
  category: 'certificate',
  hint: 'Check that the profile’s CA is the self-signed root the server’s chain ends in (the XBee3 takes no intermediate CA as trust anchor), that the client certificate and key belong together and are signed by a CA the server trusts, and that the files are present.',
};
const DNS: Entry = {
  meaning: 'The module could not resolve the host name of the server.',
  category: 'network',
  hint: 'Check the spelling of the host, that the name exists in public DNS, and the data connection (ATAI reads 0 when the module is on the Internet).',
};
const REFUSED: Entry = {
  meaning: 'The server refused the TCP connection: nothing listens on that port, or a firewall rejects it.',
  category: 'network',
  hint: 'Check the host and the port, and that the server accepts connections from the mobile network.',
};
const LOST: Entry = {
  meaning: 'The connection broke while it was in use (the network dropped it or the server went away).',
  category: 'network',
  hint: 'Open it again; if it repeats, check the signal and the server.',
};
const PDP_DOWN: Entry = {
  meaning: 'The network ended the module’s data connection (PDP context); every socket went with it.',
  category: 'network',
  hint: 'Wait for the module to attach again (ATAI reads 0), then open the connection again; check the APN and the data plan if it repeats.',
};
const INACTIVITY: Entry = {
  meaning: 'The module closed the connection because no data went either way for the idle time set by TM.',
  category: 'state',
  hint: 'Open it again, send more often, or raise TM (in units of 100 ms) in the modem settings.',
};

// ---------------------------------------------------------------------------------------------
// Frame status tables: the guide's names (api-frames.ts) with our meanings and hints.

/** 0xCF Socket Status: every value but 0x00 is fatal, the socket is closed. */
const SOCKET_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The connection is established.'),
  0x01: DNS,
  0x02: REFUSED,
  0x03: {
    meaning: 'The connection was closed underneath the socket (the server closed it, or the network ended it).',
    category: 'network',
    hint: 'A server that closes at once often refuses the TLS session: check the profile (CA, client certificate and key, TL version) and the server log; otherwise open it again.',
  },
  0x04: {
    meaning: 'The server did not answer in time: the connection or its handshake timed out.',
    category: 'network',
    hint: 'Check the host and port, that the server is up and reachable from the mobile network, and the signal.',
  },
  0x05: INTERNAL,
  0x06: {
    meaning: 'The network has no route to the server’s address.',
    category: 'network',
    hint: 'Check the address (a private address is not reachable from the mobile network) and the APN of the SIM.',
  },
  0x07: LOST,
  0x08: {
    name: 'unknown error (on a TLS socket: the handshake failed)',
    meaning: 'The module closed the socket with a failure it does not name. On a TLS socket this is how a failed handshake shows: the server certificate could not be verified, the server refused the client certificate, the TLS version did not match, or a file the profile names is missing.',
    category: 'handshake',
    hint: 'Check the TLS profile used: its CA must be the self-signed root certificate the server’s chain ends in (an intermediate CA is not enough); the client certificate and key must belong together and be known to the server; TL must be a TLS version the server accepts; and every file the profile names must be present (ATFS LS /flash/certs — a missing file only fails at connect).',
  },
  0x09: {
    meaning: 'The server could not be found: its name did not resolve to an address.',
    category: 'network',
    hint: 'Check the spelling of the host and that the name exists in public DNS.',
  },
  0x0a: RESOURCE,
  0x0b: {
    meaning: 'A listening socket was closed.',
    category: 'state',
    hint: 'This package opens no listening sockets; if you use one from the module’s own code, open it again.',
  },
  0x0c: {
    meaning: 'The server reset the connection (TCP RST).',
    category: 'network',
    hint: 'A server that resets during the handshake often rejects the TLS session (version, suites, client certificate): check its log and the profile; otherwise open the connection again.',
  },
  0x0d: INACTIVITY,
  0x0e: PDP_DOWN,
};

/** 0x89 Transmit Status, after a Socket Send (0x44) or a TX Request (0x20/0x23). */
const TRANSMIT_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The data was handed to the network.'),
  0x20: {
    meaning: 'There is no connection for the data: the socket is not open any more.',
    category: 'state',
    hint: 'Open the connection again (tls-open) and send again.',
  },
  0x21: {
    meaning: 'The module could not pass the data to the cellular network.',
    category: 'network',
    hint: 'Check the signal and the registration (ATAI), then send again.',
  },
  0x22: NOT_REGISTERED,
  0x2c: {
    meaning: 'A field of the transmit frame has a value the module does not accept.',
    category: 'parameter',
    hint: 'Check the socket, address and port of the request; this is a bug if the adapter built the frame — report it with the trace.',
  },
  0x31: INTERNAL,
  0x32: RESOURCE,
  0x74: {
    meaning: 'The data is longer than one frame may carry.',
    category: 'parameter',
    hint: 'Send at most 1500 bytes per frame (512 for UDP on LTE-M); split larger messages.',
  },
  0x76: {
    meaning: 'The socket closed while the data was being sent.',
    category: 'network',
    hint: 'The server or the network ended the connection: open it again and send again.',
  },
  0x78: {
    meaning: 'The UDP port of the request is not valid.',
    category: 'parameter',
    hint: 'Use a port from 1 to 65535.',
  },
  0x79: {
    meaning: 'The TCP port of the request is not valid.',
    category: 'parameter',
    hint: 'Use a port from 1 to 65535.',
  },
  0x7a: {
    meaning: 'The destination address of the request is not valid.',
    category: 'parameter',
    hint: 'Give an IPv4 address in dotted form or a host name.',
  },
  0x7b: {
    meaning: 'The protocol (data mode) of the request is not one the module supports.',
    category: 'parameter',
    hint: 'Use TCP (1) or TLS (4) for TLS traffic; the profile index goes in 0x23 frames only.',
  },
  0x7c: {
    meaning: 'The request names an interface the module does not have.',
    category: 'parameter',
    hint: 'This package sends to the cellular interface only; report it with the trace if it appears.',
  },
  0x7d: {
    meaning: 'The interface the data is for does not take frames now.',
    category: 'state',
    hint: 'Wait a moment and send again; check that the module is not in bypass or MicroPython mode (ATAP).',
  },
  0x7e: UPDATING,
  0x80: REFUSED,
  0x81: LOST,
  0x82: {
    meaning: 'No server answered at the destination: the connection timed out.',
    category: 'network',
    hint: 'Check the host and port, that the server is up and reachable from the mobile network, and the signal.',
  },
  0x83: {
    meaning: 'The socket is closed.',
    category: 'state',
    hint: 'Open the connection again (tls-open) and send again.',
  },
  0x84: {
    meaning: 'The server could not be found: its name did not resolve.',
    category: 'network',
    hint: 'Check the spelling of the host and that the name exists in public DNS.',
  },
  0x85: UNKNOWN_STATUS,
  0x86: TLS_CONFIG,
  0x87: {
    meaning: 'The socket is not connected yet (or no more), so it cannot send.',
    category: 'state',
    hint: 'Send only after tls-open succeeded (Socket Status 0x00); open the connection again if it was closed.',
  },
  0x88: {
    meaning: 'The socket is not bound to a local port.',
    category: 'state',
    hint: 'Open the connection again (tls-open) before sending.',
  },
  0x89: INACTIVITY,
  0x8a: PDP_DOWN,
  0x8b: TLS_AUTH,
};

/** 0xC0 Socket Create Response: the socket ID is 0xFF unless the status is 0x00. */
const CREATE_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The socket was created.'),
  0x22: NOT_REGISTERED,
  0x31: INTERNAL,
  0x32: RESOURCE,
  0x7b: {
    meaning: 'The module does not know the protocol asked for the socket.',
    category: 'parameter',
    hint: 'Use 0 (UDP), 1 (TCP) or 4 (TLS); this is a bug if the adapter built the frame — report it with the trace.',
  },
  0x7e: UPDATING,
  0x85: UNKNOWN_STATUS,
  0x86: TLS_CONFIG,
};

/** 0xC1 Socket Option Response (option 0x00: the TLS profile of a socket). */
const OPTION_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The socket option was read or set.'),
  0x01: {
    meaning: 'The option or its value is not valid for the socket.',
    category: 'parameter',
    hint: 'The TLS profile option takes 0, 1 or 2 and applies to TLS sockets only (created with protocol 4).',
  },
  0x02: {
    meaning: 'The module could not read the value of the option.',
    category: 'modem',
    hint: 'Try again; if it repeats, close the socket and open the connection again.',
  },
  0x20: BAD_SOCKET,
};

/** 0xC2 Socket Connect Response: 0x00 only means the attempt started; Socket Status 0xCF tells how it ended. */
const CONNECT_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The module started connecting; a Socket Status frame will tell whether it worked.'),
  0x01: {
    meaning: 'The destination address type is neither 0 (binary IPv4) nor 1 (text).',
    category: 'parameter',
    hint: 'This is a bug if the adapter built the frame — report it with the trace.',
  },
  0x02: {
    meaning: 'The destination address or port is not valid.',
    category: 'parameter',
    hint: 'Give a host name or dotted IPv4 address and a port from 1 to 65535.',
  },
  0x03: {
    meaning: 'The socket is already connecting.',
    category: 'state',
    hint: 'Wait for the outcome of the first attempt (Socket Status), or close the socket and start over.',
  },
  0x04: {
    meaning: 'The socket is already connected.',
    category: 'state',
    hint: 'Use the open connection, or close it (tls-close) before connecting it elsewhere.',
  },
  0x05: UNKNOWN_STATUS,
  0x20: BAD_SOCKET,
};

/** 0xC3 Socket Close Response: a close of an existing socket always succeeds. */
const CLOSE_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The socket was closed.'),
  0x20: {
    meaning: 'There is no socket with that ID: it was already closed (by the server, the network or an earlier close).',
    category: 'state',
    hint: 'Nothing to close; the connection is gone already.',
  },
};

/** 0x88 AT Command Response. */
const AT_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('The command was accepted.'),
  0x01: {
    meaning: 'The module refused the command without saying why.',
    category: 'parameter',
    hint: 'Check the command’s value and the state it needs (some commands work in command mode only, such as ATFS).',
  },
  0x02: {
    meaning: 'The module does not know the command.',
    category: 'parameter',
    hint: `Check the two letters of the command against ${GUIDE}; the file-system commands (FS) are not valid in API mode.`,
  },
  0x03: {
    meaning: 'The value of the command is out of range or malformed.',
    category: 'parameter',
    hint: 'Numbers are binary in API frames (hex digits in command mode); check the range of the command in the guide.',
  },
};

interface FrameTable {
  /** The frame's name in the guide, as the adapter's lines start. */
  name: string;
  /** The guide page to look an unknown status up in. */
  page: string;
  text: Readonly<Record<number, string>>;
  entries: Readonly<Record<number, Entry>>;
}

const FRAMES: ReadonlyMap<number, FrameTable> = new Map([
  [0xc0, { name: 'Socket Create Response', page: 'Socket Create Response - 0xC0', text: CREATE_STATUS_TEXT, entries: CREATE_STATUS }],
  [0xc1, { name: 'Socket Option Response', page: 'Socket Option Response - 0xC1', text: OPTION_STATUS_TEXT, entries: OPTION_STATUS }],
  [0xc2, { name: 'Socket Connect Response', page: 'Socket Connect Response - 0xC2', text: CONNECT_STATUS_TEXT, entries: CONNECT_STATUS }],
  [0xc3, { name: 'Socket Close Response', page: 'Socket Close Response - 0xC3', text: CLOSE_STATUS_TEXT, entries: CLOSE_STATUS }],
  [0x89, { name: 'Transmit Status', page: 'Transmit Status - 0x89', text: TRANSMIT_STATUS_TEXT, entries: TRANSMIT_STATUS }],
  [0xcf, { name: 'Socket Status', page: 'Socket Status - 0xCF', text: SOCKET_STATUS_TEXT, entries: SOCKET_STATUS }],
  [0x88, { name: 'AT Command Response', page: 'AT Command Response - 0x88', text: AT_STATUS_TEXT, entries: AT_STATUS }],
]);

/** The response frame a request frame gets its status in (`Socket Create (0x40)` → 0xC0). */
const RESPONSE_OF: Readonly<Record<number, number>> = { 0x08: 0x88, 0x20: 0x89, 0x23: 0x89, 0x40: 0xc0, 0x41: 0xc1, 0x42: 0xc2, 0x43: 0xc3, 0x44: 0x89, 0x45: 0x89 };

// ---------------------------------------------------------------------------------------------
// CI (Protocol/Connection Indication), TCP and TLS (IP = 1 or 4): why transparent mode's connection failed.

/** The guide's CI values for IP = 1 or 4, in its words. */
export const CI_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'socket open',
  0x01: 'tried to send but could not',
  0x02: 'invalid parameters',
  0x03: 'TCP not supported',
  0x10: 'not registered',
  0x11: 'cellular component not identified yet',
  0x12: 'DNS query lookup failure',
  0x13: 'socket leak',
  0x20: 'bad handle',
  0x21: 'user closed',
  0x22: 'no network registration',
  0x23: 'no internet connection',
  0x24: 'no server (timed out on connection)',
  0x25: 'unknown server (DNS lookup failed)',
  0x26: 'connection refused',
  0x27: 'connection lost',
  0x28: 'unknown',
  0x2f: 'TLS socket authentication error',
  0xff: 'no known status',
};

const CI_STATUS: Readonly<Record<number, Entry>> = {
  0x00: NOT_AN_ERROR('Transparent mode’s connection is open.'),
  0x01: {
    meaning: 'The module tried to send the data but could not.',
    category: 'network',
    hint: 'Check the signal and the registration (ATAI), then send again.',
  },
  0x02: {
    meaning: 'The destination set for transparent mode is not valid (DL or DE).',
    category: 'parameter',
    hint: 'Set ATDL to a host name or dotted IPv4 address and ATDE to the port in hex (443 = 1BB).',
  },
  0x03: {
    meaning: 'The module does not support TCP with the current settings.',
    category: 'parameter',
    hint: 'Check ATIP (1 TCP, 4 TLS) and the module’s firmware.',
  },
  0x10: NOT_REGISTERED,
  0x11: {
    meaning: 'The module has not identified its cellular component yet (it is still starting).',
    category: 'modem',
    hint: 'Wait until ATAI reads 0, then send again; if it stays, power-cycle the module.',
  },
  0x12: DNS,
  0x13: {
    meaning: 'The module ran out of sockets because some were not released.',
    category: 'modem',
    hint: 'Power-cycle the module; close connections no longer used.',
  },
  0x20: {
    meaning: 'The module’s handle for the connection is not valid any more.',
    category: 'state',
    hint: 'Send again to open a new connection; power-cycle the module if it repeats.',
  },
  0x21: {
    meaning: 'The connection was closed on the host’s request (or by a change of IP, DL or DE).',
    category: 'state',
    hint: 'Nothing failed; sending data opens the connection again.',
  },
  0x22: NOT_REGISTERED,
  0x23: {
    meaning: 'The module is registered but has no Internet connection (no data session).',
    category: 'network',
    hint: 'Check the APN (ATAN) and the SIM’s data plan; ATAI reads 0 once the module is on the Internet.',
  },
  0x24: {
    meaning: 'No server answered: the connection attempt timed out.',
    category: 'network',
    hint: 'Check DL and DE, that the server is up and reachable from the mobile network, and the signal.',
  },
  0x25: {
    meaning: 'The server could not be found: its name did not resolve.',
    category: 'network',
    hint: 'Check the host in ATDL and that the name exists in public DNS.',
  },
  0x26: REFUSED,
  0x27: LOST,
  0x28: UNKNOWN_STATUS,
  0x2f: {
    ...TLS_AUTH,
    meaning: 'The TLS handshake of transparent mode’s connection failed on authentication (it uses profile $0): the server certificate could not be verified, the server refused the client certificate, or a file of the profile is missing.',
    hint: 'Check AT$0: its CA must be the self-signed root certificate the server’s chain ends in (an intermediate CA is not enough); the client certificate and key must belong together and be known to the server; TL must be a version the server accepts; every file named must be present (ATFS LS /flash/certs).',
  },
  0xff: {
    meaning: 'The module has no status to report: no connection was tried yet.',
    category: 'unknown',
    hint: 'Send data in transparent mode to start the connection, then read ATCI again.',
  },
};

// ---------------------------------------------------------------------------------------------
// File system "Error responses": `E<CODE> <text>`. The codes are those the adapter and the
// simulator use (the guide gives the form, not a list).

const FS_ERRORS: Readonly<Record<string, Explanation>> = {
  ENOENT: {
    name: 'no such file or directory',
    meaning: 'The file or directory named does not exist on the module’s file system.',
    category: 'parameter',
    hint: 'Check the path (files live under /flash; certificates in /flash/certs) with ATFS LS; names are case-insensitive.',
  },
  EEXIST: {
    name: 'file exists',
    meaning: 'A file or directory of that name exists already, and the module does not overwrite it.',
    category: 'state',
    hint: 'Remove it first (ATFS RM) or choose another name.',
  },
  ENOTEMPTY: {
    name: 'directory not empty',
    meaning: 'The directory still holds files, so it cannot be removed.',
    category: 'state',
    hint: 'Remove the files in it first (ATFS LS, ATFS RM).',
  },
  EINVAL: {
    name: 'invalid argument',
    meaning: 'An argument of the file-system command is not valid (a malformed name, or an operation the target does not allow).',
    category: 'parameter',
    hint: 'Names take letters, digits, ".", "-" and "_" only, at most 64 characters; paths start with /flash or are relative to ATFS PWD.',
  },
  ENAMETOOLONG: {
    name: 'name too long',
    meaning: 'A file name is longer than 64 characters, or the full path longer than 255.',
    category: 'parameter',
    hint: 'Use a shorter file name.',
  },
  ENOSPC: {
    name: 'no space left on device',
    meaning: 'The module’s file system is full.',
    category: 'state',
    hint: 'Remove files the profiles no longer name (ATFS LS, ATFS RM); ATFS INFO shows the space used and free.',
  },
  EACCES: {
    name: 'secure file',
    meaning: 'The file is secure (written with ATFS XPUT): it can be used by TLS but not read, downloaded or hashed the ordinary way.',
    category: 'certificate',
    hint: 'This is expected for private keys; to change one, remove it (ATFS RM) and load it again with load-cert.',
  },
  ETIMEDOUT: {
    name: 'transfer timed out',
    meaning: 'The YMODEM transfer stopped: the module waited too long for the next block.',
    category: 'link',
    hint: 'Load the file again; check the serial link (baud rate, flow control) and that nothing else writes to the port.',
  },
  ECANCELED: {
    name: 'transfer cancelled',
    meaning: 'The YMODEM transfer was cancelled before the file was complete; nothing was stored.',
    category: 'link',
    hint: 'Load the file again; if it repeats, check the serial link and the AT trace.',
  },
};

// ---------------------------------------------------------------------------------------------
// Command mode: a plain ERROR, and what it means on the commands this package sends.

const BARE_ERROR: Explanation = {
  name: 'ERROR',
  meaning: 'The module refused the command: unknown command or a value out of range.',
  category: 'parameter',
  hint: `Check the two letters of the command and its value in ${GUIDE}: numbers are hex digits without 0x (443 = 1BB).`,
};

/** Hints for the commands this package sends in command mode, by the name after `AT`. */
const ON_COMMAND: ReadonlyArray<{ command: RegExp; entry: Explanation }> = [
  {
    command: /^\$[0-2]/,
    entry: {
      name: 'TLS profile refused',
      meaning: 'The module refused the TLS profile value (AT$0..AT$2): unknown command or a value out of range.',
      category: 'certificate',
      hint: 'The value must be <ca>;<cert>;<key> with exactly two semicolons (fields may be empty; ";;" is no authentication), each field a file name in certs/, a ../ path or a /flash path. Give the CA alone or all three: client-only authentication is not possible. A missing file is not refused here — it fails at connect.',
    },
  },
  {
    command: /^\$\d/,
    entry: {
      name: 'no such TLS profile',
      meaning: 'The module refused the command: it has three TLS profiles only, $0, $1 and $2.',
      category: 'parameter',
      hint: 'Use a profile number 0, 1 or 2.',
    },
  },
  {
    command: /^TL/,
    entry: {
      name: 'TLS version refused',
      meaning: 'The module refused the TLS version (ATTL): a value out of range.',
      category: 'parameter',
      hint: 'TL takes one digit: 0 SSL 3.0, 1 TLS 1.0, 2 TLS 1.2 (the encoding this package uses); one setting for all three profiles.',
    },
  },
  {
    command: /^AP/,
    entry: {
      name: 'operating mode refused',
      meaning: 'The module refused the operating mode (ATAP): a value out of range.',
      category: 'parameter',
      hint: 'AP takes 0 (transparent), 1 (API), 2 (API with escapes), 4 (MicroPython) or 5 (bypass); this package uses 0, 1 and 2.',
    },
  },
  {
    command: /^D[LE]/,
    entry: {
      name: 'destination refused',
      meaning: 'The module refused transparent mode’s destination (ATDL address or ATDE port): a value out of range.',
      category: 'parameter',
      hint: 'DL takes a dotted IPv4 address or a host name; DE takes the port in hex digits (443 = 1BB, at most FFFF). A change of IP, DL or DE closes the open transparent connection.',
    },
  },
  {
    command: /^FS/,
    entry: {
      name: 'file-system command refused',
      meaning: 'The module refused the ATFS command as a whole (its own failures come as E-codes, not ERROR): an unknown subcommand or a missing argument.',
      category: 'parameter',
      hint: 'ATFS alone lists the subcommands (PWD, CD, MD, LS, PUT, XPUT, GET, HASH, MV, RM, INFO, FORMAT confirm); ATFS works in command mode only, and a new module may need ATFS FORMAT confirm first.',
    },
  },
];

/** `AT$0 a;b;c` → `$0 A;B;C`, `ATTL2` → `TL2`; undefined for a command that is not `AT…`. */
function commandBody(command: string | undefined): string | undefined {
  const m = /^AT\s*(\S.*)$/i.exec(command?.trim() ?? '');
  return m ? m[1].toUpperCase() : undefined;
}

function onCommand(command: string | undefined): Explanation | undefined {
  const body = commandBody(command);
  return body === undefined ? undefined : ON_COMMAND.find((c) => c.command.test(body))?.entry;
}

// ---------------------------------------------------------------------------------------------
// Decoding.

const hex2 = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;

function frameDecoded(type: number, status: number, command?: string): DecodedError {
  const code = `${hex2(type)}:${hex2(status)}`;
  const frame = FRAMES.get(type);
  if (!frame) {
    return {
      vendor: VENDOR,
      code,
      name: 'unknown XBee3 status',
      meaning: `Status ${hex2(status)} of frame type ${hex2(type)}, a frame whose statuses this package does not know.`,
      category: 'unknown',
      hint: `Look the frame type up in the "API frames" chapter of ${GUIDE}.`,
    };
  }
  const text = frame.text[status];
  const entry = frame.entries[status];
  if (text === undefined || entry === undefined) {
    return {
      vendor: VENDOR,
      code,
      name: `unknown XBee3 status (${frame.name} ${hex2(status)})`,
      meaning: `${frame.name} ${hex2(status)} is a status this package does not know.`,
      category: 'unknown',
      hint: `Look it up on the "${frame.page}" page of ${GUIDE}.`,
    };
  }
  const special = type === 0x88 && status !== 0 ? onCommand(command) : undefined;
  return {
    vendor: VENDOR,
    code,
    name: entry.name ?? text,
    meaning: `${frame.name} ${hex2(status)}: ${entry.meaning}`,
    category: special?.category ?? entry.category,
    hint: special?.hint ?? entry.hint,
  };
}

function ciDecoded(status: number): DecodedError {
  const code = `CI:${hex2(status)}`;
  const text = CI_STATUS_TEXT[status];
  const entry = CI_STATUS[status];
  if (text === undefined || entry === undefined) {
    return {
      vendor: VENDOR,
      code,
      name: `unknown XBee3 status (CI ${hex2(status)})`,
      meaning: `CI ${hex2(status)} is a connection status this package does not know.`,
      category: 'unknown',
      hint: `Look it up under "CI (Protocol/Connection Indication)" in ${GUIDE}.`,
    };
  }
  return { vendor: VENDOR, code, name: text, meaning: `CI ${hex2(status)} (transparent mode): ${entry.meaning}`, category: entry.category, hint: entry.hint };
}

function fsDecoded(line: string, word: string, text: string | undefined): DecodedError {
  const entry = FS_ERRORS[word];
  if (entry) return { vendor: VENDOR, code: line, ...entry, meaning: `${word}${text ? ` (${text})` : ''}: ${entry.meaning}` };
  return {
    vendor: VENDOR,
    code: line,
    name: `file-system error ${word}`,
    meaning: `The module’s file system refused the command with ${word}${text ? ` ("${text}")` : ''}, a code this package does not know.`,
    category: 'unknown',
    hint: `Read the text of the error; the codes are described under "Error responses" of the file system chapter in ${GUIDE}. ATFS LS and ATFS INFO show the state of the file system.`,
  };
}

/** A status byte as typed: `86` and `0x86` are hex; three decimal digits (`134`) are decimal. */
function statusByte(text: string): number | undefined {
  let m = /^(?:0x)?([0-9a-f]{1,2})h?$/i.exec(text);
  if (m) return parseInt(m[1], 16);
  m = /^(\d{3})$/.exec(text);
  if (m && Number(m[1]) <= 0xff) return Number(m[1]);
  return undefined;
}

const FRAME_BY_NAME: ReadonlyMap<string, number> = new Map([...FRAMES].map(([type, f]) => [f.name.toLowerCase(), type]));

/** The response frame that carries the status of the request `command` names (`Socket Create (0x40)`, `ATCI`). */
function frameOfCommand(command: string | undefined): number | 'CI' | undefined {
  if (!command) return undefined;
  if (/^AT\s*CI$/i.test(command.trim())) return 'CI';
  const m = /\(0x([0-9a-f]{2})\)/i.exec(command);
  if (!m) return undefined;
  const type = parseInt(m[1], 16);
  return FRAMES.has(type) ? type : RESPONSE_OF[type];
}

function decodeText(text: string, command: string | undefined): DecodedError | undefined {
  // 0xC0:0x32, C0:32
  let m = /^(?:0x)?([0-9a-f]{2})\s*:\s*(?:0x)?([0-9a-f]{1,2})$/i.exec(text);
  if (m) return frameDecoded(parseInt(m[1], 16), parseInt(m[2], 16), command);
  // CI:0x2F, CI 2F
  m = /^CI\s*[:=]?\s*(?:0x)?([0-9a-f]{1,2})$/i.exec(text);
  if (m) return ciDecoded(parseInt(m[1], 16));
  // Transmit Status 0x86, Socket Status 0x08, AT Command Response 0x03 (optionally "(0x89)" after the name)
  m = /^([a-z ]+?)\s*(?:\(?0x[0-9a-f]{2}\)?)?\s*[:=]?\s*(?:0x)?([0-9a-f]{1,2})$/i.exec(text);
  if (m) {
    const type = FRAME_BY_NAME.get(m[1].toLowerCase());
    if (type !== undefined) return frameDecoded(type, parseInt(m[2], 16), command);
  }
  // ERROR
  if (/^ERROR$/i.test(text)) {
    const special = onCommand(command);
    return { vendor: VENDOR, code: 'ERROR', ...BARE_ERROR, ...(special ?? {}) };
  }
  // ENOENT No such file or directory
  m = /^(E[A-Z0-9]+)(?:\s+(.*))?$/.exec(text);
  if (m) return fsDecoded(text, m[1], m[2]?.trim());
  // 0x86, 86, status 0x86: the frame the command names, else Transmit Status, else Socket Status.
  m = /^(?:status\s+)?(\S+)$/i.exec(text);
  const status = m ? statusByte(m[1]) : undefined;
  if (status !== undefined) {
    const of = frameOfCommand(command);
    if (of === 'CI') return ciDecoded(status);
    if (of !== undefined) return frameDecoded(of, status, command);
    if (TRANSMIT_STATUS_TEXT[status] !== undefined) return frameDecoded(0x89, status, command);
    if (SOCKET_STATUS_TEXT[status] !== undefined) return frameDecoded(0xcf, status, command);
  }
  return undefined;
}

/**
 * Explains an XBee3 Cellular failure: a frame status (`0x89:0x86`, `Socket Status 0x08`, `0x86`),
 * a file-system error line (`ENOENT …`), a command-mode `ERROR` (with `command`, a hint for it)
 * or a transparent-mode `CI:0x2F`. Anything else: an `unknown XBee3 status` entry.
 */
export function decodeXbee3Error(error: { code?: string | number; line?: string; command?: string }): DecodedError {
  const command = error.command?.trim() || undefined;
  const texts = [error.code, error.line].filter((t): t is string | number => t !== undefined && t !== null && String(t).trim() !== '').map((t) => String(t).trim());
  for (const text of texts) {
    const decoded = decodeText(text, command);
    if (decoded) return decoded;
  }
  const code = texts[0] ?? 'unknown';
  return {
    vendor: VENDOR,
    code,
    name: 'unknown XBee3 status',
    meaning: texts.length ? `"${code}" is not a status, error line or code this package knows for the XBee3 Cellular.` : 'The failure carries no status or error line of the module.',
    category: 'unknown',
    hint: `Look it up in ${GUIDE}: the frame pages ("Socket Status - 0xCF", "Transmit Status - 0x89", "Socket Create Response - 0xC0" …), "Error responses" in the file system chapter, or "CI (Protocol/Connection Indication)".`,
  };
}
