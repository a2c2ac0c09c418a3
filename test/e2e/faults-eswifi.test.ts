/**
 * Inventek eS-WiFi under faults: the flows of `eswifi-flows.test.ts` (a real Node-RED, the real
 * `serialport` on a pty, a simulated ISM43362 with real TLS to local servers), while the
 * simulator pulls the plug, restarts the module, swallows answers, sends noise, a line without
 * end, a flood of unsolicited lines, or the server closes; plus a redeploy with a send in flight
 * and two flows sharing the module. Each test asserts that the flow gets a clear error (a Catch
 * node sees it, msg.modemError set) or recovers by itself, that numbered data arrives neither
 * lost nor duplicated nor reordered (a prefix of it where a fault cut it), and — through
 * `faultGuards` — that every message was completed, no rejection went unhandled and no handle
 * outlived the test.
 *
 * The certificate sets are one-time programmable: a test only ever programs a set on purpose,
 * with the `program` node (its "Program one-time set" checkbox) or msg.vendorOptions.programOneTime,
 * and checks what the module holds afterwards byte for byte.
 */
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import helper, { freshUserDirEachTest } from '../support/red-helper';
import { callsOf, modemReady, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, OUTPUTS, tlsChain, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { ESWIFI_CREDENTIALS, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import type { EswifiModem, EswifiModemOptions } from '../../src/simulator/dialects/eswifi';
import { parseSecurityData, toPem } from '../../src/tls/certificates';

/** The helper nodes, and `events` for a modem-event node (unsolicited lines). */
const WATCHED = [...OUTPUTS, 'events'] as const;

/** Set 0 is the profile and its CA; the server verified (P9=2), as in the eS-WiFi flow suite. */
const ESWIFI_CHAIN: ChainSetup = {
  load: { name: '0', format: 'auto', vendorOptions: '' },
  profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' },
  outputs: WATCHED,
};

/** The chain, plus `program` (load-cert with "Program one-time set" ticked) and `event` (modem-event → `events`). */
function chain(o: ChainOptions): FlowNode[] {
  const program: FlowNode = { id: 'program', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '0', format: 'auto', vendorOptions: '', programOneTime: true, wires: [['loaded']] };
  const event: FlowNode = { id: 'event', type: 'modem-event', modem: 'cfg', topics: '', wires: [['events']] };
  return tlsChain(ESWIFI_CHAIN, { ...o, extra: [program, event, ...(o.extra ?? [])] });
}

/** The root CA as the adapter writes it into a set: canonical PEM. */
function caAsWritten(pem: string): Buffer {
  const parsed = parseSecurityData(pem, 'ca');
  assert.equal(parsed.kind, 'certificate');
  return Buffer.from(toPem('CERTIFICATE', parsed.kind === 'certificate' ? parsed.der : Buffer.alloc(0)), 'latin1');
}

/** What set `set` of the module holds as its root CA (read afresh: a fault changes it). */
function caIn(r: EswifiRig, set: number): Buffer | undefined {
  return r.device.sets[set]?.ca;
}

/** The network the module has joined, if any. */
function joinedTo(r: EswifiRig): string | undefined {
  return r.device.joined?.ssid;
}

/** Line `n` of the flood: noise with "OK" and "ERROR" in it. */
function flooded(n: number): string {
  return `[FLOOD ${String(n).padStart(6, '0')}] OK ERROR`;
}
const FLOOD_LINE = /^\[FLOOD \d{6}\] OK ERROR$/;

/** The most flood lines behind one answer. */
const PER_ANSWER = 16;

/** Record size of the numbered streams. */
const RECORD = 64;


describe('eS-WiFi under faults: unplug, restart, lost answers, noise, endless lines, floods, peer close, redeploy and two flows on one simulated ISM43362', function () {
  this.timeout(60000);
  const e2e = flowSuite<EswifiRig>({ tab: 'eS-WiFi faults', pki: { keyType: 'rsa' }, sockets: /^[0-3]$/, outputs: WATCHED });
  const { opens, echoes, failureOf, closes } = e2e;
  freshUserDirEachTest('modem-tls-eswifi-faults-');
  faultGuards();

  function eswifi(options: EswifiModemOptions = {}): EswifiRig {
    return e2e.use(startEswifiRig(options));
  }

  /** Deploys `nodes` (passphrase as credential) and waits for the module to join `sim-wifi`. */
  async function start(nodes: FlowNode[], cfg: Record<string, unknown> = {}): Promise<void> {
    await e2e.start(nodes, cfg, ESWIFI_CREDENTIALS);
    await until('the module to join sim-wifi', () => e2e.rig.device.joined !== undefined);
  }

  /** A module with set 0 programmed with the test CA and the profile applied, an echo server of the test PKI. */
  async function provisioned(options: EswifiModemOptions = {}, cfg: Record<string, unknown> = {}, server: Record<string, unknown> = {}) {
    const r = eswifi(options);
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ...server });
    await start(chain({ port: echo.port }), cfg);
    const ca = await e2e.probe.run('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' }, 'loaded');
    assert.equal(ca.payload.unchanged, false);
    await e2e.probe.run('profile', {}, 'applied');
    return { r, echo };
  }

  /** Sends `data` on `socket` with tls-send (not waiting), for a fault to hit while it runs. */
  function sending(socket: string, data: Buffer): Promise<Msg> {
    return e2e.probe.failure('send', { socket, payload: data }, { outId: 'sent', timeoutMs: 30000 });
  }

  /** Every byte tls-recv pushed for `socket` so far, in order. */
  function receivedOn(socket: string): Buffer {
    return Buffer.concat(e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
  }

  /** tls-recv's `closed` message for `socket`. */
  function closedOn(socket: string, timeoutMs = 15000): Promise<Msg> {
    return e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, timeoutMs);
  }

  /** Plugs the module in again and waits for the modem to be brought up by itself and to rejoin `sim-wifi`. */
  async function replugged(r: EswifiRig): Promise<void> {
    r.pty.replug();
    await modemReady('cfg', 30000);
    await until('the module to rejoin sim-wifi', () => joinedTo(r) !== undefined, 15000);
    await r.modem.whenIdle();
  }

  /** After replug or restart: a new connection echoes a numbered stream, without a redeploy. */
  async function worksAgain(records = 40): Promise<void> {
    // A fresh probe: what the earlier connections pushed is not this one's.
    e2e.watch();
    const socket = await opens();
    const data = numberedStream(9000, records, RECORD);
    assertSequence(await echoes(socket, data, 30000), 9000, records, RECORD);
    await closes(socket);
  }

  it('unplugged during a certificate upload to a set: a clear LINK_DOWN error; after the replug the modem comes back by itself; the set is not reported programmed, holds nothing half-written, and the retry (same data, programOneTime) is safe — programmed whole, or a match when the lost answer had programmed it', async () => {
    // 9600 baud: the root CA's PG takes over a second on the wire, so the cut lands inside its bytes.
    const r = eswifi({ baudRate: 9600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { baudRate: 9600 });
    const written = caAsWritten(e2e.pki.ca.cert);

    const header = r.modem.waitForCommand(/^PG=0,0,/, 20000);
    const failing = failureOf('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' });
    await header;
    await r.pty.unplug();
    const { caught, decoded } = await failing;
    assert.equal(caught.error.source.id, 'program');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind }, { vendor: 'eswifi', kind: 'LINK_DOWN' });
    assert.match(caught.error.message, new RegExp(`PG=0,0,${written.length}: the link to the modem was lost while the root CA was written`));
    assert.match(caught.error.message, /set 0 may now hold this root CA for good, or nothing new: it is noted as holding a root CA of unknown content and is not reported programmed/);
    assert.match(caught.error.message, /Load the same data again once the modem is ready, with programOneTime/);
    assert.equal(decoded.payload.vendor, 'eswifi');
    assert.equal(caIn(r, 0), undefined, 'the cut PG programmed nothing');

    // Back by itself: the link reopens, the engine ends the cut PG's bytes (they cannot be taken
    // back: the module counts them) with filler it refuses as a certificate, and resynchronises.
    const mark = r.modem.log.length;
    await replugged(r);
    assert.deepEqual(r.device.sets, [{}, {}, {}], 'no set holds anything: nothing half-written, nothing else programmed');
    assert.deepEqual(r.linesSince(mark).filter((l) => l.startsWith('PG=')), [], 'no PG was sent by the recovery');

    // Noted as unknown, not programmed: the list says so, and a plain load is refused with the reason.
    const listed = await e2e.probe.run('load', { action: 'list' }, 'loaded');
    assert.deepEqual(listed.payload.map((i: Msg) => [i.name, i.certType, i.unknownContent]), [['0', 'ca', true]]);
    let before = r.modem.log.length;
    const plain = await failureOf('load', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' });
    assert.deepEqual({ kind: plain.caught.modemError.kind, field: plain.caught.modemError.field }, { kind: 'PARAMETER', field: 'name' });
    assert.match(plain.caught.error.message, /set 0 holds a root CA this package does not know — data whose content is unknown here \(no answer to PG=0,0,\d+ \(the link to the modem was lost\)/);
    assert.deepEqual(r.linesSince(before), [], 'nothing reached the module');

    // The retry with the same data and programOneTime: programmed once, whole.
    before = r.modem.log.length;
    const retried = await e2e.probe.run('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' }, 'loaded', { timeoutMs: 20000 });
    assert.deepEqual({ verified: retried.payload.verified, unchanged: retried.payload.unchanged }, { verified: true, unchanged: false });
    assert.deepEqual(r.linesSince(before), ['PF=0', `PG=0,0,${written.length} <${written.length} bytes>`]);
    assert.ok(caIn(r, 0)?.equals(written), 'set 0 holds the root CA exactly');

    // The answer lost after the whole PG arrived: the set IS programmed; the retry finds the match.
    const dropped = (entry: { line: string }): void => {
      if (entry.line.startsWith('PG=1,0,')) r.modem.faults.dropNextReplies(1);
    };
    r.modem.on('command', dropped);
    const lost = { caught: await e2e.probe.failure('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '1' }, { timeoutMs: 30000 }) };
    r.modem.off('command', dropped);
    assert.equal(lost.caught.modemError.kind, 'TIMEOUT');
    assert.match(lost.caught.error.message, /PG=1,0,\d+: no answer came while the root CA was written .*set 1 may now hold this root CA for good, or nothing new/);
    assert.ok(r.device.sets[1]!.ca?.equals(written), 'the module took it before its answer was lost');
    const again = await e2e.probe.run('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '1' }, 'loaded', { timeoutMs: 20000 });
    assert.deepEqual({ verified: again.payload.verified, unchanged: again.payload.unchanged }, { verified: true, unchanged: true });
    assert.ok(again.payload.warnings.some((w: string) => /set 1 already held exactly this root CA \(the module answered a match\)/.test(w)), JSON.stringify(again.payload.warnings));
    assert.ok(r.device.sets[1]!.ca?.equals(written));
    assert.deepEqual(r.device.sets[2], {}, 'set 2 was never touched');

    await e2e.probe.run('profile', {}, 'applied');
    await worksAgain(10);
  });

  it('unplugged during a send (S3 bursts of a numbered stream): tls-send fails with a clear LINK_DOWN error, tls-recv says the socket closed because the link was lost, the echo that came is a correct prefix; after the replug a new open echoes', async () => {
    const { r, echo } = await provisioned();
    const served: Buffer[] = [];
    echo.once('connection', (tls: TLSSocket) => tls.on('data', (d: Buffer) => served.push(Buffer.from(d))));
    const socket = await opens();
    const data = numberedStream(0, 1500, RECORD);

    const mark = r.modem.log.length;
    const third = r.modem.waitForCommand(/^S3=/, 10000, mark).then(() => r.modem.waitForCommand(/^S3=/, 10000, r.modem.log.length));
    const failing = sending(socket, data);
    await third;
    await r.pty.unplug();
    const caught = await failing;
    assert.equal(caught.error.source.id, 'send');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind }, { vendor: 'eswifi', kind: 'LINK_DOWN' });
    assert.match(caught.error.message, /link .* (went down|is not open)/);
    const ended = await closedOn(socket);
    assert.match(ended.reason, /^the link to the modem was lost/);
    const prefix = assertSequencePrefix(receivedOn(socket), 0, RECORD);
    assert.ok(prefix < 1500, `the cut stream came back in part (${prefix} records)`);

    await replugged(r);
    const late = await failureOf('send', { socket, payload: 'after the cut' });
    assert.equal(late.caught.modemError.kind, 'PARAMETER');
    assert.match(late.caught.error.message, new RegExp(`msg\\.socket: socket ${socket} is no longer open \\(the link to the modem was lost`));
    assert.ok(served.length > 0);
    assertSequencePrefix(Buffer.concat(served), 0, RECORD);
    await worksAgain();
  });

  it('unplugged during a receive (the server pushes a numbered stream, read by R0 polling): tls-recv says the link was lost, what came is a correct prefix; after the replug a new open echoes', async () => {
    const { r, echo } = await provisioned();
    echo.once('connection', (tls: TLSSocket) => {
      tls.write(numberedStream(0, 3000, RECORD));
    });
    const socket = await opens();
    await until('part of the stream to arrive', () => receivedOn(socket).length >= 20 * RECORD, 15000);
    await r.pty.unplug();
    const ended = await closedOn(socket);
    assert.match(ended.reason, /^the link to the modem was lost/);
    const got = assertSequencePrefix(receivedOn(socket), 0, RECORD);
    assert.ok(got >= 20 && got < 3000, `${got} records before the cut`);

    await replugged(r);
    assert.equal(assertSequencePrefix(receivedOn(socket), 0, RECORD), got, 'nothing of the old connection came after the cut');
    await worksAgain();
  });

  it('the module restarts mid-session (Wi-Fi join and socket lost): the adapter notices from the failing read, tls-recv reports the socket closed with the reason, a send on it fails clearly; a new open rejoins the network and echoes, without a redeploy', async () => {
    const { r } = await provisioned();
    const socket = await opens();
    assertSequence(await echoes(socket, numberedStream(0, 30, RECORD)), 0, 30, RECORD);

    await r.modem.reboot();
    assert.equal(joinedTo(r), undefined, 'the restart left the network');
    const ended = await closedOn(socket);
    assert.match(ended.reason, /the module is no longer joined to the Wi-Fi network \(it restarted, or lost the access point\)/);
    const late = await failureOf('send', { socket, payload: 'after the restart' });
    assert.equal(late.caught.modemError.kind, 'PARAMETER');
    assert.match(late.caught.error.message, new RegExp(`msg\\.socket: socket ${socket} is no longer open \\(the module is no longer joined`));

    const mark = r.modem.log.length;
    const again = await opens();
    const lines = r.linesSince(mark);
    assert.ok(lines.includes('C0') && lines.indexOf('C0') < lines.lastIndexOf('P6=1'), `the open joined first: ${lines.join(' | ')}`);
    assert.equal(joinedTo(r), 'sim-wifi');
    assertSequence(await echoes(again, numberedStream(100, 30, RECORD)), 100, 30, RECORD);
    await closes(again);
  });

  it('a reply that never comes (mute, then a dropped answer): at-command fails with a clear TIMEOUT, the engine resynchronises on the "> " prompt, and the next command is answered correctly', async () => {
    const { r } = await provisioned({}, { commandTimeout: 1500 });
    r.modem.faults.mute(true);
    const muted = await failureOf('at', { payload: 'I?' });
    assert.deepEqual({ kind: muted.caught.modemError.kind, command: muted.caught.modemError.command }, { kind: 'TIMEOUT', command: 'I?' });
    assert.match(muted.caught.error.message, /I\?: no final result code within 1500 ms/);
    r.modem.faults.mute(false);
    const mark = r.modem.log.length;
    const info = await e2e.probe.run('at', { payload: 'I?' }, 'answer', { timeoutMs: 15000 });
    assert.equal(info.final, 'OK');
    assert.deepEqual(info.payload, ['ISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi']);
    assert.ok(r.linesSince(mark).filter((l) => l === 'I?').length >= 2, 'resynchronised with I? first');

    r.modem.faults.dropNextReplies(1);
    const dropped = await failureOf('at', { payload: 'CS' });
    assert.equal(dropped.caught.modemError.kind, 'TIMEOUT');
    const cs = await e2e.probe.run('at', { payload: 'CS' }, 'answer', { timeoutMs: 15000 });
    assert.deepEqual({ final: cs.final, payload: cs.payload }, { final: 'OK', payload: ['1'] });
    await worksAgain();
  });

  /*
   * Noise and the endless line come while no connection is polled and no command runs: inside an
   * answer — above all an R0 answer, raw data up to its end — no host could tell noise from the
   * answer, so what these tests can hold the engine to is that noise between answers is never
   * taken for one, and that it recovers.
   */
  it('noise bytes between answers (CR, LF, "OK", "> ", "ERROR", binary, a torn line): the stray lines go out as unknown events, nothing is misread as an answer, commands and a numbered echo work after it', async () => {
    const { r } = await provisioned();
    await r.modem.whenIdle();
    const noise = Buffer.concat([
      Buffer.from('\r\nOK\r\n> \r\n\r\nERROR: noise\r\nUsage: none\r\n> ', 'latin1'),
      Buffer.from([0x00, 0xff, 0x1b, 0x1a, 0x7f, 0x0d, 0x0a]),
      Buffer.from('-1\r\n> OK> \r\r\n\n#noise-end\r\n', 'latin1'),
    ]);
    r.modem.faults.garbage(noise);
    await e2e.probe.next('events', (m) => m.raw === '#noise-end');
    const info = await e2e.probe.run('at', { payload: 'I?' }, 'answer');
    assert.deepEqual({ final: info.final, payload: info.payload }, { final: 'OK', payload: ['ISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi'] });
    const cs = await e2e.probe.run('at', { payload: 'CS' }, 'answer');
    assert.deepEqual(cs.payload, ['1']);
    await worksAgain(100);
  });

  it('a line with no end (64 KB without CR or LF): dropped within the line limit with a warning, memory stays bounded, the modem is resynchronised and commands and a numbered echo work after it', async () => {
    const { r } = await provisioned();
    await r.modem.whenIdle();
    const engine = (helper.getNode('cfg') as unknown as { modem: { engine: unknown } }).modem.engine as { framer: { bufferedBytes: number } };
    const overflowed = (): boolean => callsOf('cfg', 'warn').some((args) => /more than 4096 bytes without a line end; they were dropped/.test(String(args[0])));
    assert.equal(overflowed(), false);
    r.modem.faults.garbage(Buffer.alloc(64 * 1024, 'x'));
    await until('the warning that names the limit', overflowed);
    await r.modem.whenIdle();
    // The line has not ended yet: what the host holds of it stays within the limit.
    assert.ok(engine.framer.bufferedBytes <= 2 * 4096, `the framer holds ${engine.framer.bufferedBytes} bytes of the endless line`);
    r.modem.faults.garbage('\r\n#endless-done\r\n');
    await e2e.probe.next('events', (m) => m.raw === '#endless-done');
    assert.ok(engine.framer.bufferedBytes <= 2 * 4096);
    assert.deepEqual(e2e.probe.all('events').map((m) => m.raw), ['#endless-done'], 'the dropped line is no event');
    const info = await e2e.probe.run('at', { payload: 'I?' }, 'answer');
    assert.equal(info.final, 'OK');
    assert.match(info.payload[0], /^ISM43362-M3G-L44-UART,/);
    await worksAgain(100);
  });

  /*
   * The eS-WiFi prints nothing by itself in client mode: seeds/002 and the eS-WiFi command set
   * document no unsolicited message for data, closes or the network (every driver polls R0 and
   * CS), and its only output outside an answer is the ready prompt after a restart. A flood of
   * URCs has no counterpart. On this half-duplex wire, anything unsolicited can only land safely
   * right behind the "> " of an answer to a line command (P0, S3, CS, …), in the same write: in
   * or behind an R0 answer, which is raw data up to its end, no host could tell it from data, and
   * a module printing there would corrupt the stream for any driver. So the nearest honest
   * equivalent is 1,000 noise lines a second (with "OK" and "ERROR" in them), put behind those
   * answers (`emitAfterAnswer`), while a numbered stream is echoed and commands run: the engine
   * must frame and drop every one of them — they reach modem-event as unknown events — and never
   * take one for an answer or for data.
   */
  it('1,000 unsolicited lines a second (right behind the prompt of each line command’s answer, the one place a module could print them) while a numbered stream is echoed and commands run: the stream is intact, every command answered, every line framed once, in order, never as data', async () => {
    const { r } = await provisioned({}, { traceAt: true });
    const modem = r.modem as EswifiModem;
    const socket = await opens();
    let sent = 0;
    const started = Date.now();
    // At each line command the module takes, the lines due by then (one a millisecond) go behind
    // its answer, a few at a time: an answer and what follows it stay one short write.
    const flood = (entry: { line: string }): void => {
      if (entry.line === 'R0') return;
      const due = Math.min(PER_ANSWER, Date.now() - started - sent);
      if (due <= 0) return;
      const lines = Array.from({ length: due }, (_, i) => `${flooded(sent + i)}\r\n`);
      sent += due;
      modem.emitAfterAnswer(lines.join(''));
    };
    const traced = callsOf('cfg', 'log').length;
    modem.on('command', flood);
    try {
      const data = numberedStream(0, 8000, RECORD);
      const echo = echoes(socket, data, 45000);
      // Commands run for as long as the flood lasts: three seconds' worth of lines.
      for (let i = 0; i < 20 || sent < 3000; i++) {
        const cs = await e2e.probe.run('at', { payload: 'CS' }, 'answer', { timeoutMs: 15000 });
        assert.equal(cs.final, 'OK');
        // A raw command's answer is every line the module printed while it ran: the state, and
        // any line of the flood the host read only after it had sent CS.
        assert.deepEqual(cs.payload.filter((l: string) => !FLOOD_LINE.test(l)), ['1']);
      }
      assertSequence(await echo, 0, 8000, RECORD);
    } finally {
      modem.off('command', flood);
    }
    const seconds = (Date.now() - started) / 1000;
    // One line a millisecond while commands come at least every 16 ms (they come far faster).
    assert.ok(sent >= 3000, `${sent} lines in ${seconds.toFixed(1)} s`);
    // The last lines go out behind the next answers: this echo carries them.
    assertSequence(await echoes(socket, numberedStream(50000, 20, RECORD)), 50000, 20, RECORD);
    await closes(socket);
    // The engine framed each line once, in order, as a line — never as R0 data, never twice.
    const seen = callsOf('cfg', 'log').slice(traced).map((args) => String(args[0])).filter((t) => t.startsWith('← [FLOOD '));
    assert.deepEqual(seen, Array.from({ length: sent }, (_, i) => `← ${flooded(i)}`));
    // Unknown events for those read between commands, in order (the rest went with an answer).
    const events = e2e.probe.all('events').map((m) => { assert.equal(m.known, false); return m.raw as string; });
    const numbers = events.map((raw) => { assert.match(raw, FLOOD_LINE); return Number(/\d{6}/.exec(raw)![0]); });
    assert.ok(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!), 'in order, each once');
    assert.ok(events.length > 0);
  });

  it('the server closes mid-transfer: what arrived is a correct prefix, tls-recv reports "closed by the server", a later send fails clearly without reaching the module', async () => {
    const { r, echo } = await provisioned({}, {}, { closeAfterBytes: 40 * RECORD });
    const socket = await opens();
    const data = numberedStream(0, 400, RECORD);
    const outcome = e2e.probe.failure('send', { socket, payload: data }, { outId: 'sent', timeoutMs: 30000 }).then(
      (caught) => ({ caught }),
      (err: Error) => ({ err }),
    );
    const ended = await closedOn(socket);
    assert.equal(ended.reason, 'closed by the server');
    const got = assertSequencePrefix(receivedOn(socket), 0, RECORD);
    assert.equal(got, 40, 'the server echoed 40 records, and each arrived once, in order');
    // The send either finished before the close was seen (the module took every byte) or failed clearly.
    const result = await outcome;
    if ('caught' in result) {
      assert.equal(result.caught.modemError.vendor, 'eswifi');
      assert.match(result.caught.error.message, /closed by the server|no longer open/);
    } else {
      assert.match(result.err.message, /was expected to fail, but sent/);
    }
    const mark = r.modem.log.length;
    const late = await failureOf('send', { socket, payload: 'too late' });
    assert.equal(late.caught.modemError.kind, 'PARAMETER');
    assert.match(late.caught.error.message, new RegExp(`msg\\.socket: socket ${socket} is no longer open \\(closed by the server\\)`));
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
    await until('the server connection to go', () => echo.openConnections === 0);
    const closed = await e2e.probe.run('close', { socket }, 'closed');
    assert.deepEqual(closed.payload, { socket, closed: true });
  });

  it('redeploy while a long send is in flight: the message is completed once (a redeploy is not a failure of the flow: quietly, not reported sent), the socket is stopped on the module, and the redeployed flow opens and echoes on the same module', async () => {
    // 115200 baud both ways, as a UART carries it: 192 KB take some 17 s, far longer than a redeploy may.
    const { r, echo } = await provisioned({ baudRate: 115200 });
    const socket = await opens();
    const completions: Array<{ error?: unknown }> = [];
    const hooks = (helper as unknown as { _RED: { hooks: { add(name: string, fn: (e: { node: { id: string }; error?: unknown }) => void): void; remove(name: string): void } } })._RED.hooks;
    hooks.add('onComplete.eswifiRedeploy', (event) => {
      if (event.node.id === 'send') completions.push({ error: event.error });
    });
    const mark = r.modem.log.length;
    try {
      helper.getNode('send').receive({ socket, payload: numberedStream(0, 3000, RECORD) });
      await r.modem.waitForCommand(/^S3=/, 10000, mark);
      await e2e.unload();
    } finally {
      hooks.remove('onComplete.eswifiRedeploy');
    }
    assert.equal(completions.length, 1, 'the message in flight was completed once');
    assert.equal(completions[0]!.error, undefined, 'quietly: the redeploy stopped it');
    assert.equal(e2e.probe.all('sent').length, 0, 'it was not reported sent');
    const lines = r.linesSince(mark);
    assert.ok(lines.lastIndexOf('P6=0') > lines.lastIndexOf(lines.filter((l) => l.startsWith('S3=')).pop()!), `the send stopped, then the socket: ${lines.slice(-6).join(' | ')}`);
    assert.deepEqual(r.device.sockets.map((s) => s.connection?.state ?? 'free'), ['free', 'free', 'free', 'free'], 'no connection is left on the module');

    // The same module, a new deploy: the record of set 0 and the applied profile outlive it.
    await start(chain({ port: echo.port }));
    await worksAgain();
  });

  it('two flows on one modem at once (two chains, all four sockets 0..3, numbered streams on every one together): each echo intact on its own socket, a fifth open refused clearly', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const second: FlowNode[] = [
      { id: 'open2', type: 'modem-tls-open', modem: 'cfg', profile: '0', host: '127.0.0.1', port: String(echo.port), mode: 'command', wires: [['opened']] },
      { id: 'send2', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent']] },
      { id: 'recv2', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['answer']] },
    ];
    await start(chain({ port: echo.port, extra: second }));
    await e2e.probe.run('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' }, 'loaded');
    await e2e.probe.run('profile', {}, 'applied');
    // Flow one opens two sockets, flow two the other two, all at once.
    const opened = await Promise.all([
      opens(),
      e2e.probe.run('open2', {}, 'opened').then((m) => m.socket as string),
      opens(),
      e2e.probe.run('open2', {}, 'opened').then((m) => m.socket as string),
    ]);
    assert.deepEqual([...opened].sort(), ['0', '1', '2', '3'], 'each open got a socket of its own');
    const mark = r.modem.log.length;
    const fifth = await failureOf('open2', {});
    assert.deepEqual({ kind: fifth.caught.modemError.kind, field: fifth.caught.modemError.field }, { kind: 'PARAMETER', field: 'socket' });
    assert.match(fifth.caught.error.message, /the Inventek eS-WiFi has 4 sockets and 4 are open/);
    assert.deepEqual(r.linesSince(mark).filter((l) => !/^(P0=\d|R0)$/.test(l)), [], 'only the pollers’ reads reached the module');

    const streams = opened.map((_, i) => numberedStream(i * 100000, 600, RECORD));
    const sends = opened.map((socket, i) => e2e.probe.run(i % 2 === 0 ? 'send' : 'send2', { socket, payload: streams[i] }, 'sent', { timeoutMs: 45000 }));
    const sent = await Promise.all(sends);
    assert.deepEqual(sent.map((m) => m.payload).sort((x, y) => Number(x.socket) - Number(y.socket)), ['0', '1', '2', '3'].map((socket) => ({ socket, bytes: 600 * RECORD })));
    // tls-recv of flow one sees every socket's data at `received`: each socket's bytes are its own stream.
    const got = await Promise.all(opened.map((socket) => e2e.probe.bytes('received', socket, 600 * RECORD, 45000)));
    got.forEach((data, i) => assertSequence(data, i * 100000, 600, RECORD));
    // …and tls-recv of flow two the same, at `answer`.
    const again = await Promise.all(opened.map((socket) => e2e.probe.bytes('answer', socket, 600 * RECORD, 45000)));
    again.forEach((data, i) => assertSequence(data, i * 100000, 600, RECORD));
    for (const socket of opened) {
      const closed = await e2e.probe.run('close', { socket }, 'closed');
      assert.deepEqual(closed.payload, { socket, closed: true });
    }
    assert.deepEqual(r.device.sockets.map((s) => s.connection?.state ?? 'free'), ['free', 'free', 'free', 'free']);
  });
});
