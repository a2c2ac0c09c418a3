/**
 * The wire of a simulated Inventek eS-WiFi: bytes from the host in, bytes to the host out.
 * Commands are two characters, optionally `=` and a value, ended by CR; no `AT`, no echo; every
 * answer ends with the prompt `> `; S3 and PG carry counted raw bytes after their header.
 *
 * Why a class of its own: the eS-WiFi is not a V.250 modem (no `AT` prefix, no echo, answers
 * framed `\r\n…\r\nOK\r\n> `, payloads announced inside the command line), so `SimulatedModem`'s
 * command engine fits none of it. This subclass keeps what the rest of the simulator relies on —
 * power (`powerOn`, `powerOff`, `reboot`, `close`, the `power` event), the clock, the command log
 * with `waitForCommand` and the `command` event, the `data` event the transports listen to,
 * `whenIdle`, `faults` and `baudRate` pacing (`LinePacer`, both ways) — and replaces the byte
 * handling, as the XBee3 dialect does.
 *
 * Owns: framing the host's bytes into commands (CR ends a command; one LF right after a CR is
 * ignored; the raw bytes of S3 and PG are counted, never scanned), running one command at a time
 * with everything that arrives meanwhile kept in order for afterwards (the host may pipeline),
 * writing each answer, and the command log. Must never: write a byte after power loss that
 * belongs to work begun before it, or log a passphrase (`C2=<secret>`) or a payload's bytes
 * (`S3=5 <5 bytes>`, `PG=0,2,1675 <1675 bytes>`).
 *
 * ```
 *   (power-up)                          ← \r\n>␠                        (chosen: the prompt alone)
 *   → I?\r                              ← \r\nISM43362-M3G-L44-UART,…,Inventek eS-WiFi\r\nOK\r\n>␠
 *   → \r                                ← \r\n>␠
 *   → XX\r                              ← \r\nERROR: Unknown Command\r\nUsage: ?\r\n>␠
 *   → S3=4\r<4 raw bytes>               ← \r\n4\r\nOK\r\n>␠
 *   → PG=0,0,1200,<1200 raw bytes>      ← \r\n\r\nOK\r\n>␠
 * ```
 */
import { FaultSwitches, SimulatedModem, type SimulatedModemOptions } from '../../modem';
import { LinePacer } from '../../throttle';
import { encodeAnswer, fail, invalid, ok, type Answer, type CommandRequest, type CommandSpec, type CommandTable } from './answers';
import { SET_COMMANDS } from './sets';
import { SOCKET_COMMANDS } from './sockets';
import type { EswifiDevice } from './state';
import { IDENTITY, LIMITS, WIRE } from './tables';
import { WIFI_COMMANDS } from './wifi';

const CR = 0x0d;
const LF = 0x0a;
const COMMA = 0x2c;
const EQUALS = 0x3d;

/** Every command the module answers, by its two characters. */
export const COMMANDS: CommandTable = {
  'I?': { exec: () => ok(IDENTITY.info) },
  ...WIFI_COMMANDS,
  ...SOCKET_COMMANDS,
  ...SET_COMMANDS,
};

/** One command's answer: dropped as a whole by a fault, and void once the power was lost. */
interface Reply {
  epoch: number;
  dropped: boolean;
}

/** The raw bytes a header announced, being collected. */
interface PendingPayload {
  request: CommandRequest;
  need: number;
  chunks: Buffer[];
  got: number;
}

/** The command line as the log shows it: a secret value masked, a payload by its size only. */
export function describeCommand(name: string, header: string, spec: CommandSpec | undefined, payloadBytes?: number): string {
  const shown = spec?.secret && header.length > 2 && header[2] === '=' ? `${name}=<secret>` : header;
  return payloadBytes === undefined ? shown : `${shown} <${payloadBytes} bytes>`;
}

export class EswifiModem extends SimulatedModem {
  override readonly faults: FaultSwitches;
  private readonly linePacer: LinePacer | undefined;
  /** Bytes received and not yet framed (they wait while a command runs). */
  private rx: Buffer = Buffer.alloc(0);
  private lineBytes: number[] = [];
  private lineCommas = 0;
  private lineTooLong = false;
  /** The last command ended with CR: one LF right after it belongs to that ending. */
  private dropLf = false;
  private collecting: PendingPayload | undefined;
  /** A command is running; input waits in `input`. */
  private busy = false;
  private framing = false;
  /** Unsolicited bytes a test injected while a command ran: sent after its answer. */
  private heldOutput: Buffer[] = [];
  /** Unsolicited bytes for the end of the next answer, in the same write (`emitAfterAnswer`). */
  private afterAnswer: Buffer[] = [];
  private powerEpoch = 0;
  private settleWaiters: Array<() => void> = [];

