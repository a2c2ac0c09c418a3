/**
 * u-blox's own options, one rule row each (seeds/003, +USECPRF and +USECMNG; `l. n` is a line of
 * that file): what a profile and an upload (or removal) take beyond the vendor-neutral settings. The
 * editor, the nodes and the adapter all read these rows: their ranges, allowed values and the AT
 * parameter each becomes are written here, and `optionValues` checks a request against them.
 *
 * Must never: hold a limit that is not a row, or show a secret row's value in a message (the
 * session data rows are `secret`: only their type and length are ever named).
 */
import { vendorOptionAreas } from '../checks';
import type { Rule } from '../rules';
import { DATABASES, LEGACY_ALLOWED, SESSION_LIMITS, SESSION_TYPES, SUITES, USECMNG_LIMITS } from './tables';

const at = (text: string): Readonly<Record<string, string>> => ({ ublox: text });

/** Session data is base64 (l. 941–958). */
const BASE64 = '[A-Za-z0-9+/]*={0,2}';

/** A row of session data (op 13 with a data `<sess_tag>`): a secret, base64, never read back. */
function sessionData(name: string, tag: number, max: number, what: string, parameter: string): Rule {
  return {
    name,
    type: 'text',
    max,
    secret: true,
    pattern: BASE64,
    patternHint: 'must be base64 (A–Z, a–z, 0–9, +, / and = padding)',
    optional: true,
    help: `op 13 <sess_tag> ${tag}: ${what}, base64, up to ${max} characters — a secret: written every time it is given, never read back; pass it on the message, not in the node's settings`,
    at: at(`+USECPRF op 13,${tag} ${parameter}`),
  };
}

export const PROFILE_OPTION_ROWS: readonly Rule[] = [
  { name: 'reset', type: 'bool', optional: true, help: 'true resets the profile to its factory values (AT+USECPRF=<profile>) before applying', at: at('+USECPRF=<profile_id>') },
  { name: 'legacyCipher', type: 'enum', values: LEGACY_ALLOWED, optional: true, help: `op 2 <legacy_cs> number of Table 26 instead of ciphers (one of ${LEGACY_ALLOWED.join(', ')})`, at: at('+USECPRF op 2 <legacy_cs>') },
  { name: 'cipherList', type: 'enum', many: true, values: SUITES.map((s) => s.iana), optional: true, help: 'list of IANA suite names configured with op 2,100 (add); the manual says these modules do not support it', at: at('+USECPRF op 2,100 <iana_byte1>,<iana_byte2>') },
  { name: 'pskFormat', type: 'enum', values: ['ascii', 'hex'], default: 'ascii', optional: true, help: '"ascii" (default, up to 64 characters) or "hex" (up to 128 hex digits) for the PSK', at: at('+USECPRF op 8 <preshared_key_str_type>') },
  // l. 900–902: <server_certificate>, "a certificate configured to be used for server certificate pinning".
  { name: 'pinCert', type: 'text', max: 60, allowEmpty: true, optional: true, help: 'op 12: name of the stored server certificate (load-cert, certType ca with vendorOptions.serverCertificate) the server is pinned to ("" turns pinning off)', at: at('+USECPRF op 12 <server_certificate>') },
  { name: 'pinLevel', type: 'int', min: 0, max: 2, default: 0, optional: true, help: 'op 12 <pinning_level>: 0 public key information, 1 public key binary, 2 whole certificate (default 0)', at: at('+USECPRF op 12 <pinning_level>') },
  { name: 'sessionResumption', type: 'bool', optional: true, help: 'op 13: true enables (D)TLS session resumption (kept until power cycle), false disables it', at: at('+USECPRF op 13,0 <sess_status>') },
  // l. 930–940: of the six types only 1 is allowed.
  { name: 'sessionType', type: 'enum', values: SESSION_TYPES, optional: true, help: 'op 13 <sess_type>: 1, session ticket — the only type the u-blox manual allows on these modules', at: at('+USECPRF op 13,1 <sess_type>') },
  // l. 646–745: session data to restore, by <sess_tag>; the module keeps it until a power cycle (l. 449).
  sessionData('sessionId', 2, SESSION_LIMITS.sessionId, 'the session ID of a session to resume (with sessionMasterSecret)', '<session_id_b64>'),
  sessionData('sessionMasterSecret', 2, SESSION_LIMITS.masterSecret, 'the master secret of that session (with sessionId)', '<master_secret_b64>'),
  sessionData('sessionTicket', 3, SESSION_LIMITS.data, 'a session ticket to resume with', '<session_data_b64>'),
  sessionData('pskSessionTicket', 5, SESSION_LIMITS.data, 'a PSK-based session ticket (needs TLS 1.3)', '<session_data_b64>'),
  sessionData('encryptedSessionId', 12, SESSION_LIMITS.data, 'a session ID with its secret, encrypted by the module', '<enc_session_data_b64>'),
  sessionData('encryptedSessionTicket', 13, SESSION_LIMITS.data, 'a session ticket encrypted by the module', '<enc_session_data_b64>'),
  sessionData('encryptedPskSessionTicket', 15, SESSION_LIMITS.data, 'a PSK-based session ticket encrypted by the module (needs TLS 1.3)', '<enc_session_data_b64>'),
  { name: 'rotPsk', type: 'bool', optional: true, help: 'op 11: true lets the Root of Trust generate PSK and identity (not allowed on the modules of this manual)', at: at('+USECPRF op 11 <PSK_val>') },
  { name: 'ztp', type: 'int', min: 0, max: 2, optional: true, help: 'op 14: credentials from Zero Touch Provisioning, 0 none, 1 CA and client, 2 client (not allowed on the modules of this manual)', at: at('+USECPRF op 14 <ZTP_tag>') },
  { name: 'database', type: 'enum', values: [...Object.keys(DATABASES), ...Object.values(DATABASES)], optional: true, help: 'op 16: where certificates come from, "all" (default), "user" or "preinstalled"', at: at('+USECPRF op 16 <db_to_use>') },
];

