/**
 * Digi XBee API frames for the XBee3 Cellular: building and parsing the frame data of every frame
 * type the adapter and the simulator exchange, the 0x7E framing (length, checksum, AP=2 escaping),
 * a streaming decoder and the status code tables.
 *
 * Source: Digi "XBee 3 Cellular LTE-M/NB-IoT Global Smart Modem User Guide" (90002258), sections
 * "API frame format", "API operation with escaped characters" and the frame pages: Socket Create
 * 0x40 / Response 0xC0, Socket Option Request 0x41 / Response 0xC1, Socket Connect 0x42 / Response
 * 0xC2, Socket Close 0x43 / Response 0xC3, Socket Send 0x44, Socket Receive 0xCD, Socket Status
 * 0xCF, Transmit (TX) Request: IPv4 0x20, Receive (RX) Packet: IPv4 0xB0, Transmit Status 0x89,
 * AT Command 0x08 / Response 0x88 and Modem Status 0x8A. npm's `xbee-api` package predates the
 * socket frames (0x40-0x4F, 0xC0-0xCF), which is why this package carries its own codec.
 *
 * Frame: `7E | LEN_MSB LEN_LSB | frame data | checksum`, where LEN counts the frame data only and
 * checksum = 0xFF - (8-bit sum of the frame data). With AP=2 every byte after the delimiter —
 * length, frame data and checksum — that is 0x7E, 0x7D, 0x11 or 0x13 goes as 0x7D, byte ^ 0x20;
 * length and checksum are those of the unescaped data. Multi-byte fields are big-endian.
 *
 * Must never: touch a link, a timer or Node-RED; it only turns values into bytes and back.
 */
import { isIPv4 } from 'node:net';

export const API_FRAME = {
  AT_COMMAND: 0x08,
  TX_IPV4: 0x20,
  SOCKET_CREATE: 0x40,
  SOCKET_OPTION: 0x41,
  SOCKET_CONNECT: 0x42,
  SOCKET_CLOSE: 0x43,
  SOCKET_SEND: 0x44,
  AT_RESPONSE: 0x88,
  TRANSMIT_STATUS: 0x89,
  MODEM_STATUS: 0x8a,
  RX_IPV4: 0xb0,
  SOCKET_CREATE_RESPONSE: 0xc0,
  SOCKET_OPTION_RESPONSE: 0xc1,
  SOCKET_CONNECT_RESPONSE: 0xc2,
  SOCKET_CLOSE_RESPONSE: 0xc3,
  SOCKET_RECEIVE: 0xcd,
  SOCKET_STATUS: 0xcf,
} as const;

/** The protocol byte of 0x40 and 0x20: "0 = UDP 1 = TCP 4 = SSL/TLS". */
export const SOCKET_PROTOCOL = { UDP: 0, TCP: 1, TLS: 4 } as const;
/** Socket option 0x00: TLS profile, one byte selecting $0..$2, valid only for TLS sockets. */
export const SOCKET_OPTION_TLS_PROFILE = 0x00;
/** "up to 1500 bytes" of payload in 0x44, 0xCD, 0x20 and 0xB0. */
export const MAX_SOCKET_PAYLOAD = 1500;
/** FrameDecoder's default limit on the length field: the largest frame here plus headroom. */
export const DEFAULT_MAX_FRAME_LENGTH = 1600;

const START = 0x7e;
const ESCAPE = 0x7d;
const XON = 0x11;
const XOFF = 0x13;

