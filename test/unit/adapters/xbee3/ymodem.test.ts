/**
 * YMODEM as `ATFS PUT` uses it: the CRC and block layout, then whole transfers against a receiver
 * scripted here the way the module behaves (prompt line, 'C', ACK then 'C' after block 0, NAK on
 * the first EOT, "OK\r" after the closing block) — and its failures: NAKs, CAN CAN, silence.
 */
import assert from 'node:assert/strict';
import {
  ACK,
  CAN,
  crc16xmodem,
  CRC_REQUEST,
  EOT,
  FINAL_BLOCK,
  headerBlock,
  NAK,
  parseBlock,
  parseHeaderBlock,
  sendYmodem,
  SOH,
  STX,
  ymodemBlock,
  YmodemError,
  type YmodemIo,
} from '../../../../src/adapters/xbee3/ymodem';

const PROMPT = 'Receiving file with YMODEM...\r';

function allBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => i & 0xff));
}

/** The sender's side of an in-memory byte pipe: what it writes goes to `onWrite`, what `deliver` gets it reads. */
class Pipe implements YmodemIo {
  readonly written: Buffer[] = [];
  onWrite: (bytes: Buffer) => void = () => undefined;
  failWrites = false;
  private queue: Buffer[] = [];
  private waiter?: { resolve(b: Buffer): void; timer: NodeJS.Timeout };

  async write(bytes: Buffer): Promise<void> {
    if (this.failWrites) throw new Error('link closed');
    this.written.push(Buffer.from(bytes));
    this.onWrite(Buffer.from(bytes));
  }

  read(timeoutMs: number): Promise<Buffer> {
    if (this.queue.length > 0) {
      const all = Buffer.concat(this.queue);
      this.queue = [];
      return Promise.resolve(all);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error('read timed out'));
      }, timeoutMs);
      this.waiter = { resolve, timer };
    });
  }

  deliver(bytes: Buffer | string): void {
    const b = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    if (this.waiter) {
      const { resolve, timer } = this.waiter;
      this.waiter = undefined;
      clearTimeout(timer);
      resolve(b);
    } else {
      this.queue.push(b);
    }
  }

  /** Everything written, as one buffer. */
  all(): Buffer {
    return Buffer.concat(this.written);
  }
}

interface Script {
  /** What the module writes first; default the prompt line then 'C'. */
  opening?: string;
  /** NAK the first EOT (the contract's module does); default true. */
  nakFirstEot?: boolean;
  /** 'C' after ACKing block 0 (standard YMODEM); default true. */
  cAfterHeader?: boolean;
  /** Data blocks (by number from 1) whose first copy is corrupted on the wire: the receiver NAKs them. */
  corruptOnce?: number[];
  /** A data block the receiver always NAKs. */
  alwaysNak?: number;
  /** Reply CAN CAN (and this text) to this data block. */
  cancelAt?: { block: number; text?: string };
  /** Stop answering at this point. */
  silentAt?: 'start' | 'header' | 'eot' | 'final' | number;
  /** Written after the final ACK; default "OK\r". */
  after?: string;
}

/** A YMODEM receiver behaving as the contract describes the module. */
class Receiver {
  name?: string;
  size?: number;
  readonly blockHeaders: number[] = [];
  readonly events: string[] = [];
  private readonly blocks: Buffer[] = [];
  private state: 'header' | 'data' | 'final' | 'done' | 'silent' = 'header';
  private rx: Buffer = Buffer.alloc(0);
  private expect = 1;
  private eots = 0;
  private readonly corrupted = new Set<number>();

  constructor(
    private readonly pipe: Pipe,
    private readonly script: Script = {},
  ) {
    pipe.onWrite = (bytes) => this.receive(bytes);
    if (script.silentAt === 'start') {
      this.state = 'silent';
      pipe.deliver(PROMPT);
      return;
    }
    pipe.deliver(script.opening ?? `${PROMPT}C`);
  }

