/**
 * The wire of a simulated XBee3 Cellular: bytes from the host in, bytes to the host out, and the
 * two states the module's UART is in — its data mode (transparent, API or escaped API, as AP says)
 * and command mode, entered with `+++` between two guard times.
 *
 * Why a class of its own: the XBee is not a V.250 modem. It boots in its data mode, echoes
 * nothing, ends every answer with CR alone, leaves command mode on its own after CT, and its guard
 * time is a register. `SimulatedModem`'s command engine fits none of that, so this subclass keeps
 * only what the rest of the simulator relies on — power (`powerOn`, `powerOff`, `reboot`, `close`,
 * the `power` event), the clock, the command log with `waitForCommand` and the `command` event, the
 * `data` event the transports listen to, `whenIdle`, `faults` and `baudRate` pacing (`LinePacer`, both ways) —
 * and replaces the byte handling.
 *
 * Owns: guard-time detection (silence measured on the bytes received, GT from the register),
 * command lines and their answers, CT, handing raw bytes to a YMODEM transfer, API frame decoding
 * (the adapter's codec) and encoding, and holding what the network brings while the host is in
 * command mode (delivered in order once it leaves — contract). Must never: write a byte after
 * power loss that belongs to work begun before it, or log the content of a file or a payload.
 *
 * XBee3 Cellular User Guide, "Enter Command mode": "silence ≥ GT, then CC three times within GT,
 * then silence ≥ GT" → `OK\r`; "Command mode is available on the UART interface for all operating
 * modes"; "If CT time … passes without any user input, the device drops out of Command mode and
 * returns to the previous operating mode"; ATCN leaves at once. An exchange (transparent mode):
 * ```
 *   (1 s of silence) → +++ (1 s of silence)   ← OK<CR>
 *   → ATAP<CR>                                 ← 0<CR>
 *   → ATAP1<CR>                                ← OK<CR>
 *   → ATCN<CR>                                 ← OK<CR>      (now in API mode)
 * ```
 */
import { performance } from 'node:perf_hooks';
import { encodeFrame, FrameDecoder, type ApiFrame } from '../../../adapters/xbee3/api-frames';
import { FaultSwitches, SimulatedModem, type SimulatedModemOptions } from '../../modem';
import { LinePacer } from '../../throttle';
import { runApiCommand, runCommandLine, type CommandHost } from './commands';
import { handleSocketFrame, invalidConnect, type Respond } from './sockets';
import type { Xbee3Device } from './state';
import { COMMAND_MODE, MODEM_STATUS } from './tables';
import { transparentSend } from './transparent';

const CR = 0x0d;
const LF = 0x0a;
/** The most raw bytes an escaped frame of the longest accepted length can take (for invalid 0x42 frames). */

type Mode = 'data' | 'command';

/** One command line's or frame's direct answers: dropped as a whole, and void once power was lost. */
interface Reply {
  epoch: number;
  dropped: boolean;
}

const hex2 = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

/** A frame from the host as the command log shows it: type and fields, never a payload's content. */
export function describeFrame(frame: ApiFrame): string {
  switch (frame.type) {
    case 0x08: {
      const parameter = frame.parameter.length === 0 ? '' : ` ${frame.command.startsWith('$') || /^(DL|AN)$/i.test(frame.command) ? frame.parameter.toString('latin1') : `0x${frame.parameter.toString('hex').toUpperCase()}`}`;
      return `API 0x08 id=${frame.frameId} AT${frame.command}${parameter}`;
    }
    case 0x40:
      return `API 0x40 id=${frame.frameId} protocol=${frame.protocol}`;
    case 0x41:
      return `API 0x41 id=${frame.frameId} socket=${frame.socket} option=${frame.option}${frame.data.length > 0 ? ` value=0x${frame.data.toString('hex').toUpperCase()}` : ''}`;
    case 0x42:
      return `API 0x42 id=${frame.frameId} socket=${frame.socket} ${frame.address}:${frame.port}`;
    case 0x43:
      return `API 0x43 id=${frame.frameId} socket=${frame.socket}`;
    case 0x44:
      return `API 0x44 id=${frame.frameId} socket=${frame.socket} ${frame.payload.length} bytes`;
    case 'unknown':
      return `API 0x${hex2(frame.frameType)} ${frame.data.length} bytes`;
    default:
      return `API 0x${hex2(frame.type)}`;
  }
}

