/**
 * Telit under faults: flows of our nodes in a real Node-RED, over the real `serialport` on a
 * pseudo-terminal, to a simulated Telit module (platform 30) whose faults the tests switch on — the
 * cable pulled during an upload, a send and a receive, a reboot, a reply that never comes, noise,
 * a line without end, a flood of URCs, the server leaving mid-transfer, a redeploy with a send in
 * flight, two flows at once. Each test asserts a clear error (Catch sees it, `msg.modemError` set)
 * or recovery on its own, sequence-numbered data neither lost, duplicated nor reordered, and the
 * fault guards: every message completed, no unhandled rejection, no handle left behind.
 */
import assert from 'node:assert/strict';
import helper from '../support/red-helper';
import { modemReady, until, type Msg } from '../support/flow-probe';
import { flowSuite, tlsChain, xorshift32, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import { startTelitRig, type TelitRig } from '../support/telit-rig';
import { telitDevice, type TelitModemOptions } from '../../src/simulator/dialects/telit';
import type { ModemConnection } from '../../src/modem/connection';
import type { Urc } from '../../src/at/engine';

/** Secure socket 1: the CA in slot 1, profile (SSId) 1. */
const TELIT_CHAIN: ChainSetup = { load: { name: '1' }, profile: { profile: '1', ca: '1' } };

/** `<DataType>` of a CA certificate in #SSLSECDATA (§6.5). */
const CA_DATA = 1;

function chain(o: ChainOptions) {
  return tlsChain(TELIT_CHAIN, o);
}

/** The modem of the deployed modem-config. */
function connection(): ModemConnection {
  return (helper.getNode('cfg') as unknown as { modem: ModemConnection }).modem;
}

/** Bytes of noise a modem's line might carry: anything, CR, LF and the letters of OK among them, but no whole line a parser must obey. */
function noise(seed: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  const states = xorshift32(seed, length);
  for (let i = 0; i < length; i++) {
    const state = states[i]!;
    const pick = state % 10;
    // CR, LF, O and K often; any other byte but `>` (a prompt) otherwise.
    out[i] = pick === 0 ? 0x0d : pick === 1 ? 0x0a : pick === 2 ? 0x4f : pick === 3 ? 0x4b : ((state >>> 8) & 0xff) === 0x3e ? 0x3f : (state >>> 8) & 0xff;
  }
  // Each line starts with a byte that no final result code, prompt or URC starts with.
  return Buffer.from(out.toString('latin1').replace(/(^|[\r\n])(?=[^\r\n])/g, '$1~'), 'latin1');
}

describe('Telit under faults: flows in Node-RED over a pty to the simulated module, faults injected', function () {
  this.timeout(60000);
  const e2e = flowSuite<TelitRig>({ tab: 'telit faults', sockets: /^[1-6]$/ });
  faultGuards();
  const { start, provision, opens, echoes, failureOf } = e2e;

  /** A fresh module on a pty; `+++` after 100 ms of silence (S12 = 5). */
  function telit(options: Partial<TelitModemOptions> = {}): TelitRig {
    return e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100, ...options }));
  }

  /** Every data message tls-recv pushed for `socket` so far, joined. */
  function receivedOf(socket: string): Buffer {
    return Buffer.concat(e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
  }

  /** Pulls the cable and waits until the modem-config has seen it. */
  async function unplug(r: TelitRig): Promise<void> {
    await r.pty.unplug();
    await until('the modem-config to see the link gone', () => !connection().isReady, 15000);
  }

  /** Puts the cable back and waits until the modem has been brought up again (no redeploy); a new probe watches from then on. */
  async function replug(r: TelitRig): Promise<void> {
    r.pty.replug();
    await modemReady('cfg', 30000);
    e2e.watch();
  }

  function assertClearFailure(caught: Msg, nodeId: string, pattern: RegExp): void {
    assert.equal(caught.error.source.id, nodeId);
    assert.equal(caught.modemError?.vendor, 'telit', JSON.stringify(caught.modemError));
    assert.match(caught.error.message, pattern);
  }

  it('unplugged during a certificate upload: load-cert fails naming the lost link; after replug the modem comes back by itself, nothing was half-stored, and the retry stores and verifies the CA', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    const slot = telitDevice(r.modem)!.slot(1);
    // The module's prompt comes late: the cable goes while the upload waits for it.
    r.modem.faults.delayReplies(300);
    const mark = r.modem.log.length;
    const failing = failureOf('load', { payload: e2e.pki.ca.cert });
    await r.modem.waitForCommand(/^AT#SSLSECDATA=1,1,1,\d+$/, 15000, mark);
    await unplug(r);
    const { caught, decoded } = await failing;
    assertClearFailure(caught, 'load', /link|went down|not open/i);
    assert.equal(caught.modemError.kind, 'LINK_DOWN');
    assert.equal(decoded.payload.vendor, 'telit');
    assert.equal(slot.nvm.has(CA_DATA), false, 'nothing was stored while the link was down');

    r.modem.faults.clear();
    await replug(r);
    assert.equal(slot.nvm.has(CA_DATA), false, 'the upload left open at the module was abandoned, not stored half-written');
    const listed = await e2e.probe.run('at', { payload: 'AT#SSLSECDATA?' }, 'answer');
    assert.ok(listed.payload.includes('#SSLSECDATA: 1,0,0,0'), `the module reports no CA in slot 1: ${JSON.stringify(listed.payload)}`);
    const loaded = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded', { timeoutMs: 20000 });
    assert.equal(loaded.payload.verified, true);
    assert.equal(loaded.payload.unchanged, false);
    assert.match(slot.nvm.get(CA_DATA)!.bytes.toString('latin1'), /^-----BEGIN CERTIFICATE-----\n/);
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    const records = numberedStream(0, 50);
    assertSequence(await echoes(socket, records), 0, 50);
    await e2e.closes(socket);
  });

  it('unplugged during a large send: tls-send fails naming the lost link, tls-recv says the connection is gone, what was echoed is a clean prefix; after replug a new open and echo work without redeploy', async () => {
    const r = telit({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    const socket = await opens();
    const stream = numberedStream(0, 3000);
    const failing = e2e.probe.failure('send', { socket, payload: stream }, { timeoutMs: 30000 });
    await e2e.probe.next('received', (m) => m.topic === 'data' && m.socket === socket, 15000);
    await unplug(r);
    const caught = await failing;
    assertClearFailure(caught, 'send', /link|went down|not open/i);
    assert.equal(caught.modemError.kind, 'LINK_DOWN');
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /link to the modem was lost/);
    const got = assertSequencePrefix(receivedOf(socket), 0);
    assert.ok(got < 3000, `${got} records arrived before the cable went`);
    assert.equal(e2e.probe.all('sent').length, 0, 'the send was not reported done');

    await replug(r);
    const again = await opens();
    assert.equal(again, '1', 'the module closed the orphaned connection, so the socket opens again');
    assertSequence(await echoes(again, numberedStream(5000, 100)), 5000, 100);
    await e2e.closes(again);
  });

  it('unplugged while the server pushes a numbered stream: tls-recv reports the connection gone, what arrived is a clean prefix; after replug a new connection echoes', async () => {
    const r = telit({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    let pushed = false;
    echo.on('connection', (s) => {
      if (pushed) return;
      pushed = true;
      s.write(numberedStream(0, 4000));
    });
    await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    const socket = await opens();
    await e2e.probe.next('received', (m) => m.topic === 'data' && m.socket === socket, 15000);
    await unplug(r);
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /link to the modem was lost/);
    const got = assertSequencePrefix(receivedOf(socket), 0);
    assert.ok(got > 0 && got < 4000, `${got} records arrived before the cable went`);

    await replug(r);
    const again = await opens();
    assertSequence(await echoes(again, numberedStream(9000, 100)), 9000, 100);
    assert.equal(receivedOf(again).length, 6400, 'nothing of the old stream came after the replug');
    await e2e.closes(again);
  });

  it('the module reboots mid-session (echo back on, +CMEE 0, connections gone): the flow gets a clear error for the lost connection, and a new open and echo work without redeploy', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    assertSequence(await echoes(socket, numberedStream(0, 20)), 0, 20);

    await r.modem.reboot();
    assert.equal(r.modem.settings.echo, true);
    assert.equal(r.modem.settings.cmee, 0);
    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('send', { socket, payload: numberedStream(20, 20) });
    assertClearFailure(caught, 'send', /restarted|no longer open/);
    assert.equal(decoded.payload.vendor, 'telit');
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /restarted/);

    await modemReady('cfg', 20000);
    const again = await opens();
    assert.equal(again, '1');
    assertSequence(await echoes(again, numberedStream(100, 50)), 100, 50);
    const lines = r.linesSince(mark);
    assert.ok(lines.includes('ATE0') && lines.includes('AT+CMEE=1'), `the module was brought up again: ${lines.join(' | ')}`);
    // The profile's settings survived the power cycle; the socket's enabling did not (§6.1).
    assert.ok(lines.includes('AT#SSLEN=1,1'), `secure socket 1 was enabled again before dialling: ${lines.join(' | ')}`);
    assert.equal(r.modem.settings.echo, false);
    assert.equal(r.modem.settings.cmee, 1);
    // A failure is a numbered +CME ERROR again, decoded.
    const refused = await failureOf('at', { payload: 'AT#SSLH=3' });
    assert.equal(refused.caught.modemError.kind, 'CME');
    await e2e.closes(again);
  });

  it('a reply that never comes: the command fails with a timeout naming it, the engine resynchronises, and the next commands (and an echo) work; the same after a hung module comes back', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { commandTimeout: 1500 });
    await provision();
    const socket = await opens();

    r.modem.faults.dropNextReplies(1);
    const dropped = await failureOf('at', { payload: 'AT+CGMI' });
    assertClearFailure(dropped.caught, 'at', /AT\+CGMI: no final result code within 1500 ms/);
    assert.equal(dropped.caught.modemError.kind, 'TIMEOUT');
    const next = await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer');
    assert.equal(next.final, 'OK');
    assert.equal(next.payload.length, 1, `only its own answer: ${JSON.stringify(next.payload)}`);
    assertSequence(await echoes(socket, numberedStream(0, 30)), 0, 30);

    r.modem.faults.mute(true);
    const hung = await failureOf('at', { payload: 'AT#SSLS=1' });
    assertClearFailure(hung.caught, 'at', /no final result code within 1500 ms/);
    r.modem.faults.mute(false);
    const status = await e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
    assert.deepEqual([status.final, status.payload.length], ['OK', 1]);
    assert.match(status.payload[0], /^#SSLS: 1,2,/);
    assertSequence(await echoes(socket, numberedStream(30, 30)), 30, 30);
    await e2e.closes(socket);
  });

  it('noise between and inside answers: stray OK/ERROR lines while idle are nobody’s answer, noise inside an answer does not hide it, and a numbered stream echoed through noise arrives intact', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    const urcs: Urc[] = [];
    connection().on('urc', (u: Urc) => urcs.push(u));

    // Between answers: whole result codes nobody asked for.
    r.modem.faults.garbage(Buffer.concat([Buffer.from('\r\nOK\r\n\r\nERROR\r\n', 'latin1'), noise(7, 300), Buffer.from('\r\n+CME ERROR: 3\r\n', 'latin1')]));
    await until('the stray lines to be read', () => urcs.some((u) => u.raw === '+CME ERROR: 3'));
    const model = await e2e.probe.run('at', { payload: 'AT+CGMM' }, 'answer');
    assert.equal(model.final, 'OK');
    assert.deepEqual(model.payload.filter((l: string) => !l.startsWith('~')), [r.modem.profile.model]);

    // Inside an answer: noise lands before the answer the module is late with.
    r.modem.faults.delayReplies(100);
    const mark = r.modem.log.length;
    const asked = e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
    await r.modem.waitForCommand('AT#SSLS=1', 5000, mark);
    r.modem.faults.garbage(Buffer.concat([Buffer.from('\r\n', 'latin1'), noise(11, 200), Buffer.from('\r\n', 'latin1')]));
    const status = await asked;
    r.modem.faults.delayReplies(0);
    assert.equal(status.final, 'OK');
    assert.ok(status.payload.some((l: string) => /^#SSLS: 1,2,/.test(l)), JSON.stringify(status.payload));

    // Through a numbered stream: noise lines every few milliseconds.
    let seed = 100;
    const timer = setInterval(() => r.modem.faults.garbage(Buffer.concat([Buffer.from('\r\n', 'latin1'), noise(seed++, 40), Buffer.from('\r\n', 'latin1')])), 3);
    try {
      assertSequence(await echoes(socket, numberedStream(0, 500), 30000), 0, 500);
    } finally {
      clearInterval(timer);
    }
    const after = await e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer');
    assert.equal(after.final, 'OK');
    await e2e.closes(socket);
  });

  it('a line with no end (64 KB without CR or LF): dropped and reported, never held beyond the longest line, and commands work after; inside an answer the command fails clearly', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    const engine = connection().engine;
    const framer = (engine as unknown as { framer: { bufferedBytes: number } }).framer;
    let overflows = 0;
    let most = 0;
    engine.on('overflow', () => overflows++);
    // After the engine has framed each read: what it holds.
    connection().link.on('data', () => {
      most = Math.max(most, framer.bufferedBytes);
    });
    const endless = Buffer.alloc(64 * 1024, 'A');
    for (let i = 0; i < endless.length; i += 97) endless[i] = 0x20 + (i % 90);

    r.modem.faults.garbage(endless);
    await until('the endless line to be dropped', () => overflows === 1, 15000);
    // The next answer's CR LF ends the dropped line: the command after it is answered.
    const answer = await e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer');
    assert.deepEqual([answer.final, answer.payload], ['OK', ['Telit']]);
    assert.ok(most <= 4096, `${most} bytes held at most`);

    // Inside an answer: the command cannot trust it, and says so.
    r.modem.faults.delayReplies(100);
    const mark = r.modem.log.length;
    const failing = failureOf('at', { payload: 'AT+CGMR' });
    await r.modem.waitForCommand('AT+CGMR', 5000, mark);
    r.modem.faults.garbage(endless);
    const { caught } = await failing;
    r.modem.faults.delayReplies(0);
    assertClearFailure(caught, 'at', /more than 4096 bytes/);
    assert.equal(caught.modemError.kind, 'GARBLED');
    assert.equal(overflows, 2);
    const ok = await e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer');
    assert.deepEqual([ok.final, ok.payload], ['OK', ['Telit']]);
    assert.ok(most <= 4096, `${most} bytes held at most`);
    assertSequence(await echoes(socket, numberedStream(0, 50)), 0, 50);
    await e2e.closes(socket);
  });

  it('1,000 URCs a second (SSLSRING of another socket, +CREG, #HTTPRING, unknown lines) while a numbered stream is echoed and at-command runs: every byte intact, every command answered', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    const urcs: Urc[] = [];
    connection().on('urc', (u: Urc) => urcs.push(u));
    const lines = ['+CREG: 1', '#HTTPRING: 1,200,"text/plain",0', '#XUNKNOWN: 5,"x"', 'SSLSRING: 3,0', '+CGREG: 5'];
    let emitted = 0;
    // Ten every 10 ms: a thousand a second.
    const timer = setInterval(() => {
      for (let i = 0; i < 10; i++) r.modem.emitUrc(lines[emitted++ % lines.length]);
    }, 10);
    try {
      // Rounds of a numbered stream and a command, until more than a second of URCs went by.
      for (let round = 0; emitted < 1500; round++) {
        const answer = e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer');
        assertSequence(await echoes(socket, numberedStream(round * 200, 200), 30000), round * 200, 200);
        const a = await answer;
        // An unknown line that crosses the command on the wire cannot be told from its answer.
        assert.deepEqual([a.final, a.payload.filter((l: string) => l !== '#XUNKNOWN: 5,"x"')], ['OK', ['Telit']]);
      }
    } finally {
      clearInterval(timer);
    }
    assert.ok(emitted >= 1000, `${emitted} URCs emitted`);
    await until('the URCs held back to be read', () => urcs.filter((u) => u.name === '+CREG').length >= Math.floor(emitted / 5) - 10, 15000);
    assert.ok(urcs.some((u) => u.name === '#XUNKNOWN' && !u.known));
    assert.equal(e2e.probe.all('received').filter((m) => m.socket === '3').length, 0, 'nothing made up for the other socket');
    await e2e.closes(socket);
  });

  it('the server closes mid-transfer (COMMAND mode): what arrived is a clean prefix, tls-recv reports closed by the server, and a later send fails naming the socket', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    echo.on('connection', (s) => {
      s.write(numberedStream(0, 300));
      s.end();
    });
    await start(chain({ port: echo.port }));
    await provision();
    const socket = await opens();
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
    assert.equal(ended.reason, 'closed by the server');
    const got = receivedOf(socket);
    assert.equal(assertSequencePrefix(got, 0), got.length / 64, 'whole records only');
    assertSequence(got, 0, 300);
    const { caught } = await failureOf('send', { socket, payload: 'too late\n' });
    assertClearFailure(caught, 'send', /msg\.socket: secure socket 1 is no longer open \(closed by the server\)/);
  });

  for (const noCarrierMode of [1, 2]) {
    it(`the server closes mid-transfer in ONLINE mode with noCarrierMode ${noCarrierMode} (NO CARRIER: <SSId>${noCarrierMode === 2 ? ',<cause>' : ''}): ONLINE mode ends, the data is a clean prefix, tls-recv reports closed, commands and a new connection work`, async () => {
      const r = telit();
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      let first = true;
      echo.on('connection', (s) => {
        if (!first) return;
        first = false;
        s.write(numberedStream(0, 200));
        s.end();
      });
      await start(chain({ port: echo.port, profile: { vendorOptions: JSON.stringify({ noCarrierMode, txTo: 1 }) }, open: { mode: 'online' } }));
      await provision();
      const opened = await e2e.probe.run('open', {}, 'opened');
      assert.equal(opened.payload.mode, 'online');
      const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === '1', 15000);
      assert.equal(ended.reason, 'closed by the server');
      const got = receivedOf('1');
      assertSequence(got, 0, 200);
      assert.equal(connection().engine.mode, 'command');
      const answer = await e2e.probe.run('at', { payload: 'AT#SSLS=1' }, 'answer');
      assert.match(answer.payload[0], /^#SSLS: 1,1$/);
      const { caught } = await failureOf('send', { socket: '1', payload: 'too late\n' });
      assertClearFailure(caught, 'send', /closed by the server/);
      e2e.watch();
      const again = await opens({ mode: 'command' });
      assertSequence(await echoes(again, numberedStream(0, 20)), 0, 20);
      await e2e.closes(again);
    });
  }

  it('redeployed while a long send is in flight: the message is completed (not reported sent), and after the redeploy the modem opens and echoes', async () => {
    const r = telit({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const flow = await start(chain({ port: echo.port }), { baudRate: 921600 });
    await provision();
    const socket = await opens();
    // How the send's message is completed: the runtime's own record of done().
    const completions: Array<{ error?: unknown }> = [];
    const hooks = (helper as unknown as { _RED: { hooks: { add(name: string, fn: (e: any) => void): void; remove(name: string): void } } })._RED.hooks;
    hooks.add('onComplete.telitRedeploy', (event: { node: { id: string }; error?: unknown }) => {
      if (event.node.id === 'send') completions.push({ error: event.error });
    });
    try {
      helper.getNode('send').receive({ socket, payload: numberedStream(0, 4000) });
      await e2e.probe.next('received', (m) => m.topic === 'data' && m.socket === socket, 15000);
      // The module is slow to prompt now: the redeploy comes while a chunk's command waits for it,
      // and leaves the module inside that prompt, waiting for the chunk's bytes.
      r.modem.faults.delayReplies(1000);
      await r.modem.waitForCommand(/^AT#SSLSENDEXT=1,\d+$/, 5000);
      await e2e.unload();
      r.modem.faults.clear();
    } finally {
      hooks.remove('onComplete.telitRedeploy');
    }
    assert.equal(e2e.probe.all('sent').length, 0, 'the send was cut short by the redeploy');
    // A redeploy is not a failure of the flow: the message cut short by it is completed quietly.
    assert.equal(completions.length, 1, 'the message in flight was completed once');
    await e2e.deploy(flow);
    await modemReady('cfg', 20000);
    e2e.watch();
    const again = await opens();
    assertSequence(await echoes(again, numberedStream(0, 100)), 0, 100);
    await e2e.closes(again);
  });

  it('two flows on one modem at once: two sockets each echo their own numbered stream intact, with their commands never interleaved', async () => {
    const r = telit();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({
      port: echo.port,
      extra: [
        { id: 'load2', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '2', wires: [['loaded']] },
        { id: 'profile2', type: 'modem-tls-profile', modem: 'cfg', profile: '2', ca: '2', verify: 'server', cert: '', key: '', checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, vendorOptions: '', wires: [['applied']] },
        { id: 'open2', type: 'modem-tls-open', modem: 'cfg', profile: '2', host: '127.0.0.1', port: String(echo.port), mode: 'command', wires: [['opened']] },
        { id: 'send2', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent']] },
      ],
    }));
    // Both flows provision at once: each read-compare-write stays whole.
    const mark = r.modem.log.length;
    helper.getNode('load').receive({ payload: e2e.pki.ca.cert });
    helper.getNode('load2').receive({ payload: e2e.pki.ca.cert });
    await until('both CAs loaded', () => e2e.probe.all('loaded').length === 2, 20000);
    assert.deepEqual(e2e.probe.all('loaded').map((m) => m.payload.verified), [true, true]);
    await e2e.probe.run('profile', {}, 'applied');
    await e2e.probe.run('profile2', {}, 'applied');
    const one = await e2e.probe.run('open', {}, 'opened');
    const two = await e2e.probe.run('open2', {}, 'opened');
    assert.deepEqual([one.socket, two.socket], ['1', '2']);
    // Each upload: its format, the store and the read-back in one run, never split by the other's.
    const uploads = r.linesSince(mark).filter((l) => /^AT#SSLSECDATA=\d,[12],/.test(l)).map((l) => l.slice(14, 15));
    assert.ok(/^(1+2+|2+1+)$/.test(uploads.join('')), `uploads interleaved: ${uploads.join('')}`);

    const a = numberedStream(0, 1000);
    const b = numberedStream(500000, 1000);
    helper.getNode('send').receive({ socket: '1', payload: a });
    helper.getNode('send2').receive({ socket: '2', payload: b });
    const [echoA, echoB] = await Promise.all([e2e.probe.bytes('received', '1', a.length, 40000), e2e.probe.bytes('received', '2', b.length, 40000)]);
    assertSequence(echoA, 0, 1000);
    assertSequence(echoB, 500000, 1000);
    const sent = await Promise.all([e2e.probe.next('sent', (m) => m.socket === '1'), e2e.probe.next('sent', (m) => m.socket === '2')]);
    assert.deepEqual(sent.map((m) => m.payload), [{ socket: '1', bytes: a.length }, { socket: '2', bytes: b.length }]);
    await e2e.closes('1');
    await e2e.closes('2');
  });
});
