/**
 * Inventek eS-WiFi errors explained. The module answers a failed command with
 * `ERROR: <text>`, a `Usage: <syntax>` line and the prompt, without OK; a join that fails prints
 * `[JOIN   ] Failed` before its `ERROR: Unknown Error`; a send (S3) or read (R0) on a socket that
 * is no longer connected answers `-1` inside an OK reply. What this decodes:
 * - an ERROR line (`ERROR: Certificate Mismatch`), its text alone (`certificate mismatch`), or a
 *   bare `ERROR`;
 * - `-1` (number or text);
 * - `[JOIN   ] Failed` and `Usage: …` lines, alone or inside a whole answer of several lines;
 * - with the command that failed (`P6=1`, `PG=0,2,1675 <1675 bytes, secret>`, `C0`), words for
 *   that command: its syntax for `Invalid Parameter` and a bare ERROR, the join for C0's
 *   `Unknown Error`, the set and type for PG's `Certificate Mismatch`.
 *
 * Sources: the error form and the hardware capture of a failed join (`[JOIN   ] Failed`,
 * `ERROR: Unknown Error`, `Usage: C0 `) are those of the Inventek eS-WiFi AT command set (IWIN)
 * as seen on a B-L475E-IOT01 (LucaAgrippino iot-environmental-monitor, wifi-driver.md WIFI-O8) and
 * as ST es_wifi.c matches them (`"\r\nERROR"`); `-1` as drogue-device parser.rs (write_error,
 * read_error) and ST es_wifi.c (`"-1\r\n"` after S3) read it; the one-time programmable sets and
 * "a match or an error" from Inventek's TLS note (seeds/002 l. 17-19). The other texts are not
 * published: they are the ones this package's simulator gives (chosen, the contract of the
 * adapter), and every one of them is matched whatever its case. The meanings and hints are ours.
 *
 * Must never: send anything to a modem, or repeat a passphrase (a `C2=` command or line is never
 * quoted; an unknown text is quoted in `code` only, with any `C2=` value masked).
 */
import type { DecodedError } from '../adapter';
import type { Explanation } from '../cme';

const VENDOR = 'eswifi';
const MODULE = 'the Inventek eS-WiFi module';

const SETS_ARE_OTP =
  'The certificate sets are one-time programmable: a root CA, certificate or key written into a set stays there for good, and only a complete firmware flash (not an update) clears the sets.';

// ---------------------------------------------------------------------------------------------
// The texts after `ERROR: `, by the module's words.

const JOIN_FAILED: Explanation = {
  name: 'Wi-Fi join failed',
  meaning: 'The module could not join the Wi-Fi network (C0 printed "[JOIN   ] Failed"): the SSID was not found, the passphrase or the security type is wrong, or the access point refused the module.',
  category: 'network',
  hint: 'Check the modem config: wifiSsid exactly as the access point broadcasts it (case and spaces count), wifiPassphrase, and wifiSecurity the same as the access point’s (open, WEP, WPA, WPA2 or WPA/WPA2). Check that the access point is in range and uses 2.4 GHz (the ISM43362 has no 5 GHz radio), and that it does not filter MAC addresses.',
};

const UNKNOWN_ERROR: Explanation = {
  name: 'Unknown Error',
  meaning: 'The module reports a failure it does not name. After a join (C0) this is how a failed join ends.',
  category: 'unknown',
  hint: 'If it followed a join (C0, "[JOIN   ] Failed" before it), check wifiSsid, wifiPassphrase and wifiSecurity of the modem config. Otherwise try again; if it repeats, power-cycle the module and check that it answers I?.',
};

