/**
 * The simulated modem's core: bytes from the host in (`receive`), bytes to the host out (the
 * `data` event and the `output` option), and in between the behaviour every AT modem shares.
 *
 * Owns: the command-state machine of ITU-T V.250 — collecting a line up to CR, echo, running the
 * handler registered for each command and form (EXEC/READ/WRITE/TEST, in the manner of Particle's
 * at_server), writing information text and the final result code, `+CME ERROR` per `+CMEE`
 * (3GPP TS 27.007 §9.1) — plus prompted input (until Ctrl-Z, or an exact byte count), the online
 * data state (`CONNECT` … `+++` … `OK`/`NO CARRIER`), URCs held back until the modem is idle, the
 * power state, a command log, fault injection and line-rate pacing.
 * Must never: know a vendor's commands (dialects register handlers), or know how it is connected
 * (transports feed `receive` and listen to `data`).
 *
 * A worked exchange, echo on (as a modem starts), after `register('+CGMI', { exec: () => 'Simulated' })`:
 * ```
 *   → AT+CGMI<CR>
 *   ← AT+CGMI<CR>                 echo, byte by byte as they arrive (V.250 §6.2.4)
 *   ← <CR><LF>Simulated<CR><LF>   information text (V.250 §5.7, verbose)
 *   ← <CR><LF>OK<CR><LF>          final result code
 * ```
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Field } from '../at/fields';
import { SimulatedClock } from './clock';
import { parseCommandLine, type CommandForm, type CommandLineParser, type ParsedCommand } from './command-line';
import { CME, CmeError, cmeResultCode, formatInformation, formatResultCode, isCmeFailure, type CmeFailure } from './results';
import { LinePacer } from './throttle';
import { PowerTimers } from './timers';

const CR = 0x0d;
const LF = 0x0a;
const BACKSPACE = 0x08;
const CTRL_Z = 0x1a;
const ESC = 0x1b;
const PLUS = 0x2b;
/** Longest command line kept; V.250 §5.2.1 asks for at least 40 characters, real modems take hundreds. */
const MAX_LINE = 4096;

export interface ModemProfile {
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  /** Lines printed, framed like URCs, each time the modem finishes booting (e.g. `['RDY']`). */
  banner: readonly string[];
}

/** The volatile settings V.250 and 27.007 define; lost on power-off, back to these on `ATZ`/`AT&F`. */
export interface ModemSettings {
  /** E: echo command characters (V.250 §6.2.4). */
  echo: boolean;
  /** V: verbose (text) or numeric result codes (V.250 §6.2.6). */
  verbose: boolean;
  /** +CMEE: how failures are reported (27.007 §9.1). */
  cmee: 0 | 1 | 2;
}

/** The identity of a modem nobody configured; the IMEI is made up but passes the Luhn check. */
export const DEFAULT_PROFILE: Readonly<ModemProfile> = Object.freeze({
  manufacturer: 'Simulated',
  model: 'Hayes',
  revision: '1.0',
  imei: '350000000000006',
  banner: Object.freeze([]) as readonly string[],
});

export const DEFAULT_SETTINGS: Readonly<ModemSettings> = Object.freeze({ echo: true, verbose: true, cmee: 0 });

export interface CommandLogEntry {
  /** The command line as received, from `AT` on, without its CR. */
  line: string;
  /** Host time (ms since epoch) when its CR arrived. */
  at: number;
}

/** What a handler gives back: one information line, several, or a full result. */
export type HandlerResult = void | string | readonly string[] | CommandResult | CmeFailure;

export interface CommandResult {
  /** Information text: a string is framed as a line; a Buffer is written exactly as given (binary payloads). */
  lines?: ReadonlyArray<string | Buffer>;
  /**
   * The final result code; default `OK`. Anything but `OK` ends the command line (V.250 §5.6).
   * `null`: none at all — the handler has written everything itself.
   */
  final?: string | null;
}

export interface PromptRequest {
  /**
   * The exact bytes that invite the input. Default `<CR><LF>> `, the sequence 3GPP TS 27.005 §3.5.1
   * gives for text entry; dialects pass their own (`>`, `> `, …).
   */
  marker?: string | Buffer;
  /** Read exactly this many bytes, all of them data (binary-safe); without it, read until Ctrl-Z. */
  length?: number;
  /**
   * Echo the input back. Default: with `until Ctrl-Z` input, whatever ATE says (text entry is typed);
   * never with counted input (binary).
   */
  echo?: boolean;
  /** Give up after this long without completion: the result is `aborted: 'timeout'`. */
  timeoutMs?: number;
}

export interface PromptInput {
  /** The bytes received (all of them when completed; what had arrived when aborted). */
  data: Buffer;
  /** Why the input ended without completing: ESC (Ctrl-Z mode only), the timeout, or power loss. */
  aborted?: 'escape' | 'timeout' | 'power-off';
}

