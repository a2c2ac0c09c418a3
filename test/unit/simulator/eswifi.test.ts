/**
 * The simulated Inventek eS-WiFi: two-letter commands ended by CR and answered `\r\n…\r\nOK\r\n> `,
 * every failure form, counted raw payloads (S3, PG), the one-time-programmable certificate sets of
 * seeds/002, the Wi-Fi join, D0, TLS sockets over real `node:tls` with each P9 mode, R0 reads, power
 * cycles, the command log, faults, pacing and `--vendor eswifi`. The wire follows the contract in
 * src/simulator/dialects/eswifi (see its file headers).
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { SIMULATED_VENDORS } from '../../../src/simulator';
import { createEswifiModem, EswifiConnection, eswifiDevice, type EswifiModem, type EswifiModemOptions } from '../../../src/simulator/dialects/eswifi';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { LIMITS } from '../../../src/simulator/dialects/eswifi/tables';
import { closeAfterEach, withCliPort } from '../../support/simulator-harness';
import { delay, echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';
import { exchange, Wire } from './wire';

let pki: TestPki | undefined;
/** RSA, so the client key can go in as PKCS#1 (`RSA PRIVATE KEY`), the form the adapter writes. */
function testPki(): TestPki {
  pki ??= createTestPki({ keyType: 'rsa' });
  return pki;
}

/** An answer without data: an empty line, then OK and the prompt. */
const DONE = '\r\n\r\nOK\r\n> ';
const ok = (...lines: string[]): string => `\r\n${lines.length === 0 ? '' : lines.join('\r\n')}\r\nOK\r\n> `;
const error = (text: string, usage: string, ...progress: string[]): string => `\r\n${progress.map((line) => `${line}\r\n`).join('')}ERROR: ${text}\r\nUsage: ${usage}\r\n> `;
const connecting = (ip = '127.0.0.1'): string => `[TCP  RC] Connecting to ${ip}`;
const OK_END = Buffer.from('\r\nOK\r\n> ', 'latin1');
/** Every byte value once, then the module's own answer ending and an error line, as data. */
const ALL_BYTES = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\nOK\r\n> ERROR: x\r\n> ', 'latin1')]);

/** The host's end of one simulated eS-WiFi. */
class EswifiHost {
  readonly wire: Wire;
  constructor(readonly modem: EswifiModem) {
    this.wire = new Wire(modem);
  }

  static start(options: EswifiModemOptions = {}): EswifiHost {
    return new EswifiHost(createEswifiModem({ joinDelayMs: 20, connectTimeoutMs: 5000, handshakeTimeoutMs: 5000, ...options }));
  }

  get device() {
    return eswifiDevice(this.modem)!;
  }

  /** Sends `bytes`; resolves with exactly what came back once the module is idle. */
  async send(bytes: string | Buffer): Promise<Buffer> {
    this.wire.clear();
    await exchange(this.modem, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    return this.wire.bytes;
  }

  async at(line: string): Promise<string> {
    return (await this.send(`${line}\r`)).toString('latin1');
  }

  async expect(line: string, answer: string): Promise<void> {
    assert.equal(await this.at(line), answer, `answer to ${line}`);
  }

  async transcript(steps: ReadonlyArray<readonly [string, string]>): Promise<void> {
    for (const [line, answer] of steps) await this.expect(line, answer);
  }

  /** C1..C3 for the default network, then C0. */
  async join(): Promise<void> {
    await this.transcript([
      ['C1=sim-wifi', DONE],
      ['C2=simulated-pass', DONE],
      ['C3=3', DONE],
      ['C0', ok('[JOIN   ] sim-wifi,192.168.1.50,0,0')],
    ]);
  }

  /** `PG=<set>,<type>,<length>,` and the bytes, exactly as seeds/002 l. 36-40 print it; resolves with the answer. */
  async program(set: number, type: number, data: string | Buffer): Promise<string> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    return (await this.send(Buffer.concat([Buffer.from(`PG=${set},${type},${bytes.length},`, 'latin1'), bytes]))).toString('latin1');
  }

  /** P1, P3, P4, P9 on the selected socket, then P6=1; resolves with P6's answer. */
  async open(port: number, verification: number, protocol = 3): Promise<string> {
    await this.transcript([
      [`P1=${protocol}`, DONE],
      ['P3=127.0.0.1', DONE],
      [`P4=${port}`, DONE],
      [`P9=${verification}`, DONE],
    ]);
    return this.at('P6=1');
  }

  /** S3 with `data`; asserts the count came back. */
  async write(data: Buffer): Promise<void> {
    const answer = await this.send(Buffer.concat([Buffer.from(`S3=${data.length}\r`, 'latin1'), data]));
    assert.equal(answer.toString('latin1'), ok(String(data.length)));
  }

  /** R0 until `length` bytes came; each answer framed `\r\n<data>\r\nOK\r\n> `. Returns the data parts. */
  async read(length: number, timeoutMs = 5000): Promise<Buffer[]> {
    const parts: Buffer[] = [];
    let size = 0;
    const deadline = Date.now() + timeoutMs;
    while (size < length) {
      if (Date.now() > deadline) throw new Error(`only ${size} of ${length} bytes within ${timeoutMs} ms`);
      const answer = await this.send('R0\r');
      assert.equal(answer.subarray(0, 2).toString('latin1'), '\r\n', 'R0 answer starts with CR LF');
      assert.ok(answer.subarray(-OK_END.length).equals(OK_END), `R0 answer ends with OK and the prompt: ${JSON.stringify(answer.toString('latin1'))}`);
      const data = answer.subarray(2, answer.length - OK_END.length);
      if (data.length > 0) parts.push(Buffer.from(data));
      // Nothing yet: a host polling over a serial line leaves the network time to deliver.
      else await delay(5);
      size += data.length;
    }
    return parts;
  }

  /** Until the selected socket's connection has seen its peer go. */
  async peerGone(socket = this.device.selectedSocket, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.device.sockets[socket]!.connection?.state !== 'closed') {
      if (Date.now() > deadline) throw new Error('the peer never closed');
      await delay(5);
    }
  }

  close(): void {
    this.wire.detach();
    this.modem.close();
  }
}

