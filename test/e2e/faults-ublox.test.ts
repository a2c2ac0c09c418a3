/**
 * u-blox under faults: the flows of `ublox-flows.test.ts` — real Node-RED, the real `serialport` on a
 * pseudo-terminal, a simulated SARA-R5 opening real TLS connections — while the simulator injects
 * what goes wrong in the field: the cable pulled during an upload, a send and a receive; the module
 * rebooting; a reply that never comes; noise; a line with no end; a flood of URCs; the server
 * closing mid-transfer; a redeploy with a send in flight; two flows at once on one module.
 *
 * Each test says what the flow sees (a clear error a Catch node gets, or recovery on its own), checks
 * data by sequence-numbered records (nothing lost, repeated or reordered), and `faultGuards` checks
 * after each that every message was completed, no rejection went unhandled and no handle leaked.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { everythingSaid, modemReady, sleep, until, type Msg } from '../support/flow-probe';
import { flowSuite, OUTPUTS, tlsChain, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import helper from '../support/red-helper';
import { startUbloxRig, type UbloxRig } from '../support/ublox-rig';
import type { UbloxModemOptions } from '../../src/simulator/dialects/ublox';

/** The helper nodes: the chain's, and those of a second chain on the same modem. */
const OUT = [...OUTPUTS, 'opened2', 'sent2', 'received2'] as const;

