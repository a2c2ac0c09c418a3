/**
 * What this package knows of one Fibocom L610 between its power-ups: the files it loaded into the
 * module (the module can only count them, seeds/004 l. 87–99), the SSL settings the flows asked
 * for, and what a restart took.
 *
 * The L610 keeps nothing across a power-down — files, +GTSSLMODE, +GTSSLVER, +GTSSLCIPHER are
 * all "Persistent: No" (l. 104–105, 144–145, 223–224, 260–261; l. 121) — and it cannot delete or
 * replace a file. So the record outlives one adapter: a redeploy builds a new modem connection,
 * and the module, still powered, still holds what the last one loaded. Records are kept per
 * endpoint (the serial port or TCP address) for the life of the Node-RED process and, where a
 * state folder is given (below Node-RED's user directory), noted in a file so that a restart of
 * Node-RED itself finds them: only what identifies each file (its type, label, fingerprint, the
 * fingerprint of its public key, subject and expiry) — never a file's text, so never a key.
 *
 * Owns: the record, and reconciling it with the counts the module reports — fewer files than
 * loaded means the module restarted; more means files loaded by someone else (a raw command, an
 * earlier run of Node-RED), which are known only by their number.
 * Must never: send a command, or let a kept file's text (a private key, for KEYFILE) leave it
 * except as the payload of a reload.
 */
import { readNoted, recordOf, writeNoted } from '../noted-record';
import { FILE_TYPE_ORDER, type FileType } from './tables';

export interface LoadedFile {
  type: FileType;
  /** The name the flow gave it (the module has no names): a label in lists and messages. */
  name: string;
  /** SHA-256 of the PEM text sent: an identical file is not sent again. Empty for a key (its public key identifies it). */
  sha256: string;
  bytes: number;
  subject?: string;
  notAfter?: string;
  /** SHA-256 of the public key (SPKI) of a certificate, or of the key's public half: pairs are checked with it. */
  publicKey?: string;
  /** The PEM text, held for a reload after a restart when the upload asked to keep it loaded. */
  pem?: Buffer;
  /** Counted by the module, but loaded before this package knew it: its content is unknown. */
  unknown?: true;
}

/** The SSL settings the last tls-profile asked for, in the module's values. */
export interface WantedSettings {
  mode: number;
  version: number;
  /** Cipher algorithm IDs to enable, ascending; the others are disabled. */
  ciphers: number[];
}

export type FileCounts = Record<FileType, number>;

export class ModuleRecord {
  /** The file the record is noted in; none: memory only. */
  private readonly file: string | undefined;
  files: LoadedFile[] = [];
  /** Kept files a restart took, to load again before the next connection. */
  reload: LoadedFile[] = [];
  /** Files a restart took that were not kept: named in the error of a connection that needs them. */
  lost: LoadedFile[] = [];
  settings?: WantedSettings;
  restartedAt?: Date;
  /**
   * Counts the restarts seen (by `+SIM READY` or by the counts): an open that began before one
   * must not go on, since what it made ready is gone.
   */
  epoch = 0;
  /**
   * An upload cut off between its command and its answer (a lost link, a timeout): the module
   * stored the file when its whole text arrived, or nothing. The next counts decide — one more
   * file of its type since `before`, in the same `epoch`, is this one — so it is neither taken
   * for a file of unknown content nor sent a second time. `reload`: it was a kept file being
   * loaded again, which goes back to the reload list when it was not stored.
   */
  interrupted?: { file: LoadedFile; before: number; epoch: number; reload: boolean };

  constructor(file?: string) {
    this.file = file;
    if (file) this.files = notedFiles(file);
  }

  /** Notes what identifies the files loaded (never their text); a folder that cannot be written keeps the record in memory only. */
  save(): void {
    if (!this.file) return;
    const noted = this.files.map(({ type, name, sha256, bytes, subject, notAfter, publicKey, unknown }) => ({ type, name, sha256, bytes, subject, notAfter, publicKey, unknown }));
    // A folder that cannot be written keeps it in memory only: a restart of Node-RED then finds the files by their number.
    writeNoted(this.file, { files: noted });
  }

  count(type: FileType): number {
    return this.files.filter((f) => f.type === type).length;
  }

  counts(): FileCounts {
    return { CERTFILE: this.count('CERTFILE'), KEYFILE: this.count('KEYFILE'), TRUSTFILE: this.count('TRUSTFILE') };
  }

  /**
   * Brings the record in line with the counts the module reports. Returns true when they show a
   * restart (fewer files of some type than were loaded): every file is then gone, the kept ones
   * wait for a reload, and the settings are to be written again.
   */
  reconcile(module: FileCounts, now: Date): boolean {
    const restarted = FILE_TYPE_ORDER.some((type) => module[type] < this.count(type));
    if (restarted) this.restarted(now);
    let added = false;
    for (const type of FILE_TYPE_ORDER) {
      for (let n = this.count(type); n < module[type]; n++) {
        this.files.push({ type, name: `${type} ${n + 1} (loaded before this session)`, sha256: '', bytes: 0, unknown: true });
        added = true;
      }
    }
    if (restarted || added) this.save();
    return restarted;
  }

  /** The module lost everything (a restart seen by a URC or by its counts). */
  restarted(now: Date): void {
    for (const file of this.files) {
      if (file.unknown) continue;
      if (file.pem) this.reload.push(file);
      else this.lost.push(file);
    }
    this.files = [];
    this.restartedAt = now;
    this.epoch++;
    this.save();
  }
}

/** The files noted earlier in `file`; none when it is missing or unreadable. */
function notedFiles(file: string): LoadedFile[] {
  const noted = readNoted(file) as { files?: unknown } | null | undefined;
  if (!noted || !Array.isArray(noted.files)) return [];
  return noted.files.filter((f): f is LoadedFile => {
    const e = f as Partial<LoadedFile> | null;
    return !!e && FILE_TYPE_ORDER.includes(e.type as FileType) && typeof e.name === 'string' && typeof e.sha256 === 'string';
  }).map((f) => ({ ...f, bytes: Number(f.bytes) || 0 }));
}

/**
 * The record of the module at `endpoint`, shared by every adapter of that endpoint in this
 * process and noted below `stateDir` when given (`fibocom-<endpoint>.json`); a fresh one in
 * memory without an endpoint.
 */
export function moduleRecord(endpoint: string | undefined, stateDir?: string): ModuleRecord {
  if (!endpoint) return new ModuleRecord();
  return recordOf('fibocom', endpoint, stateDir, (file) => new ModuleRecord(file));
}
