/**
 * The +MIP side of the simulated L610 over real TLS to local servers: +MIPCALL, +MIPOPEN with
 * every refusal and every failure code, +MIPSEND (counted and hex) with +MIPPUSH, +MIPRTCP chunks
 * and their `<left>`, read mode (+GTSET="IPRFMT",5: +MIPREAD announces, AT+MIPREAD fetches raw),
 * 100 KB of every byte value both ways, a server that closes (+MIPSTAT), and +MIPCLOSE. The +MIP syntax beyond the manual's examples follows the +MIP command family (G24 /
 * G6xx manuals) and public L610 drivers (see src/simulator/dialects/fibocom/sockets.ts).
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { delay, echo, frame, Module, PROMPT, startServer, testPki, type TestServer } from './fibocom-harness.test';
import { closeAfterEach } from '../../support/simulator-harness';
import { cclk } from './fibocom-security.test';
import { Wire } from './wire';

/** Every byte value, many times over, in an order that is not a plain ramp. */
function binary(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
}

/** A TCP server that accepts and never answers (reads and drops what comes); `close()` ends its connections. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const quiet = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
  return {
    port: (quiet.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        quiet.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

interface Rtcp {
  id: number;
  left: number;
  data: Buffer;
  /** Where the URC starts in the text it was parsed from. */
  at: number;
}

function rtcps(text: string): Rtcp[] {
  return [...text.matchAll(/\r\n\+MIPRTCP: (\d),(\d+),([0-9A-F]*)\r\n/g)].map((m) => ({ id: Number(m[1]), left: Number(m[2]), data: Buffer.from(m[3]!, 'hex'), at: m.index! }));
}

