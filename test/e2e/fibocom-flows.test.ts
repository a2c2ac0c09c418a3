/**
 * Fibocom L610 end to end, the way an integrator builds it: flows of our nodes in a real Node-RED,
 * a `modem-config` (vendor `fibocom`, platform `L610`, APN `internet`) on a serial port — the real
 * `serialport` on a pseudo-terminal — behind which a simulated L610 counts the files it is given
 * (+GTSSLFILE: one CERTFILE, one KEYFILE, trust files, none removable, all lost at power-down),
 * keeps one SSL configuration (+GTSSLMODE, +GTSSLVER, +GTSSLCIPHER), starts its data connection
 * with +MIPCALL and opens real TLS connections (+MIPOPEN protocol 2, +MIPSEND, read mode's
 * +MIPREAD, +MIPCLOSE) to local servers with a generated PKI; a failed open is explained by +GTSSLERR.
 *
 * Each test deploys its own flow on a fresh modem and pty; hooks unload the flow first (closing the
 * serial port), then stop servers, pty and modem.
 */
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { callsOf, everythingSaid, modemReady, statusOf, until, type FlowNode, type Msg } from '../support/flow-probe';
import { binaryPayload, flowSuite, pemBodyLines, tlsChain, type ChainOptions, type ChainSetup, type PayloadTraps } from '../support/e2e-flows';
import { startFibocomRig, type FibocomRig } from '../support/fibocom-rig';
import type { FibocomModemOptions } from '../../src/simulator/dialects/fibocom';

const ECDHE_RSA_AES256_GCM = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384';

/**
 * A CA labelled "demo-ca" (the module keeps no names); profile 1, the server verified, TLS 1.2,
 * every suite; no host-name check and no SNI, which the module lacks.
 */
const FIBOCOM_CHAIN: ChainSetup = {
  load: { name: 'demo-ca', format: 'auto', vendorOptions: '' },
  profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' },
};

/** The nodes of an L610 TLS flow, each wired to its helper; see `tlsChain`. */
function chain(o: ChainOptions) {
  return tlsChain(FIBOCOM_CHAIN, o);
}

/**
 * For a 100 KB payload: what a careless L610 parser would trip over — final result codes, the
 * `> ` prompt of +MIPSEND and +GTSSLFILE, the URCs of sockets, data and restarts, the header of
 * a read, and the Ctrl-Z and ESC that end or abort a prompt on other modules; and across a chunk
 * boundary (2048 bytes per +MIPSEND and per AT+MIPREAD), an OK and a prompt.
 */
const FIBOCOM_TRAPS: PayloadTraps = {
  seed: 0x6c078965,
  traps: [
    '\r\nOK\r\n', '+MIPRTCP: 1,0,41\r\n', '\r\n> ', '\x1a', '\x1b', '\r\nERROR\r\n', '\r\n+MIPCLOSE: 1,1\r\n', '\r\n+MIPSTAT: 1,1\r\n',
    '\r\n+MIPSEND: 1,0,2048\r\n', '\r\n+SIM READY\r\n', '\r\n+MIPCALL: 0\r\n', '\r\n+MIPOPEN: 1,0\r\n', '\r\n+CME ERROR: 3\r\n',
    '\r\n+MIPREAD: 1,9\r\n', '\r\n+MIPDATA: 1,3\r\n',
  ],
  spacing: 6911,
  at: [[2046, '\r\nOK\r\n'], [4095, '\r\n> ']],
};

/** Lines that start an upload of `type` (`AT+GTSSLFILE="TRUSTFILE",<len>`). */
function uploads(lines: readonly string[], type: 'TRUSTFILE' | 'CERTFILE' | 'KEYFILE'): string[] {
  return lines.filter((l) => new RegExp(`^AT\\+GTSSLFILE="${type}",\\d+$`).test(l));
}

