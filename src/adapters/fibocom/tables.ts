/**
 * What the Fibocom L610 SSL manual (seeds/004; `l. n` is a line of that file) fixes as numbers and
 * names: the three file types and their limits, the SSL versions of +GTSSLVER, the cipher
 * algorithm IDs of +GTSSLCIPHER, and the socket limits of the +MIP commands.
 *
 * The +MIP* commands appear in the seed only in its examples (l. 329–478). Their full syntax is
 * that of the +MIP command family Fibocom modules share — the Motorola G24 AT commands reference
 * it comes from, and Fibocom's G6xx manuals (`AT+MIPSEND=<Socket_ID>` with a `>` prompt, "0 <
 * buffer < 1400 bytes") — and the public L610 drivers (RT-Thread `at_device` class/l610, OneOS
 * molink l610, TobudOS devices/l610: socket ids 1..6, `AT+MIPSEND=<id>,<len>` then `>` and the
 * raw bytes). Fibocom's own L610 AT commands manual was not at hand; where the sources differ,
 * the adapter accepts every form they show.
 *
 * Must never: hold a behaviour — only the tables the adapter, the capabilities and the error
 * decoder read.
 */

/** `<file_type>` of +GTSSLFILE (l. 109), by the certificate type a load-cert node names. */
export const FILE_TYPES = { ca: 'TRUSTFILE', cert: 'CERTFILE', key: 'KEYFILE' } as const;
export type FileType = (typeof FILE_TYPES)[keyof typeof FILE_TYPES];
export const FILE_TYPE_ORDER: readonly FileType[] = ['CERTFILE', 'KEYFILE', 'TRUSTFILE'];

export const GTSSLFILE = {
  /** `<file_len>`: the length of the Base64 (PEM) text, 4..8192 (l. 111–113). */
  length: { min: 4, max: 8192 },
  /** One client certificate, one key, up to 40 trust certificates (l. 86, 90–91, 121). */
  maxFiles: { CERTFILE: 1, KEYFILE: 1, TRUSTFILE: 40 } as Readonly<Record<FileType, number>>,
  /** "if module do not receive any data for more than 12 seconds, it will … return ERROR" (l. 121). */
  idleMs: 12000,
} as const;

/** `<sslver>` of +GTSSLVER (l. 229–233); 2 (TLS 1.0) is the module's default, so 4 is always written. */
export const SSL_VERSIONS: Readonly<Record<string, { value: number; name: string }>> = {
  '1.0': { value: 2, name: 'TLS 1.0' },
  '1.1': { value: 3, name: 'TLS 1.1' },
  '1.2': { value: 4, name: 'TLS 1.2' },
  // The newest the module offers (it has no negotiation of its own to fall back on).
  auto: { value: 4, name: 'TLS 1.2' },
};
export const SSL_VERSION_NAMES: Readonly<Record<number, string>> = { 1: 'SSL 3.0', 2: 'TLS 1.0', 3: 'TLS 1.1', 4: 'TLS 1.2' };

/**
 * `<cipalgID>` 1..31 (l. 280–316), as IANA names: the manual writes them with hyphens
 * (`TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384`). Its Example 6 titles ID 5 "TLS_RSA_WITH_AES_256_CBC_SHA"
 * (l. 434); the table says otherwise, and the table is what is used.
 */
export const CIPHER_IDS: readonly string[] = [
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
  'TLS_DHE_RSA_WITH_AES_256_CCM',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_DHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8',
  'TLS_DHE_RSA_WITH_AES_256_CCM_8',
  'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384',
  'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384',
  'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
  'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256',
  'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
  'TLS_DHE_RSA_WITH_AES_128_CCM',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256',
  'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
];

/** The ID of an IANA suite name (1..31), or undefined. */
export function cipherId(iana: string): number | undefined {
  const i = CIPHER_IDS.indexOf(iana);
  return i < 0 ? undefined : i + 1;
}

export function cipherName(id: number): string | undefined {
  return CIPHER_IDS[id - 1];
}

/** Beyond the module's own input timer (+GTSSLFILE, +MIPSEND), for bytes still on the line when the host fell silent. */
export const QUIET_MARGIN_MS = 1000;

export const SOCKETS = {
  /** `<Socket_ID>` 1..6 on the L610 (public L610 drivers: "L610 connect id is 1 to 6"). */
  ids: { min: 1, max: 6 },
  /** `<protocol>` 2: SSL, in every example of the seed (l. 331, 356, 399, 420). */
  ssl: 2,
  /**
   * Bytes per `AT+MIPSEND=<id>,<len>` and per `AT+MIPREAD=<id>,<len>`: the module's 2048-byte
   * socket buffer (Fibocom G510 AT Commands User Manual, +MIPSEND: "Free size is calculated from
   * the 2048"), and the largest chunk the RT-Thread L610 driver sends (`L610_MODULE_SEND_MAX_SIZE`,
   * at_device class/l610/at_socket_l610.c).
   */
  maxChunk: 2048,
  /**
   * The silence after which the module gives up the counted input of `AT+MIPSEND=<id>,<len>` and
   * sends nothing: taken as the 12 s of +GTSSLFILE (l. 121), the one input timer the sources give.
   */
  inputIdleMs: 12000,
  /** How long one chunk's exchange may take: 2048 bytes need 17 s at 1200 baud. */
  chunkTimeoutMs: 30000,
  /** A fetch of announced data that failed is tried again after this long, up to `fetchAttempts` in a row. */
  fetchRetryMs: 1000,
  fetchAttempts: 3,
  /** How long `+MIPOPEN: <id>,<state>` may take (TCP connect and handshake): the L610 drivers wait 45–60 s. */
  openTimeoutMs: 60000,
  /** How long `+MIPCLOSE: <id>,…` may take after the `OK` (the drivers wait up to 30 s). */
  closeTimeoutMs: 30000,
  /** Data received while no flow listens or reads, per connection, before the oldest is dropped. */
  heldMax: 1 << 20,
} as const;

/**
 * `AT+GTSET="IPRFMT",<n>`: how the module hands over what a socket received. The values the L610
 * AT commands manual gives, as the RT-Thread L610 driver quotes them (at_device
 * class/l610/at_device_l610.c, before its `AT+GTSET="IPRFMT",5`): 0 `+MIPRTCP:` with the data
 * hex-encoded (the factory setting, and seeds/004 l. 424–432); 1 the bare data, no header; 2
 * `+MIPRTCP:` with the data raw; 5 read mode — `+MIPREAD: <id>,<len>` announces data and
 * `AT+MIPREAD=<id>,<len>` fetches it (`transfer.ts`). The setting outlives a power-down.
 */
export const IPRFMT = { hex: 0, read: 5 } as const;

/** +MIPCALL: the activation waits for the network, then `+MIPCALL: <ip>` (l. 329, 446). */
export const MIPCALL = { timeoutMs: 150000, apnMaxLength: 99, credentialMaxLength: 64 } as const;
