/**
 * The AT engine: one command in flight per link, a FIFO for the rest, and exclusive sections
 * for operations of several commands.
 *
 * Owns: writing commands, deciding which incoming frames answer the command in
 * flight and which are URCs, prompts and payloads, per-command timeouts, resynchronising
 * the modem after a timeout, ONLINE (transparent data) mode, and who may send while an
 * exclusive section holds the modem.
 * Must never: know a vendor (dialects describe themselves as data), write a command whose
 * parameters or payload failed validation, or produce bytes other than through
 * `encodeCommandLine` / `encodeText`. See `index.ts` for a worked example.
 */
import { EventEmitter } from 'node:events';
import type { Link } from '../link/types';
import { CTRL_Z, encodeCommandLine, encodeText, ESC, type CommandLine } from './command';
import { ModemError } from './errors';
import { parseLine, type Field } from './fields';
import { DEFAULT_MAX_LINE_LENGTH, Framer, type FrameEvent, type OnlineTerminator, type PayloadRule } from './framer';
import { LineClock } from './line-clock';

/** A final result code: a line that ends the command in flight. */
export interface FinalCode {
  /** Whole-line match. */
  pattern: RegExp;
  /** `true` resolves the command, `false` rejects it with a `ModemError`. */
  success: boolean;
  /** How the failure is classified (`FINAL` unless it is a CME/CMS style code). */
  kind?: 'FINAL' | 'CME' | 'CMS';
}

/** Final result codes every command can end with (ITU-T V.250 plus 3GPP TS 27.007 §9.2 / 27.005 §3.2.5). */
export const STANDARD_FINALS: readonly FinalCode[] = [
  { pattern: /^OK$/, success: true },
  { pattern: /^ERROR$/, success: false },
  { pattern: /^\+CME ERROR: ?(.*)$/, success: false, kind: 'CME' },
  { pattern: /^\+CMS ERROR: ?(.*)$/, success: false, kind: 'CMS' },
];

/** Extra finals of commands that open a connection (ITU-T V.250 §6.3.1, result codes). */
export const DIAL_FINALS: readonly FinalCode[] = [
  { pattern: /^CONNECT(?: .*)?$/, success: true },
  { pattern: /^NO CARRIER(?: .*)?$/, success: false },
  { pattern: /^BUSY$/, success: false },
  { pattern: /^NO ANSWER$/, success: false },
  { pattern: /^NO DIALTONE$/, success: false },
];

/** A URC the dialect knows: how to recognise it, name it and parse it. */
export interface UrcRule {
  /** Topic under which it is published, e.g. `SSLSRING`; empty for a family of codes under one pattern: the name the line carries. */
  name: string;
  /** Whole-line match for line URCs; for URCs with an inline payload use `payload`. */
  pattern: RegExp;
  /** Fields to publish; default: the generic field split of the text after `:`. */
  parse?(line: string, match: RegExpExecArray): Record<string, unknown> | Field[];
  /** The URC carries sized data (framing rule); its header must also match `pattern`. */
  payload?: PayloadRule;
  /** The URC can carry a secret (e.g. a TLS session's master secret): the line as traced and published. */
  redact?(line: string): string;
}

export interface Urc {
  name: string;
  /** Parsed fields: a list from the generic parser, or named fields from the dialect's parser. */
  fields: Record<string, unknown> | Field[];
  /** The line as received (for a URC with a payload: the header only). */
  raw: string;
  /** Sized data carried by the URC. */
  data?: Buffer;
  /** Whether a dialect rule recognised it (`false`: an unknown line that arrived while idle). */
  known: boolean;
}

export interface PromptSpec {
  /** Prompt markers; default `['>']` (a following space is accepted). */
  markers?: string[];
  /** Bytes written after the prompt. */
  payload: Buffer;
  /** `ctrl-z`: payload followed by Ctrl-Z (payload may then not contain Ctrl-Z or ESC); `none`: exact byte count. */
  terminator: 'ctrl-z' | 'none';
  /** The payload is a secret (a private key, a password): traced as a byte count only. */
  secret?: boolean;
  /** Wait this long after the prompt before writing (u-blox asks for 50 ms after `@`). */
  delayMs?: number;
  /**
   * The module gives this input up by itself after this much silence, keeping nothing of it
   * (Fibocom +GTSSLFILE and +MIPSEND: 12 s). A prompt left open by a timeout or a lost link is then
   * left by staying silent that long before the resynchronisation: a filler would be stored or
   * sent as the data.
   */
  quietAbortMs?: number;
}

export interface CommandSpec {
  line: CommandLine;
  timeoutMs?: number;
  /**
   * The command starts a transfer (XBee `ATFS PUT` and YMODEM), and these bytes end it on the
   * module's side (CAN CAN): if the link drops before the section's transfer is over, they are
   * sent when it is back, before the next command-mode entry or `AT` — which a module still
   * waiting for blocks would otherwise take as its data.
   */
  abortWith?: Buffer;
  /** Lines starting with these belong to this command even when they also match a URC rule. */
  responsePrefixes?: string[];
  /**
   * A line of the command's own name (`+MIPREAD:` for `AT+MIPREAD=…`) is a URC, never part of the
   * answer: only `responsePrefixes` are the command's. Without it such a line is taken as the
   * answer's (a read command's `+CREG:` looks like the URC). For commands whose answer has no line
   * of their name while a URC of that name may come at any time (Fibocom `+MIPREAD:` announcing
   * another socket's data during `AT+MIPREAD=`, whose answer is `+MIPDATA:`).
   */
  nameIsUrc?: boolean;
  /** Vendor finals for this command, tested before the standard ones. */
  finals?: readonly FinalCode[];
  /** A connection command: CONNECT, NO CARRIER, BUSY, NO ANSWER and NO DIALTONE also end it. */
  dial?: boolean;
  /** With `dial`: CONNECT switches the link into ONLINE data mode. */
  online?: boolean;
  prompt?: PromptSpec;
  /** Sized payloads in the response (e.g. `#SSLRECV: <n>` followed by n bytes). */
  payloads?: PayloadRule[];
  /** The response carries secrets: lines are traced redacted. */
  secretResponse?: boolean;
  /** Only `finals` end this command, not the dialect's or the standard ones (a listing that ends with an empty line). */
  finalsOnly?: boolean;
  /**
   * Bytes that follow the command line at once, without a prompt and without the terminator:
   * `<line><separator><payload>` (eS-WiFi `S3=<n>` CR and n raw bytes; `PG=…,<length>,` and the
   * bytes). The payload is exact: any byte value.
   */
  inline?: { separator: string; payload: Buffer; secret?: boolean };
  /**
   * The answer is raw bytes, not lines (eS-WiFi `R0`: CR LF, the data, CR LF `OK` CR LF `> `, the
   * data any bytes at all). Everything received after the command belongs to it; after each read
   * `end` decides from all of it whether the answer is complete (`done`), may be (`quiet`: done
   * unless another byte comes within `quietMs`), or not yet (`more`). The response holds the bytes
   * untouched as its one payload (header: the command's display form); the caller parses them.
   */
  rawReply?: { end(received: Buffer): 'more' | 'done' | 'quiet'; quietMs: number };
}

export interface AtResponse {
  /** The final result line, e.g. `OK` or `CONNECT`. */
  final: string;
  /** Information text, in order, echo removed. */
  lines: string[];
  /** Sized payloads, in order, with their header lines. */
  payloads: { header: string; data: Buffer }[];
}

export interface TraceEntry {
  dir: 'tx' | 'rx';
  kind: 'command' | 'payload' | 'line' | 'prompt' | 'data' | 'escape';
  /** Safe to log: secrets are already replaced. */
  text: string;
}

