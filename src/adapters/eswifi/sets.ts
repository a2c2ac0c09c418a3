/**
 * The eS-WiFi certificate sets (seeds/002 l. 5–19, 32–40): `PF=<set>` selects one of the three
 * sets, `PG=<set>,<type>,<length>,<bytes>` writes its root CA (type 0), certificate (1) or key (2)
 * — PEM text, the bytes right after the comma, nothing after them. The sets are one-time
 * programmable: what goes into an empty set and type stays for good (only a complete firmware
 * flash clears them, l. 19), and the same data written again is answered by a match, other data
 * by an error (l. 17). Nothing can be read back.
 *
 * So writing is the one way to verify, and a write into an empty set cannot be undone. What is
 * written where is decided here from the record (`state.ts`), before anything is sent:
 *
 * | the record of the set and type       | programOneTime false             | programOneTime true                 |
 * | ------------------------------------ | -------------------------------- | ----------------------------------- |
 * | exactly this data                    | verify (PF, PG: a match)         | verify                              |
 * | other data, known                    | refused, naming what is noted    | sent: the module's error is the answer |
 * | data of unknown content              | refused (it may not be this)     | sent: a match teaches what it holds |
 * | nothing                              | refused (it would program it)    | programmed                          |
 *
 * Every check that can be made without the module comes first: PEM or DER that parses, the
 * type asked for, a root CA that is not marked CA:FALSE, dates (refused when programming, a
 * warning when only verifying), an RSA or EC key on a named curve, at most 8192 bytes as PEM,
 * and a key that belongs to the certificate noted in its set (by public key, SPKI SHA-256) — a
 * key is never programmed into a set whose certificate is not known.
 *
 * Owns: uploads, the list (what the record knows), the refusal of removals, and forgetting a set
 * after a complete firmware flash.
 * Must never: send PG into a set and type the record does not know to hold exactly that data
 * without `programOneTime: true`, send a command before the checks pass, let a key or its hash
 * reach a trace, the record, a result or an error, or split PF and PG across sections.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { buildCommand, p } from '../../at/command';
import type { AtEngine } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';
import { toPem, type CertType, type ParsedSecurityData } from '../../tls/certificates';
import type { StoredSecurityData, UploadRequest, UploadResult } from '../adapter';
import { optionValues } from './options';
import { answerLines } from './reply';
import { ESWIFI, type Selection } from './selection';
import { sameData, type SetItem, type SetsRecord } from './state';
import { SETS, TYPE_WORDS } from './tables';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const TYPES: readonly CertType[] = ['ca', 'cert', 'key'];

/** What is sent for an upload and what identifies it; decided before anything is sent. */
export interface PreparedItem {
  set: number;
  certType: CertType;
  kind: ParsedSecurityData['kind'];
  pem: Buffer;
  /** SHA-256 of the PEM text, for a certificate only. */
  sha256?: string;
  /** SHA-256 of the public key (SPKI DER). */
  publicKey: string;
  subject?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Certificates after the first of a bundle, which are not written. */
  dropped: number;
}

/** The set a load-cert `name` names: 0..2. */
export function setOf(field: string, value: unknown): number {
  return p.int(field, typeof value === 'string' ? value.trim() : value, SETS.ids).value;
}

/**
 * Whether a certificate carries the basicConstraints extension (2.5.29.19): Node's X509Certificate
 * says `ca: false` both when it is absent and when it says CA:FALSE, and only the latter refuses
 * a root CA. Walks the DER of the certificate down to its extensions.
 */
