/**
 * Secure sockets on the simulated Telit module (§7), over real TLS to local servers: the §7.4
 * transcripts byte for byte (example addresses replaced by 127.0.0.1 and a free port), binary
 * payloads both ways, `SSLSRING:`, `NO CARRIER`, and the failures a host meets.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import { TlsFailure, type OpenTlsOptions, type TlsFailureCause } from '../../../src/simulator/tls-types';
import { CTRL_Z, ESC, delay, echo, frame, GUARD_MS, Module, startServer, type TestServer } from './telit-harness.test';
import { DATA_LIMITS } from '../../../src/simulator/dialects/telit/tables';

/** Every byte value, many times over, in an order that is not a plain ramp. */
function binary(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
}

describe('simulator: Telit secure sockets (§7)', () => {
  let module: Module;
  let server: TestServer | undefined;

  afterEach(async () => {
    module?.close();
    await server?.close();
    server = undefined;
  });

  /** Escapes with `+++` between guard times; asserts the OK. */
  async function escape(): Promise<void> {
    await delay(GUARD_MS * 2);
    module.wire.clear();
    module.modem.receive('+++');
    await module.wire.until('OK');
    assert.equal(module.wire.text, frame('OK'));
  }

  /** In ONLINE mode: sends `text`, waits for the echo, asserts nothing else came. */
  async function roundTrip(text: string): Promise<void> {
    module.wire.clear();
    module.modem.receive(text);
    await module.wire.until(text);
    assert.equal(module.wire.text, text);
  }

  describe('§7.4 transcripts', () => {
    it('§7.4.1 ONLINE mode: CONNECT, +++, #SSLS, #SSLO, #SSLH', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '20' });
      await module.ready();
      await module.expect('AT#SSLSECCFG=1,5,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      await roundTrip('[Bidirectional data exchange]');
      await escape();
      // <cipher_suite>: 5, TLS_RSA_WITH_AES_256_CBC_SHA (§6.2.2), the one configured.
      await module.expect('AT#SSLS=1', '#SSLS: 1,2,5', 'OK');
      await module.expect('AT#SSLO=1', 'CONNECT');
      await roundTrip('more data');
      await escape();
      await module.expect('AT#SSLH=1', 'OK');
      await module.expect('AT#SSLS=1', '#SSLS: 1,1', 'OK');
      await delay(50);
      assert.equal(module.wire.text, frame('#SSLS: 1,1', 'OK'), 'no NO CARRIER after a closure by the host');
    });

    it('§7.4.2 COMMAND mode: #SSLSEND, #SSLRECV with TIMEOUT, partial reads', async () => {
      let peer!: tls.TLSSocket;
      let requested!: () => void;
      const request = new Promise<void>((resolve) => (requested = resolve));
      server = await startServer((socket) => {
        peer = socket;
        socket.on('data', (data: Buffer) => data.toString() === 'Send this string to the SSL server!' && requested());
      });
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT#SSLSECCFG=1,3,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.expect('AT#SSLS=1', '#SSLS: 1,2,3', 'OK');
      assert.equal(await module.prompted('AT#SSLSEND=1', `Send this string to the SSL server!${CTRL_Z}`), '\r\n> ' + frame('OK'));
      await request;
      // The guide spells it #SSLRCV here; the command is #SSLRECV, and a module refuses the other.
      await module.expect('AT#SSLRCV=1,15', 'ERROR');
      await module.expect('AT#SSLRECV=1,15', '#SSLRECV: 0', 'TIMEOUT', 'OK');
      // "Response of the Server": the guide's counts (15 then 6) leave out the space, so does this server.
      peer.write('Response of theServer');
      assert.equal(await module.at('AT#SSLRECV=1,15'), '\r\n#SSLRECV: 15\r\nResponse of the' + frame('OK'));
      assert.equal(await module.at('AT#SSLRECV=1,15'), '\r\n#SSLRECV: 6\r\nServer' + frame('OK'));
      await module.expect('AT#SSLH=1', 'OK');
    });

    it('§7.4.3 sending and receiving in COMMAND mode after ONLINE mode', async () => {
      server = await startServer((socket) =>
        socket.on('data', (data: Buffer) => socket.write(data.toString() === 'Send data in command mode' ? 'Response in command mode' : data)),
      );
      module = await Module.start({ platform: '37' });
      await module.ready();
      await module.expect('AT#SSLSECCFG=1,0x009C,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      await roundTrip('[Bidirectional data exchange]');
      await escape();
      // §12.1.7: TLS_RSA_WITH_AES_128_GCM_SHA256 has only its hex code on platform 37.
      await module.expect('AT#SSLS=1', '#SSLS: 1,2,0x009C', 'OK');
      assert.equal(await module.prompted('AT#SSLSEND=1', `Send data in command mode${CTRL_Z}`), '\r\n> ' + frame('OK'));
      assert.equal(await module.at('AT#SSLRECV=1,100'), '\r\n#SSLRECV: 24\r\nResponse in command mode' + frame('OK'));
      await module.expect('AT#SSLH=1', 'OK');
    });

    it('§7.4.4.1 SSLSRING mode 1: announced, read in part, re-announced, then NO CARRIER', async () => {
      const answer = binary(400);
      server = await startServer((socket) => socket.once('data', () => socket.end(answer)));
      module = await Module.start({ platform: '12' });
      await module.ready();
      await module.expect('AT#SSLSECCFG2=1,3', 'OK');
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,1', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.prompted('AT#SSLSEND=1', `Make a request to the server${CTRL_Z}`);
      assert.equal(await module.until('SSLSRING: 1,400\r\n'), '\r\n> ' + frame('OK', 'SSLSRING: 1,400'));
      const first = await module.at('AT#SSLRECV=1,300');
      assert.equal(first, `\r\n#SSLRECV: 300\r\n${answer.subarray(0, 300).toString('latin1')}` + frame('OK', 'SSLSRING: 1,100'));
      const second = await module.at('AT#SSLRECV=1,100');
      assert.equal(second, `\r\n#SSLRECV: 100\r\n${answer.subarray(300).toString('latin1')}` + frame('OK', 'NO CARRIER'));
    });

    it('§7.4.4.2 SSLSRING mode 2: the data in the URC, 256 bytes at most on 2G, then NO CARRIER', async () => {
      const answer = binary(400);
      server = await startServer((socket) => socket.once('data', () => socket.end(answer)));
      module = await Module.start({ platform: '10' });
      await module.ready();
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,2', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.prompted('AT#SSLSEND=1', `Make the same request of the example 1${CTRL_Z}`);
      const text = await module.until('NO CARRIER\r\n');
      assert.equal(
        text,
        '\r\n> ' +
          frame('OK') +
          `\r\nSSLSRING: 1,256,${answer.subarray(0, 256).toString('latin1')}\r\n` +
          `\r\nSSLSRING: 1,144,${answer.subarray(256).toString('latin1')}\r\n` +
          frame('NO CARRIER'),
      );
      // Mode 2 data is not kept for #SSLRECV.
      await module.expect('AT+CMEE=1', 'OK');
      await module.expect('AT#SSLRECV=1,100', '+CME ERROR: 833');
    });

    it('§7.4.5 open/restore: <ClosureType> 1, #SSLH, #SSLFASTD resumes the TLS session (2G)', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '16' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",1,0`, 'CONNECT');
      await roundTrip('[Bidirectional data exchange]');
      await escape();
      await module.expect('AT#SSLH=1', 'OK');
      // The guide leaves CONNECT out of this step; the module gives it as for #SSLD in ONLINE mode.
      await module.expect('AT#SSLFASTD=1,0', 'CONNECT');
      await roundTrip('[Bidirectional data exchange]');
      await escape();
      await module.expect('AT#SSLH=1,0', 'OK');
      assert.deepEqual([server.stats.connections, server.stats.resumed], [2, 1]);
      await module.expect('AT+CMEE=2', 'OK');
      await module.expect('AT#SSLFASTD=1,0', '+CME ERROR: SSL invalid state');
    });
  });

  describe('per platform', () => {
    it('<ClosureType> 1 and #SSLFASTD exist only on 2G (§7 Table 3, §7.3)', async () => {
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT+CMEE=1', 'OK');
      await module.expect('AT#SSLD=1,443,"127.0.0.1",1,1', '+CME ERROR: 4');
      await module.expect('AT#SSLFASTD=1,0', 'ERROR');
      await module.expect('AT#SSLD=?', '#SSLD: (1-6),(1-65535),,(0),(0,1),(1-1000)', 'OK');
    });

    it('SSLSRING mode 2 pushes at most 1300 bytes per URC on 3G/4G (§7.1.2.2)', async () => {
      const push = binary(2000);
      server = await startServer((socket) => setTimeout(() => socket.write(push), 20));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,2', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      module.wire.clear();
      const text = await module.until(/SSLSRING: 1,700,[\s\S]{700}\r\n$/);
      assert.equal(
        text,
        `\r\nSSLSRING: 1,1300,${push.subarray(0, 1300).toString('latin1')}\r\n` + `\r\nSSLSRING: 1,700,${push.subarray(1300).toString('latin1')}\r\n`,
      );
    });
  });

  describe('binary data', () => {
    const payload = binary(100 * 1024);

    it('carries 100 KB with every byte value through #SSLSENDEXT and #SSLRECV', async function () {
      this.timeout(30000);
      server = await startServer(echo);
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      for (let i = 0; i < payload.length; i += 1500) {
        const part = payload.subarray(i, i + 1500);
        assert.equal(await module.prompted(`AT#SSLSENDEXT=1,${part.length}`, part), '\r\n> ' + frame('OK'));
      }
      const received: Buffer[] = [];
      let total = 0;
      while (total < payload.length) {
        module.wire.clear();
        await module.at('AT#SSLRECV=1,1000');
        const bytes = module.wire.bytes;
        const head = /^\r\n#SSLRECV: (\d+)\r\n/.exec(bytes.toString('latin1'));
        assert.ok(head, bytes.toString('latin1').slice(0, 40));
        const n = Number(head[1]);
        const start = head[0].length;
        assert.equal(bytes.subarray(start + n).toString('latin1'), n === 0 ? frame('TIMEOUT', 'OK') : frame('OK'));
        received.push(bytes.subarray(start, start + n));
        total += n;
      }
      assert.ok(Buffer.concat(received).equals(payload));
    });

    it('a secure socket holds at most its receive buffer unread (SSLSRING mode 1): then the module stops reading the connection, and the rest comes as the host reads', async function () {
      this.timeout(30000);
      const data = binary(200 * 1024);
      server = await startServer((socket) => socket.write(data));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,1,0,0,0', 'OK');
      module.wire.clear();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      const announced = (): number => Math.max(0, ...[...module.wire.text.matchAll(/SSLSRING: 1,(\d+)\r\n/g)].map((m) => Number(m[1])));
      while (announced() < DATA_LIMITS.receiveBuffer) await delay(10);
      // Full: what the server wrote beyond one network read waits in TCP, not in the module.
      await delay(100);
      assert.ok(announced() < DATA_LIMITS.receiveBuffer + 32 * 1024, `${announced()} bytes announced`);
      const received: Buffer[] = [];
      let total = 0;
      while (total < data.length) {
        module.wire.clear();
        await module.at('AT#SSLRECV=1,1000');
        const bytes = module.wire.bytes;
        const head = /^\r\n#SSLRECV: (\d+)\r\n/.exec(bytes.toString('latin1'));
        assert.ok(head, bytes.toString('latin1').slice(0, 40));
        const n = Number(head[1]);
        received.push(bytes.subarray(head[0].length, head[0].length + n));
        total += n;
      }
      assert.ok(Buffer.concat(received).equals(data), 'every byte, in order, once the host reads');
    });

    it('carries 100 KB with every byte value both ways in ONLINE mode', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '30' });
      await module.ready();
      // No inactivity timeout, 1500-byte packets, the rest sent after 100 ms (scaled).
      await module.expect('AT#SSLCFG=1,1,1500,0,100,1', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      module.wire.clear();
      module.modem.receive(payload);
      const deadline = Date.now() + 10000;
      while (module.wire.bytes.length < payload.length && Date.now() < deadline) await delay(10);
      assert.ok(module.wire.bytes.equals(payload));
    });

    it('sends at most 1023 bytes per #SSLSEND: the surplus is discarded', async () => {
      const got: Buffer[] = [];
      server = await startServer((socket) => socket.on('data', (data: Buffer) => got.push(data)));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      const text = 'x'.repeat(1100);
      assert.equal(await module.prompted('AT#SSLSEND=1', text + CTRL_Z), '\r\n> ' + frame('OK'));
      assert.equal(await module.prompted('AT#SSLSEND=1', `aborted${ESC}`), '\r\n> ' + frame('OK'));
      await delay(50);
      assert.equal(Buffer.concat(got).toString(), 'x'.repeat(1023));
    });
  });

  describe('the end of a connection', () => {
    for (const [mode, line] of [
      [0, 'NO CARRIER'],
      [1, 'NO CARRIER: 1'],
      [2, 'NO CARRIER: 1,1'],
    ] as const) {
      it(`reports a closure by the server in COMMAND mode with <noCarrierMode> ${mode}: ${line}`, async () => {
        server = await startServer((socket) => setTimeout(() => socket.end(), 20));
        module = await Module.start({ platform: '30' });
        await module.ready();
        await module.expect(`AT#SSLCFG=1,1,300,90,100,50,0,${mode}`, 'OK');
        await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
        module.wire.clear();
        assert.equal(await module.until(line), frame(line));
        await module.expect('AT#SSLS=1', '#SSLS: 1,1', 'OK');
        await module.expect('AT#SSLH=1', 'ERROR');
      });
    }

    it('ends ONLINE mode with NO CARRIER when the server closes (§8.1); ATO then finds no carrier', async () => {
      server = await startServer((socket) => socket.once('data', () => socket.end('bye')));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      module.wire.clear();
      module.modem.receive('hello');
      assert.equal(await module.until('NO CARRIER\r\n'), 'bye' + frame('NO CARRIER'));
      await module.expect('ATO', 'NO CARRIER');
      await module.expect('AT#SSLS=1', '#SSLS: 1,1', 'OK');
    });

    it('closes an idle ONLINE connection after <maxTo> (§7.1.1): NO CARRIER: 1,3', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '30' });
      await module.ready();
      // maxTo 2 s, scaled to 100 ms.
      await module.expect('AT#SSLCFG=1,1,300,2,100,50,0,2', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      module.wire.clear();
      assert.equal(await module.until('NO CARRIER: 1,3\r\n'), frame('NO CARRIER: 1,3'));
    });

    it('loses the connection with its PDP context: NO CARRIER: 1,4', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,0,2', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.expect('AT#SGACT=1,0', 'OK', 'NO CARRIER: 1,4');
    });

    it('answers DISCONNECTED to a #SSLRECV waiting when the server closes, then NO CARRIER', async () => {
      server = await startServer((socket) => setTimeout(() => socket.end(), 100));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.expect('AT#SSLRECV=1,100,200', '#SSLRECV: 0', 'DISCONNECTED', 'OK', 'NO CARRIER');
    });

    it('keeps data sent before a suspended connection closed until it is read', async () => {
      server = await startServer((socket) => socket.once('data', () => setTimeout(() => socket.end('late data'), 20)));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect('AT#SSLSECCFG=1,3,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,0`, 'CONNECT');
      await escape();
      assert.equal(await module.prompted('AT#SSLSEND=1', `go${CTRL_Z}`), '\r\n> ' + frame('OK'));
      await delay(100);
      // Closed by the server, with data unread: still connected as far as #SSLS goes (§7.2).
      await module.expect('AT#SSLS=1', '#SSLS: 1,2,3', 'OK');
      assert.equal(await module.at('AT#SSLRECV=1,100'), '\r\n#SSLRECV: 9\r\nlate data' + frame('OK', 'NO CARRIER'));
    });

    it('drops connections and #SSLEN at power-off', async () => {
      let closed = false;
      server = await startServer((socket) => socket.on('close', () => (closed = true)));
      module = await Module.start({ platform: '30' });
      await module.ready();
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.modem.reboot();
      await module.echoOff();
      await delay(50);
      assert.equal(closed, true);
      await module.expect('AT#SSLS=1', '#SSLS: 1,0', 'OK');
      await module.expect('AT#SGACT?', '#SGACT: 1,0', 'OK');
    });
  });

  describe('the escape guard time (S12)', () => {
    it('reads S12 as three digits, takes 20..255 fiftieths of a second, refuses the rest, and is the module\'s own again after power-off', async () => {
      module = await Module.start({ platform: '30', escapeGuardMs: 1000 });
      await module.expect('ATS12?', '050', 'OK');
      await module.expect('ATS12=19', 'ERROR');
      await module.expect('ATS12=256', 'ERROR');
      await module.expect('ATS12=20', 'OK');
      await module.expect('ATS12?', '020', 'OK');
      assert.equal(module.modem.escapeGuardMs, 400, 'the silence +++ needs is S12 × 20 ms');
      await module.modem.reboot();
      await module.echoOff();
      await module.expect('ATS12?', '050', 'OK');
    });

    it('a module made with a shorter guard time (tests) reports it in the same unit', async () => {
      module = await Module.start({ platform: '30', escapeGuardMs: 100 });
      await module.expect('ATS12?', '005', 'OK');
    });
  });

  describe('failures', () => {
    it('reports the state errors of §12.2', async () => {
      server = await startServer(echo);
      module = await Module.start({ platform: '30' });
      await module.expect('AT+CMEE=1', 'OK');
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, '+CME ERROR: 556');
      await module.expect('AT+CGDCONT=1,"IP","internet"', 'OK');
      await module.expect('AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK');
      await module.expect('AT#SSLSEND=1', '+CME ERROR: 833');
      await module.expect('AT#SSLO=1', '+CME ERROR: 833');
      await module.expect('AT#SSLSECCFG=1,0,1', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, '+CME ERROR: 837');
      await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
      await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, '+CME ERROR: 834');
      await module.expect('AT#SSLEN=1,0', '+CME ERROR: 834');
      await module.expect('AT#SSLH=1', 'OK');
      const closedPort = server.port;
      await server.close();
      server = undefined;
      await module.expect(`AT#SSLD=1,${closedPort},"127.0.0.1",0,1`, '+CME ERROR: 832');
      await module.expect('AT#SSLEN=2,0', 'OK');
      await module.expect('AT#SSLD=2,443,"127.0.0.1",0,1', '+CME ERROR: 836');
    });

    it('maps every TLS failure cause to the code a Telit module reports', async () => {
      const expected: Record<TlsFailureCause, number> = {
        refused: 832,
        unreachable: 832,
        timeout: 839,
        'unknown-ca': 839,
        expired: 839,
        'not-yet-valid': 839,
        'hostname-mismatch': 839,
        'bad-certificate': 839,
        'client-certificate-required': 839,
        'protocol-version': 839,
        'no-shared-cipher': 839,
        handshake: 839,
        closed: 839,
      };
      let cause: TlsFailureCause = 'refused';
      module = await Module.start({ platform: '30', openTls: () => Promise.reject(new TlsFailure(cause, 'fake')) });
      await module.ready();
      await module.expect('AT+CMEE=1', 'OK');
      for (const [name, code] of Object.entries(expected)) {
        cause = name as TlsFailureCause;
        await module.expect('AT#SSLD=1,443,"example.com",0,1', `+CME ERROR: ${code}`);
      }
      await module.expect('AT+CMEE=2', 'OK');
      await module.expect('AT#SSLD=1,443,"example.com",0,1', '+CME ERROR: SSL error during handshake');
      await module.expect('AT+CMEE=0', 'OK');
      await module.expect('AT#SSLD=1,443,"example.com",0,1', 'ERROR');
    });

    it('dials with the profile the settings describe', async () => {
      const seen: OpenTlsOptions[] = [];
      module = await Module.start({
        platform: '37',
        openTls: (options) => {
          seen.push(options);
          return Promise.reject(new TlsFailure('refused', 'fake'));
        },
      });
      await module.ready();
      await module.expect('AT#SSLSECCFG2=1,3,1,0,0,2', 'OK');
      // 0xC013 is marked for TLS 1.0-1.2 (§12.1.7 line 3259), so <MinVersion> 2 shows through.
      await module.expect('AT#SSLSECCFG=1,0xC013,0', 'OK');
      await module.expect('AT#SSLCFG=1,1,300,90,100,50,0,0,1,0,20,0', 'OK');
      await module.expect('AT#SSLD=1,8443,"broker.example",0,1,50', 'ERROR');
      const [options] = seen;
      assert.equal(options.host, 'broker.example');
      assert.equal(options.port, 8443);
      // <connTo> 20 (100 ms units) wins over the #SSLD <Timeout> 50.
      assert.equal(options.timeoutMs, 2000);
      assert.deepEqual(options.profile, {
        verify: 'none',
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.2',
        ciphers: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'],
        sni: 'broker.example',
      });
      assert.ok(Math.abs(options.now().getTime() - module.modem.clock.now().getTime()) < 1000);
    });
  });
});