/** The CA stored as "demo-ca"; security profile 0 at validation level 3. */
const UBLOX_CHAIN: ChainSetup = { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' }, outputs: OUT };

function chain(o: ChainOptions) {
  return tlsChain(UBLOX_CHAIN, o);
}

function md5Hex(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** What a server connection receives, as it comes. */
function collect(socket: TLSSocket): { data(): Buffer } {
  const parts: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => parts.push(chunk));
  return { data: () => Buffer.concat(parts) };
}

/** `data` is exactly the first `data.length` bytes of `whole`: nothing lost, repeated, reordered or added. */
function assertPrefixOf(data: Buffer, whole: Buffer, what: string): void {
  assert.ok(data.length <= whole.length, `${what}: ${data.length} bytes, more than the ${whole.length} sent`);
  const at = data.findIndex((b, i) => b !== whole[i]);
  assert.equal(at, -1, `${what}: differs from what was sent at byte ${at} of ${data.length}`);
}

describe('u-blox under faults: the simulated SARA-R5 unplugged, rebooted, silent, noisy, flooded, closed on, redeployed and shared', function () {
  this.timeout(60000);
  const e2e = flowSuite<UbloxRig>({ tab: 'u-blox faults', sockets: /^[0-6]$/, outputs: OUT });
  faultGuards();
  const { start, provision, opens, echoes, failureOf, closes } = e2e;

  function ublox(options: UbloxModemOptions = {}): UbloxRig {
    return e2e.use(startUbloxRig(options));
  }

  function modemOf(id = 'cfg'): { isReady: boolean } {
    return (helper.getNode(id) as unknown as { modem: { isReady: boolean } }).modem;
  }

  /** Plugs the cable back in and waits until the modem config has brought the module up again by itself. */
  async function replugged(r: UbloxRig, withinMs = 20000): Promise<void> {
    r.pty.replug();
    await until('the modem to be ready again', () => modemOf().isReady, withinMs);
  }

  /** A numbered stream sent and echoed back whole, in order. */
  async function echoesRecords(socket: string, from: number, count: number, size = 64): Promise<void> {
    const back = await echoes(socket, numberedStream(from, count, size), 30000);
    assertSequence(back, from, count, size);
  }

  it('unplugged during a certificate upload (+USECMNG import): load-cert fails with LINK_DOWN; after replug the module comes back by itself, nothing half-stored is reported as stored, and the retry stores it verified by MD5', async () => {
    // 9600 baud both ways: the PEM takes about a second on the line, so the cut falls inside it.
    const r = ublox({ baudRate: 9600, timeScale: 0.1 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 9600 });
    const der = new X509Certificate(e2e.pki.ca.cert).raw;
    const expected = md5Hex(der);

    const mark = r.modem.log.length;
    const failed = e2e.probe.failure('load', { payload: e2e.pki.ca.cert }, { timeoutMs: 20000 });
    await r.modem.waitForCommand(/^AT\+USECMNG=0,0,"demo-ca",\d+$/, 10000, mark);
    // The prompt, then the first bytes of the PEM: the cable goes mid-payload.
    await sleep(150);
    await r.pty.unplug();
    const caught = await failed;
    assert.equal(caught.modemError.kind, 'LINK_DOWN', caught.error.message);
    assert.match(caught.error.message, /went down|lost|closed|not found/);
    assert.equal(e2e.probe.all('loaded').length, 0, 'nothing was reported loaded');

    await replugged(r);
    const kept = r.device.find(0, 'demo-ca');
    assert.ok(kept === undefined || md5Hex(kept.der) === expected, 'the module holds nothing under the name, or all of it');

    // The MD5 check of the retry: what is stored is the whole certificate, reported verified.
    const again = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded', { timeoutMs: 20000 });
    assert.deepEqual({ verified: again.payload.verified, md5: again.payload.md5 }, { verified: true, md5: expected });
    assert.equal(md5Hex(r.device.find(0, 'demo-ca')!.der), expected);
    const asked = await e2e.probe.run('at', { payload: 'AT+USECMNG=4,0,"demo-ca"' }, 'answer', { timeoutMs: 10000 });
    assert.ok(asked.payload.some((l: string) => l.toLowerCase().includes(`"${expected}"`)), JSON.stringify(asked.payload));
  });

  it('unplugged during a large send (direct link +USODL): tls-send fails with LINK_DOWN and tls-recv says closed; the server got an exact prefix and no AT command; after replug the socket is freed and a new open echoes', async () => {
    const r = ublox({ baudRate: 115200, escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const received: Array<{ data(): Buffer }> = [];
    echo.on('connection', (socket) => received.push(collect(socket)));
    await start(chain({ port: echo.port }), { baudRate: 115200 });
    await provision();
    const socket = await opens();

    const stream = numberedStream(0, 800, 64);
    const mark = r.modem.log.length;
    const failed = e2e.probe.failure('send', { socket, payload: stream }, { timeoutMs: 20000 });
    await r.modem.waitForCommand(`AT+USODL=${socket}`, 10000, mark);
    await until('the server to receive some of the stream', () => (received[0]?.data().length ?? 0) > 2000, 10000);
    await r.pty.unplug();
    const caught = await failed;
    assert.equal(caught.modemError.kind, 'LINK_DOWN', caught.error.message);
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(closed.reason, /^the link to the modem was lost: /);

    await replugged(r);
    // The module was left in direct link: the bring-up escaped it before its AT, which never reached the server.
    const after = r.linesSince(mark);
    assert.ok(after.includes(`AT+USOCL=${socket}`), `the orphaned socket is closed at bring-up: ${after.join(' | ')}`);
    const got = received[0]!.data();
    assertPrefixOf(got, stream, 'what the server received');
    assert.ok(got.length < stream.length, 'the cut came inside the stream');
    assert.ok(r.device.sockets.every((s) => s === undefined), 'no socket is left on the module');

    const echoed = Buffer.concat(e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
    assertPrefixOf(echoed, stream, 'what tls-recv pushed before the cut');
    // From here on only the new connection's messages.
    e2e.watch();
    const again = await opens();
    await echoesRecords(again, 1000, 300);
    await closes(again);
  });

  it('unplugged during a send in chunks (+USOWR binary syntax, mid-payload): tls-send fails with LINK_DOWN; the server got an exact prefix (no escape, filler or AT as data); after replug a new open echoes', async () => {
    // 9600 baud: +USOWR's binary syntax, each 1024-byte chunk about a second on the line.
    const r = ublox({ baudRate: 9600, timeScale: 0.1 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const received: Array<{ data(): Buffer }> = [];
    echo.on('connection', (socket) => received.push(collect(socket)));
    await start(chain({ port: echo.port }), { baudRate: 9600 });
    await provision();
    const socket = await opens();
    const stream = numberedStream(0, 64, 64);
    const mark = r.modem.log.length;
    const failed = e2e.probe.failure('send', { socket, payload: stream }, { timeoutMs: 20000 });
    // The second chunk's command: the first is with the server; the cable goes inside the second's bytes.
    await r.modem.waitForCommand(/^AT\+USOWR=\d,1024$/, 10000, mark);
    const second = r.modem.waitForCommand(/^AT\+USOWR=\d,1024$/, 15000, r.modem.log.length);
    await second;
    await sleep(300);
    await r.pty.unplug();
    const caught = await failed;
    assert.equal(caught.modemError.kind, 'LINK_DOWN', caught.error.message);
    // The host stays silent for the module's +USOWR guard time (20 s) before its first AT.
    await replugged(r, 40000);
    const after = r.linesSince(mark);
    assert.ok(after.includes(`AT+USOCL=${socket}`), `the orphaned socket is closed at bring-up: ${after.join(' | ')}`);
    const got = received[0]!.data();
    assertPrefixOf(got, stream, 'what the server received');
    assert.equal(got.length % 1024, 0, `whole chunks only: ${got.length}`);
    assert.ok(got.length < stream.length, 'the cut came inside the stream');

    e2e.watch();
    const again = await opens();
    await echoesRecords(again, 500, 20);
    await closes(again);
  });

  it('unplugged during a receive (the server pushes a numbered stream): what arrived is an exact prefix, tls-recv says closed; after replug a new connection receives the whole stream', async () => {
    const r = ublox({ baudRate: 115200, escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const streams = [numberedStream(0, 700, 64), numberedStream(5000, 300, 64)];
    let served = 0;
    echo.on('connection', (socket) => socket.write(streams[Math.min(served++, 1)]!));
    await start(chain({ port: echo.port }), { baudRate: 115200 });
    await provision();
    const socket = await opens();

    await e2e.probe.bytes('received', socket, 4000, 15000);
    await r.pty.unplug();
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
    assert.match(closed.reason, /^the link to the modem was lost: /);
    // Everything tls-recv pushed before the cut, and nothing after it.
    const got = Buffer.concat(e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
    assertPrefixOf(got, streams[0]!, 'what tls-recv pushed');
    assert.ok(assertSequencePrefix(got, 0) > 0);

    await replugged(r);
    e2e.watch();
    const again = await opens();
    const whole = await e2e.probe.bytes('received', again, streams[1]!.length, 30000);
    assertSequence(whole, 5000, 300);
    await closes(again);
  });

  it('rebooted mid-session (echo back on, sockets gone): a send, or an open given the old socket id, fails clearly naming the restart, tls-recv says closed, the module is brought up again by itself, and a new open echoes without a redeploy', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    await echoesRecords(socket, 0, 20);

    await r.modem.reboot();
    assert.equal(r.modem.settings.echo, true, 'the module echoes again');
    // The first operation after the reboot: a send on the socket the module no longer has.
    const { caught, decoded } = await failureOf('send', { socket, payload: numberedStream(20, 10) });
    assert.equal(caught.error.source.id, 'send');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind, field: caught.modemError.field }, { vendor: 'ublox', kind: 'PARAMETER', field: 'msg.socket' });
    assert.match(caught.error.message, new RegExp(`msg\\.socket: socket ${socket} is no longer open \\(the module restarted: .*\\); open it again with tls-open$`));
    assert.equal(decoded.payload.category, 'parameter');
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
    assert.match(closed.reason, /^the module restarted/);
    // The module is brought up again by itself (echo off, +CMEE=1), without a redeploy.
    await until('the module to be brought up again', () => r.modem.settings.echo === false && r.modem.settings.cmee === 1, 15000);

    const again = await opens();
    await echoesRecords(again, 100, 50);

    // Rebooted again, and the first operation is an open: the module hands out the id of the
    // connection the flow still holds. The flow hears the old one is gone and the open fails clearly.
    await r.modem.reboot();
    const refused = await failureOf('open', {});
    assert.equal(refused.caught.modemError.kind, 'LINK_DOWN', refused.caught.error.message);
    assert.match(refused.caught.error.message, /the module restarted: .*open the connection again \(tls-open\) once it is ready$/);
    const lost = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === again, 15000);
    assert.match(lost.reason, /^the module restarted/);
    await until('the module to be brought up again', () => r.modem.settings.echo === false && r.modem.settings.cmee === 1, 15000);
    assert.ok(r.device.sockets.every((s) => s === undefined), 'the socket the refused open created was closed');
    const third = await opens();
    await echoesRecords(third, 200, 50);
    await closes(third);
    const answer = await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer');
    assert.deepEqual(answer.payload, ['SARA-R510M8S']);
  });

  it('a reply that never comes (dropped, then a mute module): at-command fails with a clear TIMEOUT, the module is resynchronised, and the next command and an echo work', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { commandTimeout: 1500 });
    await provision();
    const socket = await opens();

    r.modem.faults.dropNextReplies(1);
    let { caught, decoded } = await failureOf('at', { payload: 'AT+CGMM' });
    assert.equal(caught.modemError.kind, 'TIMEOUT', caught.error.message);
    assert.match(caught.error.message, /AT\+CGMM/);
    assert.match(caught.error.message, /1500 ms|1\.5 s/);
    assert.equal(decoded.payload.vendor, 'ublox');
    assert.deepEqual((await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer')).payload, ['SARA-R510M8S']);
    await echoesRecords(socket, 0, 30);

    r.modem.faults.mute(true);
    ({ caught } = await failureOf('at', { payload: 'AT+CGMI' }));
    assert.equal(caught.modemError.kind, 'TIMEOUT', caught.error.message);
    r.modem.faults.mute(false);
    assert.deepEqual((await e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer', { timeoutMs: 15000 })).payload, ['u-blox']);
    await echoesRecords(socket, 30, 30);
    await closes(socket);
  });

  it('noise bytes between commands (CR, LF, OK, ERROR, @, >, +UUSORD, NUL, 0xFF): every later command and echo is right, every record intact', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { traceAt: true });
    await provision();
    const socket = await opens();
    const noise = ['\r\nOK\r\n', '@', '\r\n> ', '\r\nERROR\r\n', '\r', '\n', '\x00\xff\x1a\x1b', `\r\n+UUSORD: ${socket},0\r\n`, '"\r\nOK"', '\r\n+CME ERROR: 3\r\n', 'OK', '@@@'];
    for (let round = 0; round < 6; round++) {
      await r.modem.whenIdle();
      const marker = `+UUNOISE: ${round}`;
      r.modem.faults.garbage(`${noise.slice(round).join('')}${noise.slice(0, round).join('')}\r\n${marker}\r\n`);
      // The host has read all of it once the marker line shows in its trace.
      await until(`the noise of round ${round} to be read`, () => everythingSaid().some((s) => s.where === 'log by cfg' && s.text.includes(marker)), 10000);
      await echoesRecords(socket, round * 100, 40);
      assert.deepEqual((await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer')).payload, ['SARA-R510M8S']);
    }
    await closes(socket);
  });

  it('a line with no end (64 KB without CR or LF): dropped beyond the line limit with one warning, and commands and echoes work after', async () => {
    const r = ublox();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    await r.modem.whenIdle();
    const heapBefore = process.memoryUsage().heapUsed;
    const endless = Buffer.alloc(65536);
    for (let i = 0; i < endless.length; i++) endless[i] = 0x21 + (i % 90);
    r.modem.faults.garbage(endless);
    await until('the warning about the endless line', () => everythingSaid().some((s) => s.where === 'warn by cfg' && /more than \d+ bytes without a line end/.test(s.text)), 10000);
    const warning = everythingSaid().find((s) => s.where === 'warn by cfg' && /without a line end/.test(s.text))!;
    assert.match(warning.text, /more than 4096 bytes/);
    // Bounded: the engine kept at most a line's worth, not the 64 KB (nor copies of it).
    assert.ok(process.memoryUsage().heapUsed - heapBefore < 16 * 1024 * 1024, 'no runaway buffering');
    assert.deepEqual((await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer')).payload, ['SARA-R510M8S']);
    await echoesRecords(socket, 0, 100);
    await closes(socket);
  });

  it('1,000 URCs a second (+UUSORD of a socket no flow opened, +CREG, +UUPSDD, unknown lines) while a numbered stream is echoed and at-command runs: every record intact, every answer right', async () => {
    const r = ublox({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    const socket = await opens();
    const other = socket === '5' ? 6 : 5;
    const urcs = [`+UUSORD: ${other},120`, '+CREG: 1', '+UUPSDD: 0', '+UUNKNOWN: 7,"x"', `+UUSOCL: ${other}`, '+CGEV: ME PDN ACT 1', '+UUSOCO: 6,0', 'RING', '+UUFOO: 1,2,"x"', `+UUSORD: ${other},1`];
    let emitted = 0;
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++) r.modem.emitUrc(urcs[emitted++ % urcs.length]!);
    }, 10);
    try {
      const stream = numberedStream(0, 400, 64);
      const sent = e2e.probe.run('send', { socket, payload: stream }, 'sent', { timeoutMs: 30000 });
      const answers = (async () => {
        const out: string[][] = [];
        for (let i = 0; i < 10; i++) out.push((await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer', { timeoutMs: 15000 })).payload);
        return out;
      })();
      assert.equal((await sent).payload.bytes, stream.length);
      assertSequence(await e2e.probe.bytes('received', socket, stream.length, 30000), 0, 400);
      for (const answer of await answers) assert.deepEqual(answer, ['SARA-R510M8S']);
      await echoesRecords(socket, 1000, 200);
    } finally {
      clearInterval(flood);
    }
    assert.ok(emitted >= 500, `${emitted} URCs were emitted`);
    assert.equal(e2e.probe.all('received').filter((m) => m.socket !== socket).length, 0, 'nothing for a socket no flow opened');
    await closes(socket);
  });

  it('the server closes mid-transfer: what arrived is an exact prefix, tls-recv reports closed, and a later tls-send fails naming the closed socket', async () => {
    const r = ublox({ baudRate: 115200, escapeGuardMs: 100 });
    // The echo server cuts after 3000 bytes of a 6400-byte stream.
    const brief = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, closeAfterBytes: 3000 });
    await start(chain({ port: brief.port }), { baudRate: 115200 });
    await provision();
    let socket = await opens();
    const stream = numberedStream(0, 100, 64);
    const first = e2e.probe.run('send', { socket, payload: stream }, 'sent', { timeoutMs: 20000 }).then(
      (m) => m,
      (err: Error & { caught?: Msg }) => err.caught ?? err,
    );
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 20000);
    assert.equal(closed.reason, 'closed by the server');
    const got = Buffer.concat(e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
    assertPrefixOf(got, stream, 'what tls-recv pushed');
    assert.equal(got.length, 3000, 'all the server echoed before it closed');
    assert.equal(assertSequencePrefix(got, 0), 46);
    // The send itself either completed before the close or failed clearly: it is not left hanging.
    const outcome = await first;
    assert.ok(!(outcome instanceof Error), String(outcome));
    if (outcome.modemError) assert.match(outcome.error.message, /closed|DISCONNECT|socket/, outcome.error.message);
    else assert.equal(outcome.payload.bytes, stream.length);
    const mark = r.modem.log.length;
    const { caught } = await failureOf('send', { socket, payload: 'too late' });
    assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'msg.socket' });
    assert.match(caught.error.message, new RegExp(`socket ${socket} is no longer open \\(closed by the server\\)`));
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');

    // A server that writes part of a numbered stream and ends: all of it arrives, then closed.
    e2e.watch();
    const writer = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const part = numberedStream(0, 250, 64);
    writer.on('connection', (s) => s.end(part));
    socket = await opens({ port: String(writer.port) });
    assertSequence(await e2e.probe.bytes('received', socket, part.length, 20000), 0, 250);
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 20000);
    assert.equal(ended.reason, 'closed by the server');
    assert.ok(r.device.sockets.every((s) => s === undefined), 'no socket is left on the module');
  });

  it('redeploy while a long send is in flight (direct link): the send stops and its message is completed, the module leaves direct link, and the new flow opens and echoes on the same module', async () => {
    const r = ublox({ baudRate: 115200, escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const received: Array<{ data(): Buffer }> = [];
    echo.on('connection', (socket) => received.push(collect(socket)));
    const flow = await start(chain({ port: echo.port }), { baudRate: 115200 });
    await provision();
    const socket = await opens();
    const old = e2e.probe;
    const stream = numberedStream(0, 1500, 64);
    const mark = r.modem.log.length;
    helper.getNode('send').receive({ socket, payload: stream });
    await r.modem.waitForCommand(`AT+USODL=${socket}`, 10000, mark);
    await until('the server to receive some of the stream', () => (received[0]?.data().length ?? 0) > 1000, 10000);
    await (helper as unknown as { setFlows(f: unknown[], t: string): Promise<void> }).setFlows(flow, 'full').catch((err: Error) => {
      // The helper waits only 300 ms for `flows:started`; closing connections first takes longer.
      if (!/timeout waiting event/.test(err.message)) throw err;
    });
    await modemReady('cfg', 20000);
    e2e.watch();

    // Stopped, not finished: the old flow never said it was sent; if its Catch node heard of it, it was the close.
    assert.equal(old.all('sent').length, 0, 'the send was stopped');
    for (const caught of old.all('caught').filter((m) => m.error?.source?.id === 'send')) assert.equal(caught.modemError.kind, 'CLOSED', caught.error.message);
    // The module left direct link before the port was released: the old socket was closed by command, and the
    // new session's AT never reached the server.
    const after = r.linesSince(mark);
    assert.ok(after.indexOf(`AT+USOCL=${socket}`) >= 0 && after.indexOf(`AT+USOCL=${socket}`) < after.indexOf('ATE0'), `closed before the new bring-up: ${after.join(' | ')}`);
    const got = received[0]!.data();
    assertPrefixOf(got, stream, 'what the server received');
    assert.ok(got.length < stream.length, 'the send stopped short');
    const again = await opens();
    await echoesRecords(again, 3000, 200);
    await closes(again);
  });

  it('two flows on one modem at once: two chains on one modem config stream numbered records on two sockets at the same time, both intact', async () => {
    const r = ublox({ baudRate: 230400, escapeGuardMs: 100 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const second = [
      { id: 'open2', type: 'modem-tls-open', modem: 'cfg', profile: '0', host: '127.0.0.1', port: String(echo.port), mode: 'command', wires: [['opened2']] },
      { id: 'send2', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent2']] },
      { id: 'recv2', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received2']] },
    ];
    await start(chain({ port: echo.port, extra: second }), { baudRate: 230400 });
    await provision();
    const [one, two] = await Promise.all([e2e.probe.run('open', {}, 'opened'), e2e.probe.run('open2', {}, 'opened2')]);
    assert.notEqual(one.socket, two.socket);
    const a = numberedStream(0, 600, 64);
    const b = numberedStream(10000, 450, 100);
    const sends = [e2e.probe.run('send', { socket: one.socket, payload: a }, 'sent', { timeoutMs: 30000 }), e2e.probe.run('send2', { socket: two.socket, payload: b }, 'sent2', { timeoutMs: 30000 })];
    for (let i = 0; i < 3; i++) {
      helper.getNode('send').receive({ socket: one.socket, payload: numberedStream(600 + i * 10, 10, 64) });
      helper.getNode('send2').receive({ socket: two.socket, payload: numberedStream(10450 + i * 10, 10, 100) });
    }
    const [sentA, sentB] = await Promise.all(sends);
    assert.deepEqual([sentA.payload.bytes, sentB.payload.bytes], [a.length, b.length]);
    const [backA, backB] = await Promise.all([e2e.probe.bytes('received', one.socket, a.length + 30 * 64, 30000), e2e.probe.bytes('received2', two.socket, b.length + 30 * 100, 30000)]);
    assertSequence(backA, 0, 630, 64);
    assertSequence(backB, 10000, 480, 100);
    await closes(one.socket);
    await e2e.probe.run('close', { socket: two.socket }, 'closed');
  });
});