export function hasBasicConstraints(der: Buffer): boolean {
  const tlv = (pos: number): { tag: number; start: number; end: number } | null => {
    if (pos + 2 > der.length) return null;
    const tag = der[pos];
    let length = der[pos + 1];
    let start = pos + 2;
    if (length & 0x80) {
      const octets = length & 0x7f;
      if (octets === 0 || octets > 4 || start + octets > der.length) return null;
      length = 0;
      for (let i = 0; i < octets; i++) length = length * 256 + der[start + i];
      start += octets;
    }
    const end = start + length;
    return end > der.length ? null : { tag, start, end };
  };
  const certificate = tlv(0);
  const tbs = certificate && tlv(certificate.start);
  if (!tbs || tbs.tag !== 0x30) return false;
  for (let pos = tbs.start; pos < tbs.end; ) {
    const field = tlv(pos);
    if (!field) return false;
    if (field.tag === 0xa3) {
      const list = tlv(field.start);
      if (!list) return false;
      for (let at = list.start; at < list.end; ) {
        const extension = tlv(at);
        if (!extension) return false;
        const oid = tlv(extension.start);
        if (oid && oid.tag === 0x06 && der.subarray(oid.start, oid.end).equals(Buffer.from([0x55, 0x1d, 0x13]))) return true;
        at = extension.end;
      }
      return false;
    }
    pos = field.end;
  }
  return false;
}

/** The checks that need neither the module nor the record, and the PEM text to send. */
export function prepareItem(request: Pick<UploadRequest, 'certType' | 'name' | 'parsed' | 'format'>): PreparedItem {
  const { certType, parsed } = request;
  if (!TYPES.includes(certType)) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
  const set = setOf('name', request.name);
  if ((parsed.kind === 'key') !== (certType === 'key')) {
    throw parameterError('msg.payload', `holds a ${parsed.kind === 'key' ? 'private key' : 'certificate'}, but certType is "${certType}"`);
  }
  if (request.format === 'der') {
    throw parameterError('format', 'the Inventek eS-WiFi takes PEM text in its sets (PG): use auto or pem — DER input is converted');
  }
  let pem: Buffer;
  let publicKey: string;
  let about: Pick<PreparedItem, 'subject' | 'notBefore' | 'notAfter' | 'dropped'> = { dropped: 0 };
  if (parsed.kind === 'certificate') {
    if (certType === 'ca' && !parsed.isCa && hasBasicConstraints(parsed.der)) {
      throw parameterError('msg.payload', `the certificate "${parsed.subject}" says it is not a CA (basicConstraints CA:FALSE): a set's root CA must be one — load the root the server's chain ends in`);
    }
    pem = Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
    publicKey = sha256(parsed.x509.publicKey.export({ format: 'der', type: 'spki' }));
    about = { subject: parsed.subject, notBefore: parsed.notBefore, notAfter: parsed.notAfter, dropped: parsed.chain.length };
  } else {
    if (parsed.algorithm !== 'rsa' && parsed.algorithm !== 'ec') {
      throw parameterError('msg.payload', `is an ${parsed.algorithm.toUpperCase()} private key; the Inventek eS-WiFi takes RSA and EC keys`);
    }
    if (parsed.algorithm === 'ec' && !parsed.key.asymmetricKeyDetails?.namedCurve) {
      throw parameterError('msg.payload', 'is an EC key with explicit curve parameters; load a key on a named curve such as P-256');
    }
    // Unencrypted, in the traditional forms (PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`): the
    // module has no password for a key, and these are the forms TLS stacks of modules read.
    const der = parsed.algorithm === 'rsa' ? parsed.key.export({ format: 'der', type: 'pkcs1' }) : parsed.key.export({ format: 'der', type: 'sec1' });
    pem = Buffer.from(toPem(parsed.algorithm === 'rsa' ? 'RSA PRIVATE KEY' : 'EC PRIVATE KEY', der), 'latin1');
    publicKey = sha256(createPublicKey(parsed.key).export({ format: 'der', type: 'spki' }));
  }
  if (pem.length > SETS.maxBytes) {
    throw parameterError('msg.payload', `is ${pem.length} bytes as PEM; a set of the Inventek eS-WiFi takes at most ${SETS.maxBytes} bytes per item (PG <length>)`);
  }
  return { set, certType, kind: parsed.kind, pem, ...(parsed.kind === 'certificate' ? { sha256: sha256(pem) } : {}), publicKey, ...about };
}

/** What an upload does: `verify` writes what the set is noted to hold; `program` may write it for good. */
export type Decision = 'verify' | 'program';

