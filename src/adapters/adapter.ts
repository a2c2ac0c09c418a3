/**
 * The vendor-neutral operations every adapter implements, and the capability model that
 * says what a vendor and platform can do.
 *
 * Nodes and the editor speak only this language; each `adapters/<vendor>/` folder
 * translates it into its AT commands. Capabilities let the runtime and the editor refuse
 * what a modem cannot do with a message naming the field and the limit, before any
 * command is sent.
 */
import type { EventEmitter } from 'node:events';
import type { AtChannel } from '../at/engine';
import type { CertType, DataFormat, ParsedSecurityData } from '../tls/certificates';
import type { TlsProfile, TlsVersionChoice, VerifyMode } from '../tls/profile';
import type { Rule } from './rules';
import type { VendorId } from './types';

export interface Range {
  min: number;
  max: number;
}

export interface Capabilities {
  vendor: VendorId;
  /** Platform the capabilities were computed for (e.g. Telit `30`), if the vendor has several. */
  platform?: string;
  label: string;
  profiles: {
    /** Accepted profile ids, as the vendor numbers them. */
    ids: Range;
    verify: readonly VerifyMode[];
    /** `always`: cannot be turned off; `optional`: can; `never`: not checked by this modem. */
    checkHostname: 'always' | 'optional' | 'never';
    checkDate: 'always' | 'optional' | 'never';
    tlsVersions: readonly TlsVersionChoice[];
    /** IANA names selectable, and how many at once (`1`: one or all, `many`: any list). */
    ciphers: readonly string[];
    cipherSelection: 'one' | 'many' | 'none';
    sni: boolean;
    /** An expected server name can be set on the profile; false: the host each connection opens is the one checked. */
    hostname: boolean;
    /**
     * A profile uses the certificates stored under its own number (eS-WiFi: a profile is a
     * certificate set), so `ca`, `cert` and `key` may be left empty; given, they must be that number.
     */
    ownCertificates?: boolean;
    alpn: boolean;
    psk: boolean;
    keyPassword: boolean;
    /** Vendor options a profile takes in `vendorOptions`: one rule row each (type, range, help, AT parameter). */
    vendorOptions: readonly Rule[];
  };
  certificates: {
    types: readonly CertType[];
    /** `slot`: a number in `slots` (Telit SSId); `name`: free text per `namePattern`; `none`: the module has no names (an optional label). */
    naming: 'slot' | 'name' | 'none';
    slots?: Range;
    namePattern?: RegExp;
    nameHint?: string;
    /** The longest name an upload may give, where it is shorter than the names a profile may use (u-blox: 30; pre-installed names up to 60). */
    nameMax?: number;
    maxBytes: number;
    /** How many items the module stores at most, all types together, when it has one such limit (u-blox: 10). */
    maxItems?: number;
    formats: readonly DataFormat[];
    /**
     * How an upload is verified: read back and compared, an MD5 or SHA-256 the module computes
     * compared, the module's count of files, the same data written again answered by a match
     * (one-time programmable storage that cannot be read), or not at all.
     */
    verification: 'read-back' | 'md5' | 'sha256' | 'count' | 'match' | 'none';
    /** One-time programmable storage: a written slot can never be rewritten. */
    oneTimeProgrammable: boolean;
    keyAlgorithms: readonly string[];
    /** Vendor options an upload takes: one rule row each. */
    vendorOptions: readonly Rule[];
  };
  sockets: {
    ids: Range;
    maxConcurrent: number;
    modes: readonly ('command' | 'online')[];
    /** Largest payload of one send command; bigger sends are split. */
    maxSendChunk: number;
    maxReceiveChunk: number;
    /** Received data arrives by URC without polling. */
    push: boolean;
    /** Vendor options tls-open takes: one rule row each. */
    openOptions: readonly Rule[];
    /** Vendor options tls-close takes: one rule row each. */
    closeOptions: readonly Rule[];
  };
}

export interface UploadRequest {
  certType: CertType;
  /** Slot or name, as the vendor calls it. */
  name: string;
  parsed: ParsedSecurityData;
  /** `auto` lets the adapter choose what the module takes best. */
  format: DataFormat | 'auto';
  /** Password of an encrypted key, when the module stores it encrypted. */
  password?: string;
  /** Write even when an identical item is already stored. */
  force?: boolean;
  /** Options of one vendor (Telit `storage: 'ram'` on platform 23). */
  vendorOptions?: Record<string, unknown>;
}

export interface UploadResult {
  certType: CertType;
  name: string;
  bytes: number;
  format: DataFormat;
  md5?: string;
  /** The stored item was read back (or hashed) and matches what was sent. */
  verified: boolean;
  /** Nothing was written: an identical item was already stored. */
  unchanged: boolean;
  /** What the flow should know about this upload (e.g. the module's MD5 differs); no secrets. */
  warnings: string[];
}

