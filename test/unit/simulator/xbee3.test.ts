/**
 * The simulated Digi XBee3 Cellular: command mode behind real guard times, CR-only answers, the
 * registers (volatile until WR), the file system with YMODEM uploads and secure files, the TLS
 * profiles, API socket frames over real TLS (plain and escaped), transparent mode, data held
 * while the host is in command mode, the command log, and `--vendor xbee3` in the CLI. The wire
 * behaviour follows the contract in src/simulator/dialects/xbee3 (see its file headers).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { encodeFrame, FrameDecoder, type ApiFrame } from '../../../src/adapters/xbee3/api-frames';
import { ACK, CAN, CRC_REQUEST, FINAL_BLOCK, headerBlock, NAK, sendYmodem, ymodemBlock } from '../../../src/adapters/xbee3/ymodem';
import { SIMULATED_VENDORS } from '../../../src/simulator';
import { createXbee3Modem, xbee3Device, type Xbee3Modem, type Xbee3ModemOptions } from '../../../src/simulator/dialects/xbee3';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { closeAfterEach, withCliPort } from '../../support/simulator-harness';
import { delay, echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';
import { exchange, Wire } from './wire';

let pki: TestPki | undefined;
/** RSA: the module takes client keys as RSA PKCS#1 only. */
function testPki(): TestPki {
  pki ??= createTestPki({ keyType: 'rsa' });
  return pki;
}

/** The host's end of one simulated XBee3. */
class XbeeHost {
  readonly wire: Wire;
  constructor(readonly modem: Xbee3Modem) {
    this.wire = new Wire(modem);
  }

  /** A module whose GT is 50 ms (set and saved through the device, so tests need not wait 1 s first). */
  static start(options: Xbee3ModemOptions = {}, guardMs = 50): XbeeHost {
    const modem = createXbee3Modem({ timeScale: 0.01, connectTimeoutMs: 5000, ...options });
    const device = xbee3Device(modem)!;
    device.registers.set('GT', guardMs);
    device.registers.write();
    return new XbeeHost(modem);
  }

  get device() {
    return xbee3Device(this.modem)!;
  }

  get guardMs(): number {
    return this.device.registers.num('GT');
  }

  /** Silence for GT (and a little), `+++`, and the OK after the second guard time. */
  async enter(): Promise<void> {
    await delay(this.guardMs + 20);
    this.wire.clear();
    await exchange(this.modem, '+++');
    assert.equal(this.wire.text, 'OK\r', 'command mode entered');
    assert.ok(this.modem.inCommandMode);
  }

  /** Sends `line` + CR; resolves with exactly what came back once the module is idle. */
  async at(line: string): Promise<string> {
    this.wire.clear();
    await exchange(this.modem, `${line}\r`);
    return this.wire.text;
  }

  async expect(line: string, answer: string): Promise<void> {
    assert.equal(await this.at(line), answer, `answer to ${line}`);
  }

  /** A YMODEM sender over the wire, as the adapter runs it. */
  ymodemIo() {
    let seen = 0;
    return {
      write: async (bytes: Buffer): Promise<void> => {
        this.modem.receive(bytes);
      },
      read: async (timeoutMs: number): Promise<Buffer> => {
        const deadline = Date.now() + timeoutMs;
        while (this.wire.bytes.length <= seen) {
          if (Date.now() > deadline) throw new Error('nothing from the module');
          await delay(2);
        }
        const bytes = this.wire.bytes.subarray(seen);
        seen += bytes.length;
        return Buffer.from(bytes);
      },
    };
  }

  /** `ATFS PUT|XPUT <path>` and a YMODEM upload; resolves with the module's final line. */
  async put(path: string, data: Buffer | string, secure = false): Promise<string> {
    this.wire.clear();
    this.modem.receive(`ATFS ${secure ? 'XPUT' : 'PUT'} ${path}\r`);
    await sendYmodem(this.ymodemIo(), path.split('/').pop()!, typeof data === 'string' ? Buffer.from(data) : data, { firstTimeoutMs: 2000, replyTimeoutMs: 2000 });
    await this.modem.whenIdle();
    // The module's line after the closing block's ACK.
    const text = this.wire.text;
    return text.slice(text.lastIndexOf(String.fromCharCode(ACK)) + 1);
  }

  async transcript(steps: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [line, answer] of steps) await this.expect(line, answer);
  }

  close(): void {
    this.wire.detach();
    this.modem.close();
  }
}

/** Frames from the module, decoded as they come. */
class ApiView {
  readonly frames: ApiFrame[] = [];
  private readonly decoder: FrameDecoder;
  private readonly listener = (data: Buffer): void => this.decoder.push(data);

  constructor(
    private readonly host: XbeeHost,
    escaped = false,
  ) {
    this.decoder = new FrameDecoder({ escaped, onFrame: (frame) => this.frames.push(frame) });
    host.modem.on('data', this.listener);
  }