export interface CommandContext {
  readonly modem: SimulatedModem;
  readonly command: ParsedCommand;
  /** The same as `command.name`, `.form`, `.args`, `.rawArgs`. */
  readonly name: string;
  readonly form: CommandForm;
  readonly args: Field[];
  readonly rawArgs: string;
  /** The whole command line this command came in. */
  readonly line: string;
  /** Writes an information line (string) or raw bytes (Buffer) now, before the handler returns. */
  send(part: string | Buffer): void;
  /**
   * Prints a prompt and collects the host's input: until Ctrl-Z, where ESC aborts and backspace
   * deletes (Telit: "the reserved chars backspace and escape are interpreted as control characters"),
   * or exactly `length` bytes, where every byte is data. URCs stay held back meanwhile.
   */
  prompt(request?: PromptRequest): Promise<PromptInput>;
  /**
   * Enters the online data state: prints `result` (default `CONNECT`) as the final result code of
   * this command line, then every byte from the host goes to `session.receive` until the host escapes
   * with `+++` or the link is hung up. Whatever the handler returns afterwards is not printed.
   */
  online(session: OnlineSession, result?: string): OnlineLink;
  /** Back to the online data state of the connection the host escaped from; `undefined` when there is none. */
  resumeOnline(result?: string): OnlineLink | undefined;
}

/** The far end of an online data connection, as a dialect implements it (a socket, a TLS session). */
export interface OnlineSession {
  /** Bytes from the host while online; the escape sequence is never part of them. */
  receive(data: Buffer): void;
  /** The host escaped: the modem is in online command state and answers `OK`; the connection stays. */
  escaped?(): void;
  /**
   * Set when an escape ends the connection's data state for good instead (u-blox direct link): the
   * result code printed in place of `OK`, after which there is nothing to resume (`O`).
   */
  escapeEnds?: string;
}

export interface OnlineLink {
  /** Whether bytes sent now reach the host (online data state, not escaped). */
  readonly active: boolean;
  /** Bytes to the host, unframed; dropped (returns false) while escaped or after hang-up. */
  send(data: Buffer | string): boolean;
  /**
   * The connection ended. Online: back to command state with `result` (default `NO CARRIER`) as a
   * result code. Escaped: `result` arrives as an unsolicited result code. Idempotent.
   */
  hangUp(result?: string): void;
}

export type CommandHandler = (ctx: CommandContext) => HandlerResult | Promise<HandlerResult>;

export interface CommandHandlers {
  exec?: CommandHandler;
  read?: CommandHandler;
  write?: CommandHandler;
  test?: CommandHandler;
}

export interface SimulatedModemOptions {
  profile?: Partial<ModemProfile>;
  /** Pace both directions at this line rate (10 bits per byte), as a UART does. Unset: bytes pass at once. */
  baudRate?: number;
  /** Time from `powerOn()` until the modem listens and prints its banner. Default 0. */
  bootMs?: number;
  /**
   * The silence needed before and after `+++` to leave the online data state (Hayes S12); default
   * 1000 ms, S12's 50 × 20 ms. Tests shorten it.
   */
  escapeGuardMs?: number;
  /** Receives every byte the modem sends, as the `data` event does. */
  output?: (data: Buffer) => void;
  /** Splits a command line body into commands; default V.250 syntax. */
  parser?: CommandLineParser;
  /** The host's time source, for the clock and the log; tests may pin it. */
  now?: () => number;
  /**
   * The SIM's PIN: the SIM asks for it after every power-up (`+CPIN: SIM PIN`), and until it is
   * given the commands a dialect marks with `requiresSim` fail with `+CME ERROR: 11`. Unset: no PIN.
   */
  simPin?: string;
}

export interface ModemFaults {
  /** Every command's response (not its echo) starts `ms` later; the modem stays busy meanwhile. 0 ends it. */
  delayReplies(ms: number): void;
  /** The next `n` command lines are executed but their responses never reach the wire. */
  dropNextReplies(n: number): void;
  /** Puts these bytes on the wire now, whatever the modem is doing. */
  garbage(bytes: Buffer | string): void;
  /** A hung modem: nothing is echoed, executed or sent (lines are still logged) until `mute(false)` or a reboot. */
  mute(on?: boolean): void;
  /** Back to no faults. */
  clear(): void;
}

/** The faults a test switched on, as a modem reads them; `inject` puts garbage on the wire. */
export class FaultSwitches implements ModemFaults {
  delayMs = 0;
  dropCount = 0;
  muted = false;

  constructor(private readonly inject: (bytes: Buffer) => void) {}

  delayReplies(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  dropNextReplies(n: number): void {
    this.dropCount = Math.max(0, Math.floor(n));
  }

  garbage(bytes: Buffer | string): void {
    this.inject(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));
  }