/** Discriminated union of every frame above, both directions. */
export type ApiFrame =
  | { type: 0x08; frameId: number; command: string; parameter: Buffer }
  | { type: 0x88; frameId: number; command: string; status: number; data: Buffer }
  | { type: 0x8a; status: number }
  | { type: 0x89; frameId: number; status: number }
  | { type: 0x40; frameId: number; protocol: number }
  | { type: 0xc0; frameId: number; socket: number; status: number }
  | { type: 0x41; frameId: number; socket: number; option: number; data: Buffer }
  | { type: 0xc1; frameId: number; socket: number; option: number; status: number; data: Buffer }
  /** addressType 0: `address` is dotted-quad text, sent as 4 bytes; 1: host name or IP as ASCII text. */
  | { type: 0x42; frameId: number; socket: number; port: number; addressType: 0 | 1; address: string }
  | { type: 0xc2; frameId: number; socket: number; status: number }
  | { type: 0x43; frameId: number; socket: number }
  | { type: 0xc3; frameId: number; socket: number; status: number }
  | { type: 0x44; frameId: number; socket: number; options: number; payload: Buffer }
  | { type: 0xcd; frameId: number; socket: number; status: number; payload: Buffer }
  | { type: 0xcf; socket: number; status: number }
  | { type: 0x20; frameId: number; address: string; port: number; sourcePort: number; protocol: number; options: number; payload: Buffer }
  | { type: 0xb0; address: string; destPort: number; sourcePort: number; protocol: number; status: number; payload: Buffer }
  | { type: 'unknown'; frameType: number; data: Buffer };

/** The guide's page title of each frame type, for error messages. */
export const FRAME_NAME: Readonly<Record<number, string>> = {
  0x08: 'AT Command (0x08)',
  0x20: 'Transmit (TX) Request: IPv4 (0x20)',
  0x40: 'Socket Create (0x40)',
  0x41: 'Socket Option Request (0x41)',
  0x42: 'Socket Connect (0x42)',
  0x43: 'Socket Close (0x43)',
  0x44: 'Socket Send (0x44)',
  0x88: 'AT Command Response (0x88)',
  0x89: 'Transmit Status (0x89)',
  0x8a: 'Modem Status (0x8A)',
  0xb0: 'Receive (RX) Packet: IPv4 (0xB0)',
  0xc0: 'Socket Create Response (0xC0)',
  0xc1: 'Socket Option Response (0xC1)',
  0xc2: 'Socket Connect Response (0xC2)',
  0xc3: 'Socket Close Response (0xC3)',
  0xcd: 'Socket Receive (0xCD)',
  0xcf: 'Socket Status (0xCF)',
};

