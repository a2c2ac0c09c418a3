/**
 * Telit end to end, the way an integrator builds it: flows of our nodes in a real Node-RED, a
 * `modem-config` on a serial port — the real `serialport` on a pseudo-terminal — behind which a
 * simulated Telit module (platform 30, 4G; platform 10, 2G, where a 2G feature is the point) opens
 * real TLS connections to local servers with a generated PKI.
 *
 * Each test deploys its own flow on a fresh modem and pty; hooks unload the flow first (closing the
 * serial port), then stop servers, pty and modem.
 */
import assert from 'node:assert/strict';
import { everythingSaid, statusesOf, statusOf, until } from '../support/flow-probe';
import { binaryPayload, flowSuite, pemBodyLines, tlsChain, type ChainOptions, type ChainSetup, type PayloadTraps } from '../support/e2e-flows';
import { startTelitRig, type TelitRig } from '../support/telit-rig';
import type { TelitModemOptions } from '../../src/simulator';

/** Secure socket 1: the CA in slot 1, profile (SSId) 1. */
const TELIT_CHAIN: ChainSetup = { load: { name: '1' }, profile: { profile: '1', ca: '1' } };

/** The nodes of a TLS flow on secure socket 1, each wired to its helper; see `tlsChain`. */
function chain(o: ChainOptions) {
  return tlsChain(TELIT_CHAIN, o);
}

/**
 * For a 100 KB payload: what a careless parser would trip over — final result codes, a prompt, a
 * URC header, the escape sequence, Ctrl-Z and ESC.
 */
const TELIT_TRAPS: PayloadTraps = {
  seed: 0x2545f491,
  traps: ['\r\nOK\r\n', '\r\nERROR\r\n', '\r\nNO CARRIER\r\n', '\r\n> ', 'SSLSRING: 1,5,', '+++', '\x1a', '\x1b', '\r\n+CME ERROR: 839\r\n'],
  spacing: 9973,
};