const ERRORS: ReadonlyArray<{ text: string; entry: Explanation }> = [
  {
    text: 'Unknown Command',
    entry: {
      name: 'Unknown Command',
      meaning: 'The module does not know the command: a typo, a command its firmware lacks, or a command written with an AT prefix (eS-WiFi commands have none).',
      category: 'parameter',
      hint: 'Write the two-character command without AT, then = and its values if any, ended by CR (`I?`, `CS`, `P0=1`). Check the spelling against the module’s command set and its firmware version (I?).',
    },
  },
  {
    text: 'Invalid Parameter',
    entry: {
      name: 'Invalid Parameter',
      meaning: 'A value of the command is missing, not a number where one is needed, or outside its range.',
      category: 'parameter',
      hint: 'Check the values against the Usage line the module prints after the error. Ranges: socket P0 0..3, protocol P1 0..3, port P4 1..65535, verification P9 0..2, certificate set PF 0..2, send S3 and read size R1 1..1460 bytes, read timeout R2 0..30000 ms.',
    },
  },
  { text: 'Unknown Error', entry: UNKNOWN_ERROR },
  {
    text: 'DNS Lookup Failed',
    entry: {
      name: 'DNS Lookup Failed',
      meaning: 'The module could not resolve the server’s host name (D0).',
      category: 'network',
      hint: 'Check the spelling of the host and that the name exists in public DNS; that the module has joined the Wi-Fi network (CS answers 1) and got a DNS server from it (DHCP on), and that the network reaches the Internet. An IPv4 address as host needs no lookup.',
    },
  },
  {
    text: 'Connection Failed',
    entry: {
      name: 'Connection Failed',
      meaning: 'The TCP connection to the server could not be made (P6=1): it was refused, or nothing answered in time.',
      category: 'network',
      hint: 'Check the host and the port, that the server is up and listening, and that it is reachable from the Wi-Fi network (a firewall, a private address of another network); check the signal of the access point.',
    },
  },
  {
    text: 'SSL Handshake Failed',
    entry: {
      name: 'SSL Handshake Failed',
      meaning: 'The TCP connection was made but the TLS handshake failed: the server certificate did not lead to the root CA of the certificate set PF selected, or the server ended the handshake (it refused the client certificate, or speaks no TLS on that port).',
      category: 'handshake',
      hint: 'Check the root CA programmed in the set the tls-profile uses (load-cert list shows it): with P9=1 or P9=2 the server’s chain must end in it. With P9=2 and a server that asks for a client certificate, the set’s certificate and key must be ones the server trusts. The module checks neither the host name nor the dates and sends no SNI: a server that needs SNI may refuse it. Check that the port is a TLS port.',
    },
  },
  {
    text: 'No Root CA In Set',
    entry: {
      name: 'No Root CA In Set',
      meaning: 'Required verification (P9=2) needs a root CA in the certificate set PF selected, and that set has none.',
      category: 'certificate',
      hint: 'Program the root CA of the server into that set (load-cert, certType ca, name the set number; the sets are one-time programmable, so check it is the right CA first), use a set that holds one, or, if an unverified server is acceptable, choose verify none in the tls-profile (P9=0).',
    },
  },
  {
    text: 'Socket Already Connected',
    entry: {
      name: 'Socket Already Connected',
      meaning: 'The client connection of the selected socket (P0) is already up, so P6=1 cannot start another on it.',
      category: 'state',
      hint: 'Close it first (tls-close sends P6=0) or use another socket (0..3). A connection left open on the module by an earlier run stays until P6=0 or a restart of the module.',
    },
  },
  {
    text: 'Not Connected To AP',
    entry: {
      name: 'Not Connected To AP',
      meaning: 'The module has not joined a Wi-Fi network (access point), so it cannot resolve names or open connections.',
      category: 'state',
      hint: 'Set wifiSsid, wifiSecurity and wifiPassphrase in the modem config so the module joins at start-up; CS answers 1 once it has joined. If it had joined, the access point dropped it: check the signal.',
    },
  },
  {
    text: 'Certificate Mismatch',
    entry: {
      name: 'Certificate Mismatch',
      meaning: 'The certificate set already holds other data of that type than the data written (PG): nothing was changed.',
      category: 'certificate',
      hint: `${SETS_ARE_OTP} So the set cannot take this data: check the set number (load-cert name = the set, 0..2), write into a set still empty, or use the data the set was programmed with (writing exactly that again is answered by a match).`,
    },
  },
  {
    text: 'Set Not Selected',
    entry: {
      name: 'Set Not Selected',
      meaning: 'The set PG writes into is not the set PF selected.',
      category: 'state',
      hint: 'Send PF=<set> before PG, with the same set number as the first value of PG (PG=<set>,<type>,<length>,<data>); the selection may have been lost by a restart of the module.',
    },
  },
  {
    text: 'Invalid Certificate',
    entry: {
      name: 'Invalid Certificate',
      meaning: 'The data of PG is not PEM of the type given (0 root CA, 1 certificate, 2 key), or not as long as PG says.',
      category: 'certificate',
      hint: 'Give PEM text of the right kind: a root CA or certificate as "-----BEGIN CERTIFICATE-----", a key unencrypted as "-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN EC PRIVATE KEY-----"; <length> must count exactly the bytes that follow. load-cert converts DER and decrypts a key; check its certType against the file.',
    },
  },
  {
    text: 'Socket Not Connected',
    entry: {
      name: 'Socket Not Connected',
      meaning: 'The selected socket (P0) has no connection: it was never started, or the server closed it and all its data has been read.',
      category: 'state',
      hint: 'Open the connection again (tls-open). If the server closes it soon after each open, check its idle timeout and its log.',
    },
  },
];

