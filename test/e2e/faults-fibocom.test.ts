/**
 * The Fibocom L610 under faults: flows of our nodes in a real Node-RED, the real `serialport` on a
 * pseudo-terminal, the simulated L610 behind it with real TLS to local servers — and one fault at a
 * time injected by the simulator or the rig: the cable pulled during an upload, a send or a receive;
 * the module restarting (its SSL files lost, echo back on); a reply that never comes; noise; a line
 * with no end; a storm of URCs; the server closing mid-transfer; a redeploy with a send in flight;
 * two flows on one modem. Each test checks that the flow gets a clear error or recovers on its own,
 * that sequence-numbered data arrives neither lost, duplicated nor reordered (or, when cut, as a
 * correct prefix), and — through `faultGuards` — that every message was completed, no rejection went
 * unhandled and no handle outlived the test.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import helper from '../support/red-helper';
import { callsOf, modemReady, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, OUTPUTS, tlsChain, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import { startFibocomRig, type FibocomRig } from '../support/fibocom-rig';
import type { FibocomModemOptions } from '../../src/simulator/dialects/fibocom';

/** The chain's helper nodes, and those of a second chain on the same modem. */
const OUTS = [...OUTPUTS, 'opened2', 'sent2', 'received2'] as const;

/** A CA labelled "demo-ca"; profile 1 verifying the server, TLS 1.2, every suite, no SNI or host-name check (the module has none). */
const FIBOCOM_CHAIN: ChainSetup = {
  load: { name: 'demo-ca', format: 'auto', vendorOptions: '' },
  profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' },
  outputs: OUTS,
};

