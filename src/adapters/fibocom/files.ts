/**
 * Fibocom L610 SSL files with +GTSSLFILE (seeds/004 l. 63–123; `l. n` is a line of that file):
 * `AT+GTSSLFILE=<file_type>,<file_len>`, the `>` prompt, exactly `<file_len>` bytes of Base64
 * (PEM) text, `OK`; `AT+GTSSLFILE?` counts the files of each type.
 *
 * The module only adds and counts: no delete, no replace, no read-back, one client certificate
 * (CERTFILE), one key (KEYFILE), up to 40 trust certificates (TRUSTFILE), all lost at power-down
 * (l. 121). So every check is made here, before the first byte: the data is PEM of the right
 * kind, within 4..8192 bytes, the limit is not reached, a certificate and key loaded this
 * power-up belong together — and a file identical to one loaded since the last power-up is not
 * sent again. "Verified" means the module's count went up by exactly one: it is all it tells.
 *
 * Owns: uploads, the list (what the record knows, in line with the module's counts), the refusal
 * of removals, and the reload of kept files after a restart.
 * Must never: send a command before the request is checked, split a count-check-upload-count
 * across the queue (each runs in one exclusive section), or let a key reach a trace, a result or
 * an error (it goes as prompt data, marked secret).
 */
import { createHash, createPublicKey } from 'node:crypto';
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel, AtEngine } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import { describeSecurityData, toPem, type CertType, type ParsedSecurityData } from '../../tls/certificates';
import type { StoredSecurityData, UploadRequest, UploadResult } from '../adapter';
import { optionValues } from './options';
import type { FileCounts, LoadedFile, ModuleRecord } from './state';
import { FILE_TYPE_ORDER, FILE_TYPES, GTSSLFILE, QUIET_MARGIN_MS, type FileType } from './tables';

const CERT_TYPE_OF: Readonly<Record<FileType, CertType>> = { TRUSTFILE: 'ca', CERTFILE: 'cert', KEYFILE: 'key' };
const WHAT: Readonly<Record<FileType, string>> = { TRUSTFILE: 'trust certificate', CERTFILE: 'client certificate', KEYFILE: 'client key' };

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** `+GTSSLFILE: <file_type>,<file_num>` (l. 87–99). */
const COUNT_LINE = /^\+GTSSLFILE: ?"?(CERTFILE|KEYFILE|TRUSTFILE)"?,\s*(\d+)/i;

/** Whether a recorded file is `file`: the same text, or for a key the same public key. */
function sameFile(recorded: { type: FileType; sha256: string; publicKey?: string }, file: PreparedFile): boolean {
  if (recorded.type !== file.type) return false;
  if (file.type === 'KEYFILE') return !!recorded.publicKey && recorded.publicKey === file.publicKey;
  return recorded.sha256 === file.sha256;
}

/** The PEM text the module is sent for parsed security data, and what identifies it. */
export interface PreparedFile {
  type: FileType;
  pem: Buffer;
  sha256: string;
  publicKey?: string;
  subject?: string;
  notAfter?: string;
}

