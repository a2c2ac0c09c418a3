/**
 * The XBee3 adapter against transcripts: command-mode sessions (`+++`, `OK\r`, commands with
 * answers ended by CR alone, `ATCN`), the profile syntax of seeds/000 (`AT$<n> <ca>;<cert>;<key>`,
 * `;;`, the three levels, no client-only), read-compare-write with `AC`/`WR` only after a change,
 * and the API socket frames byte for byte (XBee3 Cellular User Guide, "Socket Create - 0x40" …).
 */
import { strict as assert } from 'node:assert';
import { ModemError } from '../../../src/at';
import { xbee3Capabilities, Xbee3Adapter } from '../../../src/adapters/xbee3/adapter';
import { encodeFrame, type ApiFrame } from '../../../src/adapters/xbee3/api-frames';
import { xbee3Dialect } from '../../../src/adapters/xbee3/dialect';
import { filePath, prepareFile } from '../../../src/adapters/xbee3/files';
import { xbee3Vendor } from '../../../src/adapters/xbee3';
import { SOCKETS } from '../../../src/adapters/xbee3/tables';
import { API_RECEIVE, API_SEND } from '../../../src/adapters/xbee3/transfer';
import { transferTime } from '../../../src/adapters/transfer';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { parseSecurityData } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';
import type { Step } from '../../support/transcript';

const caps = xbee3Capabilities();
const profile = (own: Record<string, unknown>): ReturnType<typeof readProfile> => readProfile({ profile: '1', ...own }, {}, caps);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer line of the module: the text and CR. */
const cmd = (line: string, answer = 'OK'): Step => ({ host: `${line}\r`, modem: `${answer}\r` });
const enter: Step = { host: '+++', modem: 'OK\r' };
const leave: Step = cmd('ATCN');
/** A frame as the host writes it (AP 2) and as the module answers. */
const frame = (f: ApiFrame): Buffer => encodeFrame(f, true);

let pki: TestPki;

function rig(options: ConstructorParameters<typeof Xbee3Adapter>[1] = {}): EngineRig & { adapter: Xbee3Adapter; warnings: string[]; data: Array<[string, Buffer]>; closed: Array<[string, string]> } {
  const r = engineRig(xbee3Dialect, { sync: false });
  // Short guard times: the transcript is no module that times silence.
  r.engine.setGuardTime(5);
  const adapter = new Xbee3Adapter(r.engine, options);
  const warnings: string[] = [];
  const data: Array<[string, Buffer]> = [];
  const closed: Array<[string, string]> = [];
  adapter.on('warning', (w: string) => warnings.push(w));
  adapter.on('data', (s: string, d: Buffer) => data.push([s, d]));
  adapter.on('closed', (s: string, why: string) => closed.push([s, why]));
  return { ...r, adapter, warnings, data, closed };
}

/** Bring-up, then the session's end (ATCN, 50 ms after its last command). */
async function bringUp(adapter: Xbee3Adapter): Promise<void> {
  await adapter.prepare();
  await sleep(80);
}

/** Bring-up of a module already in API mode with escapes and a guard time of 10 ms. */
const prepared: Step[] = [enter, cmd('ATGT', 'A'), cmd('ATCT', '64'), cmd('ATAP', '2'), leave];


