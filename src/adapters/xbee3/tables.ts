/**
 * What the Digi XBee3 Cellular fixes as numbers and names: command mode timing, the registers this
 * adapter reads and writes, file names, the TLS profiles of seeds/000 and the socket limits.
 *
 * Sources: the TLS profile syntax and semantics are seeds/000 (`l. n` is a line of that file).
 * Command mode, the file system, TL, IP, AP and the API frames are not in the seed; they come from
 * Digi's public "XBee 3 Cellular LTE-M/NB-IoT Global Smart Modem User Guide" (90002258) and the
 * "XBee 3 Cellular LTE Cat 1 Smart Modem User Guide" (90002253), sections named below. Where the
 * copies at hand were silent the value is marked "chosen", with the reason.
 *
 * Must never: hold a behaviour — only the tables the adapter, the capabilities and the error
 * decoder read.
 */

/**
 * "Enter Command mode": silence for GT, `+++` (three CC characters, 0x2B), silence for GT; the
 * module answers `OK\r`. GT defaults to 0x3E8 ms (GT, range 0x2–0x6D3). It leaves command mode
 * after CT without a command (default 10 s) or on `ATCN`.
 */
export const COMMAND_MODE = {
  sequence: '+++',
  reply: 'OK\r',
  guardDefaultMs: 0x3e8,
  guard: { min: 0x2, max: 0x6d3 },
  /** CT, in units of 100 ms: 0x64 = 10 s (range 2..0x1770). */
  idleDefaultMs: 10000,
  idle: { min: 0x2, max: 0x1770 },
  exit: 'ATCN',
} as const;

/** AP (API Enable), "Use the AP command to set the operation mode". */
export const API_MODE = { transparent: 0, api: 1, apiEscaped: 2 } as const;

/**
 * TL (SSL/TLS Protocol Version). Chosen: 0 SSL v3, 1 TLS 1.0, 2 TLS 1.2 (the default) — the TL
 * page was not in the copies at hand; this is the encoding Digi's cellular modules use and XCTU
 * shows "TLSv1.2" as the default.
 */
export const TLS_VERSIONS: Readonly<Record<string, { value: number; name: string }>> = {
  '1.0': { value: 1, name: 'TLS 1.0' },
  '1.2': { value: 2, name: 'TLS 1.2' },
  auto: { value: 2, name: 'TLS 1.2' },
};
export const TLS_VERSION_NAMES: Readonly<Record<number, string>> = { 0: 'SSL 3.0', 1: 'TLS 1.0', 2: 'TLS 1.2' };

/** IP (IP Protocol): 4 is TLS over TCP, the one transparent mode uses with profile 0 (l. 10–11). */
export const IP_PROTOCOL_TLS = 4;

/**
 * The file system ("File system", "ATFS commands"): `/flash` holds the files; names are at most
 * 64 characters of letters, digits, `.`, `-` and `_`, case-insensitive; paths at most 255.
 * Certificates live in `certs/` (l. 12–23); `../name` and `/flash/name` reach files outside it
 * (l. 26–28). An answer that starts with a capital E is an error ("Error responses").
 */
export const FILES = {
  root: '/flash',
  certDir: 'certs',
  namePattern: /^[A-Za-z0-9._-]{1,64}$/,
  nameMax: 64,
  pathMax: 255,
  /** Chosen: the guide gives no per-file limit; 64 KiB is far beyond any certificate chain the module takes. */
  maxBytes: 65536,
  errorLine: /^(E[A-Z0-9]+)(?: (.*))?$/,
  /** `ATFS LS`: an entry is a size or `<DIR>`, a space and the name; a secure file's name ends with `#`. */
  listEntry: /^\s*(<DIR>|\d+) (.+)$/,
  putPrompt: /^Receiving file with YMODEM/,
  /** `ATFS HASH`: a SHA-256 as 64 hex digits (xbee-python reads it after the word `sha256`). */
  hashLine: /([0-9A-Fa-f]{64})/,
} as const;

/** `AT$0`..`AT$2` (l. 5–8): three profiles; profile 0 is the one transparent mode uses (l. 10–11). */
export const PROFILES = { ids: { min: 0, max: 2 }, transparent: 0, default: ';;' } as const;

/**
 * Sockets in API mode ("Socket Create - 0x40" … "Socket Status - 0xCF"). A frame carries at most
 * 1500 bytes. The LTE-M guide allows 6 sockets, of which 4 may be TLS ("Socket limits").
 */
export const SOCKETS = {
  maxTls: 4,
  ids: { min: 0, max: 255 },
  maxChunk: 1500,
  /**
   * Socket Send frames written before the Transmit Status of the first of them has come back
   * (see `transfer.ts`). Chosen: two would keep the line busy — the next frame crosses while the
   * module confirms the last — and a third covers a host slow to read a status; the module never
   * holds more than three frames (4524 bytes) of ours. The guide copies at hand give no size for
   * its serial receive buffer.
   */
  sendWindow: 3,
  /** Chosen: how long one Socket Send may wait for its Transmit Status (the data goes out over the cellular network first). */
  sendTimeoutMs: 30000,
  /** A response frame (0x88, 0xC0–0xC3, 0x89) "arrives immediately"; this bounds a module that stays silent. */
  responseTimeoutMs: 10000,
  /** The connection outcome (0xCF) comes after DNS, TCP and the TLS handshake. */
  openTimeoutMs: 120000,
  /** Received data held while no flow reads it, per socket. */
  heldMax: 1 << 20,
  /**
   * The `msg.socket` of transparent mode's one connection: 0xFF, the ID a Socket Create Response
   * gives when it made no socket, so the module never numbers a socket so.
   */
  transparentId: 0xff,
} as const;
