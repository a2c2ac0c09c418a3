/**
 * What the simulated Inventek eS-WiFi fixes as bytes, numbers and words: its identity (`I?`),
 * the framing of its answers, every limit and default, and the texts of its answers and errors.
 *
 * Sources: seeds/002 (Inventek's product note "Programming Certificates TCP-SSL/TLS"), and the
 * Inventek eS-WiFi AT command set (IWIN) as used by the public drivers named on each row: ST
 * es_wifi.c (x-cube-iota1), Zephyr drivers/wifi/eswifi, ARM mbed wifi-ism43362, drogue-device's
 * eswifi parser, Amazon FreeRTOS's STM32L475 secure sockets, Inventek's IWIN web pages and its
 * TCP/UDP client demo script. A row marked `// chosen:` is in none of them: the simulator fixes it.
 *
 * Must never: hold behaviour — only tables the other files of the dialect read.
 */

/**
 * `I?`: ProductID, FW rev, API rev, stack rev, RTOS rev, CPU clock, product name — the sample of
 * ARM mbed ISM43362Interface.cpp and ST es_wifi.c `AT_ParseInfo`, with the UART product id.
 */
export const IDENTITY = {
  manufacturer: 'Inventek',
  model: 'ISM43362-M3G-L44',
  firmware: 'C3.5.2.5.STM',
  info: 'ISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi',
} as const;

/** The one module simulated; `platform` may only name it (or be left out). */
export const PLATFORMS = ['ISM43362'] as const;

/**
 * The framing (IWIN "how to send data", response formats; ST es_wifi.h `AT_OK_STRING "\r\nOK\r\n> "`,
 * `AT_DELIMETER_STRING "\r\n> "`): commands end at CR, answers start with CR LF, success ends with
 * `OK` CR LF and the prompt, failure with `ERROR: …`, `Usage: …` and the prompt.
 */
export const WIRE = {
  /** Written after boot (Zephyr eswifi_reset "fetch the cursor"; drogue start()) and as the answer to an empty line (Inventek demo findModule). */
  ready: '\r\n> ',
  prompt: '> ',
  ok: 'OK',
  errorPrefix: 'ERROR: ',
  usagePrefix: 'Usage: ',
} as const;

/** Limits, each with its source. */
export const LIMITS = {
  /** Sockets 0..3: mbed ISM43362 "IDs only 0-3", Zephyr `ESWIFI_OFFLOAD_MAX_SOCKETS 4`. */
  sockets: 4,
  /** "There are 3 certificate sets" (seeds/002 l. 7). */
  sets: 3,
  /** S3: IWIN "Binary Data (1-1460 bytes)", mbed `ES_WIFI_MAX_TX_PACKET_SIZE 1460`. */
  sendMax: 1460,
  /** R1: Zephyr eswifi_socket.c "1460 is max size". */
  readMax: 1460,
  /** R2: ST `ES_WIFI_MAX_SO_TIMEOUT 30000`; Amazon FreeRTOS "maximum timeout accepted by the Inventek module". */
  readTimeoutMax: 30_000,
  // chosen: no source gives the longest PG data; ST's `%04d` length field suggests below 10000.
  certificateMax: 8192,
  /** C1: ST es_wifi.c and Zephyr cap the SSID at 32 characters. */
  ssidMax: 32,
  // chosen: mbed refuses more than 63 characters; 64 admits a 64-digit hex key as well.
  passphraseMax: 64,
  /** WPA/WPA2 passphrases (IEEE 802.11i): 8..63 characters, or 64 hex digits. */
  wpaPassphrase: { min: 8, max: 63, hexLength: 64 },
  // chosen: the longest command line kept (a D0 host name of 253 characters fits).
  lineMax: 512,
  portMax: 65_535,
  // chosen: no source gives the size of a socket's receive buffer; when it is full the module stops
  // reading the connection, and TCP flow control holds the server back until R0 reads.
  receiveBuffer: 65_536,
} as const;

