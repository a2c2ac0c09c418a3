/**
 * Digi XBee3 Cellular end to end, the way an integrator builds it: flows of our nodes in a real
 * Node-RED, a `modem-config` (vendor `xbee3`, platform `LTE-M`, APN `internet`) on a serial port —
 * the real `serialport` on a pseudo-terminal — behind which a simulated XBee3 keeps its files in
 * flash (ATFS PUT over YMODEM for certificates, verified with ATFS HASH; ATFS XPUT for keys, secure
 * and write-only), reads its TLS profiles AT$0..AT$2 (`<ca>;<cert>;<key>`, seeds/000) at connect
 * time and opens real TLS connections to local servers with a generated RSA PKI: API-mode sockets
 * (Socket Create/Option/Connect/Send frames out, Socket Receive and Socket Status frames in, AP 2
 * escaping), and transparent mode on profile 0.
 *
 * Each test deploys its own flow on a fresh module and pty; hooks unload the flow first (closing
 * the serial port), then stop servers, pty and module.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import helper from '../support/red-helper';
import { callsOf, everythingSaid, statusOf, until, type Msg } from '../support/flow-probe';
import { binaryPayload, flowSuite, pemBodyLines, tlsChain, type ChainOptions, type ChainSetup, type PayloadTraps } from '../support/e2e-flows';
import { startXbee3Rig, type Xbee3Rig, quietMark as quietMarkOf } from '../support/xbee3-rig';
import { createCertificateAuthority } from '../../src/simulator/pki';
import type { Xbee3ModemOptions } from '../../src/simulator/dialects/xbee3';

/**
 * The CA as the file `ca.pem` in certs/; TLS profile 1 (an API-mode profile) verifying the server
 * against it, TLS 1.2; no host-name check, which the XBee3 does not offer; SNI on, as the module
 * always sends the host name it connects to.
 */
const XBEE3_CHAIN: ChainSetup = {
  load: { name: 'ca.pem', format: 'auto', vendorOptions: '' },
  profile: { profile: '1', ca: 'ca.pem', hostname: '', checkHostname: false, sni: true, alpn: '' },
};

/** The nodes of an XBee3 TLS flow, each wired to its helper; see `tlsChain`. */
function chain(o: ChainOptions) {
  return tlsChain(XBEE3_CHAIN, o);
}

/** One Socket Send frame carries at most 1500 bytes; so does one Socket Receive frame. */
const FRAME_CHUNK = 1500;

/**
 * For a 100 KB payload: what a careless XBee3 parser would trip over — the API frame delimiter
 * and the escape byte (0x7E, 0x7D), XON/XOFF (0x11, 0x13), which AP 2 escapes too, a whole fake
 * frame header, the command-mode answers `OK\r` and `ERROR\r`, the escape sequence `+++` and a
 * bare CR; and across the 1500-byte frame boundaries, each of them again.
 */
const XBEE3_TRAPS: PayloadTraps = {
  seed: 0x1b873593,
  traps: ['\x7e', '\x7d', '\x11', '\x13', '\x7d\x5e', 'OK\r', 'ERROR\r', '+++', '\r', '\x7e\x00\x05\xcd\x00', '\x7d\x7d\x7e\x7e', '\x13\x11'],
  spacing: 7919,
  at: [
    [FRAME_CHUNK - 1, '\x7e\x7d'],
    [2 * FRAME_CHUNK - 1, '\x11\x13'],
    [3 * FRAME_CHUNK - 2, 'OK\r'],
    [4 * FRAME_CHUNK - 3, 'ERROR\r'],
    [5 * FRAME_CHUNK - 1, '+++'],
    [6 * FRAME_CHUNK - 1, '\r'],
    [7 * FRAME_CHUNK - 3, '+++'],
    [8 * FRAME_CHUNK - 3, 'OK\r'],
  ],
};

/** Command-mode lines that start an upload: `ATFS PUT /flash/certs/ca.pem`, `ATFS XPUT …`. */
function uploads(lines: readonly string[], kind: 'PUT' | 'XPUT' | 'any' = 'any'): string[] {
  const pattern = kind === 'any' ? /^ATFS X?PUT / : new RegExp(`^ATFS ${kind} `);
  return lines.filter((l) => pattern.test(l));
}