/** What the record notes, in words for a message: subject, expiry, when. */
function noted(item: SetItem): string {
  if (item.content === 'unknown') {
    const answer = item.answer ?? 'an error';
    return `data whose content is unknown here (${answer.startsWith('no answer') ? answer : `the module answered ${answer}`} on ${item.at})`;
  }
  const parts = [item.subject ? `"${item.subject}"` : null, item.notAfter ? `valid until ${item.notAfter}` : null, `programmed ${item.at}`].filter(Boolean);
  return parts.join(', ');
}

const FLASH_ONLY = 'only a complete firmware flash (not an update) clears the sets';
/** How a flow asks for programming: the load-cert checkbox, or the option on the message. */
const ASK = 'tick "Program one-time set" on the load-cert node (vendorOptions.programOneTime true)';

/**
 * The decision table of the header, for the record's `item` of the set and type: verify,
 * program, or a PARAMETER error saying why nothing is sent.
 */
export function decide(item: SetItem | undefined, prepared: Pick<PreparedItem, 'set' | 'certType' | 'kind' | 'sha256' | 'publicKey'>, programOneTime: boolean): Decision {
  const { set, certType } = prepared;
  const what = TYPE_WORDS[certType];
  if (item && sameData(item, prepared, prepared.kind)) return 'verify';
  if (programOneTime) return 'program';
  if (!item) {
    throw parameterError('vendorOptions.programOneTime', `set ${set} has no ${what} this package knows of; writing one programs it for good (${FLASH_ONLY}), so nothing was sent — to program it, ${ASK}`);
  }
  if (item.content === 'unknown') {
    throw parameterError('name', `set ${set} holds a ${what} this package does not know — ${noted(item)}; writing it again is only a check when it holds exactly this, so nothing was sent — to write it all the same, ${ASK} (${FLASH_ONLY})`);
  }
  throw parameterError('name', `set ${set} is programmed with another ${what} (${noted(item)}) and cannot be rewritten: ${FLASH_ONLY}; nothing was sent — load it into another set, or ${ASK} to have the module answer for itself`);
}

/**
 * A certificate and key programmed into one set must belong together: a key is checked against
 * the certificate noted in its set (and refused when none is known), a certificate against the
 * key noted there. Nothing is checked for a verification of what is noted already.
 */
export function checkPair(record: Pick<SetsRecord, 'item'>, prepared: Pick<PreparedItem, 'set' | 'certType' | 'publicKey'>): void {
  const { set, certType } = prepared;
  if (certType === 'key') {
    const cert = record.item(set, 'cert');
    if (!cert || cert.content !== 'known' || !cert.publicKey) {
      throw parameterError('msg.payload', `program the certificate of set ${set} first, so the key can be checked against it (a key in a one-time programmable set that does not belong to its certificate could never be replaced)`);
    }
    if (cert.publicKey !== prepared.publicKey) {
      throw parameterError('msg.payload', `does not belong to the certificate of set ${set}${cert.subject ? ` ("${cert.subject}")` : ''}: their public keys differ; that certificate cannot be replaced (${FLASH_ONLY})`);
    }
  }
  if (certType === 'cert') {
    const key = record.item(set, 'key');
    if (key?.content === 'known' && key.publicKey && key.publicKey !== prepared.publicKey) {
      throw parameterError('msg.payload', `does not belong to the private key programmed in set ${set}: their public keys differ; that key cannot be replaced (${FLASH_ONLY})`);
    }
  }
}

/** The certificate's dates against `now`: a problem in words, or null. */
function datesProblem(prepared: PreparedItem, now: Date): string | null {
  if (!prepared.notBefore || !prepared.notAfter) return null;
  if (now.getTime() > prepared.notAfter.getTime()) return `the certificate "${prepared.subject}" expired on ${prepared.notAfter.toISOString()}`;
  if (now.getTime() < prepared.notBefore.getTime()) return `the certificate "${prepared.subject}" is not valid before ${prepared.notBefore.toISOString()}`;
  return null;
}

export class EswifiSets {
  constructor(
    private readonly engine: AtEngine,
    private readonly record: SetsRecord,
    private readonly selection: Selection,
    private readonly now: () => Date,
  ) {}

