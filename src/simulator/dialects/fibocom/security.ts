/**
 * The SSL commands of the manual (`seeds/004` chapter 1): `+GTSSLFILE` (load a client
 * certificate, its key or a trusted certificate; count them), `+GTSSLMODE` (verify the server or
 * not), `+GTSSLVER` (protocol version), `+GTSSLCIPHER` (enable suites by ID) and `+GTSSLERR` (the
 * last connection's error) — and how the loaded files are read when a connection is made.
 *
 * Owns: those commands' forms, checks and answers, and `readCredentials`. Must never: judge a
 * file at upload time (content "is stored as given" and read only at connect time, as the
 * module's one-shot counters suggest), give a file back, delete or replace one (l. 121: "only can
 * support to add (loading) and query certificates, but not support to delete and modify").
 *
 * Exchanges, echo off:
 * ```
 *   → AT+GTSSLFILE="TRUSTFILE",850<CR>
 *   ← <CR><LF>> <850 bytes, not echoed>
 *   ← <CR><LF>OK<CR><LF>
 *   → AT+GTSSLFILE?<CR>
 *   ← <CR><LF>+GTSSLFILE: CERTFILE,0<CR><LF>   (then KEYFILE, TRUSTFILE, then OK)
 * ```
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { Params, plainErrors, range, readCounted, refuse } from './args';
import type { FibocomDevice } from './state';
import { CIPHER_ID_RANGE, FILE_TYPES, FILES_MAX, LIMITS, SSL_ERROR, SSL_VERSIONS, type FileType } from './tables';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
/** Private-key PEM labels the module reads (no password can be given, so encrypted keys are unreadable). */
const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

function pemBlocks(bytes: Buffer): Array<{ label: string; text: string; body: string }> {
  const text = bytes.toString('latin1');
  return [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1]!, text: m[0], body: m[2]! }));
}

/** Every certificate of a PEM file (a file may hold a bundle); undefined when there is none or one is unreadable. */
function readCertificates(bytes: Buffer): X509Certificate[] | undefined {
  const blocks = pemBlocks(bytes).filter((block) => block.label === 'CERTIFICATE');
  if (blocks.length === 0) return undefined;
  try {
    return blocks.map((block) => new X509Certificate(block.text));
  } catch {
    return undefined;
  }
}

function readKey(bytes: Buffer): KeyObject | undefined {
  const block = pemBlocks(bytes).find((b) => KEY_LABELS.includes(b.label));
  // A legacy encrypted PEM key carries `Proc-Type: 4,ENCRYPTED`; the module has no way to take its password.
  if (!block || /Proc-Type:\s*4,ENCRYPTED/.test(block.body)) return undefined;
  try {
    return createPrivateKey({ key: block.text, format: 'pem' });
  } catch {
    return undefined;
  }
}

export interface Credentials {
  trusted: X509Certificate[];
  /** Presented when the server asks: only when both CERTFILE and KEYFILE are loaded. */
  client?: { cert: string; key: KeyObject; subject: string };
}

/**
 * The loaded files as a connection uses them, or the +GTSSLERR code that stops it: a TRUSTFILE
 * that holds no readable PEM certificate → -19, such a CERTFILE → -17, a KEYFILE that holds no
 * readable unencrypted PEM private key, or one that does not belong to the CERTFILE → -18.
 */
export function readCredentials(device: FibocomDevice): Credentials | { code: number; detail: string } {
  const trusted: X509Certificate[] = [];
  for (const [index, file] of device.files.TRUSTFILE.entries()) {
    const certs = readCertificates(file);
    if (!certs) return { code: SSL_ERROR.trustFile, detail: `TRUSTFILE #${index + 1} holds no readable PEM certificate` };
    trusted.push(...certs);
  }
  const [certFile] = device.files.CERTFILE;
  const [keyFile] = device.files.KEYFILE;
  const certs = certFile ? readCertificates(certFile) : undefined;
  if (certFile && !certs) return { code: SSL_ERROR.clientCertificate, detail: 'CERTFILE holds no readable PEM certificate' };
  const key = keyFile ? readKey(keyFile) : undefined;
  if (keyFile && !key) return { code: SSL_ERROR.clientKey, detail: 'KEYFILE holds no readable unencrypted PEM private key' };
  if (!certs || !key) return { trusted };
  const leaf = certs[0]!;
  if (!leaf.checkPrivateKey(key)) return { code: SSL_ERROR.clientKey, detail: 'KEYFILE does not belong to the CERTFILE certificate' };
  return { trusted, client: { cert: certs.map((c) => c.toString()).join(''), key, subject: leaf.subject.split('\n').join(', ') } };
}