/** What the engine needs to know about a vendor's dialect. All of it is data. */
export interface DialectFraming {
  vendor: string;
  urcs?: readonly UrcRule[];
  /** Finals every command of this vendor can end with, tested before the standard ones. */
  finals?: readonly FinalCode[];
  /** The escape sequence out of ONLINE mode and the guard time around it (ITU-T V.250 S12). */
  escape?: { sequence: string; guardMs: number };
  /** Command terminator, default CR (ITU-T V.250 S3). */
  terminator?: string;
  /** The command used to check the modem is alive, default `AT`. */
  syncCommand?: string;
  /** Printed when the modem is ready for the next command (eS-WiFi `> `); never a line. */
  readyPrompt?: string;
  /**
   * A command ends at the ready prompt, not at its final line (eS-WiFi: `ERROR: <text>` is
   * followed by a `Usage: …` line before the `> `). The last final seen decides the outcome; what
   * comes between it and the prompt is not information text. Needs `readyPrompt`.
   */
  answerEndsAtReadyPrompt?: boolean;
  /** A sequence that must precede commands when the modem may be in transparent mode (XBee `+++`). */
  commandModeEntry?: { sequence: string; guardMs: number };
  /**
   * A modem whose serial port carries data except during a command-mode session (Digi XBee): a
   * session opens with `commandModeEntry` (silence, sequence, silence) answered by `entryReply`,
   * ends with `exitCommand`, and ends by itself after `idleTimeoutMs` without a command. The engine
   * opens a session for each run of commands and leaves it `lingerMs` after the last one, so
   * between runs the port is in ONLINE data mode and every byte the modem sends is `data`.
   */
  commandSession?: { entryReply: string; exitCommand: string; idleTimeoutMs: number; lingerMs?: number };
  /** Every CR ends a line, so an empty answer or the empty line ending a listing is a line of its own (see `FramerOptions.blankLines`). */
  blankLines?: boolean;
  /**
   * The longest line the dialect's manual documents, in bytes (default 4096: Telit's longest
   * answer is a #HTTPRCV read of up to 1500 bytes, u-blox's a hex +USORD of 2 × 1024 digits).
   * A longer line is noise or a wrong baud rate: it is dropped rather than held without bound.
   */
  maxLineLength?: number;
}

export interface EngineOptions {
  link: Link;
  dialect: DialectFraming;
  defaultTimeoutMs?: number;
  trace?: (entry: TraceEntry) => void;
  /** Attempts of `AT` during resynchronisation, and how long each waits for OK. */
  resync?: { attempts?: number; waitMs?: number; quietMs?: number };
  /** How long held-back ONLINE bytes (a possible split terminator) wait before delivery. */
  onlineFlushMs?: number;
  /**
   * The serial line rate, bits per second: an escape's guard time then counts from when the module
   * heard the last byte, not from when the operating system took it. None over TCP.
   */
  baudRate?: number;
}

/** What an exclusive section sends through: the same calls as the engine's, inside the section. */
export interface AtChannel {
  send(spec: CommandSpec): Promise<AtResponse>;
  /** `AT` until `OK` (see `AtEngine.sync`). */
  sync(): Promise<void>;
  /**
   * Raw bytes both ways, for a transfer protocol a command has just started (XBee `ATFS PUT` and
   * YMODEM): nothing is framed while `body` runs, and lines are framed again after it. `body` must
   * leave the modem in command mode; when it throws, the modem is resynchronised before the next command.
   */
  transfer<T>(body: (io: RawTransfer) => Promise<T>): Promise<T>;
  /**
   * With a `commandSession` dialect, ends the command-mode session now (`exitCommand`), so the
   * section can write data (`AtEngine.writeData`); nothing when the port already carries data.
   */
  leaveCommandMode(): Promise<void>;
}

/** The byte stream of a transfer protocol (see `AtChannel.transfer`). */
export interface RawTransfer {
  write(bytes: Buffer): Promise<void>;
  /**
   * The module is in (true) or has left (false) a data state the dialect's escape sequence ends
   * (u-blox direct link): if the transfer fails or the link drops meanwhile, the escape is sent
   * before the `AT` of the resynchronisation, which the module would otherwise pass on as data.
   */
  dataState(on: boolean): void;
  /** The bytes received since the last read, waiting up to `timeoutMs` for at least one; TIMEOUT after that. */
  read(timeoutMs: number): Promise<Buffer>;
}

/** The holder of an exclusive section. */
interface Owner {
  /**
   * `null` while it holds (or waits for) the modem; `released` once its body ended, after which
   * its channel sends like anyone else; an error when the link went down or the engine closed
   * under it: everything it sends after that fails with that error.
   */
  ended: null | 'released' | ModemError;
  /** Set by a command with `abortWith` until the section's transfer is over. */
  transferAbort?: Buffer;
}

interface Pending {
  kind: 'command';
  spec: CommandSpec;
  /** The encoded command line and terminator, produced before the command was queued. */
  bytes: Buffer;
  /** The exclusive section it belongs to; null for a command of its own. */
  owner: Owner | null;
  /** Only resynchronise (AT until OK); nothing else is sent. */
  syncOnly?: boolean;
  resolve(response: AtResponse): void;
  reject(err: ModemError): void;
}

/** A request for an exclusive section, waiting in the queue for its turn. */
interface Acquire {
  kind: 'acquire';
  owner: Owner;
  grant(): void;
  reject(err: ModemError): void;
}

type QueueEntry = Pending | Acquire;

interface InFlight extends Pending {
  lines: string[];
  payloads: { header: string; data: Buffer }[];
  timer?: NodeJS.Timeout;
  awaitingPrompt: boolean;
  sawResponse: boolean;
  finals: readonly FinalCode[];
  /** Line starts that make a line this command's own, even when a URC rule matches it. */
  ownPrefixes: readonly string[];
  /** The command line as its echo reads back (bytes as sent, read as latin1 like every line). */
  echo: string;
  /** With `answerEndsAtReadyPrompt`: the final seen, waiting for the ready prompt to take effect. */
  finalSeen?: { line: string; final: FinalCode };
  /** With `spec.rawReply`: the bytes of the answer so far, and the timer of a `quiet` ending. */
  raw?: { chunks: Buffer[]; quiet: NodeJS.Timeout | null };
}

export type EngineMode = 'command' | 'online' | 'closed';

/**
 * Events: `urc` (Urc), `data` (Buffer, ONLINE mode), `online` (boolean), `resync` (ok: boolean),
 * `warning` (text: something went wrong that no command's caller will hear of), `overflow` (bytes:
 * a line too long for the dialect was dropped), `closed` (reason: the engine was closed).
 */
export class AtEngine extends EventEmitter {
  private readonly link: Link;
  private readonly dialect: DialectFraming;
  private readonly framer: Framer;
  private readonly queue: QueueEntry[] = [];
  private current: InFlight | null = null;
  /** The exclusive section holding the modem: only its commands are sent meanwhile. */
  private active: Owner | null = null;
  private modeValue: EngineMode = 'command';
  private needsResync = true;
  private resyncing: { onLine(line: string): void; onBytes?(): void; abort(): void } | null = null;
  private pumping = false;
  private lastTxAt = 0;
  /** The module may still be in its data state (ONLINE, or a transfer's): escape before the next resync. */
  private escapeBeforeResync = false;
  /** A transfer body has put the module in its data state (`RawTransfer.dataState`). */
  private transferDataState = false;
  /** When what was written has crossed the line, from the link's line rate. */
  private readonly line: LineClock;
  private escaping: { resolve(): void; reject(err: ModemError): void; timer: NodeJS.Timeout } | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly defaultTimeoutMs: number;
  private readonly resyncOptions: Required<NonNullable<EngineOptions['resync']>>;
  private readonly onlineFlushMs: number;
  private readonly trace?: (entry: TraceEntry) => void;
  private readonly urcPayloadRules: PayloadRule[];
  private readonly linkListeners: Array<[string, (...args: any[]) => void]>;
  /** The command that ends a command-mode session (see `DialectFraming.commandSession`). */
  private readonly sessionExit: CommandSpec | null;
  private lingerTimer: NodeJS.Timeout | null = null;
  /** The guard time the modem was found to use (XBee `GT`), instead of the dialect's default. */
  private guardOverride: number | null = null;
  /** How long the modem keeps a command-mode session without a command (XBee `CT`), instead of the dialect's. */
  private sessionIdleOverride: number | null = null;
  /** Where received bytes go during `AtChannel.transfer`. */
  private rawSink: { chunks: Buffer[]; failed: ModemError | null; waiter: { resolve(b: Buffer): void; reject(e: ModemError): void; timer: NodeJS.Timeout } | null } | null = null;
  /** A transfer's abort bytes (`CommandSpec.abortWith`) owed to the module since the link dropped under it. */
  private transferAbort: Buffer | null = null;

