/**
 * Device and data security commands of the manual: `+USECCHIP` (chip ID), `+USECMNG` (import from
 * the byte stream or a file, remove, list, MD5 of certificates and private keys), and the minimum
 * of the file system that op code 1 imports from: `+UDWNFILE`, `+ULSTFILE`, `+UDELFILE`
 * (UBX-19047455, "File System").
 *
 * Owns: what the module accepts as a certificate or key, the DER it stores, the MD5 it reports,
 * the list rows, and the pre-installed database. Must never: give stored data back (the manual:
 * "not retrievable (i.e. cannot be downloaded from the module)"), keep part of a failed import, or
 * let a pre-installed certificate be removed or overwritten.
 *
 * Prompts: the stream import and `+UDWNFILE` print a bare `>` — no CR LF before it, as published
 * UART captures of u-blox cellular modules show (`AT+USECMNG=0,0,"root_ca",1011\r>` with echo on,
 * then the result line) — and take exactly `<data_size>` bytes.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createCertificateAuthority } from '../../pki';
import type { CommandContext } from '../../modem';
import { Params, range } from './args';
import { FAIL } from './errors';
import { key, type StoredItem, type UbloxDevice } from './state';
import { DATA_TYPES, LIMITS, PREINSTALLED, type DataType } from './tables';

export function md5(der: Buffer): string {
  return createHash('md5').update(der).digest('hex');
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

interface PemBlock {
  label: string;
  /** Header lines (`Proc-Type: 4,ENCRYPTED`) before the base64 body. */
  headers: string[];
  der: Buffer;
}