export class Xbee3Modem extends SimulatedModem {
  override readonly faults: FaultSwitches;
  private mode: Mode = 'data';
  /** `performance.now()` of the last byte received: guard times are measured from it. */
  private lastInputAt = 0;
  /** CC characters held back in data mode: they may be the escape sequence, or data. */
  private pluses = 0;
  private firstPlusAt = 0;
  private guardTimer: NodeJS.Timeout | undefined;
  private ctTimer: NodeJS.Timeout | undefined;
  private commandLine: number[] = [];
  /** A command line is running; input waits in `queued`. */
  private busy = false;
  private queued: Buffer = Buffer.alloc(0);
  /** A YMODEM transfer takes every byte. */
  private raw: ((bytes: Buffer) => void) | undefined;
  /** What the network brought while the host is in command mode. */
  private held: Array<ApiFrame | Buffer> = [];
  private readonly linePacer: LinePacer | undefined;
  private readonly decoder: FrameDecoder;
  private frameChain: Promise<void> = Promise.resolve();
  private pendingFrames = 0;
  private rebooting = false;
  private powerEpoch = 0;
  private settleWaiters: Array<() => void> = [];

  constructor(
    readonly device: Xbee3Device,
    options: SimulatedModemOptions,
  ) {
    const { baudRate, escapeGuardMs: _guard, parser: _parser, ...rest } = options;
    super({ ...rest, baudRate }, { ownOutput: true });
    if (baudRate !== undefined) this.linePacer = new LinePacer(baudRate, (data) => this.emit('data', data), () => this.checkSettled());
    this.decoder = new FrameDecoder({
      escaped: false,
      onFrame: (frame) => this.onFrame(frame),
      onInvalid: (data) => this.onInvalid(data),
    });
    this.faults = new FaultSwitches((bytes) => this.transmit(bytes));
    device.host = {
      frame: (frame) => this.toHost(frame),
      data: (bytes) => this.toHost(bytes),
    };
    this.on('power', (state) => (state === 'on' ? this.booted() : this.lost()));
  }

  /** Whether the host has the module in command mode. */
  get inCommandMode(): boolean {
    return this.mode === 'command';
  }

  private get guardMs(): number {
    return this.device.registers.num('GT');
  }

  // ---- power ---------------------------------------------------------------------------------

  /** Booted: the saved registers are in effect; in API mode a Modem Status 0x00, then 0x02 once registered (contract). */
  private booted(): void {
    this.faults.muted = false;
    this.mode = 'data';
    this.lastInputAt = performance.now();
    this.decoder.reset();
    this.decoder.escaped = this.device.apiMode === 2;
    if (this.device.apiMode !== 0) {
      this.toHost({ type: 0x8a, status: MODEM_STATUS.powerUp });
      this.toHost({ type: 0x8a, status: MODEM_STATUS.registered });
    }
    this.checkSettled();
  }

  private lost(): void {
    this.powerEpoch++;
    this.device.powerLost();
    this.mode = 'data';
    this.pluses = 0;
    this.guardTimer = undefined;
    this.ctTimer = undefined;
    this.commandLine = [];
    this.busy = false;
    this.queued = Buffer.alloc(0);
    this.raw = undefined;
    this.held = [];
    this.pendingFrames = 0;
    this.frameChain = Promise.resolve();
    this.decoder.reset();
    this.linePacer?.clear();
    this.checkSettled();
  }

  // ---- input ---------------------------------------------------------------------------------