describe('Telit end to end: flows in Node-RED over a real serial port (pty) to the simulated module', function () {
  this.timeout(20000);
  const e2e = flowSuite<TelitRig>({ tab: 'telit e2e' });
  const { start, provision, echoes, failureOf, closes, setClockInside } = e2e;

  /** A fresh simulated module on a pty. The module answers `+++` after 100 ms of silence; the adapter reads that as S12 = 5 and escapes with it. */
  function telit(options: Partial<TelitModemOptions> = {}): TelitRig {
    return e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100, ...options }));
  }

  it('verify none: the profile is applied with a warning; open, send, and the echo is pushed back', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { verify: 'none', ca: '', checkHostname: false, checkDate: false } }));

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.profile, '1');
    assert.equal(applied.payload.applied.authMode, 0);
    assert.ok(applied.payload.warnings.some((w: string) => /verify "none"/.test(w)), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow' && /verify "none"/.test(s.text ?? ''));

    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '1');
    assert.deepEqual(opened.payload, { socket: '1', host: '127.0.0.1', port: echo.port, mode: 'command' });
    const line = 'hello, unverified world\n';
    assert.equal((await echoes('1', line)).toString('utf8'), line);
    assert.equal(echo.connections, 1);
    await closes('1');
  });

  it('verify server: the CA is loaded (verified by read-back), open, send, echo', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    // Wired as in the examples: load-cert → tls-profile → tls-open.
    await start(chain({ port: echo.port, load: { wires: [['loaded', 'profile']] }, profile: { wires: [['applied', 'open']] } }));

    const opened = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'opened', { timeoutMs: 15000 });
    const ca = await e2e.probe.next('loaded');
    assert.equal(ca.payload.certType, 'ca');
    assert.equal(ca.payload.verified, true);
    assert.match(ca.payload.subject, /Modem TLS Test CA/);
    const applied = await e2e.probe.next('applied');
    assert.equal(applied.payload.applied.authMode, 1);
    assert.deepEqual(applied.payload.warnings, []);
    await statusOf('open', (s) => s.text === `connected 127.0.0.1:${echo.port}`);

    const data = Buffer.from('server verified: \u00e9\u00e8 \u2713\n', 'utf8');
    assert.ok((await echoes(opened.socket, data)).equals(data));
    await closes('1');
  });

  it('verify mutual: CA, client certificate and RSA key loaded, echo through a server that requires a client certificate; the same server refuses a server-only profile', async () => {
    const r = telit();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    await start(chain({
      port: mutual.port,
      profile: { verify: 'mutual', cert: '1', key: '1' },
      // The same secure socket with server verification only: no client certificate is offered.
      extra: [{ id: 'serverOnly', type: 'modem-tls-profile', modem: 'cfg', profile: '1', verify: 'server', ca: '1', checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, wires: [['applied']] }],
    }));

    for (const [certType, payload, extra] of [['ca', e2e.pki.ca.cert, {}], ['cert', e2e.pki.client.cert, {}], ['key', e2e.pki.client.keyRsaPem!, { cert: e2e.pki.client.cert }]] as const) {
      const loaded = await e2e.probe.run('load', { payload, certType, ...extra }, 'loaded');
      assert.equal(loaded.payload.certType, certType);
      assert.equal(loaded.payload.verified, certType !== 'key', 'certificates are verified by read-back; a key cannot be read back');
    }
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.authMode, 2);
    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '1');
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/);
    assert.equal((await echoes('1', 'signed in with a client certificate\n')).toString(), 'signed in with a client certificate\n');
    await closes('1');

    const serverOnly = await e2e.probe.run('serverOnly', {}, 'applied');
    assert.equal(serverOnly.payload.applied.authMode, 1);
    const { caught, decoded } = await failureOf('open');
    assert.equal(caught.modemError.vendor, 'telit');
    assert.equal(caught.modemError.code, 839);
    assert.match(caught.modemError.command, /^AT#SSLD=1,/);
    assert.equal(decoded.payload.vendor, 'telit');
    assert.equal(decoded.payload.code, 839);
    assert.equal(decoded.payload.category, 'handshake');
    assert.ok(mutual.lastTlsError, 'the server refused the handshake itself');
    assert.equal(mutual.connections, 1, 'only the mutual connection was accepted');
  });

  it('wrong CA: tls-open fails; Catch → error-decode says handshake, 839', async () => {
    const r = telit();
    const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
    await start(chain({ port: other.port }));
    await provision();

    const { caught, decoded } = await failureOf('open');
    assert.equal(caught.error.source.id, 'open');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind, code: caught.modemError.code }, { vendor: 'telit', kind: 'CME', code: 839 });
    assert.equal(caught.modemError.line, '+CME ERROR: 839');
    assert.deepEqual({ vendor: decoded.payload.vendor, code: decoded.payload.code, category: decoded.payload.category }, { vendor: 'telit', code: 839, category: 'handshake' });
    assert.equal(typeof decoded.payload.hint, 'string');
    await statusOf('open', (s) => s.fill === 'red');
  });

  it('expired server certificate: refused by the modem clock in sync; the same server accepted once the modem clock is set inside its validity (clockSync off)', async () => {
    const r = telit();
    const expired = await r.server({ cert: e2e.pki.expiredServer.cert, key: e2e.pki.expiredServer.key });

    // 1. clockSync on: the modem's clock is this host's, and the certificate has expired.
    await start(chain({ port: expired.port }), { clockSync: true });
    await provision();
    const refused = await failureOf('open');
    assert.equal(refused.caught.modemError.code, 839);
    assert.deepEqual({ code: refused.decoded.payload.code, category: refused.decoded.payload.category }, { code: 839, category: 'handshake' });

    // 2. Redeploy with clockSync off, and set the modem clock into the certificate's lifetime.
    await e2e.unload();
    const mark = r.modem.log.length;
    await start(chain({ port: expired.port }), { clockSync: false });
    assert.ok(!r.linesSince(mark).some((l) => /^AT\+CCLK=/.test(l)), 'with clockSync off the config leaves the modem clock alone');
    await setClockInside(e2e.pki.expiredServer);

    const before = expired.connections;
    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '1');
    assert.equal((await echoes('1', 'accepted in its time\n')).toString(), 'accepted in its time\n');
    assert.equal(expired.connections, before + 1, 'the same server, now accepted');
    await closes('1');
  });

  for (const variant of [
    { ring: 2, title: 'SSLSRING mode 2: the data comes in the URC and tls-recv pushes it' },
    { ring: 1, title: 'SSLSRING mode 1: data is announced and read with #SSLRECV, then pushed' },
    { ring: 0, title: 'SSLSRING mode 0: nothing is pushed; the flow polls with tls-recv input messages (msg.length)' },
  ]) {
    it(`100 KB of every byte value round-trips in COMMAND mode (#SSLSENDEXT) — ${variant.title}`, async function () {
      const r = telit();
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      const vendorOptions = variant.ring === 2 ? '' : JSON.stringify({ sslSRingMode: variant.ring });
      await start(chain({ port: echo.port, profile: { vendorOptions } }));
      const applied = await provision();
      assert.equal(applied.payload.applied.sslSRingMode, variant.ring);
      const opened = await e2e.probe.run('open', {}, 'opened');
      const data = binaryPayload(TELIT_TRAPS);
      assert.equal(new Set(data).size, 256);
      const mark = r.modem.log.length;

      let echoed: Buffer;
      if (variant.ring === 0) {
        const sent = await e2e.probe.run('send', { socket: opened.socket, payload: data }, 'sent', { timeoutMs: 15000 });
        assert.deepEqual(sent.payload, { socket: '1', bytes: data.length });
        const parts: Buffer[] = [];
        let total = 0;
        let polls = 0;
        for (; total < data.length; polls++) {
          assert.ok(polls < 200, `only ${total} bytes after ${polls} polls`);
          const got = await e2e.probe.run('recv', { socket: opened.socket, length: data.length - total, timeout: 1000 }, 'received', { timeoutMs: 15000 });
          assert.equal(got.topic, 'data');
          parts.push(got.payload);
          total += got.payload.length;
        }
        echoed = Buffer.concat(parts);
        assert.equal(e2e.probe.all('received').length, polls, 'tls-recv sent one message per poll and pushed nothing');
      } else {
        echoed = await echoes(opened.socket, data);
      }
      assert.equal(echoed.length, data.length);
      assert.ok(echoed.equals(data), 'the echo is the payload, byte for byte');

      const lines = r.linesSince(mark);
      assert.equal(lines.filter((l) => /^AT#SSLSENDEXT=1,\d+$/.test(l)).length, Math.ceil(data.length / 1500));
      assert.equal(lines.filter((l) => /^AT#SSLSEND=/.test(l)).length, 0, 'binary data never goes through the Ctrl-Z form');
      const reads = lines.filter((l) => /^AT#SSLRECV=/.test(l)).length;
      if (variant.ring === 2) assert.equal(reads, 0, 'mode 2 needs no #SSLRECV');
      else assert.ok(reads >= Math.ceil(data.length / 1000), `${reads} reads of at most 1000 bytes`);
      await closes('1');
    });
  }

  it('ONLINE mode: data flows transparently; suspend with +++ keeps the connection (#SSLS shows it), resume with #SSLO continues it, then a normal close', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({
      port: echo.port,
      // <txTo> 1: the module sends what it has after 100 ms instead of 5 s (§6.7).
      profile: { vendorOptions: '{"txTo": 1}' },
      open: { mode: 'online' },
      extra: [
        { id: 'suspend', type: 'modem-tls-close', modem: 'cfg', socket: '1', vendorOptions: '{"suspend": true}', wires: [['closed']] },
        { id: 'resume', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: String(echo.port), mode: 'online', vendorOptions: '{"resume": true}', wires: [['opened']] },
      ],
    }));
    await provision();
    const mark = r.modem.log.length;
    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.payload.mode, 'online');
    // Every byte value, `OK` and an unguarded `+++`; not a `NO CARRIER` line, which in ONLINE mode
    // is how the module says the connection ended (V.250), whoever wrote it.
    const binary = Buffer.concat([Buffer.from('online: '), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\nOK\r\n+++ data\r\n')]);
    assert.ok((await echoes('1', binary)).equals(binary), 'ONLINE mode carries every byte value');
    assert.equal(r.linesSince(mark).filter((l) => /^AT#SSLSEND/.test(l)).length, 0, 'no send command in ONLINE mode');

    const suspended = await e2e.probe.run('suspend', {}, 'closed');
    assert.equal(suspended.socket, '1');
    const ssls = await e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
    assert.match(ssls.payload[0], /^#SSLS: 1,2,/, 'the connection is still open while suspended');
    // Suspended, the connection works in COMMAND mode too (§7.4.3).
    assert.equal((await echoes('1', 'while suspended\n')).toString(), 'while suspended\n');

    const resumed = await e2e.probe.run('resume', {}, 'opened');
    assert.equal(resumed.payload.mode, 'online');
    assert.ok(r.linesSince(mark).includes('AT#SSLO=1'));
    assert.equal((await echoes('1', 'after resume\n')).toString(), 'after resume\n');
    assert.equal(echo.connections, 1, 'one connection throughout');

    await closes('1');
    const after = await e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
    assert.match(after.payload[0], /^#SSLS: 1,1$/, 'closed, the socket is enabled and idle');
  });

  it('a large send goes ONLINE by itself when that is the quicker way (#SSLO, the bytes, +++) and comes back: the echo arrives whole and in order, and a second socket, at-command, COMMAND-mode sends and close still work', async () => {
    // S12 = 1 (20 ms guard times, shorter than a module takes: 20..255) makes ONLINE mode the
    // quicker way for 256 KiB at 921600 baud; the module paces both directions at that rate.
    const r = telit({ escapeGuardMs: 20, baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name: '2' }, 'loaded');
    await e2e.probe.run('profile', { profile: '2', ca: '2' }, 'applied');
    assert.equal((await e2e.probe.run('open', {}, 'opened')).socket, '1');
    assert.equal((await e2e.probe.run('open', { profile: '2' }, 'opened')).socket, '2');
    // Every byte value and the traps, but no `NO CARRIER` line: echoed back while the port is
    // ONLINE it would read as the end of the connection, as in any ONLINE mode (V.250).
    const data = binaryPayload({ ...TELIT_TRAPS, traps: TELIT_TRAPS.traps.filter((t) => !t.includes('NO CARRIER')) }, 256 * 1024);
    const mark = r.modem.log.length;

    const echoed = await echoes('1', data, 30000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), 'the echo is the payload, byte for byte, in order');
    const lines = r.linesSince(mark);
    assert.deepEqual(lines.filter((l) => /^AT#SSL(O|SEND|SENDEXT)=/.test(l)), ['AT#SSLO=1'], lines.join(' | '));

    // COMMAND mode again: the other socket, a raw command, a small send on the same socket.
    assert.equal((await echoes('2', 'the second socket\n')).toString(), 'the second socket\n');
    const ssls = await e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
    assert.match(ssls.payload[0], /^#SSLS: 1,2,/);
    assert.equal((await echoes('1', 'small, in COMMAND mode\n')).toString(), 'small, in COMMAND mode\n');
    assert.ok(r.linesSince(mark).includes('AT#SSLSEND=1'));
    assert.equal(echo.connections, 2);
    await closes('1');
    await closes('2');
  });

  it('closed by the server: tls-recv says so; closed by the flow: tls-close confirms, and a later tls-send on that socket fails with a ModemError', async () => {
    const r = telit();
    const brief = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, closeAfterBytes: 5 });
    await start(chain({ port: brief.port }));
    await provision();

    let opened = await e2e.probe.run('open', {}, 'opened');
    const sent = await e2e.probe.run('send', { socket: opened.socket, payload: 'hello, and goodbye' }, 'sent');
    assert.equal(sent.payload.bytes, 18);
    assert.equal((await e2e.probe.bytes('received', '1', 5)).toString(), 'hello');
    const byPeer = await e2e.probe.next('received', (m) => m.topic === 'closed');
    assert.equal(byPeer.socket, '1');
    assert.ok(Buffer.isBuffer(byPeer.payload) && byPeer.payload.length === 0);
    assert.equal(byPeer.reason, 'closed by the server');
    await statusOf('open', (s) => s.fill === 'grey' && /closed by the server/.test(s.text ?? ''));

    opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '1', 'the socket can be opened again');
    await closes('1');
    // Refused before anything is sent, naming the socket and why it is gone, not a raw 833 from the module.
    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('send', { socket: '1', payload: 'too late' });
    assert.equal(caught.error.source.id, 'send');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind, field: caught.modemError.field }, { vendor: 'telit', kind: 'PARAMETER', field: 'msg.socket' });
    assert.match(caught.error.message, /msg\.socket: secure socket 1 is no longer open \(closed by the flow\); open it again with tls-open$/);
    assert.deepEqual({ code: decoded.payload.code, name: decoded.payload.name, category: decoded.payload.category }, { code: 'PARAMETER', name: 'invalid msg.socket', category: 'parameter' });
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
    // A socket no flow ever opened is refused the same way, naming those that are open (none).
    const never = await failureOf('send', { socket: '2', payload: 'nobody home' });
    assert.match(never.caught.error.message, /msg\.socket: secure socket 2 is not open; no connection is/);
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
    assert.equal(e2e.probe.all('sent').length, 1, 'nothing more was reported sent');
  });

  it('secrets: an encrypted key with its password as a credential — neither the password nor key material appears in any message, status or log (AT trace on)', async () => {
    const r = telit();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    const password = 'correct horse battery staple 7';
    const wrongPassword = 'not-the-password-42';
    const encrypted = e2e.pki.client.encryptedKey(password);
    await start(
      chain({
        port: mutual.port,
        profile: { verify: 'mutual', cert: '1', key: '1' },
        extra: [{ id: 'loadKey', type: 'modem-load-cert', modem: 'cfg', certType: 'key', name: '1', matchCert: e2e.pki.client.cert, wires: [['loaded']] }],
      }),
      { traceAt: true },
      { loadKey: { password } },
    );

    await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    await e2e.probe.run('load', { payload: e2e.pki.client.cert, certType: 'cert' }, 'loaded');
    // A wrong password on the message fails, naming neither it nor the key.
    const refused = await e2e.probe.failure('loadKey', { payload: encrypted, password: wrongPassword });
    assert.equal(refused.modemError.kind, 'PARAMETER');
    assert.equal(refused.payload, undefined);
    assert.equal(refused.password, undefined);
    // The credential's password decrypts it.
    const key = await e2e.probe.run('loadKey', { payload: encrypted }, 'loaded');
    assert.deepEqual(Object.keys(key.payload).sort(), ['bytes', 'certType', 'format', 'name', 'unchanged', 'verified', 'warnings']);
    await statusOf('loadKey', (s) => /^key 1 stored/.test(s.text ?? ''));
    await e2e.probe.run('profile', {}, 'applied');
    await e2e.probe.run('open', {}, 'opened');
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/, 'the decrypted key is the one the modem signs with');
    assert.equal((await echoes('1', 'secret-free\n')).toString(), 'secret-free\n');
    await closes('1');

    const said = everythingSaid();
    // The scan sees messages: the CA's summary went out of load-cert.
    assert.ok(said.some((s) => s.where === 'send by load' && s.text.includes('Modem TLS Test CA')), 'messages are part of the scan');
    // The AT trace did run over the key upload: a leak there would show.
    assert.ok(said.some((s) => s.where.startsWith('log by cfg') && /AT#SSLSECDATA=1,1,2,\d+/.test(s.text)), 'the AT trace logged the key upload command');
    assert.ok(statusesOf('loadKey').length >= 3);
    const secrets: Array<[string, string]> = [
      ['the password', password],
      ['the wrong password', wrongPassword],
      ['a PEM key header', 'PRIVATE KEY'],
      ...[e2e.pki.client.key, e2e.pki.client.keyRsaPem!, encrypted].flatMap((pem) => pemBodyLines(pem).map((line) => ['a line of key PEM', line] as [string, string])),
      ['raw key bytes (PKCS#8 DER)', e2e.pki.client.keyDer.subarray(64, 96).toString('latin1')],
      ['raw key bytes (PKCS#1 DER)', e2e.pki.client.keyRsaDer!.subarray(64, 96).toString('latin1')],
    ];
    for (const { where, text } of said) {
      for (const [what, secret] of secrets) {
        assert.ok(!text.includes(secret), `${what} appeared in ${where}: ${text.slice(0, 120)}`);
      }
    }
  });

  it('2G (platform 10): closureType 1 keeps the TLS session; fastDial (#SSLFASTD) resumes it without a full handshake', async () => {
    const r = telit({ platform: '10' });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, maxVersion: 'TLSv1.2' });
    const resumed: boolean[] = [];
    echo.on('connection', (socket) => resumed.push(socket.isSessionReused()));
    // 2G modules choose neither the TLS version nor SNI (§6.3.1): the profile leaves them to the module.
    await start(chain({ port: echo.port, profile: { tlsVersion: 'auto', sni: false } }), { platform: '10' });
    const applied = await provision();
    assert.deepEqual(applied.payload.warnings, []);

    const mark = r.modem.log.length;
    let opened = await e2e.probe.run('open', { vendorOptions: { closureType: 1 } }, 'opened');
    assert.equal((await echoes(opened.socket, 'first, full handshake\n')).toString(), 'first, full handshake\n');
    await closes('1');
    opened = await e2e.probe.run('open', { vendorOptions: { fastDial: true } }, 'opened');
    assert.equal(opened.socket, '1');
    assert.equal((await echoes('1', 'second, resumed\n')).toString(), 'second, resumed\n');
    const closed = await e2e.probe.run('close', { socket: '1', vendorOptions: { closureType: 0 } }, 'closed');
    assert.deepEqual(closed.payload, { socket: '1', closed: true });

    const lines = r.linesSince(mark);
    assert.ok(lines.some((l) => /^AT#SSLD=1,\d+,"127\.0\.0\.1",1,1$/.test(l)), lines.join(' | '));
    assert.ok(lines.includes('AT#SSLFASTD=1,1'), lines.join(' | '));
    assert.ok(lines.includes('AT#SSLH=1,0'), lines.join(' | '));
    await until('two connections at the server', () => resumed.length === 2);
    assert.deepEqual(resumed, [false, true], 'the second connection resumed the first one’s session');
  });
});