/** Options of an upload; a removal takes them too, and uses those that name the item (`serverCertificate`). */
export const UPLOAD_OPTION_ROWS: readonly Rule[] = [
  { name: 'fromFile', type: 'text', min: 1, max: USECMNG_LIMITS.filenameLength, optional: true, help: `import from this file of the module file system (+USECMNG op 1, up to ${USECMNG_LIMITS.filenameLength} characters) instead of sending the data; msg.payload is still needed to verify the MD5`, at: at('+USECMNG op 1 <filename>') },
  { name: 'keepEncrypted', type: 'bool', optional: true, help: 'true stores the key as encrypted PKCS#8 DER with the load-cert password (the module decrypts it), instead of decrypted', at: at('+USECMNG op 0 <password>') },
  // l. 247, 258: a server certificate is stored as <type> 3 — a `ca` upload, since it is trusted rather than presented.
  { name: 'serverCertificate', type: 'bool', optional: true, help: 'true stores (or removes) the certificate as a server certificate (+USECMNG type 3) for pinning (tls-profile vendorOptions.pinCert), not as a trusted root; certType ca only', at: at('+USECMNG <type> 3') },
];

/** The rows of each operation, and how messages call it. */
const AREAS = {
  profiles: { rows: PROFILE_OPTION_ROWS, what: 'profiles' },
  certificates: { rows: UPLOAD_OPTION_ROWS, what: 'uploads' },
  open: { rows: [] as readonly Rule[], what: 'connections' },
  close: { rows: [] as readonly Rule[], what: 'connections' },
} as const;

export type OptionArea = keyof typeof AREAS;

const options = vendorOptionAreas('u-blox', AREAS);

/** The rows of one operation (the capabilities list them). */
export const optionRows = options.rows;

/** Vendor options of one operation, each checked against its row and in its proper type; an unknown key is refused. */
export const optionValues = options.values;