describe('Fibocom end to end: flows in Node-RED over a real serial port (pty) to the simulated L610', function () {
  this.timeout(20000);
  const e2e = flowSuite<FibocomRig>({ tab: 'Fibocom e2e', pki: { keyType: 'rsa' }, sockets: /^[1-6]$/ });
  const { start, unload, opens, echoes, failureOf, closes } = e2e;

  /** A fresh simulated L610 on a pty. */
  function fibocom(options: FibocomModemOptions = {}): FibocomRig {
    return e2e.use(startFibocomRig(options));
  }

  /** Loads the CA of the test PKI (a TRUSTFILE); the module's count going up by one is the verification. */
  async function loadCa(msg: Msg = {}): Promise<Msg> {
    const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, ...msg }, 'loaded');
    assert.equal(ca.payload.certType, 'ca');
    assert.equal(ca.payload.verified, true, 'the module counted one more TRUSTFILE');
    assert.equal(ca.payload.format, 'pem');
    return ca;
  }

  /**
   * A tls-open the module refused with +MIPOPEN: <id>,0 and +GTSSLERR: -11, explained: the
   * code on msg.modemError, error-decode's category certificate, and no socket left behind.
   */
  async function refusedWith11(msg: Msg = {}): Promise<{ caught: Msg; decoded: Msg }> {
    const r = e2e.rig;
    const mark = r.modem.log.length;
    const result = await failureOf('open', msg);
    const { caught, decoded } = result;
    assert.equal(caught.error.source.id, 'open');
    assert.deepEqual(
      { vendor: caught.modemError.vendor, code: caught.modemError.code, line: caught.modemError.line },
      { vendor: 'fibocom', code: '-11', line: '+GTSSLERR: -11' },
    );
    assert.match(caught.modemError.command, /^AT\+MIPOPEN=[1-6],,"127\.0\.0\.1",\d+,2$/);
    assert.match(caught.error.message, /SSL error -11 \(certificate validation failed\)/);
    assert.deepEqual({ vendor: decoded.payload.vendor, code: decoded.payload.code, category: decoded.payload.category }, { vendor: 'fibocom', code: '-11', category: 'certificate' });
    assert.match(decoded.payload.name, /certificate/);
    assert.match(decoded.payload.hint, /trust|CA/);
    const lines = r.linesSince(mark);
    assert.ok(lines.some((l) => /^AT\+MIPOPEN=/.test(l)), `the open reached the module: ${lines.join(' | ')}`);
    assert.ok(lines.includes('AT+GTSSLERR?'), `the reason was asked for: ${lines.join(' | ')}`);
    assert.equal(r.device.sslError, -11, 'the module holds -11 as its last SSL error');
    assert.equal(r.device.sockets.size, 0, 'no socket is left behind on the module');
    await statusOf('open', (s) => s.fill === 'red');
    return result;
  }

  it('verify none: open, a line echoed through tls-send → server → tls-recv, close; tls-profile warns that the server is not verified', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    // The platform may be left empty: the L610 is the only module of this dialect.
    await start(chain({ port: echo.port, profile: { verify: 'none' } }), { platform: '' });

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.profile, '1');
    assert.equal(applied.payload.applied.checkmode, 0);
    assert.ok(applied.payload.warnings.some((w: string) => /verify "none": the server is not authenticated/.test(w)), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow' && /verify "none"/.test(s.text ?? ''));
    assert.ok(callsOf('profile', 'warn').some((args) => /verify "none"/.test(String(args[0]))), 'the warning is logged too');
    assert.equal(r.device.ssl.mode, 0);

    const mark = r.modem.log.length;
    const socket = await opens();
    assert.equal(socket, '1', 'the lowest free id');
    const lines = r.linesSince(mark);
    assert.ok(lines.includes(`AT+MIPOPEN=1,,"127.0.0.1",${echo.port},2`), lines.join(' | '));
    assert.equal(r.device.pdp.state, 'active');
    assert.equal(r.device.pdp.apn, 'internet', 'the data connection came up with the configured APN');
    assert.equal(r.device.lastHandshake?.version, 'TLSv1.2');

    const line = 'unverified, but encrypted: hello\n';
    assert.equal((await echoes(socket, line)).toString(), line);
    await closes(socket);
    assert.ok(r.linesSince(mark).includes('AT+MIPCLOSE=1'));
    assert.equal(echo.connections, 1);
    await until('the module to free the socket', () => r.device.sockets.size === 0);
  });

  it('verify server with the CA loaded: TLS 1.2 (AT+GTSSLVER=4) negotiated and echoed; a server from another CA is refused with -11, which error-decode calls a certificate problem', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
    await start(chain({ port: echo.port }));

    let mark = r.modem.log.length;
    const ca = await loadCa();
    assert.equal(ca.payload.name, 'demo-ca');
    assert.match(ca.payload.subject, /Modem TLS Test CA/);
    assert.equal(ca.payload.bytes, r.device.files.TRUSTFILE[0]?.length);
    assert.equal(uploads(r.linesSince(mark), 'TRUSTFILE').length, 1);
    assert.match(r.device.files.TRUSTFILE[0]!.toString('latin1'), /^-----BEGIN CERTIFICATE-----/, 'the module got PEM text');

    mark = r.modem.log.length;
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.deepEqual(
      { checkmode: applied.payload.applied.checkmode, sslver: applied.payload.applied.sslver, version: applied.payload.applied.tlsVersionName },
      { checkmode: 1, sslver: 4, version: 'TLS 1.2' },
    );
    assert.deepEqual(applied.payload.warnings, []);
    let lines = r.linesSince(mark);
    assert.ok(lines.includes('AT+GTSSLMODE=1'), lines.join(' | '));
    assert.ok(lines.includes('AT+GTSSLVER=4'), 'TLS 1.2 pinned over the module default (TLS 1.0)');
    assert.deepEqual({ mode: r.device.ssl.mode, version: r.device.ssl.version, ciphers: r.device.ssl.ciphers.size }, { mode: 1, version: 4, ciphers: 31 });

    let seenBy: TLSSocket | undefined;
    echo.once('connection', (s) => (seenBy = s));
    const socket = await opens();
    assert.deepEqual({ version: r.device.lastHandshake?.version, host: r.device.lastHandshake?.host }, { version: 'TLSv1.2', host: '127.0.0.1' });
    assert.equal(echo.lastProtocol, 'TLSv1.2', 'the server negotiated TLS 1.2 too');
    assert.equal(seenBy?.getProtocol(), 'TLSv1.2');
    assert.equal((await echoes(socket, 'verified by the trust file\n')).toString(), 'verified by the trust file\n');
    await closes(socket);

    await refusedWith11({ port: other.port });
    assert.equal(r.device.lastFailure?.cause, 'unknown-ca');
    // The module judges the chain by its own clock once the server has shown it, then drops the connection.
    await until('the refused connection to be torn down', () => other.openConnections === 0);
    // The good server is still accepted afterwards: nothing was left broken.
    mark = r.modem.log.length;
    const again = await opens();
    lines = r.linesSince(mark);
    assert.ok(!lines.some((l) => /^AT\+GTSSL(MODE|VER|CIPHER)=/.test(l)), `the settings were in place, nothing rewritten: ${lines.join(' | ')}`);
    await closes(again);
    assert.equal(echo.connections, 2);
  });

  it('verify server without any trust file (the manual\'s Example 2, "+MIPOPEN 1,0" without its colon): tls-profile warns, tls-open fails with -11 (msg.modemError.code "-11"), error-decode says certificate', async () => {
    const r = fibocom({ openResultColon: false });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.ok(applied.payload.warnings.some((w: string) => /no trust certificate \(TRUSTFILE\) is loaded/.test(w)), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow' && /TRUSTFILE/.test(s.text ?? ''));
    assert.deepEqual(r.device.files.TRUSTFILE, []);

    const { caught } = await refusedWith11();
    assert.match(caught.error.message, /no loaded trust certificate vouches for the server/);
    assert.equal(r.device.lastFailure?.cause, 'unknown-ca');
    assert.equal(echo.connections, 0);
    // The module's own answer, asked by hand, as the manual does (Example 2).
    const asked = await e2e.probe.run('at', { payload: 'AT+GTSSLFILE?' }, 'answer');
    assert.deepEqual(asked.payload, ['+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,0']);
  });

  it('the clock: with clockSync off the module clock is still 2000 — load-cert says so, and a verified open fails with -11 naming the clock; the same flow with clockSync on sets AT+CCLK before AT+MIPOPEN and connects', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    // A load-cert node that does not judge dates, so the CA reaches the module whatever its clock says.
    const anyDate: FlowNode = { id: 'loadAnyDate', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: 'demo-ca', format: 'auto', allowExpired: true, wires: [['loaded']] };
    const flow = chain({ port: echo.port, extra: [anyDate] });

    let mark = r.modem.log.length;
    await start(flow, { clockSync: false });
    assert.ok(!r.linesSince(mark).some((l) => /^AT\+CCLK=/.test(l)), 'clockSync off leaves the module clock alone');
    assert.equal(r.modem.clock.now().getUTCFullYear(), 2000);

    // The CA is not valid yet by the module's clock: load-cert refuses it, pointing at the clock.
    const early = await failureOf('load', { payload: e2e.pki.ca.cert });
    assert.equal(early.caught.modemError.field, 'msg.payload');
    assert.match(early.caught.error.message, /not valid before/);
    assert.match(early.caught.error.message, /by the modem's clock, 2000-01-01T/);
    assert.match(early.caught.error.message, /clockSync/);
    assert.equal(r.device.files.TRUSTFILE.length, 0, 'nothing was loaded');

    const stored = await e2e.probe.run('loadAnyDate', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.equal(stored.payload.verified, true);
    await e2e.probe.run('profile', {}, 'applied');
    const { caught, decoded } = await refusedWith11();
    assert.match(decoded.payload.hint, /clock/);
    assert.match(caught.error.message, /clockSync is off in the modem config/);
    assert.match(caught.error.message, /module clock starts from a default at every power-up/);
    assert.equal(r.device.lastFailure?.cause, 'not-yet-valid');
    assert.match(r.device.lastFailure?.message ?? '', /modem clock 2000-01-01T/);
    await until('the refused connection to be torn down', () => echo.openConnections === 0);
    const refusedSessions = echo.connections;

    // The same flow, redeployed with clockSync on: the module still holds the CA and the settings.
    await unload();
    mark = r.modem.log.length;
    await start(flow, { clockSync: true });
    const socket = await opens();
    const lines = r.linesSince(mark);
    const clockAt = lines.findIndex((l) => /^AT\+CCLK="\d\d\/\d\d\/\d\d,\d\d:\d\d:\d\d[+-]\d\d"$/.test(l));
    const openAt = lines.findIndex((l) => /^AT\+MIPOPEN=/.test(l));
    assert.ok(clockAt >= 0 && openAt > clockAt, `AT+CCLK comes before AT+MIPOPEN: ${lines.join(' | ')}`);
    assert.ok(Math.abs(r.modem.clock.now().getTime() - Date.now()) < 60000, 'the module clock is this host’s now');
    assert.equal(uploads(lines, 'TRUSTFILE').length, 0, 'the CA was not loaded again: the module kept it');
    assert.equal((await echoes(socket, 'on time\n')).toString(), 'on time\n');
    await closes(socket);
    assert.equal(echo.connections, refusedSessions + 1);
  });

  it('mutual TLS: CERTFILE and KEYFILE (the key checked against msg.cert) loaded, echo through a server that requires a client certificate; a second client certificate is refused naming power-cycle, and never sent', async () => {
    const r = fibocom();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    await start(chain({ port: mutual.port, profile: { verify: 'mutual' } }), { traceAt: true });

    await loadCa();
    const cert = await e2e.probe.run('load', { payload: e2e.pki.client.cert, certType: 'cert', name: 'modem-cert' }, 'loaded');
    assert.deepEqual({ certType: cert.payload.certType, name: cert.payload.name, verified: cert.payload.verified, unchanged: cert.payload.unchanged }, { certType: 'cert', name: 'modem-cert', verified: true, unchanged: false });
    assert.match(cert.payload.subject, /CN=modem-client/);
    const key = await e2e.probe.run('load', { payload: e2e.pki.client.key, certType: 'key', name: 'modem-key', cert: e2e.pki.client.cert }, 'loaded');
    assert.deepEqual({ certType: key.payload.certType, name: key.payload.name, verified: key.payload.verified }, { certType: 'key', name: 'modem-key', verified: true });
    assert.equal('md5' in key.payload, false, 'a key’s fingerprint is not given out');
    assert.deepEqual(Object.fromEntries(Object.entries(r.device.files).map(([t, f]) => [t, f.length])), { CERTFILE: 1, KEYFILE: 1, TRUSTFILE: 1 });
    assert.match(r.device.files.KEYFILE[0]!.toString('latin1'), /^-----BEGIN RSA PRIVATE KEY-----/, 'the key went as PKCS#1 PEM, the manual’s form');

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.checkmode, 1);
    assert.deepEqual(applied.payload.warnings, []);

    const socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/, 'the server saw the client certificate');
    assert.match(r.device.lastHandshake?.clientCertificate ?? '', /CN=modem-client/);
    assert.equal((await echoes(socket, 'signed in with a client certificate\n')).toString(), 'signed in with a client certificate\n');
    await closes(socket);
    assert.equal(mutual.connections, 1);

    // Another client certificate: the module keeps one and cannot replace it.
    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('load', { payload: e2e.pki.unrelatedClient.cert, certType: 'cert', name: 'second-cert' });
    assert.equal(caught.modemError.kind, 'PARAMETER');
    assert.match(caught.error.message, /already holds a client certificate, "modem-cert"/);
    assert.match(caught.error.message, /power-cycle the module/);
    assert.equal(decoded.payload.category, 'parameter');
    await statusOf('load', (s) => s.fill === 'red');
    assert.deepEqual(uploads(r.linesSince(mark), 'CERTFILE'), [], 'nothing was sent for it');
    assert.equal(uploads(r.linesSince(0), 'CERTFILE').length, 1, 'one +GTSSLFILE="CERTFILE" in the whole session');
    assert.equal(r.device.files.CERTFILE.length, 1);
    assert.ok(r.device.files.CERTFILE[0]!.toString('latin1').includes(pemBodyLines(e2e.pki.client.cert)[0]!), 'the first client certificate is still the one held');

    // The key travelled only as prompt data: no message, status or trace line shows it.
    const said = everythingSaid();
    assert.ok(said.some((s) => s.where === 'log by cfg' && /AT\+GTSSLFILE="KEYFILE",\d+/.test(s.text)), 'the AT trace logged the key upload command');
    for (const { where, text } of said) {
      for (const line of pemBodyLines(e2e.pki.client.key)) assert.ok(!text.includes(line), `a line of the key appeared in ${where}`);
      for (const line of pemBodyLines(e2e.pki.client.keyRsaPem!)) assert.ok(!text.includes(line), `a line of the PKCS#1 key appeared in ${where}`);
    }
  });

  it('one cipher suite only: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (ID 5) is written with AT+GTSSLCIPHER and is exactly what is negotiated with an RSA server', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { ciphers: ECDHE_RSA_AES256_GCM } }));
    await loadCa();
    assert.deepEqual([...r.device.ssl.ciphers].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6], 'the module’s factory suites');

    const mark = r.modem.log.length;
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.deepEqual(applied.payload.applied.ciphers, [ECDHE_RSA_AES256_GCM]);
    assert.deepEqual(applied.payload.applied.cipherIds, [5]);
    const writes = r.linesSince(mark).filter((l) => l.startsWith('AT+GTSSLCIPHER='));
    // As the manual's Example 6: every other factory suite left out, ID 5 kept.
    assert.deepEqual(writes, ['AT+GTSSLCIPHER=1,0', 'AT+GTSSLCIPHER=2,0', 'AT+GTSSLCIPHER=3,0', 'AT+GTSSLCIPHER=4,0', 'AT+GTSSLCIPHER=6,0']);
    assert.deepEqual([...r.device.ssl.ciphers], [5]);
    const asked = await e2e.probe.run('at', { payload: 'AT+GTSSLCIPHER?' }, 'answer');
    assert.deepEqual(asked.payload, ['+GTSSLCIPHER: 5']);

    let serverCipher: string | undefined;
    echo.once('connection', (s) => (serverCipher = s.getCipher().standardName));
    const socket = await opens();
    assert.equal(r.device.lastHandshake?.cipher, ECDHE_RSA_AES256_GCM);
    assert.equal(serverCipher, ECDHE_RSA_AES256_GCM, 'the server agreed on that suite');
    assert.equal((await echoes(socket, 'one suite\n')).toString(), 'one suite\n');
    await closes(socket);
  });

  it('100 KB of every byte value (with \\r\\nOK\\r\\n, +MIP lines, "> ", Ctrl-Z and ESC in it) round-trips byte-exact and in order over a line paced at 921600 baud both ways: AT+MIPSEND chunks out, read mode in (+MIPREAD, AT+MIPREAD), tls-recv pushes', async () => {
    const r = fibocom({ baudRate: 921_600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCa();
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    const data = binaryPayload(FIBOCOM_TRAPS);
    assert.equal(new Set(data).size, 256);
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data, 30000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), `the echo is the payload, byte for byte (first difference at ${echoed.findIndex((b, i) => b !== data[i])})`);

    const lines = r.linesSince(mark);
    const writes = lines.filter((l) => l.startsWith('AT+MIPSEND='));
    assert.equal(writes.length, Math.ceil(data.length / 2048));
    assert.deepEqual(writes.slice(0, -1).filter((l) => l !== `AT+MIPSEND=${socket},2048`), [], 'binary data only goes after the prompt, counted, never in the command line');
    assert.equal(writes[writes.length - 1], `AT+MIPSEND=${socket},${data.length % 2048 || 2048}`);
    assert.ok(!lines.some((l) => /^AT\+MIPPUSH/.test(l)));
    // Received data is fetched raw in read mode, never pushed as hex.
    assert.equal(r.device.receiveFormat, 5);
    const reads = lines.filter((l) => l.startsWith('AT+MIPREAD='));
    assert.ok(reads.length >= Math.ceil(data.length / 2048), `${reads.length} reads`);
    assert.deepEqual(reads.filter((l) => l !== `AT+MIPREAD=${socket},2048`), []);
    const chunks = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket);
    assert.ok(chunks.length >= Math.ceil(data.length / 2048), `${chunks.length} pushes of at most 2048 bytes`);
    await closes(socket);
  });

  it('re-provisioning after a reboot: the open connection ends (tls-recv "closed"), the module is brought up by itself, and the next tls-open reloads the kept TRUSTFILE and rewrites GTSSLMODE/VER/CIPHER before it connects', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { traceAt: true });
    const ca = await loadCa();
    assert.deepEqual(ca.payload.warnings, []);
    await e2e.probe.run('profile', {}, 'applied');
    let socket = await opens();
    assert.equal((await echoes(socket, 'before the reboot\n')).toString(), 'before the reboot\n');

    const mark = r.modem.log.length;
    await r.modem.reboot();
    assert.deepEqual(r.device.files.TRUSTFILE, [], 'the module lost its files at power-down');
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /restarted/);
    assert.ok(Buffer.isBuffer(ended.payload) && ended.payload.length === 0);
    // Brought up again by itself, with no flow asking: echo off, the data connection back.
    await until('the module to be brought up again', () => r.linesSince(mark).some((l) => /^AT\+MIPCALL=1,"internet"$/.test(l)));
    await modemReady('cfg');
    assert.equal(r.modem.settings.echo, false, 'ATE0 again');
    // Bring-up starts the data connection without waiting for the network.
    await until('the data connection to come up', () => r.device.pdp.state === 'active');

    const before = r.modem.log.length;
    socket = await opens();
    const lines = r.linesSince(before);
    const reload = lines.findIndex((l) => /^AT\+GTSSLFILE="TRUSTFILE",\d+$/.test(l));
    const open = lines.findIndex((l) => /^AT\+MIPOPEN=/.test(l));
    assert.ok(reload >= 0 && open > reload, `the CA is loaded again before the open: ${lines.join(' | ')}`);
    for (const written of ['AT+GTSSLMODE=1', 'AT+GTSSLVER=4', 'AT+GTSSLCIPHER=7,1', 'AT+GTSSLCIPHER=31,1']) {
      const at = lines.indexOf(written);
      assert.ok(at >= 0 && at < open, `${written} before the open: ${lines.join(' | ')}`);
    }
    assert.equal(uploads(r.linesSince(0), 'TRUSTFILE').length, 2, 'one upload by the flow, one reload');
    assert.equal(r.device.files.TRUSTFILE.length, 1);
    assert.deepEqual({ mode: r.device.ssl.mode, version: r.device.ssl.version }, { mode: 1, version: 4 });
    const warned = callsOf('cfg', 'warn').map((args) => String(args[0]));
    assert.ok(warned.some((w) => /restarted.*bringing it up again/.test(w)), warned.join(' | '));
    assert.ok(warned.some((w) => /trust certificate "demo-ca" loaded again after the module restarted/.test(w)), warned.join(' | '));

    assert.equal((await echoes(socket, 'after the reboot\n')).toString(), 'after the reboot\n');
    await closes(socket);
    assert.equal(echo.connections, 2);
  });

  it('after a reboot the old socket says why it is gone: tls-send names the restart, and tls-close confirms it closed (the goal is reached) instead of refusing', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCa();
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();

    const mark = r.modem.log.length;
    await r.modem.reboot();
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /restarted/);
    await until('the module to be brought up again', () => r.linesSince(mark).some((l) => /^AT\+MIPCALL=1,"internet"$/.test(l)));
    await modemReady('cfg');

    const before = r.modem.log.length;
    const { caught } = await failureOf('send', { socket, payload: 'too late' });
    // A connection the module's restart ended is closed already: closing it is done, not an error.
    const closing = await e2e.probe.run('close', { socket }, 'closed').then(
      (msg) => ({ payload: msg.payload as unknown }),
      (err: Error) => ({ payload: undefined as unknown, refused: err.message }),
    );
    assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'msg.socket' });
    // The reason the flow was given in the closed message, as after any other end of a connection.
    assert.match(caught.error.message, new RegExp(`msg\\.socket: socket ${socket} is no longer open \\(the module restarted`), `tls-send said: ${caught.error.message}`);
    assert.deepEqual(closing, { payload: { socket, closed: true } });
    assert.deepEqual(r.linesSince(before), [], 'nothing reached the module');
  });

  it('a restart the module does not announce (no +SIM READY): the next tls-open finds fewer files than loaded, ends the old connection, reloads the CA and connects', async () => {
    // An L610 whose start-up line is switched off prints nothing when it boots.
    const r = fibocom({ profile: { banner: [] } });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCa();
    await e2e.probe.run('profile', {}, 'applied');
    const first = await opens();
    assert.equal((await echoes(first, 'before\n')).toString(), 'before\n');

    await r.modem.reboot();
    assert.equal(r.modem.settings.echo, true, 'the module came back with echo on, and said nothing');
    const mark = r.modem.log.length;
    const second = await opens();
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === first);
    assert.match(ended.reason, /restarted/);
    const lines = r.linesSince(mark);
    const open = lines.findIndex((l) => /^AT\+MIPOPEN=/.test(l));
    for (const pattern of [/^AT\+GTSSLFILE="TRUSTFILE",\d+$/, /^AT\+GTSSLMODE=1$/, /^AT\+GTSSLVER=4$/, /^AT\+CCLK="/, /^AT\+MIPCALL=1,"internet"$/]) {
      const at = lines.findIndex((l) => pattern.test(l));
      assert.ok(at >= 0 && at < open, `${String(pattern)} before the open: ${lines.join(' | ')}`);
    }
    assert.equal((await echoes(second, 'after\n')).toString(), 'after\n');
    await closes(second);
  });

  it('a data connection the network refuses: tls-open fails quoting +MIPCALL: 0, and error-decode explains it as a network problem (APN, SIM, registration)', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { verify: 'none' } }));
    await e2e.probe.run('profile', {}, 'applied');
    const down = await e2e.probe.run('at', { payload: 'AT+MIPCALL=0' }, 'answer');
    assert.equal(down.final, 'OK');
    await until('the data connection to end', () => r.device.pdp.state === 'inactive');
    r.device.activationFails = true;

    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('open');
    assert.equal(caught.modemError.vendor, 'fibocom');
    assert.equal(caught.modemError.line, '+MIPCALL: 0');
    assert.equal(caught.modemError.command, 'AT+MIPCALL=1,"internet"');
    assert.match(caught.error.message, /the data connection did not come up \(\+MIPCALL: 0\) — check the APN/);
    assert.ok(!r.linesSince(mark).some((l) => /^AT\+MIPOPEN=/.test(l)), 'no connection was tried');
    assert.equal(decoded.payload.vendor, 'fibocom');
    assert.equal(decoded.payload.category, 'network', `error-decode: ${JSON.stringify(decoded.payload)}`);
    assert.match(decoded.payload.hint, /APN/);

    // The network takes it again: the next open activates and connects.
    r.device.activationFails = false;
    const socket = await opens();
    await closes(socket);
  });

  it('a file loaded with keepLoaded false is not reloaded after a reboot: the next verified tls-open fails naming the lost file, before any AT+MIPOPEN', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await loadCa({ vendorOptions: { keepLoaded: false } });
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    await closes(socket);

    const mark = r.modem.log.length;
    await r.modem.reboot();
    await until('the module to be brought up again', () => r.linesSince(mark).some((l) => /^AT\+MIPCALL=1,"internet"$/.test(l)));
    await modemReady('cfg');

    const before = r.modem.log.length;
    const { caught, decoded } = await failureOf('open');
    assert.equal(caught.modemError.kind, 'PARAMETER');
    assert.equal(caught.modemError.field, 'ca');
    assert.match(caught.error.message, /the module restarted .*and lost its SSL files \("demo-ca"\), which were not kept loaded/);
    assert.match(caught.error.message, /load them again with load-cert/);
    assert.match(caught.error.message, /keepLoaded/);
    assert.equal(decoded.payload.category, 'parameter');
    const lines = r.linesSince(before);
    assert.ok(!lines.some((l) => /^AT\+MIPOPEN=/.test(l)), `no connection was tried: ${lines.join(' | ')}`);
    assert.equal(uploads(lines, 'TRUSTFILE').length, 0, 'nothing was reloaded');
    assert.equal(echo.connections, 1);

    // Loading it again is all it takes.
    await loadCa();
    const again = await opens();
    assert.equal((await echoes(again, 'loaded by hand\n')).toString(), 'loaded by hand\n');
    await closes(again);
  });

  it('secrets: the APN password (a modem-config credential) reaches the module in AT+MIPCALL, and never a message, status, error or log (AT trace on) — not on success, on a refused activation, nor in a raw command', async () => {
    const r = fibocom();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const user = 'fleet-user';
    const password = 'apn-Pa55word-7f3e91c2';
    const mark = r.modem.log.length;
    await start(chain({ port: echo.port }), { traceAt: true }, { cfg: { apnUser: user, apnPassword: password } });
    assert.ok(r.linesSince(mark).includes(`AT+MIPCALL=1,"internet","${user}","${password}"`), 'the module got the credentials');
    await until('the data connection to come up', () => r.device.pdp.state === 'active');
    assert.deepEqual({ state: r.device.pdp.state, user: r.device.pdp.user, password: r.device.pdp.password }, { state: 'active', user, password });

    await loadCa();
    await e2e.probe.run('profile', {}, 'applied');
    let socket = await opens();
    assert.equal((await echoes(socket, 'secret-free\n')).toString(), 'secret-free\n');
    await closes(socket);

    // A user types the password into an at-command node: the module is already active and says ERROR.
    const typed = await failureOf('at', { payload: `AT+MIPCALL=1,"internet","${user}","${password}"` });
    assert.equal(typed.caught.modemError.kind, 'FINAL');
    assert.ok(!JSON.stringify(typed.caught).includes(password), 'the Catch node does not see it');

    // The network refuses the next activation: the open fails, quoting the command without the password.
    const down = await e2e.probe.run('at', { payload: 'AT+MIPCALL=0' }, 'answer');
    assert.equal(down.final, 'OK');
    await until('the data connection to end', () => r.device.pdp.state === 'inactive');
    r.device.activationFails = true;
    const refused = await failureOf('open');
    assert.match(refused.caught.error.message, /the data connection did not come up \(\+MIPCALL: 0\)/);
    assert.match(refused.caught.modemError.command, /^AT\+MIPCALL=1,"internet",/);
    assert.equal(refused.decoded.payload.vendor, 'fibocom');
    r.device.activationFails = false;
    socket = await opens();
    assert.equal(r.device.pdp.password, password, 'activated again with the password');
    await closes(socket);

    const said = everythingSaid();
    const trace = said.filter((s) => s.where === 'log by cfg').map((s) => s.text);
    assert.ok(trace.filter((t) => /AT\+MIPCALL=1,"internet",/.test(t)).length >= 3, 'the AT trace logged every activation, redacted');
    assert.ok(said.some((s) => s.where === 'send by load' && s.text.includes('Modem TLS Test CA')), 'messages are part of the scan');
    assert.ok(said.some((s) => s.where.startsWith('status by')), 'statuses are part of the scan');
    for (const { where, text } of said) {
      assert.ok(!text.includes(password), `the APN password appeared in ${where}: ${text.slice(0, 160)}`);
    }
  });
});