/** A second open, send and tls-recv on the same modem-config, wired to their own helpers. */
const SECOND_CHAIN = (port: number): FlowNode[] => [
  { id: 'open2', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: String(port), mode: 'command', wires: [['opened2']] },
  { id: 'send2', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent2']] },
  { id: 'recv2', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received2']] },
];

function chain(o: ChainOptions): FlowNode[] {
  return tlsChain(FIBOCOM_CHAIN, o);
}

const RECORD = 64;

describe('Fibocom L610 under faults: unplug, restart, silence, noise, floods, a closing peer, redeploy, two flows', function () {
  this.timeout(60000);
  const e2e = flowSuite<FibocomRig>({ tab: 'Fibocom faults', pki: { keyType: 'rsa' }, sockets: /^[1-6]$/, outputs: OUTS, config: { readyTimeout: 20 } });
  faultGuards();
  const { start, opens, echoes, failureOf } = e2e;

  function fibocom(options: FibocomModemOptions = {}): FibocomRig {
    return e2e.use(startFibocomRig(options));
  }

  /** A TLS echo server of the test PKI (its `connection` event gives the server side of each connection). */
  async function echoServer(r: FibocomRig, extra: Record<string, unknown> = {}) {
    return r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ...extra });
  }

  /** The modem config's AT engine, for what only it knows: how many bytes its reader holds. */
  function engine(): { framer: { heldBytes: number } } {
    return (helper.getNode('cfg') as unknown as { modem: { engine: { framer: { heldBytes: number } } } }).modem.engine;
  }

  /** Every data byte tls-recv (`id`) pushed for `socket` so far, in order. */
  function receivedOn(socket: string, id = 'received'): Buffer {
    return Buffer.concat(e2e.probe.all(id).filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
  }

  /**
   * Takes every data message of `socket` still waiting at tls-recv's helper: the module hands the
   * freed id to the next connection, whose data must not be mixed with the old one's.
   */
  async function drain(socket: string): Promise<void> {
    for (;;) {
      const taken = await e2e.probe.next('received', (m) => m.topic === 'data' && m.socket === socket, 1).then(() => true, () => false);
      if (!taken) return;
    }
  }

  /**
   * How the messages node `nodeId` received were completed, as Node-RED's own hook sees done()
   * and done(err) — also for a node a redeploy is stopping. `stop()` removes the hook.
   */
  function completions(nodeId: string): { list: Msg[]; stop(): void } {
    const hooks = (helper as unknown as { _RED: { hooks: { add(name: string, fn: (event: Msg) => void): void; remove(name: string): void } } })._RED.hooks;
    const name = `onComplete.faultsFibocom${nodeId}`;
    const list: Msg[] = [];
    hooks.add(name, (event) => {
      if (event.node?.id === nodeId) list.push(event);
    });
    return { list, stop: () => hooks.remove(name) };
  }

  /** Bytes a server-side socket received, collected in order. */
  function collect(socket: TLSSocket): { data(): Buffer } {
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    return { data: () => Buffer.concat(parts) };
  }

  /** Loads the CA, applies the profile (verify server), and opens: the socket id. */
  async function provisionAndOpen(): Promise<string> {
    await e2e.provision();
    return opens();
  }

  /** What the adapter notes as held, as load-cert's list gives it, checked against the module's own files. */
  async function listMatchesModule(r: FibocomRig): Promise<Msg[]> {
    const listed = await e2e.probe.run('load', { action: 'list' }, 'loaded');
    const items = listed.payload as Msg[];
    const byType = (t: string): number => items.filter((i) => i.certType === t).length;
    assert.deepEqual(
      { ca: byType('ca'), cert: byType('cert'), key: byType('key') },
      { ca: r.device.files.TRUSTFILE.length, cert: r.device.files.CERTFILE.length, key: r.device.files.KEYFILE.length },
      `the list ${JSON.stringify(items)} is what the module holds`,
    );
    for (const file of r.device.files.TRUSTFILE) {
      assert.doesNotThrow(() => new X509Certificate(file), `every trust file on the module is a whole certificate, not ${JSON.stringify(file.subarray(0, 40).toString('latin1'))}`);
    }
    return items;
  }

  it('unplugged during a certificate upload: load-cert fails with LINK_DOWN, the modem comes back by itself on replug, the retry stores the CA once (no filler stored as a file), a client certificate cut off after the module stored it is known on the retry, and the list is what the module holds', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));

    const mark = r.modem.log.length;
    // The module takes the command and is slow to prompt: the cable goes before the text does.
    r.modem.faults.delayReplies(300);
    const failed = failureOf('load', { payload: e2e.pki.ca.cert });
    await r.modem.waitForCommand(/^AT\+GTSSLFILE="TRUSTFILE",\d+$/, 8000, mark);
    await r.pty.unplug();
    const { caught, decoded } = await failed;
    assert.equal(caught.modemError.kind, 'LINK_DOWN', caught.error.message);
    assert.match(caught.error.message, /went down|lost/);
    assert.equal(decoded.payload.vendor, 'fibocom');
    r.modem.faults.clear();

    r.pty.replug();
    await modemReady('cfg', 20000);
    assert.ok(r.linesSince(mark).includes('ATE0'), 'brought up again with no flow asking');

    const again = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded');
    assert.equal(again.payload.verified, true);
    await listMatchesModule(r);
    assert.equal(r.device.files.TRUSTFILE.length, 1, 'one trust file: the interrupted upload left nothing behind');
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    assert.equal((await echoes(socket, 'after the replug\n')).toString(), 'after the replug\n');

    // Now the cable goes the moment the module has stored a client certificate, before its OK: the
    // module holds one, keeps only one and cannot replace it — the retry must know it is that one.
    const certs = r.device.files.CERTFILE;
    const store = certs.push.bind(certs);
    certs.push = (...files: Buffer[]): number => {
      const n = store(...files);
      void r.pty.unplug();
      return n;
    };
    const cut = await failureOf('load', { payload: e2e.pki.client.cert, certType: 'cert', name: 'modem-cert' });
    assert.equal(cut.caught.modemError.kind, 'LINK_DOWN', cut.caught.error.message);
    assert.equal(r.device.files.CERTFILE.length, 1, 'the module stored it');
    r.pty.replug();
    await modemReady('cfg', 20000);
    const before = r.modem.log.length;
    const retried = await e2e.probe.run('load', { payload: e2e.pki.client.cert, certType: 'cert', name: 'modem-cert' }, 'loaded');
    assert.deepEqual({ verified: retried.payload.verified, unchanged: retried.payload.unchanged }, { verified: true, unchanged: true });
    assert.ok(!r.linesSince(before).some((l) => l.startsWith('AT+GTSSLFILE="CERTFILE"')), 'not sent a second time');
    const items = await listMatchesModule(r);
    assert.deepEqual(items.map((i) => `${i.certType} ${i.name}`).sort(), ['ca demo-ca', 'cert modem-cert']);
  });

  it('unplugged during a send (+MIPSEND of a large numbered stream): tls-send fails with LINK_DOWN, tls-recv says closed, the server got a correct prefix and nothing else, and the replugged modem opens and echoes again', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    let server: { data(): Buffer } | undefined;
    echo.once('connection', (s: TLSSocket) => (server = collect(s)));
    const socket = await provisionAndOpen();

    const stream = numberedStream(0, 2000, RECORD);
    const mark = r.modem.log.length;
    const failed = e2e.probe.failure('send', { socket, payload: stream }, { timeoutMs: 20000 });
    // A few chunks go through; then the module is slow to prompt, and the cable goes meanwhile.
    for (let n = 0; n < 5; n++) await r.modem.waitForCommand(/^AT\+MIPSEND=/, 8000, r.modem.log.length);
    r.modem.faults.delayReplies(250);
    await r.modem.waitForCommand(/^AT\+MIPSEND=/, 8000, r.modem.log.length);
    await r.pty.unplug();
    const caught = await failed;
    assert.equal(caught.modemError.kind, 'LINK_DOWN', caught.error.message);
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(closed.reason, /link to the modem was lost/);
    r.modem.faults.clear();
    r.pty.replug();
    await modemReady('cfg', 20000);
    // Let the module finish whatever it had started (its idle timer), and the server see the end.
    await until('the old connection to end at the server', () => echo.openConnections === 0, 15000);

    const got = server!.data();
    const whole = assertSequencePrefix(got, 0, RECORD);
    assert.ok(got.length >= 5 * 2048 && got.length < stream.length, `cut mid-stream: ${got.length} bytes`);
    assert.ok(stream.subarray(0, got.length).equals(got), `the server got the first ${got.length} bytes of the stream and nothing else (${whole} whole records)`);
    assert.ok(!r.linesSince(mark).some((l) => l.includes('\x1b')), 'no filler was typed into the module');

    await drain(socket);
    const next = await opens();
    const echoed = await echoes(next, numberedStream(5000, 100, RECORD));
    assertSequence(echoed, 5000, 100, RECORD);
  });

  it('unplugged during a receive (the server pushes a numbered stream, read mode +MIPREAD): what reached the flow is a correct prefix, tls-recv says closed, and after the replug a new connection receives whole', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    let server: TLSSocket | undefined;
    echo.once('connection', (s: TLSSocket) => (server = s));
    const socket = await provisionAndOpen();
    await until('the server to see the connection', () => server !== undefined);

    const count = 4000;
    server!.write(numberedStream(0, count, RECORD));
    await until('some of the stream to arrive', () => receivedOn(socket).length >= 20 * 1024, 15000);
    await r.pty.unplug();
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(closed.reason, /link to the modem was lost/);
    const got = receivedOn(socket);
    const whole = assertSequencePrefix(got, 0, RECORD);
    assert.ok(whole >= 320 && whole < count, `${whole} whole records before the cut`);

    await drain(socket);
    r.pty.replug();
    await modemReady('cfg', 20000);
    assert.equal(receivedOn(socket).length, got.length, 'nothing more came for the old socket after it was closed');
    let second: TLSSocket | undefined;
    echo.once('connection', (s: TLSSocket) => (second = s));
    const next = await opens();
    await until('the server to see the new connection', () => second !== undefined);
    second!.write(numberedStream(0, 500, RECORD));
    assertSequence(await e2e.probe.bytes('received', next, 500 * RECORD, 20000), 0, 500, RECORD);
  });

  it('the module restarts mid-session (files lost, echo back on, +SIM READY): the send waiting for its prompt fails at once naming the restart, the old socket fails clearly, and the next open loads the CA again before it connects — never a connection without the CA', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    const socket = await provisionAndOpen();
    assertSequence(await echoes(socket, numberedStream(0, 50, RECORD)), 0, 50, RECORD);

    const failed = e2e.probe.failure('send', { socket, payload: numberedStream(50, 2000, RECORD) }, { timeoutMs: 20000 });
    for (let n = 0; n < 3; n++) await r.modem.waitForCommand(/^AT\+MIPSEND=/, 8000, r.modem.log.length);
    // The next chunk waits for its prompt when the power goes: no prompt will ever come.
    r.modem.faults.delayReplies(300);
    await r.modem.waitForCommand(/^AT\+MIPSEND=/, 8000, r.modem.log.length);
    const mark = r.modem.log.length;
    await r.modem.reboot();
    r.modem.faults.clear();
    assert.deepEqual(r.device.files.TRUSTFILE, [], 'the module lost its files');
    const caught = await failed;
    // Within the probe's 20 s, not the chunk's 30 s timeout: the restart itself ends the wait, and is named.
    assert.match(caught.error.message, /socket \d is no longer open \(the module restarted.*; \d+ of 128000 bytes were sent/, caught.error.message);
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket);
    assert.match(ended.reason, /restarted/);
    await until('the module to be brought up again', () => r.linesSince(mark).includes('ATE0'), 15000);
    await modemReady('cfg', 15000);
    assert.equal(r.modem.settings.echo, false, 'echo off again');
    assert.ok(warnings().some((w) => /restarted \(\+SIM READY\).*bringing it up again/.test(w)), warnings().join(' | '));
    const prefix = receivedOn(socket);
    assertSequencePrefix(prefix, 0, RECORD);
    await drain(socket);

    const late = await failureOf('send', { socket, payload: 'too late' });
    assert.match(late.caught.error.message, /msg\.socket: socket \d is no longer open \(the module restarted/);

    const before = r.modem.log.length;
    let trustedAtOpen = -1;
    const opening = r.modem.waitForCommand(/^AT\+MIPOPEN=/, 15000, before).then(() => (trustedAtOpen = r.device.files.TRUSTFILE.length));
    const again = await opens();
    await opening;
    assert.equal(trustedAtOpen, 1, 'the CA was on the module when it was asked to connect');
    assert.equal(r.device.ssl.mode, 1, 'verification on again');
    assertSequence(await echoes(again, numberedStream(0, 100, RECORD)), 0, 100, RECORD);
    await listMatchesModule(r);
  });

  it('a reply that never comes (dropped, then a hung module): the command fails with a clear timeout, the modem is resynchronised, and the next command and the open socket work', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    const socket = await provisionAndOpen();

    const mark = r.modem.log.length;
    r.modem.faults.dropNextReplies(1);
    let failed = await failureOf('at', { payload: 'AT+CSQ', timeout: 1000 });
    assert.equal(failed.caught.modemError.kind, 'TIMEOUT');
    assert.match(failed.caught.error.message, /AT\+CSQ: no final result code within 1000 ms/);
    let answer = await e2e.probe.run('at', { payload: 'AT+GTSSLFILE?' }, 'answer');
    assert.deepEqual(answer.payload, ['+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,1']);
    const lines = r.linesSince(mark);
    assert.ok(lines.indexOf('AT') > lines.indexOf('AT+CSQ'), `resynchronised with AT before the next command: ${lines.join(' | ')}`);

    r.modem.faults.mute(true);
    failed = await failureOf('at', { payload: 'AT+CGMI', timeout: 1000 });
    assert.equal(failed.caught.modemError.kind, 'TIMEOUT');
    assert.match(failed.caught.error.message, /AT\+CGMI: no final result code within 1000 ms/);
    r.modem.faults.mute(false);
    answer = await e2e.probe.run('at', { payload: 'AT+CGMI' }, 'answer', { timeoutMs: 15000 });
    assert.equal(answer.final, 'OK');
    assert.ok(answer.payload.some((l: string) => /Fibocom/i.test(l)), JSON.stringify(answer.payload));
    assertSequence(await echoes(socket, numberedStream(0, 200, RECORD)), 0, 200, RECORD);
  });

  it('noise on the line (bytes of every kind, with CR, LF, OK, ERROR and +MIP lines among them): commands answer what they should and a numbered stream echoes whole', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }), { traceAt: true });
    const socket = await provisionAndOpen();

    const noise = Buffer.concat([
      Buffer.from('\x00\xff\x1b\x1a~}\r\r\n\nOK\r\nERROR\r\n+CME ERROR: 3\r\n> \r\n', 'latin1'),
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) & 0xff)),
      Buffer.from('\r\nOK\r\n\r\nNO CARRIER\r\n+MIPCLOSE: 5,1\r\n+MIPREAD: 6,10\r\ngarbage without an end', 'latin1'),
    ]);
    r.modem.faults.garbage(noise);
    r.modem.faults.garbage('\r\nNOISE-END\r\n');
    // Noise that arrives while a command runs is that command's answer to any reader: it comes between commands here.
    await until('the noise to be read', () => callsOf('cfg', 'log').some((args) => String(args[0]).includes('NOISE-END')));
    const answer = await e2e.probe.run('at', { payload: 'AT+GTSSLFILE?' }, 'answer');
    assert.deepEqual(answer.payload, ['+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,1']);
    assertSequence(await echoes(socket, numberedStream(0, 300, RECORD)), 0, 300, RECORD);
    const clock = await e2e.probe.run('at', { payload: 'AT+CCLK?' }, 'answer');
    assert.match(clock.payload[0], /^\+CCLK: "/);
    assert.equal(e2e.probe.all('received').filter((m) => m.topic === 'closed').length, 0, 'the connection was not disturbed');
  });

  it('a line with no end (64 KB without CR or LF): the reader keeps a bounded amount and says so, the open connection ends (its data may be lost) and is freed on the module, and commands and a new connection work after it', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    const first = await provisionAndOpen();
    assertSequence(await echoes(first, numberedStream(0, 50, RECORD)), 0, 50, RECORD);

    const used = process.memoryUsage().rss;
    r.modem.faults.garbage(Buffer.alloc(64 * 1024, 0x41));
    await until('the modem config to warn about the line', () => warnings().some((w) => /without a line end/.test(w)), 15000);
    const held = engine().framer.heldBytes;
    assert.ok(held <= 8300, `the reader holds ${held} bytes, no more than the dialect's longest line`);
    r.modem.faults.garbage('\r\n');
    // A line that long may have been a connection's data: the connection ends, saying so, and is closed on the module too.
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === first);
    assert.match(ended.reason, /received data was lost/);
    await until('the module to free the socket', () => !r.device.sockets.has(Number(first)));
    const answer = await e2e.probe.run('at', { payload: 'AT+GTSSLFILE?' }, 'answer', { timeoutMs: 15000 });
    assert.deepEqual(answer.payload, ['+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,1']);
    assert.ok(process.memoryUsage().rss - used < 64 * 1024 * 1024, 'no runaway memory');
    await drain(first);
    const socket = await opens();
    assertSequence(await echoes(socket, numberedStream(0, 200, RECORD)), 0, 200, RECORD);
  });

  it('1,000 URCs a second (+MIPREAD and +MIPRTCP of sockets no flow opened, +MIPSTAT, +CREG, unknown lines) while a numbered stream echoes and at-command runs: all data intact, every answer right', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port }));
    const socket = await provisionAndOpen();

    const urcs = ['+MIPREAD: 5,10', '+MIPRTCP: 6,0,4F4B0D0A', '+CREG: 1', '+MIPSTAT: 4,0', 'VENDOR NOTICE 17', '+MIPXON: 3', '+CGREG: 1,"1A2B","01C2D3E4"', '+MIPCLOSE: 6,1', 'RING'];
    let emitted = 0;
    const storm = setInterval(() => {
      for (let i = 0; i < 10; i++) r.modem.emitUrc(urcs[emitted++ % urcs.length]!);
    }, 10);
    try {
      // Rounds of a numbered echo and raw commands side by side, for as long as it takes a thousand URCs to go out.
      for (let round = 0; emitted < 1000 || round < 2; round++) {
        const from = round * 1000;
        const echoing = echoes(socket, numberedStream(from, 500, RECORD), 40000);
        const asking = (async () => {
          for (let n = 0; n < 5; n++) {
            const answer = await e2e.probe.run('at', { payload: 'AT+GTSSLFILE?' }, 'answer', { timeoutMs: 15000 });
            // A line no rule knows, arriving between a raw command and its final, reads as part of the answer to anyone:
            // the storm's unknown line may be there; nothing else may, and nothing may be missing.
            const lines = (answer.payload as string[]).filter((l) => l !== 'VENDOR NOTICE 17');
            assert.deepEqual(lines, ['+GTSSLFILE: CERTFILE,0', '+GTSSLFILE: KEYFILE,0', '+GTSSLFILE: TRUSTFILE,1'], `round ${round}, answer ${n}: ${JSON.stringify(answer.payload)}`);
          }
        })();
        const [echoed] = await Promise.all([echoing, asking]);
        assertSequence(echoed, from, 500, RECORD);
      }
    } finally {
      clearInterval(storm);
    }
    assert.ok(emitted >= 1000, `${emitted} URCs were emitted`);
    assert.equal(e2e.probe.all('received').filter((m) => m.topic === 'closed').length, 0, 'no connection was taken for closed');
  });

  it('the server closes mid-transfer (+MIPSTAT): what arrived is a correct prefix, tls-recv says closed by the server, and a later send fails naming the socket', async () => {
    const r = fibocom();
    const echo = await echoServer(r, { closeAfterBytes: 20 * 1024 });
    await start(chain({ port: echo.port }));
    const socket = await provisionAndOpen();

    const sending = e2e.probe.run('send', { socket, payload: numberedStream(0, 1000, RECORD) }, 'sent', { timeoutMs: 20000 }).then(
      (m) => ({ ok: m }),
      (err: Error & { caught?: Msg }) => ({ err }),
    );
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 20000);
    assert.match(closed.reason, /closed by the server/);
    const outcome = await sending;
    if ('err' in outcome) {
      assert.ok(outcome.err.caught, `tls-send failed through the Catch node: ${outcome.err.message}`);
      assert.match(outcome.err.caught!.error.message, /socket|closed|ERROR|not take/);
    }
    const got = receivedOn(socket);
    const whole = assertSequencePrefix(got, 0, RECORD);
    assert.ok(got.length <= 20 * 1024 + RECORD && whole > 0, `${got.length} bytes came back`);

    await drain(socket);
    const { caught } = await failureOf('send', { socket, payload: 'after the end' });
    assert.equal(caught.modemError.field, 'msg.socket');
    assert.match(caught.error.message, new RegExp(`socket ${socket} is no longer open \\(closed by the server`));
    const next = await opens();
    assert.equal((await echoes(next, 'still here\n')).toString(), 'still here\n');
  });

  it('a redeploy while a long send is in flight: the send\'s message is completed (sent whole, or with an error), the server got a correct prefix, the connection is closed and the redeployed flow opens and echoes', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    const flow = await start(chain({ port: echo.port }));
    let server: { data(): Buffer } | undefined;
    echo.once('connection', (s: TLSSocket) => (server = collect(s)));
    const socket = await provisionAndOpen();

    const { list: completed, stop } = completions('send');
    try {
      helper.getNode('send').receive({ socket, payload: numberedStream(0, 3000, RECORD) });
      for (let n = 0; n < 4; n++) await r.modem.waitForCommand(/^AT\+MIPSEND=/, 8000, r.modem.log.length);
      await (helper as unknown as { setFlows(f: unknown[], t: string): Promise<void> }).setFlows(flow, 'full').catch((err: Error) => {
        if (!/timeout waiting event/.test(err.message)) throw err;
      });
      await until('the send to be completed', () => completed.length > 0, 15000);
    } finally {
      stop();
    }
    // Closing lets a send under way finish (within the modem config's bound), or ends it with an error.
    assert.equal(completed.length, 1);
    const error = completed[0]!.error as Error | undefined;
    if (error) assert.match(error.message, /clos|went down|no longer open/i);
    await until('the old connection to end at the server', () => echo.openConnections === 0, 15000);
    const got = server!.data();
    assertSequencePrefix(got, 0, RECORD);
    if (!error) assert.equal(got.length, 3000 * RECORD, 'done without an error: the server got all of it');
    await modemReady('cfg', 20000);
    e2e.watch();
    assert.ok(r.modem.log.some((e) => e.line === `AT+MIPCLOSE=${socket}`) || r.device.sockets.size === 0, `the old connection was closed: ${r.linesSince(0).slice(-20).join(' | ')}`);
    const next = await opens();
    assertSequence(await echoes(next, numberedStream(0, 200, RECORD)), 0, 200, RECORD);
  });

  it('a redeploy while a certificate upload waits for its prompt: the load message is completed, the module (its real 12 s input timer) is typed nothing into by the new bring-up, comes ready and stores no filler, and the redeployed flow loads and connects', async () => {
    // The module's own timing: it gives up an input only after 12 s without a byte.
    const r = fibocom({ timeScale: 1 });
    const echo = await echoServer(r);
    const flow = await start(chain({ port: echo.port }));
    const mark = r.modem.log.length;
    // The module takes the command and is slow to prompt: the redeploy comes before the text goes.
    r.modem.faults.delayReplies(300);
    const { list: completed, stop } = completions('load');
    try {
      helper.getNode('load').receive({ payload: e2e.pki.ca.cert });
      await r.modem.waitForCommand(/^AT\+GTSSLFILE="TRUSTFILE",\d+$/, 8000, mark);
      await (helper as unknown as { setFlows(f: unknown[], t: string): Promise<void> }).setFlows(flow, 'full').catch((err: Error) => {
        if (!/timeout waiting event/.test(err.message)) throw err;
      });
      await until('the load to be completed', () => completed.length > 0, 15000);
    } finally {
      stop();
    }
    r.modem.faults.clear();
    // A message the redeploy cut short ends quietly (done, no error for a flow that is going away): the module tells the outcome.
    assert.equal(completed.length, 1, 'the load message was completed');
    // Cut inside its prompt, the module gives the input up only after 12 s of silence: the new
    // deploy's bring-up must not type into it (it would never answer, or store what it typed).
    await modemReady('cfg', 30000);
    assert.ok(r.device.files.TRUSTFILE.length <= 1);
    e2e.watch();
    await listMatchesModule(r);
    const again = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded', { timeoutMs: 20000 });
    assert.equal(again.payload.verified, true);
    await listMatchesModule(r);
    assert.equal(r.device.files.TRUSTFILE.length, 1);
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    assert.equal((await echoes(socket, 'after the redeploy\n')).toString(), 'after the redeploy\n');
  });

  it('two flows on one modem at once (two sockets, one TLS configuration): numbered streams echo whole on both, neither disturbing the other', async () => {
    const r = fibocom();
    const echo = await echoServer(r);
    await start(chain({ port: echo.port, extra: SECOND_CHAIN(echo.port) }));
    await e2e.provision();
    const [a, b] = await Promise.all([
      e2e.probe.run('open', {}, 'opened').then((m) => m.socket as string),
      e2e.probe.run('open2', {}, 'opened2').then((m) => m.socket as string),
    ]);
    assert.notEqual(a, b);
    const count = 1200;
    const [sentA, sentB] = await Promise.all([
      e2e.probe.run('send', { socket: a, payload: numberedStream(0, count, RECORD) }, 'sent', { timeoutMs: 40000 }),
      e2e.probe.run('send2', { socket: b, payload: numberedStream(100000, count, RECORD) }, 'sent2', { timeoutMs: 40000 }),
    ]);
    assert.deepEqual([sentA.payload.bytes, sentB.payload.bytes], [count * RECORD, count * RECORD]);
    const [backA, backB] = await Promise.all([
      e2e.probe.bytes('received', a, count * RECORD, 40000),
      e2e.probe.bytes('received2', b, count * RECORD, 40000),
    ]).catch((err: Error) => {
      const sockets = [...r.device.sockets.values()].map((s) => `${s.id} ${s.state} in ${(s as { received?: number }).received} out ${(s as { sent?: number }).sent}`);
      throw new Error(`${err.message}; module sockets: ${sockets.join(', ')}; failures: ${e2e.probe.all('caught').map((m) => m.error.message).join(' | ')}; warnings: ${warnings().join(' | ')}`);
    });
    assertSequence(backA, 0, count, RECORD);
    assertSequence(backB, 100000, count, RECORD);
    assert.equal(r.device.sockets.size, 2);
  });
});

/** What the modem config warned about, oldest first. */
function warnings(): string[] {
  return callsOf('cfg', 'warn').map((args) => String(args[0]));
}
