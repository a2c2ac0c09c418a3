/**
 * What the simulated Digi XBee3 Cellular fixes as numbers and words: its identity, the registers
 * it answers in command mode (defaults, ranges, read-only values), the status codes of its API
 * frames and of CI, the file-system error words and the module's limits.
 *
 * Sources: Digi "XBee 3 Cellular LTE-M/NB-IoT Global Smart Modem User Guide" (90002258) and the
 * LTE Cat 1 guide (90002253), as summarised in the project's wire contract; the TLS profile text is
 * seeds/000. Values marked "chosen" are not in the stored guide copies.
 *
 * Must never: hold behaviour — only tables the other files of the dialect read.
 */

export const IDENTITY = {
  manufacturer: 'Digi',
  model: 'XBee3 Cellular LTE-M',
  /** VR, HV, HS as the module reports them (hex). Chosen sample values: the guide gives no fixed ones. */
  firmware: 0x11415,
  hardware: 0x4a4b,
  hardwareSeries: 0x5,
  /** IMEI-shaped, Luhn-valid, made up. */
  imei: '352753090000007',
} as const;

/** The one platform simulated; `platform` may only name it (or be left out). */
export const PLATFORMS = ['LTE-M'] as const;

/** XBee3 Cellular User Guide, "MY (Module IP Address)": the address the network gave (made up here). */
export const DEFAULT_IP = '10.0.0.2';

/** Guide, "Enter Command mode": GT (ms), CC ('+'), CT (x 100 ms). */
export const COMMAND_MODE = {
  reply: 'OK',
  /** Longest command line kept (chosen: the guide gives no limit; the longest value, DL/AN/$n, fits easily). */
  maxLine: 512,
} as const;

export type RegisterKind = 'hex' | 'text';

export interface RegisterSpec {
  kind: RegisterKind;
  /** Factory value (ATRE, and a module fresh from the factory). */
  factory: number | string;
  /** hex: the values allowed. */
  min?: number;
  max?: number;
  allowed?: readonly number[];
  /** text: the longest value; `check` may refuse a value. */
  maxLength?: number;
  check?: (value: string) => boolean;
}

/** `<ca>;<cert>;<key>`: exactly two semicolons (seeds/000 l. 5-8). */
const PROFILE_VALUE = (value: string): boolean => value.split(';').length === 3;

/**
 * The writable registers. Ranges and defaults from the guide where it gives them; otherwise
 * chosen (noted per row), as the contract fixes them.
 */
export const REGISTERS: Readonly<Record<string, RegisterSpec>> = {
  // "AP (API Enable)": 0 transparent, 1 API, 2 API escaped; 4 (MicroPython) and 5 (bypass) are not simulated.
  AP: { kind: 'hex', factory: 0, allowed: [0, 1, 2] },
  // "GT (Guard Times)": 0x2-0x6D3 ms, default 0x3E8.
  GT: { kind: 'hex', factory: 0x3e8, min: 0x2, max: 0x6d3 },
  // "CC (Command Character)": 0-0xFF, default 0x2B.
  CC: { kind: 'hex', factory: 0x2b, min: 0, max: 0xff },
  // "CT (Command Mode Timeout)": x 100 ms, default 0x64 (10 s); range chosen 2-0x1770 (0.2 s to 10 min).
  CT: { kind: 'hex', factory: 0x64, min: 0x2, max: 0x1770 },
  // TL: 0 SSL v3, 1 TLS 1.0, 2 TLS 1.2 — not in the stored guide copies; chosen with default 2.
  TL: { kind: 'hex', factory: 2, min: 0, max: 2 },
  // "IP (IP Protocol)": 0 UDP, 1 TCP, 2 SMS, 4 SSL/TLS; default 1 (chosen: the page was not retrieved).
  IP: { kind: 'hex', factory: 1, allowed: [0, 1, 2, 4] },
  // "DL (Destination Address)": an IPv4 address or a host name; length limit chosen (128).
  DL: { kind: 'text', factory: '0.0.0.0', maxLength: 128 },
  // "DE (Destination Port)": hex port.
  DE: { kind: 'hex', factory: 0, min: 0, max: 0xffff },
  // "TM (IP Client Connection Timeout)": x 100 ms, default 0x64; range chosen 0-0xFFFF.
  TM: { kind: 'hex', factory: 0x64, min: 0, max: 0xffff },
  // "AN (Access Point Name)": length limit chosen (100).
  AN: { kind: 'text', factory: '', maxLength: 100 },
  // seeds/000: "The default value is ";;"". Length limit chosen (3 names of 64 plus a little path).
  $0: { kind: 'text', factory: ';;', maxLength: 400, check: PROFILE_VALUE },
  $1: { kind: 'text', factory: ';;', maxLength: 400, check: PROFILE_VALUE },
  $2: { kind: 'text', factory: ';;', maxLength: 400, check: PROFILE_VALUE },
};