function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const lines = m[2].split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    const headers = lines.filter((line) => line.includes(':'));
    const body = lines.filter((line) => !line.includes(':')).join('');
    if (!/^[A-Za-z0-9+/=]*$/.test(body)) return [];
    blocks.push({ label: m[1], headers, der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

function isPem(bytes: Buffer): boolean {
  return bytes.toString('latin1').includes('-----BEGIN ');
}

type Accepted = Omit<StoredItem, 'type' | 'name' | 'preinstalled' | 'md5'>;

/** The certificate of an upload: "The USECMNG import command supports only X.509 certificate format". */
function acceptCertificate(bytes: Buffer): Accepted | undefined {
  let der: Buffer;
  if (isPem(bytes)) {
    const cert = pemBlocks(bytes.toString('latin1')).find((block) => block.label === 'CERTIFICATE');
    if (!cert) return undefined;
    der = cert.der;
  } else {
    der = bytes;
  }
  try {
    const x509 = new X509Certificate(der);
    // DER with trailing bytes is not one certificate.
    if (!x509.raw.equals(der)) return undefined;
    return { der, commonName: commonName(x509), notAfter: new Date(Date.parse(x509.validTo)) };
  } catch {
    return undefined;
  }
}

function commonName(x509: X509Certificate): string {
  const cn = x509.subject.split('\n').find((part) => part.startsWith('CN='));
  return cn ? cn.slice(3) : '';
}

/** PEM labels of the private keys the module reads. */
const KEY_LABELS = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

/**
 * The private key of an upload. Refused, as the manual says: "private keys in PEM format with
 * extension headers (i.e. "EC PARAMETERS")"; encrypted keys in PEM ("The PKCS1 and PKCS8 encrypted
 * private keys can be imported only in DER format"); anything that is not a readable RSA or EC key;
 * an encrypted DER key without the right `<password>`.
 */
function acceptKey(bytes: Buffer, password: string | undefined): Accepted | undefined {
  if (isPem(bytes)) {
    const blocks = pemBlocks(bytes.toString('latin1'));
    if (blocks.length !== 1) return undefined; // EC PARAMETERS + EC PRIVATE KEY, or garbage
    const [block] = blocks as [PemBlock];
    if (!KEY_LABELS.includes(block.label) || block.headers.length > 0) return undefined;
    const type = block.label === 'PRIVATE KEY' ? 'pkcs8' : block.label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'sec1';
    return readKey(block.der, type) ? { der: block.der } : undefined;
  }
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) if (readKey(bytes, type)) return { der: bytes };
  if (password !== undefined && readKey(bytes, 'pkcs8', password)) return { der: bytes, password };
  return undefined;
}

function readKey(der: Buffer, type: 'pkcs8' | 'pkcs1' | 'sec1', passphrase?: string): KeyObject | undefined {
  try {
    const k = createPrivateKey({ key: der, format: 'der', type, passphrase });
    return k.asymmetricKeyType === 'rsa' || k.asymmetricKeyType === 'ec' ? k : undefined;
  } catch {
    return undefined;
  }
}

/** The stand-ins for the pre-installed roots (see `PREINSTALLED`), EC keys so that they cost nothing. */
export function generatePreinstalled(): StoredItem[] {
  return PREINSTALLED.map(([name, cn, expires]) => {
    const notAfter = new Date(expires);
    const ca = createCertificateAuthority({ subject: { CN: cn }, keyType: 'ec', notBefore: new Date(notAfter.getTime() - 20 * 365 * 86_400_000), notAfter });
    return preinstalledItem(name, ca.certDer);
  });
}

export function preinstalledItem(name: string, cert: Buffer | string): StoredItem {
  const accepted = acceptCertificate(typeof cert === 'string' ? Buffer.from(cert, 'latin1') : cert);
  if (!accepted) throw new TypeError(`preinstalled: "${name}" is not an X.509 certificate`);
  if (name.length > LIMITS.preinstalledName) throw new RangeError(`preinstalled: "${name}" is longer than ${LIMITS.preinstalledName} characters`);
  return { type: 0, name, ...accepted, md5: md5(accepted.der), preinstalled: true };
}

/**
 * The expiration date of a list row (`"2036/07/17"` for Thawte's notAfter 2036-07-16 23:59:59Z in
 * the manual's example; AddTrust's 10:48:38Z shows as its own day): the first second after notAfter,
 * UTC — the module keeps validity as an exclusive end.
 */
function listDate(notAfter: Date): string {
  const end = new Date(notAfter.getTime() + 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${end.getUTCFullYear()}/${two(end.getUTCMonth() + 1)}/${two(end.getUTCDate())}`;
}

/** `<common_name>` and `<expiration_date>`: "applicable only for trusted root and client certificates" (+USECMNG Defined values). */
const LISTED_WITH_DETAILS: readonly DataType[] = [0, 1];

function listRow(item: StoredItem): string {
  const head = `"${DATA_TYPES[item.type]}","${item.name}"`;
  return !LISTED_WITH_DETAILS.includes(item.type) || !item.notAfter ? head : `${head},"${item.commonName ?? ''}","${listDate(item.notAfter)}"`;
}

export function registerSecurityCommands(device: UbloxDevice): void {
  const modem = device.modem;
  const types = range(0, 3);

  // "Read the module chip ID": +USECCHIP: <chip_id>, the manual's example quotes it.
  modem.register('+USECCHIP', { exec: () => `+USECCHIP: "${device.options.chipId}"` });

  /** Stores an accepted import under `<type>`,`<name>` and answers with its MD5. */
  const store = (op: number, type: DataType, name: string, bytes: Buffer, password: string | undefined): string => {
    if (bytes.length > LIMITS.dataSize) throw FAIL.notSupported();
    const accepted = type === 2 ? acceptKey(bytes, password) : acceptCertificate(bytes);
    if (!accepted) throw FAIL.notSupported();
    const item: StoredItem = { type, name, ...accepted, md5: md5(accepted.der), preinstalled: false };
    device.user.delete(key(type, name)); // "If an existing name is used the data will be overridden"; it moves to the end of the list
    device.user.set(key(type, name), item);
    return `+USECMNG: ${op},${type},"${name}","${item.md5}"`;
  };

  /** Checks made before any byte is taken: the name and room in the database. */
  const checkTarget = (type: DataType, name: string): void => {
    if (name === '') throw FAIL.badParameter();
    if (device.preinstalled.has(key(type, name))) throw FAIL.notAllowed();
    if (!device.user.has(key(type, name)) && device.user.size >= LIMITS.userEntries) throw FAIL.memoryFull();
  };

  modem.register('+USECMNG', {
    write: async (ctx: CommandContext) => {
      const p = new Params(ctx.rawArgs).expect(1, 5);
      const op = p.int(0, range(0, 4));
      switch (op) {
        case 0: {
          // AT+USECMNG=0,<type>,<internal_name>,<data_size>[,<password>]
          p.expect(4, 5);
          const type = p.int(1, types) as DataType;
          const name = p.str(2, LIMITS.name);
          const size = p.int(3, range(1, LIMITS.dataSize));
          const password = p.has(4) ? p.str(4, LIMITS.importPassword) : undefined;
          checkTarget(type, name);
          const input = await ctx.prompt({ marker: '>', length: size, timeoutMs: device.timers.ms(LIMITS.importGuardMs) });
          if (input.aborted === 'power-off') return undefined;
          // "If the data transfer is stopped before its completion … an error result code will be returned"; nothing kept.
          if (input.aborted) throw FAIL.notAllowed();
          return store(0, type, name, input.data, password);
        }
        case 1: {
          // AT+USECMNG=1,<type>,<internal_name>,<filename>[,<password>]
          p.expect(4, 5);
          const type = p.int(1, types) as DataType;
          const name = p.str(2, LIMITS.name);
          const filename = p.str(3, LIMITS.filename);
          const password = p.has(4) ? p.str(4, LIMITS.importPassword) : undefined;
          checkTarget(type, name);
          const data = device.files.get(filename);
          if (!data) throw FAIL.notSupported();
          return store(1, type, name, data, password);
        }
        case 2: {
          // AT+USECMNG=2,<type>,<internal_name>: the pre-installed "cannot be deleted/changed".
          p.expect(3, 3);
          const type = p.int(1, types) as DataType;
          const name = p.str(2, LIMITS.preinstalledName);
          if (device.preinstalled.has(key(type, name))) throw FAIL.notAllowed();
          if (!device.user.delete(key(type, name))) throw FAIL.notSupported();
          return undefined;
        }
        case 3: {
          // AT+USECMNG=3[,<type>]: one row per item, no prefix.
          p.expect(1, 2);
          const type = p.has(1) ? (p.int(1, types) as DataType) : undefined;
          const items = [...device.user.values(), ...device.preinstalled.values()];
          return items.filter((item) => type === undefined || item.type === type).map(listRow);
        }
        default: {
          // AT+USECMNG=4,<type>,<internal_name> → +USECMNG: 4,<type>,<internal_name>,<md5_string>
          p.expect(3, 3);
          const type = p.int(1, types) as DataType;
          const name = p.str(2, LIMITS.preinstalledName);
          const item = device.find(type, name);
          if (!item) throw FAIL.notSupported();
          return `+USECMNG: 4,${type},"${name}","${item.md5}"`;
        }
      }
    },
    // The manual's test answer, as printed (types 0-2; type 3 is accepted all the same).
    test: () => '+USECMNG: (0-4),(0-2)',
  });

  // UBX-19047455 +UDWNFILE=<filename>,<size>: `>`, exactly <size> bytes, OK; an existing file is replaced.
  modem.register('+UDWNFILE', {
    write: async (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 3);
      const filename = p.str(0, LIMITS.filename);
      if (filename === '') throw FAIL.badParameter();
      const size = p.int(1, range(1, 512 * 1024));
      const input = await ctx.prompt({ marker: '>', length: size, timeoutMs: device.timers.ms(LIMITS.fileGuardMs) });
      if (input.aborted === 'power-off') return undefined;
      if (input.aborted) throw FAIL.notAllowed();
      device.files.set(filename, Buffer.from(input.data));
      return undefined;
    },
  });

  // UBX-19047455 +ULSTFILE[=<op_code>[,<filename>]]: 0 list (`+ULSTFILE: "a","b"`), 1 free space, 2 size of a file.
  const list = (): string => `+ULSTFILE: ${[...device.files.keys()].map((name) => `"${name}"`).join(',')}`;
  modem.register('+ULSTFILE', {
    exec: list,
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(0, 2);
      const op = p.int(0, range(0, 2), 0);
      if (op === 0) return list();
      if (op === 1) return `+ULSTFILE: ${Math.max(0, 1_000_000 - [...device.files.values()].reduce((n, f) => n + f.length, 0))}`;
      const file = device.files.get(p.str(1, LIMITS.filename));
      if (!file) throw FAIL.notSupported();
      return `+ULSTFILE: ${file.length}`;
    },
  });

  // UBX-19047455 +UDELFILE=<filename>.
  modem.register('+UDELFILE', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 2);
      if (!device.files.delete(p.str(0, LIMITS.filename))) throw FAIL.notSupported();
    },
  });
}
