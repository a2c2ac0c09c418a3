/**
 * XBee3 certificates and keys as files of its file system. Certificates go up with `ATFS PUT`,
 * private keys with `ATFS XPUT` (a secure, write-only file), both over YMODEM after the module's
 * "Receiving file with YMODEM..." (XBee3 Cellular User Guide, "File system", "FS PUT"; seeds/000
 * l. 31–34). Files are PEM (l. 31); DER input is converted.
 *
 * Checked before the first byte is sent, because the module reports a bad file only when a
 * connection is made (l. 29–30): a CA is one self-signed root (l. 14–15, "intermediate CAs are not
 * enough"); a client certificate is one certificate; a key is RSA, unencrypted, in PKCS#1 form —
 * an encrypted key is decrypted here with its password ("Key formats" of the guide's TLS section).
 *
 * Verification: a certificate by `ATFS HASH` (SHA-256) against what was sent; a key cannot be
 * read back or hashed, so only the size `ATFS LS` lists is compared and it is reported as not
 * verified. A certificate the module already holds identically is not sent again.
 *
 * Owns: file names and paths, the local checks, uploads, listing and removal.
 * Must never: send a byte of a file that failed a check, or write a secret anywhere but YMODEM.
 */
import { createHash, createPublicKey } from 'node:crypto';
import type { AtChannel, AtEngine } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import { checkValidity, describeSecurityData, toPem, type CertType, type ParsedSecurityData } from '../../tls/certificates';
import type { StoredSecurityData, UploadRequest, UploadResult } from '../adapter';
import { FS_ERROR, fsErrorCode, fsSpec, listSpec, parseListing, readRegister, type ListEntry } from './commands';
import { CAN, sendYmodem } from './ymodem';
import { FILES, PROFILES } from './tables';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Where a name of load-cert or of a profile is on the module. */
export interface FilePath {
  /** As a profile names it (`ca.pem`, `../ca.pem`, `/flash/ca.pem`): relative to `certs/` (l. 12–28). */
  ref: string;
  /** The absolute path `ATFS` commands take. */
  path: string;
  dir: string;
  file: string;
}

/**
 * A name as load-cert and tls-profile take it: a file name in `certs/`, `../<name>` for one in
 * `/flash`, or an absolute path under `/flash` (l. 26–28). Case does not matter to the module.
 */
export function filePath(field: string, name: unknown): FilePath {
  if (typeof name !== 'string' || name.trim() === '') throw parameterError(field, 'must be a file name (a file in certs/ on the module)');
  const ref = name.trim();
  const hint = `letters, digits, ".", "-" and "_", at most ${FILES.nameMax} characters`;
  let segments: string[];
  if (ref.startsWith('/')) {
    segments = ref.split('/').slice(1);
    if (segments[0]?.toLowerCase() !== 'flash' || segments.length < 2) throw parameterError(field, `"${ref}": an absolute path starts with /flash/ (the XBee3 TLS guide)`);
    segments = segments.slice(1);
  } else if (ref.startsWith('../')) {
    segments = ref.slice(3).split('/');
  } else {
    segments = [FILES.certDir, ...ref.split('/')];
  }
  for (const s of segments) {
    if (!FILES.namePattern.test(s) || s === '.' || s === '..') throw parameterError(field, `"${ref}": each part of a file name may hold ${hint}`);
  }
  const path = `${FILES.root}/${segments.join('/')}`;
  if (path.length > FILES.pathMax) throw parameterError(field, `"${ref}" is ${path.length} characters as a full path; the module takes at most ${FILES.pathMax}`);
  return { ref, path, dir: path.slice(0, path.lastIndexOf('/')), file: segments[segments.length - 1] };
}

/** What a file this process uploaded is, by its path in lower case: for listing and pairing. */
export interface KnownFile {
  certType: CertType;
  name: string;
  /** SHA-256 of the public key (certificate or key), to pair a client certificate with its key. */
  publicKey: string;
  subject?: string;
  notAfter?: string;
  selfSigned?: boolean;
}