/** Decides the text sent for `parsed` and checks it against the manual's limits; nothing is sent. */
export function prepareFile(certType: CertType, parsed: ParsedSecurityData, format: UploadRequest['format']): PreparedFile {
  const type = FILE_TYPES[certType];
  if (!type) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
  if ((parsed.kind === 'key') !== (certType === 'key')) {
    throw parameterError('msg.payload', `holds a ${parsed.kind === 'key' ? 'private key' : 'certificate'}, but certType is "${certType}"`);
  }
  // "any type of file loaded into module must be encoded through base64 format" (l. 121).
  if (format === 'der') throw parameterError('format', 'the Fibocom L610 takes Base64 (PEM) text only (+GTSSLFILE notes): use auto or pem — DER input is converted');
  let pem: Buffer;
  let publicKey: string;
  if (parsed.kind === 'certificate') {
    pem = Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
    publicKey = sha256(parsed.x509.publicKey.export({ format: 'der', type: 'spki' }));
  } else {
    if (parsed.algorithm !== 'rsa' && parsed.algorithm !== 'ec') {
      throw parameterError('msg.payload', `is an ${parsed.algorithm.toUpperCase()} private key; the Fibocom L610's suites (+GTSSLCIPHER) use RSA and ECDSA keys`);
    }
    if (parsed.algorithm === 'ec' && !parsed.key.asymmetricKeyDetails?.namedCurve) {
      throw parameterError('msg.payload', 'is an EC key with explicit curve parameters; load a key on a named curve such as P-256');
    }
    // The traditional forms (PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`), unencrypted: the
    // module has no password for a key. The manual's Example 5 loads a 1675-byte KEYFILE (l. 416),
    // the length of a 2048-bit RSA key in that form.
    const der = parsed.algorithm === 'rsa' ? parsed.key.export({ format: 'der', type: 'pkcs1' }) : parsed.key.export({ format: 'der', type: 'sec1' });
    pem = Buffer.from(toPem(parsed.algorithm === 'rsa' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY', der), 'latin1');
    publicKey = sha256(createPublicKey(parsed.key).export({ format: 'der', type: 'spki' }));
  }
  const { min, max } = GTSSLFILE.length;
  if (pem.length < min || pem.length > max) {
    throw parameterError('msg.payload', `is ${pem.length} bytes as PEM; the Fibocom L610 takes ${min}..${max} bytes per file (+GTSSLFILE <file_len>)`);
  }
  const about = describeSecurityData(parsed);
  return { type, pem, sha256: sha256(pem), publicKey, ...(about.subject ? { subject: about.subject } : {}), ...(about.notAfter ? { notAfter: about.notAfter } : {}) };
}

export class FibocomFiles {
  constructor(
    private readonly engine: AtEngine,
    private readonly record: ModuleRecord,
    /** Called when the counts show the module restarted: the adapter ends its connections. */
    private readonly onRestart: (why: string) => void,
  ) {}

  /** `AT+GTSSLFILE?` as counts per type; a type the module leaves out counts 0. */
  async counts(at: Pick<AtChannel, 'send'>): Promise<FileCounts> {
    const answer = await at.send({ line: readCommand('+GTSSLFILE'), responsePrefixes: ['+GTSSLFILE:'] });
    const counts: FileCounts = { CERTFILE: 0, KEYFILE: 0, TRUSTFILE: 0 };
    for (const line of answer.lines) {
      const m = COUNT_LINE.exec(line);
      if (m) counts[m[1].toUpperCase() as FileType] = Number(m[2]);
    }
    return counts;
  }

  /** Reads the counts and reconciles the record with them; a restart they reveal is handled. */
  async sync(at: AtChannel): Promise<FileCounts> {
    const counts = await this.counts(at);
    this.settleInterrupted(counts);
    if (this.record.reconcile(counts, new Date())) this.onRestart('the module restarted: it reports fewer SSL files than were loaded (they are lost at every power-down)');
    return counts;
  }

  async upload(request: UploadRequest): Promise<UploadResult> {
    // Everything is decided and checked before the first command: nothing is half-written.
    const vo = optionValues('certificates', request.vendorOptions);
    const keep = vo.keepLoaded !== false;
    const file = prepareFile(request.certType, request.parsed, request.format);
    const name = request.name.trim() === '' ? file.type : request.name.trim();
    const result = { certType: request.certType, name, bytes: file.pem.length, format: 'pem' as const };
    return this.engine.exclusive(async (at) => {
      let counts = await this.sync(at);
      // A new client certificate or key takes the place of the one a restart took.
      this.dropReplaced(file);
      const notes: string[] = [];
      if (this.record.reload.length > 0) {
        const reloaded = await this.reloadKept(at, counts);
        notes.push(...reloaded.done);
        counts = reloaded.counts;
      }
      const same = this.record.files.find((f) => f.type === file.type && !f.unknown && sameFile(f, file));
      if (same && !(request.force && file.type === 'TRUSTFILE')) {
        // Loaded since the last power-up: not sent again. Keeping it loaded is decided by the latest request.
        if (keep) same.pem = file.pem;
        else delete same.pem;
        same.name = name;
        this.record.save();
        return { ...result, verified: true, unchanged: true, warnings: notes };
      }
      this.checkRoom(file, name);
      const entry: LoadedFile = {
        type: file.type,
        name,
        // A key is known by its public key: even a fingerprint of its text is not noted.
        sha256: file.type === 'KEYFILE' ? '' : file.sha256,
        bytes: file.pem.length,
        ...(file.subject ? { subject: file.subject } : {}),
        ...(file.notAfter ? { notAfter: file.notAfter } : {}),
        ...(file.publicKey ? { publicKey: file.publicKey } : {}),
        ...(keep ? { pem: file.pem } : {}),
      };
      const sent = await this.send(at, file, counts).catch((err: unknown) => {
        this.noteInterrupted(err, entry, counts, false);
        throw err;
      });
      if (sent.stored) {
        this.record.files.push(entry);
        this.record.lost = this.record.lost.filter((f) => !sameFile(f, file));
        this.record.save();
      }
      return { ...result, verified: sent.stored, unchanged: false, warnings: [...notes, ...sent.warnings] };
    });
  }

  /**
   * A client certificate or key being loaded replaces the one a restart took: that one is not
   * loaded again, nor its pair when the public keys differ (it would not match the new one).
   */
  private dropReplaced(file: PreparedFile): void {
    if (file.type === 'TRUSTFILE') return;
    const pairType: FileType = file.type === 'CERTFILE' ? 'KEYFILE' : 'CERTFILE';
    this.record.reload = this.record.reload.filter((f) => f.type !== file.type && !(f.type === pairType && f.publicKey !== file.publicKey));
  }

  /** The limits and the pairing of certificate and key, against what the module holds now. */
  private checkRoom(file: PreparedFile, name: string): void {
    const held = this.record.files.filter((f) => f.type === file.type);
    const max = GTSSLFILE.maxFiles[file.type];
    if (held.length >= max) {
      if (file.type === 'TRUSTFILE') {
        throw parameterError('msg.payload', `the module holds ${held.length} trust certificates, the most it takes (up to ${max}, +GTSSLFILE); they cannot be removed — power-cycle the module to start again with none`);
      }
      const other = held[0];
      const which = other.unknown ? 'one loaded before this session (its content is unknown here)' : `"${other.name}"${other.subject ? ` (${other.subject})` : ''}`;
      throw parameterError('msg.payload', `the module already holds a ${WHAT[file.type]}, ${which}, and keeps only one; it cannot be deleted or replaced (+GTSSLFILE notes): power-cycle the module (every file is lost at power-down), then load "${name}" again`);
    }
    // The client certificate and key must belong together: once one is loaded, the other cannot be undone.
    const pairType: FileType | null = file.type === 'CERTFILE' ? 'KEYFILE' : file.type === 'KEYFILE' ? 'CERTFILE' : null;
    const pair = pairType ? this.record.files.find((f) => f.type === pairType && !f.unknown) : undefined;
    if (pair?.publicKey && file.publicKey && pair.publicKey !== file.publicKey) {
      throw parameterError('msg.payload', `does not belong to the ${WHAT[pair.type]} "${pair.name}" the module already holds (their public keys differ); that one cannot be replaced: power-cycle the module and load a matching pair`);
    }
  }

  /**
   * One upload — the command, its prompt and the text — then the counts read again. Stored when the
   * count of the type went up by exactly one from `before`; otherwise the module's counts are taken
   * as they are (a file it did not count is not recorded as loaded) and a warning says so.
   */
  private async send(at: AtChannel, file: PreparedFile, before: FileCounts): Promise<{ stored: boolean; warnings: string[]; counts: FileCounts }> {
    const line = buildCommand('+GTSSLFILE', [p.str('file_type', file.type), p.int('file_len', file.pem.length, GTSSLFILE.length)]);
    try {
      await at.send({
        line,
        // A prompt the text never reached (a lost link, a timeout) is left by silence: any filler would be stored as a file.
        prompt: { markers: ['>'], payload: file.pem, terminator: 'none', secret: file.type === 'KEYFILE', quietAbortMs: GTSSLFILE.idleMs + QUIET_MARGIN_MS },
        // The module waits 12 s without data before it gives up; the text itself goes at once.
        timeoutMs: GTSSLFILE.idleMs + 10000,
        secretResponse: file.type === 'KEYFILE',
      });
    } catch (err) {
      if (isModemError(err) && err.kind === 'FINAL') {
        throw new ModemError({
          kind: 'FINAL',
          vendor: 'fibocom',
          code: err.code,
          command: err.command,
          line: err.line,
          message: `${line.display}: the module answered ${err.line ?? 'ERROR'} and stored nothing — it refused the file (its type, length or the limit of each type), or got no data for 12 s after the ">" (the Fibocom SSL manual, +GTSSLFILE notes)`,
          cause: err,
        });
      }
      throw err;
    }
    const after = await this.counts(at);
    if (after[file.type] === before[file.type] + 1) return { stored: true, warnings: [], counts: after };
    // Not counted as one more: the module's own counts are the truth from here on.
    this.reconcileAfter(after);
    return {
      stored: false,
      warnings: [`${WHAT[file.type]}: the module counted ${after[file.type]} ${file.type} after the upload, ${before[file.type]} before; it is not taken as loaded — check with load-cert action list`],
      counts: after,
    };
  }

  /** An upload whose answer never came (a lost link, a timeout): the next counts tell whether it was stored. */
  private noteInterrupted(err: unknown, file: LoadedFile, before: FileCounts, reload: boolean): void {
    if (!isModemError(err) || !['LINK_DOWN', 'CLOSED', 'TIMEOUT', 'NOT_RESPONDING'].includes(err.kind)) return;
    this.record.interrupted = { file, before: before[file.type], epoch: this.record.epoch, reload };
  }

  /**
   * The counts after an interrupted upload: exactly one more file of its type, the module not
   * restarted meanwhile, and the record unchanged — the file is stored. Otherwise nothing was (a
   * kept file then waits for its reload again).
   */
  private settleInterrupted(counts: FileCounts): void {
    const pending = this.record.interrupted;
    if (!pending) return;
    this.record.interrupted = undefined;
    const { file, before, epoch, reload } = pending;
    const same = epoch === this.record.epoch && this.record.count(file.type) === before;
    if (same && counts[file.type] === before + 1) {
      this.record.files.push(file);
      this.record.lost = this.record.lost.filter((f) => f.type !== file.type || (file.type === 'KEYFILE' ? f.publicKey !== file.publicKey : f.sha256 !== file.sha256));
      this.record.reload = this.record.reload.filter((f) => f !== file);
      this.record.save();
    } else if (reload && !this.record.reload.includes(file)) {
      this.record.reload.unshift(file);
    }
  }

  private reconcileAfter(counts: FileCounts): void {
    if (this.record.reconcile(counts, new Date())) this.onRestart('the module restarted: it reports fewer SSL files than were loaded (they are lost at every power-down)');
  }

  /**
   * Kept files a restart took, loaded again (before the next connection, or another upload);
   * `counts` are the module's now. A file that cannot come back — its type is full on the module,
   * or the module refuses it — is given up with a message, and does not hold up the others.
   */
  async reloadKept(at: AtChannel, counts: FileCounts): Promise<{ done: string[]; counts: FileCounts }> {
    const done: string[] = [];
    while (this.record.reload.length > 0) {
      const file = this.record.reload.shift()!;
      const what = `${WHAT[file.type]} "${file.name}"`;
      if (counts[file.type] >= GTSSLFILE.maxFiles[file.type]) {
        done.push(`${what} was not loaded again after the module restarted: it already holds ${counts[file.type]} ${file.type}, the most it takes`);
        continue;
      }
      const prepared: PreparedFile = { type: file.type, pem: file.pem!, sha256: file.sha256, ...(file.publicKey ? { publicKey: file.publicKey } : {}) };
      let sent: Awaited<ReturnType<FibocomFiles['send']>>;
      try {
        sent = await this.send(at, prepared, counts);
      } catch (err) {
        if (isModemError(err) && (err.kind === 'LINK_DOWN' || err.kind === 'CLOSED')) {
          // Stored or not, the next counts tell (`settleInterrupted`); not stored, it waits for its reload again.
          this.noteInterrupted(err, file, counts, true);
          throw err;
        }
        this.record.lost.push(file);
        done.push(`${what} could not be loaded again after the module restarted: ${(err as Error).message}`);
        continue;
      }
      counts = sent.counts;
      if (sent.stored) {
        this.record.files.push(file);
        this.record.save();
        done.push(`${what} loaded again after the module restarted`);
      } else {
        this.record.lost.push(file);
        done.push(`${what} could not be loaded again after the module restarted: ${sent.warnings.join('; ')}`);
      }
    }
    return { done, counts };
  }

  /** What the module holds, as far as can be known: the record, in line with its counts. */
  async list(): Promise<StoredSecurityData[]> {
    return this.engine.exclusive(async (at) => {
      await this.sync(at);
      return FILE_TYPE_ORDER.flatMap((type) => this.record.files.filter((f) => f.type === type)).map((f) => ({
        certType: CERT_TYPE_OF[f.type],
        name: f.name,
        ...(f.subject ? { subject: f.subject } : {}),
        ...(f.notAfter ? { notAfter: f.notAfter } : {}),
      }));
    });
  }

  /** The module cannot delete: refused, saying what can be done instead. */
  async remove(certType: CertType): Promise<void> {
    const type = FILE_TYPES[certType];
    if (!type) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
    throw parameterError('action', `the Fibocom L610 cannot delete or replace SSL files (+GTSSLFILE adds and counts only, the Fibocom SSL manual): a ${WHAT[type]} stays until the module is powered down, when every file is lost`);
  }
}
