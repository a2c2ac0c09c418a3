/**
 * What this package knows of the certificate sets of one eS-WiFi module, and of the profiles
 * applied to it.
 *
 * The sets are one-time programmable and cannot be read back (seeds/002 l. 17–19): the module
 * only says whether data written again matches what a set holds. So what was written into each
 * set is noted here, for good — per endpoint (the serial port or TCP address), shared by every
 * adapter of the process, and in the state folder when the modem config gives one, so a restart
 * of Node-RED still knows what the module holds. Only what identifies the data is noted: the
 * SHA-256 of a certificate's PEM text and the SHA-256 of the public key (SPKI) for a certificate
 * or a key, its subject and expiry — never a key's text nor a hash of it.
 *
 * A profile is not a setting of the module (PF and P9 are sent at each open): the P9 applied for
 * each set is noted here too, so a redeploy keeps it.
 *
 * Owns: the record and its file.
 * Must never: send a command, or hold key text, a password or the Wi-Fi passphrase.
 */
import type { CertType, ParsedSecurityData } from '../../tls/certificates';
import type { VerifyMode } from '../../tls/profile';
import { readNoted, recordOf, writeNoted } from '../noted-record';
import { SETS } from './tables';

/** What a set holds of one type, as far as this package knows. */
export interface SetItem {
  /**
   * `known`: exactly the data described here; `unknown`: the module holds data of this type in
   * the set, but not what was noted (it answered an error to the same data, or a mismatch to a
   * first write) — its content is unknown.
   */
  content: 'known' | 'unknown';
  /** SHA-256 of the PEM text written, for a certificate; never for a key. */
  sha256?: string;
  /** SHA-256 of the public key (SPKI DER): of the certificate, or of the key's public half. */
  publicKey?: string;
  bytes?: number;
  subject?: string;
  notAfter?: string;
  /** When it was written (or, for unknown content, when the module said so), ISO 8601. */
  at: string;
  /** For unknown content: what the module answered. */
  answer?: string;
}

export interface AppliedProfile {
  verify: VerifyMode;
  p9: number;
}

const TYPES: readonly CertType[] = ['ca', 'cert', 'key'];

export class SetsRecord {
  /** The file the record is noted in; none: memory only. */
  private readonly file: string | undefined;
  /** Per set 0..2, per type. */
  readonly sets: Array<Partial<Record<CertType, SetItem>>>;
  /** The P9 applied per set (tls-profile). */
  readonly profiles = new Map<number, AppliedProfile>();

  constructor(file?: string) {
    this.file = file;
    this.sets = Array.from({ length: SETS.ids.max + 1 }, () => ({}));
    if (file) this.load(readNoted(file));
  }

  item(set: number, type: CertType): SetItem | undefined {
    return this.sets[set]?.[type];
  }

  note(set: number, type: CertType, item: SetItem): void {
    this.sets[set][type] = item;
    this.save();
  }

  forget(set: number, type: CertType): void {
    delete this.sets[set][type];
    this.save();
  }

  applyProfile(set: number, applied: AppliedProfile): void {
    this.profiles.set(set, applied);
    this.save();
  }

  /** Notes the record (never key text); a folder that cannot be written keeps it in memory only. */
  private save(): void {
    if (!this.file) return;
    const sets = this.sets.map((items) => {
      const out: Partial<Record<CertType, SetItem>> = {};
      for (const type of TYPES) {
        const item = items[type];
        if (!item) continue;
        // Field by field: nothing but what identifies the data reaches the file.
        out[type] = {
          content: item.content,
          ...(item.sha256 && type !== 'key' ? { sha256: item.sha256 } : {}),
          ...(item.publicKey ? { publicKey: item.publicKey } : {}),
          ...(item.bytes !== undefined ? { bytes: item.bytes } : {}),
          ...(item.subject ? { subject: item.subject } : {}),
          ...(item.notAfter ? { notAfter: item.notAfter } : {}),
          at: item.at,
          ...(item.answer ? { answer: item.answer } : {}),
        };
      }
      return out;
    });
    writeNoted(this.file, { sets, profiles: Object.fromEntries(this.profiles) });
  }

  private load(noted: unknown): void {
    if (!noted || typeof noted !== 'object') return;
    const { sets, profiles } = noted as { sets?: unknown; profiles?: unknown };
    if (Array.isArray(sets)) {
      sets.slice(0, this.sets.length).forEach((items, set) => {
        if (!items || typeof items !== 'object') return;
        for (const type of TYPES) {
          const item = (items as Record<string, unknown>)[type] as Partial<SetItem> | undefined;
          if (!item || (item.content !== 'known' && item.content !== 'unknown') || typeof item.at !== 'string') continue;
          this.sets[set][type] = {
            content: item.content,
            at: item.at,
            ...(typeof item.sha256 === 'string' && type !== 'key' ? { sha256: item.sha256 } : {}),
            ...(typeof item.publicKey === 'string' ? { publicKey: item.publicKey } : {}),
            ...(typeof item.bytes === 'number' ? { bytes: item.bytes } : {}),
            ...(typeof item.subject === 'string' ? { subject: item.subject } : {}),
            ...(typeof item.notAfter === 'string' ? { notAfter: item.notAfter } : {}),
            ...(typeof item.answer === 'string' ? { answer: item.answer } : {}),
          };
        }
      });
    }
    if (profiles && typeof profiles === 'object') {
      for (const [key, value] of Object.entries(profiles as Record<string, unknown>)) {
        const set = Number(key);
        const p = value as Partial<AppliedProfile> | null;
        if (!Number.isInteger(set) || set < SETS.ids.min || set > SETS.ids.max || !p) continue;
        if (typeof p.p9 !== 'number' || !['none', 'server', 'mutual'].includes(String(p.verify))) continue;
        this.profiles.set(set, { verify: p.verify as VerifyMode, p9: p.p9 });
      }
    }
  }
}

/**
 * The record of the module at `endpoint`, shared by every adapter of that endpoint in this
 * process and noted below `stateDir` when given (`eswifi-<endpoint>.json`); a fresh one in
 * memory without an endpoint.
 */
export function setsRecord(endpoint: string | undefined, stateDir?: string): SetsRecord {
  if (!endpoint) return new SetsRecord();
  return recordOf('eswifi', endpoint, stateDir, (file) => new SetsRecord(file));
}

/** Whether `parsed` data is, by what identifies it, what `item` notes. */
export function sameData(item: SetItem, identity: { sha256?: string; publicKey?: string }, kind: ParsedSecurityData['kind']): boolean {
  if (item.content !== 'known') return false;
  if (kind === 'key') return !!item.publicKey && item.publicKey === identity.publicKey;
  return !!item.sha256 && item.sha256 === identity.sha256;
}