/** The bytes sent for `parsed`, after every check; nothing is sent yet. */
export function prepareFile(certType: CertType, parsed: ParsedSecurityData, format: UploadRequest['format'], now: Date): { pem: Buffer; known: Omit<KnownFile, 'name'>; warnings: string[] } {
  if (format === 'der') throw parameterError('format', 'the XBee3 takes PEM files only (the XBee3 TLS guide): use auto or pem — DER input is converted');
  if ((parsed.kind === 'key') !== (certType === 'key')) {
    throw parameterError('msg.payload', `holds a ${parsed.kind === 'key' ? 'private key' : 'certificate'}, but certType is "${certType}"`);
  }
  const warnings: string[] = [];
  let pem: Buffer;
  let publicKey: string;
  if (parsed.kind === 'certificate') {
    if (parsed.chain.length > 0) {
      throw parameterError('msg.payload', certType === 'ca'
        ? `holds ${parsed.chain.length + 1} certificates; the XBee3 takes one self-signed root CA per file (the XBee3 TLS guide: intermediates are not enough) — load the root alone`
        : `holds ${parsed.chain.length + 1} certificates; the XBee3 presents one client certificate per file — load the client's own certificate alone`);
    }
    if (certType === 'ca' && !(parsed.selfSigned && parsed.x509.verify(parsed.x509.publicKey))) {
      throw parameterError('msg.payload', `"${parsed.subject}" is issued by "${parsed.issuer}", not by itself: the XBee3 verifies servers only against a self-signed root CA (the XBee3 TLS guide, intermediate CAs are not enough) — load the root of that chain`);
    }
    const validity = checkValidity(parsed, now);
    if (validity) warnings.push(validity.message);
    pem = Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
    publicKey = sha256(parsed.x509.publicKey.export({ format: 'der', type: 'spki' }));
  } else {
    if (parsed.algorithm !== 'rsa') {
      throw parameterError('msg.payload', `is an ${parsed.algorithm.toUpperCase()} private key; the XBee3 takes RSA keys in PKCS#1 form ("Key formats" of its TLS section)`);
    }
    // Unencrypted PKCS#1 (`RSA PRIVATE KEY`): the module has no password for a key.
    pem = Buffer.from(toPem('RSA PRIVATE KEY', parsed.key.export({ format: 'der', type: 'pkcs1' })), 'latin1');
    publicKey = sha256(createPublicKey(parsed.key).export({ format: 'der', type: 'spki' }));
  }
  if (pem.length > FILES.maxBytes) throw parameterError('msg.payload', `is ${pem.length} bytes as PEM; this package sends at most ${FILES.maxBytes} bytes per file`);
  const about = describeSecurityData(parsed);
  return {
    pem,
    known: { certType, publicKey, ...(about.subject ? { subject: about.subject } : {}), ...(about.notAfter ? { notAfter: about.notAfter } : {}), ...(parsed.kind === 'certificate' ? { selfSigned: parsed.selfSigned } : {}) },
    warnings,
  };
}

export class Xbee3Files {
  private readonly known = new Map<string, KnownFile>();

  constructor(
    private readonly engine: AtEngine,
    private readonly now: () => Date,
  ) {}

  /** What this process knows of the file at `path` (uploaded by it). */
  knownAt(path: string): KnownFile | undefined {
    return this.known.get(path.toLowerCase());
  }

  async upload(request: UploadRequest): Promise<UploadResult> {
    const where = filePath('name', request.name);
    const { pem, known, warnings } = prepareFile(request.certType, request.parsed, request.format, this.now());
    const secure = request.certType === 'key';
    return this.engine.exclusive(async (at) => {
      const entries = await this.ensureDir(at, where.dir);
      const existing = entries.find((e) => e.name.toLowerCase() === where.file.toLowerCase() && !e.directory);
      const base = { certType: request.certType, name: where.ref, bytes: pem.length, format: 'pem' as const };
      if (existing && !secure && !existing.secure && !request.force) {
        // The same certificate already there: nothing to write (its hash says so).
        const hash = await this.hash(at, where.path).catch(() => undefined);
        if (hash === sha256(pem)) {
          this.known.set(where.path.toLowerCase(), { ...known, name: where.ref });
          return { ...base, verified: true, unchanged: true, warnings };
        }
      }
      await this.put(at, where, pem, secure);
      this.known.set(where.path.toLowerCase(), { ...known, name: where.ref });
      if (!secure) {
        const hash = await this.hash(at, where.path);
        if (hash !== sha256(pem)) {
          throw new ModemError({ kind: 'FINAL', vendor: 'xbee3', command: `ATFS HASH ${where.path}`, message: `ATFS HASH ${where.path}: the module holds other bytes than were sent (SHA-256 ${hash ?? 'not given'}); load it again` });
        }
        return { ...base, verified: true, unchanged: false, warnings };
      }
      // A secure file can be neither read nor hashed: its listed size is all there is to compare.
      const listed = parseListing(await at.send(listSpec(where.dir))).find((e) => e.name.toLowerCase() === where.file.toLowerCase());
      if (!listed || listed.size !== pem.length) {
        throw new ModemError({ kind: 'FINAL', vendor: 'xbee3', command: `ATFS LS ${where.dir}`, message: `ATFS LS ${where.dir}: after ATFS XPUT the module lists ${listed ? `${listed.size} bytes` : 'no such file'} for "${where.file}", not the ${pem.length} sent; load it again` });
      }
      return { ...base, verified: false, unchanged: false, warnings: [...warnings, `"${where.ref}" was uploaded as a secure file (ATFS XPUT): it cannot be read back, so only its size (${pem.length} bytes) was checked`] };
    });
  }