  constructor(options: EngineOptions) {
    super();
    this.link = options.link;
    this.dialect = options.dialect;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
    this.trace = options.trace;
    this.resyncOptions = {
      attempts: options.resync?.attempts ?? 5,
      waitMs: options.resync?.waitMs ?? 1000,
      quietMs: options.resync?.quietMs ?? 100,
    };
    this.onlineFlushMs = options.onlineFlushMs ?? 20;
    this.line = new LineClock(options.baudRate);
    this.urcPayloadRules = (this.dialect.urcs ?? []).flatMap((u) => (u.payload ? [u.payload] : []));
    this.framer = new Framer((event) => this.onFrame(event), { maxLineLength: this.dialect.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, blankLines: this.dialect.blankLines });
    const session = this.dialect.commandSession;
    this.sessionExit = session ? { line: { text: session.exitCommand, display: session.exitCommand } } : null;
    this.framer.setRules(this.urcPayloadRules);
    this.framer.setReadyPrompt(this.dialect.readyPrompt);
    // An engine closed on this endpoint inside a prompt that gives up by itself: its silence is owed here too.
    const owed = owedQuiet.get(this.link.status.endpoint);
    owedQuiet.delete(this.link.status.endpoint);
    if (owed !== undefined && owed > Date.now()) this.strandedQuietUntil = owed;
    if (session) {
      this.modeValue = 'online';
      this.needsResync = false;
      this.framer.enterOnline(this.onlineTerminators());
    }
    this.linkListeners = [
      ['data', (chunk: Buffer) => this.onBytes(chunk)],
      ['open', () => this.onLinkOpen()],
      ['down', (reason: string) => this.onLinkDown(reason)],
    ];
    for (const [event, fn] of this.linkListeners) this.link.on(event, fn);
  }

  get mode(): EngineMode {
    return this.modeValue;
  }

  private isClosed(): boolean {
    return this.modeValue === 'closed';
  }

  get vendor(): string {
    return this.dialect.vendor;
  }

  /** Commands waiting, including the one in flight, and exclusive sections waiting or holding the modem. */
  get pendingCount(): number {
    return this.queue.length + (this.current ? 1 : 0) + (this.active ? 1 : 0);
  }

  /** Whether nothing is in flight, queued or holding the modem. */
  get idle(): boolean {
    return this.pendingCount === 0;
  }

  /**
   * Queues a command. Resolves with its response on a success final, rejects with a
   * `ModemError` on a failure final, a timeout, a lost link or a close. While an exclusive
   * section holds the modem, the command waits for it to end.
   */
  send(spec: CommandSpec): Promise<AtResponse> {
    return this.enqueue(spec, null, false);
  }

  /** Checks the modem answers (`AT` until `OK`), discarding whatever else it says. Queued like a command. */
  sync(): Promise<void> {
    return this.enqueue(this.syncSpec(), null, true).then(() => undefined);
  }

  /**
   * Runs `body` with the modem to itself: commands sent through its channel go out in order,
   * and nobody else's command is sent until `body` has settled. This is how an operation of
   * several commands — read, compare, write; set a host name, then connect — stays whole when
   * two flows share one modem. The section waits its turn in the queue like a command
   * (`priority` puts it first: bringing the modem up after a reconnect goes before anything
   * that queued meanwhile). If the link goes down or the engine closes while it holds the modem,
   * its channel fails every later command with that error, so it cannot reach a reopened link.
   *
   * `body` must only await its own commands (and short timers): the modem is idle for everyone
   * else while it waits for anything longer.
   */
  async exclusive<T>(body: (at: AtChannel) => Promise<T>, options: { priority?: boolean } = {}): Promise<T> {
    const owner: Owner = { ended: null };
    await new Promise<void>((grant, reject) => {
      const refusal = this.refuse(null);
      if (refusal) {
        reject(refusal);
        return;
      }
      const entry: Acquire = { kind: 'acquire', owner, grant, reject };
      if (options.priority) this.queue.unshift(entry);
      else this.queue.push(entry);
      this.pump();
    });
    const channel: AtChannel = {
      send: (spec) => {
        if (spec.abortWith) owner.transferAbort = Buffer.from(spec.abortWith);
        return this.enqueue(spec, owner, false);
      },
      sync: () => this.enqueue(this.syncSpec(), owner, true).then(() => undefined),
      transfer: (body) => this.transfer(owner, body),
      leaveCommandMode: async () => {
        if (this.sessionExit && this.modeValue === 'command' && !this.needsResync) await this.enqueue(this.sessionExit, owner, false);
      },
    };
    try {
      return await body(channel);
    } finally {
      if (owner.ended === null) owner.ended = 'released';
      if (this.active === owner) {
        this.active = null;
        this.pump();
      }
    }
  }

  private syncSpec(): CommandSpec {
    const sync = this.dialect.syncCommand ?? 'AT';
    return { line: { text: sync, display: sync } };
  }

  private enqueue(spec: CommandSpec, owner: Owner | null, syncOnly: boolean): Promise<AtResponse> {
    return new Promise<AtResponse>((resolve, reject) => {
      if (owner?.ended instanceof ModemError) {
        const ended = owner.ended;
        reject(new ModemError({ kind: ended.kind, vendor: this.vendor, command: spec.line.display, message: ended.message }));
        return;
      }
      const refusal = this.refuse(spec);
      if (refusal) {
        reject(refusal);
        return;
      }
      let bytes: Buffer;
      try {
        bytes = spec.inline
          ? Buffer.concat([encodeCommandLine(spec.line, spec.inline.separator), spec.inline.payload])
          : encodeCommandLine(spec.line, this.dialect.terminator ?? '\r');
      } catch (err) {
        const e = err as ModemError;
        reject(new ModemError({ kind: 'PARAMETER', vendor: this.vendor, field: e.field, command: spec.line.display, message: e.message }));
        return;
      }
      // A channel used after its section ended sends like anyone else.
      const holder = owner !== null && owner.ended === null ? owner : null;
      this.queue.push({ kind: 'command', spec, bytes, owner: holder, syncOnly, resolve, reject });
      this.pump();
    });
  }

  /**
   * The silence the modem wants around the escape or command-mode sequence, when it is not the
   * dialect's default (the adapter read it from the modem: XBee `ATGT`); null: the default again.
   */
  setGuardTime(ms: number | null): void {
    this.guardOverride = ms === null ? null : Math.max(0, Math.ceil(ms));
  }

  /** How long the modem keeps a command-mode session open without a command (XBee `CT`); null: the dialect's. */
  setSessionTimeout(ms: number | null): void {
    this.sessionIdleOverride = ms === null ? null : Math.max(0, Math.floor(ms));
  }

