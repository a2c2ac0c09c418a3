/**
 * YMODEM for the XBee3 file system: the sender `ATFS PUT` / `ATFS XPUT` need, and the block helpers
 * a receiver (the simulator) needs.
 *
 * Sources: the guide's "FS PUT" text — the module "sends a prompt (Receiving file with YMODEM...)
 * when it is ready to receive" and then acts as a YMODEM receiver, storing the file under the name
 * given to ATFS and ignoring the one in block 0 — and the protocol itself: Chuck Forsberg,
 * "XMODEM/YMODEM Protocol Reference" (1988). Block: `SOH|STX, seq, 0xFF - seq, 128|1024 data bytes,
 * CRC-16/XMODEM (poly 0x1021, init 0) high byte first`. Block 0 carries `name NUL size-in-decimal`
 * zero-padded; data blocks are padded with 0x1A (the receiver trims to block 0's size); an empty
 * block 0 ends the batch.
 *
 * Must never: own a link or a timer of its own beyond the reads it asks for, nor read past the
 * receiver's final ACK — what a read returned beyond it is handed back as `rest`.
 */

export const SOH = 0x01;
export const STX = 0x02;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
export const CAN = 0x18;
/** 'C': the receiver asks for blocks with CRC-16. */
export const CRC_REQUEST = 0x43;

const DATA_PADDING = 0x1a;

/** CRC-16/XMODEM: poly 0x1021, init 0x0000, not reflected. */
export function crc16xmodem(data: Buffer): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * One block: header (SOH for 128 bytes, STX for 1024), seq & 0xFF, its complement, the data padded
 * (block 0 with zeros, data blocks with 0x1A), CRC high, CRC low. `seq` counts on past 255 (block
 * 256 goes as 0x00 and is still a data block); `size` defaults to the smallest that holds the data.
 */
export function ymodemBlock(seq: number, data: Buffer, size?: 128 | 1024): Buffer {
  if (!Number.isInteger(seq) || seq < 0) throw new RangeError(`seq: ${String(seq)} is not a whole number >= 0`);
  const blockSize = size ?? (data.length <= 128 ? 128 : 1024);
  if (blockSize !== 128 && blockSize !== 1024) throw new RangeError(`size: ${String(size)} is not 128 or 1024`);
  if (data.length > blockSize) throw new RangeError(`data: ${data.length} bytes do not fit a ${blockSize}-byte block`);
  const block = Buffer.alloc(3 + blockSize + 2, seq === 0 ? 0x00 : DATA_PADDING);
  block[0] = blockSize === 128 ? SOH : STX;
  block[1] = seq & 0xff;
  block[2] = 0xff - (seq & 0xff);
  data.copy(block, 3);
  block.writeUInt16BE(crc16xmodem(block.subarray(3, 3 + blockSize)), 3 + blockSize);
  return block;
}