  send(frame: ApiFrame): void {
    this.host.modem.receive(encodeFrame(frame, this.decoder.escaped));
  }

  /** The first frame received (and not yet taken) that matches; waits for it. */
  async take<T extends ApiFrame['type']>(type: T, match: (frame: Extract<ApiFrame, { type: T }>) => boolean = () => true, timeoutMs = 5000): Promise<Extract<ApiFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.frames.findIndex((f) => f.type === type && match(f as Extract<ApiFrame, { type: T }>));
      if (i >= 0) return this.frames.splice(i, 1)[0] as Extract<ApiFrame, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no frame 0x${Number(type).toString(16)} within ${timeoutMs} ms; have ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await delay(5);
    }
  }

  detach(): void {
    this.host.modem.off('data', this.listener);
  }

  /** Socket create → its id (asserts success). */
  async create(protocol = 4, frameId = 1): Promise<number> {
    this.send({ type: 0x40, frameId, protocol });
    const answer = await this.take(0xc0, (f) => f.frameId === frameId);
    assert.equal(answer.status, 0, 'socket created');
    return answer.socket;
  }

  /** Connect → the 0xCF status (0 connected). */
  async connect(socket: number, port: number, host = 'localhost', frameId = 2): Promise<number> {
    this.send({ type: 0x42, frameId, socket, port, addressType: 1, address: host });
    const started = await this.take(0xc2, (f) => f.frameId === frameId);
    assert.equal(started.status, 0, 'connection started');
    return (await this.take(0xcf, (f) => f.socket === socket)).status;
  }

  /** Payloads of 0xCD for `socket` until `length` bytes have come. */
  async receive(socket: number, length: number, timeoutMs = 5000): Promise<Buffer[]> {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < length) {
      const frame = await this.take(0xcd, (f) => f.socket === socket, timeoutMs);
      parts.push(frame.payload);
      size += frame.payload.length;
    }
    return parts;
  }
}