/** Lines that write a TLS profile (`AT$1 ca.pem;;`), in command mode or in an API AT frame; a read (`AT$1`) is not one. */
function profileWrites(lines: readonly string[]): string[] {
  return lines.filter((l) => /^AT\$\d\s*\S/.test(l) || /^API 0x08 id=\d+ AT\$\d \S/.test(l));
}

describe('XBee3 end to end: flows in Node-RED over a real serial port (pty) to the simulated XBee3 Cellular', function () {
  this.timeout(30000);
  const e2e = flowSuite<Xbee3Rig>({ tab: 'XBee3 e2e', pki: { keyType: 'rsa' }, sockets: /^[0-9]$/ });
  const { start, opens, echoes, failureOf, closes } = e2e;

  /** A fresh simulated XBee3 on a pty. */
  function xbee3(options: Xbee3ModemOptions = {}): Xbee3Rig {
    return e2e.use(startXbee3Rig(options));
  }

  /** The log index once the module is out of the last command-mode session (see `quietMark` of the rig). */
  const quietMark = (): Promise<number> => quietMarkOf(e2e.rig);

  /** Loads a certificate with load-cert: ATFS PUT over YMODEM, then ATFS HASH → verified. */
  async function loadCertificate(certType: 'ca' | 'cert', name: string, payload: string): Promise<Msg> {
    const r = e2e.rig;
    const mark = r.modem.log.length;
    const loaded = await e2e.probe.run('load', { payload, certType, name }, 'loaded');
    assert.deepEqual(
      { certType: loaded.payload.certType, name: loaded.payload.name, format: loaded.payload.format, verified: loaded.payload.verified, unchanged: loaded.payload.unchanged },
      { certType, name, format: 'pem', verified: true, unchanged: false },
    );
    const lines = r.linesSince(mark);
    const path = `/flash/certs/${name}`;
    const put = lines.indexOf(`ATFS PUT ${path}`);
    const hash = lines.indexOf(`ATFS HASH ${path}`);
    assert.ok(put >= 0 && hash > put, `ATFS PUT then ATFS HASH of ${path}: ${lines.join(' | ')}`);
    assert.deepEqual(uploads(lines, 'XPUT'), [], 'a certificate is not a secure file');
    const stored = r.device.flash.files().find((f) => f.path === path);
    assert.ok(stored && !stored.secure, `${path} is an ordinary file on the module`);
    assert.equal(stored.size, loaded.payload.bytes);
    assert.match(stored.data!.toString('latin1'), /^-----BEGIN CERTIFICATE-----/, 'the module got PEM (seeds/000: "Files specified should all be in PEM format")');
    return loaded;
  }

  /** Loads the client key with load-cert: ATFS XPUT (secure), only its size is checked → not verified, with a warning. */
  async function loadKey(name: string, payload: string, msg: Msg = {}): Promise<Msg> {
    const r = e2e.rig;
    const mark = r.modem.log.length;
    const loaded = await e2e.probe.run('load', { payload, certType: 'key', name, ...msg }, 'loaded');
    assert.deepEqual(
      { certType: loaded.payload.certType, name: loaded.payload.name, format: loaded.payload.format, verified: loaded.payload.verified },
      { certType: 'key', name, format: 'pem', verified: false },
    );
    assert.ok(
      loaded.payload.warnings.some((w: string) => new RegExp(`"${name.replace('.', '\\.')}" was uploaded as a secure file \\(ATFS XPUT\\): it cannot be read back, so only its size \\(\\d+ bytes\\) was checked`).test(w)),
      JSON.stringify(loaded.payload.warnings),
    );
    assert.equal('md5' in loaded.payload, false, 'a key’s fingerprint is not given out');
    const lines = r.linesSince(mark);
    const path = `/flash/certs/${name}`;
    assert.deepEqual(uploads(lines), [`ATFS XPUT ${path}`], `the key went up with ATFS XPUT only: ${lines.join(' | ')}`);
    assert.ok(!lines.some((l) => l.startsWith('ATFS HASH')), 'a secure file is not hashed');
    const stored = r.device.flash.files().find((f) => f.path === path);
    assert.ok(stored, `${path} is on the module`);
    assert.equal(stored.secure, true, 'the module holds the key as a secure (write-only) file');
    assert.equal(stored.data, undefined, 'its content cannot be read back');
    assert.equal(stored.size, loaded.payload.bytes);
    return loaded;
  }

  /**
   * A tls-open that the module refused with Socket Status 0x08 (the failed TLS handshake),
   * explained: the code on msg.modemError, error-decode's category handshake naming the CA, and
   * no socket left behind on the module.
   */
  async function refusedHandshake(msg: Msg = {}): Promise<{ caught: Msg; decoded: Msg }> {
    const r = e2e.rig;
    const mark = r.modem.log.length;
    const result = await failureOf('open', msg);
    const { caught, decoded } = result;
    assert.equal(caught.error.source.id, 'open');
    assert.deepEqual(
      { vendor: caught.modemError.vendor, code: caught.modemError.code, line: caught.modemError.line, command: caught.modemError.command },
      { vendor: 'xbee3', code: '0xCF:0x08', line: 'Socket Status 0x08', command: 'Socket Connect (0x42)' },
    );
    assert.match(caught.error.message, /Socket Status 0x08 .*the TLS handshake failed — the server's certificate does not chain to the CA of profile \d/);
    assert.deepEqual({ vendor: decoded.payload.vendor, code: decoded.payload.code, category: decoded.payload.category }, { vendor: 'xbee3', code: '0xCF:0x08', category: 'handshake' });
    assert.match(decoded.payload.meaning, /handshake/);
    assert.match(decoded.payload.hint, /CA/);
    assert.match(decoded.payload.hint, /self-signed root/);
    const lines = r.linesSince(mark);
    assert.ok(lines.some((l) => /^API 0x40 id=\d+ protocol=4$/.test(l)), `a TLS socket was created: ${lines.join(' | ')}`);
    assert.ok(lines.some((l) => /^API 0x42 id=\d+ socket=\d+ 127\.0\.0\.1:\d+$/.test(l)), `the connect reached the module: ${lines.join(' | ')}`);
    assert.equal(r.device.sockets.size, 0, 'no socket is left behind on the module (a Socket Status other than 0 frees it)');
    await statusOf('open', (s) => s.fill === 'red');
    return result;
  }

  it('no authentication (verify none, ";;"): tls-profile warns that the server is not authenticated (output, status, log); open, echo, close', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { verify: 'none', ca: '' } }));
    assert.equal(r.device.registers.num('AP'), 2, 'bring-up put the module in API mode with escapes');
    assert.equal(r.device.registers.str('AN'), 'internet', 'and set the APN');

    const mark = r.modem.log.length;
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.profile, '1');
    assert.deepEqual({ command: applied.payload.applied.command, value: applied.payload.applied.value }, { command: 'AT$1', value: ';;' });
    assert.ok(
      applied.payload.warnings.some((w: string) => /profile 1 does not authenticate the server \(";;"/.test(w) && /man in the middle/.test(w)),
      JSON.stringify(applied.payload.warnings),
    );
    await statusOf('profile', (s) => s.fill === 'yellow' && /does not authenticate the server/.test(s.text ?? ''));
    assert.ok(callsOf('profile', 'warn').some((args) => /does not authenticate the server/.test(String(args[0]))), 'the warning is logged too');
    assert.equal(r.device.registers.str('$1'), ';;');
    assert.ok(r.linesSince(mark).includes('AT$1'), 'the profile was read before anything was decided');

    const before = r.modem.log.length;
    const socket = await opens();
    assert.equal(socket, '0', 'the module numbers its first socket 0');
    const lines = r.linesSince(before);
    const create = lines.findIndex((l) => /^API 0x40 id=\d+ protocol=4$/.test(l));
    const option = lines.findIndex((l) => /^API 0x41 id=\d+ socket=0 option=0 value=0x01$/.test(l));
    const connect = lines.findIndex((l) => l.endsWith(`socket=0 127.0.0.1:${echo.port}`) && l.startsWith('API 0x42'));
    assert.ok(create >= 0 && option > create && connect > option, `Socket Create (TLS), Socket Option (profile 1), Socket Connect: ${lines.join(' | ')}`);
    assert.deepEqual({ profile: r.device.lastHandshake?.profile, version: r.device.lastHandshake?.version }, { profile: 1, version: 'TLSv1.2' });
    assert.equal(echo.connections, 1);

    const line = 'unauthenticated, but encrypted: hello\n';
    assert.equal((await echoes(socket, line)).toString(), line);
    await closes(socket);
    assert.ok(r.linesSince(before).some((l) => /^API 0x43 id=\d+ socket=0$/.test(l)), 'Socket Close went out');
    await until('the module to free the socket', () => r.device.sockets.size === 0);
  });

  it('server authentication: the CA loaded (ATFS PUT, verified by ATFS HASH), profile "ca.pem;;", open by name (SNI), echo, close', async () => {
    let target = 0;
    // The module resolves "localhost" here: the connection goes to the local server, the name is sent as SNI.
    const r = xbee3({ route: (host, port) => (host === 'localhost' ? { host: '127.0.0.1', port: target } : { host, port }) });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    target = echo.port;
    await start(chain({ port: echo.port, open: { host: 'localhost' } }));

    const ca = await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    assert.match(ca.payload.subject, /Modem TLS Test CA/);
    assert.deepEqual(ca.payload.warnings, []);
    await statusOf('load', (s) => s.fill === 'green');

    let mark = r.modem.log.length;
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.deepEqual({ command: applied.payload.applied.command, value: applied.payload.applied.value, version: applied.payload.applied.tlsVersion }, { command: 'AT$1', value: 'ca.pem;;', version: 'TLS 1.2' });
    assert.deepEqual(applied.payload.warnings, []);
    let lines = r.linesSince(mark);
    const look = lines.indexOf('ATFS LS /flash/certs');
    const write = lines.indexOf('AT$1 ca.pem;;');
    assert.ok(look >= 0 && write > look, `the CA is looked up before AT$1 is written: ${lines.join(' | ')}`);
    assert.ok(lines.includes('ATWR'), 'and saved');
    assert.equal(r.device.registers.str('$1'), 'ca.pem;;');

    let seenBy: TLSSocket | undefined;
    echo.once('connection', (s) => (seenBy = s));
    mark = r.modem.log.length;
    const socket = await opens();
    lines = r.linesSince(mark);
    assert.ok(lines.some((l) => new RegExp(`^API 0x42 id=\\d+ socket=${socket} localhost:${echo.port}$`).test(l)), lines.join(' | '));
    assert.equal(echo.lastServername, 'localhost', 'the server saw the host name as SNI');
    assert.equal(seenBy?.getProtocol(), 'TLSv1.2');
    assert.deepEqual(
      { profile: r.device.lastHandshake?.profile, host: r.device.lastHandshake?.host, servername: r.device.lastHandshake?.servername, version: r.device.lastHandshake?.version },
      { profile: 1, host: 'localhost', servername: 'localhost', version: 'TLSv1.2' },
    );
    assert.equal((await echoes(socket, 'verified against ca.pem\n')).toString(), 'verified against ca.pem\n');
    await closes(socket);
    assert.equal(echo.connections, 1);

    // The same CA again: the module holds it identically (same hash), nothing is sent.
    mark = r.modem.log.length;
    const again = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.deepEqual({ verified: again.payload.verified, unchanged: again.payload.unchanged }, { verified: true, unchanged: true });
    assert.deepEqual(uploads(r.linesSince(mark)), [], 'not uploaded twice');
  });

  it('mutual authentication: CA and client certificate verified, the key uploaded with ATFS XPUT (secure, not verified, a warning), profile "ca.pem;client.pem;client.key", echo through a server that requires a client certificate; the key is said nowhere', async () => {
    const r = xbee3();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    await start(chain({ port: mutual.port, profile: { verify: 'mutual', cert: 'client.pem', key: 'client.key' } }), { traceAt: true });

    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    const cert = await loadCertificate('cert', 'client.pem', e2e.pki.client.cert);
    assert.match(cert.payload.subject, /CN=modem-client/);
    const key = await loadKey('client.key', e2e.pki.client.key, { cert: e2e.pki.client.cert });
    assert.equal(key.payload.subject, undefined);
    await statusOf('load', (s) => s.fill === 'green' && /client\.key/.test(s.text ?? ''));
    assert.ok(callsOf('load', 'warn').some((args) => /secure file \(ATFS XPUT\)/.test(String(args[0]))), 'the warning is logged too');
    assert.deepEqual(
      r.device.flash.files().filter((f) => f.path.startsWith('/flash/certs/')).map((f) => [f.path, f.secure]),
      [['/flash/certs/ca.pem', false], ['/flash/certs/client.key', true], ['/flash/certs/client.pem', false]],
    );

    const mark = r.modem.log.length;
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.value, 'ca.pem;client.pem;client.key');
    assert.deepEqual(applied.payload.warnings, []);
    assert.ok(r.linesSince(mark).includes('AT$1 ca.pem;client.pem;client.key'));
    assert.equal(r.device.registers.str('$1'), 'ca.pem;client.pem;client.key');

    const socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/, 'the server saw the client certificate');
    assert.match(r.device.lastHandshake?.clientCertificate ?? '', /CN=modem-client/);
    assert.equal((await echoes(socket, 'signed in with a client certificate\n')).toString(), 'signed in with a client certificate\n');
    await closes(socket);
    assert.equal(mutual.connections, 1);

    // The key travelled only inside YMODEM: no message, status, log or AT trace line shows it.
    const said = everythingSaid();
    const trace = said.filter((s) => s.where === 'log by cfg').map((s) => s.text);
    assert.ok(trace.some((t) => t.includes('ATFS XPUT /flash/certs/client.key')), 'the AT trace logged the key upload command');
    assert.ok(said.some((s) => s.where === 'send by load' && s.text.includes('Modem TLS Test CA')), 'messages are part of the scan');
    assert.ok(said.some((s) => s.where.startsWith('status by')), 'statuses are part of the scan');
    const keyLines = [...pemBodyLines(e2e.pki.client.key), ...pemBodyLines(e2e.pki.client.keyRsaPem!)];
    assert.ok(keyLines.length > 10);
    for (const { where, text } of said) {
      assert.ok(!text.includes('PRIVATE KEY'), `a PEM key header appeared in ${where}: ${text.slice(0, 120)}`);
      for (const line of keyLines) assert.ok(!text.includes(line), `a line of the key appeared in ${where}`);
      assert.ok(!text.includes(e2e.pki.client.keyRsaDer!.subarray(64, 96).toString('latin1')), `raw key bytes appeared in ${where}`);
    }
    // Nor does the module's own command log.
    for (const entry of r.modem.log) {
      for (const line of keyLines) assert.ok(!entry.line.includes(line), `a line of the key appeared in the module's log: ${entry.line.slice(0, 80)}`);
    }
  });

  it('wrong CA: a CA that did not sign the server fails the real handshake — tls-open fails with msg.modemError.code "0xCF:0x08", Catch → error-decode says handshake and names the CA', async () => {
    const r = xbee3();
    const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
    const good = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: other.port }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    await e2e.probe.run('profile', {}, 'applied');

    const { caught } = await refusedHandshake();
    assert.match(caught.error.message, /the connection to 127\.0\.0\.1:\d+ failed/);
    assert.equal(r.device.lastFailure?.cause, 'unknown-ca');
    // The module judges the server's chain and drops the connection.
    await until('the refused connection to be torn down', () => other.openConnections === 0);

    // Nothing was left broken: the server the CA did sign is accepted by the same profile.
    const socket = await opens({ port: good.port });
    assert.equal((await echoes(socket, 'the right server\n')).toString(), 'the right server\n');
    await closes(socket);
  });

  it('a CA that is not a self-signed root (the server certificate, an intermediate CA, a chain) is refused by load-cert naming msg.payload and "self-signed root"; no ATFS PUT reaches the module', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    const intermediate = createCertificateAuthority({ subject: { O: 'node-red-contrib-modem-tls', CN: 'Modem TLS Test Intermediate CA' }, issuer: e2e.pki.ca, keyType: 'rsa' });

    const mark = await quietMark();
    const notByItself = (cn: string): RegExp => new RegExp(`"O=node-red-contrib-modem-tls, CN=${cn}" is issued by "O=node-red-contrib-modem-tls, CN=Modem TLS Test CA", not by itself`);
    const cases: Array<[string, string, RegExp]> = [
      ['the server certificate', e2e.pki.server.cert, notByItself('localhost')],
      ['an intermediate CA', intermediate.cert, notByItself('Modem TLS Test Intermediate CA')],
      ['the intermediate with its root', `${intermediate.cert}${e2e.pki.ca.cert}`, /holds 2 certificates; the XBee3 takes one self-signed root CA per file/],
    ];
    for (const [what, payload, why] of cases) {
      const { caught, decoded } = await failureOf('load', { payload, certType: 'ca', name: 'not-a-root.pem' });
      assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'msg.payload' }, `${what}: ${caught.error.message}`);
      assert.match(caught.error.message, /msg\.payload: /, what);
      assert.match(caught.error.message, /self-signed root/, `${what}: ${caught.error.message}`);
      assert.match(caught.error.message, why, what);
      assert.equal(caught.payload, undefined, 'the certificate left the message');
      assert.equal(decoded.payload.category, 'parameter');
      await statusOf('load', (s) => s.fill === 'red');
    }
    const lines = r.linesSince(mark);
    assert.deepEqual(uploads(lines), [], `no ATFS PUT: ${lines.join(' | ')}`);
    assert.deepEqual(lines, [], 'nothing at all reached the module');
    assert.ok(!r.device.flash.files().some((f) => /not-a-root/.test(f.path)), 'no file was made');

    // The root itself is taken.
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
  });

  it('100 KB of every byte value (0x7E, 0x7D, 0x11, 0x13, "OK\\r", "ERROR\\r", "+++", "\\r" in it and across the 1500-byte frames) round-trips byte for byte in API mode', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    const data = binaryPayload(XBEE3_TRAPS);
    assert.equal(new Set(data).size, 256);
    for (const [offset, text] of XBEE3_TRAPS.at!) assert.equal(data.subarray(offset, offset + text.length).toString('latin1'), text);
    assert.equal(r.device.registers.num('AP'), 2, 'API mode with escapes: 0x7E, 0x7D, 0x11 and 0x13 are escaped on the wire');
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data, 30000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), `the echo is the payload, byte for byte (first difference at ${echoed.findIndex((b, i) => b !== data[i])})`);

    const lines = r.linesSince(mark);
    const sends = lines.filter((l) => l.startsWith('API 0x44 '));
    assert.equal(sends.length, Math.ceil(data.length / FRAME_CHUNK));
    const sizes = sends.map((l) => Number(new RegExp(`^API 0x44 id=\\d+ socket=${socket} (\\d+) bytes$`).exec(l)?.[1]));
    assert.deepEqual(sizes, [...Array<number>(sends.length - 1).fill(FRAME_CHUNK), data.length % FRAME_CHUNK]);
    assert.ok(!lines.some((l) => !l.startsWith('API ')), `the data never went through command mode: ${lines.filter((l) => !l.startsWith('API ')).join(' | ')}`);
    const chunks = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket);
    assert.ok(chunks.every((m) => m.payload.length <= FRAME_CHUNK), 'pushed as Socket Receive frames arrive');
    assert.ok(chunks.length >= Math.ceil(data.length / FRAME_CHUNK), `${chunks.length} pushes`);
    await closes(socket);
  });

  it('paced both ways at 921600 baud, as a UART carries bytes: 64 KB of random bytes go out in Socket Send frames, several under way at once, and come back in Socket Receive frames, every byte in order', async () => {
    const r = xbee3({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    const data = randomBytes(64 * 1024);
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data, 60000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), `the echo is the payload, byte for byte (first difference at ${echoed.findIndex((b, i) => b !== data[i])})`);
    const sends = r.linesSince(mark).filter((l) => l.startsWith('API 0x44 '));
    assert.equal(sends.length, Math.ceil(data.length / FRAME_CHUNK));
    const chunks = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket);
    assert.ok(chunks.every((m) => m.payload.length <= FRAME_CHUNK), 'pushed as Socket Receive frames arrive');
    await closes(socket);
  });

  it('three sockets at once: three tls-open nodes fired together get three socket ids from the module, and each echoes its own data', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const opener = (id: string) => ({ id, type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: String(echo.port), mode: 'command', wires: [['opened']] });
    await start(chain({ port: echo.port, extra: [opener('open2'), opener('open3')] }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    await e2e.probe.run('profile', {}, 'applied');

    const mark = r.modem.log.length;
    const openers = ['open', 'open2', 'open3'];
    const opened = await Promise.all(openers.map(async (nodeId) => {
      const out = e2e.probe.next('opened', (m) => m.tag === nodeId, 15000);
      const failed = e2e.probe.next('caught', (m) => m.error?.source?.id === nodeId, 15000).then((m) => {
        throw new Error(`${nodeId} failed: ${String(m.error?.message)}`);
      });
      failed.catch(() => undefined);
      helper.getNode(nodeId).receive({ tag: nodeId });
      return Promise.race([out, failed]);
    }));
    const sockets = opened.map((m) => m.socket as string);
    for (const m of opened) {
      assert.equal(m.payload.socket, m.socket);
      assert.equal(m.payload.mode, 'command');
    }
    assert.deepEqual([...sockets].sort(), ['0', '1', '2'], `the module's ids: ${sockets.join(', ')}`);
    assert.equal(r.device.sockets.size, 3);
    assert.equal(echo.connections, 3);
    assert.equal(r.linesSince(mark).filter((l) => /^API 0x40 id=\d+ protocol=4$/.test(l)).length, 3);

    // Different data on each, sent together, read back on all three at once.
    const payloads = sockets.map((s, i) => Buffer.concat([Buffer.from(`socket ${s}: `), Buffer.alloc(2500 + i * 977, 0x41 + i), Buffer.from('\x7e\x7dOK\r+++\r')]));
    const sent = await Promise.all(sockets.map((s, i) => {
      const out = e2e.probe.next('sent', (m) => m.payload.socket === s, 15000);
      helper.getNode('send').receive({ socket: s, payload: payloads[i] });
      return out;
    }));
    sent.forEach((m, i) => assert.deepEqual(m.payload, { socket: sockets[i], bytes: payloads[i]!.length }));
    const echoed = await Promise.all(sockets.map((s, i) => e2e.probe.bytes('received', s, payloads[i]!.length)));
    echoed.forEach((got, i) => assert.ok(got.equals(payloads[i]!), `socket ${sockets[i]} got its own data back`));

    for (const s of sockets) await closes(s);
    await until('the module to free the sockets', () => r.device.sockets.size === 0);
  });

  it('transparent mode (mode "online", profile 0): msg.socket 255, bytes through the serial port both ways over real TLS, closed; API mode is back afterwards', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { profile: '0' }, open: { profile: '0', mode: 'online' } }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.value, 'ca.pem;;');
    assert.ok(applied.payload.warnings.some((w: string) => /profile 0 is also the one transparent-mode connections use/.test(w)), JSON.stringify(applied.payload.warnings));
    assert.equal(r.device.registers.str('$0'), 'ca.pem;;');

    let mark = r.modem.log.length;
    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '255');
    assert.deepEqual(opened.payload, { socket: '255', host: '127.0.0.1', port: echo.port, mode: 'online' });
    let lines = r.linesSince(mark);
    for (const expected of ['ATIP 4', 'ATDL 127.0.0.1', `ATDE ${echo.port.toString(16).toUpperCase()}`, 'ATAP 0', 'ATCN']) {
      assert.ok(lines.includes(expected), `${expected}: ${lines.join(' | ')}`);
    }
    assert.equal(r.device.apiMode, 0, 'the port is in transparent mode');

    const line = 'through the serial port, transparently\r\n';
    const sent = await e2e.probe.run('send', { socket: '255', payload: line }, 'sent');
    assert.deepEqual(sent.payload, { socket: '255', bytes: line.length });
    assert.equal((await e2e.probe.bytes('received', '255', line.length)).toString(), line);
    assert.deepEqual({ socket: r.device.lastHandshake?.socket, profile: r.device.lastHandshake?.profile, version: r.device.lastHandshake?.version }, { socket: 'transparent', profile: 0, version: 'TLSv1.2' });
    assert.equal(echo.connections, 1);

    mark = r.modem.log.length;
    await closes('255');
    lines = r.linesSince(mark);
    assert.ok(lines.includes('ATDL 0.0.0.0') && lines.includes('ATAP 2'), `DL changed ends the connection, AP 2 again: ${lines.join(' | ')}`);
    await until('the module to return to API mode', () => r.device.apiMode === 2);
    await until('the server to see the connection end', () => echo.openConnections === 0);

    // API-mode sockets work again (profile 0 serves them too).
    const socket = await opens({ mode: 'command' });
    assert.equal((await echoes(socket, 'API mode again\n')).toString(), 'API mode again\n');
    await closes(socket);
  });

  it('a client key that does not belong to the client certificate is refused by tls-profile (field key) before AT$n is written', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { verify: 'mutual', cert: 'client.pem', key: 'other.key' } }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);
    await loadCertificate('cert', 'client.pem', e2e.pki.client.cert);
    // The server's key: another key pair than the client certificate's (no msg.cert to compare at load time).
    await loadKey('other.key', e2e.pki.server.key);

    const mark = await quietMark();
    const { caught, decoded } = await failureOf('profile', {});
    assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'key' });
    assert.match(caught.error.message, /key: "other\.key" does not belong to the certificate "client\.pem" \(their public keys differ\)/);
    assert.equal(decoded.payload.category, 'parameter');
    await statusOf('profile', (s) => s.fill === 'red');
    const lines = r.linesSince(mark);
    assert.deepEqual(profileWrites(lines), [], `no AT$n was written: ${lines.join(' | ')}`);
    assert.deepEqual(lines, [], 'refused before anything reached the module');
    assert.equal(r.device.registers.str('$1'), ';;', 'profile 1 is as it was');
  });

  it('a profile naming a file the module lacks is refused by tls-profile (field ca) after ATFS LS, with nothing written', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCertificate('ca', 'ca.pem', e2e.pki.ca.cert);

    let mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('profile', { ca: 'missing-ca.pem' });
    assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'ca' });
    assert.match(caught.error.message, /ca: the module has no file "missing-ca\.pem" \(\/flash\/certs\/missing-ca\.pem\): load it with load-cert first/);
    assert.equal(decoded.payload.category, 'parameter');
    await statusOf('profile', (s) => s.fill === 'red');
    let lines = r.linesSince(mark);
    assert.ok(lines.includes('ATFS LS /flash/certs'), `the module was asked: ${lines.join(' | ')}`);
    assert.deepEqual(lines.filter((l) => /^AT\$|^API 0x08 id=\d+ AT\$/.test(l)), [], `no AT$ line at all: ${lines.join(' | ')}`);
    assert.ok(!lines.some((l) => /^AT(WR|AC|TL )/.test(l)), `nothing applied or saved: ${lines.join(' | ')}`);
    assert.equal(r.device.registers.str('$1'), ';;');

    // Mutual with a key that was never loaded: refused the same way, naming the key.
    mark = r.modem.log.length;
    await loadCertificate('cert', 'client.pem', e2e.pki.client.cert);
    const keyless = await failureOf('profile', { verify: 'mutual', cert: 'client.pem', key: 'client.key' });
    assert.equal(keyless.caught.modemError.field, 'key');
    assert.match(keyless.caught.error.message, /no file "client\.key"/);
    lines = r.linesSince(mark);
    assert.deepEqual(profileWrites(lines), [], `no AT$n was written: ${lines.join(' | ')}`);
    assert.equal(r.device.registers.str('$1'), ';;');

    // A client certificate without a CA (client authentication only) is refused before anything is asked.
    mark = r.modem.log.length;
    const clientOnly = await failureOf('profile', { verify: 'none', cert: 'client.pem', key: 'client.key' });
    assert.equal(clientOnly.caught.modemError.field, 'cert');
    assert.match(clientOnly.caught.error.message, /cannot authenticate only the client/);
    assert.deepEqual(profileWrites(r.linesSince(mark)), []);

    // The file named correctly is taken.
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.value, 'ca.pem;;');
  });
});