export interface StoredSecurityData {
  certType: CertType;
  name: string;
  subject?: string;
  notAfter?: string;
  md5?: string;
  /** When it was written, where only this package's record knows it (one-time programmable storage), ISO 8601. */
  writtenAt?: string;
  /** The module holds an item here whose content this package does not know (it answered a mismatch). */
  unknownContent?: boolean;
  /**
   * The vendor options that tell this item apart when its type alone does not (u-blox
   * `{ serverCertificate: true }`), as an upload takes them; a removal of it needs them too.
   */
  vendorOptions?: Record<string, unknown>;
}

export interface RemoveRequest {
  /** Options of one vendor that say which item is meant (u-blox `serverCertificate`), listed with the upload options. */
  vendorOptions?: Record<string, unknown>;
}

export interface ApplyResult {
  profile: string;
  /** The settings as the modem now has them (vendor terms, no secrets). */
  applied: Record<string, unknown>;
  warnings: string[];
  /** Commands that changed something; 0 when the modem already had this profile. */
  written: number;
}

export interface OpenRequest {
  profile: string;
  host: string;
  port: number;
  mode: 'command' | 'online';
  timeoutMs?: number;
  /** Options of one vendor (Telit `closureType`, `fastDial`, `resume`), listed in `capabilities().sockets.openOptions`. */
  vendorOptions?: Record<string, unknown>;
  /**
   * Sockets the caller opened and still holds. When the new connection needs one of them (a
   * Telit profile is its own secure socket), that one is closed first instead of refused; a
   * socket held by anyone else is still refused. Modems that number sockets themselves ignore it.
   */
  replaces?: readonly string[];
}

export interface CloseRequest {
  /** Options of one vendor (Telit `closureType` 1 keeps the session for a fast dial), listed in `capabilities().sockets.closeOptions`. */
  vendorOptions?: Record<string, unknown>;
}

export interface SocketInfo {
  socket: string;
  host: string;
  port: number;
  mode: 'command' | 'online';
  cipher?: string;
}

export interface DecodedError {
  vendor: string;
  code: string | number;
  name: string;
  meaning: string;
  category: 'certificate' | 'handshake' | 'network' | 'state' | 'parameter' | 'link' | 'modem' | 'unknown';
  hint: string;
}

/**
 * Events:
 * - `data` (socket: string, data: Buffer) — received bytes, pushed by the modem or read on its notice.
 * - `closed` (socket: string, reason: string) — the connection ended (peer, idle timeout, link).
 * - `profile` (profile: string, event: Record<string, unknown>) — news about a profile from the
 *   modem (u-blox `+UUSECPRF` session resumption), reported by the tls-profile node of that profile.
 * - `restarted` (reason: string) — the module restarted by itself while the link stayed open (its
 *   start-up line was seen): the connection brings it up again (init commands, `prepare`).
 * - `warning` (text: string) — something went wrong outside any node's operation (reading data
 *   the modem announced, the data connection at start-up); the modem-config node logs it once.
 *   A warning about an operation is returned with that operation's result instead.
 *
 * Every operation of several commands runs in one exclusive section of the engine, and the
 * operations on one socket run one after another: flows sharing a modem never interleave them.
 */
export interface ModemAdapter extends EventEmitter {
  readonly vendor: VendorId;
  capabilities(): Capabilities;
  /**
   * Runs once the modem answers, before any operation: forgets the connections of the previous
   * session, learns limits from test commands, attaches the network, sets the clock. With `at`,
   * inside the caller's exclusive section (bringing the modem up); without, in one of its own.
   */
  prepare(at?: AtChannel): Promise<void>;
  /** The link was lost: every connection is gone for the flows (`closed` for each), whatever the modem kept. */
  forgetConnections(reason: string): void;
  /** Closes every connection still open (redeploy, shutdown); never rejects. */
  closeAll(): Promise<void>;
  uploadSecurityData(request: UploadRequest): Promise<UploadResult>;
  removeSecurityData(certType: CertType, name: string, request?: RemoveRequest): Promise<void>;
  listSecurityData(): Promise<StoredSecurityData[]>;
  applyProfile(profile: TlsProfile): Promise<ApplyResult>;
  openSocket(request: OpenRequest): Promise<SocketInfo>;
  /** Sends all of `data` on an open socket, in order with the other sends on it; a socket that is not open is refused. */
  send(socket: string, data: Buffer): Promise<number>;
  /**
   * Reads up to `maxBytes` the modem holds for an open socket, waiting up to `timeoutMs` when none
   * is there yet; an empty Buffer when nothing came in time. A socket that is not open is refused.
   */
  receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer>;
  /**
   * Optional. Stops (hold = true) or resumes (false) taking the data of an open socket off the module, so that a
   * slow reader holds the data in the module (and the server's TCP window) instead of in this process. Returns
   * true when the module keeps the data meanwhile; false when it pushes data regardless (the caller must bound what
   * it buffers). Data already announced is read once the hold ends; a hold on a socket that ends is forgotten.
   */
  holdReceive?(socket: string, hold: boolean): boolean;
  closeSocket(socket: string, request?: CloseRequest): Promise<void>;
  /** The modem's own clock, against which it judges certificate dates; undefined when it cannot be read. */
  modemClock(): Promise<Date | undefined>;
  decodeError(error: { code?: string | number; line?: string; command?: string }): DecodedError;
}