  mute(on = true): void {
    this.muted = on;
  }

  clear(): void {
    this.delayMs = 0;
    this.dropCount = 0;
    this.muted = false;
  }
}

type State = 'off' | 'booting' | 'idle' | 'busy' | 'prompt' | 'online';

/** A connection in the online data state (`state === 'online'`), or escaped from it (any other state). */
interface OnlineConnection {
  session: OnlineSession;
  link: OnlineLink;
  /** `+` bytes held back: they may be the escape sequence, or data. */
  pluses: number;
  /** `performance.now()` of the previous byte from the host, for the guard time before `+++`. */
  lastInputAt: number;
  guardTimer: NodeJS.Timeout | undefined;
}

interface PromptSession {
  length: number | undefined;
  echo: boolean;
  chunks: Buffer[];
  received: number;
  /** Ctrl-Z mode collects byte by byte, because backspace edits it. */
  typed: number[];
  timer: NodeJS.Timeout | undefined;
  resolve(input: PromptInput): void;
}

/** One command line's response: dropped as a whole, and void once the modem has lost power. */
interface Reply {
  epoch: number;
  dropped: boolean;
  /** A command of the line entered the online data state: nothing more is printed for the line. */
  wentOnline: boolean;
}

interface CommandWaiter {
  pattern: RegExp | string;
  resolve(entry: CommandLogEntry): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface SimulatedModem {
  /** Bytes towards the host. */
  on(event: 'data', listener: (data: Buffer) => void): this;
  /** A command line arrived (also while muted). */
  on(event: 'command', listener: (entry: CommandLogEntry) => void): this;
  /** Power state changed: `on` once booted (banner printed), `off` when power is lost. */
  on(event: 'power', listener: (state: 'on' | 'off') => void): this;
  /** A handler threw something that is not a `+CME ERROR`: a simulator bug; the host saw `ERROR`. */
  on(event: 'handler-error', listener: (err: unknown, line: string) => void): this;
}

export class SimulatedModem extends EventEmitter {
  readonly profile: ModemProfile;
  readonly settings: ModemSettings = { ...DEFAULT_SETTINGS };
  readonly clock: SimulatedClock;
  /** Every command line received, oldest first. */
  readonly log: CommandLogEntry[] = [];
  readonly faults: FaultSwitches;

  private readonly handlers = new Map<string, CommandHandlers>();
  private readonly parser: CommandLineParser;
  private readonly now: () => number;
  private readonly bootMs: number;
  /** Paces module → host bytes at the line rate (`baudRate`). */
  private readonly pacer: LinePacer | undefined;
  /** Paces host → module bytes the same way: a UART receives no faster than the line carries. */
  private readonly inputPacer: LinePacer | undefined;

  private state: State = 'off';
  /** Bumped on every power loss: work begun before it must not reach the wire. */
  private epoch = 0;
  private closed = false;
  private input: Buffer = Buffer.alloc(0);
  private line: number[] = [];
  private lineOverflow = false;
  /** The last line ended with CR: one LF right after it is part of that ending, not input. */
  private skipLf = false;
  private pendingEcho: number[] = [];
  private pumping = false;
  private prompting: PromptSession | undefined;
  private connection: OnlineConnection | undefined;
  /** The silence around `+++` (Hayes S12); a dialect that offers `ATS12` reads and sets it here. */
  escapeGuardMs: number;
  private readonly heldUnsolicited: Buffer[] = [];
  /** Cancelled by power loss and `close()`. */
  private readonly timers = new PowerTimers();
  private readonly commandWaiters = new Set<CommandWaiter>();
  private idleWaiters: Array<() => void> = [];
  private booting: { timer: NodeJS.Timeout; done: Promise<void>; resolve(): void } | undefined;
  /** The SIM (3GPP TS 27.007 §8.3): its PIN, and whether it is still locked since power-up. */
  readonly sim: { pin: string | undefined; locked: boolean };
  /** Commands that need an unlocked SIM (network attach, PDP activation), upper case. */
  private readonly simCommands = new Set<string>();


  /**
   * `ownOutput`: a dialect that frames and paces its output itself (XBee3, eS-WiFi) — the line
   * rate then paces only what the host sends here.
   */
  constructor(options: SimulatedModemOptions = {}, wire: { ownOutput?: boolean } = {}) {
    super();
    this.profile = { ...DEFAULT_PROFILE, ...options.profile };
    this.parser = options.parser ?? parseCommandLine;
    this.now = options.now ?? Date.now;
    this.clock = new SimulatedClock(this.now);
    this.bootMs = options.bootMs ?? 0;
    this.escapeGuardMs = options.escapeGuardMs ?? 1000;
    const output = options.output;
    if (output) this.on('data', output);
    if (options.baudRate !== undefined) {
      if (!wire.ownOutput) this.pacer = new LinePacer(options.baudRate, (data) => this.emit('data', data), () => this.checkIdle());
      this.inputPacer = new LinePacer(options.baudRate, (data) => this.accept(data), () => this.checkIdle());
    }
    this.faults = new FaultSwitches((bytes) => this.write(bytes));
    this.sim = { pin: options.simPin, locked: options.simPin !== undefined };
  }

