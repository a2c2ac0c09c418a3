/**
 * The receiving side of YMODEM, as `ATFS PUT` / `ATFS XPUT` run it on the XBee3 Cellular: after
 * the prompt the module asks for CRC blocks with 'C' once a second, takes block 0 (name and size;
 * the name is ignored — XBee3 User Guide, "FS PUT": the file is stored "to filename and ignoring
 * the filename that appears in block 0"), the data blocks, the EOT handshake and the closing empty
 * block 0.
 *
 * Owns: the transfer's state, its timers and the bytes it writes back (C, ACK, NAK, CAN). Must
 * never: store anything itself (the caller does, once `done` reports the data), or read past the
 * transfer.
 *
 * The exchange as the contract fixes it (the stored guide copies describe only the prompt):
 * ```
 *   ← C (again every 1 s, up to 60 s)
 *   → SOH 00 FF <name NUL size …> CRC        ← ACK C
 *   → STX 01 FE <1024 bytes> CRC              ← ACK      (bad CRC or sequence: NAK; the previous block again: ACK)
 *   → EOT ← NAK   → EOT ← ACK C
 *   → SOH 00 FF <128 zeros> CRC               ← ACK      then the caller prints OK
 *   CAN CAN from the host: cancelled.  10 s of silence: timed out.  Too big: CAN CAN, ENOSPC.
 * ```
 */
import { ACK, CAN, CRC_REQUEST, EOT, NAK, parseBlock, parseHeaderBlock, SOH, STX } from '../../../adapters/xbee3/ymodem';
import type { PowerTimers } from '../../timers';
import type { FsErrorCode } from './tables';

export interface YmodemTiming {
  requestEveryMs: number;
  firstBlockWithinMs: number;
  idleMs: number;
}

export type YmodemOutcome = { data: Buffer } | { error: FsErrorCode };

const PADDING = 0x1a;

type Stage = 'header' | 'data' | 'eot' | 'final' | 'done';