describe('simulator: Inventek eS-WiFi', function () {
  this.timeout(30000);
  let host: EswifiHost | undefined;
  afterEach(() => {
    host?.close();
    host = undefined;
  });
  const keep = closeAfterEach();

  function start(options: EswifiModemOptions = {}): EswifiHost {
    host = EswifiHost.start(options);
    return host;
  }

  async function server(onConnection: (socket: tls.TLSSocket) => void = echo, options: tls.TlsOptions = {}): Promise<TestServer> {
    return keep(await startScriptedServer(testPki().server, onConnection, options));
  }

  /** A joined module with `ca` as the root CA of set `set` (selected by PF). */
  async function joinedWithCa(set = 0, ca: string = testPki().ca.cert): Promise<EswifiHost> {
    const h = start();
    await h.join();
    await h.expect(`PF=${set}`, DONE);
    assert.equal(await h.program(set, 0, ca), DONE);
    return h;
  }

  describe('the wire', () => {
    it('prints the prompt after power-up, answers I?, an empty line and an unknown command; no echo, no AT', async () => {
      const h = start();
      h.wire.clear();
      await h.modem.reboot();
      await h.modem.whenIdle();
      assert.equal(h.wire.text, '\r\n> ', 'the prompt alone after booting');
      await h.transcript([
        ['I?', '\r\nISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi\r\nOK\r\n> '],
        ['', '\r\n> '],
        ['XX', '\r\nERROR: Unknown Command\r\nUsage: ?\r\n> '],
        ['AT', error('Unknown Command', '?')],
        ['ATI?', error('Unknown Command', '?')],
        ['i?', error('Unknown Command', '?')],
        ['C0x', error('Unknown Command', '?')],
        // A form the command does not have: a value where none is taken, none where one is needed.
        ['C0=1', error('Invalid Parameter', 'C0')],
        ['P1', error('Invalid Parameter', 'P1=<0..3>')],
        [`C1=${'x'.repeat(600)}`, error('Unknown Command', '?')],
      ]);
    });

    it('ignores one LF right after a CR, and answers pipelined commands in order, also behind a slow one', async () => {
      const h = start({ joinDelayMs: 100 });
      assert.equal((await h.send('I?\r\nCS\r\nP0=1\rP?\r')).toString('latin1'), [
        '\r\nISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi\r\nOK\r\n> ',
        ok('0'),
        DONE,
        ok('0,0.0.0.0,0,0.0.0.0,0,0,0,0,0,0'),
      ].join(''));
      await h.transcript([
        ['C1=sim-wifi', DONE],
        ['C2=simulated-pass', DONE],
      ]);
      // C0 takes 100 ms; what arrives meanwhile (the LF of its CR LF included) waits its turn.
      h.wire.clear();
      h.modem.receive('C0\r');
      await delay(20);
      h.modem.receive('\n');
      h.modem.receive('CS\r\n');
      h.modem.receive('P?\r');
      assert.equal(h.wire.text, '', 'nothing before the join is done');
      await h.modem.whenIdle();
      assert.equal(h.wire.text, ok('[JOIN   ] sim-wifi,192.168.1.50,0,0') + ok('1') + ok('0,192.168.1.50,0,0.0.0.0,0,0,0,0,0,0'));
    });

    it('takes S3 and PG payloads as counted raw bytes: every byte value, CR, LF, `>` and `\\r\\nOK\\r\\n> ` inside', async () => {
      const h = start();
      // Not connected: the module takes the bytes and answers -1; the command after them is a command again.
      assert.equal((await h.send(Buffer.concat([Buffer.from(`S3=${ALL_BYTES.length}\r`), ALL_BYTES, Buffer.from('CS\r')]))).toString('latin1'), ok('-1') + ok('0'));
      // The byte after S3's CR is data even when it is an LF.
      assert.equal((await h.send('S3=2\r\nXCS\r')).toString('latin1'), ok('-1') + ok('0'));
      // Byte by byte: the answer comes after the last one.
      h.wire.clear();
      h.modem.receive(`S3=${ALL_BYTES.length}\r`);
      for (let i = 0; i < ALL_BYTES.length - 1; i++) h.modem.receive(ALL_BYTES.subarray(i, i + 1));
      await delay(10);
      assert.equal(h.wire.text, '', 'no answer before the last byte');
      h.modem.receive(ALL_BYTES.subarray(-1));
      await h.modem.whenIdle();
      assert.equal(h.wire.text, ok('-1'));
      // PG: the bytes follow the comma after <length>; not PEM, so refused, but taken all the same.
      assert.equal(await h.program(0, 0, ALL_BYTES), error('Invalid Certificate', 'PG=<set>,<type>,<length>,<data>'));
      await h.expect('CS', ok('0'));
      const n = ALL_BYTES.length;
      assert.deepEqual(
        h.modem.log.map((e) => e.line),
        [`S3=${n} <${n} bytes>`, 'CS', 'S3=2 <2 bytes>', 'CS', `S3=${n} <${n} bytes>`, `PG=0,0,${n} <${n} bytes>`, 'CS'],
      );
    });

    it('refuses a bad S3 or PG header at once, taking no bytes', async () => {
      const h = start();
      assert.equal((await h.send('S3=0\rCS\r')).toString('latin1'), error('Invalid Parameter', 'S3=<1..1460>') + ok('0'));
      assert.equal((await h.send('S3=1461\rCS\r')).toString('latin1'), error('Invalid Parameter', 'S3=<1..1460>') + ok('0'));
      assert.equal((await h.send('S3=x\rCS\r')).toString('latin1'), error('Invalid Parameter', 'S3=<1..1460>') + ok('0'));
      assert.equal((await h.send('PG=0,0,0,CS\r')).toString('latin1'), error('Invalid Parameter', 'PG=<set>,<type>,<length>,<data>') + ok('0'));
      assert.equal((await h.send('PG=0,0,8193,CS\r')).toString('latin1'), error('Invalid Parameter', 'PG=<set>,<type>,<length>,<data>') + ok('0'));
      // The header ended by CR (no comma after <length>) is not the seed's form.
      assert.equal((await h.send('PG=0,0,5\rCS\r')).toString('latin1'), error('Invalid Parameter', 'PG=<set>,<type>,<length>,<data>') + ok('0'));
      // A valid length but a bad set or type: the bytes are taken, then the refusal.
      assert.equal((await h.send('PG=3,0,4,abcdCS\r')).toString('latin1'), error('Invalid Parameter', 'PG=<set>,<type>,<length>,<data>') + ok('0'));
      assert.equal((await h.send('PG=0,3,4,abcdCS\r')).toString('latin1'), error('Invalid Parameter', 'PG=<set>,<type>,<length>,<data>') + ok('0'));
    });

    it('answers Invalid Parameter with each command\'s usage', async () => {
      const h = start();
      await h.transcript([
        ['C1=', error('Invalid Parameter', 'C1=<ssid>')],
        [`C1=${'s'.repeat(33)}`, error('Invalid Parameter', 'C1=<ssid>')],
        [`C2=${'p'.repeat(65)}`, error('Invalid Parameter', 'C2=<passphrase>')],
        ['C3=5', error('Invalid Parameter', 'C3=<0..4>')],
        ['C4=2', error('Invalid Parameter', 'C4=<0|1>')],
        ['D0=', error('Invalid Parameter', 'D0=<host>')],
        ['P0=4', error('Invalid Parameter', 'P0=<0..3>')],
        ['P1=4', error('Invalid Parameter', 'P1=<0..3>')],
        ['P2=65536', error('Invalid Parameter', 'P2=<0..65535>')],
        ['P3=1.2.3', error('Invalid Parameter', 'P3=<a.b.c.d>')],
        ['P3=1.2.3.256', error('Invalid Parameter', 'P3=<a.b.c.d>')],
        ['P4=0', error('Invalid Parameter', 'P4=<1..65535>')],
        ['P6=2', error('Invalid Parameter', 'P6=<0|1>')],
        ['P9=3', error('Invalid Parameter', 'P9=<0..2>')],
        ['PF=3', error('Invalid Parameter', 'PF=<0..2>')],
        ['PF=0,0', error('Invalid Parameter', 'PF=<0..2>')],
        ['R1=0', error('Invalid Parameter', 'R1=<1..1460>')],
        ['R1=1461', error('Invalid Parameter', 'R1=<1..1460>')],
        ['R2=30001', error('Invalid Parameter', 'R2=<0..30000>')],
        ['R0=1', error('Invalid Parameter', 'R0')],
      ]);
      // Nothing of it changed a setting.
      assert.deepEqual(h.device.selected.settings, { protocol: 0, localPort: 0, remoteIp: '0.0.0.0', remotePort: 0, verification: 0, readSize: 1460, readTimeoutMs: 0 });
    });
  });

  describe('Wi-Fi', () => {
    it('joins a configured network after its delay (default 200 ms), shows CS and C? with the passphrase masked, leaves with CD', async () => {
      const h = start({ joinDelayMs: undefined });
      await h.transcript([
        ['CS', ok('0')],
        ['C?', ok(',,3,1,0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,5,0')],
        ['C1=sim-wifi', DONE],
        ['C2=simulated-pass', DONE],
        ['C3=3', DONE],
        ['C4=1', DONE],
      ]);
      const begun = Date.now();
      await h.expect('C0', '\r\n[JOIN   ] sim-wifi,192.168.1.50,0,0\r\nOK\r\n> ');
      assert.ok(Date.now() - begun >= 190, `the join took ${Date.now() - begun} ms`);
      assert.deepEqual(h.device.joined, { ssid: 'sim-wifi', ip: '192.168.1.50' });
      await h.transcript([
        ['CS', '\r\n1\r\nOK\r\n> '],
        ['C?', ok('sim-wifi,********,3,1,0,192.168.1.50,255.255.255.0,192.168.1.1,192.168.1.1,0.0.0.0,5,0')],
        ['P?', ok('0,192.168.1.50,0,0.0.0.0,0,0,0,0,0,0')],
        ['CD', DONE],
        ['CS', ok('0')],
      ]);
    });

    it('fails a join in the form captured on hardware when SSID, passphrase or security do not match', async () => {
      const h = start({ networks: [{ ssid: 'sim-wifi', passphrase: 'simulated-pass', security: 3 }, { ssid: 'Cafe Open', passphrase: '', security: 0 }] });
      const failed = (ssid: string): string => '\r\n' + `[JOIN   ] ${ssid}\r\n[JOIN   ] Failed\r\n` + 'ERROR: Unknown Error\r\nUsage: C0 \r\n> ';
      await h.transcript([
        ['C1=sim-wifi', DONE],
        ['C2=wrong-pass', DONE],
        ['C3=3', DONE],
        ['C0', failed('sim-wifi')],
        ['CS', ok('0')],
        ['C2=simulated-pass', DONE],
        ['C3=4', DONE],
        ['C0', failed('sim-wifi')],
        ['C3=3', DONE],
        ['C1=Grove Island', DONE],
        ['C0', failed('Grove Island')],
        ['C1=sim-wifi', DONE],
        ['C0', ok('[JOIN   ] sim-wifi,192.168.1.50,0,0')],
        ['CS', ok('1')],
        // A failed new join leaves the module without one.
        ['C2=short', DONE],
        ['C0', failed('sim-wifi')],
        ['CS', ok('0')],
        // An open network takes any passphrase.
        ['C1=Cafe Open', DONE],
        ['C3=0', DONE],
        ['C0', ok('[JOIN   ] Cafe Open,192.168.1.50,0,0')],
      ]);
    });

    it('D0 answers the IPv4 address and makes it the selected socket\'s remote address; needs a join; fails for a name that does not resolve', async () => {
      const h = start({ resolve: (name) => (name === 'broker.example' ? '198.51.100.7' : undefined) });
      await h.expect('D0=broker.example', error('Not Connected To AP', 'C0'));
      await h.join();
      await h.transcript([
        ['P0=2', DONE],
        ['D0=broker.example', '\r\n198.51.100.7\r\nOK\r\n> '],
        ['D0=nowhere.example', '\r\nERROR: DNS Lookup Failed\r\nUsage: D0=<host>\r\n> '],
      ]);
      assert.equal(h.device.sockets[2]!.settings.remoteIp, '198.51.100.7');
      assert.equal(h.device.sockets[0]!.settings.remoteIp, '0.0.0.0');
      h.close();
      // The default resolver: an IPv4 literal is itself, localhost is 127.0.0.1.
      const d = start();
      await d.join();
      await d.expect('D0=10.1.2.3', ok('10.1.2.3'));
      await d.expect('D0=localhost', ok('127.0.0.1'));
      assert.equal(d.device.selected.settings.remoteIp, '127.0.0.1');
    });
  });

  describe('certificate sets (PF, PG)', () => {
    it('programs set 0 as seeds/002 shows it: PF=0, then PG=0,0 / 0,1 / 0,2 with <length> raw bytes each', async () => {
      const h = start();
      const { ca, client } = testPki();
      await h.expect('PF=0', '\r\n\r\nOK\r\n> ');
      assert.equal(await h.program(0, 0, ca.cert), '\r\n\r\nOK\r\n> ');
      assert.equal(await h.program(0, 1, client.cert), '\r\n\r\nOK\r\n> ');
      assert.equal(await h.program(0, 2, client.keyRsaPem!), '\r\n\r\nOK\r\n> ');
      const set = h.device.sets[0]!;
      assert.equal(set.ca?.toString('latin1'), ca.cert);
      assert.equal(set.cert?.toString('latin1'), client.cert);
      assert.equal(set.key?.toString('latin1'), client.keyRsaPem);
      assert.deepEqual(h.device.sets.slice(1), [{}, {}]);
      const keyLength = Buffer.byteLength(client.keyRsaPem!);
      assert.deepEqual(
        h.modem.log.map((e) => e.line),
        ['PF=0', `PG=0,0,${Buffer.byteLength(ca.cert)} <${Buffer.byteLength(ca.cert)} bytes>`, `PG=0,1,${Buffer.byteLength(client.cert)} <${Buffer.byteLength(client.cert)} bytes>`, `PG=0,2,${keyLength} <${keyLength} bytes>`],
      );
      // Other forms of PEM: CR LF line ends (kept exactly as sent), an EC key in SEC1, a PKCS#8 key.
      await h.expect('PF=1', DONE);
      const crlf = Buffer.from(ca.cert.replace(/\n/g, '\r\n'), 'latin1');
      assert.equal(await h.program(1, 0, crlf), DONE);
      assert.ok(h.device.sets[1]!.ca!.equals(crlf));
      const ec = createTestPki({ keyType: 'ec' }).client;
      assert.equal(await h.program(1, 2, ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string), DONE);
      await h.expect('PF=2', DONE);
      assert.equal(await h.program(2, 2, client.key), DONE);
    });

    it('is one-time programmable: the same bytes again answer Match, other bytes Certificate Mismatch, and nothing changes', async () => {
      const h = start();
      const { ca, client, unrelatedCa, unrelatedClient } = testPki();
      await h.expect('PF=0', DONE);
      assert.equal(await h.program(0, 0, ca.cert), DONE);
      assert.equal(await h.program(0, 1, client.cert), DONE);
      assert.equal(await h.program(0, 0, ca.cert), '\r\nMatch\r\nOK\r\n> ');
      assert.equal(await h.program(0, 1, client.cert), '\r\nMatch\r\nOK\r\n> ');
      const mismatch = '\r\nERROR: Certificate Mismatch\r\nUsage: PG=<set>,<type>,<length>,<data>\r\n> ';
      assert.equal(await h.program(0, 0, unrelatedCa.cert), mismatch);
      assert.equal(await h.program(0, 1, unrelatedClient.cert), mismatch);
      // Compared before anything else: bytes that are not even PEM are a mismatch too.
      assert.equal(await h.program(0, 0, 'not pem'), mismatch);
      // One byte different (CR LF line ends) is different data.
      assert.equal(await h.program(0, 0, ca.cert.replace(/\n/g, '\r\n')), mismatch);
      assert.equal(h.device.sets[0]!.ca?.toString('latin1'), ca.cert);
      assert.equal(h.device.sets[0]!.cert?.toString('latin1'), client.cert);
      // The key of the set is still empty: it takes its first write.
      assert.equal(await h.program(0, 2, client.keyRsaPem!), DONE);
      assert.equal(await h.program(0, 2, client.keyRsaPem!), ok('Match'));
      assert.equal(await h.program(0, 2, unrelatedClient.key), mismatch);
    });

    it('refuses PG to a set other than the PF selection, and data that is not PEM of its type, taking the bytes', async () => {
      const h = start();
      const { ca, client } = testPki();
      assert.equal(await h.program(1, 0, ca.cert), '\r\nERROR: Set Not Selected\r\nUsage: PF=<0..2>\r\n> ');
      await h.expect('CS', ok('0'));
      await h.expect('PF=1', DONE);
      assert.equal(await h.program(0, 0, ca.cert), error('Set Not Selected', 'PF=<0..2>'));
      const invalidPem = '\r\nERROR: Invalid Certificate\r\nUsage: PG=<set>,<type>,<length>,<data>\r\n> ';
      assert.equal(await h.program(1, 0, client.keyRsaPem!), invalidPem, 'a key as root CA');
      assert.equal(await h.program(1, 2, client.cert), invalidPem, 'a certificate as key');
      assert.equal(await h.program(1, 2, client.encryptedKey('secret')), invalidPem, 'an encrypted key');
      assert.equal(await h.program(1, 1, client.certDer), invalidPem, 'DER, not PEM');
      assert.equal(await h.program(1, 1, `${client.cert}trailing words`), invalidPem, 'text after the certificate');
      assert.equal(await h.program(1, 1, client.cert.replace('MII', 'XII')), invalidPem, 'a damaged certificate');
      assert.deepEqual(h.device.sets, [{}, {}, {}]);
      assert.equal(await h.program(1, 0, ca.cert), DONE);
      assert.deepEqual(Object.keys(h.device.sets[1]!), ['ca']);
    });

    it('keeps the sets across a reboot; only a complete firmware flash clears them', async () => {
      const h = start();
      const { ca } = testPki();
      await h.expect('PF=2', DONE);
      assert.equal(await h.program(2, 0, ca.cert), DONE);
      await h.modem.reboot();
      // PF is back to 0 after the reboot.
      assert.equal(await h.program(2, 0, ca.cert), error('Set Not Selected', 'PF=<0..2>'));
      await h.expect('PF=2', DONE);
      assert.equal(await h.program(2, 0, ca.cert), ok('Match'));
      assert.equal(await h.program(2, 0, testPki().unrelatedCa.cert), error('Certificate Mismatch', 'PG=<set>,<type>,<length>,<data>'));
      h.device.flashCompleteFirmware();
      assert.deepEqual(h.device.sets, [{}, {}, {}]);
      assert.equal(await h.program(2, 0, testPki().unrelatedCa.cert), DONE);
    });
  });

  describe('TLS sockets over real TLS', () => {
    it('runs the seed\'s first client example (P1=3, D0, P4, P9=0, P6=1) without P3: D0 gave the address; no SNI', async () => {
      const s = await server();
      const h = start();
      await h.join();
      // seeds/002 l. 46-52; "P9=0 //No Verification P6=1 //Start" is two commands.
      await h.transcript([
        ['P1=3', DONE],
        ['D0=localhost', ok('127.0.0.1')],
        [`P4=${s.port}`, DONE],
        ['P9=0', DONE],
        ['P6=1', '\r\n[TCP  RC] Connecting to 127.0.0.1\r\nOK\r\n> '],
        ['P?', ok(`3,192.168.1.50,0,127.0.0.1,${s.port},0,0,0,0,0`)],
      ]);
      await h.write(Buffer.from('hello'));
      assert.equal(Buffer.concat(await h.read(5)).toString(), 'hello');
      assert.equal(s.stats.servername, undefined, 'no SNI');
      const record = h.device.lastHandshake!;
      assert.equal(record.outcome, 'connected');
      assert.equal(record.verified, 'nothing');
      assert.equal(record.version, 'TLSv1.2');
      assert.equal(record.peerSubject, testPki().server.subject);
      assert.equal(record.clientCertificate, undefined);
      await h.expect('P6=0', DONE);
      await h.expect('P6=0', DONE);
      await h.expect('R0', error('Socket Not Connected', 'P6=1'));
    });

    it('runs the seed\'s second and third examples: P9=1 and P9=2 with the root CA of the set', async () => {
      const s = await server();
      const h = await joinedWithCa(0);
      for (const mode of [1, 2]) {
        await h.transcript([
          ['P1=3', DONE],
          ['D0=127.0.0.1', ok('127.0.0.1')],
          [`P4=${s.port}`, DONE],
          [`P9=${mode}`, DONE],
          ['P6=1', ok(connecting())],
        ]);
        assert.equal(h.device.lastHandshake?.verified, 'root-ca');
        await h.write(Buffer.from(`mode ${mode}`));
        assert.equal(Buffer.concat(await h.read(6)).toString(), `mode ${mode}`);
        await h.expect('P6=0', DONE);
      }
    });

    it('P9=1: without a root CA in the set nothing is verified; with one the chain must lead to it', async () => {
      const s = await server();
      const h = start();
      await h.join();
      // Set 0 is empty: connects, unverified.
      assert.equal(await h.open(s.port, 1), ok(connecting()));
      assert.equal(h.device.lastHandshake?.verified, 'nothing');
      await h.expect('P6=0', DONE);
      // Set 1 holds a root CA that did not sign the server.
      await h.expect('PF=1', DONE);
      assert.equal(await h.program(1, 0, testPki().unrelatedCa.cert), DONE);
      assert.equal(await h.at('P6=1'), '\r\n[TCP  RC] Connecting to 127.0.0.1\r\nERROR: SSL Handshake Failed\r\nUsage: P6=<0|1>\r\n> ');
      const record = h.device.lastHandshake!;
      assert.equal(record.outcome, 'failed');
      assert.equal(record.set, 1);
      assert.equal(record.failure?.cause, 'unknown-ca');
      assert.equal(record.peerSubject, testPki().server.subject);
      // The failed start leaves the socket not connected.
      await h.expect('R0', error('Socket Not Connected', 'P6=1'));
      await h.expect('P?', ok(`3,192.168.1.50,0,0.0.0.0,${s.port},0,0,0,0,0`));
      // S3 on it: the byte is taken, the answer is -1.
      assert.equal((await h.send('S3=1\rxCS\r')).toString('latin1'), ok('-1') + ok('1'));
    });

    it('P9=2: refuses a set without a root CA, fails with a wrong one, and uses the set PF selects at P6=1', async () => {
      const s = await server();
      const h = start();
      await h.join();
      assert.equal(await h.open(s.port, 2), '\r\nERROR: No Root CA In Set\r\nUsage: P9=<0..2>\r\n> ');
      await h.expect('PF=1', DONE);
      assert.equal(await h.program(1, 0, testPki().unrelatedCa.cert), DONE);
      await h.expect('PF=2', DONE);
      assert.equal(await h.program(2, 0, testPki().ca.cert), DONE);
      // P9 and the rest were set while PF was 2; PF=1 at P6=1 is what counts.
      await h.expect('PF=1', DONE);
      await h.expect('P6=1', error('SSL Handshake Failed', 'P6=<0|1>', connecting()));
      assert.equal(h.device.lastHandshake?.set, 1);
      await h.expect('PF=2', DONE);
      await h.expect('P6=1', ok(connecting()));
      assert.deepEqual(
        { set: h.device.lastHandshake?.set, verified: h.device.lastHandshake?.verified, outcome: h.device.lastHandshake?.outcome },
        { set: 2, verified: 'root-ca', outcome: 'connected' },
      );
      await h.expect('P6=1', '\r\nERROR: Socket Already Connected\r\nUsage: P6=<0|1>\r\n> ');
      // The host name is not checked: a certificate for other.example from the right CA is fine.
      const other = keep(await startScriptedServer(testPki().wrongHostServer, echo));
      await h.expect('P0=1', DONE);
      assert.equal(await h.open(other.port, 2), ok(connecting()));
    });

    it('P9=0 connects whatever the server certificate and whatever the set holds', async () => {
      const s = keep(await startScriptedServer(testPki().unrelatedServer, echo));
      const h = await joinedWithCa(0);
      assert.equal(await h.open(s.port, 0), ok(connecting()));
      assert.equal(h.device.lastHandshake?.verified, 'nothing');
      assert.equal(h.device.lastHandshake?.peerSubject, testPki().unrelatedServer.subject);
      await h.write(Buffer.from('ping'));
      assert.equal(Buffer.concat(await h.read(4)).toString(), 'ping');
      // The same server with P9=2 and the set's root CA: refused.
      await h.expect('P0=1', DONE);
      assert.equal(await h.open(s.port, 2), error('SSL Handshake Failed', 'P6=<0|1>', connecting()));
    });

    it('mutual TLS: P9=2 presents the set\'s certificate and key when the server asks; without them, or at P9=1, the server refuses', async () => {
      const { ca, client } = testPki();
      const seen: string[] = [];
      const s = await server(
        (socket) => {
          seen.push(String(socket.getPeerCertificate().subject?.CN ?? ''));
          echo(socket);
        },
        { requestCert: true, rejectUnauthorized: true, ca: ca.cert },
      );
      const h = await joinedWithCa(0);
      assert.equal(await h.program(0, 1, client.cert), DONE);
      assert.equal(await h.program(0, 2, client.keyRsaPem!), DONE);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      assert.equal(h.device.lastHandshake?.clientCertificate, client.subject);
      await h.write(Buffer.from('mutual'));
      assert.equal(Buffer.concat(await h.read(6)).toString(), 'mutual');
      assert.deepEqual(seen, ['modem-client']);
      // P9=1 uses the root CA only (seeds/002 l. 27): no certificate goes out.
      await h.expect('P0=1', DONE);
      assert.equal(await h.open(s.port, 1), error('SSL Handshake Failed', 'P6=<0|1>', connecting()));
      assert.equal(h.device.lastHandshake?.clientCertificate, undefined);
      // Set 1 has a root CA but no certificate and key.
      await h.expect('PF=1', DONE);
      assert.equal(await h.program(1, 0, ca.cert), DONE);
      await h.expect('P9=2', DONE);
      await h.expect('P6=1', error('SSL Handshake Failed', 'P6=<0|1>', connecting()));
      assert.equal(h.device.lastHandshake?.failure?.cause, 'client-certificate-required');
      assert.deepEqual(seen, ['modem-client']);
    });

    it('R0 gives back received data raw, byte for byte, at most R1 bytes per answer', async () => {
      const s = await server();
      const h = await joinedWithCa(0);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      await h.expect('R2=1000', DONE);
      await h.write(ALL_BYTES);
      assert.deepEqual(Buffer.concat(await h.read(ALL_BYTES.length)), ALL_BYTES);
      // 1460 bytes out in one S3, back in answers of at most R1 = 100.
      await h.expect('R1=100', DONE);
      const big = Buffer.concat(Array.from({ length: 6 }, () => ALL_BYTES)).subarray(0, 1460);
      await h.write(big);
      const parts = await h.read(big.length);
      assert.ok(parts.every((part) => part.length <= 100), `parts of ${parts.map((p) => p.length).join(', ')} bytes`);
      assert.ok(parts.length >= 15);
      assert.deepEqual(Buffer.concat(parts), big);
      const connection = h.device.sockets[0]!.connection;
      assert.ok(connection instanceof EswifiConnection);
      assert.equal(connection.sent, ALL_BYTES.length + big.length);
      assert.equal(connection.received, ALL_BYTES.length + big.length);
    });

    it('a socket holds at most its receive buffer unread: then the module stops reading the connection, and the rest comes as R0 reads', async () => {
      const data = Buffer.concat(Array.from({ length: 800 }, () => ALL_BYTES));
      const s = await server((socket) => socket.write(data));
      const h = await joinedWithCa(0);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      const held = (): number => h.device.sockets[0]!.connection?.held ?? 0;
      while (held() < LIMITS.receiveBuffer) await delay(10);
      // Full: what the server wrote beyond one network read waits in TCP, not in the module.
      await delay(100);
      assert.ok(held() < LIMITS.receiveBuffer + 32 * 1024, `${held()} bytes held`);
      assert.ok(Buffer.concat(await h.read(data.length, 20000)).equals(data), 'every byte, in order, once R0 reads');
    });

    it('R0 with nothing held answers an empty line at once (R2=0), or waits up to R2 ms for the first byte', async () => {
      let peer: tls.TLSSocket | undefined;
      const s = await server((socket) => (peer = socket));
      const h = await joinedWithCa(0);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      let begun = Date.now();
      await h.expect('R0', '\r\n\r\nOK\r\n> ');
      assert.ok(Date.now() - begun < 100, 'R2=0 does not wait');
      await h.expect('R2=300', DONE);
      begun = Date.now();
      await h.expect('R0', DONE);
      assert.ok(Date.now() - begun >= 280, `R2=300 waited ${Date.now() - begun} ms`);
      await h.expect('R2=5000', DONE);
      begun = Date.now();
      setTimeout(() => peer!.write('late'), 100);
      await h.expect('R0', ok('late'));
      assert.ok(Date.now() - begun < 2000, 'answered when the data came');
    });

    it('after the peer closes, R0 still returns what was held, then Socket Not Connected; S3 answers -1 and P? shows 0.0.0.0', async () => {
      const s = await server((socket) => socket.end('last words\r\nOK\r\n> '));
      const h = await joinedWithCa(0);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      await h.peerGone();
      await h.expect('P?', ok(`3,192.168.1.50,0,0.0.0.0,${s.port},0,0,0,0,0`));
      h.wire.clear();
      h.modem.receive('S3=5\r');
      await delay(20);
      assert.equal(h.wire.text, '', 'S3 waits for its 5 bytes');
      // The 5 bytes belong to S3 all the same; then -1.
      assert.equal((await h.send('helloCS\r')).toString('latin1'), ok('-1') + ok('1'));
      await h.expect('R1=4', DONE);
      assert.equal(Buffer.concat(await h.read(18)).toString('latin1'), 'last words\r\nOK\r\n> ');
      await h.expect('R0', '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ');
      await h.expect('R0', error('Socket Not Connected', 'P6=1'));
      // A new start on the same socket works.
      await h.expect('P6=1', ok(connecting()));
      await h.expect('P6=0', DONE);
    });

    it('runs four sockets at once, each with its own settings and data; P0 selects 0..3', async () => {
      const s = await server();
      const h = await joinedWithCa(0);
      for (let id = 0; id < 4; id++) {
        await h.expect(`P0=${id}`, DONE);
        assert.equal(await h.open(s.port, 2), ok(connecting()));
        await h.expect(`R1=${10 + id}`, DONE);
        await h.expect('R2=1000', DONE);
      }
      for (let id = 0; id < 4; id++) {
        await h.expect(`P0=${id}`, DONE);
        await h.write(Buffer.from(`socket ${id} says hello`));
      }
      await delay(50);
      for (let id = 3; id >= 0; id--) {
        await h.expect(`P0=${id}`, DONE);
        const parts = await h.read(19);
        assert.equal(Buffer.concat(parts).toString(), `socket ${id} says hello`);
        assert.equal(parts[0]!.length, Math.min(10 + id, 19), `R1 of socket ${id}`);
      }
      assert.equal(s.sockets.size, 4);
      assert.deepEqual(h.device.sockets.map((slot) => slot.connection?.state), ['connected', 'connected', 'connected', 'connected']);
      await h.expect('P0=4', error('Invalid Parameter', 'P0=<0..3>'));
      await h.expect('P0=2', DONE);
      await h.expect('P6=0', DONE);
      assert.equal(h.device.sockets[2]!.connection, undefined);
      const deadline = Date.now() + 3000;
      while (s.sockets.size > 3 && Date.now() < deadline) await delay(5);
      assert.equal(s.sockets.size, 3, 'P6=0 closed the connection at the server');
      // Leaving the Wi-Fi ends the other three as a peer close would: unread data stays readable.
      await h.expect('P0=1', DONE);
      await h.write(Buffer.from('unread'));
      await delay(50);
      await h.expect('CD', DONE);
      assert.deepEqual(h.device.sockets.map((slot) => slot.connection?.state), ['closed', 'closed', undefined, 'closed']);
      await h.expect('R0', ok('unread'));
      await h.expect('R0', error('Socket Not Connected', 'P6=1'));
      await h.expect('P0=0', DONE);
      assert.equal((await h.send('S3=1\rx')).toString('latin1'), ok('-1'));
    });

    it('P6=1 fails without a join, without an address or port, for a port nobody listens on; P1=0 is plain TCP', async () => {
      const h = start();
      await h.expect('P6=1', '\r\nERROR: Not Connected To AP\r\nUsage: C0\r\n> ');
      await h.join();
      await h.expect('P1=3', DONE);
      await h.expect('P6=1', error('Invalid Parameter', 'P3=<a.b.c.d>'));
      await h.expect('P3=127.0.0.1', DONE);
      await h.expect('P6=1', error('Invalid Parameter', 'P4=<1..65535>'));
      const closed = await freePort();
      await h.expect(`P4=${closed}`, DONE);
      await h.expect('P6=1', '\r\n[TCP  RC] Connecting to 127.0.0.1\r\nERROR: Connection Failed\r\nUsage: P6=<0|1>\r\n> ');
      await h.expect('P1=1', DONE);
      await h.expect('P6=1', error('Invalid Parameter', 'P1=<0..3>'));
      // Plain TCP (P1=0) to a TCP echo server.
      const tcp = net.createServer((socket) => {
        socket.on('error', () => undefined);
        socket.pipe(socket);
      });
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      keep({ close: () => new Promise<void>((resolve) => tcp.close(() => resolve())) });
      await h.expect('P0=3', DONE);
      assert.equal(await h.open((tcp.address() as net.AddressInfo).port, 0, 0), ok(connecting()));
      await h.write(Buffer.from('plain'));
      assert.equal(Buffer.concat(await h.read(5)).toString(), 'plain');
      await h.expect('P6=0', DONE);
    });

    it('connects where `route` says for the address D0 resolved (the `resolve` option)', async () => {
      const s = await server();
      const h = start({
        resolve: (name) => (name === 'iot.example' ? '203.0.113.7' : undefined),
        route: (ip, port) => (ip === '203.0.113.7' && port === 8883 ? { host: '127.0.0.1', port: s.port } : undefined),
      });
      await h.join();
      await h.expect('PF=0', DONE);
      assert.equal(await h.program(0, 0, testPki().ca.cert), DONE);
      await h.transcript([
        ['P1=3', DONE],
        ['D0=iot.example', ok('203.0.113.7')],
        // The public drivers send P3 after D0 all the same.
        ['P3=203.0.113.7', DONE],
        ['P4=8883', DONE],
        ['P9=2', DONE],
        ['P6=1', ok('[TCP  RC] Connecting to 203.0.113.7')],
      ]);
      assert.deepEqual({ host: h.device.lastHandshake?.host, port: h.device.lastHandshake?.port }, { host: '203.0.113.7', port: 8883 });
      await h.write(Buffer.from('routed'));
      assert.equal(Buffer.concat(await h.read(6)).toString(), 'routed');
    });
  });

  describe('power, log, faults, pacing and the CLI', () => {
    it('a reboot loses the join, the connections, PF, P0 and every socket setting, and keeps the sets', async () => {
      const s = await server();
      const h = await joinedWithCa(0);
      await h.expect('P0=2', DONE);
      assert.equal(await h.open(s.port, 2), ok(connecting()));
      await h.transcript([
        ['R1=10', DONE],
        ['R2=100', DONE],
        ['P2=4000', DONE],
        ['PF=1', DONE],
      ]);
      h.wire.clear();
      await h.modem.reboot();
      await h.modem.whenIdle();
      assert.equal(h.wire.text, '\r\n> ');
      assert.equal(h.device.joined, undefined);
      assert.equal(h.device.selectedSet, 0);
      assert.equal(h.device.selectedSocket, 0);
      assert.deepEqual(
        h.device.sockets.map((slot) => slot.settings),
        Array.from({ length: 4 }, () => ({ protocol: 0, localPort: 0, remoteIp: '0.0.0.0', remotePort: 0, verification: 0, readSize: 1460, readTimeoutMs: 0 })),
      );
      assert.ok(h.device.sockets.every((slot) => slot.connection === undefined));
      await h.transcript([
        ['CS', ok('0')],
        ['C?', ok(',,3,1,0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,5,0')],
        ['P0=2', DONE],
        ['R0', error('Socket Not Connected', 'P6=1')],
      ]);
      const deadline = Date.now() + 3000;
      while (s.sockets.size > 0 && Date.now() < deadline) await delay(5);
      assert.equal(s.sockets.size, 0, 'the connection is gone at the server too');
      assert.equal(await h.program(0, 0, testPki().ca.cert), ok('Match'));
      // Bytes sent while the module is off are lost, as on a real UART.
      h.modem.powerOff();
      h.modem.receive('CS\r');
      await h.modem.powerOn();
      await h.expect('CS', ok('0'));
    });

    it('logs each command without payload bytes or the passphrase, also for a join that fails', async () => {
      const h = start();
      const { ca, client } = testPki();
      const events: string[] = [];
      h.modem.on('command', (entry) => events.push(entry.line));
      const waiting = h.modem.waitForCommand('C2=<secret>');
      await h.transcript([
        ['C1=sim-wifi', DONE],
        ['C2=simulated-pass', DONE],
      ]);
      await waiting;
      await h.expect('C2=wrong-pass', DONE);
      await h.expect('C3=3', DONE);
      assert.ok((await h.at('C0')).includes('ERROR: Unknown Error'));
      await h.expect('PF=0', DONE);
      assert.equal(await h.program(0, 0, ca.cert), DONE);
      assert.equal(await h.program(0, 2, client.keyRsaPem!), DONE);
      assert.equal((await h.send('S3=5\rhello')).toString('latin1'), ok('-1'));
      const key = Buffer.byteLength(client.keyRsaPem!);
      const cert = Buffer.byteLength(ca.cert);
      const expected = ['C1=sim-wifi', 'C2=<secret>', 'C2=<secret>', 'C3=3', 'C0', 'PF=0', `PG=0,0,${cert} <${cert} bytes>`, `PG=0,2,${key} <${key} bytes>`, 'S3=5 <5 bytes>'];
      assert.deepEqual(h.modem.log.map((e) => e.line), expected);
      assert.deepEqual(events, expected);
      const everything = JSON.stringify(h.modem.log) + h.wire.text;
      for (const secret of ['simulated-pass', 'wrong-pass', 'hello', client.keyRsaPem!.split('\n')[1]!]) {
        assert.ok(!everything.includes(secret), `"${secret.slice(0, 12)}…" appears`);
      }
      await h.expect('C?', ok('sim-wifi,********,3,1,0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,0.0.0.0,5,0'));
    });

    it('faults: a dropped answer, a delayed one, a muted module, garbage on the wire', async () => {
      const h = start();
      h.modem.faults.dropNextReplies(1);
      await h.expect('I?', '');
      await h.expect('CS', ok('0'));
      h.modem.faults.delayReplies(100);
      const begun = Date.now();
      await h.expect('CS', ok('0'));
      assert.ok(Date.now() - begun >= 90);
      h.modem.faults.clear();
      h.modem.faults.mute();
      await h.expect('CS', '');
      await h.expect('', '');
      // Muted, the payload of S3 is still framed as data, not as commands.
      assert.equal((await h.send('S3=3\rC0\r')).toString('latin1'), '');
      h.modem.faults.mute(false);
      assert.deepEqual(h.modem.log.slice(-3).map((e) => e.line), ['CS', 'CS', 'S3=3 <3 bytes>']);
      await h.expect('CS', ok('0'));
      h.wire.clear();
      h.modem.faults.garbage('\x00junk');
      assert.equal(h.wire.text, '\x00junk');
    });

    it('paces its answers at baudRate (10 bits per byte)', async () => {
      const h = start({ baudRate: 9600 });
      await h.modem.whenIdle();
      const begun = Date.now();
      const answer = await h.at('I?');
      const ms = Date.now() - begun;
      assert.equal(answer, ok('ISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi'));
      // 98 bytes at 960 bytes a second: about 100 ms, in several pieces.
      assert.ok(ms >= 80, `took ${ms} ms`);
      assert.ok(h.wire.count > 1, 'more than one piece');
    });

    it('is --vendor eswifi of the simulator and its CLI; refuses another platform', async () => {
      const modem = SIMULATED_VENDORS.eswifi!({ powerOn: false });
      assert.ok(eswifiDevice(modem));
      modem.close();
      assert.throws(() => createEswifiModem({ platform: 'ISM4319' }), /unknown eS-WiFi platform "ISM4319"; available: ISM43362/);
      await withCliPort(['--vendor', 'eswifi'], 'eswifi', async (port) => {
        const socket = net.connect(port, '127.0.0.1');
        let text = '';
        socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write('I?\r');
        const deadline = Date.now() + 5000;
        while (!text.endsWith('\r\nOK\r\n> ')) {
          if (Date.now() > deadline) throw new Error(`CLI module answered ${JSON.stringify(text)}`);
          await delay(10);
        }
        assert.ok(text.endsWith('\r\nISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi\r\nOK\r\n> '));
        socket.destroy();
      });
    });
  });
});

/** A local port nobody listens on (taken, then released). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
