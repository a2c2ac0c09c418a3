/**
 * u-blox security data: certificates and keys stored under free-text names with +USECMNG
 * (seeds/003, "SSL/TLS certificates and private keys manager", l. 122–393; `l. n` is a line of
 * that file) — import from the byte stream or a file, remove, list, and the MD5 of what is stored.
 *
 * Owns: what may be imported (types, names, sizes, key encodings, key sizes), idempotent
 * provisioning (an item whose MD5 already matches is not imported again), the limit of 10 imported
 * items explained from the list when the module refuses an import, and the list rows in
 * vendor-neutral words (server certificates included).
 * Must never: send a command before the request is checked, split a read-compare-import across the
 * queue (each runs in one exclusive section), or let a key, its password or a key's MD5 reach a
 * trace, a result or an error.
 */
import { buildCommand, p, type AtParam } from '../../at/command';
import type { AtChannel, AtEngine, AtResponse } from '../../at/engine';
import { isModemError, parameterError } from '../../at/errors';
import { md5, toPem, type CertType, type DataFormat, type ParsedKey } from '../../tls/certificates';
import type { RemoveRequest, StoredSecurityData, UploadRequest, UploadResult } from '../adapter';
import { optionValues } from './options';
import { LIST_TYPE, MIN_KEY_BITS, PREINSTALLED, SERVER_CERTIFICATE_TYPE, STORED_KINDS, USECMNG_LIMITS, USECMNG_TYPE } from './tables';

/** `+USECMNG: <op>,<type>,"<name>","<md5>"` (the manual's own example echoes op 1 after an op 0 import, l. 338). */
const USECMNG_MD5 = /^\+USECMNG: ?\d+,\s*\d+,\s*"[^"]*",\s*"([0-9A-Fa-f]{32})"/;

/** One row of the list (op 3, l. 203–214): the `<type>` it stands for, the name, and the certificate's CN and expiry. */
interface ListRow {
  type: number;
  name: string;
  commonName?: string;
  expires?: string;
}

export class UbloxSecurityData {
  constructor(private readonly engine: AtEngine) {}