function frameName(type: number): string {
  return FRAME_NAME[type] ?? `frame type 0x${hex2(type)}`;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

// ---------------------------------------------------------------------------------------------
// Building

function int(name: string, field: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name}: ${field} ${String(value)} is outside 0..${max}`);
  }
  return value;
}

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function payloadOf(name: string, field: string, payload: Buffer): Buffer {
  if (payload.length > MAX_SOCKET_PAYLOAD) {
    throw new RangeError(`${name}: ${field} of ${payload.length} bytes exceeds ${MAX_SOCKET_PAYLOAD}`);
  }
  return payload;
}

function ipv4Bytes(name: string, field: string, address: string): Buffer {
  if (!isIPv4(address)) throw new RangeError(`${name}: ${field} "${address}" is not a dotted-quad IPv4 address`);
  return Buffer.from(address.split('.').map(Number));
}

function ipv4Text(bytes: Buffer): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}

function commandBytes(name: string, command: string): Buffer {
  // Two printable ASCII characters, `AT` left off ("VR", "$0").
  if (!/^[\x21-\x7e]{2}$/.test(command)) throw new RangeError(`${name}: command "${command}" is not two ASCII characters`);
  return Buffer.from(command, 'latin1');
}

/** Frame type byte + fields (no delimiter, length or checksum). Throws RangeError naming the field that is out of range. */
export function frameData(frame: ApiFrame): Buffer {
  if (frame.type === 'unknown') {
    int('unknown frame', 'frameType', frame.frameType, 0xff);
    return Buffer.concat([Buffer.of(frame.frameType), frame.data]);
  }
  const name = frameName(frame.type);
  const b = (field: string, value: number): number => int(name, field, value, 0xff);
  const w = (field: string, value: number): Buffer => u16(int(name, field, value, 0xffff));
  switch (frame.type) {
    case 0x08:
      return Buffer.concat([Buffer.of(0x08, b('frameId', frame.frameId)), commandBytes(name, frame.command), frame.parameter]);
    case 0x88:
      return Buffer.concat([
        Buffer.of(0x88, b('frameId', frame.frameId)),
        commandBytes(name, frame.command),
        Buffer.of(b('status', frame.status)),
        frame.data,
      ]);
    case 0x8a:
      return Buffer.of(0x8a, b('status', frame.status));
    case 0x89:
      return Buffer.of(0x89, b('frameId', frame.frameId), b('status', frame.status));
    case 0x40:
      return Buffer.of(0x40, b('frameId', frame.frameId), b('protocol', frame.protocol));
    case 0xc0:
      return Buffer.of(0xc0, b('frameId', frame.frameId), b('socket', frame.socket), b('status', frame.status));
    case 0x41:
      return Buffer.concat([Buffer.of(0x41, b('frameId', frame.frameId), b('socket', frame.socket), b('option', frame.option)), frame.data]);
    case 0xc1:
      return Buffer.concat([
        Buffer.of(0xc1, b('frameId', frame.frameId), b('socket', frame.socket), b('option', frame.option), b('status', frame.status)),
        frame.data,
      ]);
    case 0x42: {
      let address: Buffer;
      if (frame.addressType === 0) address = ipv4Bytes(name, 'address', frame.address);
      else if (frame.addressType === 1) address = Buffer.from(frame.address, 'latin1');
      else throw new RangeError(`${name}: addressType ${String(frame.addressType)} is not 0 (IPv4) or 1 (text)`);
      return Buffer.concat([
        Buffer.of(0x42, b('frameId', frame.frameId), b('socket', frame.socket)),
        w('port', frame.port),
        Buffer.of(frame.addressType),
        address,
      ]);
    }
    case 0xc2:
      return Buffer.of(0xc2, b('frameId', frame.frameId), b('socket', frame.socket), b('status', frame.status));
    case 0x43:
      return Buffer.of(0x43, b('frameId', frame.frameId), b('socket', frame.socket));
    case 0xc3:
      return Buffer.of(0xc3, b('frameId', frame.frameId), b('socket', frame.socket), b('status', frame.status));
    case 0x44:
      return Buffer.concat([
        Buffer.of(0x44, b('frameId', frame.frameId), b('socket', frame.socket), b('options', frame.options)),
        payloadOf(name, 'payload', frame.payload),
      ]);
    case 0xcd:
      return Buffer.concat([
        Buffer.of(0xcd, b('frameId', frame.frameId), b('socket', frame.socket), b('status', frame.status)),
        payloadOf(name, 'payload', frame.payload),
      ]);
    case 0xcf:
      return Buffer.of(0xcf, b('socket', frame.socket), b('status', frame.status));
    case 0x20:
      return Buffer.concat([
        Buffer.of(0x20, b('frameId', frame.frameId)),
        ipv4Bytes(name, 'address', frame.address),
        w('port', frame.port),
        w('sourcePort', frame.sourcePort),
        Buffer.of(b('protocol', frame.protocol), b('options', frame.options)),
        payloadOf(name, 'payload', frame.payload),
      ]);
    case 0xb0:
      return Buffer.concat([
        Buffer.of(0xb0),
        ipv4Bytes(name, 'address', frame.address),
        w('destPort', frame.destPort),
        w('sourcePort', frame.sourcePort),
        Buffer.of(b('protocol', frame.protocol), b('status', frame.status)),
        payloadOf(name, 'payload', frame.payload),
      ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Smallest frame data (type byte included) of each type; variable parts may be empty. */
const MIN_LENGTH: Readonly<Record<number, number>> = {
  0x08: 4,
  0x88: 5,
  0x8a: 2,
  0x89: 3,
  0x40: 3,
  0xc0: 4,
  0x41: 4,
  0xc1: 5,
  0x42: 6,
  0xc2: 4,
  0x43: 3,
  0xc3: 4,
  0x44: 4,
  0xcd: 4,
  0xcf: 3,
  0x20: 12,
  0xb0: 11,
};

/**
 * The inverse of frameData. Unknown frame types give `{ type: 'unknown' }` (the guide asks hosts to
 * "filter out additional API frames with unknown frame types"); a known type too short for its fixed
 * fields, or a 0x42 with an address type other than 0/1 or an IPv4 address not 4 bytes long, throws
 * RangeError naming the frame. Bytes beyond a fixed-size frame's fields are ignored. Buffers in the
 * result are copies.
 */
export function parseFrameData(data: Buffer): ApiFrame {
  if (data.length === 0) throw new RangeError('API frame: empty frame data (no frame type)');
  const type = data[0];
  const min = MIN_LENGTH[type];
  if (min === undefined) return { type: 'unknown', frameType: type, data: Buffer.from(data.subarray(1)) };
  const name = frameName(type);
  if (data.length < min) throw new RangeError(`${name}: ${data.length} bytes of frame data, at least ${min} expected`);
  const rest = (from: number): Buffer => Buffer.from(data.subarray(from));
  const command = (): string => data.toString('latin1', 2, 4);
  switch (type) {
    case 0x08:
      return { type, frameId: data[1], command: command(), parameter: rest(4) };
    case 0x88:
      return { type, frameId: data[1], command: command(), status: data[4], data: rest(5) };
    case 0x8a:
      return { type, status: data[1] };
    case 0x89:
      return { type, frameId: data[1], status: data[2] };
    case 0x40:
      return { type, frameId: data[1], protocol: data[2] };
    case 0xc0:
      return { type, frameId: data[1], socket: data[2], status: data[3] };
    case 0x41:
      return { type, frameId: data[1], socket: data[2], option: data[3], data: rest(4) };
    case 0xc1:
      return { type, frameId: data[1], socket: data[2], option: data[3], status: data[4], data: rest(5) };
    case 0x42: {
      const addressType = data[5];
      const address = data.subarray(6);
      const base = { type, frameId: data[1], socket: data[2], port: data.readUInt16BE(3) } as const;
      if (addressType === 0) {
        if (address.length !== 4) throw new RangeError(`${name}: IPv4 address of ${address.length} bytes, 4 expected`);
        return { ...base, addressType, address: ipv4Text(address) };
      }
      if (addressType === 1) return { ...base, addressType, address: address.toString('latin1') };
      throw new RangeError(`${name}: addressType ${addressType} is not 0 (IPv4) or 1 (text)`);
    }
    case 0xc2:
      return { type, frameId: data[1], socket: data[2], status: data[3] };
    case 0x43:
      return { type, frameId: data[1], socket: data[2] };
    case 0xc3:
      return { type, frameId: data[1], socket: data[2], status: data[3] };
    case 0x44:
      return { type, frameId: data[1], socket: data[2], options: data[3], payload: rest(4) };
    case 0xcd:
      return { type, frameId: data[1], socket: data[2], status: data[3], payload: rest(4) };
    case 0xcf:
      return { type, socket: data[1], status: data[2] };
    case 0x20:
      return {
        type,
        frameId: data[1],
        address: ipv4Text(data.subarray(2, 6)),
        port: data.readUInt16BE(6),
        sourcePort: data.readUInt16BE(8),
        protocol: data[10],
        options: data[11],
        payload: rest(12),
      };
    case 0xb0:
      return {
        type,
        address: ipv4Text(data.subarray(1, 5)),
        destPort: data.readUInt16BE(5),
        sourcePort: data.readUInt16BE(7),
        protocol: data[9],
        status: data[10],
        payload: rest(11),
      };
    default:
      return { type: 'unknown', frameType: type, data: rest(1) };
  }
}

// ---------------------------------------------------------------------------------------------
// Framing

/** 0xFF minus the 8-bit sum of the frame data. */
export function checksum(data: Buffer): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xff;
  return 0xff - sum;
}

function special(byte: number): boolean {
  return byte === START || byte === ESCAPE || byte === XON || byte === XOFF;
}

/** AP=2 escaping of every byte given (pass the bytes after the start delimiter). */
export function escapeBytes(bytes: Buffer): Buffer {
  let extra = 0;
  for (const byte of bytes) if (special(byte)) extra++;
  if (extra === 0) return Buffer.from(bytes);
  const out = Buffer.alloc(bytes.length + extra);
  let o = 0;
  for (const byte of bytes) {
    if (special(byte)) {
      out[o++] = ESCAPE;
      out[o++] = byte ^ 0x20;
    } else {
      out[o++] = byte;
    }
  }
  return out;
}

/** Undoes escapeBytes; a trailing lone 0x7D throws RangeError. */
export function unescapeBytes(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length);
  let o = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === ESCAPE) {
      if (i + 1 >= bytes.length) throw new RangeError('escaped bytes end with a lone escape byte 0x7D');
      out[o++] = bytes[++i] ^ 0x20;
    } else {
      out[o++] = bytes[i];
    }
  }
  return out.subarray(0, o);
}

/** 0x7E + length + frame data + checksum; everything after 0x7E escaped when `escaped` (AP=2). A Buffer is taken as ready frame data. */
export function encodeFrame(frame: ApiFrame | Buffer, escaped: boolean): Buffer {
  const data = Buffer.isBuffer(frame) ? frame : frameData(frame);
  if (data.length === 0 || data.length > 0xffff) throw new RangeError(`API frame: length ${data.length} is outside 1..65535`);
  const body = Buffer.concat([u16(data.length), data, Buffer.of(checksum(data))]);
  return Buffer.concat([Buffer.of(START), escaped ? escapeBytes(body) : body]);
}

// ---------------------------------------------------------------------------------------------
// Streaming decoder

export interface FrameDecoderOptions {
  escaped: boolean;
  onFrame(frame: ApiFrame): void;
  /** Bytes dropped and why: junk before a start delimiter, bad checksum, oversize length, a frame cut off by a new 0x7E, a frame its type cannot parse. */
  onDiscard?(bytes: number, reason: string): void;
  /**
   * A frame whose checksum is right but whose type cannot parse it (too short, an address type
   * that does not exist): its frame data, so that a receiver can still answer it. Also reported to
   * `onDiscard`.
   */
  onInvalid?(data: Buffer, reason: string): void;
  /** Largest length field accepted (frame data bytes); default DEFAULT_MAX_FRAME_LENGTH. */
  maxLength?: number;
}

type Stage = 'hunt' | 'length-high' | 'length-low' | 'data' | 'checksum';

/**
 * Bytes in any chunking, frames out. Holds the raw bytes of the frame being read so that, after a
 * bad checksum or an oversize length in unescaped mode (where 0x7E may be ordinary data), it can
 * resynchronise on the next 0x7E inside what it already has. In escaped mode a raw 0x7E cannot be
 * data, so it always ends the frame being read and starts a new one.
 */
export class FrameDecoder {
  escaped: boolean;
  private readonly onFrame: (frame: ApiFrame) => void;
  private readonly onDiscard: (bytes: number, reason: string) => void;
  private readonly onInvalid?: (data: Buffer, reason: string) => void;
  private readonly maxLength: number;
  private stage: Stage = 'hunt';
  private junk = 0;
  private raw: Buffer;
  private rawLength = 0;
  private escapePending = false;
  private length = 0;
  private data: Buffer;
  private filled = 0;

  constructor(options: FrameDecoderOptions) {
    this.escaped = options.escaped;
    this.onFrame = options.onFrame;
    this.onDiscard = options.onDiscard ?? (() => undefined);
    this.onInvalid = options.onInvalid;
    this.maxLength = options.maxLength ?? DEFAULT_MAX_FRAME_LENGTH;
    if (!Number.isInteger(this.maxLength) || this.maxLength < 1 || this.maxLength > 0xffff) {
      throw new RangeError(`maxLength: ${this.maxLength} is outside 1..65535`);
    }
    // Escaped, every byte after the delimiter may take two.
    this.raw = Buffer.alloc(1 + 2 * (this.maxLength + 3));
    this.data = Buffer.alloc(this.maxLength);
  }

  /** Bytes held of an unfinished frame. */
  get pending(): number {
    return this.stage === 'hunt' ? 0 : this.rawLength;
  }

  /** Drops everything held, unreported. */
  reset(): void {
    this.stage = 'hunt';
    this.junk = 0;
    this.rawLength = 0;
    this.escapePending = false;
  }

  push(chunk: Buffer): void {
    let input = chunk;
    let i = 0;
    while (i < input.length) {
      const replay = this.step(input[i++]);
      if (replay) {
        input = Buffer.concat([replay, input.subarray(i)]);
        i = 0;
      }
    }
  }

  /** One received byte; returns bytes to feed again after a failed frame. */
  private step(byte: number): Buffer | undefined {
    if (this.stage === 'hunt') {
      if (byte === START) this.start();
      else this.junk++;
      return undefined;
    }
    if (this.escaped && byte === START) {
      this.onDiscard(this.rawLength, 'frame cut off by a new start delimiter');
      this.start();
      return undefined;
    }
    this.raw[this.rawLength++] = byte;
    let value = byte;
    if (this.escaped) {
      if (this.escapePending) {
        this.escapePending = false;
        value = byte ^ 0x20;
      } else if (byte === ESCAPE) {
        this.escapePending = true;
        return undefined;
      }
    }
    switch (this.stage) {
      case 'length-high':
        this.length = value << 8;
        this.stage = 'length-low';
        return undefined;
      case 'length-low':
        this.length |= value;
        if (this.length === 0) return this.fail('length 0 (no frame type)');
        if (this.length > this.maxLength) return this.fail(`length ${this.length} exceeds ${this.maxLength}`);
        this.filled = 0;
        this.stage = 'data';
        return undefined;
      case 'data':
        this.data[this.filled++] = value;
        if (this.filled === this.length) this.stage = 'checksum';
        return undefined;
      default: {
        const data = Buffer.from(this.data.subarray(0, this.length));
        const expected = checksum(data);
        if (value !== expected) return this.fail(`bad checksum 0x${hex2(value)}, expected 0x${hex2(expected)}`);
        const size = this.rawLength;
        this.stage = 'hunt';
        this.rawLength = 0;
        let frame: ApiFrame;
        try {
          frame = parseFrameData(data);
        } catch (err) {
          this.onDiscard(size, `invalid frame: ${(err as Error).message}`);
          this.onInvalid?.(data, (err as Error).message);
          return undefined;
        }
        this.onFrame(frame);
        return undefined;
      }
    }
  }

  private start(): void {
    if (this.junk > 0) {
      const junk = this.junk;
      this.junk = 0;
      this.onDiscard(junk, 'junk before start delimiter');
    }
    this.stage = 'length-high';
    this.raw[0] = START;
    this.rawLength = 1;
    this.escapePending = false;
  }

  /** Drops the frame up to the next 0x7E it holds (if any) and hands back the bytes from there on. */
  private fail(reason: string): Buffer | undefined {
    const held = this.raw.subarray(0, this.rawLength);
    const next = held.indexOf(START, 1);
    this.stage = 'hunt';
    this.rawLength = 0;
    this.escapePending = false;
    if (next < 0) {
      this.onDiscard(held.length, reason);
      return undefined;
    }
    this.onDiscard(next, reason);
    return Buffer.from(held.subarray(next));
  }
}

// ---------------------------------------------------------------------------------------------
// Status codes, from the frame pages (texts shortened).

/** 0xCF Socket Status. Every value but 0x00 is fatal: the socket id is closed and invalid after it. */
export const SOCKET_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'connected',
  0x01: 'DNS lookup failed',
  0x02: 'connection refused',
  0x03: 'transport closed',
  0x04: 'timed out',
  0x05: 'internal error',
  0x06: 'host unreachable',
  0x07: 'connection lost',
  0x08: 'unknown error',
  0x09: 'unknown server',
  0x0a: 'resource error',
  // Listed by xbee-python (digi/xbee/models/status.py), not on the stored guide page.
  0x0b: 'listener closed',
  0x0c: 'reset by peer',
  0x0d: 'closed after inactivity timeout',
  0x0e: 'PDP context deactivated by the network',
};

/** 0x89 Transmit Status (cellular). */
export const TRANSMIT_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'success',
  0x20: 'connection not found',
  0x21: 'failed to transmit to the cellular network',
  0x22: 'not registered to the cellular network',
  0x2c: 'invalid frame values',
  0x31: 'internal error',
  0x32: 'resource error, retry later',
  0x74: 'message too long',
  0x76: 'socket closed unexpectedly',
  0x78: 'invalid UDP port',
  0x79: 'invalid TCP port',
  0x7a: 'invalid host address',
  0x7b: 'invalid data mode',
  0x7c: 'invalid interface',
  0x7d: 'interface not accepting frames',
  0x7e: 'modem update in progress',
  0x80: 'connection refused',
  0x81: 'socket connection lost',
  0x82: 'no server',
  0x83: 'socket closed',
  0x84: 'unknown server',
  0x85: 'unknown error',
  0x86: 'invalid TLS configuration (missing file or similar)',
  0x87: 'socket not connected',
  0x88: 'socket not bound',
  // Listed by xbee-python (digi/xbee/models/status.py), not in the stored guide table.
  0x89: 'socket inactivity timeout',
  0x8a: 'PDP context deactivated by the network',
  0x8b: 'TLS authentication error',
};

/** 0xC0 Socket Create Response; the socket id is 0xFF unless the status is 0x00. */
export const CREATE_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'success',
  0x22: 'not registered to the cellular network',
  0x31: 'internal error',
  0x32: 'resource error, retry later',
  0x7b: 'invalid protocol',
  0x7e: 'modem update in progress',
  0x85: 'unknown error',
  0x86: 'invalid TLS configuration',
};

/** 0xC1 Socket Option Response. */
export const OPTION_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'success',
  0x01: 'invalid parameters',
  0x02: 'failed to read the option value',
  0x20: 'bad socket id',
};

/** 0xC2 Socket Connect Response: 0x00 only means the connection was started; 0xCF tells the outcome. */
export const CONNECT_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'connection started',
  0x01: 'invalid destination address type',
  0x02: 'invalid parameter (address or port)',
  0x03: 'connection already in progress',
  0x04: 'already connected',
  0x05: 'unknown error',
  0x20: 'bad socket id',
};

/** 0xC3 Socket Close Response: "a close will always succeed for a socket that exists". */
export const CLOSE_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'success',
  0x20: 'bad socket id',
};

/** 0x88 AT Command Response. */
export const AT_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'OK',
  0x01: 'ERROR',
  0x02: 'invalid command',
  0x03: 'invalid parameter',
};

/** 0x8A Modem Status. */
export const MODEM_STATUS_TEXT: Readonly<Record<number, string>> = {
  0x00: 'hardware reset or power up',
  0x01: 'watchdog reset',
  0x02: 'registered with the cellular network',
  0x03: 'unregistered from the cellular network',
  0x0e: 'Remote Manager connected',
  0x0f: 'Remote Manager disconnected',
  0x32: 'Bluetooth connected',
  0x33: 'Bluetooth disconnected',
  0x34: 'band mask configuration failed',
};
