/**
 * What the Inventek eS-WiFi fixes as numbers and names, each with where it comes from:
 * seeds/002 (Inventek's product note "TCP-SSL/TLS Programming Certificates", `l. n` is a line of
 * that file), and the Inventek eS-WiFi AT command set (IWIN) as the public drivers use it — ST
 * es_wifi.c (the B-L475E-IOT01 driver), Zephyr drivers/wifi/eswifi, mbed wifi-ism43362,
 * drogue-device's parser, Inventek's own demo script and its "how to send data" page. Inventek's
 * full command reference was not at hand; a value none of them fixes is marked `chosen`, with
 * the reason.
 *
 * Must never: hold a behaviour — only the tables the adapter, the capabilities and its checks read.
 */
import type { CertType } from '../../tls/certificates';
import type { VerifyMode } from '../../tls/profile';
import type { WifiSecurity } from '../vendor';

/**
 * How an answer is framed (Inventek "how to send data", Response Formats; ST es_wifi.c
 * `AT_OK_STRING "\r\nOK\r\n> "`): CR LF, the data, CR LF `OK` CR LF, the ready prompt `> `.
 */
export const WIRE = {
  okEnd: Buffer.from('\r\nOK\r\n> ', 'latin1'),
  start: Buffer.from('\r\n', 'latin1'),
  /** ST es_wifi.c `AT_ERROR_STRING "\r\nERROR"`: a failed command's answer starts so. */
  errorStart: Buffer.from('\r\nERROR', 'latin1'),
  /** ST es_wifi.c `AT_DELIMETER_STRING "\r\n> "`: every answer ends with it. */
  promptEnd: Buffer.from('\r\n> ', 'latin1'),
  /** What S3 and R0 answer on a socket that is no longer connected (drogue-device write_error/read_error, ST `"-1\r\n"`). */
  closedAnswer: '-1',
} as const;

/**
 * The certificate sets: "There are 3 certificate sets" selected by PF (l. 7); PG writes
 * `PG=<set>,<type>,<length>,<bytes>` (l. 34–40) with type 0 root CA, 1 certificate, 2 key (ST
 * es_wifi.c ES_WIFI_StoreCreds). One-time programmable: "the only way to clear them is to flash a
 * complete firmware" (l. 19); writing the same data again answers "a match or an error" (l. 17).
 */
export const SETS = {
  ids: { min: 0, max: 2 },
  types: { ca: 0, cert: 1, key: 2 } as Readonly<Record<CertType, number>>,
  /** chosen: no limit is published; ST's `%04d` allows up to 9999, and 8192 holds a 4096-bit RSA key as PKCS#1 PEM. */
  maxBytes: 8192,
  /** chosen: the text of the seed's "match" (l. 17) — an OK answer also counts (the real text is not published). */
  matchLine: /^match\b/i,
  /** chosen: how long a PG may take (a flash write of up to 8 KB). */
  writeTimeoutMs: 15000,
} as const;

/** What each type is called in messages. */
export const TYPE_WORDS: Readonly<Record<CertType, string>> = { ca: 'root CA', cert: 'certificate', key: 'private key' };

/**
 * P9, the verification at `P6=1` (l. 21–29): 0 none, 1 the root CA "if programmed", 2 the root
 * CA, certificate and key of the set. The default for each neutral verify mode is chosen: P9=1
 * verifies nothing when the set has no root CA, so `server` and `mutual` both take 2.
 */
export const P9 = {
  values: { min: 0, max: 2 },
  fromVerify: { none: 0, server: 2, mutual: 2 } as Readonly<Record<VerifyMode, number>>,
  /** chosen: without an applied profile a connection verifies (secure by default). */
  unprofiled: 2,
} as const;

export const SOCKETS = {
  /** `P0=<0..3>`: four sockets (mbed ISM43362 "IDs only 0-3", Zephyr ESWIFI_OFFLOAD_MAX_SOCKETS 4). */
  ids: { min: 0, max: 3 },
  /** chosen: every socket may be a TLS one (no limit found). */
  maxTls: 4,
  /** `P1=3`: TCP SSL/TLS (l. 46; Inventek demo "TCP-SSL=3"). */
  protocolTls: 3,
  /** S3 at most 1460 bytes ("Binary Data (1-1460 bytes)", Inventek "how to send data"; mbed `ES_WIFI_MAX_TX_PACKET_SIZE 1460`). */
  maxSend: 1460,
  /** R1 1460 (Zephyr eswifi_socket.c "1460 is max size"). */
  maxRead: 1460,
  /** chosen: R2=0 makes R0 answer at once with what the module holds; the adapter paces its reads itself. */
  readWaitMs: 0,
  /** The longest P6=1 may take by default (TCP and the handshake; a hardware capture needed more than 5 s, mbed waits 50 s). */
  openTimeoutMs: 30000,
  /** chosen: a name lookup (D0) within 20 s (mbed allows 50 s; a lookup that slow fails the open anyway). */
  dnsTimeoutMs: 20000,
  /** chosen: one S3 of 1460 bytes and its answer. */
  sendTimeoutMs: 10000,
  /** chosen: one R0 with R2=0 and up to 1460 bytes. */
  readTimeoutMs: 5000,
  /**
   * chosen: how long an answer to R0 that ends like one, but is shorter than asked, waits for more
   * bytes — the data itself may hold `\r\nOK\r\n> ` (Zephyr's and the demo's UART readers stop there).
   */
  quietMs: 20,
  /**
   * chosen: how long one socket's sends, or its reads while the module answers full ones, go on
   * in one exclusive section — P0 sent once for all of them — before other operations get their
   * turn. Between two bursts of a send come its P0 again and a read of the poller (its own P0 and
   * R0): about 43 bytes and three turns, 1–2 % of a burst this long at 115200 baud, where a
   * 1460-byte chunk takes some 130 ms — so another operation waits at most about 0.6 s.
   */
  burstMs: 500,
  /** The pause between reads while no data comes grows from this (Zephyr polls again at once after data) … */
  pollStartMs: 10,
  /** … to `pollMs` (default 100, as Zephyr's eswifi_off_read_work reschedules), within these bounds (chosen). */
  poll: { min: 10, max: 10000, default: 100 },
  /** Data received while no flow listens, per connection, before the oldest is dropped. */
  heldMax: 1 << 20,
} as const;

/** C3, the network security (Inventek demo "0-Open, 1-WEP, 2-WPA, 3-WPA2-AES, 4-WPA2-Mixed"; Zephyr eswifi.h). */
export const SECURITY: Readonly<Record<WifiSecurity, number>> = { open: 0, wep: 1, wpa: 2, wpa2: 3, 'wpa-wpa2': 4 };

export const WIFI = {
  /** SSID 1..32 bytes (ST, Zephyr and mbed cap C1 at 32). */
  ssidMax: 32,
  /** The longest C2 value: a WPA key given as 64 hex digits (the passphrase rules are `src/adapters/wifi.ts`; mbed refuses passphrases over 63). */
  passphraseMax: 64,
  /** `C4=1`: DHCP (Inventek demo "0-No, 1-Yes"; Zephyr sends C4=1 at init). */
  dhcp: 1,
  /** A join may take long: Zephyr waits 60 s for the prompt, an Arduino ISM43340 library `execute("C0", 60000)`. */
  joinTimeoutMs: 60000,
} as const;