  /** Writes data in ONLINE mode. */
  async writeData(data: Buffer): Promise<void> {
    if (this.modeValue !== 'online' || this.escaping) {
      throw new ModemError({ kind: 'ONLINE', vendor: this.vendor, message: 'the link is not in ONLINE data mode' });
    }
    this.traceOut('data', `<${data.length} bytes>`);
    this.line.add(data.length);
    this.lastTxAt = Date.now();
    try {
      await this.link.write(data);
    } catch (err) {
      throw new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, message: `could not write ONLINE data: ${(err as Error).message}`, cause: err });
    }
    this.lastTxAt = Date.now();
  }

  /** Waits `ms`, or less when ONLINE mode ends meanwhile (`NO CARRIER`): there is nothing to escape from then. */
  private whileOnline(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.off('online', onOnline);
        resolve();
      };
      const onOnline = (online: boolean): void => {
        if (!online) done();
      };
      const timer = setTimeout(done, ms);
      this.on('online', onOnline);
    });
  }

  /** How long the modem has heard nothing from the host, in ms: since the last write, or since its last byte crossed the line. */
  private quietMs(): number {
    return Math.min(Date.now() - this.lastTxAt, this.line.quietFor());
  }

  /**
   * Leaves ONLINE mode with the escape sequence and its guard times (silence before and after).
   * The connection stays open on the modem; commands can be sent again.
   */
  async escapeOnline(timeoutMs = 5000): Promise<void> {
    if (this.modeValue !== 'online') return;
    await this.sendTransferAbort();
    const configured = this.dialect.escape ?? this.dialect.commandModeEntry ?? { sequence: '+++', guardMs: 1000 };
    const escape = { sequence: configured.sequence, guardMs: this.guardOverride ?? configured.guardMs };
    // Data written during the wait restarts the silence the modem needs before the sequence.
    let wait = escape.guardMs - this.quietMs();
    while (wait > 0 && this.modeValue === 'online') {
      await this.whileOnline(wait);
      wait = escape.guardMs - this.quietMs();
    }
    if (this.modeValue !== 'online') return; // the connection ended meanwhile
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.escaping = null;
        // Still ONLINE: an `OK` in later data is data again.
        this.framer.setOnlineTerminators(this.onlineTerminators());
        this.framer.flushHeld();
        reject(new ModemError({ kind: 'TIMEOUT', vendor: this.vendor, command: escape.sequence, message: `no OK after the escape sequence ${escape.sequence} within ${timeoutMs} ms` }));
      }, timeoutMs + escape.guardMs);
      this.escaping = { resolve, reject, timer };
    });
    // Observed at once: if the write below fails, nobody awaits `done`, and a link drop would reject it.
    done.catch(() => undefined);
    this.framer.setOnlineTerminators(this.escapeTerminators());
    this.traceOut('escape', escape.sequence);
    try {
      await this.link.write(encodeText('escape sequence', escape.sequence));
    } catch (err) {
      // Nothing reached the modem: still ONLINE, no escape pending.
      if (this.escaping) {
        clearTimeout(this.escaping.timer);
        this.escaping = null;
        this.framer.setOnlineTerminators(this.onlineTerminators());
      }
      throw new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, command: escape.sequence, message: `could not write the escape sequence ${escape.sequence}: ${(err as Error).message}`, cause: err });
    }
    this.lastTxAt = Date.now();
    await done;
  }

  /**
   * What ends ONLINE data: a `NO CARRIER` line — also with the detail some modules add (Telit
   * `NO CARRIER: <SSId>[,<cause>]`) — or nothing for a modem whose data mode is a session's absence.
   */
  private onlineTerminators(): (string | OnlineTerminator)[] {
    // The module falls silent after it: the same line with the connection's data going on behind it was data.
    return this.dialect.commandSession ? [] : [{ bytes: 'NO CARRIER', linePrefix: true, atEndOfRead: true }];
  }

  /** …and while the escape sequence waits for its answer. */
  private escapeTerminators(): (string | OnlineTerminator)[] {
    const session = this.dialect.commandSession;
    return session ? [{ bytes: session.entryReply, atEndOfRead: true }] : [...this.onlineTerminators(), 'OK'];
  }

  /**
   * Stops the engine: the command in flight and every queued command are rejected with
   * `CLOSED`, timers are cleared, the link's listeners are removed. The link itself is not closed.
   */
  close(reason = 'the modem connection is closing'): void {
    if (this.modeValue === 'closed') return;
    this.modeValue = 'closed';
    for (const [event, fn] of this.linkListeners) this.link.off(event, fn);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.stopLinger();
    this.failAll(new ModemError({ kind: 'CLOSED', vendor: this.vendor, message: reason }));
    if (this.strandedQuietUntil > Date.now()) owedQuiet.set(this.link.status.endpoint, this.strandedQuietUntil);
    // Adapters waiting for a URC (an outcome announced after OK) stop waiting.
    this.emit('closed', reason);
  }

  // ---------------------------------------------------------------- queue

  /** Why a command (or, with `null`, an exclusive section) cannot even be queued; null when it can. */
  private refuse(spec: CommandSpec | null): ModemError | null {
    if (this.modeValue === 'closed') {
      return new ModemError({ kind: 'CLOSED', vendor: this.vendor, command: spec?.line.display, message: 'the modem connection is closed' });
    }
    if (!this.link.isOpen) {
      return this.linkDownError(spec?.line.display);
    }
    if (spec?.prompt?.terminator === 'ctrl-z') {
      const bad = spec.prompt.payload.findIndex((b) => b === CTRL_Z || b === ESC);
      if (bad >= 0) {
        return new ModemError({
          kind: 'PARAMETER',
          vendor: this.vendor,
          field: 'payload',
          command: spec.line.display,
          message: `payload: contains ${spec.prompt.payload[bad] === CTRL_Z ? 'Ctrl-Z' : 'ESC'} at byte ${bad}, which would end the transfer early; send it by exact size instead`,
        });
      }
    }
    return null;
  }

  private linkDownError(command?: string): ModemError {
    const s = this.link.status;
    return new ModemError({
      kind: 'LINK_DOWN',
      vendor: this.vendor,
      command,
      message: `modem link ${s.endpoint} is not open (${s.state}${s.reason ? `: ${s.reason}` : ''})`,
    });
  }

  /** The queue entry that may go next: the holder's next command while a section holds the modem, else the oldest. */
  private nextIndex(): number {
    if (this.active) return this.queue.findIndex((e) => e.kind === 'command' && e.owner === this.active);
    return this.queue.length > 0 ? 0 : -1;
  }

  private pump(): void {
    if (this.pumping || this.current || this.modeValue === 'closed') return;
    const index = this.nextIndex();
    if (index < 0) {
      this.scheduleLinger();
      return;
    }
    this.stopLinger();
    const next = this.queue[index];
    if (next.kind === 'acquire') {
      this.queue.splice(index, 1);
      this.active = next.owner;
      next.grant();
      return;
    }
    if (this.modeValue === 'online' && this.dialect.commandSession && !this.escaping) {
      this.openSession();
      return;
    }
    if (this.modeValue === 'online') {
      this.queue.splice(index, 1);
      next.reject(new ModemError({
        kind: 'ONLINE',
        vendor: this.vendor,
        command: next.spec.line.display,
        message: 'the link is in ONLINE data mode; leave it (escape sequence) before sending commands',
      }));
      this.pump();
      return;
    }
    if (!this.link.isOpen) {
      this.failAll(this.linkDownError());
      return;
    }
    this.pumping = true;
    const take = (): boolean => {
      // A link failure or close may have emptied the queue meanwhile (and rejected `next`).
      const at = this.queue.indexOf(next);
      if (at < 0) return false;
      this.queue.splice(at, 1);
      return true;
    };
    const run = async (): Promise<void> => {
      if (this.needsResync || next.syncOnly) {
        try {
          // In a session known to be open, `+++` would only garble the `AT` after it.
          await this.resync(!this.needsResync && this.dialect.commandSession !== undefined);
        } catch (err) {
          if (take()) next.reject(err as ModemError);
          return;
        }
        if (next.syncOnly) {
          if (take()) next.resolve({ final: 'OK', lines: [], payloads: [] });
          return;
        }
      }
      await this.renewSession();
      if (this.modeValue === 'closed' || !take()) return;
      if (this.modeValue === 'online') {
        // The session could not be opened again: the command would go out as data.
        next.reject(new ModemError({ kind: 'ONLINE', vendor: this.vendor, command: next.spec.line.display, message: 'the modem did not enter command mode' }));
        return;
      }
      this.dispatch(next);
    };
    run()
      .catch((err) => this.emit('internal-error', err))
      .finally(() => {
        this.pumping = false;
        this.pump();
      });
  }

  // ---------------------------------------------------------------- command-mode sessions

  /** A run of commands for a `commandSession` modem: silence, the entry sequence, silence, its reply. */
  private openSession(): void {
    this.pumping = true;
    this.escapeOnline()
      .catch((err: ModemError) => {
        if (this.isClosed() || !this.link.isOpen) return;
        // No reply: maybe in command mode already, maybe not listening. AT until OK decides.
        this.emit('warning', `could not enter command mode: ${err.message}`);
        this.framer.reset();
        if (this.modeValue === 'online') {
          this.modeValue = 'command';
          this.emit('online', false);
        }
        this.needsResync = true;
      })
      .finally(() => {
        this.pumping = false;
        this.pump();
      });
  }

  /**
   * The modem leaves a session by itself after `idleTimeoutMs` without a command: a command due
   * near that end waits until the session surely ended and opens a new one, so it never goes out
   * as data.
   */
  private async renewSession(): Promise<void> {
    const session = this.dialect.commandSession;
    if (!session || this.modeValue !== 'command' || this.needsResync) return;
    const idleTimeoutMs = this.sessionIdleOverride ?? session.idleTimeoutMs;
    const margin = Math.min(SESSION_MARGIN_MS, idleTimeoutMs / 4);
    const idle = Date.now() - this.lastTxAt;
    if (idle < idleTimeoutMs - margin) return;
    await delay(Math.max(0, idleTimeoutMs + margin - idle));
    if (this.modeValue !== 'command') return;
    this.enterOnline();
    await this.escapeOnline().catch(() => undefined);
  }

  private scheduleLinger(): void {
    const session = this.dialect.commandSession;
    if (!session || this.lingerTimer || this.active || this.modeValue !== 'command' || this.needsResync || !this.link.isOpen) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      if (this.active || this.current || this.pumping || this.queue.length > 0 || this.modeValue !== 'command' || this.needsResync) return;
      this.enqueue(this.sessionExit!, null, false).catch(() => undefined);
    }, session.lingerMs ?? DEFAULT_LINGER_MS);
    this.lingerTimer.unref?.();
  }

  private stopLinger(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }

  // ---------------------------------------------------------------- transfers

  private async transfer<T>(owner: Owner, body: (io: RawTransfer) => Promise<T>): Promise<T> {
    if (owner.ended instanceof ModemError) throw owner.ended;
    if (this.active !== owner || this.current || this.modeValue !== 'command') {
      throw new ModemError({ kind: 'UNSUPPORTED', vendor: this.vendor, message: 'a transfer needs the modem in command mode, inside its own section' });
    }
    const sink: NonNullable<AtEngine['rawSink']> = { chunks: [], failed: null, waiter: null };
    this.rawSink = sink;
    this.framer.enterOnline([]);
    // A byte the modem sent right after its answer (YMODEM's `C`) is held as a partial line: it is data.
    this.framer.flushHeld();
    const io: RawTransfer = {
      write: async (bytes) => {
        if (sink.failed) throw sink.failed;
        this.traceOut('payload', `<${bytes.length} bytes>`);
        this.line.add(bytes.length);
        this.lastTxAt = Date.now();
        try {
          await this.link.write(bytes);
        } catch (err) {
          throw new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, message: `could not write during a transfer: ${(err as Error).message}`, cause: err });
        }
        this.lastTxAt = Date.now();
      },
      dataState: (on) => {
        this.transferDataState = on;
      },

      read: (timeoutMs) => new Promise<Buffer>((resolve, reject) => {
        if (sink.failed) return reject(sink.failed);
        if (sink.chunks.length > 0) return resolve(takeAll(sink.chunks));
        const timer = setTimeout(() => {
          sink.waiter = null;
          reject(new ModemError({ kind: 'TIMEOUT', vendor: this.vendor, message: `the modem sent nothing for ${timeoutMs} ms during a transfer` }));
        }, timeoutMs);
        sink.waiter = { resolve, reject, timer };
      }),
    };
    let ok = false;
    try {
      const result = await body(io);
      ok = true;
      return result;
    } finally {
      owner.transferAbort = undefined;
      if (sink.waiter) clearTimeout(sink.waiter.timer);
      if (this.rawSink === sink) this.rawSink = null;
      if (!this.isClosed()) {
        this.framer.reset();
        if (!ok) this.needsResync = true;
        if (!ok && this.transferDataState) this.escapeBeforeResync = true;
      }
      this.transferDataState = false;
    }
  }

  /** Ends, on the module's side, a transfer the link dropped under (see `CommandSpec.abortWith`). */
  private async sendTransferAbort(): Promise<void> {
    const bytes = this.transferAbort;
    if (!bytes || !this.link.isOpen) return;
    this.transferAbort = null;
    this.traceOut('escape', `<end of an interrupted transfer, ${bytes.length} bytes>`);
    await this.link.write(bytes).catch(() => undefined);
    this.lastTxAt = Date.now();
  }

  private toSink(data: Buffer): void {
    const sink = this.rawSink!;
    this.traceIn('payload', `<${data.length} bytes>`);
    if (sink.waiter) {
      const { resolve, timer } = sink.waiter;
      sink.waiter = null;
      clearTimeout(timer);
      resolve(data);
    } else {
      sink.chunks.push(data);
    }
  }

  private dispatch(pending: Pending): void {
    const { spec } = pending;
    const finals = spec.finalsOnly ? [...(spec.finals ?? [])] : [...(spec.finals ?? []), ...(this.dialect.finals ?? []), ...STANDARD_FINALS, ...(spec.dial ? DIAL_FINALS : [])];
    // Each field by name: with V8 as in Node.js 20, a literal that spreads `pending` and then adds
    // fields takes some 10 µs a command (a slow path for every added field), more than the engine's
    // whole work for an `AT` round trip; named fields take a few nanoseconds.
    const flight: InFlight = {
      kind: pending.kind,
      spec,
      bytes: pending.bytes,
      owner: pending.owner,
      syncOnly: pending.syncOnly,
      resolve: pending.resolve,
      reject: pending.reject,
      lines: [],
      payloads: [],
      awaitingPrompt: spec.prompt !== undefined,
      sawResponse: false,
      finals,
      ownPrefixes: [...(spec.responsePrefixes ?? []), ...(spec.nameIsUrc ? [] : commandPrefixes(spec.line.text))],
      echo: Buffer.from(spec.line.text, 'utf8').toString('latin1'),
    };
    this.current = flight;
    this.framer.setRules([...(spec.payloads ?? []), ...this.urcPayloadRules]);
    this.framer.expectPrompt(spec.prompt ? spec.prompt.markers ?? ['>'] : []);
    if (spec.rawReply) {
      // Every byte from now on is the answer's, whatever it looks like.
      flight.raw = { chunks: [], quiet: null };
      this.framer.enterOnline([]);
    }
    const timeoutMs = spec.timeoutMs ?? this.defaultTimeoutMs;
    flight.timer = setTimeout(() => this.onTimeout(flight, timeoutMs), timeoutMs);
    this.traceOut('command', spec.line.display);
    if (spec.inline) this.traceOut('payload', spec.inline.secret ? `<${spec.inline.payload.length} bytes, secret>` : `<${spec.inline.payload.length} bytes>`);
    this.write(pending.bytes, flight);
  }

  private write(bytes: Buffer, flight: InFlight): void {
    this.line.add(bytes.length);
    this.lastTxAt = Date.now();
    this.link.write(bytes).then(
      () => {
        this.lastTxAt = Date.now();
      },
      (err: Error) => {
        if (this.current === flight) {
          // Part of it may have reached the modem (half a command line, a prompt left open):
          // the next command goes only after the modem is listening again.
          this.needsResync = true;
          this.strandPrompt(flight);
          this.late = lateAnswer(flight);
          this.finish(flight, new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, command: flight.spec.line.display, message: err.message, cause: err }));
        }
      },
    );
  }

  private finish(flight: InFlight, outcome: AtResponse | ModemError): void {
    if (this.current !== flight) return;
    if (flight.timer) clearTimeout(flight.timer);
    if (flight.raw) {
      if (flight.raw.quiet) clearTimeout(flight.raw.quiet);
      // Lines again for the next command (the raw answer is whole, or abandoned with a resync).
      this.framer.reset();
    }
    this.current = null;
    this.framer.expectPrompt([]);
    this.framer.setRules(this.urcPayloadRules);
    if (outcome instanceof ModemError) flight.reject(outcome);
    else flight.resolve(outcome);
    this.pump();
  }

  /**
   * The modem restarted (a vendor's start-up URC, seen while a command waits): that command will
   * never be answered. It fails now with `reason` (LINK_DOWN) instead of at its timeout; the modem
   * is resynchronised before the next command. A module that restarted holds no prompt open.
   */
  abandonCurrent(reason: string): void {
    const flight = this.current;
    if (!flight) return;
    this.needsResync = true;
    this.late = lateAnswer(flight);
    this.framer.reset();
    this.finish(flight, new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, command: flight.spec.line.display, message: `${flight.spec.line.display}: ${reason}` }));
  }

  private onTimeout(flight: InFlight, timeoutMs: number): void {
    if (this.current !== flight) return;
    const where = flight.awaitingPrompt ? 'no prompt' : 'no final result code';
    // The modem may still be inside a prompt or mid-response: make sure it is listening again first.
    this.needsResync = true;
    this.strandPrompt(flight);
    // Its answer may still arrive, before or during the resynchronisation: it is nobody's.
    this.late = lateAnswer(flight);
    // A half-read sized payload would swallow the answers to the resynchronisation as its missing bytes.
    this.framer.reset();
    this.finish(flight, new ModemError({
      kind: 'TIMEOUT',
      vendor: this.vendor,
      command: flight.spec.line.display,
      message: `${flight.spec.line.display}: ${where} within ${timeoutMs} ms`,
    }));
  }

  /**
   * What the modem may still be waiting for, in ESC bytes to send before the next `AT`: 1 when a
   * Ctrl-Z prompt may be open (ESC leaves it), the announced size when an exact-size prompt or
   * inline payload may be (nothing but bytes ends it: a module collecting `#SSLSENDEXT` or `+USOWR` data after the
   * cable was pulled would take every `AT` of the resynchronisation as data). Left-over ESCs fall
   * into command state, where they precede `AT` and are ignored (ITU-T V.250 §5.2.1).
   */
  private stranded = 0;
  /** Until when the line must stay silent so that a stranded `quietAbortMs` prompt gives up by itself (epoch ms; 0: no such prompt). */
  private strandedQuietUntil = 0;
  /**
   * A command that timed out (or whose answer overflowed), until the next resynchronisation: lines
   * meanwhile are its late answer, not URCs, unless a dialect rule knows them; its late echo is
   * traced in its display form, and everything else redacted when the command or its answer holds
   * a secret.
   */
  private late: { line: CommandLine; echo: string; secret: boolean } | null = null;

  private strandPrompt(flight: InFlight): void {
    const prompt = flight.spec.prompt;
    // Inline bytes (eS-WiFi `S3`, `PG`) are counted like an exact-size prompt's, and a module that
    // has not answered may still be collecting them.
    const inline = flight.spec.inline;
    if (inline && !flight.sawResponse) this.stranded = Math.max(this.stranded, Math.max(1, inline.payload.length));
    if (!prompt) return;
    if (prompt.quietAbortMs !== undefined) {
      this.strandedQuietUntil = Math.max(this.strandedQuietUntil, Date.now() + prompt.quietAbortMs);
      return;
    }
    this.stranded = Math.max(this.stranded, prompt.terminator === 'none' ? Math.max(1, prompt.payload.length) : 1);
  }

  private failAll(err: ModemError): void {
    const flight = this.current;
    if (flight) {
      this.strandPrompt(flight);
      if (flight.timer) clearTimeout(flight.timer);
      this.current = null;
      this.framer.expectPrompt([]);
      this.framer.setRules(this.urcPayloadRules);
      flight.reject(new ModemError({ kind: err.kind, vendor: err.vendor, command: flight.spec.line.display, message: err.message }));
    }
    const queued = this.queue.splice(0);
    for (const q of queued) {
      if (q.kind === 'acquire') q.reject(new ModemError({ kind: err.kind, vendor: err.vendor, message: err.message }));
      else q.reject(new ModemError({ kind: err.kind, vendor: err.vendor, command: q.spec.line.display || undefined, message: err.message }));
    }
    // The section holding the modem loses it: whatever it sends next fails, and cannot reach a reopened link.
    if (this.active) {
      this.active.ended = err;
      this.active = null;
    }
    if (this.escaping) {
      clearTimeout(this.escaping.timer);
      this.escaping.reject(err);
      this.escaping = null;
    }
    this.resyncing?.abort();
    const sink = this.rawSink;
    if (sink) {
      sink.failed = err;
      if (sink.waiter) {
        clearTimeout(sink.waiter.timer);
        sink.waiter.reject(err);
        sink.waiter = null;
      }
    }
    this.stopLinger();
  }

  // ---------------------------------------------------------------- resync

  /**
   * Brings the modem back to a known state: ESC leaves a pending prompt, then `AT` until
   * `OK`, then a short quiet period so a late answer to an earlier command is not taken
   * for the answer to the next one.
   */
  private async resync(inSession = false): Promise<void> {
    const { attempts, waitMs, quietMs } = this.resyncOptions;
    const sync = this.dialect.syncCommand ?? 'AT';
    await this.quietForStrandedPrompt(sync);
    await this.leaveStrandedPrompt();
    const configured = this.dialect.commandModeEntry ?? (this.escapeBeforeResync ? this.dialect.escape : undefined);
    this.escapeBeforeResync = false;
    await this.sendTransferAbort();
    const entry = configured && !inSession ? { sequence: configured.sequence, guardMs: this.guardOverride ?? configured.guardMs } : undefined;
    if (entry) {
      // Silence, the sequence, silence: only then does the modem take it as an escape and not as data.
      await delay(Math.max(0, entry.guardMs - this.quietMs()));
      this.traceOut('escape', entry.sequence);
      await this.link.write(encodeText('command mode entry', entry.sequence)).catch(() => undefined);
      this.lastTxAt = Date.now();
      await delay(entry.guardMs);
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.modeValue === 'closed' || !this.link.isOpen) throw this.linkDownError(sync);
      const ok = await new Promise<boolean | 'abort'>((resolve) => {
        let quiet: NodeJS.Timeout | undefined;
        let timer = setTimeout(() => finish(false), waitMs);
        const finish = (result: boolean | 'abort'): void => {
          clearTimeout(timer);
          if (quiet) clearTimeout(quiet);
          this.resyncing = null;
          resolve(result);
        };
        this.resyncing = {
          abort: () => finish('abort'),
          onLine: (line: string) => {
            // A late final from an earlier command restarts the quiet period.
            if (line === 'OK' || quiet) {
              if (quiet) {
                clearTimeout(quiet);
              } else {
                // The modem answered: an OK late in the wait must not fail the attempt while
                // its quiet period runs; a modem that never falls quiet still ends it.
                clearTimeout(timer);
                timer = setTimeout(() => finish(false), waitMs);
              }
              quiet = setTimeout(() => finish(true), quietMs);
            }
          },
          // Quiet means no byte at all: a late answer still crossing a slow line (a 90-character
          // line takes 94 ms at 9600 baud) restarts the quiet period before its line is whole.
          onBytes: () => {
            if (!quiet) return;
            clearTimeout(quiet);
            quiet = setTimeout(() => finish(true), quietMs);
          },
        };
        this.traceOut('command', sync);
        this.link.write(encodeCommandLine({ text: sync, display: sync }, this.dialect.terminator ?? '\r')).catch(() => finish(false));
      });
      if (ok === 'abort') throw this.isClosed() ? new ModemError({ kind: 'CLOSED', vendor: this.vendor, message: 'the modem connection is closing' }) : this.linkDownError(sync);
      if (ok) {
        this.needsResync = false;
        this.late = null;
        this.emit('resync', true);
        return;
      }
    }
    this.emit('resync', false);
    throw new ModemError({
      kind: 'NOT_RESPONDING',
      vendor: this.vendor,
      command: sync,
      message: `the modem on ${this.link.status.endpoint} does not answer ${sync} (${attempts} attempts, ${waitMs} ms each)`,
    });
  }

  /** ESC, or the ESC filler of an exact-size prompt and CR, for a prompt the module may still hold open (`stranded`). */
  private async leaveStrandedPrompt(): Promise<void> {
    if (this.stranded === 0) return;
    const count = this.stranded;
    this.stranded = 0;
    this.traceOut('escape', count === 1 ? '<ESC>' : `<ESC × ${count}, then CR>`);
    const filler = encodeText('escape', String.fromCharCode(ESC).repeat(count) + (count > 1 ? '\r' : ''), { controls: true });
    await this.link.write(filler).catch(() => undefined);
  }

  /**
   * After `close()`, before the link is released (redeploy, shutdown): a module left inside a
   * prompt by the command the close cut short — a payload it still waits for — would take the next
   * session's `AT` for data and never answer it. Sends now what the next resynchronisation would
   * have sent first; resolves once the bytes are handed over.
   */
  async leavePrompt(): Promise<void> {
    if (!this.link.isOpen) return;
    await this.leaveStrandedPrompt();
  }

  /** Silence until a stranded `quietAbortMs` prompt has given up by itself; a lost link or a close ends the wait (and keeps it owed). */
  private async quietForStrandedPrompt(sync: string): Promise<void> {
    const until = this.strandedQuietUntil;
    const wait = until - Date.now();
    this.strandedQuietUntil = 0;
    if (wait <= 0) return;
    this.traceOut('escape', `<silence for ${wait} ms: the modem gives its input up by itself>`);
    const aborted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.resyncing = null;
        resolve(false);
      }, wait);
      this.resyncing = {
        onLine: () => undefined,
        abort: () => {
          clearTimeout(timer);
          this.resyncing = null;
          resolve(true);
        },
      };
    });
    if (!aborted) return;
    this.strandedQuietUntil = Math.max(this.strandedQuietUntil, until);
    throw this.isClosed() ? new ModemError({ kind: 'CLOSED', vendor: this.vendor, message: 'the modem connection is closing' }) : this.linkDownError(sync);
  }

  // ---------------------------------------------------------------- input

  private onBytes(chunk: Buffer): void {
    if (this.modeValue === 'closed') return;
    this.resyncing?.onBytes?.();
    this.framer.push(chunk);
    if (this.framer.heldBytes > 0) {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        // Waiting for a session's `OK\r`: what is held may be its start; the escape's end flushes it.
        if (this.escaping && this.dialect.commandSession) return;
        this.framer.flushHeld();
      }, this.onlineFlushMs);
    }
  }

  private onFrame(event: FrameEvent): void {
    switch (event.type) {
      case 'line':
        this.onLine(event.text);
        return;
      case 'prompt':
        this.onPrompt(event.text);
        return;
      case 'payload':
        this.onPayload(event.header, event.data, event.rule);
        return;
      case 'ready':
        this.onReady();
        return;
      case 'data':
        if (this.rawSink) {
          this.toSink(event.data);
          return;
        }
        if (this.current?.raw) {
          this.onRawReply(this.current, event.data);
          return;
        }
        this.traceIn('data', `<${event.data.length} bytes>`);
        this.emit('data', event.data);
        return;
      case 'online-end':
        this.onOnlineEnd(event.text);
        return;
      case 'overflow':
        this.onOverflow(event.bytes);
        return;
    }
  }

  /**
   * A line longer than the dialect allows: whatever it was, the command in flight cannot trust
   * its answer any more. It fails, and the modem is resynchronised before the next command
   * (AT until OK, then a quiet period, so the rest of that answer is not taken for the next one).
   */
  private onOverflow(bytes: number): void {
    const limit = this.dialect.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.traceIn('line', `<${bytes} bytes without a line end, dropped>`);
    this.emit('warning', `the modem sent more than ${limit} bytes without a line end; they were dropped and the modem is resynchronised before the next command`);
    // For an adapter whose data arrives in lines (hex URCs): what was dropped may have been data.
    this.emit('overflow', bytes);
    this.needsResync = true;
    const flight = this.current;
    if (!flight || this.resyncing) return;
    if (flight.awaitingPrompt) this.strandPrompt(flight);
    this.late = lateAnswer(flight);
    this.finish(flight, new ModemError({
      kind: 'GARBLED',
      vendor: this.vendor,
      command: flight.spec.line.display,
      message: `${flight.spec.line.display}: the answer held a line of more than ${limit} bytes; it was dropped`,
    }));
  }

  private onLine(line: string): void {
    const flight = this.current;
    const late = flight === null ? this.late : null;
    const echo = flight !== null && !flight.sawResponse && line === flight.echo;
    const lateEcho = late !== null && line === late.echo;
    // The echo is the command with its secrets: trace it in its display form.
    const secret = flight?.spec.secretResponse === true || late?.secret === true;
    this.traceIn('line', echo ? flight.spec.line.display : lateEcho ? late.line.display : secret ? `<${line.length} characters redacted>` : this.redactUrc(line));
    if (this.resyncing || late) {
      // Answers to AT, its echo, late answers to a timed-out command, start-up noise:
      // none of it is anyone's. Only a line a dialect rule knows is still a URC.
      this.resyncing?.onLine(line);
      if (!lateEcho && this.matchUrc(line)) this.publishUrc(line);
      return;
    }
    if (!flight) {
      // An empty line (a `blankLines` dialect) that no command waits for says nothing.
      if (line !== '') this.publishUrc(line);
      return;
    }
    // Echo (ATE1): the command line itself comes back before the response.
    if (echo) {
      flight.sawResponse = true;
      return;
    }
    // After the final, up to the ready prompt: the usage line of an error, not information text.
    if (flight.finalSeen) return;
    const ownLine = flight.ownPrefixes.some((prefix) => startsWithIgnoringCase(line, prefix));
    if (!ownLine) {
      const final = flight.finals.find((f) => f.pattern.test(line));
      if (final) {
        this.onFinal(flight, line, final);
        return;
      }
      if (this.matchUrc(line)) {
        this.publishUrc(line);
        return;
      }
    }
    flight.sawResponse = true;
    flight.lines.push(line);
  }

  /** The modem is ready for the next command: with `answerEndsAtReadyPrompt`, the final seen takes effect now. */
  private onReady(): void {
    const flight = this.current;
    if (!flight || !this.dialect.answerEndsAtReadyPrompt || !flight.finalSeen) return;
    const { line, final } = flight.finalSeen;
    this.settleFinal(flight, line, final);
  }

  /** Bytes of a raw answer (`CommandSpec.rawReply`): complete when its `end` says so. */
  private onRawReply(flight: InFlight, data: Buffer): void {
    const raw = flight.raw!;
    const rule = flight.spec.rawReply!;
    raw.chunks.push(data);
    if (raw.quiet) {
      clearTimeout(raw.quiet);
      raw.quiet = null;
    }
    const received = raw.chunks.length === 1 ? raw.chunks[0]! : Buffer.concat(raw.chunks);
    raw.chunks = [received];
    const verdict = rule.end(received);
    const complete = (): void => {
      this.traceIn('payload', `${flight.spec.line.display} <${received.length} bytes>`);
      this.finish(flight, { final: '', lines: [], payloads: [{ header: flight.spec.line.display, data: received }] });
    };
    if (verdict === 'done') complete();
    else if (verdict === 'quiet') {
      raw.quiet = setTimeout(() => {
        raw.quiet = null;
        if (this.current === flight) complete();
      }, rule.quietMs);
    }
  }

  private onFinal(flight: InFlight, line: string, final: FinalCode): void {
    if (this.dialect.answerEndsAtReadyPrompt) {
      // The outcome is known; the answer ends at the ready prompt (a `Usage:` line may come first).
      flight.finalSeen = { line, final };
      flight.sawResponse = true;
      return;
    }
    this.settleFinal(flight, line, final);
  }

  private settleFinal(flight: InFlight, line: string, final: FinalCode): void {
    if (final.success) {
      // Bytes after the answer, in this very read, are data already: switch before they are framed.
      // A session's exit command ends it, whoever sent it (an at-command node's `ATCN` too).
      const endsSession = this.sessionExit !== null && line === 'OK' && flight.spec.line.text.trim().toUpperCase() === this.sessionExit.line.text;
      const goOnline = (flight.spec.online === true && /^CONNECT/.test(line)) || endsSession;
      if (goOnline) this.enterOnline();
      this.finish(flight, { final: line, lines: flight.lines, payloads: flight.payloads });
      return;
    }
    const m = final.pattern.exec(line);
    // The code is what the pattern's first group took (`+CME ERROR: <code>`, eS-WiFi `ERROR: <text>`), else the whole line.
    const code = m?.[1] !== undefined ? m[1].trim() : final.kind === 'CME' || final.kind === 'CMS' ? '' : line;
    this.finish(flight, new ModemError({
      kind: final.kind ?? 'FINAL',
      vendor: this.vendor,
      code: /^\d+$/.test(code) ? Number(code) : code,
      command: flight.spec.line.display,
      line: flight.spec.secretResponse ? undefined : line,
      message: `${flight.spec.line.display}: ${line}`,
    }));
  }

  private onPrompt(marker: string): void {
    const flight = this.current;
    if (!flight || !flight.awaitingPrompt || !flight.spec.prompt) return;
    flight.awaitingPrompt = false;
    flight.sawResponse = true;
    this.framer.expectPrompt([]);
    this.traceIn('prompt', marker);
    const prompt = flight.spec.prompt;
    const bytes = prompt.terminator === 'ctrl-z' ? Buffer.concat([prompt.payload, Buffer.from([CTRL_Z])]) : prompt.payload;
    this.traceOut('payload', prompt.secret ? `<${prompt.payload.length} bytes, secret>` : `<${prompt.payload.length} bytes>`);
    if (prompt.delayMs && prompt.delayMs > 0) {
      setTimeout(() => {
        if (this.current === flight) this.write(bytes, flight);
      }, prompt.delayMs);
    } else {
      this.write(bytes, flight);
    }
  }

  private onPayload(header: string, data: Buffer, rule: PayloadRule): void {
    this.traceIn('payload', `${header} <${data.length} bytes>`);
    const flight = this.current;
    if (flight && flight.spec.payloads?.includes(rule)) {
      flight.payloads.push({ header, data });
      return;
    }
    const urc = (this.dialect.urcs ?? []).find((u) => u.payload === rule);
    if (urc) {
      const m = urc.pattern.exec(header);
      this.emit('urc', {
        name: urc.name,
        fields: urc.parse && m ? urc.parse(header, m) : parseLine(header.replace(/,$/, '')).fields,
        raw: header,
        data,
        known: true,
      } satisfies Urc);
    }
  }

  private matchUrc(line: string): { rule: UrcRule; match: RegExpExecArray } | null {
    for (const rule of this.dialect.urcs ?? []) {
      if (rule.payload) continue;
      rule.pattern.lastIndex = 0;
      const match = rule.pattern.exec(line);
      if (match) return { rule, match };
    }
    return null;
  }

  /** A URC line with any secret it carries replaced, for the trace and for `Urc.raw`. */
  private redactUrc(line: string): string {
    const known = this.matchUrc(line);
    return known?.rule.redact ? known.rule.redact(line) : line;
  }

  private publishUrc(line: string): void {
    const known = this.matchUrc(line);
    if (known) {
      const { rule, match } = known;
      this.emit('urc', {
        name: rule.name || parseLine(line).name,
        fields: rule.parse ? rule.parse(line, match) : parseLine(line).fields,
        raw: rule.redact ? rule.redact(line) : line,
        known: true,
      } satisfies Urc);
      return;
    }
    // Not a known URC and no command in flight: still unsolicited, published under the name it carries.
    const parsed = parseLine(line);
    this.emit('urc', { name: parsed.name, fields: parsed.fields, raw: line, known: false } satisfies Urc);
  }

  // ---------------------------------------------------------------- online mode

  private enterOnline(): void {
    this.modeValue = 'online';
    this.framer.enterOnline(this.onlineTerminators());
    this.emit('online', true);
  }

  private onOnlineEnd(text: string): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.modeValue === 'online') this.modeValue = 'command';
    this.traceIn('line', text);
    const escaping = this.escaping;
    this.escaping = null;
    if (escaping) clearTimeout(escaping.timer);
    this.emit('online', false);
    if (text === 'OK') {
      escaping?.resolve();
    } else {
      escaping?.resolve(); // the connection is gone: command mode either way
      this.publishUrc(text);
    }
    this.pump();
  }

  // ---------------------------------------------------------------- link

  private onLinkOpen(): void {
    this.framer.reset();
    // Whatever crossed the line just before (another program, a previous session) counts as
    // traffic: the first escape waits a full guard time.
    this.lastTxAt = Date.now();
    if (this.dialect.commandSession) {
      // Such a modem carries data until a session opens: what it sends now is data, not lines.
      this.enterDataState();
      this.pump();
      return;
    }
    this.noteDataState();
    if (this.modeValue === 'online') {
      this.modeValue = 'command';
      this.emit('online', false);
    }
    this.needsResync = true;
    this.pump();
  }

  /** The link went down or came back while the module was in its data state: it may still be there. */
  private noteDataState(): void {
    if (this.dialect.commandSession || !this.dialect.escape) return;
    if (this.modeValue === 'online' || this.transferDataState) this.escapeBeforeResync = true;
  }

  /** A `commandSession` modem whose state is unknown (a link just opened): data until a session is opened. */
  private enterDataState(): void {
    this.needsResync = false;
    if (this.modeValue === 'online') {
      this.framer.enterOnline(this.onlineTerminators());
      return;
    }
    this.enterOnline();
  }

  private onLinkDown(reason: string): void {
    if (this.active?.transferAbort) this.transferAbort = this.active.transferAbort;
    this.framer.reset();
    this.noteDataState();
    if (this.modeValue === 'online') {
      this.modeValue = 'command';
      this.emit('online', false);
    }
    this.needsResync = true;
    const s = this.link.status;
    this.failAll(new ModemError({ kind: 'LINK_DOWN', vendor: this.vendor, message: `modem link ${s.endpoint} went down: ${reason}` }));
  }

  // ---------------------------------------------------------------- trace

  private traceOut(kind: TraceEntry['kind'], text: string): void {
    this.trace?.({ dir: 'tx', kind, text });
  }

  private traceIn(kind: TraceEntry['kind'], text: string): void {
    this.trace?.({ dir: 'rx', kind, text });
  }
}

