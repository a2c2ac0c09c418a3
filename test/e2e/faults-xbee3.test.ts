/**
 * Digi XBee3 Cellular under faults, end to end: the flows of `xbee3-flows.test.ts` (a real
 * Node-RED, the real `serialport` on a pseudo-terminal, the simulated XBee3 in API mode with
 * escapes, real TLS to local servers) while the simulator breaks something — the cable pulled
 * during a certificate upload (ATFS PUT over YMODEM), a send or a receive; the module restarting
 * under an open socket; a response frame that never comes; noise and endless frames on the wire;
 * a flood of unsolicited frames; the server closing mid-transfer; a redeploy during a long send;
 * two flows on one module at once.
 *
 * Every test asserts a clear error (a Catch node sees it, msg.modemError set) or a recovery on
 * its own, and data as sequence-numbered records: nothing lost, duplicated or reordered (or, when
 * the fault cuts a stream, a correct prefix). `faultGuards` adds: every message completed, no
 * unhandled rejection, no handle left once the flow is unloaded and the rig closed.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import helper from '../support/red-helper';
import { callsOf, modemReady, Probe, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, tlsChain, xorshift32, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import { startXbee3Rig, type Xbee3Rig, quietMark as quietMarkOf } from '../support/xbee3-rig';
import type { Xbee3ModemOptions } from '../../src/simulator/dialects/xbee3';

/** The CA as `ca.pem` in certs/, TLS profile 1 (API-mode sockets) verifying the server against it. */
const XBEE3_CHAIN: ChainSetup = {
  load: { name: 'ca.pem', format: 'auto', vendorOptions: '' },
  profile: { profile: '1', ca: 'ca.pem', hostname: '', checkHostname: false, sni: true, alpn: '' },
};

function chain(o: ChainOptions): FlowNode[] {
  return tlsChain(XBEE3_CHAIN, o);
}

/** Size of one numbered record. */
const RECORD = 64;

/** The runtime's hooks, to see how each message of a node was completed. */
interface Hooks {
  add(name: string, fn: (event: any) => void): void;
  remove(name: string): void;
}
function hooks(): Hooks {
  return (helper as unknown as { _RED: { hooks: Hooks } })._RED.hooks;
}

/** A fixed pseudo-random byte sequence (xorshift32), so a failure can be replayed. */
function noise(seed: number, length: number, without?: number): Buffer {
  const out = Buffer.alloc(length);
  const states = xorshift32(seed, length);
  for (let i = 0; i < length; i++) {
    let b = states[i]! & 0xff;
    if (without !== undefined && b === without) b ^= 0x01;
    out[i] = b;
  }
  return out;
}