/** C3: "0-Open, 1-WEP, 2-WPA, 3-WPA2-AES, 4-WPA2-Mixed" (Inventek demo script; Zephyr `enum eswifi_security_type`). */
export const SECURITY = { open: 0, wep: 1, wpa: 2, wpa2Aes: 3, wpa2Mixed: 4 } as const;
export const SECURITY_MAX = 4;

/** P1: "TCP=0, UDP=1, UDP-Lite=2 TCP-SSL=3" (Inventek demo script); 3 is "TCP SSL/TLS" (seeds/002 l. 46). */
export const PROTOCOL = { tcp: 0, udp: 1, udpLite: 2, tls: 3 } as const;

/** P9 (seeds/002 l. 23-29): 0 no verification, 1 optional (root CA if programmed), 2 required. */
export const VERIFICATION = { none: 0, optional: 1, required: 2 } as const;

/** PG `<type>`: 0 root CA, 1 certificate, 2 key (seeds/002 l. 36-40; ST es_wifi.c `ES_WIFI_StoreCreds`). */
export const CERTIFICATE_TYPES = ['ca', 'cert', 'key'] as const;

/** The factory values of one socket's settings (P1..P4, P9, R1, R2). */
export const SOCKET_DEFAULTS = {
  // chosen: no source gives the power-up protocol; TCP, value 0.
  protocol: PROTOCOL.tcp,
  localPort: 0,
  remoteIp: '0.0.0.0',
  remotePort: 0,
  // chosen: 0. Zephyr's driver opens TLS sockets without ever sending P9 (eswifi_socket.c), so the module must connect without it.
  verification: VERIFICATION.none,
  // chosen: R1 starts at its largest value.
  readSize: LIMITS.readMax,
  // chosen: 0 means "answer at once" (Amazon FreeRTOS reads 0 as "no timeout"; this simulator does not wait).
  readTimeoutMs: 0,
} as const;

/** The factory values of the Wi-Fi settings (C1..C4). */
export const WIFI_DEFAULTS = {
  ssid: '',
  passphrase: '',
  // chosen: WPA2-AES until C3 says otherwise.
  security: SECURITY.wpa2Aes,
  // chosen: DHCP on (C4=1, what Zephyr and mbed set).
  dhcp: 1,
} as const;

/** What `C?` reports besides C1..C4 (ST es_wifi.c `AT_ParseConnSettings`, fields 4..11). */
export const NETWORK = {
  // chosen: the simulated access point.
  defaultNetwork: { ssid: 'sim-wifi', passphrase: 'simulated-pass', security: SECURITY.wpa2Aes },
  // chosen: the module's address on it, and the network around it.
  ipAddress: '192.168.1.50',
  netmask: '255.255.255.0',
  /** IPv4 (C5=0, the Arduino ISM43340 library). */
  ipVersion: 0,
  // chosen: the join retry count (CB) and auto-connect flag reported.
  retries: 5,
  autoConnect: 0,
  // chosen: C? shows a passphrase as this, whatever its length; the real module prints it.
  maskedPassphrase: '********',
  // chosen: the time a join takes (C0 to its answer).
  joinDelayMs: 200,
} as const;

/** Timers of a connection. */
export const CONNECT = {
  // chosen: TCP connect of P6=1 (mbed waits 50 s, an ISM43362 on hardware took seconds).
  connectTimeoutMs: 10_000,
  // chosen: the TLS handshake after the TCP connect.
  handshakeTimeoutMs: 10_000,
  // chosen: how long P6=0 lets the peer answer its close before the connection is cut.
  closeGraceMs: 2000,
  // chosen: the one TLS version spoken; the seed and the drivers give none, and TLS 1.2 keeps a server's verdict on the client certificate inside the handshake.
  tlsVersion: 'TLSv1.2',
} as const;