  /** Marks commands that fail with `+CME ERROR: 11` (SIM PIN required) while the SIM is locked. */
  requiresSim(...names: string[]): this {
    for (const name of names) this.simCommands.add(name.toUpperCase());
    return this;
  }

  /**
   * Adds handlers for a command, merged with any it already has (a dialect replaces a generic
   * form by registering it again). `name` as typed after `AT`: `+CGMI`, `#SSLD`, `E`, `&F`, `S0`.
   */
  register(name: string, handlers: CommandHandlers): this {
    const key = name.toUpperCase();
    this.handlers.set(key, { ...this.handlers.get(key), ...handlers });
    return this;
  }

  unregister(name: string): this {
    this.handlers.delete(name.toUpperCase());
    return this;
  }

  /** Whether the modem has been powered on and has finished booting. */
  get isOn(): boolean {
    return this.state !== 'off' && this.state !== 'booting';
  }

  /** Back to `DEFAULT_SETTINGS` (V.250 §6.1.1 `Z`, §6.1.2 `&F`; also every power-on). */
  resetSettings(): void {
    Object.assign(this.settings, DEFAULT_SETTINGS);
  }

  /**
   * Powers the modem up: volatile settings are reset, and after `bootMs` it listens and prints the
   * profile's banner. Resolves when it is ready; calling it on a running modem changes nothing.
   */
  powerOn(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('simulated modem is closed'));
    if (this.booting) return this.booting.done;
    if (this.state !== 'off') return Promise.resolve();
    this.resetSettings();
    // The SIM asks for its PIN again after every power-up.
    this.sim.locked = this.sim.pin !== undefined;
    // A reboot cures a hung firmware; the other faults belong to the test and stay.
    this.faults.muted = false;
    this.state = 'booting';
    if (this.bootMs <= 0) {
      this.finishBoot();
      return Promise.resolve();
    }
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const timer = setTimeout(() => this.finishBoot(), this.bootMs);
    this.booting = { timer, done, resolve };
    return done;
  }

  /** Power is lost: the line in progress, a prompt, held URCs and unsent bytes are gone. */
  powerOff(): void {
    if (this.booting) {
      clearTimeout(this.booting.timer);
      this.booting.resolve();
      this.booting = undefined;
    }
    if (this.state === 'off') return;
    this.epoch++;
    this.state = 'off';
    this.input = Buffer.alloc(0);
    this.line = [];
    this.lineOverflow = false;
    this.skipLf = false;
    this.pendingEcho = [];
    this.heldUnsolicited.length = 0;
    this.timers.clear();
    this.pacer?.clear();
    const prompt = this.prompting;
    this.prompting = undefined;
    if (prompt) this.endPrompt(prompt, { data: this.promptData(prompt), aborted: 'power-off' });
    this.dropConnection();
    this.emit('power', 'off');
    this.checkIdle();
  }

  /** Power cycle: volatile state lost (echo on, `+CMEE` 0, …), then boot and banner again. */
  reboot(): Promise<void> {
    this.powerOff();
    return this.powerOn();
  }

