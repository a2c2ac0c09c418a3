/**
 * What the simulated Fibocom L610 knows as data: its identity, the limits of its SSL commands,
 * the factory settings, the cipher-suite IDs of +GTSSLCIPHER, the +GTSSLERR codes and which TLS
 * verdict gives which code.
 *
 * Owns: these tables, each with where it comes from. Must never: hold behaviour (the command
 * files look things up here).
 *
 * Sources: the "FIBOCOM_L610_AT_Commands_User_Manual_SSL" V1.0.0 (`seeds/004`, cited `l. N`).
 * That document shows the +MIP socket commands only in its examples; their full syntax follows
 * the +MIP command family as the Motorola G24 AT command reference and Fibocom's G6xx manuals
 * define it, and public L610 drivers, since Fibocom's L610 AT manual was not available. Values
 * marked "simulator's choice" are ours where neither says.
 */
import type { TlsFailureCause } from '../../tls-types';

/** A made-up but plausible identity; the IMEI passes the Luhn check. */
export const IDENTITY = {
  manufacturer: 'Fibocom',
  model: 'L610',
  revision: '16000.1000.00.97.20.06',
  imei: '869487035123453',
  /** Printed each time the module has booted; hosts wait for it before provisioning. */
  banner: ['+SIM READY'],
} as const;

/** `<file_type>` of +GTSSLFILE (l. 109), with how many of each the module holds (l. 86, l. 90-91, l. 121). */
export const FILE_TYPES = ['CERTFILE', 'KEYFILE', 'TRUSTFILE'] as const;
export type FileType = (typeof FILE_TYPES)[number];
export const FILES_MAX: Readonly<Record<FileType, number>> = { CERTFILE: 1, KEYFILE: 1, TRUSTFILE: 40 };

export const LIMITS = {
  /** `<file_len>` "range is 4-8192bytes" (l. 111-113). */
  fileLength: { min: 4, max: 8192 },
  /** "if module do not receive any data for more than 12 seconds, it will … return ERROR" (l. 121). */
  inputIdleMs: 12_000,
  /** +MIPOPEN socket ids (the G24 family has 1-4; the L610 drivers use 1-6). */
  sockets: { min: 1, max: 6 },
  /** +MIPSEND counted form: bytes per command (simulator's choice, one send buffer). */
  sendLength: { min: 1, max: 2048 },
  /** The send buffer whose free room +MIPSEND reports (simulator's choice). */
  sendBuffer: 2048,
  /** Bytes per +MIPRTCP URC by default (simulator's choice, the option `rtcpChunkBytes`). */
  rtcpChunk: 1024,
  /** `<len>` of `AT+MIPREAD=<id>,<len>` (simulator's choice: the size of the send buffer). */
  readLength: { min: 1, max: 2048 },
  /** Bytes held for the host before the module stops reading the network (TCP flow control; simulator's choice). */
  receiveBuffer: 65_536,
  /** 3GPP TS 27.007 §10.1.1 allows any length; these are the simulator's bounds. */
  apn: 99,
  user: 64,
  password: 64,
  host: 255,
} as const;

/**
 * +GTSET "IPRFMT" `<n>`, the format of received data, as the RT-Thread L610 driver quotes the L610
 * manual (at_device class/l610/at_device_l610.c): 0 `+MIPRTCP:` with hex data (the factory
 * setting); 5 read mode, `+MIPREAD: <id>,<len>` announcing data that `AT+MIPREAD=<id>,<len>`
 * fetches as `+MIPDATA: <id>,<n>` and n raw bytes. 1 (bare data) and 2 (raw data after `+MIPRTCP:`)
 * are not simulated.
 */
export const RECEIVE_FORMAT = { hex: 0, read: 5 } as const;

/** +MIPOPEN `<protocol>`: 0 TCP, 1 UDP, 2 SSL/TLS (every example uses 2: l. 331, l. 356, l. 399, l. 420). */
export const PROTOCOL = { tcp: 0, udp: 1, tls: 2 } as const;

/** `<sslver>` (l. 228-233). SSL 3.0 is listed; OpenSSL 3 cannot speak it. */
export const SSL_VERSIONS: Readonly<Record<number, 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2'>> = {
  1: 'SSLv3',
  2: 'TLSv1',
  3: 'TLSv1.1',
  4: 'TLSv1.2',
};

/**
 * What the module starts with after every power-up (all SSL commands are "Persistent: No",
 * l. 104-105 … l. 260-261): no verification (l. 151), TLS 1.0 (l. 232), suites 1-6 enabled
 * (Example 6, l. 450).
 */
export const FACTORY = {
  mode: 0,
  version: 2,
  ciphers: [1, 2, 3, 4, 5, 6],
} as const;