/** Read-only registers; the value comes from the module's state (see commands.ts). */
export const READ_ONLY = ['AI', 'CI', 'OD', 'NP', 'VR', 'HV', 'HS', 'MY'] as const;

/** Commands without a value: apply, exit, save, reboot, factory defaults. */
export const EXECUTE = ['AC', 'CN', 'WR', 'FR', 'RE'] as const;

/** "NP (Maximum Output Payload Bytes)": 0x5DC = 1500. */
export const MAX_PAYLOAD = 1500;

/** "AI (Association Indication)": 0x00 connected to the Internet (the simulated network is always up). */
export const AI_CONNECTED = 0x00;

/** "CI (Protocol/Connection Indication)", IP = 1 or 4. */
export const CI = {
  open: 0x00,
  invalidParameters: 0x02,
  notSupported: 0x03,
  /** Chosen for a connection the module ended itself (TM expired, IP/DL/DE changed): "user closed". */
  userClosed: 0x21,
  timeout: 0x24,
  dnsFailed: 0x25,
  refused: 0x26,
  /** The peer closed the connection (contract: "connection lost"). */
  lost: 0x27,
  tlsAuthentication: 0x2f,
  none: 0xff,
} as const;

/** 0x40/0xC0 Socket Create. */
export const CREATE_STATUS = { ok: 0x00, resource: 0x32, invalidProtocol: 0x7b } as const;
/** 0x41/0xC1 Socket Option. */
export const OPTION_STATUS = { ok: 0x00, invalidParameters: 0x01, badSocket: 0x20 } as const;
/** 0x42/0xC2 Socket Connect. */
export const CONNECT_STATUS = { started: 0x00, badAddressType: 0x01, badParameter: 0x02, inProgress: 0x03, connected: 0x04, badSocket: 0x20 } as const;
/** 0x43/0xC3 Socket Close. */
export const CLOSE_STATUS = { ok: 0x00, badSocket: 0x20 } as const;
/** 0xCF Socket Status. */
export const SOCKET_STATUS = {
  connected: 0x00,
  dnsFailed: 0x01,
  refused: 0x02,
  /** Peer closed (its FIN): chosen by the contract. */
  transportClosed: 0x03,
  timedOut: 0x04,
  connectionLost: 0x07,
  /** TLS handshake, verification or invalid TLS configuration: chosen by the contract. */
  unknown: 0x08,
} as const;
/** 0x89 Transmit Status. */
export const TX_STATUS = { ok: 0x00, notFound: 0x20, tooLong: 0x74, closed: 0x83, notConnected: 0x87 } as const;
/** 0x88 AT Command Response. */
export const AT_STATUS = { ok: 0x00, error: 0x01, invalidCommand: 0x02, invalidParameter: 0x03 } as const;
/** 0x8A Modem Status. */
export const MODEM_STATUS = { powerUp: 0x00, registered: 0x02 } as const;

/** "Socket limits" (older LTE-M guide): 6 sockets, at most 4 of them TLS. */
export const SOCKET_LIMITS = { total: 6, tls: 4 } as const;

/** The file system ("File system"): 1 MB of SPI flash; names and paths as the guide limits them. */
export const FLASH = {
  root: 'flash',
  /** Made at the factory and by FORMAT; seeds/000 names "certs/" as the home of profile files. */
  directories: ['lib', 'certs'],
  certDir: 'certs',
  capacity: 1024 * 1024,
  nameMax: 64,
  pathMax: 255,
  name: /^[A-Za-z0-9._-]+$/,
} as const;

/** The words after each error code (contract: "E<CODE> <description>"). Texts are the simulator's own. */
export const FS_ERROR = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
  ENAMETOOLONG: 'Name too long',
  ENOSPC: 'No space left on device',
  EACCES: 'Secure file',
  ETIMEDOUT: 'Transfer timed out',
  ECANCELED: 'Transfer cancelled',
} as const;
export type FsErrorCode = keyof typeof FS_ERROR;

/** YMODEM receiver timing (contract): 'C' every second for up to 60 s, then 10 s of silence ends a transfer. */
export const YMODEM_TIMING = { requestEveryMs: 1000, firstBlockWithinMs: 60_000, idleMs: 10_000 } as const;
