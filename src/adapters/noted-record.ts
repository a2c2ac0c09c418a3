/**
 * What an adapter notes about a module between two runs of Node-RED: one JSON file per vendor and
 * endpoint (the serial port or TCP address) in the state folder the modem config gives, and one
 * record per endpoint for the whole process — a redeploy builds a new adapter, and the module,
 * still powered, still holds what the last one did to it. Shared by the adapters whose modules
 * keep what cannot be read back (Fibocom L610 files until power-down, eS-WiFi one-time
 * programmable certificate sets for good).
 *
 * Owns: where the file is, writing it whole (a temporary file renamed over it, readable by this
 * user only), reading it back, and the process-wide map of records.
 * Must never: decide what is noted — each vendor's record chooses its fields, and no record may
 * hand it a secret (key text, a password): the file is plain JSON on disk.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file a vendor's record of `endpoint` is noted in below `stateDir`; none without a folder. */
export function notedFile(vendor: string, endpoint: string, stateDir?: string): string | undefined {
  return stateDir ? path.join(stateDir, `${vendor}-${endpoint.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`) : undefined;
}

/** What was noted in `file`: the parsed JSON, or undefined when it is missing or unreadable. */
export function readNoted(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Notes `value` in `file`, whole or not at all; false when the folder cannot be written (the
 * record then lives in memory only, and a restart of Node-RED finds nothing).
 */
export function writeNoted(file: string | undefined, value: unknown): boolean {
  if (!file) return false;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value, null, 1), { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    return false;
  }
}

const records = new Map<string, unknown>();

/**
 * The record `make` builds for `vendor`'s module at `endpoint`, made once and shared by every
 * adapter of that endpoint in this process, noted below `stateDir` when given.
 */
export function recordOf<R>(vendor: string, endpoint: string, stateDir: string | undefined, make: (file: string | undefined) => R): R {
  const file = notedFile(vendor, endpoint, stateDir);
  const key = `${vendor}|${endpoint}|${file ?? ''}`;
  let record = records.get(key) as R | undefined;
  if (record === undefined) {
    record = make(file);
    records.set(key, record);
  }
  return record;
}
