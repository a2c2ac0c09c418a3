/**
 * u-blox's own options, one rule row each (seeds/003, +USECPRF and +USECMNG): what a profile and
 * an upload take beyond the vendor-neutral settings. The editor, the nodes and the adapter all
 * read these rows: their ranges, allowed values and the AT parameter each becomes are written here.
 */
import type { Rule } from '../rules';
import { DATABASES, LEGACY_ALLOWED, SESSION_TYPES, SUITES, USECMNG_LIMITS } from './tables';

const at = (text: string): Readonly<Record<string, string>> => ({ ublox: text });

export const PROFILE_OPTION_ROWS: readonly Rule[] = [
  { name: 'reset', type: 'bool', optional: true, help: 'true resets the profile to its factory values (AT+USECPRF=<profile>) before applying', at: at('+USECPRF=<profile_id>') },
  { name: 'legacyCipher', type: 'enum', values: LEGACY_ALLOWED, optional: true, help: `op 2 <legacy_cs> number of Table 26 instead of ciphers (one of ${LEGACY_ALLOWED.join(', ')})`, at: at('+USECPRF op 2 <legacy_cs>') },
  { name: 'cipherList', type: 'enum', many: true, values: SUITES.map((s) => s.iana), optional: true, help: 'list of IANA suite names configured with op 2,100 (add); the manual says these modules do not support it', at: at('+USECPRF op 2,100 <iana_byte1>,<iana_byte2>') },
  { name: 'pskFormat', type: 'enum', values: ['ascii', 'hex'], default: 'ascii', optional: true, help: '"ascii" (default, up to 64 characters) or "hex" (up to 128 hex digits) for the PSK', at: at('+USECPRF op 8 <preshared_key_str_type>') },
  { name: 'pinCert', type: 'text', max: 60, allowEmpty: true, optional: true, help: 'op 12: name of the stored certificate the server certificate is pinned to ("" turns pinning off)', at: at('+USECPRF op 12 <pinning_cert_name>') },
  { name: 'pinLevel', type: 'int', min: 0, max: 2, default: 0, optional: true, help: 'op 12 <pinning_level>: 0 public key information, 1 public key binary, 2 whole certificate (default 0)', at: at('+USECPRF op 12 <pinning_level>') },
  { name: 'sessionResumption', type: 'bool', optional: true, help: 'op 13: true enables (D)TLS session resumption (kept until power cycle), false disables it', at: at('+USECPRF op 13,0 <sess_status>') },
  { name: 'sessionType', type: 'enum', values: SESSION_TYPES, optional: true, help: 'op 13 <sess_type>: 0 session ID, 1 session ticket, 10/11 the same with local encryption', at: at('+USECPRF op 13,1 <sess_type>') },
  { name: 'rotPsk', type: 'bool', optional: true, help: 'op 11: true lets the Root of Trust generate PSK and identity (not allowed on the modules of this manual)', at: at('+USECPRF op 11 <PSK_val>') },
  { name: 'ztp', type: 'int', min: 0, max: 2, optional: true, help: 'op 14: credentials from Zero Touch Provisioning, 0 none, 1 CA and client, 2 client (not allowed on the modules of this manual)', at: at('+USECPRF op 14 <ZTP_tag>') },
  { name: 'database', type: 'enum', values: [...Object.keys(DATABASES), ...Object.values(DATABASES)], optional: true, help: 'op 16: where certificates come from, "all" (default), "user" or "preinstalled"', at: at('+USECPRF op 16 <db_to_use>') },
];

export const UPLOAD_OPTION_ROWS: readonly Rule[] = [
  { name: 'fromFile', type: 'text', min: 1, max: USECMNG_LIMITS.filenameLength, optional: true, help: `import from this file of the module file system (+USECMNG op 1, up to ${USECMNG_LIMITS.filenameLength} characters) instead of sending the data; msg.payload is still needed to verify the MD5`, at: at('+USECMNG op 1 <filename>') },
  { name: 'keepEncrypted', type: 'bool', optional: true, help: 'true stores the key as encrypted PKCS#8 DER with the load-cert password (the module decrypts it), instead of decrypted', at: at('+USECMNG op 0 <password>') },
];