/**
 * The information-response prefixes a command line names itself (`AT+CREG?` → `+CREG:`, also
 * after `;` in a line of several): a line starting so answers it, even when the same code also
 * comes unsolicited (3GPP TS 27.007 §7.2: `+CREG: <stat>` is both).
 */
function commandPrefixes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^AT|;)\s*([+#$%^*&][A-Za-z0-9_]+)/gi)) out.push(`${m[1].toUpperCase()}:`);
  return out;
}

function startsWithIgnoringCase(line: string, prefix: string): boolean {
  return line.length >= prefix.length && line.slice(0, prefix.length).toUpperCase() === prefix.toUpperCase();
}

/** How close to a command-mode session's idle end a command is sent in a new session instead. */
const SESSION_MARGIN_MS = 500;
/** How long a command-mode session stays open after its last command, for the next one. */
const DEFAULT_LINGER_MS = 50;

function takeAll(chunks: Buffer[]): Buffer {
  const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  chunks.length = 0;
  return all;
}

/**
 * Silence still owed to a module when its engine closed (redeploy) inside a `quietAbortMs` prompt,
 * by link endpoint: the next engine on that endpoint must not type into the prompt either.
 */
const owedQuiet = new Map<string, number>();

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What to remember of a command that timed out: its echo, and whether its line or answer holds a secret. */
function lateAnswer(flight: InFlight): { line: CommandLine; echo: string; secret: boolean } {
  return { line: flight.spec.line, echo: flight.echo, secret: flight.spec.secretResponse === true || flight.spec.line.display !== flight.spec.line.text };
}
