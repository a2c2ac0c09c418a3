/**
 * u-blox end to end, the way an integrator builds it: flows of our nodes in a real Node-RED, a
 * `modem-config` (vendor `ublox`, platform `SARA-R5`) on a serial port — the real `serialport` on a
 * pseudo-terminal — behind which a simulated SARA-R5 stores certificates under names (+USECMNG),
 * keeps security profiles 0..4 (+USECPRF) and opens real TLS connections on sockets 0..6
 * (+USOCR/+USOSEC/+USOCO, data with +USOWR — binary or HEX mode — or direct link out, +USORD in,
 * pushed by +UUSORD) to local servers with a generated PKI.
 *
 * Each test deploys its own flow on a fresh modem and pty; hooks unload the flow first (closing the
 * serial port), then stop servers, pty and modem.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { everythingSaid, statusesOf, statusOf, type Msg } from '../support/flow-probe';
import { binaryPayload, flowSuite, pemBodyLines, tlsChain, type ChainOptions, type ChainSetup, type PayloadTraps } from '../support/e2e-flows';
import helper from '../support/red-helper';
import { startUbloxRig, type UbloxRig } from '../support/ublox-rig';
import type { UbloxModemOptions } from '../../src/simulator/dialects/ublox';

/** The CA stored as "demo-ca"; security profile 0 at validation level 3. */
const UBLOX_CHAIN: ChainSetup = { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' } };

/** The nodes of a u-blox TLS flow, each wired to its helper; see `tlsChain`. */
function chain(o: ChainOptions) {
  return tlsChain(UBLOX_CHAIN, o);
}

/** The settings of tls-profile for validation level `level` (0 none … 3 chain, host name and dates), on profile `level`. */
function level(n: 0 | 1 | 2 | 3, profile: string = String(n)): Msg {
  return { profile, verify: n === 0 ? 'none' : 'server', checkHostname: n >= 2, checkDate: n >= 3 };
}

/**
 * For a 100 KB payload: what a careless u-blox parser would trip over — the quote that ends a
 * +USORD payload, final result codes, the `@` prompt of +USOWR, the URCs and answers of sockets;
 * and at a chunk boundary (1024), right after a quote and inside an `OK`.
 */
const UBLOX_TRAPS: PayloadTraps = {
  seed: 0x2545f491,
  traps: ['"', '\r\nOK\r\n', '@', '"\r\nOK\r\n', '\r\nERROR\r\n', '\r\n+UUSORD: 0,5\r\n', '+USORD: 0,3,"abc"\r\n', '\r\n+UUSOCL: 0\r\n', '\r\n+CME ERROR: 3\r\n', '\r\n@', '\x1a', '\x1b'],
  spacing: 8179,
  at: [[1023, '"'], [2046, '\r\nOK\r\n']],
};

function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

describe('u-blox end to end: flows in Node-RED over a real serial port (pty) to the simulated SARA-R5', function () {
  this.timeout(20000);
  const e2e = flowSuite<UbloxRig>({ tab: 'u-blox e2e', sockets: /^[0-6]$/ });
  const { start, provision, opens, echoes, failureOf, closes, setClockInside } = e2e;

  /** A fresh simulated SARA-R5 on a pty. */
  function ublox(options: UbloxModemOptions = {}): UbloxRig {
    return e2e.use(startUbloxRig(options));
  }

  /** A refused tls-open explained: the socket error number read with +USOCTL, category handshake, and the socket freed. */
  async function refusedHandshake(msg: Msg = {}): Promise<{ caught: Msg; decoded: Msg }> {
    const r = e2e.rig;
    const mark = r.modem.log.length;
    const result = await failureOf('open', msg);
    const { caught, decoded } = result;
    assert.equal(caught.error.source.id, 'open');
    assert.equal(caught.modemError.vendor, 'ublox');
    assert.equal(caught.modemError.code, 'errno 103');
    assert.match(caught.modemError.line, /^\+USOCTL: \d,1,103$/);
    assert.match(caught.modemError.command, /^AT\+USOCO=\d,"127\.0\.0\.1",\d+$/);
    assert.match(caught.error.message, /ECONNABORTED/);
    assert.deepEqual({ vendor: decoded.payload.vendor, code: decoded.payload.code, category: decoded.payload.category }, { vendor: 'ublox', code: 'errno 103', category: 'handshake' });
    assert.match(decoded.payload.name, /ECONNABORTED/);
    assert.equal(typeof decoded.payload.hint, 'string');
    const lines = r.linesSince(mark);
    const socket = /^\+USOCTL: (\d)/.exec(caught.modemError.line)![1];
    assert.ok(lines.includes(`AT+USOCL=${socket}`), `the failed socket is freed: ${lines.join(' | ')}`);
    assert.ok(r.device.sockets.every((s) => s === undefined), 'no socket is left behind');
    await statusOf('open', (s) => s.fill === 'red');
    return result;
  }

  it('validation levels 0..3 (verify none with a warning; the chain; + host name; + dates): each profile echoes against a good server', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.equal(ca.payload.verified, true);

    for (const n of [0, 1, 2, 3] as const) {
      const applied = await e2e.probe.run('profile', level(n), 'applied');
      assert.equal(applied.payload.profile, String(n));
      assert.equal(applied.payload.applied.validationLevel, n);
      assert.equal(r.device.profiles[n]!.validation, n, `the module holds level ${n} in profile ${n}`);
      if (n === 0) {
        assert.ok(applied.payload.warnings.some((w: string) => /verify "none"/.test(w)), JSON.stringify(applied.payload.warnings));
        await statusOf('profile', (s) => s.fill === 'yellow' && /verify "none"/.test(s.text ?? ''));
      } else {
        assert.deepEqual(applied.payload.warnings, []);
        assert.equal(r.device.profiles[n]!.caName, 'demo-ca');
      }
      const socket = await opens({ profile: String(n) });
      if (n >= 2) assert.equal(r.device.profiles[n]!.hostname, '127.0.0.1', 'op 4 follows the host opened');
      const line = `level ${n}: hello\n`;
      assert.equal((await echoes(socket, line)).toString(), line);
      await closes(socket);
    }
    assert.equal(echo.connections, 4);
  });

  it('mutual TLS: CA, client certificate and key stored by name (demo-ca, modem-cert, modem-key), echo through a server that requires a client certificate', async () => {
    const r = ublox();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    await start(chain({ port: mutual.port, profile: { verify: 'mutual', cert: 'modem-cert', key: 'modem-key' } }));

    for (const [certType, name, payload, extra] of [
      ['ca', 'demo-ca', e2e.pki.ca.cert, {}],
      ['cert', 'modem-cert', e2e.pki.client.cert, {}],
      ['key', 'modem-key', e2e.pki.client.key, { cert: e2e.pki.client.cert }],
    ] as const) {
      const stored = await e2e.probe.run('load', { payload, certType, name, ...extra }, 'loaded');
      assert.equal(stored.payload.certType, certType);
      assert.equal(stored.payload.name, name);
      assert.equal(stored.payload.verified, true, `${certType} verified by the MD5 the module computed`);
      assert.equal(stored.payload.unchanged, false);
      assert.equal('md5' in stored.payload, certType !== 'key', 'a key’s fingerprint is not given out');
    }
    assert.deepEqual([...r.device.user.values()].map((i) => i.name).sort(), ['demo-ca', 'modem-cert', 'modem-key']);

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.deepEqual(
      { level: applied.payload.applied.validationLevel, ca: applied.payload.applied.ca, cert: applied.payload.applied.cert, key: applied.payload.applied.key },
      { level: 3, ca: 'demo-ca', cert: 'modem-cert', key: 'modem-key' },
    );
    const socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/);
    assert.equal((await echoes(socket, 'signed in with a client certificate\n')).toString(), 'signed in with a client certificate\n');
    await closes(socket);
    assert.equal(mutual.connections, 1);
  });

  it('wrong CA: tls-open fails; Catch → error-decode explains it (handshake, errno 103 ECONNABORTED)', async () => {
    const r = ublox();
    const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
    await start(chain({ port: other.port }));
    await provision();

    await refusedHandshake();
    assert.equal(r.device.lastFailure?.cause, 'unknown-ca');
  });

  it('hostname mismatch: refused at levels 2 and 3, accepted at level 1 by the same server', async () => {
    const r = ublox();
    const wrongHost = await r.server({ cert: e2e.pki.wrongHostServer.cert, key: e2e.pki.wrongHostServer.key });
    await start(chain({ port: wrongHost.port }));
    await provision();

    for (const n of [2, 3] as const) {
      await e2e.probe.run('profile', level(n), 'applied');
      await refusedHandshake({ profile: String(n) });
      assert.equal(r.device.lastFailure?.cause, 'hostname-mismatch');
    }
    const applied = await e2e.probe.run('profile', level(1), 'applied');
    assert.equal(applied.payload.applied.validationLevel, 1);
    const socket = await opens({ profile: '1' });
    assert.equal((await echoes(socket, 'any name will do at level 1\n')).toString(), 'any name will do at level 1\n');
    await closes(socket);
  });

  it('expired server certificate: refused at level 3 by the module clock; accepted at level 2; accepted at level 3 once AT+CCLK sets the clock inside its validity (clockSync off)', async () => {
    const r = ublox();
    const expired = await r.server({ cert: e2e.pki.expiredServer.cert, key: e2e.pki.expiredServer.key });

    // 1. clockSync on: the module's clock is this host's, and the certificate has expired.
    const mark = r.modem.log.length;
    await start(chain({ port: expired.port }), { clockSync: true });
    assert.ok(r.linesSince(mark).some((l) => /^AT\+CCLK="/.test(l)), 'clockSync sets the module clock');
    await provision();
    await refusedHandshake();
    assert.equal(r.device.lastFailure?.cause, 'expired');

    // 2. Level 2 does not look at dates.
    await e2e.probe.run('profile', level(2, '1'), 'applied');
    let socket = await opens({ profile: '1' });
    assert.equal((await echoes(socket, 'dates unchecked\n')).toString(), 'dates unchecked\n');
    await closes(socket);

    // 3. Redeploy with clockSync off, and set the module clock into the certificate's lifetime.
    await e2e.unload();
    const again = r.modem.log.length;
    await start(chain({ port: expired.port }), { clockSync: false });
    assert.ok(!r.linesSince(again).some((l) => /^AT\+CCLK=/.test(l)), 'with clockSync off the config leaves the module clock alone');
    await setClockInside(e2e.pki.expiredServer);

    // The certificates and the profile are still in the module; applying it again writes nothing.
    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.equal(applied.payload.applied.validationLevel, 3);
    await statusOf('profile', (s) => s.text === 'profile 0 unchanged');
    const before = expired.connections;
    socket = await opens();
    assert.equal((await echoes(socket, 'accepted in its time\n')).toString(), 'accepted in its time\n');
    assert.equal(expired.connections, before + 1, 'the same server, now accepted at level 3');
    await closes(socket);
  });

  it('a character that would become another byte is refused naming the field and the character; nothing reaches the module', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    const mark = r.modem.log.length;
    // U+0122 narrowed to one byte is a double quote, U+010D a CR: each would break the argument list.
    const cases: Array<[string, Msg, string, RegExp]> = [
      ['load', { payload: e2e.pki.ca.cert, name: 'acc\u0122,1,\u0122X' }, 'name', /"Ģ" \(U\+0122\) at position 3/],
      ['load', { payload: e2e.pki.ca.cert, name: 'zertifikat-ü-😀' }, 'name', /"ü" \(U\+00FC\) at position 11/],
      ['profile', { hostname: 'a\u0122,1,\u0122X' }, 'hostname', /U\+0122/],
      ['open', { host: 'ex\u010dample.com' }, 'host', /ex\u010dample\.com|U\+010D/],
      ['at', { payload: 'AT+CGMM\u010dAT+X=5' }, 'msg.payload', /U\+010D\) at position 7/],
    ];
    for (const [node, msg, field, pattern] of cases) {
      const { caught, decoded } = await failureOf(node, msg);
      assert.deepEqual([caught.modemError.kind, caught.modemError.field], ['PARAMETER', field], `${node}: ${caught.error.message}`);
      assert.match(caught.error.message, pattern);
      assert.equal(decoded.payload.category, 'parameter');
    }
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
  });

  it('MD5-verified upload: load-cert reports the MD5 of the DER the module stored; a second identical upload is unchanged and imports nothing', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    const der = new X509Certificate(e2e.pki.ca.cert).raw;
    const expected = md5Hex(der);

    let mark = r.modem.log.length;
    const first = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.deepEqual(
      { name: first.payload.name, certType: first.payload.certType, verified: first.payload.verified, unchanged: first.payload.unchanged, md5: first.payload.md5 },
      { name: 'demo-ca', certType: 'ca', verified: true, unchanged: false, md5: expected },
    );
    assert.match(first.payload.subject, /Modem TLS Test CA/);
    let lines = r.linesSince(mark);
    assert.ok(lines.some((l) => /^AT\+USECMNG=0,0,"demo-ca",\d+$/.test(l)), lines.join(' | '));
    assert.equal(md5Hex(r.device.find(0, 'demo-ca')!.der), expected, 'the module holds that DER');
    await statusOf('load', (s) => /^ca demo-ca ✓ verified/.test(s.text ?? ''));

    mark = r.modem.log.length;
    const second = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.deepEqual({ verified: second.payload.verified, unchanged: second.payload.unchanged, md5: second.payload.md5 }, { verified: true, unchanged: true, md5: expected });
    lines = r.linesSince(mark);
    assert.ok(lines.includes('AT+USECMNG=4,0,"demo-ca"'), 'the stored MD5 is asked for');
    assert.ok(!lines.some((l) => /^AT\+USECMNG=0/.test(l)), `nothing is imported again: ${lines.join(' | ')}`);
    await statusOf('load', (s) => s.text === 'ca demo-ca unchanged');

    // The module says the same to an at-command node, as in the u-blox certificate inventory example.
    const asked = await e2e.probe.run('at', { payload: 'AT+USECMNG=4,0,"demo-ca"' }, 'answer');
    assert.ok(asked.payload.some((l: string) => l.toLowerCase().includes(`"${expected}"`)), JSON.stringify(asked.payload));
  });

  it('100 KB of every byte value (with ", \\r\\nOK\\r\\n, @ and +++) round-trips intact at 921600: direct link out (+USODL … +++ … DISCONNECT) while the echo comes back raw, tls-recv pushes', async () => {
    // S12 = 5: 100 ms guard times around the escape.
    const r = ublox({ escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    const socket = await opens();
    const data = binaryPayload(UBLOX_TRAPS);
    Buffer.from('+++').copy(data, 5000);
    assert.equal(new Set(data).size, 256);
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), 'the echo is the payload, byte for byte');

    const lines = r.linesSince(mark);
    assert.deepEqual(lines.filter((l) => /^AT(\+USODL|\+USOWR|\+UDCONF|S12)/.test(l)), ['ATS12?', `AT+USODL=${socket}`], lines.join(' | '));
    await closes(socket);
  });

  it('each send takes the quickest way for its size (HEX mode, the binary syntax, direct link): every byte arrives, in order, both ways across the switches; another socket and at-command work meanwhile', async function () {
    this.timeout(30000);
    const r = ublox({ escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const one = await opens();
    const two = await opens();
    const all = binaryPayload(UBLOX_TRAPS, 200 + 2000 + 12000 + 100 + 1500);
    const [tiny, middle, large, last, other] = [all.subarray(0, 200), all.subarray(200, 2200), all.subarray(2200, 14200), all.subarray(14200, 14300), all.subarray(14300)];
    const mark = r.modem.log.length;
    const sent = (socket: string, payload: Buffer): Promise<Msg> => {
      const out = e2e.probe.next('sent', (m) => m.payload?.socket === socket, 20000);
      helper.getNode('send').receive({ socket, payload });
      return out;
    };

    // At 115200 with 100 ms guard times: HEX mode for 200 bytes, the binary syntax for 2000, direct link for 12000.
    assert.equal((await sent(one, tiny)).payload.bytes, tiny.length);
    assert.equal((await sent(one, middle)).payload.bytes, middle.length);
    // Direct link on one socket; meanwhile a send on the other and an at-command wait their turn.
    const [big, beside, answer] = await Promise.all([sent(one, large), sent(two, other), e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer', { timeoutMs: 20000 })]);
    assert.deepEqual([big.payload.bytes, beside.payload.bytes], [large.length, other.length]);
    assert.deepEqual(answer.payload, ['SARA-R510M8S']);
    assert.equal((await sent(one, last)).payload.bytes, last.length);

    const back = await e2e.probe.bytes('received', one, 14300, 20000);
    assert.ok(back.equals(all.subarray(0, 14300)), 'socket one: its bytes back, in order');
    assert.ok((await e2e.probe.bytes('received', two, other.length, 20000)).equals(other), 'socket two: its own bytes');

    const lines = r.linesSince(mark).filter((l) => /^AT(\+USODL|\+USOWR|\+UDCONF)/.test(l)).map((l) => l.replace(/"[0-9A-F]+"$/, '"<hex>"'));
    const on = (socket: string): string[] => lines.filter((l) => new RegExp(`^AT\\+USO(WR|DL)=${socket}\\b`).test(l));
    assert.deepEqual(on(one), [`AT+USOWR=${one},200,"<hex>"`, `AT+USOWR=${one},1024`, `AT+USOWR=${one},976`, `AT+USODL=${one}`, `AT+USOWR=${one},100,"<hex>"`], lines.join(' | '));
    assert.deepEqual(on(two), [`AT+USOWR=${two},1024`, `AT+USOWR=${two},476`], lines.join(' | '));
    // HEX mode only around the hex writes, each in one piece.
    lines.forEach((l, k) => {
      if (l.endsWith('"<hex>"')) assert.deepEqual([lines[k - 1], lines[k + 1]], ['AT+UDCONF=1,1', 'AT+UDCONF=1,0'], lines.join(' | '));
    });
    assert.equal(lines.filter((l) => l.startsWith('AT+UDCONF')).length, 4);
    await closes(one);
    await closes(two);
  });

  it('four concurrent TLS sockets (two profiles shared) echo independently; a fifth tls-open is refused before anything reaches the module', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision(level(3, '0'));
    await e2e.probe.run('profile', level(1, '1'), 'applied');

    const sockets: string[] = [];
    for (const profile of ['0', '1', '0', '1']) sockets.push(await opens({ profile }));
    assert.equal(new Set(sockets).size, 4, `four different sockets: ${sockets.join(', ')}`);
    assert.equal(r.device.tlsInUse, 4);
    assert.equal(echo.connections, 4);

    // Different data on each, sent one after the other, read back on all four at once.
    const payloads = sockets.map((s, i) => Buffer.concat([Buffer.from(`socket ${s}: `), Buffer.alloc(3000 + i * 517, 0x41 + i), Buffer.from('\r\nOK\r\n"@')]));
    for (const [i, s] of sockets.entries()) {
      const sent = await e2e.probe.run('send', { socket: s, payload: payloads[i] }, 'sent');
      assert.deepEqual(sent.payload, { socket: s, bytes: payloads[i]!.length });
    }
    const echoed = await Promise.all(sockets.map((s, i) => e2e.probe.bytes('received', s, payloads[i]!.length)));
    echoed.forEach((got, i) => assert.ok(got.equals(payloads[i]!), `socket ${sockets[i]} got its own data back`));

    const mark = r.modem.log.length;
    const { caught } = await failureOf('open', { profile: '1' });
    assert.equal(caught.modemError.kind, 'PARAMETER');
    assert.equal(caught.modemError.field, 'socket');
    assert.match(caught.error.message, /at most 4 TLS connections/);
    assert.match(caught.error.message, /close one first/);
    const lines = r.linesSince(mark);
    assert.ok(!lines.some((l) => /^AT\+USO(CR|SEC|CO)/.test(l)), `nothing was sent for the fifth: ${lines.join(' | ')}`);
    assert.equal(echo.connections, 4);

    // Close one: the fifth fits now.
    await closes(sockets[0]!);
    const fifth = await opens({ profile: '1' });
    assert.equal(fifth, sockets[0], 'the module reuses the lowest free socket');
    assert.equal((await echoes(fifth, 'the fifth, in its turn\n')).toString(), 'the fifth, in its turn\n');
    for (const s of [fifth, ...sockets.slice(1)]) await closes(s);
    assert.equal(r.device.tlsInUse, 0);
  });

  it('closed by the server: +UUSOCL reaches tls-recv as topic "closed"; closed by the flow: tls-close confirms, and a later tls-send fails with a ModemError', async () => {
    const r = ublox();
    const brief = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, closeAfterBytes: 5 });
    await start(chain({ port: brief.port }), { traceAt: true });
    await provision();

    let socket = await opens();
    const sent = await e2e.probe.run('send', { socket, payload: 'hello, and goodbye' }, 'sent');
    assert.equal(sent.payload.bytes, 18);
    assert.equal((await e2e.probe.bytes('received', socket, 5)).toString(), 'hello');
    const byPeer = await e2e.probe.next('received', (m) => m.topic === 'closed');
    assert.equal(byPeer.socket, socket);
    assert.ok(Buffer.isBuffer(byPeer.payload) && byPeer.payload.length === 0);
    assert.equal(byPeer.reason, 'closed by the server');
    await statusOf('open', (s) => s.fill === 'grey' && /closed by the server/.test(s.text ?? ''));
    const traced = everythingSaid().filter((s) => s.where === 'log by cfg').map((s) => s.text);
    assert.ok(traced.some((t) => t.includes(`+UUSOCL: ${socket}`)), 'the module said so with +UUSOCL');
    assert.ok(r.device.sockets.every((s) => s === undefined));

    socket = await opens();
    assert.equal(socket, '0', 'the socket can be opened again');
    await closes(socket);
    // Refused before anything is sent, naming the socket and why it is gone, not a raw "operation not allowed".
    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('send', { socket, payload: 'too late' });
    assert.equal(caught.error.source.id, 'send');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind, field: caught.modemError.field }, { vendor: 'ublox', kind: 'PARAMETER', field: 'msg.socket' });
    assert.match(caught.error.message, /msg\.socket: socket 0 is no longer open \(closed by the flow\); open it again with tls-open$/);
    assert.deepEqual({ vendor: decoded.payload.vendor, code: decoded.payload.code, category: decoded.payload.category }, { vendor: 'ublox', code: 'PARAMETER', category: 'parameter' });
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
    assert.equal(e2e.probe.all('sent').length, 1, 'nothing more was reported sent');
  });

  it('secrets: a session ticket given in msg.vendorOptions is written to the module, and leaves the message — neither the output, the Catch node, a status nor the log shows it', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { traceAt: true });
    await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    const ticket = Buffer.from('session-ticket-bytes-0123456789abcdef', 'latin1').toString('base64');
    const applied = await e2e.probe.run('profile', { vendorOptions: { sessionTicket: ticket, sessionResumption: true } }, 'applied');
    assert.deepEqual(applied.vendorOptions, { sessionResumption: true }, 'the ticket left the message');
    assert.ok(applied.payload.applied.secretsWritten.includes('sessionTicket'));
    assert.ok(r.linesSince(0).some((l) => l.includes(ticket)), 'the module got it');
    // The same in a whole msg.profile, and on a failure that a Catch node sees.
    const { caught } = await failureOf('profile', { profile: { profile: '0', verify: 'server', ca: 'demo-ca', vendorOptions: { sessionTicket: ticket, pinLevel: 7 } } });
    assert.deepEqual(caught.profile.vendorOptions, { pinLevel: 7 });
    // Options that cannot be read (a stray comma in the JSON) may hold the ticket too: they leave the message.
    const garbled = await failureOf('profile', { vendorOptions: `{"sessionTicket": "${ticket}",}` });
    assert.equal(garbled.caught.vendorOptions, undefined);
    assert.equal(garbled.caught.modemError.field, 'vendorOptions');
    assert.ok(!JSON.stringify(garbled.caught).includes(ticket));
    const said = everythingSaid().map((x) => x.text).join('\n');
    assert.ok(!said.includes(ticket), 'never said anywhere');
  });

  it('secrets: a key kept encrypted with its password (credential), a key password and a PSK in the profile — none appears in any message, status or log (AT trace on)', async () => {
    const r = ublox();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    const password = 'correct horse battery staple 7';
    const wrongPassword = 'not-the-password-42';
    const psk = 'psk-0f1e2d3c4b5a69788796a5b4';
    const pskIdentity = 'modem-identity-5eb63bbbe0';
    const encrypted = e2e.pki.client.encryptedKey(password);
    await start(
      chain({
        port: mutual.port,
        profile: { verify: 'mutual', cert: 'modem-cert', key: 'modem-key' },
        extra: [
          { id: 'loadKey', type: 'modem-load-cert', modem: 'cfg', certType: 'key', name: 'modem-key', format: 'auto', matchCert: e2e.pki.client.cert, vendorOptions: '{"keepEncrypted": true}', wires: [['loaded']] },
          { id: 'pskProfile', type: 'modem-tls-profile', modem: 'cfg', profile: '2', verify: 'server', ca: 'demo-ca', checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, wires: [['applied']] },
        ],
      }),
      { traceAt: true },
      { loadKey: { password }, profile: { keyPassword: password }, pskProfile: { psk, pskIdentity } },
    );

    await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    await e2e.probe.run('load', { payload: e2e.pki.client.cert, certType: 'cert', name: 'modem-cert' }, 'loaded');
    // A wrong password on the message fails, naming neither it nor the key, and nothing reaches the module.
    let mark = r.modem.log.length;
    const refused = await e2e.probe.failure('loadKey', { payload: encrypted, password: wrongPassword });
    assert.equal(refused.modemError.kind, 'PARAMETER');
    assert.equal(refused.payload, undefined);
    assert.equal(refused.password, undefined);
    assert.ok(!r.linesSince(mark).some((l) => l.startsWith('AT+USECMNG=0')));
    // The credential's password decrypts it; the module keeps it encrypted (PKCS#8 DER) with that password.
    mark = r.modem.log.length;
    const key = await e2e.probe.run('loadKey', { payload: encrypted }, 'loaded');
    assert.deepEqual(Object.keys(key.payload).sort(), ['bytes', 'certType', 'format', 'name', 'unchanged', 'verified', 'warnings']);
    assert.equal(key.payload.format, 'der');
    assert.ok(r.linesSince(mark).some((l) => /^AT\+USECMNG=0,2,"modem-key",\d+,"/.test(l)), 'the password went with the import');
    const stored = r.device.find(2, 'modem-key')!;
    assert.equal(stored.password, password);

    const applied = await e2e.probe.run('profile', {}, 'applied');
    assert.deepEqual(applied.payload.applied.secretsWritten, ['keyPassword']);
    const pskApplied = await e2e.probe.run('pskProfile', {}, 'applied');
    assert.deepEqual(pskApplied.payload.applied.secretsWritten, ['psk', 'pskIdentity']);
    assert.deepEqual({ psk: r.device.profiles[2]!.psk, id: r.device.profiles[2]!.pskId }, { psk, id: pskIdentity }, 'the PSK reached the module');

    const socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/, 'the module signs with the key it decrypted');
    assert.equal((await echoes(socket, 'secret-free\n')).toString(), 'secret-free\n');
    await closes(socket);

    const said = everythingSaid();
    // The scan sees messages and the AT trace, over the very commands that carried the secrets.
    assert.ok(said.some((s) => s.where === 'send by load' && s.text.includes('Modem TLS Test CA')), 'messages are part of the scan');
    const trace = said.filter((s) => s.where === 'log by cfg').map((s) => s.text);
    assert.ok(trace.some((t) => /AT\+USECMNG=0,2,"modem-key",\d+,"\*\*\*"/.test(t)), 'the AT trace logged the key import, redacted');
    assert.ok(trace.some((t) => /AT\+USECPRF=2,8,/.test(t)), 'the AT trace logged the PSK command, redacted');
    assert.ok(trace.some((t) => /AT\+USECPRF=0,7,/.test(t)), 'the AT trace logged the key password command, redacted');
    assert.ok(statusesOf('loadKey').length >= 3);
    const secrets: Array<[string, string]> = [
      ['the password', password],
      ['the wrong password', wrongPassword],
      ['the PSK', psk],
      ['the PSK identity', pskIdentity],
      ['a PEM key header', 'PRIVATE KEY'],
      ...[e2e.pki.client.key, e2e.pki.client.keyRsaPem!, encrypted].flatMap((pem) => pemBodyLines(pem).map((line) => ['a line of key PEM', line] as [string, string])),
      ['raw key bytes (PKCS#8 DER)', e2e.pki.client.keyDer.subarray(64, 96).toString('latin1')],
      ['raw key bytes (PKCS#1 DER)', e2e.pki.client.keyRsaDer!.subarray(64, 96).toString('latin1')],
      ['the encrypted DER sent to the module', stored.der.subarray(64, 96).toString('latin1')],
    ];
    for (const { where, text } of said) {
      for (const [what, secret] of secrets) {
        assert.ok(!text.includes(secret), `${what} appeared in ${where}: ${text.slice(0, 120)}`);
      }
    }
  });
});