  /** Switches off for good and releases every timer; pending `waitForCommand`s reject. */
  close(): void {
    this.powerOff();
    this.inputPacer?.clear();
    this.closed = true;
    for (const waiter of this.commandWaiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('simulated modem closed'));
    }
    this.commandWaiters.clear();
  }

  /** The wire to the host was cut (unplugged): bytes still on their way to the module never arrive. */
  cutWire(): void {
    this.inputPacer?.clear();
  }

  /**
   * Bytes from the host, as they are put on the wire. With a `baudRate` they reach the module no
   * faster than the line carries them, as they would through a real UART; `accept` takes them then.
   */
  receive(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    if (bytes.length === 0) return;
    if (this.inputPacer) this.inputPacer.write(Buffer.from(bytes));
    else this.accept(bytes);
  }

  /**
   * Bytes that have arrived at the module. Ignored while it is off or booting, as a real UART would
   * drop them. Dialects that frame input their own way override this, not `receive`.
   */
  protected accept(bytes: Buffer): void {
    if (this.state === 'off' || this.state === 'booting') return;
    this.input = this.input.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.input, bytes]);
    this.pump();
  }

  /**
   * An unsolicited result code, framed like information text. Held back while a command is running
   * or a prompt is open — a URC never splits a response — and sent once the modem is idle.
   */
  emitUrc(line: string): void {
    this.unsolicited(Buffer.from(formatInformation(line, this.settings.verbose), 'latin1'));
  }

  /** Raw unsolicited bytes (a URC that carries binary data), held back like `emitUrc`. */
  emitRaw(data: Buffer | string): void {
    this.unsolicited(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
  }

  /** A command line received: into the log, to `command` listeners and to the `waitForCommand`s it matches. */
  protected logCommand(line: string): CommandLogEntry {
    const entry: CommandLogEntry = { line, at: this.now() };
    this.log.push(entry);
    this.emit('command', entry);
    for (const waiter of [...this.commandWaiters]) {
      if (!matches(waiter.pattern, line)) continue;
      clearTimeout(waiter.timer);
      this.commandWaiters.delete(waiter);
      waiter.resolve(entry);
    }
    return entry;
  }

  /**
   * Resolves with the next command line matching `pattern` (a string must equal the line). Lines
   * already logged from index `fromIndex` on count too, so `const mark = modem.log.length` taken
   * before acting closes the race. Rejects after `timeoutMs`, listing the lines that did arrive.
   */
  waitForCommand(pattern: RegExp | string, timeoutMs = 2000, fromIndex = this.log.length): Promise<CommandLogEntry> {
    for (let i = Math.max(0, fromIndex); i < this.log.length; i++) {
      if (matches(pattern, this.log[i].line)) return Promise.resolve(this.log[i]);
    }
    return new Promise<CommandLogEntry>((resolve, reject) => {
      const since = this.log.length;
      const waiter: CommandWaiter = {
        pattern,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.commandWaiters.delete(waiter);
          const seen = this.log.slice(since).map((e) => e.line);
          reject(new Error(`no command matching ${String(pattern)} within ${timeoutMs} ms; received: ${JSON.stringify(seen)}`));
        }, timeoutMs),
      };
      this.commandWaiters.add(waiter);
    });
  }

  /**
   * Resolves once the modem has nothing left to do: no command running, no prompt open, no input
   * unread, no URC held back and every byte on the wire. Also resolves when it is off, or online
   * with every byte passed on and no `+` held back as a possible escape.
   */
  whenIdle(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- input ---------------------------------------------------------------------------------

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.input.length > 0 && (this.state === 'idle' || this.state === 'prompt' || this.state === 'online')) {
        if (this.state === 'prompt') this.feedPrompt();
        else if (this.state === 'online') this.feedOnline();
        else this.feedCommand();
      }
    } finally {
      this.pumping = false;
    }
    this.flushEcho();
    this.checkIdle();
  }

  /** Command state: consumes bytes up to and including one CR. */
  private feedCommand(): void {
    const buf = this.input;
    let i = 0;
    let lineDone = false;
    for (; i < buf.length && !lineDone; i++) {
      const b = buf[i];
      if (this.skipLf) {
        this.skipLf = false;
        if (b === LF) continue;
      }
      // V.250 §6.2.4: characters are echoed as they are received in command state.
      if (this.settings.echo && !this.faults.muted) this.pendingEcho.push(b);
      if (b === CR) {
        lineDone = true;
      } else if (b === BACKSPACE) {
        // V.250 §5.2.2 (S5, §6.2.3): backspace deletes the previous character of the line.
        this.line.pop();
      } else if (this.line.length < MAX_LINE) {
        this.line.push(b);
      } else {
        this.lineOverflow = true;
      }
    }
    this.input = buf.subarray(i);
    if (!lineDone) return;
    this.skipLf = true;
    const text = Buffer.from(this.line).toString('latin1');
    const overflow = this.lineOverflow;
    this.line = [];
    this.lineOverflow = false;
    this.flushEcho();
    this.onLine(text, overflow);
  }

  private onLine(text: string, overflow: boolean): void {
    // V.250 §5.2.1: a command line starts with `AT` (or `at`); anything before it, or a line without it, is ignored.
    const start = text.search(/at/i);
    if (start < 0) return;
    const line = text.slice(start);
    this.logCommand(line);
    if (this.faults.muted) return;
    this.state = 'busy';
    const reply: Reply = { epoch: this.epoch, dropped: this.faults.dropCount > 0, wentOnline: false };
    if (reply.dropped) this.faults.dropCount--;
    this.runLine(line.slice(2), line, reply, overflow).catch((err: unknown) => this.emit('handler-error', err, line));
  }

  private async runLine(body: string, line: string, reply: Reply, overflow: boolean): Promise<void> {
    try {
      if (this.faults.delayMs > 0) await this.sleep(this.faults.delayMs);
      if (reply.epoch !== this.epoch) return;
      const commands = overflow ? null : this.parser(body);
      if (!commands) {
        this.finalCode(reply, 'ERROR');
        return;
      }
      for (const command of commands) {
        const outcome = await this.execute(command, line, reply);
        if (reply.epoch !== this.epoch || reply.wentOnline) return;
        if (outcome === 'stop') return;
      }
      // A bare `AT`, or every command succeeded: one final OK for the whole line (V.250 §5.7).
      this.finalCode(reply, 'OK');
    } finally {
      // Still busy unless a handler went online (the connection may even have ended meanwhile).
      if (reply.epoch === this.epoch && this.state === 'busy') {
        this.state = 'idle';
        this.flushUnsolicited();
        this.pump();
      }
    }
  }

  /** Runs one command of the line; 'stop' when it ended the line (error, or a final other than OK). */
  private async execute(command: ParsedCommand, line: string, reply: Reply): Promise<'next' | 'stop'> {
    const handler = this.handlers.get(command.name)?.[command.form];
    if (!handler) {
      // Real modems answer a command (or form) they do not know with plain ERROR, whatever +CMEE says.
      this.finalCode(reply, 'ERROR');
      return 'stop';
    }
    if (this.sim.locked && (command.form === 'write' || command.form === 'exec') && this.simCommands.has(command.name)) {
      this.failure(reply, new CmeError(CME.SIM_PIN_REQUIRED));
      return 'stop';
    }
    const ctx: CommandContext = {
      modem: this,
      command,
      name: command.name,
      form: command.form,
      args: command.args,
      rawArgs: command.rawArgs,
      line,
      send: (part) => this.respond(reply, this.encodePart(part)),
      prompt: (request) => this.openPrompt(reply, request ?? {}),
      online: (session, result) => this.goOnline(reply, session, result ?? 'CONNECT'),
      resumeOnline: (result) => {
        const connection = this.connection;
        if (!connection || this.state === 'online') return undefined;
        return this.goOnline(reply, connection.session, result ?? 'CONNECT', connection);
      },
    };
    let result: HandlerResult;
    try {
      result = await handler(ctx);
    } catch (err) {
      if (reply.epoch !== this.epoch || reply.wentOnline) return 'stop';
      if (isCmeFailure(err)) {
        this.failure(reply, err);
      } else {
        this.emit('handler-error', err, line);
        this.finalCode(reply, 'ERROR');
      }
      return 'stop';
    }
    if (reply.epoch !== this.epoch || reply.wentOnline) return 'stop';
    if (isCmeFailure(result)) {
      this.failure(reply, result);
      return 'stop';
    }
    const { lines, final } = normalise(result);
    for (const part of lines) this.respond(reply, this.encodePart(part));
    if (final === null) return 'stop';
    if (final !== 'OK') {
      this.finalCode(reply, final);
      return 'stop';
    }
    return 'next';
  }

  // ---- prompted input ------------------------------------------------------------------------

  private openPrompt(reply: Reply, request: PromptRequest): Promise<PromptInput> {
    if (reply.epoch !== this.epoch) return Promise.resolve({ data: Buffer.alloc(0), aborted: 'power-off' });
    if (this.state !== 'busy' || this.prompting) {
      return Promise.reject(new Error('prompt(): only one prompt at a time, from a running command'));
    }
    const length = request.length;
    if (length !== undefined && (!Number.isInteger(length) || length < 0)) {
      return Promise.reject(new RangeError(`prompt(): length must be a whole number of bytes, got ${length}`));
    }
    const marker = request.marker ?? '\r\n> ';
    this.respond(reply, typeof marker === 'string' ? Buffer.from(marker, 'latin1') : marker);
    return new Promise<PromptInput>((resolve) => {
      const session: PromptSession = {
        length,
        echo: request.echo ?? (length === undefined && this.settings.echo),
        chunks: [],
        received: 0,
        typed: [],
        timer: undefined,
        resolve,
      };
      if (length === 0) {
        resolve({ data: Buffer.alloc(0) });
        return;
      }
      if (request.timeoutMs !== undefined) {
        session.timer = this.timers.after(request.timeoutMs, () => {
          if (this.prompting !== session) return;
          this.prompting = undefined;
          this.state = 'busy';
          this.endPrompt(session, { data: this.promptData(session), aborted: 'timeout' });
        });
      }
      // An LF ending the command line, if it already came, is not the first byte of the input.
      if (this.skipLf && this.input.length > 0 && this.input[0] === LF) this.input = this.input.subarray(1);
      this.skipLf = false;
      this.prompting = session;
      this.state = 'prompt';
      this.pump();
    });
  }

  private feedPrompt(): void {
    const session = this.prompting!;
    if (session.length !== undefined) {
      const n = Math.min(session.length - session.received, this.input.length);
      const part = Buffer.from(this.input.subarray(0, n));
      this.input = this.input.subarray(n);
      session.chunks.push(part);
      session.received += n;
      if (session.echo && !this.faults.muted) this.write(part);
      if (session.received === session.length) this.completePrompt(session, { data: this.promptData(session) });
      return;
    }
    const buf = this.input;
    let i = 0;
    let ended: PromptInput | undefined;
    for (; i < buf.length && !ended; i++) {
      const b = buf[i];
      if (b === CTRL_Z) ended = { data: Buffer.from(session.typed) };
      else if (b === ESC) ended = { data: Buffer.from(session.typed), aborted: 'escape' };
      else {
        if (b === BACKSPACE) session.typed.pop();
        else session.typed.push(b);
        if (session.echo && !this.faults.muted) this.pendingEcho.push(b);
      }
    }
    this.input = buf.subarray(i);
    this.flushEcho();
    if (ended) this.completePrompt(session, ended);
  }

  private completePrompt(session: PromptSession, input: PromptInput): void {
    this.prompting = undefined;
    this.state = 'busy';
    this.endPrompt(session, input);
  }

  private endPrompt(session: PromptSession, input: PromptInput): void {
    this.timers.cancel(session.timer);
    session.resolve(input);
  }

  private promptData(session: PromptSession): Buffer {
    return session.length !== undefined ? Buffer.concat(session.chunks) : Buffer.from(session.typed);
  }

  // ---- online data state ---------------------------------------------------------------------

  private goOnline(reply: Reply, session: OnlineSession, result: string, resumed?: OnlineConnection): OnlineLink {
    if (reply.epoch !== this.epoch) return DEAD_LINK;
    if (this.state !== 'busy' || reply.wentOnline) throw new Error('online(): only from a running command, once per line');
    if (this.connection && this.connection !== resumed) throw new Error('online(): a connection is already open; hang it up first');
    reply.wentOnline = true;
    this.finalCode(reply, result);
    const connection: OnlineConnection = resumed ?? {
      session,
      link: undefined as unknown as OnlineLink,
      pluses: 0,
      lastInputAt: 0,
      guardTimer: undefined,
    };
    if (!resumed) connection.link = this.linkFor(connection);
    connection.lastInputAt = performance.now();
    this.connection = connection;
    this.state = 'online';
    // An LF ending the command line, if it already came, is not data.
    if (this.skipLf && this.input.length > 0 && this.input[0] === LF) this.input = this.input.subarray(1);
    this.skipLf = false;
    this.pump();
    return connection.link;
  }

  private linkFor(connection: OnlineConnection): OnlineLink {
    const isActive = (): boolean => this.connection === connection && this.state === 'online';
    return {
      get active() {
        return isActive();
      },
      send: (data) => {
        if (this.connection !== connection || this.state !== 'online' || this.faults.muted) return false;
        this.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
        return true;
      },
      hangUp: (result = 'NO CARRIER') => {
        if (this.connection !== connection) return;
        this.dropConnection();
        const code = Buffer.from(formatResultCode(result, this.settings.verbose), 'latin1');
        if (this.state === 'online') {
          this.state = 'idle';
          if (!this.faults.muted) this.write(code);
          this.flushUnsolicited();
          this.pump();
        } else {
          this.unsolicited(code);
        }
      },
    };
  }

  /**
   * Online data: every byte is the session's, except `+++` standing alone between two guard times
   * of silence (Hayes S2/S12) — Telit: "it is possible to suspend the connection, without closing it,
   * by sending the escape sequence (+++). After that, the module returns the OK response".
   */
  private feedOnline(): void {
    const connection = this.connection!;
    const now = performance.now();
    const quietBefore = now - connection.lastInputAt >= this.escapeGuardMs;
    const buf = this.input;
    this.input = Buffer.alloc(0);
    connection.lastInputAt = now;
    if (connection.pluses === 0 && !(buf[0] === PLUS && quietBefore)) {
      // The common case, kept cheap for throughput: an escape can only begin a chunk, so this is all data.
      this.clearGuard(connection);
      connection.session.receive(Buffer.from(buf));
      return;
    }
    const data: number[] = [];
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (connection.pluses > 0 && b === PLUS && connection.pluses < 3) {
        connection.pluses++;
      } else if (connection.pluses === 0 && b === PLUS && i === 0 && quietBefore) {
        connection.pluses = 1;
      } else {
        // Not an escape after all: the held pluses were data.
        for (; connection.pluses > 0; connection.pluses--) data.push(PLUS);
        data.push(b);
      }
    }
    this.clearGuard(connection);
    if (connection.pluses > 0) this.startGuard(connection, this.escapeGuardMs);
    if (data.length > 0) connection.session.receive(Buffer.from(data));
  }

  private startGuard(connection: OnlineConnection, ms: number): void {
    connection.guardTimer = this.timers.after(ms, () => {
      connection.guardTimer = undefined;
      this.guardElapsed(connection);
    });
  }

  private guardElapsed(connection: OnlineConnection): void {
    if (this.connection !== connection || this.state !== 'online') return;
    // Timers count from the event loop's cached time and may fire a little early: the silence must be real.
    const remaining = this.escapeGuardMs - (performance.now() - connection.lastInputAt);
    if (remaining > 0) {
      this.startGuard(connection, Math.ceil(remaining));
      return;
    }
    if (connection.pluses < 3) {
      const held = Buffer.alloc(connection.pluses, PLUS);
      connection.pluses = 0;
      connection.session.receive(held);
      this.checkIdle();
      return;
    }
    connection.pluses = 0;
    this.state = 'idle';
    const ends = connection.session.escapeEnds;
    if (ends !== undefined) this.dropConnection();
    if (!this.faults.muted) this.write(Buffer.from(formatResultCode(ends ?? 'OK', this.settings.verbose), 'latin1'));
    connection.session.escaped?.();
    this.flushUnsolicited();
    this.pump();
  }

  private clearGuard(connection: OnlineConnection): void {
    if (!connection.guardTimer) return;
    this.timers.cancel(connection.guardTimer);
    connection.guardTimer = undefined;
  }

  /** Forgets the connection (hang-up, power loss) without printing anything. */
  private dropConnection(): void {
    const connection = this.connection;
    if (!connection) return;
    this.clearGuard(connection);
    this.connection = undefined;
  }

  // ---- output --------------------------------------------------------------------------------

  /** Part of a command's response: lost with the power, swallowed when the response is dropped or muted. */
  private respond(reply: Reply, data: Buffer): void {
    if (reply.epoch !== this.epoch || reply.dropped || this.faults.muted) return;
    this.write(data);
  }

  private finalCode(reply: Reply, code: string): void {
    this.respond(reply, Buffer.from(formatResultCode(code, this.settings.verbose), 'latin1'));
  }

  private failure(reply: Reply, failure: CmeFailure): void {
    this.finalCode(reply, cmeResultCode(failure, this.settings.cmee));
  }

  private encodePart(part: string | Buffer): Buffer {
    return typeof part === 'string' ? Buffer.from(formatInformation(part, this.settings.verbose), 'latin1') : Buffer.from(part);
  }

  private unsolicited(data: Buffer): void {
    if (!this.isOn || this.faults.muted) return;
    if (this.state === 'idle') this.write(data);
    else this.heldUnsolicited.push(data);
  }

  private flushUnsolicited(): void {
    while (this.heldUnsolicited.length > 0 && this.state === 'idle') {
      const data = this.heldUnsolicited.shift()!;
      if (!this.faults.muted) this.write(data);
    }
  }

  private flushEcho(): void {
    if (this.pendingEcho.length === 0) return;
    const echo = Buffer.from(this.pendingEcho);
    this.pendingEcho = [];
    this.send(echo);
  }

  /** Everything for the wire passes here, echo first so that bytes keep the order they were made in. */
  private write(data: Buffer): void {
    this.flushEcho();
    this.send(data);
  }

  private send(data: Buffer): void {
    if (data.length === 0) return;
    if (this.pacer) this.pacer.write(data);
    else this.emit('data', data);
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private finishBoot(): void {
    const booting = this.booting;
    this.booting = undefined;
    this.state = 'idle';
    for (const line of this.profile.banner) this.write(Buffer.from(formatInformation(line, this.settings.verbose), 'latin1'));
    this.emit('power', 'on');
    booting?.resolve();
    this.checkIdle();
  }

  /** Power loss and `close()` cancel it: a cancelled sleep never resolves (its work is void anyway). */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => this.timers.after(ms, resolve));
  }

  private isSettled(): boolean {
    // Bytes still on the wire towards the module will be taken (or dropped) when they arrive.
    if ((this.inputPacer?.pending ?? 0) > 0) return false;
    if (this.state === 'off') return true;
    if (this.input.length > 0 || (this.pacer?.pending ?? 0) > 0) return false;
    // Online, URCs wait for the command state by design; pluses held back may still become an escape.
    if (this.state === 'online') return this.connection?.pluses === 0;
    return this.state === 'idle' && this.heldUnsolicited.length === 0;
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.isSettled()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

const DEAD_LINK: OnlineLink = { active: false, send: () => false, hangUp: () => undefined };

function matches(pattern: RegExp | string, line: string): boolean {
  if (typeof pattern === 'string') return line === pattern;
  pattern.lastIndex = 0;
  return pattern.test(line);
}

function normalise(result: HandlerResult): { lines: ReadonlyArray<string | Buffer>; final: string | null } {
  if (result === undefined || result === null) return { lines: [], final: 'OK' };
  if (typeof result === 'string') return { lines: [result], final: 'OK' };
  if (Array.isArray(result)) return { lines: result as readonly string[], final: 'OK' };
  const full = result as CommandResult;
  return { lines: full.lines ?? [], final: full.final === undefined ? 'OK' : full.final };
}