  constructor(
    readonly device: EswifiDevice,
    options: SimulatedModemOptions,
  ) {
    const { baudRate, escapeGuardMs: _guard, parser: _parser, ...rest } = options;
    super({ ...rest, baudRate }, { ownOutput: true });
    if (baudRate !== undefined) this.linePacer = new LinePacer(baudRate, (data) => this.emit('data', data), () => this.checkSettled());
    this.faults = new FaultSwitches((bytes) => this.transmit(bytes));
    this.on('power', (state) => (state === 'on' ? this.booted() : this.lost()));
  }

  // ---- power ---------------------------------------------------------------------------------

  private booted(): void {
    this.faults.muted = false;
    this.transmit(Buffer.from(WIRE.ready, 'latin1'));
    this.checkSettled();
  }

  private lost(): void {
    this.powerEpoch++;
    this.device.powerLost();
    this.rx = Buffer.alloc(0);
    this.resetLine();
    this.dropLf = false;
    this.collecting = undefined;
    this.busy = false;
    this.heldOutput = [];
    this.afterAnswer = [];
    this.linePacer?.clear();
    this.checkSettled();
  }

  // ---- input ---------------------------------------------------------------------------------

  protected override accept(bytes: Buffer): void {
    if (!this.isOn) return;
    this.rx = this.rx.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.rx, bytes]);
    this.frameInput();
  }

  private frameInput(): void {
    if (this.framing) return;
    this.framing = true;
    try {
      while (!this.busy && this.rx.length > 0) {
        if (this.collecting) this.feedPayload();
        else this.feedLine();
      }
    } finally {
      this.framing = false;
    }
    this.checkSettled();
  }

  /** Command bytes up to a CR, or up to the comma that ends a PG header. */
  private feedLine(): void {
    const buf = this.rx;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (this.dropLf) {
        this.dropLf = false;
        if (b === LF) continue;
      }
      if (b === CR) {
        this.rx = buf.subarray(i + 1);
        this.lineEnded('cr');
        return;
      }
      if (this.lineBytes.length < LIMITS.lineMax) this.lineBytes.push(b);
      else this.lineTooLong = true;
      if (b === COMMA && !this.lineTooLong) {
        this.lineCommas++;
        if (this.commaEndsHeader()) {
          this.rx = buf.subarray(i + 1);
          this.lineEnded('comma');
          return;
        }
      }
    }
    this.rx = Buffer.alloc(0);
  }

  /** Whether the line so far is a header whose raw bytes start after this comma (PG). */
  private commaEndsHeader(): boolean {
    if (this.lineBytes.length < 3 || this.lineBytes[2] !== EQUALS) return false;
    const framing = COMMANDS[String.fromCharCode(this.lineBytes[0]!, this.lineBytes[1]!)]?.payload;
    return framing?.after === 'comma' && framing.fields === this.lineCommas;
  }

  private resetLine(): void {
    this.lineBytes = [];
    this.lineCommas = 0;
    this.lineTooLong = false;
  }

  private lineEnded(separator: 'cr' | 'comma'): void {
    const raw = Buffer.from(this.lineBytes).toString('latin1');
    const overflow = this.lineTooLong;
    this.resetLine();
    // The comma that ended a PG header is not part of its value.
    const text = separator === 'comma' ? raw.slice(0, -1) : raw;
    if (separator === 'cr' && text === '') {
      this.dropLf = true;
      // An empty line: the prompt alone (the Inventek demo's findModule sends a bare CR for it).
      if (!this.faults.muted) this.transmit(Buffer.from(WIRE.ready, 'latin1'));
      return;
    }
    const name = text.slice(0, 2);
    const rest = text.slice(2);
    const spec = COMMANDS[name];
    const value = rest.startsWith('=') ? rest.slice(1) : rest === '' ? undefined : null;
    const framing = spec?.payload;
    if (!overflow && framing && value !== undefined && value !== null && framing.after === separator) {
      const need = framing.length(value);
      if (need !== undefined) {
        // No LF skipping here: the byte after S3's CR is the first byte of its data.
        this.logCommand(describeCommand(name, text, spec, need));
        this.collecting = { request: { name, value }, need, chunks: [], got: 0 };
        return;
      }
    }
    if (separator === 'cr') this.dropLf = true;
    this.logCommand(overflow ? `${name} <line of over ${LIMITS.lineMax} bytes>` : describeCommand(name, text, spec));
    if (overflow || value === null || !spec) {
      this.run({ name, value: undefined }, fail('unknownCommand'));
      return;
    }
    this.run({ name, value });
  }

  private feedPayload(): void {
    const pending = this.collecting!;
    const n = Math.min(pending.need - pending.got, this.rx.length);
    pending.chunks.push(Buffer.from(this.rx.subarray(0, n)));
    pending.got += n;
    this.rx = this.rx.subarray(n);
    if (pending.got < pending.need) return;
    this.collecting = undefined;
    this.run({ ...pending.request, payload: Buffer.concat(pending.chunks) });
  }

  // ---- commands ------------------------------------------------------------------------------

  /** Runs one command (or answers `fixed` for it); input waits until it is done. */
  private run(request: CommandRequest, fixed?: Answer): void {
    if (this.faults.muted) return;
    this.busy = true;
    const reply: Reply = { epoch: this.powerEpoch, dropped: this.faults.dropCount > 0 };
    if (reply.dropped) this.faults.dropCount--;
    const epoch = this.powerEpoch;
    void this.answerCommand(request, reply, fixed).finally(() => {
      if (this.powerEpoch !== epoch) return;
      this.busy = false;
      const held = this.heldOutput;
      this.heldOutput = [];
      for (const bytes of held) this.transmit(bytes);
      this.frameInput();
    });
  }

  private async answerCommand(request: CommandRequest, reply: Reply, fixed: Answer | undefined): Promise<void> {
    if (this.faults.delayMs > 0) await new Promise<void>((resolve) => this.device.timers.after(this.faults.delayMs, resolve));
    if (reply.epoch !== this.powerEpoch) return;
    let answer: Answer;
    try {
      answer = fixed ?? (await this.dispatch(request));
    } catch (err) {
      if (reply.epoch !== this.powerEpoch) return;
      this.emit('handler-error', err, describeCommand(request.name, request.name, COMMANDS[request.name]));
      answer = fail('internal');
    }
    if (reply.epoch !== this.powerEpoch || reply.dropped) return;
    const behind = this.afterAnswer.splice(0);
    this.transmit(behind.length === 0 ? encodeAnswer(answer, request.name) : Buffer.concat([encodeAnswer(answer, request.name), ...behind]));
  }

  /** The handler of the command's form; a form it lacks is a bad parameter. */
  private dispatch(request: CommandRequest): Answer | Promise<Answer> {
    const spec = COMMANDS[request.name]!;
    const handler = request.value === undefined ? spec.exec : spec.write;
    if (!handler) return invalid(request.name);
    return handler(this.device, request);
  }

  // ---- output --------------------------------------------------------------------------------

  private transmit(bytes: Buffer): void {
    if (this.faults.muted || bytes.length === 0) return;
    if (this.linePacer) this.linePacer.write(bytes);
    else this.emit('data', bytes);
  }

  /** Raw bytes for the host, outside any answer (after the running one, if a command runs). */
  override emitRaw(data: Buffer | string): void {
    if (!this.isOn) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
    if (this.busy) this.heldOutput.push(bytes);
    else this.transmit(bytes);
  }

  /**
   * Bytes the module prints by itself, put right behind the prompt of its next answer, in the same
   * write: the one place on this half-duplex wire where unsolicited output cannot land inside an
   * answer the host is reading (an R0 answer is raw data up to its end, so anything in it would be
   * data). An answer a fault drops leaves them for the next one; a power loss loses them.
   */
  emitAfterAnswer(data: Buffer | string): void {
    if (!this.isOn) return;
    this.afterAnswer.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
  }

  /** The module reports nothing unsolicited about data or sockets; a test's line goes out as `<line>\r\n`. */
  override emitUrc(line: string): void {
    this.emitRaw(`${line}\r\n`);
  }

  // ---- test support --------------------------------------------------------------------------

  /**
   * Nothing left to do: no command running, no announced payload still incomplete, every byte on
   * the wire. What the network brings is never awaited.
   */
  override async whenIdle(): Promise<void> {
    await super.whenIdle();
    if (this.settled()) return;
    await new Promise<void>((resolve) => this.settleWaiters.push(resolve));
  }

  private settled(): boolean {
    if (!this.isOn) return true;
    return !this.busy && !this.collecting && (this.linePacer?.pending ?? 0) === 0;
  }

  private checkSettled(): void {
    if (this.settleWaiters.length === 0 || !this.settled()) return;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
