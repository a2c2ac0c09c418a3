/**
 * Secure sockets on the simulated u-blox module (UBX-19047455 +USOCR … +USOCL with +USOSEC), over
 * real TLS to local servers: the validation levels judged against the module clock, mutual TLS,
 * wrong CA, pinning, PSK, session resumption with its +UUSECPRF URCs, binary data both ways, the
 * four-connection limit, and a peer that closes.
 */
import { strict as assert } from 'node:assert';
import * as tls from 'node:tls';
import { formatCclk } from '../../../src/simulator/clock';
import { delay, echo, frame, Module, startServer, testPki, type TestServer } from './ublox-harness.test';
import { closeAfterEach } from '../../support/simulator-harness';
import { LIMITS } from '../../../src/simulator/dialects/ublox/tables';

/** Every byte value, many times over, in an order that is not a plain ramp. */
function binary(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
}

const DAY = 86_400_000;

describe('simulator: u-blox secure sockets', () => {
  let module: Module;
  afterEach(() => module?.close());
  const keep = closeAfterEach();

  async function server(onConnection: (socket: tls.TLSSocket) => void = echo, options: tls.TlsOptions = {}): Promise<TestServer> {
    return keep(await startServer(onConnection, options));
  }

  /** +USOCR=6 → the socket id; +USOSEC with `profile`. */
  async function secureSocket(profile = 0): Promise<number> {
    const text = await module.at('AT+USOCR=6');
    const m = /^\r\n\+USOCR: (\d)\r\n\r\nOK\r\n$/.exec(text);
    assert.ok(m, text);
    await module.expect(`AT+USOSEC=${m[1]},1,${profile}`, 'OK');
    return Number(m[1]);
  }

  /** Expects +USOCO to fail with `+CME ERROR: 3` and +USOER / +USOCTL to give `errno`. */
  async function connectFails(socket: number, port: number, errno: number, host = '127.0.0.1'): Promise<void> {
    await module.expect(`AT+USOCO=${socket},"${host}",${port}`, '+CME ERROR: 3');
    await module.expect('AT+USOER', `+USOER: ${errno}`, 'OK');
    await module.expect(`AT+USOCTL=${socket},1`, `+USOCTL: ${socket},1,${errno}`, 'OK');
  }

  /** Reads `total` bytes with +USORD, in chunks of at most `chunk`; parses the raw bytes between the quotes. */
  async function readAll(socket: number, total: number, chunk = 1024): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    const deadline = Date.now() + 10_000;
    while (got < total && Date.now() < deadline) {
      const answer = await module.at(`AT+USORD=${socket},${chunk}`);
      const bytes = Buffer.from(answer, 'latin1');
      const head = /\r\n\+USORD: (\d),(\d+),"/.exec(answer);
      assert.ok(head, answer.slice(0, 200));
      const n = Number(head[2]);
      const start = head.index + head[0].length;
      assert.equal(answer.slice(start + n, start + n + 9), '"\r\n\r\nOK\r\n');
      parts.push(bytes.subarray(start, start + n));
      got += n;
      if (n === 0) await delay(5);
    }
    return Buffer.concat(parts);
  }

  it('USOCR, USOSEC, USOCO (level 1), USOWR both forms, UUSORD, USORD, USOCL', async () => {
    const s = await server();
    module = await Module.start();
    await module.importData(0, 'root', testPki().ca.cert);
    await module.expect('AT+USECPRF=0,3,"root"', 'OK');
    await module.expect('AT+USOCR=6', '+USOCR: 0', 'OK');
    await module.expect('AT+USOSEC=0', '+USOSEC: 0,0', 'OK');
    await module.expect('AT+USOSEC=0,1,0', 'OK');
    await module.expect('AT+USOSEC=0', '+USOSEC: 0,1,0', 'OK');
    await module.expect(`AT+USOCO=0,"127.0.0.1",${s.port}`, 'OK');
    // Binary: `@`, exactly <length> bytes (here with CR, LF, quotes and "OK" inside), then the count.
    const payload = Buffer.from('a"b\r\nOK\r\n\x00\xff', 'latin1');
    assert.equal(await module.prompted(`AT+USOWR=0,${payload.length}`, payload, '@'), '@' + frame(`+USOWR: 0,${payload.length}`, 'OK'));
    await module.until(`+UUSORD: 0,${payload.length}`);
    // A partial read, then the remainder announced again.
    const first = await module.at('AT+USORD=0,4');
    assert.equal(first, `\r\n+USORD: 0,4,"a"b\r"\r\n` + frame('OK', `+UUSORD: 0,${payload.length - 4}`));
    await module.expect('AT+USORD=0,0', `+USORD: 0,${payload.length - 4}`, 'OK');
    const rest = await module.at('AT+USORD=0,1024');
    assert.equal(rest, `\r\n+USORD: 0,${payload.length - 4},"\nOK\r\n\x00\xff"\r\n` + frame('OK'));
    await module.expect('AT+USORD=0,1024', '+USORD: 0,0,""', 'OK');
    // The data may follow the command line at once, before the `@` is seen (hosts that do not wait).
    module.wire.clear();
    module.modem.receive('AT+USOWR=0,3\rxyz');
    await module.modem.whenIdle();
    assert.equal(module.wire.text, '@' + frame('+USOWR: 0,3', 'OK'));
    await module.until('+UUSORD: 0,3');
    assert.equal(await module.at('AT+USORD=0,3'), '\r\n+USORD: 0,3,"xyz"\r\n' + frame('OK'));
    // The text form.
    await module.expect('AT+USOWR=0,5,"hello"', '+USOWR: 0,5', 'OK');
    await module.until('+UUSORD: 0,5');
    assert.equal(await module.at('AT+USORD=0,100'), '\r\n+USORD: 0,5,"hello"\r\n' + frame('OK'));
    await module.expect('AT+USOWR=0,4,"hello"', '+CME ERROR: 50');
    await module.expect('AT+USOWR=0,1025', '+CME ERROR: 50');
    await module.expect('AT+USOCTL=0,0', '+USOCTL: 0,0,6', 'OK');
    await module.expect('AT+USOCTL=0,2', `+USOCTL: 0,2,${payload.length + 8}`, 'OK');
    await module.expect('AT+USOCTL=0,3', `+USOCTL: 0,3,${payload.length + 8}`, 'OK');
    await module.expect('AT+USOCTL=0,4', `+USOCTL: 0,4,"127.0.0.1",${s.port}`, 'OK');
    await module.expect('AT+USOCTL=0,10', '+USOCTL: 0,10,4', 'OK');
    await module.expect('AT+USOCL=0', 'OK');
    await module.expect('AT+USOCL=0', '+CME ERROR: 3');
    await module.expect('AT+USOER', '+USOER: 9', 'OK');
    await module.expect('AT+CMEE=2', 'OK');
    await module.expect('AT+USOWR=0,5,"hello"', '+CME ERROR: operation not allowed');
    await module.expect('AT+CMEE=0', 'OK');
    await module.expect('AT+USOWR=0,5,"hello"', 'ERROR');
  });

  it('validation levels 0-3: none, chain, chain + host name, chain + host name + dates against +CCLK', async () => {
    const pki = testPki();
    const wrongHost = await server(echo, { cert: pki.wrongHostServer.cert, key: pki.wrongHostServer.key });
    const expired = await server(echo, { cert: pki.expiredServer.cert, key: pki.expiredServer.key });
    const unrelated = await server(echo, { cert: pki.unrelatedServer.cert, key: pki.unrelatedServer.key });
    module = await Module.start();
    await module.importData(0, 'root', pki.ca.cert);

    // Level 0: nothing checked, not even the CA.
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const s0 = await secureSocket();
    await module.expect(`AT+USOCO=${s0},"127.0.0.1",${unrelated.port}`, 'OK');

    // Level 1 with <root_cert_int_name> empty: "each of the imported trusted root certificates".
    await module.expect('AT+USECPRF=0,0,1', 'OK');
    const s1 = await secureSocket();
    await connectFails(s1, unrelated.port, 103);
    assert.equal(module.device.lastFailure?.cause, 'unknown-ca');
    await module.expect(`AT+USOCO=${s1},"127.0.0.1",${wrongHost.port}`, 'OK');
    const s1b = await secureSocket();
    await module.expect(`AT+USOCO=${s1b},"127.0.0.1",${expired.port}`, 'OK');

    // Level 2: the host name; <srv_hostname> names what the certificate must carry.
    await module.expect('AT+USECPRF=0,0,2', 'OK');
    const s2 = await secureSocket();
    await connectFails(s2, wrongHost.port, 103);
    assert.equal(module.device.lastFailure?.cause, 'hostname-mismatch');
    await module.expect('AT+USECPRF=0,4,"other.example"', 'OK');
    await module.expect(`AT+USOCO=${s2},"127.0.0.1",${wrongHost.port}`, 'OK');

    // Level 3: the dates, by the module clock.
    await module.expect('AT+USECPRF=0,4,""', 'OK');
    await module.expect('AT+USECPRF=0,0,3', 'OK');
    for (const id of [s0, s1, s1b, s2]) await module.expect(`AT+USOCL=${id}`, 'OK');
    const s3 = await secureSocket();
    await connectFails(s3, expired.port, 103);
    assert.equal(module.device.lastFailure?.cause, 'expired');
    const inWindow = formatCclk({ instant: pki.now.getTime() - 365 * DAY, zoneQuarters: 0 });
    await module.expect(`AT+CCLK="${inWindow}"`, 'OK');
    await module.expect(`AT+USOCO=${s3},"127.0.0.1",${expired.port}`, 'OK');
  });

  it('mutual TLS with the imported client certificate and key; a wrong CA; the trusted root picked by name', async () => {
    const pki = testPki();
    const mutual = await server(echo, { ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true });
    module = await Module.start();
    await module.importData(0, 'root', pki.ca.cert);
    await module.importData(0, 'other', pki.unrelatedCa.cert);
    await module.importData(1, 'client', pki.client.cert);
    await module.importData(2, 'key', pki.client.keyDer);
    await module.transcript([
      ['AT+USECPRF=1,0,1', 'OK'],
      ['AT+USECPRF=1,3,"other"', 'OK'],
      ['AT+USECPRF=1,5,"client"', 'OK'],
      ['AT+USECPRF=1,6,"key"', 'OK'],
    ]);
    const s = await secureSocket(1);
    // The server is signed by a root the profile does not trust.
    await connectFails(s, mutual.port, 103);
    assert.equal(module.device.lastFailure?.cause, 'unknown-ca');
    // No client certificate: the server refuses the module.
    await module.expect('AT+USECPRF=1,3,"root"', 'OK');
    await module.expect('AT+USECPRF=1,5,""', 'OK');
    // Half a pair is refused by the module itself, before dialling.
    await connectFails(s, mutual.port, 103);
    await module.expect('AT+USECPRF=1,6,""', 'OK');
    await connectFails(s, mutual.port, 71);
    assert.equal(module.device.lastFailure?.cause, 'client-certificate-required');
    await module.expect('AT+USECPRF=1,5,"client"', 'OK');
    await module.expect('AT+USECPRF=1,6,"key"', 'OK');
    await module.expect(`AT+USOCO=${s},"127.0.0.1",${mutual.port}`, 'OK');
    await module.expect(`AT+USOWR=${s},4,"ping"`, `+USOWR: ${s},4`, 'OK');
    await module.until(`+UUSORD: ${s},4`);
    assert.equal(await module.at(`AT+USORD=${s},4`), `\r\n+USORD: ${s},4,"ping"\r\n` + frame('OK'));
    // The wrong-CA attempt completed on the server's side before the module judged the chain and hung up.
    assert.equal(mutual.stats.connections, 2);

    // Level 0 still presents the client certificate; the key here is encrypted PKCS#8 DER, its password given at
    // import and, for the profile, with op 7.
    const encrypted = pki.client.privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'secret' });
    await module.importData(2, 'enc_key', encrypted, 'secret');
    await module.transcript([
      ['AT+USECPRF=2,0,0', 'OK'],
      ['AT+USECPRF=2,5,"client"', 'OK'],
      ['AT+USECPRF=2,6,"enc_key"', 'OK'],
    ]);
    const level0 = await secureSocket(2);
    await module.expect(`AT+USOCO=${level0},"127.0.0.1",${mutual.port}`, 'OK');
    await module.expect('AT+USECPRF=2,7,"wrong"', 'OK');
    const wrongPassword = await secureSocket(2);
    await connectFails(wrongPassword, mutual.port, 103);
    await module.expect('AT+USECPRF=2,7,"secret"', 'OK');
    await module.expect(`AT+USOCO=${wrongPassword},"127.0.0.1",${mutual.port}`, 'OK');
  });

  it('a pre-installed root is used by name, and only from the database <db_to_use> selects', async () => {
    const pki = testPki();
    const s = await server();
    module = await Module.start({ preinstalled: [{ name: 'ubx_test_root', cert: pki.ca.certDer }] });
    await module.expect('AT+USECMNG=2,0,"ubx_test_root"', '+CME ERROR: 3');
    await module.expect('AT+USECPRF=0,3,"ubx_test_root"', 'OK');
    await module.expect('AT+USECPRF=0,16,1', 'OK');
    const id = await secureSocket();
    await connectFails(id, s.port, 103);
    await module.expect('AT+USECPRF=0,16,2', 'OK');
    await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
  });

  it('server certificate pinning, levels 0-2', async () => {
    const pki = testPki();
    const s = await server();
    module = await Module.start();
    await module.importData(0, 'root', pki.ca.cert);
    await module.importData(3, 'server', pki.server.cert);
    // Same key as the server's certificate (the test PKI shares it), another certificate.
    await module.importData(3, 'same_key', pki.wrongHostServer.cert);
    await module.importData(3, 'other_key', pki.unrelatedCa.cert);
    const attempt = async (name: string, level: number, ok: boolean): Promise<void> => {
      await module.expect(`AT+USECPRF=0,12,"${name}",${level}`, 'OK');
      const id = await secureSocket();
      if (ok) await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
      else await connectFails(id, s.port, 103);
      await module.expect(`AT+USOCL=${id}`, 'OK');
    };
    await attempt('server', 2, true);
    await attempt('same_key', 2, false);
    await attempt('same_key', 1, true);
    await attempt('same_key', 0, true);
    await attempt('other_key', 0, false);
    await attempt('other_key', 1, false);
    await module.expect('AT+USECPRF=0,12,"missing",0', 'OK');
    const id = await secureSocket();
    await connectFails(id, s.port, 103);
  });

  it('pre-shared key (op 8, op 9) with a PSK suite; SNI and ALPN reach the server', async () => {
    const key = Buffer.from('0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx', 'latin1');
    const psk = await server(echo, {
      cert: undefined,
      key: undefined,
      ciphers: 'PSK-AES128-GCM-SHA256',
      maxVersion: 'TLSv1.2',
      pskCallback: (_socket, identity) => (identity === 'device-7' ? key : null),
    });
    module = await Module.start();
    await module.transcript([
      ['AT+USECPRF=0,0,0', 'OK'],
      ['AT+USECPRF=0,2,99,"00","A8"', 'OK'],
      ['AT+USECPRF=0,8,"0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx"', 'OK'],
      ['AT+USECPRF=0,9,"device-7"', 'OK'],
    ]);
    const id = await secureSocket();
    await module.expect(`AT+USOCO=${id},"127.0.0.1",${psk.port}`, 'OK');
    await module.expect(`AT+USOWR=${id},3,"psk"`, `+USOWR: ${id},3`, 'OK');
    await module.until(`+UUSORD: ${id},3`);
    // The wrong key: the server's Finished does not verify.
    await module.expect('AT+USECPRF=0,8,"wrong"', 'OK');
    const bad = await secureSocket();
    await module.expect(`AT+USOCO=${bad},"127.0.0.1",${psk.port}`, '+CME ERROR: 3');

    const named = await server(echo, { ALPNProtocols: ['mqtt'] });
    await module.transcript([
      ['AT+USECPRF=1,0,0', 'OK'],
      ['AT+USECPRF=1,10,"device.example.com"', 'OK'],
      ['AT+USECPRF=1,15,"mqtt"', 'OK'],
    ]);
    const sni = await secureSocket(1);
    await module.expect(`AT+USOCO=${sni},"127.0.0.1",${named.port}`, 'OK');
    assert.equal(named.stats.servername, 'device.example.com');
    assert.equal(named.stats.alpn, 'mqtt');
  });

  it('session resumption by ticket (SARA-R5): +UUSECPRF: 0,13,0,2, then the next connection resumes', async () => {
    const s = await server(echo, { maxVersion: 'TLSv1.2' });
    module = await Module.start();
    await module.transcript([
      ['AT+USECPRF=0,0,0', 'OK'],
      ['AT+USECPRF=0,13,1,1', 'OK'],
      ['AT+USECPRF=0,13,0,1', 'OK'],
    ]);
    const first = await secureSocket();
    assert.equal(await module.at(`AT+USOCO=${first},"127.0.0.1",${s.port}`), frame('OK', '+UUSECPRF: 0,13,0,2'));
    assert.match(await module.at('AT+USECPRF=0,13,3'), /^\r\n\+USECPRF: 0,13,3,"[A-Za-z0-9+/=]+",\d+\r\n\r\nOK\r\n$/);
    await module.expect(`AT+USOCL=${first}`, 'OK');
    const second = await secureSocket();
    assert.equal(await module.at(`AT+USOCO=${second},"127.0.0.1",${s.port}`), frame('OK', '+UUSECPRF: 0,13,0,2'));
    // The server counts the connection once it has the module's Finished, just after the module does.
    await delay(50);
    assert.deepEqual([s.stats.connections, s.stats.resumed], [2, 1]);
  });

  it('session resumption by session ID (generic): type and data reported by URC, resumed once given back', async () => {
    const s = await server(echo, { maxVersion: 'TLSv1.2' });
    module = await Module.start({ platform: 'generic' });
    await module.transcript([
      ['AT+USECPRF=0,0,0', 'OK'],
      ['AT+USECPRF=0,1,3', 'OK'],
      ['AT+USECPRF=0,13,1,0', 'OK'],
      ['AT+USECPRF=0,13,0,1', 'OK'],
    ]);
    const first = await secureSocket();
    const text = await module.at(`AT+USOCO=${first},"127.0.0.1",${s.port}`);
    const m = /^\r\nOK\r\n\r\n\+UUSECPRF: 0,13,1,0\r\n\r\n\+UUSECPRF: 0,13,2,"([A-Za-z0-9+/=]{44})","([A-Za-z0-9+/=]{64})"\r\n$/.exec(text);
    assert.ok(m, JSON.stringify(text));
    // "the session resumption data are not stored in the USECPRF profile": the host gives them back.
    await module.expect('AT+USECPRF=0,13,2', '+CME ERROR: 3');
    await module.expect(`AT+USECPRF=0,13,2,"${m[1]}","${m[2]}"`, 'OK');
    await module.expect(`AT+USOCL=${first}`, 'OK');
    const second = await secureSocket();
    assert.match(await module.at(`AT+USOCO=${second},"127.0.0.1",${s.port}`), /^\r\nOK\r\n\r\n\+UUSECPRF: 0,13,1,0\r\n/);
    await delay(50);
    assert.deepEqual([s.stats.connections, s.stats.resumed], [2, 1]);
  });

  it('100 KB of binary data through USOWR and USORD, byte for byte', async function () {
    this.timeout(30_000);
    const s = await server();
    module = await Module.start();
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const id = await secureSocket();
    await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
    const data = binary(100 * 1024);
    for (let i = 0; i < data.length; i += 1024) {
      const chunk = data.subarray(i, i + 1024);
      const text = await module.prompted(`AT+USOWR=${id},${chunk.length}`, chunk, '@');
      assert.ok(text.startsWith('@' + frame(`+USOWR: ${id},${chunk.length}`, 'OK')), text.slice(0, 80));
    }
    const back = await readAll(id, data.length);
    assert.equal(back.length, data.length);
    assert.ok(back.equals(data), 'the echo is the data');
  });

  it('a socket holds at most its receive buffer unread: then the module stops reading the connection, and the rest comes as the host reads', async function () {
    this.timeout(30_000);
    const data = binary(200 * 1024);
    const s = await server((socket) => socket.write(data));
    module = await Module.start();
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const id = await secureSocket();
    await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
    const unread = async (): Promise<number> => Number(/\+USORD: \d,(\d+)/.exec(await module.at(`AT+USORD=${id},0`))?.[1]);
    let held = await unread();
    while (held < LIMITS.receiveBuffer) {
      await delay(10);
      held = await unread();
    }
    // Full: what the server wrote beyond one network read waits in TCP, not in the module.
    await delay(100);
    held = await unread();
    assert.ok(held >= LIMITS.receiveBuffer && held < LIMITS.receiveBuffer + 32 * 1024, `${held} bytes unread`);
    const back = await readAll(id, data.length);
    assert.ok(back.equals(data), 'every byte, in order, once the host reads');
  });

  it('four concurrent TLS connections; the fifth is refused (ENOMEM) until one closes', async () => {
    const s = await server();
    module = await Module.start();
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await secureSocket());
    for (const id of ids.slice(0, 4)) await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
    await connectFails(ids[4]!, s.port, 12);
    // Plain TCP sockets do not count.
    await module.expect('AT+USOCR=6', '+USOCR: 5', 'OK');
    await module.expect('AT+USOCR=6', '+USOCR: 6', 'OK');
    await module.expect('AT+USOCR=6', '+CME ERROR: 3');
    await module.expect('AT+USOER', '+USOER: 105', 'OK');
    await module.expect(`AT+USOCL=${ids[0]}`, 'OK');
    await module.expect(`AT+USOCO=${ids[4]},"127.0.0.1",${s.port}`, 'OK');
    for (const id of ids.slice(1)) {
      await module.expect(`AT+USOWR=${id},2,"#${id}"`, `+USOWR: ${id},2`, 'OK');
      await module.until(`+UUSORD: ${id},2`);
    }
  });

  it('the peer closes: +UUSOCL at once when nothing is unread, after the last byte otherwise', async () => {
    const closing = await server((socket) => socket.once('data', () => socket.end('bye')));
    const dropping = await server((socket) => socket.once('data', () => socket.end()));
    module = await Module.start();
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const a = await secureSocket();
    await module.expect(`AT+USOCO=${a},"127.0.0.1",${dropping.port}`, 'OK');
    await module.expect(`AT+USOWR=${a},1,"x"`, `+USOWR: ${a},1`, 'OK');
    await module.until(`+UUSOCL: ${a}`);
    await module.expect(`AT+USOCTL=${a},10`, '+CME ERROR: 3');
    const b = await secureSocket();
    await module.expect(`AT+USOCO=${b},"127.0.0.1",${closing.port}`, 'OK');
    module.wire.clear();
    module.modem.receive(`AT+USOWR=${b},1,"x"\r`);
    await module.until(`+UUSORD: ${b},3`);
    await delay(50);
    assert.ok(!module.wire.text.includes('+UUSOCL'), 'not before the data is read');
    assert.equal(await module.at(`AT+USORD=${b},10`), `\r\n+USORD: ${b},3,"bye"\r\n` + frame('OK', `+UUSOCL: ${b}`));
    await module.expect('AT+USOCR=6', `+USOCR: ${a}`, 'OK');
  });

  /** A module with a 100 ms escape guard time (S12 = 5), socket connected to an echo server on profile 0 (level 0). */
  async function connected(onConnection: (socket: tls.TLSSocket) => void = echo): Promise<number> {
    const s = await server(onConnection);
    module = await Module.start({ escapeGuardMs: 100 });
    await module.expect('AT+USECPRF=0,0,0', 'OK');
    const id = await secureSocket();
    await module.expect(`AT+USOCO=${id},"127.0.0.1",${s.port}`, 'OK');
    return id;
  }

  /** Waits until the wire holds `n` bytes since the last clear. */
  async function bytesOnWire(n: number): Promise<Buffer> {
    const deadline = Date.now() + 5000;
    while (module.wire.bytes.length < n && Date.now() < deadline) await delay(5);
    return module.wire.bytes;
  }

  it('direct link (+USODL): CONNECT, the unread bytes first, then raw data both ways; +++ alone between guard times → DISCONNECT, the socket still connected', async () => {
    const id = await connected();
    await module.expect('AT+USODL=?', '+USODL: (0-6)', 'OK');
    await module.expect('ATS12?', '005', 'OK');
    // Unread data is not lost: it comes first after CONNECT.
    await module.expect(`AT+USOWR=${id},5,"first"`, `+USOWR: ${id},5`, 'OK');
    await module.until(`+UUSORD: ${id},5`);
    module.wire.clear();
    module.modem.receive(`AT+USODL=${id}\r`);
    await module.wire.until('first');
    assert.equal(module.wire.text, frame('CONNECT') + 'first');

    // Every byte value, result codes, quotes and pluses inside: all of it data, no echo, no framing.
    const data = Buffer.concat([binary(4096), Buffer.from('\r\nOK\r\n"+++@\r\nDISCONNECT\r\n', 'latin1'), binary(1000)]);
    module.wire.clear();
    module.modem.receive(data);
    assert.ok((await bytesOnWire(data.length)).equals(data), 'the echo, byte for byte');
    // `+++` after a guard time but followed by more data at once is data too.
    module.wire.clear();
    await delay(150);
    module.modem.receive('+++x');
    assert.equal((await bytesOnWire(4)).toString('latin1'), '+++x');

    // The escape: silence, `+++`, silence.
    module.wire.clear();
    await delay(150);
    module.modem.receive('+++');
    await module.until('DISCONNECT');
    assert.equal(module.wire.text, frame('DISCONNECT'));

    // Command mode, the connection up: what arrives now is announced and read as before.
    await module.expect(`AT+USOCTL=${id},10`, `+USOCTL: ${id},10,4`, 'OK');
    await module.expect(`AT+USOWR=${id},3,"abc"`, `+USOWR: ${id},3`, 'OK');
    await module.until(`+UUSORD: ${id},3`);
    await module.expect(`AT+USORD=${id},3`, `+USORD: ${id},3,"abc"`, 'OK');
    // And back into direct link.
    await module.expect(`AT+USODL=${id}`, 'CONNECT');
    module.wire.clear();
    module.modem.receive('again');
    assert.equal((await bytesOnWire(5)).toString('latin1'), 'again');
    await delay(150);
    module.wire.clear();
    module.modem.receive('+++');
    await module.until('DISCONNECT');
    assert.equal(module.wire.text, frame('DISCONNECT'));
    // S12 sets the guard time.
    await module.expect('ATS12=10', 'OK');
    await module.expect('ATS12?', '010', 'OK');
    assert.equal(module.modem.escapeGuardMs, 200);
  });

  it('direct link: refused on a socket that is not connected; a peer that closes ends it with DISCONNECT, then +UUSOCL', async () => {
    const id = await connected((socket) => socket.once('data', () => socket.end('bye')));
    await module.expect('AT+USODL=6', '+CME ERROR: 3');
    await module.expect('AT+USOER', '+USOER: 9', 'OK');
    await module.expect(`AT+USODL=${id}`, 'CONNECT');
    module.wire.clear();
    module.modem.receive('x');
    await module.until(`+UUSOCL: ${id}`);
    assert.equal(module.wire.text, 'bye' + frame('DISCONNECT', `+UUSOCL: ${id}`));
    await module.expect(`AT+USODL=${id}`, '+CME ERROR: 3');
  });

  it('HEX mode (+UDCONF=1): +USOWR takes 1-512 bytes as hex digits, +USORD answers in hex; the binary syntax is unaffected; off after a power cycle', async () => {
    const id = await connected();
    await module.expect('AT+UDCONF=1', '+UDCONF: 1,0', 'OK');
    await module.expect('AT+UDCONF=1,1', 'OK');
    await module.expect('AT+UDCONF=1', '+UDCONF: 1,1', 'OK');
    await module.expect(`AT+USOWR=${id},6,"00220d0AFF41"`, `+USOWR: ${id},6`, 'OK');
    await module.until(`+UUSORD: ${id},6`);
    await module.expect(`AT+USORD=${id},6`, `+USORD: ${id},6,"00220D0AFF41"`, 'OK');
    await module.expect(`AT+USOWR=${id},512,"${'7E'.repeat(512)}"`, `+USOWR: ${id},512`, 'OK');
    await module.until(`+UUSORD: ${id},512`);
    await module.expect(`AT+USORD=${id},1024`, `+USORD: ${id},512,"${'7E'.repeat(512)}"`, 'OK');
    await module.expect(`AT+USOWR=${id},513,"${'00'.repeat(513)}"`, '+CME ERROR: 50');
    await module.expect(`AT+USOWR=${id},2,"0G12"`, '+CME ERROR: 50');
    await module.expect(`AT+USOWR=${id},2,"001"`, '+CME ERROR: 50');
    assert.equal(await module.prompted(`AT+USOWR=${id},3`, 'a"b', '@'), '@' + frame(`+USOWR: ${id},3`, 'OK'));
    await module.until(`+UUSORD: ${id},3`);
    await module.expect(`AT+USORD=${id},3`, `+USORD: ${id},3,"612262"`, 'OK');
    await module.expect('AT+UDCONF=1,2', '+CME ERROR: 50');
    await module.expect('AT+UDCONF=5,0,100', '+CME ERROR: 4');
    await module.modem.reboot();
    await module.at('ATE0');
    await module.expect('AT+UDCONF=1', '+UDCONF: 1,0', 'OK');
  });

  it('TCP failures and a power cycle', async () => {
    const s = await server();
    await s.close();
    module = await Module.start();
    const id = await secureSocket();
    await connectFails(id, s.port, 111);
    await module.expect('AT+USOCR=17', '+CME ERROR: 3');
    await module.expect('AT+USOER', '+USOER: 93', 'OK');
    await module.modem.reboot();
    await module.at('ATE0');
    await module.expect('AT+USOER', '+USOER: 0', 'OK');
    await module.expect('AT+USOCR=6', '+USOCR: 0', 'OK');
  });
});
