/**
 * The certificate sets of the simulated eS-WiFi: PF selects one (for the next TLS start and for
 * programming), PG writes a root CA, certificate or key into it — once.
 *
 * Owns: the one-time-programmable rule and what counts as data of each type. Must never: change
 * an item once written (only `EswifiDevice.flashCompleteFirmware()` clears a set), or put the
 * bytes of an item into an answer, an error or the log.
 *
 * seeds/002, as simulated:
 * ```
 *   → PF=0\r                          ← \r\n\r\nOK\r\n>␠            "Certificate set 0" (l. 34)
 *   → PG=0,0,<length>,<bytes>         ← \r\n\r\nOK\r\n>␠            root CA stored for good (l. 36)
 *   → PG=0,0,<length>,<same bytes>    ← \r\nMatch\r\nOK\r\n>␠       "the result will be a match …" (l. 17)
 *   → PG=0,0,<length>,<other bytes>   ← \r\nERROR: Certificate Mismatch\r\nUsage: PG=<set>,<type>,<length>,<data>\r\n>␠  "… or an error"
 * ```
 * PG's header ends at the comma after `<length>` and exactly `<length>` raw bytes follow, nothing
 * after them (l. 36-40). Choices: `<set>` must be the set PF selected (l. 7: PF selects the set
 * "for programming via the 'PG' command"; the seed's example uses 0 for both) — another is
 * refused with `Set Not Selected`; an item already written is compared byte for byte before
 * anything else; an empty item takes only PEM of its type (`Invalid Certificate` otherwise):
 * certificates for types 0 and 1 (a bundle is fine), one unencrypted RSA, EC or PKCS#8 private
 * key for type 2. The bytes are always taken once the header's length is valid, whatever the answer.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { decimal, fail, invalid, ok, type Answer, type CommandRequest, type CommandTable } from './answers';
import type { EswifiDevice } from './state';
import { CERTIFICATE_TYPES, LIMITS, TEXT } from './tables';

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN (RSA |EC |)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g;
/** `openssl ecparam -genkey` writes the curve before the key. */
const EC_PARAMETERS_BLOCK = /-----BEGIN EC PARAMETERS-----[\s\S]*?-----END EC PARAMETERS-----/g;

/** Certificate blocks only (whitespace around them aside), each one readable. */
function isCertificatePem(text: string): boolean {
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0 || text.replace(CERTIFICATE_BLOCK, '').trim() !== '') return false;
  try {
    for (const block of blocks) new X509Certificate(block);
  } catch {
    return false;
  }
  return true;
}

/** One private key block, not encrypted, that OpenSSL reads. */
function isKeyPem(text: string): boolean {
  const blocks = text.match(KEY_BLOCK) ?? [];
  if (blocks.length !== 1 || text.replace(KEY_BLOCK, '').replace(EC_PARAMETERS_BLOCK, '').trim() !== '') return false;
  const block = blocks[0]!;
  if (/Proc-Type:\s*4,ENCRYPTED/.test(block)) return false;
  try {
    createPrivateKey({ key: block, format: 'pem' });
  } catch {
    return false;
  }
  return true;
}

/** `<set>,<type>,<length>` → the numbers, or undefined when any is out of range. */
function header(value: string | undefined): { set: number; type: number; length: number } | undefined {
  const fields = (value ?? '').split(',');
  if (fields.length !== 3) return undefined;
  const set = decimal(fields[0], 0, LIMITS.sets - 1);
  const type = decimal(fields[1], 0, CERTIFICATE_TYPES.length - 1);
  const length = decimal(fields[2], 1, LIMITS.certificateMax);
  if (set === undefined || type === undefined || length === undefined) return undefined;
  return { set, type, length };
}

function program(device: EswifiDevice, { value, payload }: CommandRequest): Answer {
  const fields = header(value);
  if (!fields || !payload || payload.length !== fields.length) return invalid('PG');
  if (fields.set !== device.selectedSet) return fail('setNotSelected');
  const type = CERTIFICATE_TYPES[fields.type]!;
  const set = device.sets[fields.set]!;
  const stored = set[type];
  if (stored) return stored.equals(payload) ? ok(TEXT.match) : fail('mismatch');
  const text = payload.toString('latin1');
  if (!(type === 'key' ? isKeyPem(text) : isCertificatePem(text))) return fail('invalidCertificate');
  set[type] = Buffer.from(payload);
  return ok();
}

export const SET_COMMANDS: CommandTable = {
  PF: {
    write: (device, { value }) => {
      const set = decimal(value, 0, LIMITS.sets - 1);
      if (set === undefined) return invalid('PF');
      device.selectedSet = set;
      return ok();
    },
  },
  PG: {
    // The bytes are taken whenever `<length>` is a valid length, even if another field is wrong.
    payload: { after: 'comma', fields: 3, length: (value) => decimal(value.split(',')[2], 1, LIMITS.certificateMax) },
    write: program,
  },
};