/** Block 0: `name NUL size NUL`, zero-padded to 128 bytes, or 1024 when that does not fit. */
export function headerBlock(name: string, size: number): Buffer {
  if (name.length === 0 || name.includes('\0')) throw new RangeError(`name: "${name}" is empty or holds a NUL`);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size: ${String(size)} is not a whole number >= 0`);
  const info = Buffer.concat([Buffer.from(name, 'utf8'), Buffer.of(0), Buffer.from(String(size), 'latin1'), Buffer.of(0)]);
  if (info.length > 1024) throw new RangeError(`name: ${info.length} bytes of block 0 exceed 1024`);
  return ymodemBlock(0, info, info.length <= 128 ? 128 : 1024);
}

/** The empty block 0 that ends a YMODEM batch: SOH 00 FF, 128 zeros, CRC. */
export const FINAL_BLOCK: Buffer = ymodemBlock(0, Buffer.alloc(0), 128);

/**
 * For receivers: one block at the start of `bytes` (first byte SOH or STX). `data` is the whole
 * padded block (128 or 1024 bytes); the block took `5 + data.length` bytes.
 */
export function parseBlock(bytes: Buffer): { seq: number; data: Buffer } | { incomplete: true } | { bad: string } {
  if (bytes.length === 0) return { incomplete: true };
  const header = bytes[0];
  if (header !== SOH && header !== STX) return { bad: `block starts with 0x${header.toString(16).padStart(2, '0')}, not SOH or STX` };
  const size = header === SOH ? 128 : 1024;
  if (bytes.length < 3 + size + 2) return { incomplete: true };
  const seq = bytes[1];
  if (bytes[2] !== 0xff - seq) return { bad: `sequence ${seq} and its complement ${bytes[2]} disagree` };
  const data = Buffer.from(bytes.subarray(3, 3 + size));
  const crc = bytes.readUInt16BE(3 + size);
  if (crc !== crc16xmodem(data)) return { bad: `CRC 0x${crc.toString(16)} does not match the data` };
  return { seq, data };
}

/** For receivers: name and size from block 0's data, or null for the empty block 0 that ends the batch. */
export function parseHeaderBlock(data: Buffer): { name: string; size: number | undefined } | null {
  if (data.length === 0 || data[0] === 0) return null;
  const nameEnd = data.indexOf(0);
  const name = data.toString('utf8', 0, nameEnd < 0 ? data.length : nameEnd);
  if (nameEnd < 0) return { name, size: undefined };
  const infoEnd = data.indexOf(0, nameEnd + 1);
  // After the name: size in decimal, then optional fields ("mtime mode ...") separated by spaces.
  const info = data.toString('latin1', nameEnd + 1, infoEnd < 0 ? data.length : infoEnd);
  const size = /^\d+/.exec(info);
  return { name, size: size ? Number(size[0]) : undefined };
}

/** Why a transfer failed: `step` names where, `kind` what happened. */
export type YmodemFailure = 'timeout' | 'cancelled' | 'rejected' | 'retries' | 'io';

export class YmodemError extends Error {
  override name = 'YmodemError';
  /**
   * @param step where it failed, e.g. "waiting for the receiver", "data block 3", "end of transfer"
   * @param reply a text line the receiver wrote instead of 'C' (e.g. "ENOENT ..."), if any
   * `rest`: bytes read from the receiver and not consumed (the start of its error line, say).
   */
  rest: Buffer = Buffer.alloc(0);

  constructor(
    readonly step: string,
    readonly kind: YmodemFailure,
    message: string,
    readonly reply?: string,
    options?: { cause?: unknown },
  ) {
    super(`YMODEM ${step}: ${message}`, options);
  }
}

export interface YmodemIo {
  write(bytes: Buffer): Promise<void>;
  /** Resolves with the next bytes received; rejects when none came within timeoutMs. */
  read(timeoutMs: number): Promise<Buffer>;
}

export interface YmodemOptions {
  /** Wait for the receiver's first 'C'; default 60000 (the module asks for 60 s). */
  firstTimeoutMs?: number;
  /** Wait for each later reply; default 10000. */
  replyTimeoutMs?: number;
  /** NAKs taken per block (or EOT) before giving up; default 10. */
  retries?: number;
}

const BLOCK = 1024;
const SHORT_BLOCK = 128;

/**
 * Sends one file to a YMODEM receiver: waits for 'C' (skipping the prompt line), block 0 -> ACK,
 * 'C', data blocks -> ACK each (NAK: send again), EOT -> NAK -> EOT -> ACK (or ACK at once), 'C',
 * the empty block 0 -> ACK. Returns the bytes read after that final ACK (the start of the module's
 * "OK\r"). A stray 'C' while an ACK is awaited is the receiver's leftover request and is skipped.
 *
 * On failure it throws YmodemError; when the failure is ours (timeout, too many NAKs, I/O) it first
 * writes CAN CAN CAN so the receiver stops. When the receiver ended the transfer itself (CAN CAN, or
 * an error line such as "ENOENT ..." instead of 'C') it is back at its command line, where CAN bytes
 * would only prefix the next command, so none are written.
 */
export async function sendYmodem(io: YmodemIo, name: string, data: Buffer, options: YmodemOptions = {}): Promise<{ rest: Buffer }> {
  const firstTimeoutMs = options.firstTimeoutMs ?? 60000;
  const replyTimeoutMs = options.replyTimeoutMs ?? 10000;
  const retries = options.retries ?? 10;
  const header = headerBlock(name, data.length);
  const input = new Inbox(io);
  let step = 'waiting for the receiver';
  try {
    await waitForFirstRequest(input, step, firstTimeoutMs);
    step = 'header block';
    await sendBlock(io, input, header, step, replyTimeoutMs, retries);
    step = 'waiting for C after the header block';
    await waitForRequest(input, step, replyTimeoutMs);
    let offset = 0;
    for (let seq = 1; offset < data.length; seq++) {
      const left = data.length - offset;
      const size = left <= SHORT_BLOCK ? SHORT_BLOCK : BLOCK;
      const chunk = data.subarray(offset, offset + Math.min(size, left));
      step = `data block ${seq}`;
      await sendBlock(io, input, ymodemBlock(seq, chunk, size), step, replyTimeoutMs, retries);
      offset += chunk.length;
    }
    step = 'end of transfer (EOT)';
    await sendBlock(io, input, Buffer.of(EOT), step, replyTimeoutMs, retries);
    step = 'waiting for C before the closing block';
    await waitForRequest(input, step, replyTimeoutMs);
    step = 'closing block';
    await sendBlock(io, input, FINAL_BLOCK, step, replyTimeoutMs, retries);
    return { rest: input.take() };
  } catch (err) {
    const failure =
      err instanceof YmodemError ? err : new YmodemError(step, 'io', `write failed: ${(err as Error)?.message ?? String(err)}`, undefined, { cause: err });
    failure.rest = input.take();
    if (failure.kind !== 'cancelled' && failure.kind !== 'rejected') {
      await io.write(Buffer.of(CAN, CAN, CAN)).catch(() => undefined);
    }
    throw failure;
  }
}

/** Received bytes not yet looked at, and reads against a deadline. */
class Inbox {
  private bytes: Buffer = Buffer.alloc(0);
  constructor(private readonly io: YmodemIo) {}

  take(): Buffer {
    const all = this.bytes;
    this.bytes = Buffer.alloc(0);
    return all;
  }

  /** The next byte, reading until `deadline` (ms since epoch). */
  async next(step: string, deadline: number, timeoutMs: number): Promise<number> {
    while (this.bytes.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new YmodemError(step, 'timeout', `no reply within ${timeoutMs} ms`);
      let chunk: Buffer;
      try {
        chunk = await this.io.read(left);
      } catch (err) {
        // read() rejects when nothing came in time; its own words go along.
        const why = (err as Error)?.message;
        throw new YmodemError(step, 'timeout', `no reply within ${timeoutMs} ms${why ? ` (${why})` : ''}`, undefined, { cause: err });
      }
      this.bytes = this.bytes.length === 0 ? chunk : Buffer.concat([this.bytes, chunk]);
    }
    const byte = this.bytes[0];
    this.bytes = this.bytes.subarray(1);
    return byte;
  }
}

/**
 * The first 'C'. Before it the module writes its prompt line, whose text has no 'C' at a line's
 * start; a line starting with 'E' is the module's error ("ENOENT ...", "EACCES ...") instead.
 */
async function waitForFirstRequest(input: Inbox, step: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let line = '';
  let cans = 0;
  for (;;) {
    const byte = await input.next(step, deadline, timeoutMs);
    if (byte === CAN) {
      if (++cans >= 2) throw new YmodemError(step, 'cancelled', 'cancelled by the receiver (CAN CAN)');
      continue;
    }
    cans = 0;
    if (byte === CRC_REQUEST && line === '') return;
    if (byte === 0x0d || byte === 0x0a) {
      if (/^E[A-Z0-9]+( |$)/.test(line)) throw new YmodemError(step, 'rejected', `the receiver answered "${line}"`, line);
      line = '';
    } else {
      line += String.fromCharCode(byte);
    }
  }
}

/** A 'C' from the receiver; other bytes (a late ACK, noise) are skipped. */
async function waitForRequest(input: Inbox, step: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let cans = 0;
  for (;;) {
    const byte = await input.next(step, deadline, timeoutMs);
    if (byte === CRC_REQUEST) return;
    if (byte === CAN) {
      if (++cans >= 2) throw new YmodemError(step, 'cancelled', 'cancelled by the receiver (CAN CAN)');
    } else {
      cans = 0;
    }
  }
}

/** Writes `block` until the receiver ACKs it: NAK sends it again, up to `retries` times. */
async function sendBlock(io: YmodemIo, input: Inbox, block: Buffer, step: string, timeoutMs: number, retries: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await io.write(block);
    const deadline = Date.now() + timeoutMs;
    let cans = 0;
    let reply: number;
    for (;;) {
      reply = await input.next(step, deadline, timeoutMs);
      if (reply === ACK || reply === NAK) break;
      if (reply === CAN) {
        if (++cans >= 2) throw new YmodemError(step, 'cancelled', 'cancelled by the receiver (CAN CAN)');
      } else {
        cans = 0;
      }
    }
    if (reply === ACK) return;
    if (attempt >= retries) throw new YmodemError(step, 'retries', `refused (NAK) ${attempt + 1} times`);
  }
}