/** The `<cipalgID>` table of l. 280-316, in the manual's hyphenated spelling. */
export const CIPHER_IDS: ReadonlyArray<readonly [id: number, name: string]> = [
  [1, 'TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256'],
  [2, 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256'],
  [3, 'TLS-DHE-RSA-WITH-CHACHA20-POLY1305-SHA256'],
  [4, 'TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384'],
  [5, 'TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384'],
  [6, 'TLS-DHE-RSA-WITH-AES-256-GCM-SHA384'],
  [7, 'TLS-ECDHE-ECDSA-WITH-AES-256-CCM'],
  [8, 'TLS-DHE-RSA-WITH-AES-256-CCM'],
  [9, 'TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA384'],
  [10, 'TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA384'],
  [11, 'TLS-DHE-RSA-WITH-AES-256-CBC-SHA256'],
  [12, 'TLS-ECDHE-ECDSA-WITH-AES-256-CBC-SHA'],
  [13, 'TLS-ECDHE-RSA-WITH-AES-256-CBC-SHA'],
  [14, 'TLS-DHE-RSA-WITH-AES-256-CBC-SHA'],
  [15, 'TLS-ECDHE-ECDSA-WITH-AES-256-CCM-8'],
  [16, 'TLS-DHE-RSA-WITH-AES-256-CCM-8'],
  [17, 'TLS-ECDHE-ECDSA-WITH-CAMELLIA-256-GCM-SHA384'],
  [18, 'TLS-ECDHE-RSA-WITH-CAMELLIA-256-GCM-SHA384'],
  [19, 'TLS-DHE-RSA-WITH-CAMELLIA-256-GCM-SHA384'],
  [20, 'TLS-ECDHE-ECDSA-WITH-CAMELLIA-256-CBC-SHA384'],
  [21, 'TLS-ECDHE-RSA-WITH-CAMELLIA-256-CBC-SHA384'],
  [22, 'TLS-DHE-RSA-WITH-CAMELLIA-256-CBC-SHA256'],
  [23, 'TLS-DHE-RSA-WITH-CAMELLIA-256-CBC-SHA'],
  [24, 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256'],
  [25, 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'],
  [26, 'TLS-DHE-RSA-WITH-AES-128-GCM-SHA256'],
  [27, 'TLS-ECDHE-ECDSA-WITH-AES-128-CCM'],
  [28, 'TLS-DHE-RSA-WITH-AES-128-CCM'],
  [29, 'TLS-ECDHE-ECDSA-WITH-AES-128-CBC-SHA256'],
  [30, 'TLS-ECDHE-RSA-WITH-AES-128-CBC-SHA256'],
  [31, 'TLS-DHE-RSA-WITH-AES-128-CBC-SHA256'],
];

export const CIPHER_ID_RANGE = { min: 1, max: 31 } as const;

/** The manual's name of a suite as IANA spells it: hyphens become underscores (5 → TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384). */
export function cipherIdIana(id: number): string | undefined {
  const row = CIPHER_IDS.find(([n]) => n === id);
  return row ? row[1].replace(/-/g, '_') : undefined;
}

/** `<err_code>` of +GTSSLERR (l. 177-202), the ones the simulator produces. */
export const SSL_ERROR = {
  /** "-0: normal" — the module then answers +GTSSLERR with OK alone (l. 165). */
  none: 0,
  /** "the SSL connection failed to execute". */
  failed: -2,
  /** "the connection cannot be completed because socket cannot read or write effectively". */
  socket: -4,
  /** "SSL protocol error". */
  protocol: -7,
  /** "the server did not respond to handshake the client initiated". */
  noHandshake: -8,
  /** "the SSL connection is actively disconnected by the server". */
  closedByServer: -9,
  /** "an unknown error": what the simulator reports if dialling fails in a way it did not foresee. */
  unknown: -10,
  /** "certificate validation failed (lack of TRUSTFILE, trust certificate or certificate expiration)". */
  validation: -11,
  /** "certificate file at the client error". */
  clientCertificate: -17,
  /** "key file at the client error". */
  clientKey: -18,
  /** "a trusted server certificate file error". */
  trustFile: -19,
} as const;

/**
 * How a connection that did not come up shows in +GTSSLERR — the simulator's mapping, since the
 * manual names the codes but not which TLS verdict gives which:
 * - TCP refused, no route, nothing within the connect timeout → -4;
 * - the server answers nothing within the handshake timeout → -8;
 * - the module rejects the server's chain (no trusted issuer, a date outside the module clock,
 *   a bad signature) → -11;
 * - no common version or suite, any other handshake error → -7;
 * - the server refuses the module's client certificate, or wants one and gets none → -2;
 * - the server hangs up during the handshake → -9.
 * No host-name check exists (the manual documents none), so 'hostname-mismatch' never happens.
 */
export const TLS_FAILURE_CODE: Readonly<Record<TlsFailureCause, number>> = {
  refused: SSL_ERROR.socket,
  unreachable: SSL_ERROR.socket,
  timeout: SSL_ERROR.noHandshake,
  'unknown-ca': SSL_ERROR.validation,
  expired: SSL_ERROR.validation,
  'not-yet-valid': SSL_ERROR.validation,
  'hostname-mismatch': SSL_ERROR.validation,
  'bad-certificate': SSL_ERROR.validation,
  'client-certificate-required': SSL_ERROR.failed,
  'protocol-version': SSL_ERROR.protocol,
  'no-shared-cipher': SSL_ERROR.protocol,
  handshake: SSL_ERROR.protocol,
  closed: SSL_ERROR.closedByServer,
};

/** +MIPSEND / +MIPPUSH `<status>` (G24 family): 0 done, 2 nothing buffered to send. */
export const SEND_STATUS = { ok: 0, nothingToSend: 2 } as const;

/** +MIPSTAT `<n>` (G24 family): 1 "broken protocol stack" — the peer closed, or the network went. */
export const STAT_BROKEN = 1;

/** The address +MIPCALL reports by default: the manual's (l. 329). */
export const DEFAULT_IP = '10.79.220.142';

/** The module clock after a power-up: far in the past, so certificate dates fail until +CCLK is set (Examples 3/4, l. 380-401). */
export const CLOCK_AT_POWER_UP = Date.UTC(2000, 0, 1, 0, 0, 0);