  /** The file as stored: the data blocks trimmed to block 0's size. */
  get file(): Buffer {
    return Buffer.concat(this.blocks).subarray(0, this.size);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  private listening(): boolean {
    return this.state !== 'silent' && this.state !== 'done';
  }

  private reply(...bytes: Array<number | string>): void {
    this.pipe.deliver(Buffer.concat(bytes.map((b) => (typeof b === 'number' ? Buffer.of(b) : Buffer.from(b, 'latin1')))));
  }

  private receive(bytes: Buffer): void {
    if (!this.listening()) {
      if (bytes.equals(Buffer.of(CAN, CAN, CAN))) this.events.push('sender cancelled');
      return;
    }
    this.rx = Buffer.concat([this.rx, bytes]);
    while (this.rx.length > 0 && this.listening()) {
      if (this.rx[0] === CAN) {
        this.events.push('sender cancelled');
        this.state = 'done';
        return;
      }
      if (this.rx[0] === EOT) {
        this.rx = this.rx.subarray(1);
        if (this.script.silentAt === 'eot') {
          this.state = 'silent';
          return;
        }
        if (this.eots++ === 0 && (this.script.nakFirstEot ?? true)) {
          this.events.push('EOT NAK');
          this.reply(NAK);
        } else {
          this.events.push('EOT ACK');
          this.state = 'final';
          if (this.script.silentAt === 'final') {
            this.reply(ACK);
            this.state = 'silent';
          } else {
            this.reply(ACK, CRC_REQUEST);
          }
        }
        continue;
      }
      if (this.rx[0] === SOH || this.rx[0] === STX) {
        const header = this.rx[0];
        const seqOnWire = this.rx[1];
        const number = this.state === 'data' ? this.expect : 0;
        if (
          this.state === 'data' &&
          this.rx.length >= 3 &&
          seqOnWire === (number & 0xff) &&
          this.script.corruptOnce?.includes(number) &&
          !this.corrupted.has(number)
        ) {
          this.corrupted.add(number);
          this.rx = Buffer.from(this.rx);
          this.rx[10] ^= 0xff;
        }
        const parsed = parseBlock(this.rx);
        if ('incomplete' in parsed) return;
        if ('bad' in parsed) {
          this.events.push(`NAK (${parsed.bad.split(' ')[0]})`);
          this.rx = Buffer.alloc(0);
          this.reply(NAK);
          return;
        }
        this.rx = this.rx.subarray(5 + parsed.data.length);
        this.onBlock(header, parsed.seq, parsed.data);
        continue;
      }
      this.events.push(`junk 0x${this.rx[0].toString(16)}`);
      this.rx = this.rx.subarray(1);
    }
  }

  private onBlock(header: number, seq: number, data: Buffer): void {
    if (this.state === 'header') {
      if (this.script.silentAt === 'header') {
        this.state = 'silent';
        return;
      }
      const info = parseHeaderBlock(data);
      assert.ok(info, 'block 0 names a file');
      this.name = info.name;
      this.size = info.size;
      this.events.push(`header ${info.name} ${info.size}`);
      this.state = 'data';
      if (this.script.cAfterHeader ?? true) this.reply(ACK, CRC_REQUEST);
      else this.reply(ACK);
      return;
    }
    if (this.state === 'final') {
      assert.equal(seq, 0);
      assert.equal(parseHeaderBlock(data), null, 'the closing block 0 is empty');
      this.events.push('final');
      this.state = 'done';
      this.reply(ACK, this.script.after ?? 'OK\r');
      return;
    }
    if (seq === ((this.expect - 1) & 0xff) && this.expect > 1) {
      this.events.push(`duplicate ${this.expect - 1}`);
      this.reply(ACK);
      return;
    }
    if (seq !== (this.expect & 0xff)) {
      this.reply(NAK);
      return;
    }
    if (this.script.silentAt === this.expect) {
      this.state = 'silent';
      return;
    }
    if (this.script.cancelAt?.block === this.expect) {
      this.events.push(`cancel ${this.expect}`);
      this.state = 'done';
      this.reply(CAN, CAN, this.script.cancelAt.text ?? '');
      return;
    }
    if (this.script.alwaysNak === this.expect) {
      this.events.push(`NAK ${this.expect}`);
      this.reply(NAK);
      return;
    }
    this.blockHeaders.push(header);
    this.blocks.push(data);
    this.expect++;
    this.reply(ACK);
  }
}

const FAST = { firstTimeoutMs: 200, replyTimeoutMs: 100 };

async function rejection(promise: Promise<unknown>): Promise<YmodemError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof YmodemError, `a YmodemError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the transfer to fail');
}

function lastWrite(pipe: Pipe): Buffer {
  return pipe.written[pipe.written.length - 1];
}

describe('XBee3 YMODEM', () => {
  describe('CRC-16/XMODEM', () => {
    it('the check value: "123456789" gives 0x31C3', () => {
      assert.equal(crc16xmodem(Buffer.from('123456789')), 0x31c3);
    });

    it('init 0, so no data and all-zero data give 0', () => {
      assert.equal(crc16xmodem(Buffer.alloc(0)), 0);
      assert.equal(crc16xmodem(Buffer.alloc(128)), 0);
    });

    it('known single bytes (poly 0x1021, not reflected)', () => {
      assert.equal(crc16xmodem(Buffer.of(0x01)), 0x1021);
      assert.equal(crc16xmodem(Buffer.from('A')), 0x58e5);
    });
  });

  describe('blocks', () => {
    it('a 128-byte data block: SOH, seq, ~seq, data padded with 0x1A, CRC high then low', () => {
      const block = ymodemBlock(1, Buffer.from('hello'));
      assert.equal(block.length, 133);
      assert.deepEqual([...block.subarray(0, 3)], [SOH, 0x01, 0xfe]);
      assert.equal(block.toString('latin1', 3, 8), 'hello');
      assert.deepEqual(block.subarray(8, 131), Buffer.alloc(123, 0x1a));
      const crc = crc16xmodem(block.subarray(3, 131));
      assert.deepEqual([...block.subarray(131)], [crc >> 8, crc & 0xff]);
    });

    it('a 1024-byte block: STX; the size follows the data or is asked for', () => {
      assert.equal(ymodemBlock(2, Buffer.alloc(129))[0], STX);
      assert.equal(ymodemBlock(2, Buffer.alloc(129)).length, 1029);
      assert.equal(ymodemBlock(2, Buffer.alloc(128))[0], SOH);
      assert.equal(ymodemBlock(2, Buffer.alloc(10), 1024)[0], STX);
      assert.equal(ymodemBlock(3, Buffer.alloc(10), 1024)[13], 0x1a, "padding right after the data");
      assert.throws(() => ymodemBlock(1, Buffer.alloc(129), 128), RangeError);
      assert.throws(() => ymodemBlock(1, Buffer.alloc(1025)), RangeError);
      assert.throws(() => ymodemBlock(-1, Buffer.alloc(1)), RangeError);
    });

    it('sequence numbers wrap at 256, and block 256 is still padded with 0x1A', () => {
      const block = ymodemBlock(256, Buffer.of(1));
      assert.deepEqual([...block.subarray(0, 5)], [SOH, 0x00, 0xff, 0x01, 0x1a]);
      assert.deepEqual([...ymodemBlock(255, Buffer.of(1)).subarray(1, 3)], [0xff, 0x00]);
    });

    it('block 0: name NUL size NUL, zero-padded to 128', () => {
      const block = headerBlock('ca.pem', 1234);
      assert.equal(block.length, 133);
      assert.deepEqual([...block.subarray(0, 3)], [SOH, 0x00, 0xff]);
      assert.equal(block.toString('latin1', 3, 3 + 12), 'ca.pem\u00001234\u0000');
      assert.deepEqual(block.subarray(15, 131), Buffer.alloc(116));
      const parsed = parseBlock(block);
      assert.ok('seq' in parsed);
      assert.deepEqual(parseHeaderBlock(parsed.data), { name: 'ca.pem', size: 1234 });
    });

    it('block 0 of a long name takes 1024 bytes', () => {
      const name = 'x'.repeat(200);
      const block = headerBlock(name, 5);
      assert.equal(block[0], STX);
      assert.equal(block.length, 1029);
      const parsed = parseBlock(block);
      assert.ok('seq' in parsed);
      assert.deepEqual(parseHeaderBlock(parsed.data), { name, size: 5 });
      assert.throws(() => headerBlock('y'.repeat(1100), 1), RangeError);
      assert.throws(() => headerBlock('', 1), RangeError);
      assert.throws(() => headerBlock('a', -1), RangeError);
    });

    it('the closing block: an empty block 0', () => {
      assert.equal(FINAL_BLOCK.length, 133);
      assert.deepEqual([...FINAL_BLOCK.subarray(0, 3)], [SOH, 0x00, 0xff]);
      assert.deepEqual(FINAL_BLOCK.subarray(3), Buffer.alloc(130));
      const parsed = parseBlock(FINAL_BLOCK);
      assert.ok('seq' in parsed);
      assert.equal(parseHeaderBlock(parsed.data), null);
    });

    it('parseHeaderBlock reads the size before optional fields', () => {
      assert.deepEqual(parseHeaderBlock(Buffer.from('a.txt\u000042 14173545620 100644\u0000')), { name: 'a.txt', size: 42 });
      assert.deepEqual(parseHeaderBlock(Buffer.from('a.txt\u0000\u0000')), { name: 'a.txt', size: undefined });
    });

    it('parseBlock: whole, incomplete, bad complement, bad CRC, bad header', () => {
      const block = ymodemBlock(7, allBytes(1024));
      assert.deepEqual(parseBlock(Buffer.concat([block, Buffer.from('tail')])), { seq: 7, data: allBytes(1024) });
      assert.deepEqual(parseBlock(block.subarray(0, 1028)), { incomplete: true });
      assert.deepEqual(parseBlock(Buffer.alloc(0)), { incomplete: true });
      const complement = Buffer.from(block);
      complement[2] = 0;
      assert.match((parseBlock(complement) as { bad: string }).bad, /complement/);
      const crc = Buffer.from(block);
      crc[500] ^= 1;
      assert.match((parseBlock(crc) as { bad: string }).bad, /CRC/);
      assert.match((parseBlock(Buffer.of(0x41, 1, 2)) as { bad: string }).bad, /not SOH or STX/);
    });
  });

  describe('sendYmodem against a scripted receiver', () => {
    const SIZES: Array<[number, number[]]> = [
      [0, []],
      [1, [SOH]],
      [127, [SOH]],
      [128, [SOH]],
      [129, [STX]],
      [1023, [STX]],
      [1024, [STX]],
      [1025, [STX, SOH]],
      [5000, [STX, STX, STX, STX, STX]],
    ];
    for (const [size, layout] of SIZES) {
      it(`${size} bytes: ${layout.length} data block(s), stored exactly`, async () => {
        const pipe = new Pipe();
        const receiver = new Receiver(pipe);
        const data = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + 3) & 0xff));
        const { rest } = await sendYmodem(pipe, 'client.pem', data, FAST);
        assert.ok(receiver.finished);
        assert.equal(receiver.name, 'client.pem');
        assert.equal(receiver.size, size);
        assert.deepEqual(receiver.file, data);
        assert.deepEqual(receiver.blockHeaders, layout);
        assert.deepEqual(receiver.events, [`header client.pem ${size}`, 'EOT NAK', 'EOT ACK', 'final']);
        assert.equal(rest.toString(), 'OK\r');
        // What went on the wire: block 0, the data blocks, EOT twice, the closing block.
        assert.equal(pipe.written.length, 1 + layout.length + 2 + 1);
        assert.deepEqual(pipe.written[0], headerBlock('client.pem', size));
        assert.deepEqual(pipe.written.slice(-3), [Buffer.of(EOT), Buffer.of(EOT), FINAL_BLOCK]);
      });
    }

    it('every byte value, 0x1A last: the receiver trims by block 0’s size and keeps the 0x1A bytes', async () => {
      const data = Buffer.concat([allBytes(1000), Buffer.of(0x1a, 0x1a, 0x1a)]);
      const pipe = new Pipe();
      const receiver = new Receiver(pipe);
      await sendYmodem(pipe, 'key.pem', data, FAST);
      assert.equal(receiver.size, 1003);
      assert.deepEqual(receiver.file, data);
      // Without the size the padding could not be told from the data.
      const last = parseBlock(pipe.written[1]);
      assert.ok('seq' in last);
      assert.deepEqual(last.data.subarray(1000), Buffer.alloc(24, 0x1a));
    });

    it('more than 255 blocks: sequence numbers wrap to 0 and on', async () => {
      const data = Buffer.concat([allBytes(256 * 1024), Buffer.from('end')]);
      const pipe = new Pipe();
      const receiver = new Receiver(pipe);
      await sendYmodem(pipe, 'big.bin', data, FAST);
      assert.deepEqual(receiver.file, data);
      assert.equal(receiver.blockHeaders.length, 257);
      assert.equal(pipe.written[256][1], 0x00, 'block 256 goes as seq 0');
      assert.equal(pipe.written[257][0], SOH, 'the last 3 bytes in a 128-byte block');
    });

    it('a NAK on a data block (corrupted on the wire) makes the sender send it again', async () => {
      const data = allBytes(3000);
      const pipe = new Pipe();
      const receiver = new Receiver(pipe, { corruptOnce: [2] });
      await sendYmodem(pipe, 'f', data, FAST);
      assert.deepEqual(receiver.file, data);
      assert.deepEqual(receiver.events, ['header f 3000', 'NAK (CRC)', 'EOT NAK', 'EOT ACK', 'final']);
      assert.deepEqual(pipe.written[2], pipe.written[3], 'block 2 sent twice, unchanged');
      assert.equal(pipe.written[2][1], 2);
    });

    it('an EOT ACKed at once needs no second EOT', async () => {
      const pipe = new Pipe();
      const receiver = new Receiver(pipe, { nakFirstEot: false });
      await sendYmodem(pipe, 'f', Buffer.from('x'), FAST);
      assert.deepEqual(receiver.events, ['header f 1', 'EOT ACK', 'final']);
      assert.equal(pipe.written.filter((b) => b.equals(Buffer.of(EOT))).length, 1);
    });

    it('skips the prompt and stray repeated Cs', async () => {
      const pipe = new Pipe();
      const receiver = new Receiver(pipe, { opening: `\r${PROMPT}CCC` });
      await sendYmodem(pipe, 'f', allBytes(2000), FAST);
      assert.deepEqual(receiver.file, allBytes(2000));
      assert.equal(pipe.written.filter((b) => b[0] === SOH && b[1] === 0).length, 2, 'block 0 once, closing block once');
    });

    it('returns the bytes read after the final ACK as rest', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { after: 'OK\r\x7e\x00\x03' });
      const { rest } = await sendYmodem(pipe, 'f', Buffer.from('abc'), FAST);
      assert.equal(rest.toString('latin1'), 'OK\r\x7e\x00\x03');
    });

    it('rest is empty when the final ACK came alone', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { after: '' });
      const { rest } = await sendYmodem(pipe, 'f', Buffer.from('abc'), FAST);
      assert.equal(rest.length, 0);
    });
  });

  describe('sendYmodem failures', () => {
    it('CAN CAN from the receiver: YmodemError "cancelled", no CAN written back, the receiver’s text in rest', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { cancelAt: { block: 2, text: 'ENOSPC No space left on device\r' } });
      const err = await rejection(sendYmodem(pipe, 'big', allBytes(5000), FAST));
      assert.equal(err.kind, 'cancelled');
      assert.equal(err.step, 'data block 2');
      assert.match(err.message, /^YMODEM data block 2: cancelled by the receiver/);
      assert.equal(err.rest.toString(), 'ENOSPC No space left on device\r');
      assert.equal(lastWrite(pipe)[1], 2, 'the last write was block 2, not CANs');
    });

    it('an error line instead of C: YmodemError "rejected" with the line, no CAN written', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { opening: 'ENOENT No such file or directory\r' });
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), FAST));
      assert.equal(err.kind, 'rejected');
      assert.equal(err.step, 'waiting for the receiver');
      assert.equal(err.reply, 'ENOENT No such file or directory');
      assert.equal(pipe.written.length, 0);
    });

    it('an error line holding C is not mistaken for the request', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { opening: 'EACCES Secure file\r' });
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), FAST));
      assert.equal(err.kind, 'rejected');
      assert.equal(err.reply, 'EACCES Secure file');
    });

    it('no C at all: times out on the first timeout, then writes CAN CAN CAN', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { silentAt: 'start' });
      const started = Date.now();
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), { firstTimeoutMs: 150, replyTimeoutMs: 20 }));
      assert.ok(Date.now() - started >= 140, 'the first timeout, not the reply timeout');
      assert.equal(err.kind, 'timeout');
      assert.equal(err.step, 'waiting for the receiver');
      assert.match(err.message, /no reply within 150 ms/);
      assert.deepEqual(pipe.written, [Buffer.of(CAN, CAN, CAN)]);
    });

    const SILENCES: Array<[Script['silentAt'], string]> = [
      ['header', 'header block'],
      [1, 'data block 1'],
      [3, 'data block 3'],
      ['eot', 'end of transfer (EOT)'],
      ['final', 'waiting for C before the closing block'],
    ];
    for (const [silentAt, step] of SILENCES) {
      it(`no reply at ${step}: YmodemError naming the step, then CAN CAN CAN`, async () => {
        const pipe = new Pipe();
        const receiver = new Receiver(pipe, { silentAt });
        const err = await rejection(sendYmodem(pipe, 'f', allBytes(4000), FAST));
        assert.equal(err.kind, 'timeout');
        assert.equal(err.step, step);
        assert.match(err.message, new RegExp(`^YMODEM ${step.replace(/[()]/g, '\\$&')}: no reply within 100 ms`));
        assert.deepEqual(lastWrite(pipe), Buffer.of(CAN, CAN, CAN));
        assert.ok(receiver.events.includes('sender cancelled'));
      });
    }

    it('no C after block 0 is a timeout at that step', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { cAfterHeader: false });
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), FAST));
      assert.equal(err.step, 'waiting for C after the header block');
      assert.deepEqual(lastWrite(pipe), Buffer.of(CAN, CAN, CAN));
    });

    it('a block NAKed past the retries: YmodemError "retries", then CAN CAN CAN', async () => {
      const pipe = new Pipe();
      new Receiver(pipe, { alwaysNak: 1 });
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), { ...FAST, retries: 3 }));
      assert.equal(err.kind, 'retries');
      assert.equal(err.step, 'data block 1');
      assert.equal(pipe.written.filter((b) => b[0] === SOH && b[1] === 1).length, 4, 'first try and 3 retries');
      assert.deepEqual(lastWrite(pipe), Buffer.of(CAN, CAN, CAN));
    });

    it('a write that fails: YmodemError "io" naming the step', async () => {
      const pipe = new Pipe();
      new Receiver(pipe);
      pipe.failWrites = true;
      const err = await rejection(sendYmodem(pipe, 'f', Buffer.from('x'), FAST));
      assert.equal(err.kind, 'io');
      assert.equal(err.step, 'header block');
      assert.match(err.message, /link closed/);
    });

    it('the defaults: 60 s for the first C, 10 s per reply', async () => {
      const timeouts: number[] = [];
      const io: YmodemIo = {
        write: async () => undefined,
        read: async (ms) => {
          timeouts.push(ms);
          throw new Error('timeout');
        },
      };
      const err = await rejection(sendYmodem(io, 'f', Buffer.alloc(1)));
      assert.equal(err.step, 'waiting for the receiver');
      assert.ok(timeouts[0] > 59000 && timeouts[0] <= 60000, String(timeouts[0]));
      const replies: number[] = [];
      let first = true;
      const io2: YmodemIo = {
        write: async () => undefined,
        read: async (ms) => {
          if (first) {
            first = false;
            return Buffer.of(CRC_REQUEST);
          }
          replies.push(ms);
          throw new Error('timeout');
        },
      };
      const err2 = await rejection(sendYmodem(io2, 'f', Buffer.alloc(1)));
      assert.equal(err2.step, 'header block');
      assert.ok(replies[0] > 9000 && replies[0] <= 10000, String(replies[0]));
    });
  });
});