describe('Xbee3Adapter', function () {
  this.timeout(10000);

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
  });
  afterEach(() => closeEngines());

  describe('bring-up', () => {
    it('puts a module in transparent mode into API mode with escapes, saved, and uses its guard time', async () => {
      const { link, adapter, warnings, engine } = rig({ apn: 'iot.example' });
      link.expect(enter, cmd('ATGT', '64'), cmd('ATCT', '64'), cmd('ATAP', '0'), cmd('ATAP 2'), cmd('ATAN', ''), cmd('ATAN iot.example'), cmd('ATAC'), cmd('ATWR'), leave);
      await bringUp(adapter);
      done(link);
      assert.equal(engine.mode, 'online');
      assert.match(warnings.join('\n'), /API mode with escapes \(AP 2\), saved/);
    });

    it('writes nothing to a module that is set up already', async () => {
      const { link, adapter, warnings } = rig({ apn: 'iot.example' });
      link.expect(enter, cmd('ATGT', 'A'), cmd('ATCT', '64'), cmd('ATAP', '1'), cmd('ATAN', 'iot.example'), leave);
      await bringUp(adapter);
      done(link);
      assert.deepEqual(warnings, []);
    });
  });

  describe('profiles (seeds/000 l. 5–44)', () => {
    const listing = (...names: string[]): string => ['     <DIR> ./', '     <DIR> ../', ...names.map((n) => `      1234 ${n}`), '', ''].join('\r');

    it('server authentication: the CA alone, looked up first, written with AC and WR, TL left as it is', async () => {
      const { link, adapter } = rig();
      link.expect(...prepared, enter, { host: 'ATFS LS /flash/certs\r', modem: listing('ca.pem') }, cmd('AT$1', ';;'), cmd('AT$1 ca.pem;;'), cmd('ATTL', '2'), cmd('ATAC'), cmd('ATWR'), leave);
      await bringUp(adapter);
      const result = await adapter.applyProfile(profile({ verify: 'server', ca: 'ca.pem', tlsVersion: '1.2' }));
      await sleep(80);
      done(link);
      assert.equal(result.written, 1);
      assert.deepEqual(result.applied, { command: 'AT$1', value: 'ca.pem;;', TL: 2, tlsVersion: 'TLS 1.2' });
      assert.deepEqual(result.warnings, []);
    });

    it('mutual authentication names all three; a profile the module holds already is not written again', async () => {
      const { link, adapter } = rig();
      link.expect(...prepared, enter, { host: 'ATFS LS /flash/certs\r', modem: listing('CA.pem', 'client.pem', 'client.key#') }, cmd('AT$2', 'ca.pem;client.pem;client.key'), cmd('ATTL', '2'), leave);
      await bringUp(adapter);
      const result = await adapter.applyProfile(profile({ profile: '2', verify: 'mutual', ca: 'ca.pem', cert: 'client.pem', key: 'client.key', tlsVersion: '1.2' }));
      await sleep(80);
      done(link);
      assert.equal(result.written, 0);
    });

    it('no authentication is ";;", with the warning of l. 39–40; TL changes for every profile, said so', async () => {
      const { link, adapter } = rig();
      link.expect(...prepared, enter, cmd('AT$0', 'ca.pem;;'), cmd('AT$0 ;;'), cmd('ATTL', '2'), cmd('ATTL 1'), cmd('ATAC'), cmd('ATWR'), leave);
      await bringUp(adapter);
      const result = await adapter.applyProfile(profile({ profile: '0', verify: 'none', tlsVersion: '1.0' }));
      await sleep(80);
      done(link);
      assert.equal(result.written, 2);
      const text = result.warnings.join('\n');
      assert.match(text, /does not authenticate the server/);
      assert.match(text, /man in the middle/);
      assert.match(text, /TL is one setting for every profile: the module now uses TLS 1\.0 instead of TLS 1\.2/);
      assert.match(text, /transparent-mode connections use/);
    });

    it('a file the module does not have is refused before AT$n is written (the module would fail only at connect, l. 29–30)', async () => {
      const { link, adapter } = rig();
      link.expect(...prepared, enter, { host: 'ATFS LS /flash/certs\r', modem: listing('other.pem') }, leave);
      await bringUp(adapter);
      const err = await refused(adapter.applyProfile(profile({ verify: 'server', ca: 'ca.pem' })), 'ca');
      assert.match(err.message, /no file "ca\.pem" \(\/flash\/certs\/ca\.pem\)/);
      await sleep(80);
      done(link);
    });

    it('client authentication alone is impossible (l. 44): refused without a byte sent', async () => {
      const { link, adapter } = rig();
      const err = await refused(adapter.applyProfile(profile({ verify: 'none', cert: 'client.pem', key: 'client.key' })), 'cert');
      assert.match(err.message, /a client certificate needs a CA to check the server with \(the XBee3 TLS guide\)/);
      // readProfile refuses it too; the adapter does not rely on that.
      const mutual = await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), verify: 'mutual', cert: 'client.pem', key: 'client.key' }), 'ca');
      assert.match(mutual.message, /cannot authenticate only the client/);
      await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), verify: 'server' }), 'ca');
      await refused(adapter.applyProfile({ ...profile({ verify: 'none' }), profile: '3' }), 'profile');
      assert.equal(link.hostWrites.length, 0);
    });

    it('file names: certs/ by default, ../ and /flash/ as the seed allows (l. 26–28); anything else refused', () => {
      assert.deepEqual(filePath('ca', 'ca.pem'), { ref: 'ca.pem', path: '/flash/certs/ca.pem', dir: '/flash/certs', file: 'ca.pem' });
      assert.equal(filePath('ca', '../server.pem').path, '/flash/server.pem');
      assert.equal(filePath('ca', '/flash/server.pem').path, '/flash/server.pem');
      for (const bad of ['', 'a b.pem', 'ca;x', '/etc/passwd', '../../x', 'ä.pem', 'x'.repeat(65), 'a\r.pem']) {
        assert.throws(() => filePath('name', bad), (e: ModemError) => e.kind === 'PARAMETER' && e.field === 'name', bad);
      }
    });
  });

  describe('local checks before an upload', () => {
    it('a CA must be one self-signed root: an intermediate and a chain are refused, saying why', () => {
      const root = parseSecurityData(pki.ca.cert, 'ca');
      assert.equal(prepareFile('ca', root, 'auto', new Date()).pem.toString('latin1').startsWith('-----BEGIN CERTIFICATE-----'), true);
      const leaf = parseSecurityData(pki.server.cert, 'ca');
      assert.throws(() => prepareFile('ca', leaf, 'auto', new Date()), /not by itself: the XBee3 verifies servers only against a self-signed root CA/);
      const chain = parseSecurityData(pki.server.cert + pki.ca.cert, 'ca');
      assert.throws(() => prepareFile('ca', chain, 'auto', new Date()), /holds 2 certificates; the XBee3 takes one self-signed root CA per file/);
    });

    it('a key becomes unencrypted PKCS#1 PEM; DER output is refused', () => {
      const key = parseSecurityData(pki.client.key, 'key');
      const prepared = prepareFile('key', key, 'auto', new Date());
      assert.match(prepared.pem.toString('latin1'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.throws(() => prepareFile('key', key, 'der', new Date()), (e: ModemError) => e.field === 'format');
      assert.throws(() => prepareFile('cert', key, 'auto', new Date()), /holds a private key, but certType is "cert"/);
    });

    it('an EC key is refused: the XBee3 takes RSA keys', () => {
      const ec = createTestPki({ keyType: 'ec' });
      assert.throws(() => prepareFile('key', parseSecurityData(ec.client.key, 'key'), 'auto', new Date()), /EC private key; the XBee3 takes RSA keys/);
    });
  });

  describe('API-mode sockets (frames 0x40–0x44, 0xC0–0xCF)', () => {
    const opened = (socket: number, profileId: number): Step[] => [
      { host: frame({ type: 0x40, frameId: 1, protocol: 4 }), modem: frame({ type: 0xc0, frameId: 1, socket, status: 0 }) },
      { host: frame({ type: 0x41, frameId: 2, socket, option: 0, data: Buffer.from([profileId]) }), modem: frame({ type: 0xc1, frameId: 2, socket, option: 0, status: 0, data: Buffer.alloc(0) }) },
      {
        host: frame({ type: 0x42, frameId: 3, socket, port: 8443, addressType: 1, address: 'iot.example.com' }),
        modem: Buffer.concat([frame({ type: 0xc2, frameId: 3, socket, status: 0 }), frame({ type: 0xcf, socket, status: 0 })]),
      },
    ];

    it('opens with the TLS protocol and the profile, pushes received data, sends in 1500-byte frames, closes', async () => {
      const { link, adapter, data, closed } = rig();
      const payload = Buffer.alloc(3100, 0x7e);
      link.expect(
        ...prepared,
        ...opened(0, 2),
        // Three frames under way at once: all written before the first Transmit Status.
        { host: frame({ type: 0x44, frameId: 4, socket: 0, options: 0, payload: payload.subarray(0, 1500) }) },
        { host: frame({ type: 0x44, frameId: 5, socket: 0, options: 0, payload: payload.subarray(1500, 3000) }) },
        {
          host: frame({ type: 0x44, frameId: 6, socket: 0, options: 0, payload: payload.subarray(3000) }),
          modem: Buffer.concat([frame({ type: 0x89, frameId: 4, status: 0 }), frame({ type: 0x89, frameId: 5, status: 0 }), frame({ type: 0x89, frameId: 6, status: 0 })]),
        },
        { host: frame({ type: 0x43, frameId: 7, socket: 0 }), modem: frame({ type: 0xc3, frameId: 7, socket: 0, status: 0 }) },
      );
      await bringUp(adapter);
      const info = await adapter.openSocket({ profile: '2', host: 'iot.example.com', port: 8443, mode: 'command' });
      assert.deepEqual(info, { socket: '0', host: 'iot.example.com', port: 8443, mode: 'command' });
      link.feed(frame({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.from([0x7e, 0x7d, 0x11, 0x13, 0x00]) }));
      await sleep(10);
      assert.deepEqual(data, [['0', Buffer.from([0x7e, 0x7d, 0x11, 0x13, 0x00])]]);
      assert.equal(await adapter.send('0', payload), 3100);
      await adapter.closeSocket('0');
      done(link);
      assert.deepEqual(closed, [['0', 'closed by the flow']]);
    });

    it('holdReceive answers false: Socket Receive frames are pushed whatever the host does, so the data keeps coming and the caller bounds it', async () => {
      const { link, adapter, data } = rig();
      link.expect(...prepared, ...opened(0, 2));
      await bringUp(adapter);
      await adapter.openSocket({ profile: '2', host: 'iot.example.com', port: 8443, mode: 'command' });
      assert.equal(adapter.holdReceive('0', true), false);
      link.feed(frame({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: Buffer.from('pushed') }));
      while (data.length === 0) await sleep(5);
      assert.deepEqual(data, [['0', Buffer.from('pushed')]]);
      assert.equal(adapter.holdReceive('0', false), false);
      done(link);
    });

    it('streams Socket Send frames: three under way, the next written only when the oldest is confirmed', async () => {
      const { link, adapter } = rig();
      const payload = Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 7) % 256));
      const send = (frameId: number, from: number) => frame({ type: 0x44, frameId, socket: 0, options: 0, payload: payload.subarray(from, from + 1500) });
      const status = (frameId: number) => frame({ type: 0x89, frameId, status: 0 });
      link.expect(...prepared, ...opened(0, 2), { host: send(4, 0) }, { host: send(5, 1500) }, { host: send(6, 3000) });
      await bringUp(adapter);
      await adapter.openSocket({ profile: '2', host: 'iot.example.com', port: 8443, mode: 'command' });
      const sending = adapter.send('0', payload);
      const deadline = Date.now() + 3000;
      while (link.remaining > 0 && Date.now() < deadline) await sleep(5);
      assert.equal(link.remaining, 0, 'three frames written');
      // A fourth frame written before the first status would find no step: the transcript records it as a failure.
      await sleep(20);
      assert.deepEqual(link.failures, []);
      link.expect({ host: send(7, 4500), modem: Buffer.concat([status(5), status(6), status(7)]) });
      link.feed(status(4));
      assert.equal(await sending, 6000);
      done(link);
    });

    it('a failed Transmit Status stops the frames after it; the ones under way are waited for, and the error counts what was sent', async () => {
      const { link, adapter, closed } = rig();
      const payload = Buffer.alloc(7500, 0x41);
      const send = (frameId: number, from: number) => frame({ type: 0x44, frameId, socket: 0, options: 0, payload: payload.subarray(from, from + 1500) });
      const status = (frameId: number, value = 0) => frame({ type: 0x89, frameId, status: value });
      link.expect(
        ...prepared,
        ...opened(0, 2),
        { host: send(4, 0) },
        { host: send(5, 1500) },
        { host: send(6, 3000), modem: status(4) },
        // Frame 5 failed (resource error): no frame for the last 1500 bytes follows frame 7.
        { host: send(7, 4500), modem: Buffer.concat([status(5, 0x32), status(6), status(7)]) },
      );
      await bringUp(adapter);
      await adapter.openSocket({ profile: '2', host: 'iot.example.com', port: 8443, mode: 'command' });
      const err = await adapter.send('0', payload).then(() => null, (e: unknown) => e);
      await sleep(30);
      done(link);
      assert.ok(err instanceof ModemError);
      assert.equal(err.code, '0x89:0x32');
      assert.equal(err.message, 'Socket Send (0x44): resource error, retry later (Transmit Status 0x32) — socket 0; 1500 of 7500 bytes were sent; 3000 bytes of the frames written after it were sent as well');
      assert.deepEqual(closed, [], 'a resource error leaves the connection open');
    });

    it('a failed handshake (Socket Status 0x08) explains the likely causes; the module freed the socket', async () => {
      const { link, adapter } = rig();
      link.expect(
        ...prepared,
        { host: frame({ type: 0x40, frameId: 1, protocol: 4 }), modem: frame({ type: 0xc0, frameId: 1, socket: 1, status: 0 }) },
        { host: frame({ type: 0x41, frameId: 2, socket: 1, option: 0, data: Buffer.from([1]) }), modem: frame({ type: 0xc1, frameId: 2, socket: 1, option: 0, status: 0, data: Buffer.alloc(0) }) },
        { host: frame({ type: 0x42, frameId: 3, socket: 1, port: 443, addressType: 0, address: '192.0.2.10' }), modem: Buffer.concat([frame({ type: 0xc2, frameId: 3, socket: 1, status: 0 }), frame({ type: 0xcf, socket: 1, status: 0x08 })]) },
      );
      await bringUp(adapter);
      const err = await adapter.openSocket({ profile: '1', host: '192.0.2.10', port: 443, mode: 'command' }).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof ModemError);
      assert.equal(err.code, '0xCF:0x08');
      assert.match(err.message, /TLS handshake failed — the server's certificate does not chain to the CA of profile 1/);
      await sleep(30);
      done(link);
    });

    it('a Socket Create refused for lack of resources says so, with its status', async () => {
      const { link, adapter } = rig();
      link.expect(...prepared, { host: frame({ type: 0x40, frameId: 1, protocol: 4 }), modem: frame({ type: 0xc0, frameId: 1, socket: 0xff, status: 0x32 }) });
      await bringUp(adapter);
      const err = await adapter.openSocket({ profile: '0', host: 'h', port: 1, mode: 'command' }).then(() => null, (e: unknown) => e);
      assert.ok(err instanceof ModemError);
      assert.equal(err.code, '0xC0:0x32');
      done(link);
    });

    it('a server that closes ends the connection for the flows (Socket Status 0x03)', async () => {
      const { link, adapter, closed } = rig();
      link.expect(...prepared, ...opened(3, 0));
      await bringUp(adapter);
      await adapter.openSocket({ profile: '0', host: 'iot.example.com', port: 8443, mode: 'command' });
      link.feed(frame({ type: 0xcf, socket: 3, status: 0x03 }));
      await sleep(10);
      assert.deepEqual(closed, [['3', 'closed by the server']]);
      const err = await refused(adapter.send('3', Buffer.from('x')), 'msg.socket');
      assert.match(err.message, /no longer open \(closed by the server\)/);
    });

    it('a Modem Status reset is a restart: connections end, the adapter says so', async () => {
      const { link, adapter, closed } = rig();
      const restarted: string[] = [];
      adapter.on('restarted', (why: string) => restarted.push(why));
      link.expect(...prepared, ...opened(0, 0));
      await bringUp(adapter);
      await adapter.openSocket({ profile: '0', host: 'iot.example.com', port: 8443, mode: 'command' });
      link.feed(frame({ type: 0x8a, status: 0x00 }));
      await sleep(10);
      assert.equal(restarted.length, 1);
      assert.match(restarted[0], /restarted/);
      assert.equal(closed.length, 1);
    });

    it('the link dropping while an open waits for its Socket Status ends the wait with LINK_DOWN; the socket is closed at the next bring-up', async () => {
      const { link, adapter, closed } = rig();
      link.expect(
        ...prepared,
        { host: frame({ type: 0x40, frameId: 1, protocol: 4 }), modem: frame({ type: 0xc0, frameId: 1, socket: 2, status: 0 }) },
        { host: frame({ type: 0x41, frameId: 2, socket: 2, option: 0, data: Buffer.from([0]) }), modem: frame({ type: 0xc1, frameId: 2, socket: 2, option: 0, status: 0, data: Buffer.alloc(0) }) },
        { host: frame({ type: 0x42, frameId: 3, socket: 2, port: 443, addressType: 1, address: 'iot.example.com' }), modem: frame({ type: 0xc2, frameId: 3, socket: 2, status: 0 }) },
      );
      await bringUp(adapter);
      const opening = adapter.openSocket({ profile: '0', host: 'iot.example.com', port: 443, mode: 'command' }).then(() => null, (e: unknown) => e);
      await sleep(30);
      link.drop('unplugged');
      adapter.forgetConnections('unplugged');
      const err = await opening;
      assert.ok(err instanceof ModemError);
      assert.equal(err.kind, 'LINK_DOWN');
      assert.deepEqual(closed, []);
      // Back: the module may still hold socket 2 for that open, so the bring-up frees it.
      link.expect(...prepared, { host: frame({ type: 0x43, frameId: 5, socket: 2 }), modem: frame({ type: 0xc3, frameId: 5, socket: 2, status: 0 }) });
      link.reopen();
      await bringUp(adapter);
      done(link);
    });

    it('transparent mode (mode "online") takes profile 0 only', async () => {
      const { adapter, link } = rig();
      await refused(adapter.openSocket({ profile: '1', host: 'h', port: 1, mode: 'online' }), 'profile');
      assert.equal(link.hostWrites.length, 0);
    });
  });
  describe('the transfer description (transfer.ts)', () => {
    /** A payload without the four values AP 2 escapes, and a frame ID and checksum that are none of them either. */
    const plain = Buffer.alloc(SOCKETS.maxChunk, 0x41);
    const escapes = (n: number): number => (n * 4) / 256;

    it('a Socket Send chunk is its frame on the wire, a Transmit Status its 7 bytes; each plus the escapes expected of evenly spread bytes', () => {
      const send = encodeFrame({ type: 0x44, frameId: 0x20, socket: 0, options: 0, payload: plain }, true);
      const status = encodeFrame({ type: 0x89, frameId: 0x20, status: 0 }, true);
      assert.equal(send.length, 1508);
      assert.equal(status.length, 7);
      assert.equal(API_SEND.chunk, 1500);
      assert.equal(API_SEND.perChunk.hostBytes(1500), send.length + escapes(1502));
      assert.equal(API_SEND.perChunk.moduleBytes(1500), status.length + escapes(2));
      assert.equal(API_SEND.perChunk.flow, 'stream', 'frames stream while statuses come back');
      const receive = encodeFrame({ type: 0xcd, frameId: 0, socket: 0, status: 0, payload: plain }, true);
      assert.equal(API_RECEIVE.perChunk.moduleBytes(1500), receive.length + escapes(1501));
      assert.equal(API_RECEIVE.perChunk.hostBytes(1500), 0, 'the module pushes: the host sends nothing');
    });

    it('on evenly spread bytes the expected escapes are what AP 2 adds', () => {
      let seed = 0x2545f491;
      const next = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
      let wire = 0;
      const frames = 400;
      for (let i = 0; i < frames; i++) {
        const payload = Buffer.from(Array.from({ length: 1500 }, next));
        wire += encodeFrame({ type: 0x44, frameId: 1 + (i % 255), socket: 0, options: 0, payload }, true).length;
      }
      const expected = frames * API_SEND.perChunk.hostBytes(1500);
      assert.ok(Math.abs(wire - expected) / expected < 0.002, `${wire} bytes on the wire, ${expected} expected`);
    });

    it('is the vendor record’s: API mode both ways whatever the size and the rate; its ceiling is the line less framing and escapes', () => {
      for (const baud of [115200, 921600]) {
        assert.equal(xbee3Vendor.transfer?.send(262144, baud), API_SEND);
        assert.equal(xbee3Vendor.transfer?.receive(262144, baud), API_RECEIVE);
        const t = transferTime(API_SEND, 262144, baud);
        assert.equal(t.chunks, Math.ceil(262144 / 1500));
        assert.ok(Math.abs(t.ofLineRate - 1500 / (1508 + escapes(1502))) < 0.001, `${t.ofLineRate}`);
      }
    });
  });
});