  async upload(request: UploadRequest): Promise<UploadResult> {
    // Everything is decided and checked before the first command: nothing is half-written.
    const vo = optionValues('certificates', request.vendorOptions);
    const type = storedType(request.certType, vo.serverCertificate === true, 'vendorOptions.serverCertificate');
    const name = importName('name', request.name);
    const fromFile = vo.fromFile === undefined ? undefined : p.str('vendorOptions.fromFile', vo.fromFile, { minLength: 1, maxLength: USECMNG_LIMITS.filenameLength }).value;
    const keepEncrypted = vo.keepEncrypted === true;
    const parsed = request.parsed;
    if ((parsed.kind === 'key') !== (request.certType === 'key')) {
      throw parameterError('msg.payload', `holds a ${parsed.kind === 'key' ? 'private key' : 'certificate'}, but certType is "${request.certType}"`);
    }
    let password: AtParam = p.omit();
    let data: Buffer;
    let format: DataFormat;
    /** MD5s of the DER the module may store for what is sent (it keeps DER; PEM is converted, l. 149–150). */
    let accepted: string[];
    if (parsed.kind === 'certificate') {
      checkKeySize('msg.payload', parsed.x509.publicKey.asymmetricKeyType, parsed.x509.publicKey.asymmetricKeyDetails, 'the certificate’s public key');
      if (keepEncrypted) throw parameterError('vendorOptions.keepEncrypted', 'applies to private keys only');
      const pem = Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
      format = request.format === 'auto' ? (pem.length <= USECMNG_LIMITS.maxBytes ? 'pem' : 'der') : request.format;
      data = format === 'pem' ? pem : parsed.der;
      accepted = [md5(parsed.der)];
    } else {
      const key = keyEncoding(parsed, request.format, keepEncrypted, request.password);
      ({ data, format } = key);
      accepted = key.accepted;
      if (keepEncrypted) password = p.str('password', request.password, { minLength: 1, maxLength: USECMNG_LIMITS.passwordLength, secret: true });
    }
    if (data.length > USECMNG_LIMITS.maxBytes) {
      throw parameterError('msg.payload', `is ${data.length} bytes as ${format.toUpperCase()}; u-blox modules import at most ${USECMNG_LIMITS.maxBytes} bytes per item`);
    }
    const secret = request.certType === 'key';
    const result = {
      certType: request.certType,
      name,
      bytes: fromFile ? parsed.der.length : data.length,
      format: fromFile ? ('der' as const) : format,
      // A fingerprint identifies a certificate; of a private key it would only leak something about it.
      ...(secret ? {} : { md5: accepted[0] }),
    };
    const nameParams = [p.int('op_code', fromFile ? 1 : 0), p.int('type', type), p.str('name', name)];
    const importCommand = fromFile
      ? { line: buildCommand('+USECMNG', [...nameParams, p.str('filename', fromFile), password]) }
      : { line: buildCommand('+USECMNG', [...nameParams, p.int('data_size', data.length), password]), prompt: { markers: ['>'], payload: data, terminator: 'none' as const, secret } };

    return this.engine.exclusive(async (at) => {
      // Idempotent provisioning: op 4 gives the MD5 of what is stored under this name.
      let stored: string | null | undefined;
      if (!request.force) {
        stored = await storedMd5(at, type, name, secret);
        if (stored && accepted.includes(stored)) return { ...result, verified: true, unchanged: true, warnings: [] };
      }
      let answer: AtResponse;
      try {
        answer = await at.send({ ...importCommand, responsePrefixes: ['+USECMNG:'], timeoutMs: USECMNG_LIMITS.guardMs + 10000, secretResponse: secret });
      } catch (err) {
        // The module keeps at most 10 imported items (l. 149) and refuses more itself, keeping
        // nothing ("If any error occurs … all bytes are discarded"). Only then is the list read,
        // to say so in words a flow can act on: read before every import, its rows (the
        // pre-installed roots' too, about 0.8 KB) would add most of a small certificate's size.
        if (!stored && isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL')) await checkRoom(at, type, name);
        throw err;
      }
      const got = answer.lines.map((l) => USECMNG_MD5.exec(l)?.[1]).find(Boolean)?.toLowerCase();
      const verified = got !== undefined && accepted.includes(got);
      const warnings = got !== undefined && !verified
        ? [`${request.certType} "${name}": the MD5 the module computed differs from the one of the data sent; the item may be damaged — load it again`]
        : [];
      return { ...result, verified, unchanged: false, warnings };
    });
  }

  /** The upload's options name the item (`serverCertificate`); the others, about how data is sent, do not matter here. */
  async remove(certType: CertType, name: string, request: RemoveRequest = {}): Promise<void> {
    const vo = optionValues('certificates', request.vendorOptions);
    const type = storedType(certType, vo.serverCertificate === true, 'vendorOptions.serverCertificate');
    const stored = importName('name', name);
    await this.engine.send({ line: buildCommand('+USECMNG', [p.int('op_code', 2), p.int('type', type), p.str('name', stored)]) });
  }

  /** Op 3: `"CA","name","common name","expiry"` rows (keys have no common name or date), with the MD5 of each certificate (op 4). */
  async list(): Promise<StoredSecurityData[]> {
    return this.engine.exclusive(async (at) => {
      const out: StoredSecurityData[] = [];
      for (const row of await listRows(at)) {
        const kind = STORED_KINDS[row.type]!;
        const item: StoredSecurityData = { certType: kind.certType, name: row.name };
        if (row.commonName) item.subject = `CN=${row.commonName}`;
        const notAfter = row.expires ? listDate(row.expires) : undefined;
        if (notAfter) item.notAfter = notAfter;
        if (kind.certType !== 'key') {
          const hash = await storedMd5(at, row.type, row.name, false);
          if (hash) item.md5 = hash;
        }
        if (kind.vendorOptions) item.vendorOptions = { ...kind.vendorOptions };
        out.push(item);
      }
      return out;
    });
  }
}

/** The `<type>` of an item: its certificate type, or 3 for a server certificate (a `ca` upload with `serverCertificate`). */
function storedType(certType: CertType, serverCertificate: boolean, field: string): number {
  const type = USECMNG_TYPE[certType];
  if (type === undefined) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
  if (!serverCertificate) return type;
  if (certType !== 'ca') throw parameterError(field, `applies to certType ca only (a server certificate is trusted like a CA, not presented); certType is "${certType}"`);
  return SERVER_CERTIFICATE_TYPE;
}

/** Op 3 as rows; rows of types the manual does not allow ("VC", "PU") and unreadable lines are left out. */
async function listRows(at: AtChannel): Promise<ListRow[]> {
  const answer = await at.send({ line: buildCommand('+USECMNG', [p.int('op_code', 3)]) });
  const rows: ListRow[] = [];
  for (const line of answer.lines) {
    const fields = listFields(line.replace(/^\+USECMNG:\s*/, ''));
    const type = LIST_TYPE[(fields[0] ?? '').toUpperCase()];
    if (type === undefined || !fields[1]) continue;
    rows.push({ type, name: fields[1], ...(fields[2] ? { commonName: fields[2] } : {}), ...(fields[3] ? { expires: fields[3] } : {}) });
  }
  return rows;
}

/**
 * After the module refused an import under a name not stored yet: whether "Up to 10 certificates
 * or private keys can be imported" (l. 149) is why. The list shows the pre-installed roots too,
 * which do not count; an item of the same type and name is replaced and takes no room.
 */
async function checkRoom(at: AtChannel, type: number, name: string): Promise<void> {
  const imported = (await listRows(at)).filter((row) => !(row.type === USECMNG_TYPE.ca && row.name in PREINSTALLED));
  if (imported.some((row) => row.type === type && row.name === name)) return;
  if (imported.length < USECMNG_LIMITS.maxItems) return;
  throw parameterError('name', `the module holds ${imported.length} imported certificates and keys, the most it takes (up to ${USECMNG_LIMITS.maxItems}, +USECMNG): remove one no longer used (load-cert action list shows them, action remove deletes one), or load under a name already stored to replace it`);
}

/**
 * Op 4, or null when nothing is stored under that name: the module answers an error (4 on the
 * modules seen, which `errors.ts` explains when it reaches a flow through at-command).
 */
async function storedMd5(at: AtChannel, type: number, name: string, secret: boolean): Promise<string | null> {
  try {
    const answer = await at.send({
      line: buildCommand('+USECMNG', [p.int('op_code', 4), p.int('type', type), p.str('name', name)]),
      responsePrefixes: ['+USECMNG:'],
      secretResponse: secret,
    });
    return answer.lines.map((l) => USECMNG_MD5.exec(l)?.[1]).find(Boolean)?.toLowerCase() ?? null;
  } catch (err) {
    if (isModemError(err) && (err.kind === 'CME' || err.kind === 'FINAL')) return null;
    throw err;
  }
}

/** A name an item can be imported or removed under (l. 263–266). */
function importName(field: string, value: unknown): string {
  const name = p.str(field, typeof value === 'number' ? String(value) : value, { minLength: 1 }).value;
  if (name in PREINSTALLED) {
    throw parameterError(field, `"${name}" is a certificate pre-installed on the module; it cannot be removed or replaced (+USECMNG notes) — import yours under another name`);
  }
  const length = [...name].length;
  if (length > USECMNG_LIMITS.nameLength) {
    throw parameterError(field, `is ${length} characters long; u-blox names of imported certificates and keys are at most ${USECMNG_LIMITS.nameLength}`);
  }
  return name;
}

/**
 * How a key goes to the module. Only clean encodings are sent — PKCS#1 for RSA, SEC1 for EC,
 * re-encoded from the parsed key — so what +USECMNG refuses (PEM with extension headers such as
 * `EC PARAMETERS` or `Proc-Type`/`DEK-Info`, encrypted keys in PEM) never reaches it.
 */
function keyEncoding(parsed: ParsedKey, wanted: DataFormat | 'auto', keepEncrypted: boolean, password: string | undefined): { data: Buffer; format: DataFormat; accepted: string[] } {
  const algorithm = parsed.algorithm;
  if (algorithm !== 'rsa' && algorithm !== 'ec') {
    throw parameterError('msg.payload', `is an ${algorithm.toUpperCase()} private key; u-blox modules take RSA and ECDSA (EC) keys`);
  }
  const details = parsed.key.asymmetricKeyDetails;
  if (algorithm === 'ec' && !details?.namedCurve) {
    throw parameterError('msg.payload', 'is an EC key with explicit curve parameters (an EC PARAMETERS form); u-blox modules take keys on a named curve such as P-256');
  }
  checkKeySize('msg.payload', algorithm, details, 'the private key');
  const plain = algorithm === 'rsa'
    ? { der: parsed.key.export({ format: 'der', type: 'pkcs1' }), label: 'RSA PRIVATE KEY' }
    : { der: parsed.key.export({ format: 'der', type: 'sec1' }), label: 'EC PRIVATE KEY' };
  if (keepEncrypted) {
    // +USECMNG notes: encrypted PKCS#8 keys are imported in DER only, with their <password>.
    if (wanted === 'pem') throw parameterError('format', 'an encrypted key is imported in DER only (+USECMNG notes): use auto or der');
    if (!password) throw parameterError('password', 'vendorOptions.keepEncrypted needs the key’s password');
    const der = parsed.key.export({ format: 'der', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: password });
    return { data: der, format: 'der', accepted: [md5(der), md5(parsed.der), md5(plain.der)] };
  }
  const format: DataFormat = wanted === 'auto' ? 'pem' : wanted;
  const data = format === 'der' ? plain.der : Buffer.from(toPem(plain.label, plain.der), 'latin1');
  return { data, format, accepted: [md5(plain.der)] };
}

/** +USECMNG: RSA keys of at least 1024 bits, ECDSA keys of at least 192 bits (l. 151–154). */
function checkKeySize(field: string, algorithm: string | undefined, details: { modulusLength?: number; namedCurve?: string } | undefined, what: string): void {
  if (algorithm === 'rsa' && details?.modulusLength !== undefined && details.modulusLength < MIN_KEY_BITS.rsa) {
    throw parameterError(field, `${what} is RSA ${details.modulusLength} bits; u-blox modules need at least ${MIN_KEY_BITS.rsa}`);
  }
  if (algorithm === 'ec' && details?.namedCurve) {
    const bits = Number(/(\d{3})/.exec(details.namedCurve)?.[1] ?? 256);
    if (bits < MIN_KEY_BITS.ec) throw parameterError(field, `${what} is on curve ${details.namedCurve}; u-blox modules need at least ${MIN_KEY_BITS.ec} bits`);
  }
}

/** The fields of one +USECMNG list row: quoted or bare, separated by commas (`CA, "ThawteCA",…` in the manual too, l. 343). */
function listFields(line: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"([^"]*)"|([^,]*?))\s*(?:,|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) {
    out.push(m[1] ?? m[2] ?? '');
    if (re.lastIndex >= line.length) break;
  }
  return out;
}

/** `2020/05/30` or `2031/11/10 00:00:00` (UTC) → ISO 8601. */
function listDate(text: string): string | undefined {
  const m = /^(\d{4})\/(\d\d)\/(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0))).toISOString();
}