export function registerSecurityCommands(device: FibocomDevice): void {
  const modem = device.modem;
  const onRefusal = (reason: string, line: string): void => {
    device.lastRefusal = { line, reason };
  };
  const register = (name: string, handlers: Parameters<typeof plainErrors>[0]): void => {
    modem.register(name, plainErrors(handlers, onRefusal));
  };

  // AT+GTSSLFILE=<file_type>,<file_len> (l. 69-86, l. 109-113): `> `, exactly <file_len> bytes, OK.
  register('+GTSSLFILE', {
    write: async (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      // Quoted in the examples (l. 388, l. 416), bare accepted too; the name exactly — l. 416's
      // `" CERTFILE"` with its leading space is not one of the three.
      const type = p.text(0, 16) as FileType;
      if (!FILE_TYPES.includes(type)) refuse(`<file_type> "${type}" is not CERTFILE, KEYFILE or TRUSTFILE`);
      const length = p.int(1, LIMITS.fileLength);
      if (device.files[type].length >= FILES_MAX[type]) refuse(`${type}: ${FILES_MAX[type]} already loaded, and none can be removed`);
      const input = await readCounted(ctx, length, device.timers.ms(LIMITS.inputIdleMs));
      if ('aborted' in input) {
        if (input.aborted === 'timeout') refuse(`no data for ${LIMITS.inputIdleMs / 1000} s: ODM mode left, nothing stored`);
        return undefined;
      }
      device.files[type].push(input.data);
      return undefined;
    },
    // "+GTSSLFILE: <file_type>,<file_num>" for each type (l. 87-99, l. 372-378).
    read: () => FILE_TYPES.map((type) => `+GTSSLFILE: ${type},${device.files[type].length}`),
    test: () => `+GTSSLFILE: (${FILE_TYPES.map((type) => `"${type}"`).join(',')}),(${LIMITS.fileLength.min}-${LIMITS.fileLength.max})`,
  });

  // AT+GTSSLMODE=<checkmode> 0|1 (l. 133-152).
  register('+GTSSLMODE', {
    write: (ctx) => {
      device.ssl.mode = new Params(ctx.rawArgs).expect(1, 1).int(0, range(0, 1));
    },
    read: () => `+GTSSLMODE: ${device.ssl.mode}`,
    test: () => '+GTSSLMODE: (0-1)',
  });

  // AT+GTSSLVER=<sslver> 1..4 (l. 212-233); the manual's "range 0-4" names no meaning for 0, so 0 is refused.
  const versions = Object.keys(SSL_VERSIONS).map(Number);
  register('+GTSSLVER', {
    write: (ctx) => {
      device.ssl.version = new Params(ctx.rawArgs).expect(1, 1).int(0, range(Math.min(...versions), Math.max(...versions)));
    },
    read: () => `+GTSSLVER: ${device.ssl.version}`,
    test: () => `+GTSSLVER: (${Math.min(...versions)}-${Math.max(...versions)})`,
  });

  // AT+GTSSLCIPHER=<cipalgID>,<cmd> (l. 245-278): cmd 1 loads the suite, 0 leaves it out.
  register('+GTSSLCIPHER', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      const id = p.int(0, CIPHER_ID_RANGE);
      if (p.int(1, range(0, 1)) === 1) device.ssl.ciphers.add(id);
      else device.ssl.ciphers.delete(id);
    },
    // The enabled IDs, or OK alone when none is: the module then loads its defaults (l. 249-254).
    read: () => {
      const ids = [...device.ssl.ciphers].sort((a, b) => a - b);
      return ids.length > 0 ? `+GTSSLCIPHER: ${ids.join(',')}` : undefined;
    },
    test: () => `+GTSSLCIPHER: (${CIPHER_ID_RANGE.min}-${CIPHER_ID_RANGE.max}),(0-1)`,
  });

  // AT+GTSSLERR and AT+GTSSLERR? (l. 164-168): the last connection's code, or OK alone when it had none.
  const lastError = (): string | undefined => (device.sslError !== SSL_ERROR.none ? `+GTSSLERR: ${device.sslError}` : undefined);
  register('+GTSSLERR', { exec: lastError, read: lastError });
}