/** Words inside answers. */
export const TEXT = {
  /** C0 progress: `[JOIN   ] <ssid>,<ip>,0,0` (Zephyr eswifi_core.c comment; drogue `join` parser) and `[JOIN   ] Failed` (captured on hardware, research §1). */
  join: '[JOIN   ] ',
  joinFailed: 'Failed',
  joinSuffix: '0,0',
  /** P6=1 progress: `[TCP  RC] Connecting to <ip>` (drogue `connected` parser; confirmed on hardware by the iot-environmental-monitor notes). */
  connecting: '[TCP  RC] Connecting to ',
  /** S3 on a socket that is not connected: `-1` inside an OK answer (drogue `write_error`; ST es_wifi.c checks "-1\r\n"). */
  sendFailed: '-1',
  // chosen: the word for "the result will be a match" (seeds/002 l. 17).
  match: 'Match',
} as const;

/** The failures the simulator reports: `ERROR: <text>` then `Usage: <usage>`. */
export interface ErrorSpec {
  text: string;
  /** Absent: the usage of the command that failed (see `USAGE`). */
  usage?: string;
}

export const ERRORS = {
  // chosen: a command the module does not know.
  unknownCommand: { text: 'Unknown Command', usage: '?' },
  // chosen: a parameter out of range or malformed; the usage is the command's own.
  invalidParameter: { text: 'Invalid Parameter' },
  /** The C0 failure captured on hardware (research §1): `ERROR: Unknown Error` / `Usage: C0 ` (trailing space as captured). */
  joinFailed: { text: 'Unknown Error', usage: 'C0 ' },
  // chosen: every text below.
  dnsFailed: { text: 'DNS Lookup Failed', usage: 'D0=<host>' },
  connectFailed: { text: 'Connection Failed', usage: 'P6=<0|1>' },
  handshakeFailed: { text: 'SSL Handshake Failed', usage: 'P6=<0|1>' },
  noRootCa: { text: 'No Root CA In Set', usage: 'P9=<0..2>' },
  alreadyConnected: { text: 'Socket Already Connected', usage: 'P6=<0|1>' },
  notJoined: { text: 'Not Connected To AP', usage: 'C0' },
  mismatch: { text: 'Certificate Mismatch', usage: 'PG=<set>,<type>,<length>,<data>' },
  setNotSelected: { text: 'Set Not Selected', usage: 'PF=<0..2>' },
  invalidCertificate: { text: 'Invalid Certificate', usage: 'PG=<set>,<type>,<length>,<data>' },
  notConnected: { text: 'Socket Not Connected', usage: 'P6=1' },
  /** A fault of the simulator itself (a handler threw): reported like the module's catch-all. */
  internal: { text: 'Unknown Error' },
} as const satisfies Readonly<Record<string, ErrorSpec>>;

export type ErrorName = keyof typeof ERRORS;

// chosen: the usage line of each command, printed after `ERROR: Invalid Parameter`.
export const USAGE: Readonly<Record<string, string>> = {
  'I?': 'I?',
  C0: 'C0',
  C1: 'C1=<ssid>',
  C2: 'C2=<passphrase>',
  C3: 'C3=<0..4>',
  C4: 'C4=<0|1>',
  CD: 'CD',
  CS: 'CS',
  'C?': 'C?',
  D0: 'D0=<host>',
  P0: 'P0=<0..3>',
  P1: 'P1=<0..3>',
  P2: 'P2=<0..65535>',
  P3: 'P3=<a.b.c.d>',
  P4: 'P4=<1..65535>',
  P6: 'P6=<0|1>',
  P9: 'P9=<0..2>',
  'P?': 'P?',
  PF: 'PF=<0..2>',
  PG: 'PG=<set>,<type>,<length>,<data>',
  R0: 'R0',
  R1: 'R1=<1..1460>',
  R2: 'R2=<0..30000>',
  S3: 'S3=<1..1460>',
};
