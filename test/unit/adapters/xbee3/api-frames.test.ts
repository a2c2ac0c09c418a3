/**
 * The XBee3 API frame codec against the guide: its byte-for-byte examples first, then AP=2 escaping
 * wherever a special byte can land, every frame type both ways, and the streaming decoder fed in
 * every chunking, through junk, bad checksums, cut-off frames and oversize lengths.
 */
import assert from 'node:assert/strict';
import {
  API_FRAME,
  AT_STATUS_TEXT,
  checksum,
  CLOSE_STATUS_TEXT,
  CONNECT_STATUS_TEXT,
  CREATE_STATUS_TEXT,
  encodeFrame,
  escapeBytes,
  FrameDecoder,
  frameData,
  MAX_SOCKET_PAYLOAD,
  MODEM_STATUS_TEXT,
  OPTION_STATUS_TEXT,
  parseFrameData,
  SOCKET_OPTION_TLS_PROFILE,
  SOCKET_PROTOCOL,
  SOCKET_STATUS_TEXT,
  TRANSMIT_STATUS_TEXT,
  unescapeBytes,
  type ApiFrame,
} from '../../../../src/adapters/xbee3/api-frames';

const SPECIAL = [0x7e, 0x7d, 0x11, 0x13];

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function spaced(bytes: Buffer): string {
  return (bytes.toString('hex').toUpperCase().match(/../g) ?? []).join(' ');
}

/** Every byte value, `length` bytes long. */
function allBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => i & 0xff));
}

/** mulberry32: a seeded generator, so random chunkings are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function chunked(bytes: Buffer, rnd: () => number, maxChunk: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = 1 + Math.floor(rnd() * maxChunk);
    chunks.push(bytes.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

interface Rig {
  decoder: FrameDecoder;
  frames: ApiFrame[];
  discards: Array<{ bytes: number; reason: string }>;
}

function rig(escaped: boolean, maxLength?: number): Rig {
  const frames: ApiFrame[] = [];
  const discards: Array<{ bytes: number; reason: string }> = [];
  const decoder = new FrameDecoder({
    escaped,
    maxLength,
    onFrame: (frame) => frames.push(frame),
    onDiscard: (bytes, reason) => discards.push({ bytes, reason }),
  });
  return { decoder, frames, discards };
}

function decodeAll(bytes: Buffer, escaped: boolean, maxLength?: number): Rig {
  const r = rig(escaped, maxLength);
  r.decoder.push(bytes);
  return r;
}

/** One of each frame type, with fields chosen to hit special bytes where they can. */
const SAMPLES: ApiFrame[] = [
  { type: 0x08, frameId: 0x01, command: 'AI', parameter: Buffer.alloc(0) },
  { type: 0x08, frameId: 0x7e, command: 'GT', parameter: hex('7D 11 13') },
  { type: 0x88, frameId: 0x01, command: 'VR', status: 0, data: hex('11 41 05') },
  { type: 0x88, frameId: 0x13, command: 'AP', status: 3, data: Buffer.alloc(0) },
  { type: 0x8a, status: 0x02 },
  { type: 0x89, frameId: 0x11, status: 0x87 },
  { type: 0x40, frameId: 0x01, protocol: SOCKET_PROTOCOL.TLS },
  { type: 0xc0, frameId: 0x01, socket: 0xff, status: 0x32 },
  { type: 0x41, frameId: 0x02, socket: 0x00, option: SOCKET_OPTION_TLS_PROFILE, data: Buffer.of(0x02) },
  { type: 0x41, frameId: 0x02, socket: 0x00, option: SOCKET_OPTION_TLS_PROFILE, data: Buffer.alloc(0) },
  { type: 0xc1, frameId: 0x02, socket: 0x00, option: 0x00, status: 0x00, data: Buffer.of(0x01) },
  { type: 0xc1, frameId: 0x02, socket: 0x7d, option: 0x00, status: 0x20, data: Buffer.alloc(0) },
  { type: 0x42, frameId: 0x03, socket: 0x00, port: 443, addressType: 1, address: 'example.com' },
  { type: 0x42, frameId: 0x03, socket: 0x01, port: 0x7d11, addressType: 0, address: '126.125.17.19' },
  { type: 0xc2, frameId: 0x03, socket: 0x00, status: 0x00 },
  { type: 0x43, frameId: 0x01, socket: 0x00 },
  { type: 0xc3, frameId: 0x01, socket: 0x00, status: 0x00 },
  { type: 0x44, frameId: 0x04, socket: 0x00, options: 0x00, payload: Buffer.from('GET / HTTP/1.1\r\n\r\n') },
  { type: 0xcd, frameId: 0x00, socket: 0x00, status: 0x00, payload: allBytes(300) },
  { type: 0xcf, socket: 0x00, status: 0x03 },
  { type: 0x20, frameId: 0x05, address: '93.184.216.34', port: 443, sourcePort: 0, protocol: SOCKET_PROTOCOL.TLS, options: 0x02, payload: Buffer.from('hi') },
  { type: 0xb0, address: '10.0.0.1', destPort: 0x1313, sourcePort: 8080, protocol: SOCKET_PROTOCOL.UDP, status: 0, payload: Buffer.from('pong') },
  { type: 'unknown', frameType: 0x23, data: hex('11') },
];