describe('simulator: Digi XBee3 Cellular', function () {
  this.timeout(30000);
  let host: XbeeHost | undefined;
  const views: ApiView[] = [];
  afterEach(() => {
    for (const view of views.splice(0)) view.detach();
    host?.close();
    host = undefined;
  });
  const keep = closeAfterEach();

  async function server(onConnection: (socket: tls.TLSSocket) => void = echo, options: tls.TlsOptions = {}): Promise<TestServer> {
    return keep(await startScriptedServer(testPki().server, onConnection, options));
  }

  function view(h: XbeeHost, escaped = false): ApiView {
    const v = new ApiView(h, escaped);
    views.push(v);
    return v;
  }

  /** A module in API mode (AP=1, or 2 escaped) with ca.pem (the test root) uploaded. */
  async function apiModule(ap = 1, options: Xbee3ModemOptions = {}): Promise<{ h: XbeeHost; api: ApiView }> {
    const h = XbeeHost.start(options);
    host = h;
    await h.enter();
    assert.equal(await h.put('/flash/certs/ca.pem', testPki().ca.cert), 'OK\r');
    await h.expect(`ATAP${ap}`, 'OK\r');
    await h.expect('ATCN', 'OK\r');
    return { h, api: view(h, ap === 2) };
  }

  describe('command mode', () => {
    it('needs GT of silence before and after +++ (default GT 1 s); bytes too close make it data', async () => {
      const h = (host = new XbeeHost(createXbee3Modem()));
      // Straight after power-up there has been no silence of GT yet: +++ is data.
      await exchange(h.modem, '+++');
      await delay(1100);
      assert.equal(h.wire.text, '', 'no OK');
      assert.ok(!h.modem.inCommandMode);
      // Silence, +++, but a byte inside the second guard time: data again.
      await delay(1050);
      h.modem.receive('+++');
      await delay(300);
      h.modem.receive('x');
      await h.modem.whenIdle();
      await delay(1100);
      assert.equal(h.wire.text, '');
      // The real thing.
      await delay(1050);
      const started = Date.now();
      await exchange(h.modem, '+++');
      assert.equal(h.wire.text, 'OK\r');
      assert.ok(Date.now() - started >= 990, 'OK only after the guard time');
      // ATGT shortens it: 0x64 = 100 ms.
      await h.expect('ATGT64', 'OK\r');
      await h.expect('ATGT', '64\r');
      await h.expect('ATCN', 'OK\r');
      await h.enter();
      assert.equal(h.guardMs, 100);
    });

    it('leaves command mode silently after CT without a command, back to its data mode', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      // CT is x 100 ms, scaled by timeScale (0.01): 0x64 → 100 ms here.
      await h.expect('ATCT', '64\r');
      await delay(60);
      await h.expect('ATVR', '11415\r');
      assert.ok(h.modem.inCommandMode, 'each command restarts CT');
      await delay(200);
      assert.ok(!h.modem.inCommandMode);
      assert.equal(await h.at('ATVR'), '', 'now it is transparent data');
    });

    it('answers with CR only, echoes nothing, reads hex without leading zeros', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      await h.transcript([
        ['AT', 'OK\r'],
        ['ATVR', '11415\r'],
        ['atvr', '11415\r'],
        ['ATHV', '4A4B\r'],
        ['ATHS', '5\r'],
        ['ATNP', '5DC\r'],
        ['ATAI', '0\r'],
        ['ATMY', '10.0.0.2\r'],
        ['ATOD', '0.0.0.0\r'],
        ['ATCI', 'FF\r'],
        ['ATGT', '32\r'],
        ['ATAP', '0\r'],
        ['ATIP', '1\r'],
        ['ATTL', '2\r'],
        ['ATTM', '64\r'],
        ['ATDL', '0.0.0.0\r'],
        ['ATDE', '0\r'],
        ['ATDE1BB', 'OK\r'],
        ['ATDE 1bb', 'OK\r'],
        ['ATDE', '1BB\r'],
        ['ATDLexample.com', 'OK\r'],
        ['ATDL', 'example.com\r'],
        ['ATAP5', 'ERROR\r'],
        ['ATAP2', 'OK\r'],
        ['ATGT1', 'ERROR\r'],
        ['ATDEXYZ', 'ERROR\r'],
        ['ATVR1', 'ERROR\r'],
        ['ATZZ', 'ERROR\r'],
        ['hello', 'ERROR\r'],
        ['ATTL1,TM1F', 'OK\rOK\r'],
        ['ATTL', '1\r'],
        ['ATTM', '1F\r'],
      ]);
    });

    it('keeps writes volatile until WR; FR reboots; RE restores factory values without saving them', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      await h.expect('ATTM1F', 'OK\r');
      await h.expect('ATAN', '\r');
      await h.expect('ATANiot.example', 'OK\r');
      await h.expect('ATFR', 'OK\r');
      assert.ok(!h.modem.inCommandMode, 'rebooted into its data mode');
      await h.enter();
      await h.expect('ATTM', '64\r');
      await h.expect('ATAN', '\r');
      await h.expect('ATTM1F', 'OK\r');
      await h.expect('ATWR', 'OK\r');
      await h.modem.reboot();
      await h.enter();
      await h.expect('ATTM', '1F\r');
      await h.expect('ATRE', 'OK\r');
      await h.expect('ATTM', '64\r');
      await h.expect('ATGT', '3E8\r');
      await h.modem.reboot();
      await h.enter();
      await h.expect('ATTM', '1F\r');
    });

    it('logs every command line, and API frames in a readable form without payloads', async () => {
      const { h, api } = await apiModule();
      const mark = h.modem.log.length;
      api.send({ type: 0x40, frameId: 7, protocol: 4 });
      api.send({ type: 0x44, frameId: 8, socket: 0, options: 0, payload: Buffer.from('secret payload') });
      await api.take(0x89);
      const lines = h.modem.log.slice(mark).map((e) => e.line);
      assert.deepEqual(lines, ['API 0x40 id=7 protocol=4', 'API 0x44 id=8 socket=0 14 bytes']);
      assert.ok(h.modem.log.some((e) => e.line === 'ATFS PUT /flash/certs/ca.pem'));
      assert.ok(!h.modem.log.some((e) => e.line.includes('BEGIN')), 'no file content in the log');
      await h.modem.waitForCommand('API 0x40 id=7 protocol=4', 100, mark);
    });
  });

  describe('file system', () => {
    it('lists /flash exactly: ./ and ../, directories, files, sizes right-aligned, secure files with #, an empty last line', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      await h.expect('ATFS LS', '     <DIR> ./\r     <DIR> ../\r     <DIR> certs/\r     <DIR> lib/\r\r');
      assert.equal(await h.put('hello.txt', 'x'.repeat(1234)), 'OK\r');
      assert.equal(await h.put('certs/key.pem', testPki().client.keyRsaPem!, true), 'OK\r');
      await h.expect('ATFS LS', '     <DIR> ./\r     <DIR> ../\r     <DIR> certs/\r     <DIR> lib/\r      1234 hello.txt\r\r');
      const size = testPki().client.keyRsaPem!.length;
      await h.expect('ATFS LS certs', `     <DIR> ./\r     <DIR> ../\r${String(size).padStart(10)} key.pem#\r\r`);
      await h.expect('ATFS LS /flash/nothere', 'ENOENT No such file or directory\r');
    });

    it('PUT stores a file (replacing one of that name) and HASH gives its sha256; XPUT files are secure', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
      assert.equal(await h.put('blob.bin', data), 'OK\r');
      await h.expect('ATFS HASH blob.bin', `sha256 ${createHash('sha256').update(data).digest('hex')}\r`);
      assert.deepEqual(h.device.flash.files().find((f) => f.path === '/flash/blob.bin')?.data, data);
      assert.equal(await h.put('BLOB.BIN', 'short'), 'OK\r', 'names ignore case');
      await h.expect('ATFS HASH /flash/blob.bin', `sha256 ${createHash('sha256').update('short').digest('hex')}\r`);
      assert.equal(await h.put('/flash/certs/k.pem', 'secret', true), 'OK\r');
      await h.expect('ATFS HASH certs/k.pem', 'EACCES Secure file\r');
      await h.expect('ATFS GET certs/k.pem', 'EACCES Secure file\r');
      assert.deepEqual(h.device.flash.files().find((f) => f.path === '/flash/certs/k.pem'), { path: '/flash/certs/k.pem', size: 6, secure: true });
      // Files live in flash.
      await h.modem.reboot();
      await h.enter();
      await h.expect('ATFS HASH blob.bin', `sha256 ${createHash('sha256').update('short').digest('hex')}\r`);
      await h.expect('ATFS PUT nodir/x.pem', 'ENOENT No such file or directory\r');
      await h.expect('ATFS PUT bad*name', 'EINVAL Invalid name\r');
      await h.expect(`ATFS PUT ${'a'.repeat(65)}`, 'ENAMETOOLONG Name too long\r');
    });

    it('NAKs a bad block and takes it again, ACKs a repeated one, and stops on CAN CAN', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      h.wire.clear();
      h.modem.receive('ATFS PUT a.txt\r');
      await h.wire.until('Receiving file with YMODEM...\rC');
      const payload = Buffer.from('hello, ymodem');
      h.wire.clear();
      h.modem.receive(headerBlock('a.txt', payload.length));
      await h.wire.until(String.fromCharCode(ACK, CRC_REQUEST));
      const block = ymodemBlock(1, payload, 128);
      const broken = Buffer.from(block);
      broken[10] ^= 0xff;
      h.wire.clear();
      h.modem.receive(broken);
      await h.wire.until(String.fromCharCode(NAK));
      h.wire.clear();
      h.modem.receive(block);
      await h.wire.until(String.fromCharCode(ACK));
      h.wire.clear();
      h.modem.receive(block);
      await h.wire.until(String.fromCharCode(ACK));
      h.wire.clear();
      h.modem.receive(Buffer.of(0x04));
      await h.wire.until(String.fromCharCode(NAK));
      h.modem.receive(Buffer.of(0x04));
      await h.wire.until(String.fromCharCode(NAK, ACK, CRC_REQUEST));
      h.wire.clear();
      await exchange(h.modem, FINAL_BLOCK);
      assert.equal(h.wire.text, String.fromCharCode(ACK) + 'OK\r');
      await h.expect('ATFS HASH a.txt', `sha256 ${createHash('sha256').update(payload).digest('hex')}\r`);
      // Cancelled.
      h.wire.clear();
      h.modem.receive('ATFS PUT b.txt\r');
      await h.wire.until('C');
      h.modem.receive(headerBlock('b.txt', 10));
      await h.wire.until(String.fromCharCode(ACK, CRC_REQUEST));
      h.wire.clear();
      await exchange(h.modem, Buffer.of(CAN, CAN));
      assert.equal(h.wire.text, 'ECANCELED Transfer cancelled\r');
      await h.expect('ATFS HASH b.txt', 'ENOENT No such file or directory\r');
    });

    it('times out without blocks, and refuses a file larger than the free space', async () => {
      const h = (host = XbeeHost.start({ flashBytes: 1000 }));
      await h.enter();
      h.wire.clear();
      // 60 s scaled by 0.01: 600 ms of 'C' every 10 ms.
      await exchange(h.modem, 'ATFS PUT a.txt\r');
      assert.match(h.wire.text, /^Receiving file with YMODEM\.\.\.\rC{30,}ETIMEDOUT Transfer timed out\r$/);
      h.wire.clear();
      h.modem.receive('ATFS PUT big.bin\r');
      await h.wire.until('C');
      h.wire.clear();
      await exchange(h.modem, headerBlock('big.bin', 5000));
      assert.equal(h.wire.text, String.fromCharCode(CAN, CAN) + 'ENOSPC No space left on device\r');
    });

    it('MD, CD, PWD, RM, MV, INFO, FORMAT', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      await h.transcript([
        ['ATFS PWD', '/flash\r'],
        ['ATFS MD keys', 'OK\r'],
        ['ATFS MD keys', 'EEXIST File exists\r'],
        ['ATFS CD keys', '/flash/keys\r'],
        ['ATFS PWD', '/flash/keys\r'],
        ['ATFS CD ..', '/flash\r'],
        ['ATFS CD /flash/nothere', 'ENOENT No such file or directory\r'],
        ['ATFS INFO', `   0 used\r   ${1024 * 1024} free\r   0 bad\r\r`],
      ]);
      assert.equal(await h.put('keys/a.txt', 'abc'), 'OK\r');
      await h.transcript([
        ['ATFS RM keys', 'ENOTEMPTY Directory not empty\r'],
        ['ATFS MV keys/a.txt certs/b.txt', 'OK\r'],
        ['ATFS RM keys', 'OK\r'],
        ['ATFS RM keys', 'ENOENT No such file or directory\r'],
        ['ATFS INFO', `   3 used\r   ${1024 * 1024 - 3} free\r   0 bad\r\r`],
        ['ATFS FORMAT', "EINVAL Send 'ATFS FORMAT confirm' to format\r"],
        ['ATFS FORMAT confirm', 'OK\r'],
        ['ATFS LS', '     <DIR> ./\r     <DIR> ../\r     <DIR> certs/\r     <DIR> lib/\r\r'],
      ]);
    });

    it('reads and writes the TLS profiles $0-$2 (names unchecked until a connection is made)', async () => {
      const h = (host = XbeeHost.start());
      await h.enter();
      await h.transcript([
        ['AT$0', ';;\r'],
        ['AT$1 ca.pem;client.pem;client.key', 'OK\r'],
        ['AT$1', 'ca.pem;client.pem;client.key\r'],
        ['AT$2../root.pem;;', 'OK\r'],
        ['AT$2', '../root.pem;;\r'],
        ['AT$0 ca.pem;client.pem', 'ERROR\r'],
        ['AT$0 a;b;c;d', 'ERROR\r'],
        ['AT$3 ;;', 'ERROR\r'],
      ]);
    });
  });

  describe('API mode sockets over real TLS', () => {
    it('reports 0x8A 0x00 (then 0x02) after a power-up in API mode, and answers 0x08 reads', async () => {
      const { h, api } = await apiModule();
      await h.enter();
      await h.expect('ATWR', 'OK\r');
      assert.ok((await h.at('ATFR')).startsWith('OK\r~'), 'OK, then the frames of the new boot');
      assert.equal((await api.take(0x8a)).status, 0x00);
      assert.equal((await api.take(0x8a)).status, 0x02);
      const ask = async (command: string, parameter = Buffer.alloc(0)): Promise<Extract<ApiFrame, { type: 0x88 }>> => {
        api.send({ type: 0x08, frameId: 9, command, parameter });
        return api.take(0x88, (f) => f.frameId === 9);
      };
      assert.deepEqual(await ask('AI'), { type: 0x88, frameId: 9, command: 'AI', status: 0, data: Buffer.of(0) });
      assert.deepEqual((await ask('VR')).data, Buffer.of(0x01, 0x14, 0x15));
      assert.deepEqual((await ask('TL')).data, Buffer.of(2));
      assert.deepEqual((await ask('AP')).data, Buffer.of(1));
      assert.deepEqual((await ask('MY')).data, Buffer.of(10, 0, 0, 2));
      assert.equal((await ask('TL', Buffer.of(1))).status, 0);
      assert.deepEqual((await ask('TL')).data, Buffer.of(1));
      assert.equal((await ask('TL', Buffer.of(7))).status, 3);
      assert.equal((await ask('FS')).status, 1);
      assert.equal((await ask('ZZ')).status, 2);
    });

    it('connects with server authentication, echoes data, sends SNI, closes with 0xC3 and no 0xCF', async () => {
      const { h, api } = await apiModule();
      const s = await server();
      await h.enter();
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const id = await api.create();
      assert.equal(id, 0);
      assert.equal(await api.connect(id, s.port, 'localhost'), 0);
      assert.equal(s.stats.servername, 'localhost');
      assert.equal(h.device.lastHandshake?.version, 'TLSv1.2');
      api.send({ type: 0x44, frameId: 3, socket: id, options: 0, payload: Buffer.from('hello') });
      assert.equal((await api.take(0x89, (f) => f.frameId === 3)).status, 0);
      assert.equal(Buffer.concat(await api.receive(id, 5)).toString(), 'hello');
      // Frame id 0: no transmit status.
      api.send({ type: 0x44, frameId: 0, socket: id, options: 0, payload: Buffer.from('again') });
      assert.equal(Buffer.concat(await api.receive(id, 5)).toString(), 'again');
      assert.ok(!api.frames.some((f) => f.type === 0x89));
      api.send({ type: 0x43, frameId: 4, socket: id });
      assert.deepEqual(await api.take(0xc3), { type: 0xc3, frameId: 4, socket: id, status: 0 });
      api.send({ type: 0x43, frameId: 5, socket: id });
      assert.equal((await api.take(0xc3)).status, 0x20);
      await delay(100);
      assert.ok(!api.frames.some((f) => f.type === 0xcf), 'no 0xCF after a close');
    });

    it('presents the client certificate of the profile chosen with 0x41 (mutual TLS); fails 0x08 without it', async () => {
      const { h, api } = await apiModule();
      const p = testPki();
      const s = await server(echo, { requestCert: true, rejectUnauthorized: true, ca: p.ca.cert, maxVersion: 'TLSv1.2' });
      await h.enter();
      assert.equal(await h.put('certs/client.pem', p.client.cert), 'OK\r');
      assert.equal(await h.put('certs/client.key', p.client.keyRsaPem!, true), 'OK\r');
      await h.expect('AT$1 ca.pem;client.pem;client.key', 'OK\r');
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const id = await api.create();
      api.send({ type: 0x41, frameId: 5, socket: id, option: 0, data: Buffer.of(1) });
      assert.equal((await api.take(0xc1)).status, 0);
      api.send({ type: 0x41, frameId: 6, socket: id, option: 0, data: Buffer.alloc(0) });
      assert.deepEqual((await api.take(0xc1)).data, Buffer.of(1));
      api.send({ type: 0x41, frameId: 7, socket: id, option: 0, data: Buffer.of(3) });
      assert.equal((await api.take(0xc1)).status, 0x01);
      api.send({ type: 0x41, frameId: 8, socket: 9, option: 0, data: Buffer.of(1) });
      assert.equal((await api.take(0xc1)).status, 0x20);
      assert.equal(await api.connect(id, s.port), 0);
      assert.match(h.device.lastHandshake?.clientCertificate ?? '', /CN=modem-client/);
      // Profile 0 has no client certificate: the server refuses.
      const other = await api.create(4, 11);
      assert.equal(await api.connect(other, s.port, 'localhost', 12), 0x08);
      assert.ok(!h.device.sockets.has(other), 'the id is free after a fatal status');
    });

    it('fails with 0xCF 0x08 for a CA that did not sign the server, a CA file that is not a self-signed root, and a missing file', async () => {
      const { h, api } = await apiModule();
      const p = testPki();
      const s = await server();
      await h.enter();
      assert.equal(await h.put('certs/other.pem', p.unrelatedCa.cert), 'OK\r');
      assert.equal(await h.put('certs/leaf.pem', p.server.cert), 'OK\r');
      await h.expect('AT$0 other.pem;;', 'OK\r');
      await h.expect('AT$1 leaf.pem;;', 'OK\r');
      await h.expect('AT$2 nothere.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      for (const profile of [0, 1, 2]) {
        const id = await api.create(4, 20 + profile);
        api.send({ type: 0x41, frameId: 30 + profile, socket: id, option: 0, data: Buffer.of(profile) });
        await api.take(0xc1);
        assert.equal(await api.connect(id, s.port, 'localhost', 40 + profile), 0x08, `profile ${profile}`);
      }
      assert.equal(h.device.lastFailure?.cause, 'bad-certificate');
      // The host name is not checked: a server certificate for another name passes.
      const wrong = keep(await startScriptedServer(p.wrongHostServer, echo));
      await h.enter();
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const id = await api.create(4, 50);
      assert.equal(await api.connect(id, wrong.port, 'localhost', 51), 0);
      // TL=0 (SSL v3) is an invalid configuration.
      await h.enter();
      await h.expect('ATTL0', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const old = await api.create(4, 52);
      assert.equal(await api.connect(old, s.port, 'localhost', 53), 0x08);
    });

    it('runs several sockets at once, pushes data in 0xCD frames of at most 1500 bytes, and reports a peer close after the data', async () => {
      const { h, api } = await apiModule();
      const big = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 13) & 0xff));
      const s = await server((socket) => {
        socket.on('data', (data: Buffer) => {
          const text = data.toString();
          if (text === 'big') socket.write(big);
          else if (text === 'bye') socket.end('last words');
          else socket.write(data);
        });
      });
      await h.enter();
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const ids = [await api.create(4, 1), await api.create(4, 2), await api.create(1, 3)];
      assert.deepEqual(ids, [0, 1, 2]);
      // Socket 2 is plain TCP: to a TLS server it would not make sense; connect only the TLS ones.
      assert.equal(await api.connect(0, s.port, 'localhost', 4), 0);
      assert.equal(await api.connect(1, s.port, '127.0.0.1', 5), 0);
      api.send({ type: 0x44, frameId: 6, socket: 0, options: 0, payload: Buffer.from('zero') });
      api.send({ type: 0x44, frameId: 7, socket: 1, options: 0, payload: Buffer.from('one') });
      assert.equal(Buffer.concat(await api.receive(1, 3)).toString(), 'one');
      assert.equal(Buffer.concat(await api.receive(0, 4)).toString(), 'zero');
      api.send({ type: 0x44, frameId: 8, socket: 0, options: 0, payload: Buffer.from('big') });
      const parts = await api.receive(0, big.length);
      assert.ok(parts.length >= 3 && parts.every((p) => p.length <= 1500), `chunks ${parts.map((p) => p.length)}`);
      assert.deepEqual(Buffer.concat(parts), big);
      api.send({ type: 0x44, frameId: 9, socket: 1, options: 0, payload: Buffer.from('bye') });
      assert.equal(Buffer.concat(await api.receive(1, 10)).toString(), 'last words');
      assert.deepEqual(await api.take(0xcf, (f) => f.socket === 1), { type: 0xcf, socket: 1, status: 0x03 });
      const order = h.device.sockets;
      assert.ok(!order.has(1) && order.has(0));
      // Transmit status codes.
      const send = async (socket: number, payload: Buffer, frameId: number): Promise<number> => {
        // Built by hand: the codec refuses to encode more than 1500 bytes.
        h.modem.receive(encodeFrame(Buffer.concat([Buffer.of(0x44, frameId, socket, 0), payload]), false));
        return (await api.take(0x89, (f) => f.frameId === frameId)).status;
      };
      assert.equal(await send(1, Buffer.from('x'), 10), 0x20, 'closed id');
      assert.equal(await send(7, Buffer.from('x'), 11), 0x20, 'unknown id');
      assert.equal(await send(0, Buffer.alloc(1501), 12), 0x74, 'too long');
      assert.equal(await send(2, Buffer.from('x'), 13), 0x87, 'not connected');
      // Connect answers.
      api.send({ type: 0x42, frameId: 14, socket: 0, port: s.port, addressType: 1, address: 'localhost' });
      assert.equal((await api.take(0xc2, (f) => f.frameId === 14)).status, 0x04);
      api.send({ type: 0x42, frameId: 15, socket: 5, port: s.port, addressType: 0, address: '127.0.0.1' });
      assert.equal((await api.take(0xc2, (f) => f.frameId === 15)).status, 0x20);
      // An address type the codec cannot parse still gets 0x01.
      h.modem.receive(encodeFrame(Buffer.of(0x42, 16, 2, 0x01, 0xbb, 0x07, 0x41), false));
      assert.deepEqual(await api.take(0xc2, (f) => f.frameId === 16), { type: 0xc2, frameId: 16, socket: 2, status: 0x01 });
    });

    it('allows 6 sockets, 4 of them TLS (0x32 beyond), and refuses UDP', async () => {
      const { api } = await apiModule();
      for (let i = 0; i < 4; i++) assert.equal(await api.create(4, i + 1), i);
      api.send({ type: 0x40, frameId: 9, protocol: 4 });
      assert.deepEqual(await api.take(0xc0), { type: 0xc0, frameId: 9, socket: 0xff, status: 0x32 });
      assert.equal(await api.create(1, 10), 4);
      assert.equal(await api.create(1, 11), 5);
      api.send({ type: 0x40, frameId: 12, protocol: 1 });
      assert.equal((await api.take(0xc0)).status, 0x32);
      api.send({ type: 0x40, frameId: 0, protocol: 0 });
      assert.deepEqual(await api.take(0xc0), { type: 0xc0, frameId: 0, socket: 0xff, status: 0x7b });
    });

    it('holds what arrives while the host is in command mode and delivers it after ATCN, in order', async () => {
      const { h, api } = await apiModule();
      let peer: tls.TLSSocket | undefined;
      const s = await server((socket) => {
        peer = socket;
      });
      await h.enter();
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const id = await api.create();
      assert.equal(await api.connect(id, s.port), 0);
      await h.enter();
      // CT 0x1770 = 600 s, scaled by 0.01: 6 s, so command mode lasts.
      await h.expect('ATCT1770', 'OK\r');
      h.wire.clear();
      peer!.write('first ');
      await delay(100);
      peer!.end('second');
      await delay(100);
      assert.deepEqual(api.frames.map((f) => f.type), [], 'nothing while in command mode');
      assert.equal(h.wire.text, '');
      await h.expect('ATVR', '11415\r');
      h.wire.clear();
      await exchange(h.modem, 'ATCN\r');
      assert.ok(h.wire.text.startsWith('OK\r~'), 'frames after the OK');
      assert.equal(Buffer.concat(await api.receive(id, 12)).toString(), 'first second');
      assert.equal((await api.take(0xcf)).status, 0x03);
    });

    it('escaped API mode (AP=2) escapes 0x7E 0x7D 0x11 0x13 both ways', async () => {
      const { h, api } = await apiModule(2);
      const s = await server();
      await h.enter();
      await h.expect('AT$0 ca.pem;;', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      const id = await api.create(4, 0x7e);
      assert.equal(await api.connect(id, s.port, 'localhost', 0x11), 0);
      const payload = Buffer.of(0x7e, 0x7d, 0x11, 0x13, 0x00, 0xff, 0x7e, 0x7e);
      h.wire.clear();
      api.send({ type: 0x44, frameId: 0x13, socket: id, options: 0, payload });
      assert.equal((await api.take(0x89, (f) => f.frameId === 0x13)).status, 0);
      assert.deepEqual(Buffer.concat(await api.receive(id, payload.length)), payload);
      const raw = h.wire.bytes;
      assert.ok(raw.includes(Buffer.of(0x7d, 0x5e, 0x7d, 0x5d, 0x7d, 0x31, 0x7d, 0x33)), 'escaped on the wire');
      assert.ok(!raw.subarray(1).includes(Buffer.of(0x7e, 0x7d)), 'no raw 0x7E inside a frame');
    });
  });

  describe('transparent mode', () => {
    it('opens TLS to DL:DE with profile 0 on the first byte, carries bytes both ways, and reports CI/OD; holds data in command mode', async () => {
      const h = (host = XbeeHost.start());
      let peer: tls.TLSSocket | undefined;
      const s = await server((socket) => {
        peer = socket;
        echo(socket);
      });
      await h.enter();
      assert.equal(await h.put('certs/ca.pem', testPki().ca.cert), 'OK\r');
      await h.transcript([
        ['ATIP4', 'OK\r'],
        ['ATDLlocalhost', 'OK\r'],
        [`ATDE${s.port.toString(16).toUpperCase()}`, 'OK\r'],
        ['AT$0 ca.pem;;', 'OK\r'],
        // TM 0x2710 = 1000 s, scaled by 0.01: 10 s.
        ['ATTM2710', 'OK\r'],
        ['ATCN', 'OK\r'],
      ]);
      h.wire.clear();
      h.modem.receive('ping +++ pong');
      await h.wire.until('ping +++ pong');
      assert.equal(s.stats.servername, 'localhost');
      await h.enter();
      await h.expect('ATCT1770', 'OK\r');
      await h.expect('ATCI', '0\r');
      await h.expect('ATOD', '127.0.0.1\r');
      peer!.write('while you were away');
      await delay(100);
      await h.expect('ATVR', '11415\r');
      h.wire.clear();
      await exchange(h.modem, 'ATCN\r');
      await h.wire.until('OK\rwhile you were away');
      // The peer closes: CI 0x27, OD back to 0.0.0.0.
      peer!.end();
      await delay(100);
      await h.enter();
      await h.expect('ATCI', '27\r');
      await h.expect('ATOD', '0.0.0.0\r');
    });

    it('ends the connection after TM without traffic, and when a change of DL is applied; a failure shows in CI', async () => {
      const s = await server();
      const h = (host = XbeeHost.start({ route: (_host, port) => (port === 443 ? { host: '127.0.0.1', port: s.port } : undefined) }));
      await h.enter();
      // TM 0x14 = 2 s, scaled by 0.01: 20 ms.
      await h.transcript([
        ['ATIP4', 'OK\r'],
        ['ATDLbroker.example', 'OK\r'],
        ['ATDE1BB', 'OK\r'],
        ['ATTM14', 'OK\r'],
        ['ATCN', 'OK\r'],
      ]);
      h.wire.clear();
      h.modem.receive('hi');
      await h.wire.until('hi');
      assert.equal(s.stats.servername, 'broker.example', 'SNI is the name asked for');
      await delay(100);
      await h.enter();
      await h.expect('ATCI', '21\r');
      // Open again, then change DL and apply it with AC.
      await h.expect('ATTM2710', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      h.wire.clear();
      h.modem.receive('again');
      await h.wire.until('again');
      await h.enter();
      await h.expect('ATCI', '0\r');
      await h.expect('ATDLlocalhost', 'OK\r');
      await h.expect('ATCI', '0\r');
      await h.expect('ATAC', 'OK\r');
      await h.expect('ATCI', '21\r');
      // localhost:443 is not routed and nothing listens there (or it is not TLS): a failure code, OD stays 0.0.0.0.
      await h.expect('ATDE1', 'OK\r');
      await h.expect('ATCN', 'OK\r');
      h.modem.receive('lost');
      await delay(300);
      await h.enter();
      assert.match(await h.at('ATCI'), /^(26|24|2F)\r$/);
      await h.expect('ATOD', '0.0.0.0\r');
    });
  });

  describe('selection', () => {
    it('is the xbee3 vendor of the simulator table and the CLI', async () => {
      const modem = SIMULATED_VENDORS.xbee3!({});
      assert.ok(xbee3Device(modem));
      modem.close();
      assert.throws(() => createXbee3Modem({ platform: 'XBee2' }), /unknown XBee3 platform "XBee2"; available: LTE-M/);
      await withCliPort(['--vendor', 'xbee3'], 'xbee3', async (port) => {
        const socket = net.connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        await delay(1100);
        socket.write('+++');
        const until = async (expected: string): Promise<void> => {
          const deadline = Date.now() + 5000;
          while (!text.endsWith(expected)) {
            if (Date.now() > deadline) throw new Error(`CLI module answered ${JSON.stringify(text)}`);
            await delay(10);
          }
        };
        await until('OK\r');
        socket.write('ATVR\r');
        await until('OK\r11415\r');
        socket.destroy();
      });
    });
  });
});