  async upload(request: UploadRequest): Promise<UploadResult> {
    const vo = optionValues('certificates', request.vendorOptions);
    if (vo.firmwareFlashed === true) {
      throw parameterError('vendorOptions.firmwareFlashed', 'is for action remove only: it forgets what this package noted of a set after a complete firmware flash');
    }
    const programOneTime = vo.programOneTime === true;
    const prepared = prepareItem(request);
    const warnings: string[] = [];
    if (request.force) warnings.push('force has no effect here: a one-time programmable set cannot be rewritten, so the data is only ever written as it is, to program an empty set or to check it');
    if (prepared.dropped > 0) warnings.push(`only the first certificate of the ${prepared.dropped + 1} given was written: a set holds one root CA (${prepared.subject})`);
    const result = { certType: prepared.certType, name: String(prepared.set), bytes: prepared.pem.length, format: 'pem' as const };
    return this.selection.section(this.engine, async (at) => {
      // Decided inside the section: two uploads to one set never both decide on the same record.
      const before = this.record.item(prepared.set, prepared.certType);
      const decision = decide(before, prepared, programOneTime);
      if (decision === 'program') checkPair(this.record, prepared);
      const dates = datesProblem(prepared, this.now());
      if (dates && decision === 'program') throw parameterError('msg.payload', `${dates}: not programmed (a set cannot be rewritten, and the module would refuse every connection with it)`);
      if (dates) warnings.push(`${dates}; set ${prepared.set} holds it all the same`);

      await this.selection.selectSet(at, prepared.set);
      const line = buildCommand('PG', [p.int('set', prepared.set, SETS.ids), p.int('type', SETS.types[prepared.certType]), p.int('length', prepared.pem.length, { min: 1, max: SETS.maxBytes })], ESWIFI);
      let matched: boolean;
      try {
        const answer = await at.send({
          line,
          // The PEM follows the comma after <length> at once, with nothing after it (l. 36–40).
          inline: { separator: ',', payload: prepared.pem, secret: prepared.certType === 'key' },
          timeoutMs: SETS.writeTimeoutMs,
        });
        matched = answerLines(answer.lines).some((l) => SETS.matchLine.test(l.trim()));
      } catch (err) {
        throw this.refused(err, prepared, decision, before, line.display);
      }
      const item: SetItem = {
        content: 'known',
        ...(prepared.sha256 ? { sha256: prepared.sha256 } : {}),
        publicKey: prepared.publicKey,
        bytes: prepared.pem.length,
        ...(prepared.subject ? { subject: prepared.subject } : {}),
        ...(prepared.notAfter ? { notAfter: prepared.notAfter.toISOString() } : {}),
        at: decision === 'verify' && before ? before.at : this.now().toISOString(),
      };
      this.record.note(prepared.set, prepared.certType, item);
      if (decision === 'verify') return { ...result, verified: true, unchanged: true, warnings };
      if (matched) {
        warnings.push(`set ${prepared.set} already held exactly this ${TYPE_WORDS[prepared.certType]} (the module answered a match): nothing was programmed`);
        return { ...result, verified: true, unchanged: true, warnings };
      }
      return { ...result, verified: true, unchanged: false, warnings };
    });
  }

  /** What an ERROR to PG means for the record, as the error of the upload. */
  private refused(err: unknown, prepared: PreparedItem, decision: Decision, before: SetItem | undefined, command: string): unknown {
    if (!isModemError(err)) return err;
    const { set, certType } = prepared;
    const what = TYPE_WORDS[certType];
    if (err.kind !== 'FINAL') return this.unanswered(err, prepared, decision, before, command);
    const answer = err.line ?? 'ERROR';
    const mismatch = /mismatch/i.test(answer);
    let message: string;
    if (decision === 'verify') {
      // Noted as holding this very data, and the module disagrees: what it holds is unknown now.
      this.record.note(set, certType, { content: 'unknown', at: this.now().toISOString(), answer });
      message = `${command}: set ${set} was noted to hold this ${what} (${before ? noted(before) : 'noted'}), but the module answered ${answer}: it holds other data than noted. The record now marks its ${what} unknown; ${FLASH_ONLY}`;
    } else if (mismatch) {
      // The module holds another item of this type: noted as such unless the record knows which.
      if (!before || before.content !== 'known') this.record.note(set, certType, { content: 'unknown', at: this.now().toISOString(), answer });
      message = `${command}: set ${set} already holds another ${what}${before?.content === 'known' ? ` (${noted(before)})` : ''} — the module answered ${answer} and nothing changed; ${FLASH_ONLY}`;
    } else {
      message = `${command}: the module answered ${answer} and did not take the ${what} for set ${set}`;
    }
    return new ModemError({ kind: 'FINAL', vendor: 'eswifi', code: err.code, command: err.command ?? command, line: err.line, message, cause: err });
  }