  /** `ATFS LS` of the certificate folder: ca (named as a profile's CA), cert, or key (secure). */
  async list(): Promise<StoredSecurityData[]> {
    return this.engine.exclusive(async (at) => {
      const dir = `${FILES.root}/${FILES.certDir}`;
      const entries = await this.ensureDir(at, dir);
      const cas = new Set<string>();
      for (let id = PROFILES.ids.min; id <= PROFILES.ids.max; id++) {
        const [ca] = (await readRegister(at, `$${id}`)).split(';');
        if (ca) cas.add(ca.trim().toLowerCase());
      }
      return entries
        .filter((e) => !e.directory)
        .map((e) => {
          const known = this.knownAt(`${dir}/${e.name}`);
          const certType: CertType = known?.certType ?? (e.secure ? 'key' : cas.has(e.name.toLowerCase()) ? 'ca' : 'cert');
          return { certType, name: e.name, ...(known?.subject ? { subject: known.subject } : {}), ...(known?.notAfter ? { notAfter: known.notAfter } : {}) };
        });
    });
  }

  /** `ATFS RM <path>`. */
  async remove(_certType: CertType, name: string): Promise<void> {
    const where = filePath('name', name);
    await this.engine.exclusive(async (at) => {
      try {
        await at.send(fsSpec('RM', where.path, { field: 'name' }));
      } catch (err) {
        if (fsErrorCode(err) === 'ENOENT') throw parameterError('name', `the module has no file "${where.ref}" (${where.path})`);
        throw err;
      }
      this.known.delete(where.path.toLowerCase());
    });
  }

  /**
   * Which of `refs` (profile names) are missing on the module: listed per folder, one `ATFS LS`
   * each. A secure file counts as present.
   */
  async missing(at: AtChannel, refs: readonly FilePath[]): Promise<FilePath[]> {
    const byDir = new Map<string, ListEntry[] | null>();
    for (const ref of refs) {
      if (byDir.has(ref.dir)) continue;
      try {
        byDir.set(ref.dir, parseListing(await at.send(listSpec(ref.dir))));
      } catch (err) {
        if (fsErrorCode(err) !== 'ENOENT') throw err;
        byDir.set(ref.dir, null);
      }
    }
    return refs.filter((ref) => !byDir.get(ref.dir)?.some((e) => !e.directory && e.name.toLowerCase() === ref.file.toLowerCase()));
  }

  /** `ATFS LS <dir>`, making the folder first when the module has none (`ATFS MD`). */
  private async ensureDir(at: AtChannel, dir: string): Promise<ListEntry[]> {
    try {
      return parseListing(await at.send(listSpec(dir)));
    } catch (err) {
      if (fsErrorCode(err) !== 'ENOENT') throw err;
    }
    await at.send(fsSpec('MD', dir));
    return [];
  }

  /** `ATFS HASH <path>` → the SHA-256 in lower case; undefined when the answer holds none. */
  private async hash(at: AtChannel, path: string): Promise<string | undefined> {
    const answer = await at.send(fsSpec('HASH', path, { timeoutMs: 30000 }));
    const text = [answer.final, ...answer.lines].join(' ');
    return FILES.hashLine.exec(text)?.[1].toLowerCase();
  }

  /**
   * `ATFS PUT|XPUT <path>`, the prompt, YMODEM, then the module's `OK` (or an `E…` line). The file
   * name in YMODEM's block 0 is ignored by the module ("FS PUT"); the path of the command counts.
   */
  private async put(at: AtChannel, where: FilePath, pem: Buffer, secure: boolean): Promise<void> {
    const sub = secure ? 'XPUT' : 'PUT';
    const command = `ATFS ${sub} ${where.path}`;
    // A receiver left waiting by a pulled cable takes every byte for its blocks, and waits on as
    // long as bytes come (+++, AT): CAN CAN CAN ends it once the link is back.
    await at.send({ ...fsSpec(sub, where.path, { field: 'name' }), finals: [FS_ERROR, { pattern: FILES.putPrompt, success: true }], abortWith: Buffer.of(CAN, CAN, CAN) });
    const outcome = await at.transfer(async (io) => {
      let text: string;
      try {
        const { rest } = await sendYmodem(io, where.file, pem);
        text = rest.toString('latin1');
      } catch (err) {
        throw new ModemError({ kind: isModemError(err) ? err.kind : 'FINAL', vendor: 'xbee3', command, message: `${command}: the YMODEM transfer failed: ${(err as Error).message}`, cause: err });
      }
      // The module's answer after the transfer: one line.
      const deadline = Date.now() + 10000;
      while (!/[\r\n]/.test(text.replace(/^[\r\n]+/, ''))) {
        const left = deadline - Date.now();
        if (left <= 0) throw new ModemError({ kind: 'TIMEOUT', vendor: 'xbee3', command, message: `${command}: no answer after the transfer within 10 s` });
        text += (await io.read(left)).toString('latin1');
      }
      return text.replace(/^[\r\n]+/, '').split(/[\r\n]/)[0];
    });
    if (outcome === 'OK') return;
    const m = FILES.errorLine.exec(outcome);
    throw new ModemError({ kind: 'FINAL', vendor: 'xbee3', code: m ? outcome : undefined, command, line: outcome, message: `${command}: ${outcome}${m?.[1] === 'ENOSPC' ? ' — the file system is full: remove files the profiles no longer name (ATFS RM)' : ''}` });
  }
}