const BY_TEXT: ReadonlyMap<string, { text: string; entry: Explanation }> = new Map(ERRORS.map((e) => [keyOf(e.text), e]));

const BARE_ERROR: Explanation = {
  name: 'ERROR',
  meaning: 'The module refused the command without saying why.',
  category: 'unknown',
  hint: 'Read the Usage line the module prints after ERROR: it shows the syntax the command takes. Turn on the AT trace of the modem config to see the exchange.',
};

const SOCKET_GONE: Explanation = {
  name: 'socket no longer connected',
  meaning: 'The module answered -1 to a send (S3) or a read (R0): the socket is no longer connected, because the server closed the connection or the network dropped it.',
  category: 'state',
  hint: 'Open the connection again (tls-open); data of a send answered -1 did not reach the server: send it again. If it happens soon after every open, check the server’s idle timeout and the Wi-Fi signal.',
};

const USAGE: Explanation = {
  name: 'Usage',
  meaning: 'The second line of the module’s error answer: the syntax of the command it refused. The ERROR line before it says what went wrong.',
  category: 'parameter',
  hint: 'Write the command as the usage line shows; decode the ERROR line before it for the reason.',
};

// ---------------------------------------------------------------------------------------------
// Words for the command that failed: its syntax (values are never quoted).

const ON_COMMAND: ReadonlyArray<{ command: RegExp; syntax: string }> = [
  { command: /^C1=/, syntax: 'C1=<ssid>: the SSID, 1..32 bytes (wifiSsid of the modem config).' },
  { command: /^C2=/, syntax: 'C2=<passphrase>: empty for an open network, 8..63 printable characters or 64 hex digits for WPA/WPA2, 5 or 13 characters or 10 or 26 hex digits for WEP (wifiPassphrase of the modem config).' },
  { command: /^C3=/, syntax: 'C3=<security>: 0 open, 1 WEP, 2 WPA, 3 WPA2-AES, 4 WPA2-Mixed (wifiSecurity of the modem config).' },
  { command: /^C4=/, syntax: 'C4=<0|1>: DHCP off or on.' },
  { command: /^C0$/, syntax: 'C0: join the network set by C1, C2 and C3.' },
  { command: /^D0=/, syntax: 'D0=<host>: a host name or an IPv4 address.' },
  { command: /^P0=/, syntax: 'P0=<socket>: 0..3.' },
  { command: /^P1=/, syntax: 'P1=<protocol>: 0 TCP, 1 UDP, 2 UDP-Lite, 3 TCP with TLS.' },
  { command: /^P3=/, syntax: 'P3=<address>: an IPv4 address, four numbers 0..255 with dots.' },
  { command: /^P4=/, syntax: 'P4=<port>: 1..65535.' },
  { command: /^P6=/, syntax: 'P6=<0|1>: 1 starts the client connection of the selected socket, 0 stops it.' },
  { command: /^P9=/, syntax: 'P9=<0|1|2>: 0 no verification, 1 verify with the set’s root CA if it has one, 2 require it.' },
  { command: /^PF=/, syntax: 'PF=<set>: the certificate set, 0..2.' },
  { command: /^PG=/, syntax: 'PG=<set>,<type>,<length>,<data>: the set PF selected (0..2), type 0 root CA, 1 certificate, 2 key, then exactly <length> bytes of PEM (1..8192).' },
  { command: /^S3=/, syntax: 'S3=<n> followed by exactly n bytes: 1..1460.' },
  { command: /^R0$/, syntax: 'R0: read what the selected socket holds (its connection must be up).' },
  { command: /^R1=/, syntax: 'R1=<n>: read size, 1..1460 bytes.' },
  { command: /^R2=/, syntax: 'R2=<ms>: read timeout, 0..30000 ms.' },
];