describe('simulator: Fibocom +MIP sockets', () => {
  let module: Module | undefined;
  let recorder: Wire | undefined;
  afterEach(() => {
    recorder?.detach();
    recorder = undefined;
    module?.close();
    module = undefined;
  });
  const keep = closeAfterEach();

  async function server(onConnection: (socket: tls.TLSSocket) => void = echo, options: tls.TlsOptions = {}): Promise<TestServer> {
    return keep(await startServer(onConnection, options));
  }

  /** A module on TLS 1.2 (the factory TLS 1.0 cannot carry the factory suites) with its PDP context up. */
  async function ready(options: Parameters<typeof Module.start>[0] = {}): Promise<Module> {
    const m = await Module.start(options);
    await m.expect('AT+GTSSLVER=4', 'OK');
    await m.attach();
    return m;
  }

  describe('+MIPCALL', () => {
    it('activates with APN, user and password (kept, never printed), reads, refuses twice, deactivates', async () => {
      module = await Module.start();
      await module.expect('AT+MIPCALL?', '+MIPCALL: 0', 'OK');
      await module.expect('AT+MIPCALL=?', '+MIPCALL: (0-1)', 'OK');
      assert.equal(await module.at('AT+MIPCALL=1,"internet.example","user1","s3cret"'), frame('OK'));
      await module.until('+MIPCALL: 10.79.220.142');
      assert.deepEqual(module.device.pdp, { state: 'active', apn: 'internet.example', user: 'user1', password: 's3cret', ip: '10.79.220.142' });
      await module.expect('AT+MIPCALL?', '+MIPCALL: 1,10.79.220.142', 'OK');
      await module.expect('AT+MIPCALL=1,"other"', 'ERROR');
      assert.equal(await module.at('AT+MIPCALL=0'), frame('OK', '+MIPCALL: 0'));
      await module.expect('AT+MIPCALL?', '+MIPCALL: 0', 'OK');
      await module.expect('AT+MIPCALL=0', 'ERROR');
      assert.equal(module.device.pdp.password, '');
      // User without password, bad operation, too many parameters.
      for (const bad of ['1,"apn","user"', '2,"apn"', '1,"apn","u","p",1', '', '"1","apn"']) await module.expect(`AT+MIPCALL=${bad}`, 'ERROR');
      // The APN may be left out.
      assert.equal(await module.at('AT+MIPCALL=1'), frame('OK'));
      await module.until('+MIPCALL: 10.79.220.142');
      assert.equal(module.device.pdp.apn, '');
    });

    it('+GTSET="IPRFMT": 0 (hex +MIPRTCP) and 5 (read mode) are simulated, and the setting outlives a power-down', async () => {
      module = await Module.start();
      await module.expect('AT+GTSET="IPRFMT",0', 'OK');
      for (const bad of ['"IPRFMT",1', '"IPRFMT",2', '"IPRFMT",3', '"IPRFMT",6', '"IPRFMT"', '"OTHER",0', 'IPRFMT,"0"']) await module.expect(`AT+GTSET=${bad}`, 'ERROR');
      assert.equal(module.device.receiveFormat, 0);
      await module.expect('AT+GTSET="IPRFMT",5', 'OK');
      assert.equal(module.device.receiveFormat, 5);
      await module.modem.reboot();
      assert.equal(module.device.receiveFormat, 5);
    });

    it('an activation that fails answers +MIPCALL: 0 and stays inactive', async () => {
      module = await Module.start({ activationFails: true });
      assert.equal(await module.at('AT+MIPCALL=1,"CMNET"'), frame('OK'));
      assert.equal(await module.until('+MIPCALL: 0\r\n'), frame('OK', '+MIPCALL: 0'));
      await module.expect('AT+MIPCALL?', '+MIPCALL: 0', 'OK');
      module.device.activationFails = false;
      await module.attach();
      await module.expect('AT+MIPCALL?', '+MIPCALL: 1,10.79.220.142', 'OK');
    });
  });

  it('+MIPOPEN refusals: no PDP context, ids 0 and 7, an id in use, UDP, bad protocol, port or host, wrong count', async () => {
    const s = await server();
    module = await Module.start();
    await module.expect('AT+GTSSLVER=4', 'OK');
    await module.expect(`AT+MIPOPEN=1,,"127.0.0.1",${s.port},2`, 'ERROR');
    assert.equal(module.device.lastRefusal?.reason, 'no active PDP context (+MIPCALL)');
    await module.attach();
    for (const bad of [
      `0,,"127.0.0.1",${s.port},2`,
      `7,,"127.0.0.1",${s.port},2`,
      `1,,"127.0.0.1",${s.port},1`,
      `1,,"127.0.0.1",${s.port},3`,
      '1,,"127.0.0.1",0,2',
      '1,,"127.0.0.1",65536,2',
      `1,,"",${s.port},2`,
      `1,70000,"127.0.0.1",${s.port},2`,
      `1,,"127.0.0.1",${s.port}`,
      `1,,"127.0.0.1",${s.port},2,0`,
    ]) {
      await module.expect(`AT+MIPOPEN=${bad}`, 'ERROR');
    }
    assert.equal(await module.open(1, s.port), 1);
    await module.expect(`AT+MIPOPEN=1,,"127.0.0.1",${s.port},2`, 'ERROR');
    assert.equal(module.device.lastRefusal?.reason, 'socket 1 is in use');
    // Every id 1-6 works.
    for (const id of [2, 3, 4, 5, 6]) assert.equal(await module.open(id, s.port), 1);
    assert.equal(module.device.sockets.size, 6);
  });

  it('sends counted binary and buffered hex in order, reports free room, +MIPPUSH with nothing to send is status 2', async () => {
    const s = await server();
    module = await ready();
    assert.equal(await module.open(1, s.port), 1);
    // Counted: CR, LF, "OK", Ctrl-Z and every other byte are data.
    const payload = Buffer.from('a"b\r\nOK\r\n\x1a\x1b\x00\xff', 'latin1');
    const sent = await module.prompted(`AT+MIPSEND=1,${payload.length}`, payload);
    assert.match(sent, /^\r\n> \r\n\+MIPSEND: 1,0,(\d+)\r\n\r\nOK\r\n$/);
    assert.ok(Number(/,(\d+)\r\n/.exec(sent)![1]) <= 2048);
    await module.until(`+MIPRTCP: 1,0,${payload.toString('hex').toUpperCase()}\r\n`);
    // Hex: buffered until +MIPPUSH (2048 − 5 free), then sent; a counted send after it keeps the order.
    await module.expect('AT+MIPSEND=1,"48656C6C6F"', '+MIPSEND: 1,0,2043', 'OK');
    await module.expect('AT+MIPSEND=1,"2c20"', '+MIPSEND: 1,0,2041', 'OK');
    await delay(50);
    assert.equal(rtcps(module.wire.text).length, 0, 'nothing sent before +MIPPUSH');
    await module.expect('AT+MIPPUSH=1', '+MIPPUSH: 1,0', 'OK');
    await module.until('+MIPRTCP: 1,0,48656C6C6F2C20\r\n');
    await module.expect('AT+MIPPUSH=1', '+MIPPUSH: 1,2', 'OK');
    recorder = new Wire(module.modem);
    await module.expect('AT+MIPSEND=1,"7765"', '+MIPSEND: 1,0,2046', 'OK');
    await module.prompted('AT+MIPSEND=1,5', 'world');
    const deadline = Date.now() + 3000;
    while (Buffer.concat(rtcps(recorder.text).map((r) => r.data)).length < 7 && Date.now() < deadline) await delay(10);
    assert.equal(Buffer.concat(rtcps(recorder.text).map((r) => r.data)).toString(), 'weworld');
  });

  it('+MIPSEND refusals: a closed or unknown socket, length 0 or 2049, bad hex, no data for 12 s (× timeScale)', async () => {
    let received = 0;
    const s = await server((socket) => socket.on('data', (d: Buffer) => (received += d.length)));
    module = await ready();
    await module.expect('AT+MIPSEND=1,5', 'ERROR');
    await module.expect('AT+MIPSEND=1,"41"', 'ERROR');
    await module.expect('AT+MIPPUSH=1', 'ERROR');
    assert.equal(await module.open(1, s.port), 1);
    for (const bad of ['1,0', '1,2049', '0,5', '7,5', '2,5', '1,"4"', '1,"4G"', '1,""', '1', '1,5,5']) await module.expect(`AT+MIPSEND=${bad}`, 'ERROR');
    // The 12 s ODM timer is 120 ms here: three bytes of five, then silence → ERROR, nothing sent.
    assert.equal(await module.prompted('AT+MIPSEND=1,5', 'abc'), PROMPT + frame('ERROR'));
    await delay(50);
    assert.equal(received, 0);
    // Hex that does not fit what is left of the 2048-byte send buffer.
    await module.expect(`AT+MIPSEND=1,"${'41'.repeat(1500)}"`, '+MIPSEND: 1,0,548', 'OK');
    await module.expect(`AT+MIPSEND=1,"${'42'.repeat(549)}"`, 'ERROR');
    assert.match(module.device.lastRefusal?.reason ?? '', /549 bytes do not fit the 548 free/);
    await module.expect('AT+MIPPUSH=1', '+MIPPUSH: 1,0', 'OK');
    // The upper limit is inclusive.
    const full = binary(2048);
    assert.match(await module.prompted('AT+MIPSEND=1,2048', full), /^\r\n> \r\n\+MIPSEND: 1,0,\d+\r\n\r\nOK\r\n/);
  });

  it('100 KB of every byte value through a TLS echo server, both ways, in order; URCs never inside a response', async () => {
    const s = await server();
    module = await ready();
    assert.equal(await module.open(1, s.port), 1);
    recorder = new Wire(module.modem);
    const data = binary(100 * 1024);
    for (let offset = 0; offset < data.length; offset += 2048) {
      const chunk = data.subarray(offset, offset + 2048);
      const text = await module.prompted(`AT+MIPSEND=1,${chunk.length}`, chunk);
      assert.match(text, /^\r\n> \r\n\+MIPSEND: 1,0,\d+\r\n\r\nOK\r\n/, `send at ${offset}`);
    }
    const deadline = Date.now() + 10_000;
    let got: Rtcp[] = [];
    while (Date.now() < deadline) {
      got = rtcps(recorder.text);
      if (got.reduce((n, r) => n + r.data.length, 0) >= data.length) break;
      await delay(20);
    }
    await module.modem.whenIdle();
    got = rtcps(recorder.text);
    assert.ok(got.every((r) => r.id === 1 && r.data.length > 0 && r.data.length <= 1024), 'chunks of at most 1024 bytes');
    assert.ok(Buffer.concat(got.map((r) => r.data)).equals(data), 'every byte back, in order');
    assert.equal(got[got.length - 1]!.left, 0);
    // A prompt is always followed by its own answer, never by a URC.
    const text = recorder.text;
    for (let i = text.indexOf(PROMPT); i >= 0; i = text.indexOf(PROMPT, i + 1)) assert.ok(text.startsWith('\r\n+MIPSEND: 1,0,', i + PROMPT.length), `at ${i}`);
    assert.equal(module.device.sockets.get(1)?.state, 'open');
  });

  it('+MIPRTCP: <left> counts the bytes the module still holds; chunk size as configured; paced at the line rate', async () => {
    const burst = binary(5000);
    const s = await server((socket) => socket.write(burst));
    for (const [options, sizes] of [
      [{}, [1024, 1024, 1024, 1024, 904]],
      [{ rtcpChunkBytes: 2000 }, [2000, 2000, 1000]],
      [{ baudRate: 230_400 }, [1024, 1024, 1024, 1024, 904]],
    ] as const) {
      module = await ready(options);
      const started = Date.now();
      recorder = new Wire(module.modem);
      assert.equal(await module.open(1, s.port), 1);
      const text = await module.until(/\+MIPRTCP: 1,0,[0-9A-F]+\r\n/);
      const got = rtcps(recorder.text);
      assert.deepEqual(
        got.map((r) => r.data.length),
        sizes,
      );
      let left = burst.length;
      for (const r of got) {
        left -= r.data.length;
        assert.equal(r.left, left);
      }
      assert.ok(Buffer.concat(got.map((r) => r.data)).equals(burst));
      if ('baudRate' in options) {
        // ~10 100 bytes of hex URCs at 23 040 bytes/s: at least 0.4 s on the wire.
        assert.ok(Date.now() - started >= 400, `paced: ${Date.now() - started} ms`);
      }
      assert.ok(text.length > 0);
      recorder.detach();
      recorder = undefined;
      module.close();
      module = undefined;
    }
  });

  describe('read mode (+GTSET="IPRFMT",5)', () => {
    /** `AT+MIPREAD=<id>,<len>` → the bytes of its +MIPDATA (empty for OK alone); asserts the exact framing. */
    async function read(m: Module, id: number, length = 2048): Promise<Buffer> {
      const text = await m.at(`AT+MIPREAD=${id},${length}`);
      if (text === frame('OK')) return Buffer.alloc(0);
      const head = /^\r\n\+MIPDATA: (\d),(\d+)\r\n/.exec(text);
      assert.ok(head, JSON.stringify(text.slice(0, 40)));
      assert.equal(Number(head[1]), id);
      const n = Number(head[2]);
      assert.ok(n >= 1 && n <= length, `${n} bytes for a read of ${length}`);
      assert.equal(text.length, head[0].length + n + frame('OK').length);
      assert.equal(text.slice(head[0].length + n), frame('OK'));
      return Buffer.from(text.slice(head[0].length, head[0].length + n), 'latin1');
    }

    it('+MIPREAD announces data that comes into an empty buffer; AT+MIPREAD fetches it raw (OK and URC look-alikes are data); OK alone when nothing waits', async () => {
      const burst = Buffer.concat([Buffer.from('\r\nOK\r\n+MIPREAD: 1,9\r\n\r\n+MIPDATA: 1,3\r\n', 'latin1'), binary(5000)]);
      let peer: tls.TLSSocket | undefined;
      const s = await server((socket) => {
        peer = socket;
        socket.write(burst);
      });
      module = await ready();
      await module.expect('AT+GTSET="IPRFMT",5', 'OK');
      assert.equal(await module.open(1, s.port), 1);
      const announced = Number(/\+MIPREAD: 1,(\d+)\r\n/.exec(await module.until(/\+MIPREAD: 1,\d+\r\n/))![1]);
      assert.ok(announced >= 1 && announced <= burst.length);
      await delay(50);
      const got: Buffer[] = [];
      for (let data = await read(module, 1); data.length > 0; data = await read(module, 1)) got.push(data);
      assert.deepEqual(got.map((d) => d.length), [2048, 2048, burst.length - 4096]);
      assert.ok(Buffer.concat(got).equals(burst));
      // More data: announced again, once, and a read smaller than a chunk takes only its part.
      recorder = new Wire(module.modem);
      peer!.write('more data');
      await module.until('+MIPREAD: 1,9\r\n');
      assert.equal((await read(module, 1, 4)).toString(), 'more');
      assert.equal((await read(module, 1)).toString(), ' data');
      assert.equal((recorder.text.match(/\+MIPREAD:/g) ?? []).length, 1, 'announced once');
      assert.equal(rtcps(recorder.text).length, 0, 'nothing pushed');
      // Refusals: lengths 0 and 2049, a socket not open, a missing length.
      for (const bad of ['1,0', '1,2049', '2,10', '7,10', '1']) await module.expect(`AT+MIPREAD=${bad}`, 'ERROR');
      // Back to the hex format: what waits is pushed; AT+MIPREAD is refused there.
      peer!.write('hex again');
      await module.until('+MIPREAD: 1,9\r\n');
      assert.equal(await module.at('AT+GTSET="IPRFMT",0'), frame('OK', `+MIPRTCP: 1,0,${Buffer.from('hex again').toString('hex').toUpperCase()}`));
      await module.expect('AT+MIPREAD=1,10', 'ERROR');
    });

    it('a server that closes: +MIPSTAT only once the last byte has been read', async () => {
      const burst = binary(3000);
      const s = await server((socket) => socket.end(burst));
      module = await ready();
      await module.expect('AT+GTSET="IPRFMT",5', 'OK');
      assert.equal(await module.open(2, s.port), 1);
      await module.until(/\+MIPREAD: 2,\d+\r\n/);
      await delay(100);
      assert.ok(!module.wire.text.includes('+MIPSTAT'), 'not before the data is read');
      assert.ok((await read(module, 2)).equals(burst.subarray(0, 2048)));
      // The last read: its data and OK, then the close.
      assert.equal(await module.at('AT+MIPREAD=2,2048'), `\r\n+MIPDATA: 2,952\r\n${burst.subarray(2048).toString('latin1')}${frame('OK', '+MIPSTAT: 2,1')}`);
      assert.equal(module.device.sockets.size, 0);
      await module.expect('AT+MIPREAD=2,2048', 'ERROR');
    });

    it('100 KB of every byte value through a TLS echo server at 921600 baud: sent counted, read back raw, in order', async () => {
      const s = await server();
      module = await ready({ baudRate: 921_600 });
      await module.expect('AT+GTSET="IPRFMT",5', 'OK');
      assert.equal(await module.open(1, s.port), 1);
      const data = binary(100 * 1024);
      for (let offset = 0; offset < data.length; offset += 2048) {
        const chunk = data.subarray(offset, offset + 2048);
        // The echo coming back is announced between commands: before a prompt, never inside an answer.
        assert.match(await module.prompted(`AT+MIPSEND=1,${chunk.length}`, chunk), /^(?:\r\n\+MIPREAD: 1,\d+\r\n)?\r\n> \r\n\+MIPSEND: 1,0,\d+\r\n\r\nOK\r\n/);
      }
      const got: Buffer[] = [];
      let size = 0;
      for (const deadline = Date.now() + 10_000; size < data.length && Date.now() < deadline; ) {
        const part = await read(module, 1);
        got.push(part);
        size += part.length;
        if (part.length === 0) await delay(10);
      }
      assert.ok(Buffer.concat(got).equals(data), 'every byte back, in order');
    });
  });

  it('a server that closes: its data first, then +MIPSTAT: <id>,1; the id is free again', async () => {
    const burst = binary(3000);
    const s = await server((socket) => socket.end(burst));
    module = await ready();
    recorder = new Wire(module.modem);
    assert.equal(await module.open(2, s.port), 1);
    await module.until('+MIPSTAT: 2,1\r\n');
    const text = recorder.text;
    const got = rtcps(text);
    assert.ok(Buffer.concat(got.map((r) => r.data)).equals(burst));
    assert.ok(text.endsWith(frame('+MIPSTAT: 2,1')), 'after the last +MIPRTCP');
    assert.equal(module.device.sockets.size, 0);
    await module.expect('AT+MIPSEND=2,1', 'ERROR');
    await module.expect('AT+MIPCLOSE=2', 'ERROR');
    assert.equal(await module.open(2, s.port), 1);
  });

  it('+MIPCLOSE: OK then +MIPCLOSE: <id>,1; refused for a socket that is not open (or still connecting)', async () => {
    const s = await server();
    let serverSawEnd = false;
    const quiet = await silentServer();
    try {
      module = await ready({ handshakeTimeoutMs: 300 });
      await module.expect('AT+MIPCLOSE=1', 'ERROR');
      await module.expect('AT+MIPCLOSE=0', 'ERROR');
      await module.expect('AT+MIPCLOSE=7', 'ERROR');
      await module.expect('AT+MIPCLOSE', 'ERROR');
      assert.equal(await module.open(1, s.port), 1);
      for (const socket of s.sockets) socket.on('end', () => (serverSawEnd = true));
      assert.equal(await module.at('AT+MIPCLOSE=1'), frame('OK'));
      assert.equal(await module.until('+MIPCLOSE: 1,1\r\n'), frame('OK', '+MIPCLOSE: 1,1'));
      for (let i = 0; i < 100 && !serverSawEnd; i++) await delay(10);
      assert.ok(serverSawEnd, 'the server saw the connection end');
      await module.expect('AT+MIPCLOSE=1', 'ERROR');
      // Still connecting (a server that never answers the handshake): not closable.
      assert.equal(await module.at(`AT+MIPOPEN=3,,"127.0.0.1",${quiet.port},2`), frame('OK'));
      await delay(50);
      await module.expect('AT+MIPCLOSE=3', 'ERROR');
      await module.until('+MIPOPEN: 3,0');
    } finally {
      await quiet.close();
    }
  });

  describe('failures and their +GTSSLERR codes', () => {
    it('refused → -4; a host that does not resolve → -4', async () => {
      // A port nothing listens on any more.
      const s = await startServer();
      const port = s.port;
      await s.close();
      module = await ready();
      await module.openFails(1, port, -4);
      assert.equal(module.device.lastFailure?.cause, 'refused');
      // RFC 6761 §6.4: names under .invalid never resolve.
      await module.openFails(1, 443, -4, 'no-such-host.invalid');
      assert.equal(module.device.lastFailure?.cause, 'unreachable');
    });

    it('a server silent after the TCP connect → -8', async () => {
      const quiet = await silentServer();
      try {
        module = await ready({ handshakeTimeoutMs: 200 });
        await module.openFails(1, quiet.port, -8);
      } finally {
        await quiet.close();
      }
    });

    it('mode 1: an unknown CA or dates outside the module clock → -11; mode 0 accepts both; no host-name check', async () => {
      const pki = testPki();
      const unrelated = await server(echo, { cert: pki.unrelatedServer.cert, key: pki.unrelatedServer.key });
      const expired = await server(echo, { cert: pki.expiredServer.cert, key: pki.expiredServer.key });
      const wrongHost = await server(echo, { cert: pki.wrongHostServer.cert, key: pki.wrongHostServer.key });
      module = await ready();
      assert.equal(await module.open(1, unrelated.port), 1, 'mode 0 verifies nothing');
      await module.expect('AT+GTSSLERR?', 'OK');
      await module.expect('AT+GTSSLMODE=1', 'OK');
      await module.upload('TRUSTFILE', pki.ca.cert);
      await module.expect(`AT+CCLK="${cclk(new Date())}"`, 'OK');
      await module.openFails(2, unrelated.port, -11);
      assert.equal(module.device.lastFailure?.cause, 'unknown-ca');
      await module.openFails(2, expired.port, -11);
      assert.equal(module.device.lastFailure?.cause, 'expired');
      // The certificate names other.example only; the module checks no name.
      assert.equal(await module.open(2, wrongHost.port, 2, 'localhost'), 1);
      await module.expect('AT+GTSSLERR?', 'OK');
    });

    it('a server that wants a client certificate and gets none, or one it does not trust → -2', async () => {
      const pki = testPki();
      const s = await server(echo, { requestCert: true, rejectUnauthorized: true, ca: pki.ca.cert });
      module = await ready();
      await module.openFails(1, s.port, -2);
      assert.equal(module.device.lastFailure?.cause, 'client-certificate-required');
      await module.upload('CERTFILE', pki.unrelatedClient.cert);
      await module.upload('KEYFILE', pki.client.key); // both client certificates share one key
      await module.openFails(1, s.port, -2);
    });

    it('no common version → -7; SSL 3.0 → -7; the factory TLS 1.0 with the factory suites 1-6 → -7', async () => {
      const old = await server(echo, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
      const s = await server();
      module = await Module.start();
      await module.attach();
      await module.openFails(1, s.port, -7);
      assert.equal(module.device.lastFailure?.cause, 'no-shared-cipher');
      await module.expect('AT+GTSSLVER=1', 'OK');
      await module.openFails(1, s.port, -7);
      assert.equal(module.device.lastFailure?.cause, 'protocol-version');
      await module.expect('AT+GTSSLVER=4', 'OK');
      // Suite 12 exists in TLS 1.1 too, so the server gets as far as choosing its version.
      await module.expect('AT+GTSSLCIPHER=12,1', 'OK');
      await module.openFails(1, old.port, -7);
      assert.equal(module.device.lastFailure?.cause, 'protocol-version');
      // A success clears the code.
      assert.equal(await module.open(1, s.port), 1);
      await module.expect('AT+GTSSLERR', 'OK');
    });
  });

  it('TLS 1.0 and 1.1: exactly the version set, offering the enabled suites that exist there (or all 31 when none is enabled)', async () => {
    const s = await server(echo, { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    module = await Module.start();
    await module.attach();
    for (const id of [1, 2, 3, 4, 5, 6]) await module.expect(`AT+GTSSLCIPHER=${id},0`, 'OK');
    await module.expect('AT+GTSSLCIPHER?', 'OK');
    assert.equal(await module.open(1, s.port), 1);
    assert.equal(module.device.lastHandshake?.version, 'TLSv1');
    // The EC test server: ECDHE-ECDSA with AES-256-CBC-SHA (ID 12), the strongest TLS 1.0 suite of the table.
    assert.equal(module.device.lastHandshake?.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA');
    await module.expect('AT+GTSSLVER=3', 'OK');
    await module.expect('AT+GTSSLCIPHER=12,1', 'OK');
    assert.equal(await module.open(2, s.port), 1);
    assert.equal(module.device.lastHandshake?.version, 'TLSv1.1');
    assert.equal(module.device.lastHandshake?.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA');
    // Only a suite the server's key cannot use: no common suite.
    await module.expect('AT+GTSSLCIPHER=12,0', 'OK');
    await module.expect('AT+GTSSLCIPHER=13,1', 'OK');
    await module.openFails(3, s.port, -7);
  });

  it('protocol 0: a plain TCP socket, same data path; a TCP failure leaves +GTSSLERR alone', async () => {
    const plain = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => socket.write(d));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      module = await ready();
      const port = (plain.address() as net.AddressInfo).port;
      assert.equal(await module.open(4, port, 0), 1);
      assert.equal(module.device.lastHandshake?.version, 'TCP');
      await module.prompted('AT+MIPSEND=4,3', 'xyz');
      await module.until('+MIPRTCP: 4,0,78797A\r\n');
      assert.equal(await module.at('AT+MIPCLOSE=4'), frame('OK'));
      await module.until('+MIPCLOSE: 4,1');
      await new Promise<void>((resolve) => plain.close(() => resolve()));
      assert.equal(await module.open(4, port, 0), 0);
      await module.expect('AT+GTSSLERR?', 'OK');
    } finally {
      if (plain.listening) await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('losing the PDP context ends the sockets: +MIPSTAT: <id>,1 (+MIPOPEN: <id>,0 while connecting), then +MIPCALL: 0', async () => {
    const s = await server();
    const quiet = await silentServer();
    try {
      module = await ready({ handshakeTimeoutMs: 500 });
      assert.equal(await module.open(1, s.port), 1);
      assert.equal(await module.at(`AT+MIPOPEN=2,,"127.0.0.1",${quiet.port},2`), frame('OK'));
      await delay(30);
      assert.equal(await module.at('AT+MIPCALL=0'), frame('OK', '+MIPSTAT: 1,1', '+MIPOPEN: 2,0', '+MIPCALL: 0'));
      assert.equal(module.device.sockets.size, 0);
      await module.expect('AT+GTSSLERR?', '+GTSSLERR: -4', 'OK');
      await delay(50);
      assert.equal(module.wire.text, frame('+GTSSLERR: -4', 'OK'), 'nothing more for those sockets');
    } finally {
      await quiet.close();
    }
  });

  it('openResultColon: false prints the result as the manual\'s Examples 2 and 3 do', async () => {
    const s = await server();
    module = await ready({ openResultColon: false });
    assert.equal(await module.at(`AT+MIPOPEN=1,,"127.0.0.1",${s.port},2`), frame('OK'));
    assert.equal(await module.until('+MIPOPEN 1,1\r\n'), frame('OK', '+MIPOPEN 1,1'));
  });
});