  protected override accept(bytes: Buffer): void {
    if (!this.isOn) return;
    const now = performance.now();
    const quietBefore = now - this.lastInputAt >= this.guardMs;
    this.lastInputAt = now;
    if (this.mode === 'command') this.feedCommandMode(bytes);
    else this.feedData(bytes, quietBefore, now);
    this.checkSettled();
  }

  /**
   * Data mode: every byte is data except CC CC CC standing alone — silence of GT before the first,
   * the three within GT, and silence of GT after the last (checked when the guard timer runs out).
   */
  private feedData(bytes: Buffer, quietBefore: boolean, now: number): void {
    const cc = this.device.registers.num('CC');
    if (this.pluses === 0 && !(bytes[0] === cc && quietBefore)) {
      // The common case: an escape can only begin a chunk that follows silence.
      this.dataIn(bytes);
      return;
    }
    this.cancelGuard();
    const data: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.pluses > 0 && this.pluses < 3 && b === cc && now - this.firstPlusAt <= this.guardMs) {
        this.pluses++;
      } else if (this.pluses === 0 && i === 0 && b === cc && quietBefore) {
        this.pluses = 1;
        this.firstPlusAt = now;
      } else {
        // Not an escape after all: the held characters were data.
        for (; this.pluses > 0; this.pluses--) data.push(cc);
        data.push(b);
      }
    }
    if (this.pluses > 0) this.armGuard(this.guardMs);
    if (data.length > 0) this.dataIn(Buffer.from(data));
  }

  private armGuard(ms: number): void {
    this.guardTimer = this.device.timers.after(ms, () => {
      this.guardTimer = undefined;
      this.guardRanOut();
    });
  }

  private cancelGuard(): void {
    this.device.timers.cancel(this.guardTimer);
    this.guardTimer = undefined;
  }

  private guardRanOut(): void {
    if (this.mode !== 'data' || this.pluses === 0) return;
    // Timers may fire a little early: the silence must be real.
    const remaining = this.guardMs - (performance.now() - this.lastInputAt);
    if (remaining > 0) {
      this.armGuard(Math.ceil(remaining));
      return;
    }
    const cc = this.device.registers.num('CC');
    if (this.pluses < 3) {
      const held = Buffer.alloc(this.pluses, cc);
      this.pluses = 0;
      this.dataIn(held);
    } else {
      this.pluses = 0;
      this.enterCommandMode();
    }
    this.checkSettled();
  }

  /** Bytes for the data mode in effect: the transparent connection, or the API frame decoder. */
  private dataIn(bytes: Buffer): void {
    if (this.faults.muted) return;
    if (this.device.apiMode === 0) {
      transparentSend(this.device, bytes);
      return;
    }
    this.decoder.push(bytes);
  }

  // ---- command mode --------------------------------------------------------------------------

  private enterCommandMode(): void {
    this.mode = 'command';
    this.commandLine = [];
    this.transmit(Buffer.from(`${COMMAND_MODE.reply}\r`, 'latin1'));
    this.startCt();
  }

  /** CT (x 100 ms, scaled by `timeScale`) from entry or from the end of the last command's answer. */
  private startCt(): void {
    this.cancelCt();
    const timers = this.device.timers;
    this.ctTimer = timers.after(timers.ms(this.device.registers.num('CT') * 100), () => {
      this.ctTimer = undefined;
      // Silently back to the data mode; pending changes take effect as with CN (simulator's choice).
      if (this.mode === 'command' && !this.busy) this.leaveCommandMode();
    });
  }

  private cancelCt(): void {
    this.device.timers.cancel(this.ctTimer);
    this.ctTimer = undefined;
  }

  private leaveCommandMode(): void {
    this.cancelCt();
    this.mode = 'data';
    this.commandLine = [];
    this.apply();
    this.decoder.reset();
    const held = this.held;
    this.held = [];
    for (const item of held) this.transmit(this.encode(item));
    this.checkSettled();
  }

  private apply(): void {
    this.device.apply();
    this.decoder.escaped = this.device.apiMode === 2;
  }

  private feedCommandMode(bytes: Buffer): void {
    if (this.raw) {
      this.raw(bytes);
      return;
    }
    if (this.busy) {
      this.queued = this.queued.length === 0 ? bytes : Buffer.concat([this.queued, bytes]);
      return;
    }
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === CR) {
        const text = Buffer.from(this.commandLine).toString('latin1');
        this.commandLine = [];
        this.onCommandLine(text);
        const rest = bytes.subarray(i + 1);
        if (this.busy) {
          if (rest.length > 0) this.queued = this.queued.length === 0 ? Buffer.from(rest) : Buffer.concat([rest, this.queued]);
          return;
        }
      } else if (b === LF) {
        // An LF after the CR is not part of the next line (hosts that end lines with CR LF).
      } else if (this.commandLine.length < COMMAND_MODE.maxLine) {
        this.commandLine.push(b);
      }
    }
  }

  private log1(line: string): void {
    this.logCommand(line);
  }

  private newReply(): Reply {
    const reply: Reply = { epoch: this.powerEpoch, dropped: this.faults.dropCount > 0 };
    if (reply.dropped) this.faults.dropCount--;
    return reply;
  }

  private onCommandLine(text: string): void {
    // A bare CR is no command (simulator's choice: ignored, CT keeps running).
    if (text.trim() === '') return;
    this.log1(text);
    if (this.faults.muted) return;
    this.cancelCt();
    this.busy = true;
    const reply = this.newReply();
    const epoch = this.powerEpoch;
    void this.runCommand(text, reply).finally(() => {
      if (this.powerEpoch !== epoch) return;
      this.busy = false;
      this.raw = undefined;
      if (this.mode === 'command') this.startCt();
      const queued = this.queued;
      this.queued = Buffer.alloc(0);
      if (queued.length > 0) {
        if (this.mode === 'command') this.feedCommandMode(queued);
        else this.feedData(queued, false, performance.now());
      }
      this.checkSettled();
    });
  }

  private async runCommand(text: string, reply: Reply): Promise<void> {
    if (this.faults.delayMs > 0) await new Promise<void>((resolve) => this.device.timers.after(this.faults.delayMs, resolve));
    if (reply.epoch !== this.powerEpoch) return;
    let leave = false;
    const host: CommandHost = {
      answer: (line) => this.answerFor(reply, Buffer.from(`${line}\r`, 'latin1')),
      write: (bytes) => this.answerFor(reply, bytes),
      takeRaw: (handler) => {
        this.raw = handler;
        return () => {
          if (this.raw === handler) this.raw = undefined;
        };
      },
      leaveCommandMode: () => {
        leave = true;
      },
      apply: () => this.apply(),
      reboot: () => this.rebootAfterAnswer(),
    };
    try {
      await runCommandLine(this.device, host, text);
    } catch (err) {
      if (reply.epoch !== this.powerEpoch) return;
      this.emit('handler-error', err, text);
      this.answerFor(reply, Buffer.from('ERROR\r', 'latin1'));
    }
    if (leave && reply.epoch === this.powerEpoch) this.leaveCommandMode();
  }

  /** ATFR: the answer goes out first (all of it, at the line rate), then the power cycle. */
  private rebootAfterAnswer(): void {
    this.rebooting = true;
    const epoch = this.powerEpoch;
    const go = (): void => {
      if (this.powerEpoch !== epoch) return;
      if ((this.linePacer?.pending ?? 0) > 0) {
        setTimeout(go, 5);
        return;
      }
      void this.reboot().finally(() => {
        this.rebooting = false;
        this.checkSettled();
      });
    };
    setImmediate(go);
  }

  // ---- API mode ------------------------------------------------------------------------------

  private onFrame(frame: ApiFrame): void {
    this.log1(describeFrame(frame));
    if (this.faults.muted) return;
    const reply = this.newReply();
    const respond: Respond = (answer) => {
      if (reply.epoch === this.powerEpoch && !reply.dropped) this.toHost(answer);
    };
    if (this.faults.delayMs > 0 || this.pendingFrames > 0) {
      // A delayed frame keeps its place: later frames wait behind it.
      this.pendingFrames++;
      const epoch = this.powerEpoch;
      const delay = this.faults.delayMs;
      this.frameChain = this.frameChain
        .then(() => new Promise<void>((resolve) => (delay > 0 ? this.device.timers.after(delay, resolve) : resolve())))
        .then(() => {
          if (this.powerEpoch !== epoch) return;
          this.pendingFrames--;
          this.handleFrame(frame, respond);
          this.checkSettled();
        });
      return;
    }
    this.handleFrame(frame, respond);
  }

  private handleFrame(frame: ApiFrame, respond: Respond): void {
    if (frame.type === 0x08) {
      runApiCommand(this.device, { apply: () => this.apply(), reboot: () => this.rebootAfterAnswer() }, frame, respond);
      return;
    }
    // Other frame types (0x20 TX Request IPv4 among them) are not simulated and are ignored, as
    // the guide asks hosts to do with frames they do not know.
    handleSocketFrame(this.device, frame, respond);
  }

  /** A frame the codec could not parse: a 0x42 with a bad address still gets its 0xC2 (contract). */
  private onInvalid(data: Buffer): void {
    this.log1(`API 0x${hex2(data[0] ?? 0)} invalid (${data.length} bytes)`);
    if (this.faults.muted) return;
    const reply = this.newReply();
    invalidConnect(data, (answer) => {
      if (reply.epoch === this.powerEpoch && !reply.dropped) this.toHost(answer);
    });
  }

  // ---- output --------------------------------------------------------------------------------

  private encode(item: ApiFrame | Buffer): Buffer {
    return Buffer.isBuffer(item) ? item : encodeFrame(item, this.device.apiMode === 2);
  }

  /** Data-mode output: held while the host is in command mode, then delivered in order (contract). */
  private toHost(item: ApiFrame | Buffer): void {
    if (!this.isOn) return;
    if (this.mode === 'command') this.held.push(item);
    else this.transmit(this.encode(item));
  }

  private answerFor(reply: Reply, bytes: Buffer): void {
    if (reply.epoch !== this.powerEpoch || reply.dropped) return;
    this.transmit(bytes);
  }

  private transmit(bytes: Buffer): void {
    if (this.faults.muted || bytes.length === 0) return;
    if (this.linePacer) this.linePacer.write(bytes);
    else this.emit('data', bytes);
  }

  /** Raw bytes for the host as data-mode output (held in command mode). */
  override emitRaw(data: Buffer | string): void {
    this.toHost(typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
  }

  /** The XBee has no URCs; a line is sent like data-mode output, ended by CR. */
  override emitUrc(line: string): void {
    this.emitRaw(`${line}\r`);
  }

  // ---- test support --------------------------------------------------------------------------

  /**
   * Nothing left to do: no command line running (a YMODEM transfer counts as running), no `+++`
   * waiting for its guard time, no frame waiting behind a delay, every byte on the wire. What the
   * network brings is never awaited, nor what is held for the end of command mode.
   */
  override async whenIdle(): Promise<void> {
    await super.whenIdle();
    if (this.settled()) return;
    await new Promise<void>((resolve) => this.settleWaiters.push(resolve));
  }

  private settled(): boolean {
    if (this.rebooting) return false;
    if (!this.isOn) return true;
    return !this.busy && this.pluses === 0 && this.pendingFrames === 0 && (this.linePacer?.pending ?? 0) === 0;
  }

  private checkSettled(): void {
    if (this.settleWaiters.length === 0 || !this.settled()) return;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