const CERT_TYPES: Readonly<Record<string, string>> = { '0': 'root CA', '1': 'certificate', '2': 'key' };

/** The command as the trace shows it, upper case, without the `<n bytes>` of its payload. */
function commandOf(command: string | undefined): string | undefined {
  const text = command?.trim().replace(/\s+<\d+ bytes(?:, secret)?>$/i, '').trim();
  return text ? text.toUpperCase() : undefined;
}

function syntaxOf(command: string | undefined): string | undefined {
  return command === undefined ? undefined : ON_COMMAND.find((c) => c.command.test(command))?.syntax;
}

// ---------------------------------------------------------------------------------------------
// Decoding.

/** Case and runs of blanks do not matter: `certificate  mismatch` is `Certificate Mismatch`. */
function keyOf(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Whatever follows `C2=` (a passphrase) is replaced; used on every text the result may quote. */
function masked(text: string): string {
  return text.replace(/(C2\s*=)[^\r\n]*/gi, '$1***');
}

/** One line of the input, as found. */
type Finding =
  | { kind: 'error'; text: string }
  | { kind: 'bare' }
  | { kind: 'minus-one' }
  | { kind: 'join-failed'; line: string }
  | { kind: 'usage'; syntax: string; line: string }
  | { kind: 'other'; text: string };

function findingOf(line: string): Finding {
  const text = line.trim();
  if (/^-1$/.test(text)) return { kind: 'minus-one' };
  if (/^ERROR$/i.test(text)) return { kind: 'bare' };
  let m = /^ERROR\s*:?\s+(.*)$|^ERROR\s*:\s*(.*)$/i.exec(text);
  if (m) {
    const rest = (m[1] ?? m[2] ?? '').trim();
    return rest === '' ? { kind: 'bare' } : { kind: 'error', text: rest };
  }
  if (/^\[\s*JOIN\s*\]\s*Failed\b/i.test(text)) return { kind: 'join-failed', line: text };
  m = /^Usage\s*:\s*(.*)$/i.exec(text);
  if (m) return { kind: 'usage', syntax: m[1].trim(), line: text };
  // A text the module prints after `ERROR: `, given without it.
  if (BY_TEXT.has(keyOf(text))) return { kind: 'error', text };
  return { kind: 'other', text };
}

/** `PG=1,2,…` → "set 1 already holds another key". */
function mismatchOf(command: string | undefined): string | undefined {
  const m = /^PG=(\d+),(\d+)/.exec(command ?? '');
  if (!m) return undefined;
  const type = CERT_TYPES[m[2]] ?? `data of type ${m[2]}`;
  return `Set ${m[1]} already holds another ${type} than the data written (PG): nothing was changed.`;
}

function decoded(code: string | number, entry: Explanation): DecodedError {
  return { vendor: VENDOR, code, ...entry };
}

/** The hint led by the syntax of the command that failed. */
function withSyntax(entry: Explanation, syntax: string | undefined): Explanation {
  return syntax ? { ...entry, hint: `Syntax: ${syntax} ${entry.hint}` } : entry;
}

/**
 * Explains an eS-WiFi failure: an ERROR line or its text (`ERROR: Certificate Mismatch`,
 * `certificate mismatch`), a bare `ERROR`, `-1`, a `[JOIN   ] Failed` or `Usage: …` line, or a
 * whole answer of such lines; `command` adds words for that command. Anything else: an
 * `unknown eS-WiFi error` entry. `code` is the text after `ERROR: ` (the module's spelling), or -1.
 */
export function decodeEswifiError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
  const command = commandOf(error.command);
  const texts = [error.code, error.line]
    .filter((t): t is string | number => t !== undefined && t !== null && String(t).trim() !== '')
    .map((t) => String(t));
  const findings = texts.flatMap((t) => t.split(/\r\n|\r|\n/)).filter((l) => l.trim() !== '').map(findingOf);
  const joinFailed = findings.some((f) => f.kind === 'join-failed');
  const usage = findings.find((f): f is Extract<Finding, { kind: 'usage' }> => f.kind === 'usage');
  const syntax = syntaxOf(command);

  const known = findings.find((f): f is Extract<Finding, { kind: 'error' }> => f.kind === 'error' && BY_TEXT.has(keyOf(f.text)));
  if (known) {
    const { text, entry } = BY_TEXT.get(keyOf(known.text)) as { text: string; entry: Explanation };
    if (entry === UNKNOWN_ERROR && (joinFailed || command === 'C0')) return decoded(text, JOIN_FAILED);
    if (entry.name === 'Certificate Mismatch') {
      const meaning = mismatchOf(command);
      return decoded(text, meaning ? { ...entry, meaning } : entry);
    }
    if (entry.name === 'Invalid Parameter' || entry === UNKNOWN_ERROR) return decoded(text, withSyntax(entry, syntax));
    return decoded(text, entry);
  }
  if (findings.some((f) => f.kind === 'minus-one')) {
    const on = command?.startsWith('S3') ? ' The bytes of this send did not reach the server.' : '';
    return decoded(-1, { ...SOCKET_GONE, meaning: SOCKET_GONE.meaning + on });
  }
  // An ERROR text this package does not know.
  const otherError = findings.find((f): f is Extract<Finding, { kind: 'error' }> => f.kind === 'error');
  if (joinFailed) {
    const line = findings.find((f): f is Extract<Finding, { kind: 'join-failed' }> => f.kind === 'join-failed')?.line ?? '';
    const code = otherError ? masked(otherError.text.trim()) : findings.some((f) => f.kind === 'bare') ? 'ERROR' : masked(line);
    return decoded(code, JOIN_FAILED);
  }
  if (findings.some((f) => f.kind === 'bare') && !otherError) {
    if (command === 'C0') return decoded('ERROR', JOIN_FAILED);
    return decoded('ERROR', withSyntax(BARE_ERROR, syntax ?? (usage ? usageSyntax(usage.syntax) : undefined)));
  }
  if (usage && !otherError) {
    return decoded(masked(usage.line), { ...USAGE, hint: usageHint(usage.syntax) });
  }
  const code = otherError ? masked(otherError.text.trim()) : typeof error.code === 'number' ? error.code : texts.length ? masked(texts[0].trim()) : 'unknown';
  return decoded(code, {
    name: 'unknown eS-WiFi error',
    meaning: otherError
      ? `The module reported an error whose text this package does not know for ${MODULE}.`
      : texts.length
        ? `The text is not an error answer this package knows for ${MODULE} (those read "ERROR: <text>", or -1 for a send or read).`
        : 'The failure carries no error text of the module.',
    category: 'unknown',
    hint: `${syntax ? `Syntax: ${syntax} ` : ''}Read the Usage line the module prints after the ERROR line: it shows the syntax the command takes. Turn on the AT trace of the modem config to see the exchange, and check that the module answers I? (its firmware version).`,
  });
}

/** The syntax of a Usage line, quoted only when it carries no value (never a passphrase). */
function usageSyntax(syntax: string): string | undefined {
  if (syntax === '' || /^C2\s*=/i.test(syntax)) return undefined;
  return `"${masked(syntax)}".`;
}

function usageHint(syntax: string): string {
  if (syntax === '?') {
    return 'Usage "?" follows an unknown command: the module did not recognise it at all. Write the two-character command without AT (`I?`, `P6=1`); decode the ERROR line before it for the reason.';
  }
  const quoted = usageSyntax(syntax);
  return quoted ? `Write the command as the module’s usage line shows: ${quoted} Decode the ERROR line before it for the reason.` : USAGE.hint;
}