  /**
   * PG got no answer (the link was lost, the answer never came, or it was garbled): its bytes may
   * have reached the module whole — then the set holds this data for good — or not at all. Where
   * that could have programmed the set (nothing, or data of unknown content, was noted), the set
   * is noted as holding data of unknown content: it is never reported programmed, and never taken
   * for empty. Writing the same data again is the safe retry — the module compares before it
   * writes: a match if it holds it, programmed if it holds nothing, an error and no change if it
   * holds anything else — and it needs programOneTime, as any write that may program does.
   */
  private unanswered(err: ModemError, prepared: PreparedItem, decision: Decision, before: SetItem | undefined, command: string): ModemError {
    const { set, certType } = prepared;
    const what = TYPE_WORDS[certType];
    const why = err.kind === 'LINK_DOWN' || err.kind === 'CLOSED' ? 'the link to the modem was lost' : err.kind === 'TIMEOUT' ? 'no answer came' : 'its answer could not be read';
    let outcome: string;
    if (decision === 'program' && before?.content !== 'known') {
      this.record.note(set, certType, { content: 'unknown', at: this.now().toISOString(), answer: `no answer to ${command} (${why})` });
      outcome = `set ${set} may now hold this ${what} for good, or nothing new: it is noted as holding a ${what} of unknown content and is not reported programmed. Load the same data again once the modem is ready, with programOneTime: the module answers a match if it holds it, programs it if it holds nothing, and changes nothing if it holds anything else`;
    } else {
      outcome = `what set ${set} holds is unchanged either way (the module compares what it holds before writing); load it again once the modem is ready to have it checked`;
    }
    return new ModemError({ kind: err.kind, vendor: 'eswifi', code: err.code, command: err.command ?? command, line: err.line, message: `${command}: ${why} while the ${what} was written (${err.message}); ${outcome}`, cause: err });
  }

  /** What the record knows of the sets: set, type, subject, expiry, when written. */
  list(): StoredSecurityData[] {
    const out: StoredSecurityData[] = [];
    this.record.sets.forEach((items, set) => {
      for (const type of TYPES) {
        const item = items[type];
        if (!item) continue;
        out.push({
          certType: type,
          name: String(set),
          ...(item.subject ? { subject: item.subject } : {}),
          ...(item.notAfter ? { notAfter: item.notAfter } : {}),
          writtenAt: item.at,
          ...(item.content === 'unknown' ? { unknownContent: true } : {}),
        });
      }
    });
    return out;
  }

  /**
   * Nothing can be erased (l. 19): refused, unless `firmwareFlashed` says a complete firmware
   * flash cleared the sets — then what was noted of this set and type is forgotten (nothing is sent).
   */
  remove(certType: CertType, name: string, vendorOptions: Record<string, unknown> | undefined): void {
    if (!TYPES.includes(certType)) throw parameterError('certType', `"${String(certType)}" is not one of ca, cert, key`);
    const set = setOf('name', name);
    const vo = optionValues('certificates', vendorOptions);
    if (vo.firmwareFlashed !== true) {
      throw parameterError('action', `the certificate sets of the Inventek eS-WiFi cannot be erased: they are one-time programmable, and ${FLASH_ONLY}. After such a flash, remove with vendorOptions.firmwareFlashed true to forget what this package noted of set ${set}`);
    }
    this.record.forget(set, certType);
  }
}