export class YmodemReceiver {
  private stage: Stage = 'header';
  private buffer: Buffer = Buffer.alloc(0);
  private readonly parts: Buffer[] = [];
  private received = 0;
  private expected = 1;
  private size: number | undefined;
  private started = false;
  private requestTimer: NodeJS.Timeout | undefined;
  private giveUpTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      /** Bytes to the host. */
      write(bytes: Buffer): void;
      timers: PowerTimers;
      timing: YmodemTiming;
      /** The most the file may hold. */
      room: number;
      done(outcome: YmodemOutcome): void;
    },
  ) {}

  get finished(): boolean {
    return this.stage === 'done';
  }

  /** Sends the first 'C' and keeps asking until the first byte comes. */
  start(): void {
    const { timers, timing } = this.options;
    const ask = (): void => {
      if (this.started || this.stage === 'done') return;
      this.options.write(Buffer.of(CRC_REQUEST));
      this.requestTimer = timers.after(timing.requestEveryMs, ask);
    };
    ask();
    this.giveUpTimer = timers.after(timing.firstBlockWithinMs, () => this.finish({ error: 'ETIMEDOUT' }));
  }

  push(bytes: Buffer): void {
    if (this.stage === 'done') return;
    if (!this.started) {
      this.started = true;
      this.options.timers.cancel(this.requestTimer);
      this.options.timers.cancel(this.giveUpTimer);
    }
    this.options.timers.cancel(this.idleTimer);
    this.idleTimer = this.options.timers.after(this.options.timing.idleMs, () => this.finish({ error: 'ETIMEDOUT' }));
    this.buffer = this.buffer.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.buffer, bytes]);
    this.consume();
  }

  /** Power loss or a reboot: stops every timer without a word. */
  abandon(): void {
    this.stop();
    this.stage = 'done';
  }

  private consume(): void {
    while (this.buffer.length > 0 && this.stage !== 'done') {
      const first = this.buffer[0]!;
      if (first === CAN) {
        if (this.buffer.length < 2) return;
        if (this.buffer[1] === CAN) {
          this.finish({ error: 'ECANCELED' });
          return;
        }
        this.drop(1);
      } else if (first === EOT) {
        this.drop(1);
        this.endOfFile();
      } else if (first === SOH || first === STX) {
        const parsed = parseBlock(this.buffer);
        if ('incomplete' in parsed) return;
        if ('bad' in parsed) {
          // The whole block is dropped, whatever is wrong with it, and asked for again.
          this.drop(first === SOH ? 133 : 1029);
          this.reply(NAK);
          continue;
        }
        this.drop(5 + parsed.data.length);
        this.block(parsed.seq, parsed.data);
      } else {
        // Noise between blocks.
        this.drop(1);
      }
    }
  }

  private drop(n: number): void {
    this.buffer = this.buffer.subarray(Math.min(n, this.buffer.length));
  }

  private reply(byte: number, ...more: number[]): void {
    this.options.write(Buffer.of(byte, ...more));
  }

  private endOfFile(): void {
    if (this.stage === 'data') {
      // The first EOT is answered with NAK, the second with ACK (contract), as many senders expect.
      this.stage = 'eot';
      this.reply(NAK);
    } else if (this.stage === 'eot') {
      this.stage = 'final';
      this.reply(ACK, CRC_REQUEST);
    } else if (this.stage === 'final') {
      this.reply(ACK);
    }
  }

  private block(seq: number, data: Buffer): void {
    switch (this.stage) {
      case 'header': {
        if (seq !== 0) {
          this.reply(NAK);
          return;
        }
        const header = parseHeaderBlock(data);
        if (header === null) {
          // An empty batch: nothing to store (chosen: answered like a finished transfer of nothing).
          this.reply(ACK);
          this.finish({ data: Buffer.alloc(0) });
          return;
        }
        if (header.size !== undefined && header.size > this.options.room) {
          this.reply(CAN, CAN);
          this.finish({ error: 'ENOSPC' });
          return;
        }
        this.size = header.size;
        this.stage = 'data';
        this.reply(ACK, CRC_REQUEST);
        return;
      }
      case 'data':
        if (seq === (this.expected & 0xff)) {
          this.parts.push(data);
          this.received += data.length;
          this.expected++;
          // With a size in block 0 the room was checked there. Without one, the last block's padding
          // may still be trimmed, so the file is too big once the blocks before this one exceed the room.
          if (this.size === undefined && this.received - data.length > this.options.room) {
            this.reply(CAN, CAN);
            this.finish({ error: 'ENOSPC' });
            return;
          }
          this.reply(ACK);
        } else if (seq === ((this.expected - 1) & 0xff)) {
          // The sender missed our ACK and repeats the block: acknowledged again, its data dropped.
          this.reply(ACK);
        } else {
          this.reply(NAK);
        }
        return;
      case 'eot':
        this.reply(NAK);
        return;
      case 'final':
        if (seq !== 0) {
          this.reply(NAK);
          return;
        }
        // The closing block (a second file of a batch is not taken: chosen, PUT names one file).
        this.reply(ACK);
        this.finish({ data: this.content() });
        return;
      default:
        return;
    }
  }

  private content(): Buffer {
    const all = Buffer.concat(this.parts);
    if (this.size !== undefined) return all.subarray(0, this.size);
    // No size in block 0: the 0x1A padding of the last block is trimmed (XMODEM custom).
    let end = all.length;
    while (end > 0 && all[end - 1] === PADDING) end--;
    return all.subarray(0, end);
  }

  private stop(): void {
    const { timers } = this.options;
    timers.cancel(this.requestTimer);
    timers.cancel(this.giveUpTimer);
    timers.cancel(this.idleTimer);
  }

  private finish(outcome: YmodemOutcome): void {
    if (this.stage === 'done') return;
    this.stop();
    this.stage = 'done';
    this.options.done(outcome);
  }
}