describe('XBee3 under faults: lost link, restart, lost and garbled frames, floods, peer close, redeploy, two flows', function () {
  this.timeout(60000);
  const e2e = flowSuite<Xbee3Rig>({ tab: 'XBee3 faults', pki: { keyType: 'rsa' }, sockets: /^[0-9]$/, config: { readyTimeout: 30 } });
  faultGuards();
  const { start, opens, echoes, closes } = e2e;

  function xbee3(options: Xbee3ModemOptions = {}): Xbee3Rig {
    return e2e.use(startXbee3Rig(options));
  }

  /** The log index once the module is out of the last command-mode session (see `quietMark` of the rig). */
  const quietMark = (): Promise<number> => quietMarkOf(e2e.rig);

  /** A module with the CA loaded and profile 1 applied, the flow deployed, an echo server up. */
  async function ready(options: Xbee3ModemOptions = {}, o: Partial<ChainOptions> = {}) {
    const r = xbee3(options);
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const flow = await start(chain({ port: echo.port, ...o }));
    await e2e.provision();
    return { r, echo, flow };
  }

  /** The error a Catch node saw: set on msg.modemError, naming the vendor. */
  function clearError(caught: Msg, nodeId: string, message: RegExp): void {
    assert.equal(caught.error.source.id, nodeId);
    assert.ok(caught.modemError, `msg.modemError is set: ${caught.error.message}`);
    assert.equal(caught.modemError.vendor, 'xbee3');
    assert.match(caught.error.message, message);
  }

  /** The data tls-recv pushed for `socket` so far, joined. */
  function receivedOn(socket: string, probe: Probe = e2e.probe, id = 'received'): Buffer {
    return Buffer.concat(probe.all(id).filter((m) => m.topic === 'data' && m.socket === socket).map((m) => m.payload as Buffer));
  }

  /**
   * The data tls-recv pushed for `socket` so far, taken from the probe: a new connection that gets
   * the same socket id then sees only its own.
   */
  async function takeReceived(socket: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    const count = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket).length;
    for (let i = 0; i < count; i++) parts.push((await e2e.probe.next('received', (m) => m.topic === 'data' && m.socket === socket, 1000)).payload as Buffer);
    return Buffer.concat(parts);
  }

  /** Pulls the cable, waits for the modem config to see it, plugs it back, waits for the bring-up. */
  async function unplugged<T>(r: Xbee3Rig, during: () => Promise<T>): Promise<T> {
    await r.pty.unplug();
    await until('the modem config to see the link down', () => !(helper.getNode('cfg') as unknown as { modem: { isReady: boolean } }).modem.isReady, 10000);
    const outcome = await during();
    r.pty.replug();
    await modemReady('cfg', 30000);
    return outcome;
  }

  it('unplugged during a certificate upload (ATFS PUT / YMODEM): load-cert fails clearly; after the replug the module is brought up by itself, the retry is verified by ATFS HASH and the file is whole', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));

    const put = r.modem.waitForCommand('ATFS PUT /flash/certs/ca.pem', 15000);
    const failed = e2e.probe.failure('load', { payload: e2e.pki.ca.cert }, { outId: 'loaded', timeoutMs: 30000 });
    await put;
    const caught = await unplugged(r, () => failed);
    clearError(caught, 'load', /modem link .* went down: serial port .* was disconnected/);
    assert.equal(caught.modemError.kind, 'LINK_DOWN');
    assert.deepEqual(e2e.probe.all('loaded'), [], 'nothing was reported loaded, let alone verified');

    // Brought up again without a redeploy: the same load-cert goes through and is verified.
    const mark = r.modem.log.length;
    const loaded = await e2e.probe.run('load', { payload: e2e.pki.ca.cert }, 'loaded', { timeoutMs: 30000 });
    assert.equal(loaded.payload.verified, true);
    const lines = r.linesSince(mark);
    const putAgain = lines.indexOf('ATFS PUT /flash/certs/ca.pem');
    const hash = lines.lastIndexOf('ATFS HASH /flash/certs/ca.pem');
    assert.ok(putAgain >= 0 && hash > putAgain, `sent again, then hashed: ${lines.join(' | ')}`);
    const stored = r.device.flash.files().find((f) => f.path === '/flash/certs/ca.pem');
    assert.ok(stored?.data, 'the module holds the file');
    assert.equal(new X509Certificate(stored.data).fingerprint256, new X509Certificate(e2e.pki.ca.cert).fingerprint256, 'the whole certificate, not a part of it');
    assert.match(stored.data.toString('latin1'), /^-----BEGIN CERTIFICATE-----\r?\n[\s\S]*-----END CERTIFICATE-----\r?\n?$/, 'a whole PEM, not a part of one');
    assert.equal(stored.size, loaded.payload.bytes, 'of the size reported');

    // And the module works: profile, open, echo.
    await e2e.probe.run('profile', {}, 'applied');
    const socket = await opens();
    assert.equal((await echoes(socket, 'after the replug\n')).toString(), 'after the replug\n');
    await closes(socket);
  });

  it('unplugged during a send (a numbered stream in Socket Send frames): tls-send fails clearly, tls-recv reports the socket closed, what came back is a correct prefix; after the replug a new open echoes', async () => {
    const { r } = await ready();
    const socket = await opens();
    const data = numberedStream(0, 3000, RECORD);

    const firstFrame = r.modem.waitForCommand(/^API 0x44 /, 15000);
    const failed = e2e.probe.failure('send', { socket, payload: data }, { outId: 'sent', timeoutMs: 45000 });
    await firstFrame;
    const caught = await unplugged(r, async () => {
      const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
      assert.match(closed.reason, /link to the modem was lost/);
      return failed;
    });
    clearError(caught, 'send', /the link to the modem was lost: serial port .* was disconnected/);
    const back = await takeReceived(socket);
    assert.ok(back.length < data.length, 'the stream was cut');
    assertSequencePrefix(back, 0, RECORD);

    // The old socket is gone for the flows: a send on it is refused clearly.
    const stale = await e2e.probe.failure('send', { socket, payload: 'late' }, { outId: 'sent' });
    clearError(stale, 'send', /msg\.socket: socket \d is no longer open \(the link to the modem was lost: .*\); open it again with tls-open/);

    const again = await opens();
    const fresh = numberedStream(5000, 200, RECORD);
    assertSequence(await echoes(again, fresh), 5000, 200, RECORD);
    await closes(again);
  });

  it('unplugged during a receive (the server pushes a numbered stream): tls-recv reports the socket closed, what arrived is a correct prefix; after the replug a new open echoes', async () => {
    const { r, echo } = await ready();
    let server: TLSSocket | undefined;
    echo.once('connection', (s: TLSSocket) => (server = s));
    const socket = await opens();
    await until('the server to see the connection', () => server !== undefined);
    const data = numberedStream(0, 4000, RECORD);
    server!.write(data);

    await until('the first data', () => receivedOn(socket).length > 0, 15000);
    await unplugged(r, async () => {
      const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
      assert.match(closed.reason, /link to the modem was lost/);
    });
    const got = await takeReceived(socket);
    assert.ok(got.length > 0 && got.length < data.length, `${got.length} of ${data.length} bytes arrived before the cut`);
    assertSequencePrefix(got, 0, RECORD);

    const again = await opens();
    assertSequence(await echoes(again, numberedStream(9000, 100, RECORD)), 9000, 100, RECORD);
    await closes(again);
  });

  it('the module restarts mid-session: the adapter sees the Modem Status frames ("restarted"), the socket is reported closed, a send on it fails clearly; a new open echoes without a redeploy', async () => {
    const { r } = await ready();
    const socket = await opens();
    assertSequence(await echoes(socket, numberedStream(0, 50, RECORD)), 0, 50, RECORD);

    const mark = r.modem.log.length;
    await r.modem.reboot();
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 15000);
    assert.match(closed.reason, /the module restarted \(Modem Status: /);
    await until('the modem config to warn of the restart', () => callsOf('cfg', 'warn').some((args) => /the module restarted .*bringing it up again/.test(String(args[0]))), 10000);
    await modemReady('cfg', 20000);
    assert.equal(r.device.sockets.size, 0, 'the module lost its sockets');

    const stale = await e2e.probe.failure('send', { socket, payload: 'to a socket that is gone' }, { outId: 'sent' });
    clearError(stale, 'send', /msg\.socket: socket \d is no longer open \(the module restarted \(Modem Status: hardware reset or power up\)\)/);

    const again = await opens();
    assertSequence(await echoes(again, numberedStream(100, 100, RECORD)), 100, 100, RECORD);
    await closes(again);
    assert.ok(r.linesSince(mark).includes('ATAP'), 'brought up again (its registers read)');
  });

  it('the module restarts during a transparent-mode connection (profile 0): its Modem Status frames are not taken for data, the connection is reported closed, and API mode works again without a redeploy', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port, profile: { profile: '0' }, open: { profile: '0', mode: 'online' } }));
    await e2e.provision();
    const opened = await e2e.probe.run('open', {}, 'opened');
    assert.equal(opened.socket, '255');
    const data = numberedStream(0, 200, RECORD);
    await e2e.probe.run('send', { socket: '255', payload: data }, 'sent');
    assertSequence(await e2e.probe.bytes('received', '255', data.length), 0, 200, RECORD);

    await r.modem.reboot();
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === '255', 15000);
    assert.match(closed.reason, /the module restarted/);
    await modemReady('cfg', 20000);
    assert.equal(receivedOn('255').length, data.length, 'nothing the module said after the restart was taken for data');

    const stale = await e2e.probe.failure('send', { socket: '255', payload: 'to a connection that is gone' }, { outId: 'sent' });
    clearError(stale, 'send', /msg\.socket: socket 255 is no longer open \(the module restarted/);
    const socket = await opens({ mode: 'command', profile: '0' });
    assertSequence(await echoes(socket, numberedStream(300, 100, RECORD)), 300, 100, RECORD);
    await closes(socket);
  });

  it('a reply that never comes (a Socket Create response frame dropped; a hung module in command mode): a clear timeout naming the operation; the module is used again after it', async () => {
    const { r } = await ready();
    await quietMark();
    r.modem.faults.dropNextReplies(1);
    const caught = await e2e.probe.failure('open', {}, { outId: 'opened', timeoutMs: 30000 });
    clearError(caught, 'open', /Socket Create \(0x40\): no Socket Create Response .*within \d+ ms/);
    assert.equal(caught.modemError.kind, 'TIMEOUT');

    // A module that stops answering in command mode: the command fails, named; once it answers again it is used.
    await quietMark();
    r.modem.faults.mute(true);
    const muted = await e2e.probe.failure('at', { payload: 'ATAI' }, { outId: 'answer', timeoutMs: 45000 });
    clearError(muted, 'at', /the modem on .* does not answer AT \(\d+ attempts, \d+ ms each\)/);
    assert.equal(muted.modemError.kind, 'NOT_RESPONDING');
    r.modem.faults.mute(false);
    const answer = await e2e.probe.run('at', { payload: 'ATAI' }, 'answer', { timeoutMs: 30000 });
    assert.equal(answer.final, '0');

    const socket = await opens();
    assertSequence(await echoes(socket, numberedStream(0, 100, RECORD)), 0, 100, RECORD);
    await closes(socket);
  });

  it('noise between frames (random bytes, 0x7E delimiters, bad checksums, cut-off frames): every frame after it is parsed and a numbered stream echoes intact', async () => {
    const { r } = await ready();
    const socket = await opens();
    const junk = [
      noise(0x9e3779b9, 300),
      Buffer.from([0x7e, 0x00, 0x05, 0xcd, Number(socket), 0x41, 0x42, 0x43, 0x00]), // Socket Receive for our socket, bad checksum
      Buffer.from([0x7e, 0x00, 0x02, 0x8a, 0x00, 0x00]), // a "hardware reset" Modem Status with a bad checksum
      Buffer.from([0x7e, 0x00, 0x10, 0xcf, Number(socket)]), // cut off by the next frame
      Buffer.from([0x7e, 0x7d]), // an escape left hanging
      noise(0x85ebca6b, 500),
    ];
    const data = numberedStream(0, 1500, RECORD);
    const sent = e2e.probe.run('send', { socket, payload: data }, 'sent', { timeoutMs: 30000 });
    const echoed = e2e.probe.bytes('received', socket, data.length, 30000);
    let bursts = 0;
    for (const burst of junk) {
      // Between Socket Receive frames of the stream, each burst a little further on.
      const after = (bursts + 1) * 6 * 1500;
      await until(`${after} bytes of the echo`, () => receivedOn(socket).length >= after, 20000);
      r.modem.faults.garbage(burst);
      bursts++;
    }
    assert.equal((await sent).payload.bytes, data.length);
    assertSequence(await echoed, 0, data.length / RECORD, RECORD);
    assert.equal(bursts, junk.length);
    assert.ok(callsOf('cfg', 'warn').some((args) => /bytes from the module were not a valid API frame/.test(String(args[0]))), 'the dropped bytes are reported');
    assert.deepEqual(e2e.probe.all('received').filter((m) => m.topic === 'closed'), [], 'the fake "reset" did not end the socket');
    assert.deepEqual(e2e.probe.all('caught'), []);

    assertSequence(await echoes(socket, numberedStream(2000, 20, RECORD)), 2000, 20, RECORD);
    await closes(socket);
  });

  it('a frame with no end (a header announcing 1600 bytes that never come) and 64 KB without a delimiter: bounded, dropped, and the next frames are parsed', async () => {
    const { r } = await ready();
    const socket = await opens();
    const decoder = (helper.getNode('cfg') as unknown as { modem: { adapter: { api: { decoder: { pending: number } } } } }).modem.adapter.api.decoder;

    // A Socket Receive announcing the longest frame, then only part of it.
    r.modem.faults.garbage(Buffer.concat([Buffer.from([0x7e, 0x06, 0x40, 0xcd, Number(socket)]), noise(0x1234567, 600, 0x7e)]));
    await until('the partial frame to be held', () => decoder.pending > 0);
    assertSequence(await echoes(socket, numberedStream(0, 100, RECORD)), 0, 100, RECORD);

    // 64 KB without a single 0x7E: counted as junk, never held.
    r.modem.faults.garbage(noise(0xdeadbeef, 64 * 1024, 0x7e));
    // A header with a long length, then 64 KB without a delimiter: held up to the longest frame, then dropped.
    r.modem.faults.garbage(Buffer.concat([Buffer.from([0x7e, 0x06, 0x00]), noise(0xfeedface, 64 * 1024, 0x7e)]));
    await until('the junk to be read', () => callsOf('cfg', 'warn').filter((args) => /were not a valid API frame/.test(String(args[0]))).length >= 2, 10000);
    assert.ok(decoder.pending <= 2 * (1600 + 4), `at most one escaped frame is held (${decoder.pending} bytes)`);

    assertSequence(await echoes(socket, numberedStream(100, 500, RECORD)), 100, 500, RECORD);
    const answer = await e2e.probe.run('at', { payload: 'ATAI' }, 'answer');
    assert.equal(answer.final, '0', 'AI: registered, as before');
    assert.deepEqual(e2e.probe.all('caught'), []);
    await closes(socket);
  });

  it('1,000 unsolicited frames a second (Modem Status, Socket Status of another socket) while a numbered stream echoes and commands run: all data intact, every command answered', async () => {
    const { r } = await ready();
    const socket = await opens();
    const other = (Number(socket) + 3) % 6;
    let floods = 0;
    const started = Date.now();
    // One frame a millisecond on average, however late the timer runs.
    const flood = setInterval(() => {
      for (const due = Date.now() - started; floods < due; floods++) {
        r.device.host.frame(floods % 2 === 0 ? { type: 0x8a, status: 0x02 } : { type: 0xcf, socket: other, status: 0x03 });
      }
    }, 10);
    try {
      const ask = async (): Promise<void> => {
        const answer = await e2e.probe.run('at', { payload: 'ATAI' }, 'answer', { timeoutMs: 20000 });
        assert.equal(answer.final, '0', 'AI: registered');
      };
      const echoed = echoes(socket, numberedStream(0, 2000, RECORD), 45000);
      echoed.catch(() => undefined);
      for (let i = 0; i < 3; i++) await ask();
      const applied = await e2e.probe.run('profile', {}, 'applied', { timeoutMs: 20000 });
      assert.equal(applied.payload.profile, '1');
      assertSequence(await echoed, 0, 2000, RECORD);
      // However fast that went: more data and a command once a thousand frames have come, the flood still on.
      await until('a thousand unsolicited frames', () => floods >= 1000, 20000);
      const more = echoes(socket, numberedStream(2000, 500, RECORD), 45000);
      more.catch(() => undefined);
      await ask();
      assertSequence(await more, 2000, 500, RECORD);
    } finally {
      clearInterval(flood);
    }
    assert.ok(floods >= 1000, `${floods} unsolicited frames were sent`);
    assert.deepEqual(e2e.probe.all('received').filter((m) => m.topic === 'closed'), [], 'no socket was ended by another socket\'s status');
    assert.deepEqual(e2e.probe.all('caught'), []);
    await closes(socket);
  });

  it('the server closes mid-transfer: what came back is a correct prefix, tls-recv reports "closed by the server", a later send fails clearly', async () => {
    const { r } = await ready();
    const cut = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, closeAfterBytes: 40 * RECORD });
    const opened = await e2e.probe.run('open', { port: cut.port }, 'opened');
    const socket = opened.socket as string;
    const data = numberedStream(0, 2000, RECORD);
    helper.getNode('send').receive({ socket, payload: data });
    const closed = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === socket, 30000);
    assert.match(closed.reason, /closed by the server/);
    const back = receivedOn(socket);
    const records = assertSequencePrefix(back, 0, RECORD);
    assert.ok(records >= 40 && back.length < data.length, `${records} records came back before the close`);

    // The big send ends, with an error naming the frame and what was sent, and a send after the close is refused, naming why.
    const big = await e2e.probe.next('caught', (m) => m.error?.source?.id === 'send', 45000);
    clearError(big, 'send', /Socket Send \(0x44\): connection not found \(Transmit Status 0x20\) — socket \d \(closed by the server\); \d+ of 128000 bytes were sent/);
    assert.deepEqual(e2e.probe.all('sent'), []);
    const late = await e2e.probe.failure('send', { socket, payload: 'after the close' }, { outId: 'sent' });
    clearError(late, 'send', /msg\.socket: socket \d is no longer open \(closed by the server\)/);
  });

  it('redeploy while a long send is in flight (paced at 115200 baud): its message is completed with an error, the socket it used does not stay open on the module, and the module works after the redeploy', async () => {
    // Paced like a UART at 115200 baud: the send takes far longer than Node-RED gives a node to close.
    const { r, flow } = await ready({ baudRate: 115200 });
    const socket = await opens();
    const completed: Array<{ id: string; error?: unknown }> = [];
    hooks().add('onComplete.xbee3Redeploy', (event: { node: { id: string }; error?: unknown }) => {
      if (event.node.id === 'send') completed.push({ id: event.node.id, error: event.error });
    });
    const mark = r.modem.log.length;
    try {
      const firstFrame = r.modem.waitForCommand(/^API 0x44 /, 15000);
      helper.getNode('send').receive({ socket, payload: numberedStream(0, 5000, RECORD) });
      await firstFrame;
      await (helper as unknown as { setFlows(f: unknown[], t: string): Promise<void> }).setFlows(flow, 'full').catch((err: Error) => {
        // The helper waits only 300 ms for `flows:started`; closing connections first takes longer.
        if (!/timeout waiting event/.test(err.message)) throw err;
      });
      await modemReady('cfg', 20000);
      e2e.watch();
      await until('the send to be completed', () => completed.length > 0, 20000);
    } finally {
      hooks().remove('onComplete.xbee3Redeploy');
    }
    assert.equal(completed.length, 1);
    assert.ok(completed[0]!.error, 'completed with an error: the redeploy cut it');
    assert.match(String(completed[0]!.error), /closing \(redeploy or shutdown\)|closed by the flow|stopped/);

    // The socket the cut send was using does not stay open on the module: the new flow's bring-up closes it.
    await until('the module to free the socket of the cut send', () => !r.device.sockets.has(Number(socket)), 15000);
    assert.ok(callsOf('cfg', 'warn').some((args) => new RegExp(`socket ${socket} was still open on the module from before`).test(String(args[0]))) || r.linesSince(mark).some((l) => new RegExp(`^API 0x43 id=\\d+ socket=${socket}$`).test(l)), 'closed with a Socket Close');
    const again = await opens();
    assertSequence(await echoes(again, numberedStream(7000, 200, RECORD)), 7000, 200, RECORD);
    await closes(again);
    await until('the module to free every socket', () => r.device.sockets.size === 0);
  });

  it('two flows on one modem at once (two chains, one modem config): numbered streams on two sockets at the same time, both intact', async () => {
    const r = xbee3();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const second: FlowNode[] = [
      { id: 'open2', type: 'modem-tls-open', modem: 'cfg', profile: '1', host: '127.0.0.1', port: String(echo.port), mode: 'command', wires: [['opened2']] },
      { id: 'send2', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent2']] },
      { id: 'recv2', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received2']] },
      { id: 'close2', type: 'modem-tls-close', modem: 'cfg', socket: '', wires: [['closed2']] },
      ...['opened2', 'sent2', 'received2', 'closed2'].map((id) => ({ id, type: 'helper' })),
    ];
    // The second chain shares the tab's Catch node (the test helper registers a core node type once per node).
    await start(chain({ port: echo.port, extra: second }));
    const probe2 = new Probe(['opened2', 'sent2', 'received2', 'closed2', 'caught']);
    await e2e.provision();

    const [a, b] = await Promise.all([opens(), probe2.run('open2', {}, 'opened2', { caughtId: 'caught', timeoutMs: 20000 }).then((m) => m.socket as string)]);
    assert.notEqual(a, b);
    const streamA = numberedStream(0, 1500, RECORD);
    const streamB = numberedStream(500000, 1500, RECORD);
    const [sentA, sentB] = await Promise.all([
      e2e.probe.run('send', { socket: a, payload: streamA }, 'sent', { timeoutMs: 45000 }),
      probe2.run('send2', { socket: b, payload: streamB }, 'sent2', { caughtId: 'caught', timeoutMs: 45000 }),
    ]);
    assert.equal(sentA.payload.bytes, streamA.length);
    assert.equal(sentB.payload.bytes, streamB.length);
    const [gotA, gotB] = await Promise.all([e2e.probe.bytes('received', a, streamA.length, 45000), probe2.bytes('received2', b, streamB.length, 45000)]);
    assertSequence(gotA, 0, 1500, RECORD);
    assertSequence(gotB, 500000, 1500, RECORD);
    assert.deepEqual(e2e.probe.all('caught'), []);

    await closes(a);
    const closed2 = await probe2.run('close2', { socket: b }, 'closed2', { caughtId: 'caught' });
    assert.deepEqual(closed2.payload, { socket: b, closed: true });
    await until('the module to free the sockets', () => r.device.sockets.size === 0);
  });
});