describe('XBee3 API frames', () => {
  describe('the guide’s examples, byte for byte', () => {
    it('Socket Close: 7E 00 03 43 01 00 BB', () => {
      const frame: ApiFrame = { type: API_FRAME.SOCKET_CLOSE, frameId: 0x01, socket: 0x00 };
      assert.equal(spaced(encodeFrame(frame, false)), '7E 00 03 43 01 00 BB');
      assert.equal(spaced(encodeFrame(frame, true)), '7E 00 03 43 01 00 BB', 'nothing to escape');
      assert.deepEqual(parseFrameData(hex('43 01 00')), frame);
    });

    it('Socket Close Response: 7E 00 04 C3 01 00 00 3B', () => {
      const frame: ApiFrame = { type: API_FRAME.SOCKET_CLOSE_RESPONSE, frameId: 0x01, socket: 0x00, status: 0x00 };
      assert.equal(spaced(encodeFrame(frame, false)), '7E 00 04 C3 01 00 00 3B');
      const r = decodeAll(hex('7E 00 04 C3 01 00 00 3B'), false);
      assert.deepEqual(r.frames, [frame]);
      assert.equal(CLOSE_STATUS_TEXT[0x00], 'success');
    });

    it('escaping: 7E 00 02 23 11 CB goes as 7E 00 02 23 7D 31 CB', () => {
      assert.equal(spaced(encodeFrame(hex('23 11'), false)), '7E 00 02 23 11 CB');
      assert.equal(spaced(encodeFrame(hex('23 11'), true)), '7E 00 02 23 7D 31 CB');
      assert.deepEqual(decodeAll(hex('7E 00 02 23 7D 31 CB'), true).frames, [{ type: 'unknown', frameType: 0x23, data: hex('11') }]);
      assert.deepEqual(decodeAll(hex('7E 00 02 23 11 CB'), false).frames, [{ type: 'unknown', frameType: 0x23, data: hex('11') }]);
    });

    it('escaping: the guide’s 0x17 example, 13 inside the data goes as 7D 33', () => {
      const data = hex('17 01 00 13 A2 00 40 AD 14 2E FF FE 02 4E 49');
      const escaped = encodeFrame(data, true);
      assert.equal(spaced(escaped.subarray(0, 8)), '7E 00 0F 17 01 00 7D 33');
      assert.equal(escaped.length, 1 + 2 + 15 + 1 + 1);
    });

    it('checksum: 0xFF minus the 8-bit sum, so data plus checksum sums to 0xFF', () => {
      assert.equal(checksum(hex('43 01 00')), 0xbb);
      assert.equal(checksum(hex('C3 01 00 00')), 0x3b);
      assert.equal(checksum(hex('23 11')), 0xcb);
      assert.equal(checksum(Buffer.of(0xff)), 0x00);
      assert.equal(checksum(Buffer.of(0x00)), 0xff);
      const rnd = random(7);
      for (let n = 1; n < 200; n++) {
        const data = Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
        const sum = data.reduce((s, b) => s + b, 0) + checksum(data);
        assert.equal(sum & 0xff, 0xff, `length ${n}`);
        assert.ok(checksum(data) >= 0 && checksum(data) <= 0xff);
      }
    });

    it('length counts the frame data only; the checksum ends the frame', () => {
      const bytes = encodeFrame({ type: 0x44, frameId: 1, socket: 0, options: 0, payload: Buffer.alloc(1500) }, false);
      assert.equal(bytes.readUInt16BE(1), 1504);
      assert.equal(bytes.length, 1 + 2 + 1504 + 1);
    });
  });

  describe('AP=2 escaping', () => {
    it('escapeBytes turns each of 7E 7D 11 13 into 7D and the byte XOR 0x20, and nothing else', () => {
      assert.equal(spaced(escapeBytes(hex('7E 7D 11 13'))), '7D 5E 7D 5D 7D 31 7D 33');
      const plain = Buffer.from(Array.from({ length: 256 }, (_, i) => i).filter((b) => !SPECIAL.includes(b)));
      assert.deepEqual(escapeBytes(plain), plain);
      assert.deepEqual(unescapeBytes(escapeBytes(allBytes(1024))), allBytes(1024));
      assert.throws(() => unescapeBytes(hex('01 7D')), RangeError);
    });

    for (const special of SPECIAL) {
      const name = `0x${special.toString(16).toUpperCase()}`;

      it(`${name} as the low byte of the length field`, () => {
        const data = Buffer.concat([Buffer.of(0xcd, 0, 0, 0), Buffer.alloc(special - 4, 0x41)]);
        assert.equal(data.length, special);
        const bytes = encodeFrame(data, true);
        assert.deepEqual([...bytes.subarray(0, 4)], [0x7e, 0x00, 0x7d, special ^ 0x20]);
        assert.deepEqual(unescapeBytes(bytes.subarray(1)).subarray(2, 2 + special), data);
        const r = decodeAll(bytes, true);
        assert.equal(r.frames.length, 1);
        assert.deepEqual(r.frames[0], { type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.alloc(special - 4, 0x41) });
        assert.deepEqual(r.discards, []);
      });

      it(`${name} as the high byte of the length field`, () => {
        const length = special << 8;
        const data = Buffer.concat([Buffer.of(0x99), Buffer.alloc(length - 1, 0x55)]);
        const bytes = encodeFrame(data, true);
        assert.deepEqual([...bytes.subarray(0, 4)], [0x7e, 0x7d, special ^ 0x20, 0x00]);
        const r = decodeAll(bytes, true, 0xffff);
        assert.deepEqual(r.frames, [{ type: 'unknown', frameType: 0x99, data: Buffer.alloc(length - 1, 0x55) }]);
      });

      it(`${name} in the frame data`, () => {
        const frame: ApiFrame = { type: 0x44, frameId: special, socket: special, options: 0, payload: Buffer.of(special, 0x00, special) };
        const bytes = encodeFrame(frame, true);
        assert.equal(bytes.indexOf(0x7e, 1), -1, 'no raw 0x7E after the delimiter');
        assert.equal(bytes.length, encodeFrame(frame, false).length + 4);
        assert.deepEqual(decodeAll(bytes, true).frames, [frame]);
      });

      it(`${name} as the checksum`, () => {
        // 0xCF + socket + status(0) must sum to 0xFF - special.
        const socket = (0xff - special - 0xcf) & 0xff;
        const frame: ApiFrame = { type: 0xcf, socket, status: 0 };
        assert.equal(checksum(frameData(frame)), special);
        const bytes = encodeFrame(frame, true);
        assert.deepEqual([...bytes.subarray(-2)], [0x7d, special ^ 0x20]);
        assert.deepEqual([...bytes.subarray(-4, -2)], [socket, 0x00], 'the socket and status bytes go unescaped');
        assert.deepEqual(decodeAll(bytes, true).frames, [frame]);
        assert.deepEqual(decodeAll(encodeFrame(frame, false), false).frames, [frame]);
      });
    }

    it('a 1500-byte payload holding every byte value, escaped and not', () => {
      const payload = allBytes(MAX_SOCKET_PAYLOAD);
      const frame: ApiFrame = { type: 0xcd, frameId: 0, socket: 2, status: 0, payload };
      const plain = encodeFrame(frame, false);
      const escaped = encodeFrame(frame, true);
      const specials = plain.subarray(1).filter((b) => SPECIAL.includes(b)).length;
      assert.ok(specials >= 4 * 5, 'each special byte appears at least 5 times in 1500 bytes');
      assert.equal(escaped.length, plain.length + specials);
      assert.deepEqual(unescapeBytes(escaped.subarray(1)), plain.subarray(1));
      assert.deepEqual(decodeAll(plain, false).frames, [frame]);
      assert.deepEqual(decodeAll(escaped, true).frames, [frame]);
      assert.deepEqual(decodeAll(escaped, true).discards, []);
    });

    it('length and checksum are those of the unescaped data', () => {
      const data = hex('44 7E 7D 11 13');
      const bytes = encodeFrame(data, true);
      assert.equal(bytes.readUInt16BE(1), 5);
      assert.equal(unescapeBytes(bytes.subarray(1)).at(-1), checksum(data));
    });
  });

  describe('every frame type, built and parsed', () => {
    for (const frame of SAMPLES) {
      const label = frame.type === 'unknown' ? `unknown 0x${frame.frameType.toString(16)}` : `0x${frame.type.toString(16)}`;
      it(`${label}: frameData -> parseFrameData, and through the decoder escaped and not`, () => {
        const data = frameData(frame);
        assert.equal(data[0], frame.type === 'unknown' ? frame.frameType : frame.type);
        assert.deepEqual(parseFrameData(data), frame);
        for (const escaped of [false, true]) {
          const r = decodeAll(encodeFrame(frame, escaped), escaped);
          assert.deepEqual(r.frames, [frame], `escaped=${escaped}`);
          assert.deepEqual(r.discards, []);
        }
      });
    }

    it('field layouts follow the frame pages', () => {
      assert.equal(spaced(frameData({ type: 0x40, frameId: 1, protocol: 4 })), '40 01 04');
      assert.equal(spaced(frameData({ type: 0x41, frameId: 2, socket: 0, option: 0, data: Buffer.of(1) })), '41 02 00 00 01');
      assert.equal(
        spaced(frameData({ type: 0x42, frameId: 3, socket: 0, port: 443, addressType: 0, address: '1.2.3.4' })),
        '42 03 00 01 BB 00 01 02 03 04',
      );
      assert.equal(
        spaced(frameData({ type: 0x42, frameId: 3, socket: 0, port: 8883, addressType: 1, address: 'a.io' })),
        '42 03 00 22 B3 01 61 2E 69 6F',
      );
      assert.equal(spaced(frameData({ type: 0x44, frameId: 4, socket: 1, options: 0, payload: Buffer.from('ab') })), '44 04 01 00 61 62');
      assert.equal(spaced(frameData({ type: 0x08, frameId: 1, command: 'TL', parameter: Buffer.of(2) })), '08 01 54 4C 02');
      assert.equal(
        spaced(frameData({ type: 0x20, frameId: 5, address: '1.2.3.4', port: 443, sourcePort: 0, protocol: 4, options: 2, payload: Buffer.from('x') })),
        '20 05 01 02 03 04 01 BB 00 00 04 02 78',
      );
      assert.deepEqual(parseFrameData(hex('88 01 41 49 00 00')), { type: 0x88, frameId: 1, command: 'AI', status: 0, data: Buffer.of(0) });
      assert.deepEqual(parseFrameData(hex('C0 01 00 00')), { type: 0xc0, frameId: 1, socket: 0, status: 0 });
      assert.deepEqual(parseFrameData(hex('C2 03 00 00')), { type: 0xc2, frameId: 3, socket: 0, status: 0 });
      assert.deepEqual(parseFrameData(hex('CF 00 02')), { type: 0xcf, socket: 0, status: 2 });
      assert.deepEqual(parseFrameData(hex('89 04 00')), { type: 0x89, frameId: 4, status: 0 });
      assert.deepEqual(parseFrameData(hex('8A 02')), { type: 0x8a, status: 2 });
      assert.deepEqual(parseFrameData(hex('B0 0A 00 00 01 1F 90 01 BB 01 00 6F 6B')), {
        type: 0xb0,
        address: '10.0.0.1',
        destPort: 8080,
        sourcePort: 443,
        protocol: 1,
        status: 0,
        payload: Buffer.from('ok'),
      });
    });

    it('parsed buffers are copies, not views of the input', () => {
      const data = hex('CD 00 00 00 61 62 63');
      const frame = parseFrameData(data);
      data.fill(0);
      assert.deepEqual(frame, { type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.from('abc') });
    });

    it('an empty 0x44 / 0xCD payload and a 1500-byte one are fine', () => {
      assert.doesNotThrow(() => frameData({ type: 0x44, frameId: 1, socket: 0, options: 0, payload: Buffer.alloc(0) }));
      assert.doesNotThrow(() => frameData({ type: 0x44, frameId: 1, socket: 0, options: 0, payload: Buffer.alloc(1500) }));
    });
  });

  describe('parse errors', () => {
    const TOO_SHORT: Array<[string, string, RegExp]> = [
      ['08 01 41', 'AT Command', /AT Command \(0x08\)/],
      ['88 01 41 49', 'AT Command Response', /AT Command Response \(0x88\)/],
      ['8A', 'Modem Status', /Modem Status \(0x8A\)/],
      ['89 01', 'Transmit Status', /Transmit Status \(0x89\)/],
      ['40 01', 'Socket Create', /Socket Create \(0x40\)/],
      ['C0 01 00', 'Socket Create Response', /Socket Create Response \(0xC0\)/],
      ['41 01 00', 'Socket Option Request', /Socket Option Request \(0x41\)/],
      ['C1 01 00 00', 'Socket Option Response', /Socket Option Response \(0xC1\)/],
      ['42 01 00 01 BB', 'Socket Connect', /Socket Connect \(0x42\)/],
      ['C2 01 00', 'Socket Connect Response', /Socket Connect Response \(0xC2\)/],
      ['43 01', 'Socket Close', /Socket Close \(0x43\)/],
      ['C3 01 00', 'Socket Close Response', /Socket Close Response \(0xC3\)/],
      ['44 01 00', 'Socket Send', /Socket Send \(0x44\)/],
      ['CD 00 00', 'Socket Receive', /Socket Receive \(0xCD\)/],
      ['CF 00', 'Socket Status', /Socket Status \(0xCF\)/],
      ['20 01 01 02 03 04 01 BB 00 00 04', 'TX IPv4', /IPv4 \(0x20\)/],
      ['B0 0A 00 00 01 1F 90 01 BB 01', 'RX IPv4', /IPv4 \(0xB0\)/],
    ];
    for (const [bytes, label, name] of TOO_SHORT) {
      it(`${label}: frame data too short for its fields throws RangeError naming the frame`, () => {
        assert.throws(() => parseFrameData(hex(bytes)), (err: unknown) => err instanceof RangeError && name.test(err.message));
      });
    }

    it('empty frame data, and a Socket Connect with a bad address type or IPv4 length', () => {
      assert.throws(() => parseFrameData(Buffer.alloc(0)), RangeError);
      assert.throws(() => parseFrameData(hex('42 01 00 01 BB 02 61')), /Socket Connect \(0x42\): addressType 2/);
      assert.throws(() => parseFrameData(hex('42 01 00 01 BB 00 01 02 03')), /Socket Connect \(0x42\): IPv4 address of 3 bytes/);
    });

    it('unknown frame types parse as unknown, even a single byte', () => {
      assert.deepEqual(parseFrameData(hex('FE')), { type: 'unknown', frameType: 0xfe, data: Buffer.alloc(0) });
      assert.deepEqual(parseFrameData(hex('45 01 00')), { type: 'unknown', frameType: 0x45, data: hex('01 00') });
    });
  });

  describe('builders refuse out-of-range fields', () => {
    const refuses = (frame: ApiFrame, pattern: RegExp): void => {
      assert.throws(() => frameData(frame), (err: unknown) => err instanceof RangeError && pattern.test(err.message), JSON.stringify(frame));
      assert.throws(() => encodeFrame(frame, true), RangeError);
    };

    it('socket ids, frame ids, statuses and options outside a byte', () => {
      refuses({ type: 0x43, frameId: 1, socket: 256 }, /Socket Close \(0x43\): socket 256 is outside 0\.\.255/);
      refuses({ type: 0x43, frameId: 1, socket: -1 }, /socket -1/);
      refuses({ type: 0x43, frameId: 1, socket: 1.5 }, /socket 1\.5/);
      refuses({ type: 0x44, frameId: 256, socket: 0, options: 0, payload: Buffer.alloc(0) }, /Socket Send \(0x44\): frameId 256/);
      refuses({ type: 0x44, frameId: 1, socket: 0, options: 0x100, payload: Buffer.alloc(0) }, /options 256/);
      refuses({ type: 0xcf, socket: 0, status: 300 }, /Socket Status \(0xCF\): status 300/);
      refuses({ type: 0x40, frameId: 1, protocol: NaN }, /protocol NaN/);
      refuses({ type: 0x41, frameId: 1, socket: 0, option: 999, data: Buffer.alloc(0) }, /option 999/);
      refuses({ type: 'unknown', frameType: 0x1ff, data: Buffer.alloc(0) }, /frameType 511/);
    });

    it('ports outside 0..65535', () => {
      refuses({ type: 0x42, frameId: 1, socket: 0, port: 65536, addressType: 1, address: 'a' }, /Socket Connect \(0x42\): port 65536 is outside 0\.\.65535/);
      refuses({ type: 0x20, frameId: 1, address: '1.2.3.4', port: 1, sourcePort: 70000, protocol: 0, options: 0, payload: Buffer.alloc(0) }, /sourcePort 70000/);
      refuses({ type: 0xb0, address: '1.2.3.4', destPort: -2, sourcePort: 1, protocol: 0, status: 0, payload: Buffer.alloc(0) }, /destPort -2/);
      assert.doesNotThrow(() => frameData({ type: 0x42, frameId: 1, socket: 0, port: 65535, addressType: 1, address: 'a' }));
    });

    it('payloads over 1500 bytes', () => {
      refuses({ type: 0x44, frameId: 1, socket: 0, options: 0, payload: Buffer.alloc(1501) }, /Socket Send \(0x44\): payload of 1501 bytes exceeds 1500/);
      refuses({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.alloc(1501) }, /Socket Receive \(0xCD\): payload/);
      refuses({ type: 0x20, frameId: 1, address: '1.2.3.4', port: 1, sourcePort: 0, protocol: 0, options: 0, payload: Buffer.alloc(1501) }, /payload/);
    });

    it('address type 0 with anything but a dotted-quad IPv4, and address types other than 0/1', () => {
      for (const address of ['example.com', '1.2.3', '1.2.3.256', '::1', '']) {
        refuses({ type: 0x42, frameId: 1, socket: 0, port: 443, addressType: 0, address }, /Socket Connect \(0x42\): address ".*" is not a dotted-quad IPv4/);
      }
      refuses({ type: 0x42, frameId: 1, socket: 0, port: 443, addressType: 2 as unknown as 0, address: 'x' }, /addressType 2/);
      refuses({ type: 0x20, frameId: 1, address: 'host', port: 1, sourcePort: 0, protocol: 0, options: 0, payload: Buffer.alloc(0) }, /address "host"/);
    });

    it('AT commands that are not two ASCII characters', () => {
      refuses({ type: 0x08, frameId: 1, command: 'ATAI', parameter: Buffer.alloc(0) }, /AT Command \(0x08\): command "ATAI"/);
      refuses({ type: 0x08, frameId: 1, command: 'A', parameter: Buffer.alloc(0) }, /command "A"/);
      assert.doesNotThrow(() => frameData({ type: 0x08, frameId: 1, command: '$0', parameter: Buffer.alloc(0) }));
    });

    it('encodeFrame refuses empty and over-long raw frame data', () => {
      assert.throws(() => encodeFrame(Buffer.alloc(0), false), RangeError);
      assert.throws(() => encodeFrame(Buffer.alloc(0x10000), false), RangeError);
    });
  });

  describe('FrameDecoder', () => {
    const stream = (escaped: boolean): Buffer => Buffer.concat(SAMPLES.map((f) => encodeFrame(f, escaped)));

    it('hands a frame its type cannot parse (a Socket Connect with address type 2) to onInvalid, whole', () => {
      const data = Buffer.from([0x42, 0x05, 0x00, 0x01, 0xbb, 0x02, 0x68]);
      const frames: ApiFrame[] = [];
      const invalid: Array<[Buffer, string]> = [];
      const discards: string[] = [];
      const decoder = new FrameDecoder({ escaped: true, onFrame: (f) => frames.push(f), onInvalid: (d, why) => invalid.push([d, why]), onDiscard: (_n, why) => discards.push(why) });
      decoder.push(Buffer.concat([encodeFrame(data, true), encodeFrame({ type: 0x43, frameId: 1, socket: 0 }, true)]));
      assert.equal(invalid.length, 1);
      assert.ok(invalid[0][0].equals(data));
      assert.match(invalid[0][1], /addressType 2/);
      assert.equal(discards.length, 1);
      assert.deepEqual(frames, [{ type: 0x43, frameId: 1, socket: 0 }]);
    });

    for (const escaped of [false, true]) {
      const mode = escaped ? 'escaped' : 'unescaped';

      it(`${mode}: one byte at a time gives the same frames`, () => {
        const r = rig(escaped);
        for (const byte of stream(escaped)) r.decoder.push(Buffer.of(byte));
        assert.deepEqual(r.frames, SAMPLES);
        assert.deepEqual(r.discards, []);
        assert.equal(r.decoder.pending, 0);
      });

      it(`${mode}: random chunkings (seeded) give the same frames`, () => {
        const bytes = stream(escaped);
        for (let seed = 1; seed <= 40; seed++) {
          const r = rig(escaped);
          for (const chunk of chunked(bytes, random(seed), seed % 2 ? 7 : 300)) r.decoder.push(chunk);
          assert.deepEqual(r.frames, SAMPLES, `seed ${seed}`);
          assert.deepEqual(r.discards, [], `seed ${seed}`);
        }
      });

      it(`${mode}: junk before a frame is reported, the frame still decoded`, () => {
        const frame: ApiFrame = { type: 0xc3, frameId: 1, socket: 0, status: 0 };
        const junk = Buffer.from('OK\r\x00\x11garbage');
        const r = rig(escaped);
        for (const byte of Buffer.concat([junk, encodeFrame(frame, escaped)])) r.decoder.push(Buffer.of(byte));
        assert.deepEqual(r.frames, [frame]);
        assert.deepEqual(r.discards, [{ bytes: junk.length, reason: 'junk before start delimiter' }]);
      });

      it(`${mode}: a bad checksum drops that frame and the next is decoded`, () => {
        const bad = encodeFrame({ type: 0x43, frameId: 1, socket: 0 }, escaped);
        bad[bad.length - 1] ^= 0x01;
        const good: ApiFrame = { type: 0xcf, socket: 0, status: 0 };
        const r = decodeAll(Buffer.concat([bad, encodeFrame(good, escaped)]), escaped);
        assert.deepEqual(r.frames, [good]);
        assert.equal(r.discards.length, 1);
        assert.equal(r.discards[0].bytes, bad.length);
        assert.match(r.discards[0].reason, /checksum 0xBA, expected 0xBB/);
      });

      it(`${mode}: an oversize length is reported and the decoder resynchronises`, () => {
        const good: ApiFrame = { type: 0x89, frameId: 9, status: 0 };
        const r = rig(escaped, 100);
        r.decoder.push(Buffer.concat([hex('7E 00 65 CD 00 00 00'), Buffer.alloc(10, 0x41), encodeFrame(good, escaped)]));
        assert.deepEqual(r.frames, [good]);
        assert.match(r.discards[0].reason, /length 101 exceeds 100/);
        assert.equal(r.discards.reduce((s, d) => s + d.bytes, 0), 3 + 4 + 10, 'every dropped byte accounted for');
      });

      it(`${mode}: the default limit is 1600`, () => {
        const r = decodeAll(Buffer.concat([encodeFrame(Buffer.alloc(1601, 1), escaped), encodeFrame(Buffer.alloc(1600, 1), escaped)]), escaped);
        assert.equal(r.frames.length, 1);
        assert.match(r.discards[0].reason, /length 1601 exceeds 1600/);
      });

      it(`${mode}: a zero length is dropped`, () => {
        const good: ApiFrame = { type: 0x8a, status: 0 };
        const r = decodeAll(Buffer.concat([hex('7E 00 00 FF'), encodeFrame(good, escaped)]), escaped);
        assert.deepEqual(r.frames, [good]);
        assert.match(r.discards[0].reason, /length 0/);
      });

      it(`${mode}: a frame its type cannot parse is reported, not delivered`, () => {
        const good: ApiFrame = { type: 0x8a, status: 0 };
        const r = decodeAll(Buffer.concat([encodeFrame(hex('C3 01'), escaped), encodeFrame(good, escaped)]), escaped);
        assert.deepEqual(r.frames, [good]);
        assert.deepEqual(r.discards, [{ bytes: 6, reason: 'invalid frame: Socket Close Response (0xC3): 2 bytes of frame data, at least 4 expected' }]);
      });

      it(`${mode}: reset() forgets a half-read frame`, () => {
        const r = rig(escaped);
        const bytes = encodeFrame({ type: 0x43, frameId: 1, socket: 0 }, escaped);
        r.decoder.push(bytes.subarray(0, 4));
        assert.equal(r.decoder.pending, 4);
        r.decoder.reset();
        assert.equal(r.decoder.pending, 0);
        r.decoder.push(bytes);
        assert.deepEqual(r.frames, [{ type: 0x43, frameId: 1, socket: 0 }]);
        assert.deepEqual(r.discards, []);
      });
    }

    it('escaped: a truncated frame followed by a good one — the 0x7E starts the new frame at once', () => {
      const first = encodeFrame({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.from('hello world') }, true);
      const good: ApiFrame = { type: 0xcf, socket: 0, status: 0x03 };
      const r = rig(true);
      r.decoder.push(Buffer.concat([first.subarray(0, 9), encodeFrame(good, true)]));
      assert.deepEqual(r.frames, [good]);
      assert.deepEqual(r.discards, [{ bytes: 9, reason: 'frame cut off by a new start delimiter' }]);
      assert.equal(r.decoder.pending, 0);
    });

    it('escaped: a 0x7E right after an escape byte still starts a new frame', () => {
      const good: ApiFrame = { type: 0x43, frameId: 1, socket: 0 };
      const r = decodeAll(Buffer.concat([hex('7E 00 05 44 7D'), encodeFrame(good, true)]), true);
      assert.deepEqual(r.frames, [good]);
      assert.equal(r.discards[0].bytes, 5);
    });

    it('unescaped: a truncated frame followed by a good one — found again inside the held bytes', () => {
      // The cut-off frame claims 8 bytes; it swallows the good frame's start, fails its checksum,
      // and the decoder looks again from the good frame's 0x7E.
      const good: ApiFrame = { type: 0xc3, frameId: 1, socket: 0, status: 0 };
      const goodBytes = encodeFrame(good, false);
      const cut = hex('7E 00 08 CD 00 00');
      const rnd = random(99);
      for (let trial = 0; trial < 20; trial++) {
        const r = rig(false);
        const all = Buffer.concat([cut, goodBytes, goodBytes]);
        for (const chunk of chunked(all, rnd, 4)) r.decoder.push(chunk);
        assert.deepEqual(r.frames, [good, good], `trial ${trial}`);
        assert.equal(r.discards.length, 1);
        assert.equal(r.discards[0].bytes, cut.length);
        assert.match(r.discards[0].reason, /checksum/);
      }
    });

    it('unescaped: a 0x7E inside the data is data', () => {
      const frame: ApiFrame = { type: 0xcd, frameId: 0, socket: 0, status: 0, payload: hex('7E 7E 00 01 7E') };
      assert.deepEqual(decodeAll(encodeFrame(frame, false), false).frames, [frame]);
    });

    it('escaped: an escape byte split across chunks', () => {
      const frame: ApiFrame = { type: 0xcd, frameId: 0, socket: 0, status: 0, payload: hex('7E 7D 11 13 00') };
      const bytes = encodeFrame(frame, true);
      for (let i = 1; i < bytes.length; i++) {
        if (bytes[i - 1] !== 0x7d) continue;
        const r = rig(true);
        r.decoder.push(bytes.subarray(0, i));
        r.decoder.push(bytes.subarray(i));
        assert.deepEqual(r.frames, [frame], `split after byte ${i}`);
      }
    });

    it('switching escaped between frames', () => {
      const a: ApiFrame = { type: 0x89, frameId: 0x11, status: 0x00 };
      const b: ApiFrame = { type: 0x89, frameId: 0x13, status: 0x7e };
      const r = rig(false);
      r.decoder.push(encodeFrame(a, false));
      r.decoder.escaped = true;
      r.decoder.push(encodeFrame(b, true));
      r.decoder.escaped = false;
      r.decoder.push(encodeFrame(b, false));
      assert.deepEqual(r.frames, [a, b, b]);
      assert.deepEqual(r.discards, []);
    });

    it('a bad checksum in one of many frames, randomly chunked, loses only that frame', () => {
      for (const escaped of [false, true]) {
        const frames = SAMPLES.map((f) => encodeFrame(f, escaped));
        const broken = 5;
        frames[broken] = Buffer.from(frames[broken]);
        frames[broken][frames[broken].length - 1] ^= 0x40;
        const expected = SAMPLES.filter((_, i) => i !== broken);
        for (let seed = 100; seed < 110; seed++) {
          const r = rig(escaped);
          for (const chunk of chunked(Buffer.concat(frames), random(seed), 13)) r.decoder.push(chunk);
          assert.deepEqual(r.frames, expected, `escaped=${escaped} seed ${seed}`);
          assert.equal(r.discards.length, 1);
        }
      }
    });

    it('pending counts the raw bytes held of an unfinished frame', () => {
      const r = rig(true);
      r.decoder.push(Buffer.from('junk'));
      assert.equal(r.decoder.pending, 0);
      r.decoder.push(hex('7E 00 03 43 7D'));
      assert.equal(r.decoder.pending, 5);
      r.decoder.push(hex('31 00 AB'));
      assert.deepEqual(r.frames, [{ type: 0x43, frameId: 0x11, socket: 0 }]);
      assert.equal(r.decoder.pending, 0);
    });

    it('works without onDiscard', () => {
      const frames: ApiFrame[] = [];
      const decoder = new FrameDecoder({ escaped: true, onFrame: (f) => frames.push(f) });
      decoder.push(Buffer.concat([Buffer.from('xx'), hex('7E 00 03 43 01 00 00'), hex('7E 00 03 43 01 00 BB')]));
      assert.deepEqual(frames, [{ type: 0x43, frameId: 1, socket: 0 }]);
    });
  });

  describe('status tables', () => {
    it('hold the guide’s codes', () => {
      assert.equal(SOCKET_STATUS_TEXT[0x00], 'connected');
      assert.equal(SOCKET_STATUS_TEXT[0x03], 'transport closed');
      assert.equal(SOCKET_STATUS_TEXT[0x08], 'unknown error');
      assert.equal(TRANSMIT_STATUS_TEXT[0x74], 'message too long');
      assert.equal(TRANSMIT_STATUS_TEXT[0x87], 'socket not connected');
      assert.equal(TRANSMIT_STATUS_TEXT[0x8b], 'TLS authentication error');
      assert.equal(CREATE_STATUS_TEXT[0x32], 'resource error, retry later');
      assert.equal(OPTION_STATUS_TEXT[0x01], 'invalid parameters');
      assert.equal(CONNECT_STATUS_TEXT[0x00], 'connection started');
      assert.equal(CONNECT_STATUS_TEXT[0x20], 'bad socket id');
      assert.equal(AT_STATUS_TEXT[0x03], 'invalid parameter');
      assert.equal(MODEM_STATUS_TEXT[0x02], 'registered with the cellular network');
      for (const table of [SOCKET_STATUS_TEXT, TRANSMIT_STATUS_TEXT, CREATE_STATUS_TEXT, OPTION_STATUS_TEXT, CONNECT_STATUS_TEXT, CLOSE_STATUS_TEXT, AT_STATUS_TEXT, MODEM_STATUS_TEXT]) {
        for (const [code, text] of Object.entries(table)) {
          assert.ok(Number(code) >= 0 && Number(code) <= 0xff);
          assert.ok(text.length > 0 && text.length <= 60, text);
        }
      }
    });

    it('API_FRAME names the types the union carries', () => {
      assert.equal(API_FRAME.SOCKET_CREATE, 0x40);
      assert.equal(API_FRAME.SOCKET_STATUS, 0xcf);
      assert.equal(API_FRAME.MODEM_STATUS, 0x8a);
      assert.deepEqual(SOCKET_PROTOCOL, { UDP: 0, TCP: 1, TLS: 4 });
    });
  });
});
