/**
 * The engine with a modem whose serial port carries data except during a command-mode session
 * (Digi XBee): sessions opened with guard time, `+++` and `OK\r`, left with `ATCN` after the last
 * command, renewed when the module would have left by itself; raw transfers (YMODEM after
 * `ATFS PUT`); listings that end with an empty line. The scripted module below answers the way
 * the XBee3 Cellular User Guide describes ("Enter Command mode", "Send AT commands"): no echo,
 * every answer ends with CR alone.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError, type DialectFraming } from '../../../src/at';
import { FakeLink } from '../../support/fake-link';

const GUARD_MS = 25;

const xbeeLike: DialectFraming = {
  vendor: 'xbee-like',
  commandModeEntry: { sequence: '+++', guardMs: GUARD_MS },
  commandSession: { entryReply: 'OK\r', exitCommand: 'ATCN', idleTimeoutMs: 600, lingerMs: 10 },
  blankLines: true,
  finals: [
    { pattern: /^ERROR$/, success: false },
    { pattern: /^.+$/, success: true },
  ],
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A scripted XBee: data mode until `+++`, then one answer per command line; ATCN back to data. */
class ScriptedXbee {
  mode: 'data' | 'command' = 'data';
  /** Bytes the host wrote in data mode. */
  readonly dataIn: Buffer[] = [];
  /** Command lines received in command mode. */
  readonly lines: string[] = [];
  /** Times (ms) of each `+++` and of the last byte written before it. */
  readonly escapes: { at: number; silenceBefore: number }[] = [];
  /** Bytes the module sends right after the `OK` of ATCN (data it held during the session). */
  afterExit = '';
  /** How the module answers `+++` instead of `OK\r` in one read. */
  entryReply: (() => Promise<void>) | null = null;
  private lastWriteAt = 0;

  constructor(
    private readonly link: FakeLink,
    private readonly answers: Record<string, string | ((line: string) => string)> = {},
  ) {
    link.on('write', (b: Buffer) => this.onWrite(b));
  }

  private onWrite(b: Buffer): void {
    const now = Date.now();
    const silence = now - this.lastWriteAt;
    this.lastWriteAt = now;
    const text = b.toString('latin1');
    if (text === '+++') {
      this.escapes.push({ at: now, silenceBefore: silence });
      setTimeout(() => {
        this.mode = 'command';
        if (this.entryReply) void this.entryReply();
        else this.link.feed('OK\r');
      }, GUARD_MS);
      return;
    }
    if (this.mode === 'data') {
      this.dataIn.push(b);
      return;
    }
    // Bytes without a CR are a transfer protocol's (YMODEM), not commands.
    if (!text.endsWith('\r')) return;
    for (const line of text.split('\r').filter((l) => l.length > 0)) {
      this.lines.push(line);
      if (line.toUpperCase() === 'ATCN') {
        this.mode = 'data';
        const held = this.afterExit;
        this.afterExit = '';
        setImmediate(() => this.link.feed(`OK\r${held}`));
        continue;
      }
      const answer = line === 'AT' ? 'OK\r' : this.answers[line];
      const out = typeof answer === 'function' ? answer(line) : answer ?? 'ERROR\r';
      setImmediate(() => this.link.feed(out));
    }
  }
}

interface Rig {
  link: FakeLink;
  engine: AtEngine;
  module: ScriptedXbee;
  data: Buffer[];
  online: boolean[];
}

const engines: AtEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close('test over');
});

function rig(answers: Record<string, string | ((line: string) => string)> = {}): Rig {
  const link = new FakeLink({ endpoint: 'xbee' });
  const module = new ScriptedXbee(link, answers);
  const engine = new AtEngine({ link, dialect: xbeeLike, defaultTimeoutMs: 1000, resync: { attempts: 3, waitMs: 100, quietMs: 5 }, onlineFlushMs: 5 });
  engines.push(engine);
  const data: Buffer[] = [];
  const online: boolean[] = [];
  engine.on('data', (d: Buffer) => data.push(d));
  engine.on('online', (o: boolean) => online.push(o));
  return { link, engine, module, data, online };
}

const line = (text: string) => ({ line: { text, display: text } });

async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await sleep(2);
  }
}

describe('AT engine: command-mode sessions (XBee)', () => {
  it('enters command mode with guard times, answers a query, and leaves with ATCN after the last command', async () => {
    const { engine, module, online } = rig({ ATVR: '11415\r' });
    const answer = await engine.send(line('ATVR'));
    assert.equal(answer.final, '11415');
    assert.equal(module.escapes.length, 1);
    await until(() => engine.mode === 'online');
    assert.deepEqual(module.lines, ['ATVR', 'ATCN']);
    assert.equal(module.mode, 'data');
    assert.deepEqual(online, [false, true]);
  });

  it('opens a new session for the next run of commands, after guard-time silence', async () => {
    const { engine, module } = rig({ ATAP: '2\r', ATTL: '2\r' });
    await engine.send(line('ATAP'));
    await until(() => engine.mode === 'online');
    const before = Date.now();
    const answer = await engine.send(line('ATTL'));
    assert.equal(answer.final, '2');
    assert.equal(module.escapes.length, 2);
    const second = module.escapes[1];
    assert.ok(second.silenceBefore >= GUARD_MS - 2, `+++ after ${second.silenceBefore} ms of silence`);
    assert.ok(Date.now() - before >= 2 * GUARD_MS - 4, 'the answer to +++ comes after the second guard time');
    await until(() => engine.mode === 'online');
    assert.deepEqual(module.lines, ['ATAP', 'ATCN', 'ATTL', 'ATCN']);
  });

  it('what the module sends before any session is data, not lines', async () => {
    const { link, engine, data } = rig({});
    link.feed('\x7e\x00\x02\x8a\x00\x75\r\r');
    await until(() => Buffer.concat(data).length === 8);
    assert.equal(engine.mode, 'online');
  });

  it('uses the guard time the adapter found on the module', async () => {
    const { engine, module } = rig({ ATGT: '64\r' });
    engine.setGuardTime(120);
    await engine.send(line('ATGT'));
    await until(() => engine.mode === 'online');
    const started = Date.now();
    await engine.send(line('ATGT'));
    assert.ok(module.escapes[1].silenceBefore >= 118, `+++ after ${module.escapes[1].silenceBefore} ms of silence`);
    assert.ok(Date.now() - started >= 118);
  });

  it('sync() opens a session and checks it with AT alone (no second +++)', async () => {
    const { engine, module } = rig({});
    await engine.sync();
    await until(() => engine.mode === 'online');
    assert.equal(module.escapes.length, 1);
    assert.deepEqual(module.lines, ['AT', 'ATCN']);
  });

  it('an ATCN a user sends (at-command) ends the session as the engine\'s own does', async () => {
    const { engine, module } = rig({ ATVR: '11415\r' });
    await engine.send(line('atcn'));
    assert.equal(engine.mode, 'online');
    assert.equal((await engine.send(line('ATVR'))).final, '11415');
    assert.equal(module.escapes.length, 2);
  });

  it('commands queued together share one session', async () => {
    const { engine, module } = rig({ ATAP: '2\r', ATTL: '2\r', ATGT: '3E8\r' });
    const answers = await Promise.all([engine.send(line('ATAP')), engine.send(line('ATTL')), engine.send(line('ATGT'))]);
    assert.deepEqual(answers.map((a) => a.final), ['2', '2', '3E8']);
    await until(() => engine.mode === 'online');
    assert.equal(module.escapes.length, 1);
    assert.deepEqual(module.lines, ['ATAP', 'ATTL', 'ATGT', 'ATCN']);
  });

  it('delivers as data what the module sends after the OK of ATCN, even in the same read', async () => {
    const { engine, module, data } = rig({ ATAP: '1\r' });
    module.afterExit = '\x7e\x00\x02\x8a\x00\x75OK\r';
    await engine.send(line('ATAP'));
    await until(() => Buffer.concat(data).length === 9);
    assert.equal(Buffer.concat(data).toString('latin1'), '\x7e\x00\x02\x8a\x00\x75OK\r');
  });

  it('takes data that arrives before the OK of +++ as data, and an OK\\r inside data as data', async () => {
    const { link, engine, module, data } = rig({ ATAP: '1\r', ATTL: '2\r' });
    await engine.send(line('ATAP'));
    await until(() => engine.mode === 'online');
    link.feed('frame with OK\r inside');
    const pending = engine.send(line('ATTL'));
    await until(() => module.escapes.length === 2);
    link.feed('late frame');
    assert.equal((await pending).final, '2');
    assert.equal(Buffer.concat(data).toString('latin1'), 'frame with OK\r insidelate frame');
  });

  it('the OK\\r of +++ split across reads, one byte each on a slow line, is still the reply; data ending in "O" is still data', async () => {
    const { link, engine, module, data } = rig({ ATAP: '1\r', ATTL: '2\r' });
    await engine.send(line('ATAP'));
    await until(() => engine.mode === 'online');
    link.feed('frame ending in O');
    await until(() => Buffer.concat(data).toString('latin1') === 'frame ending in O');
    // This module answers +++ one byte at a time, 5 ms apart.
    module.entryReply = async () => {
      for (const b of ['O', 'K', '\r']) {
        await sleep(5);
        link.feed(b);
      }
    };
    assert.equal((await engine.send(line('ATTL'))).final, '2');
    assert.equal(Buffer.concat(data).toString('latin1'), 'frame ending in O');
  });

  it('an exclusive section keeps one session; leaveCommandMode() lets it write data', async () => {
    const { engine, module } = rig({ ATAP: '2\r' });
    await engine.exclusive(async (at) => {
      await at.send(line('ATAP'));
      await at.leaveCommandMode();
      assert.equal(engine.mode, 'online');
      await engine.writeData(Buffer.from('frame'));
      await at.leaveCommandMode(); // already carrying data: nothing sent
    });
    assert.deepEqual(module.lines, ['ATAP', 'ATCN']);
    assert.equal(Buffer.concat(module.dataIn).toString(), 'frame');
    assert.equal(module.escapes.length, 1);
  });

  it('a command due after the module left command mode by itself (CT) opens a new session', async () => {
    const { engine, module } = rig({ ATAP: '2\r', ATTL: '2\r' });
    const started = Date.now();
    await engine.exclusive(async (at) => {
      await at.send(line('ATAP'));
      // The module ends the session after 600 ms without a command.
      await sleep(620);
      module.mode = 'data';
      await at.send(line('ATTL'));
    });
    assert.equal(module.escapes.length, 2);
    assert.ok(Date.now() - started >= 600, 'waited until the session surely ended');
    assert.deepEqual(module.lines.slice(0, 2), ['ATAP', 'ATTL']);
  });

  it('an empty line ends a listing (ATFS LS) when the command takes only its own finals', async () => {
    const listing = '     <DIR> ./\r     <DIR> ../\r      1234 ca.pem\r      1675 key.pem#\r\r';
    const { engine } = rig({ 'ATFS LS certs': listing });
    const answer = await engine.send({ ...line('ATFS LS certs'), finals: [{ pattern: /^$/, success: true }, { pattern: /^E[A-Z0-9]+ /, success: false }], finalsOnly: true });
    assert.deepEqual(answer.lines, ['     <DIR> ./', '     <DIR> ../', '      1234 ca.pem', '      1675 key.pem#']);
  });

  it('an empty line split across reads is still one', async () => {
    const { link, engine } = rig({ 'ATFS LS': '' });
    const pending = engine.send({ ...line('ATFS LS'), finals: [{ pattern: /^$/, success: true }], finalsOnly: true });
    await until(() => link.writtenText().includes('ATFS LS'));
    link.feed('      12 a.pem\r');
    await sleep(5);
    link.feed('\r');
    assert.deepEqual((await pending).lines, ['      12 a.pem']);
  });

  it('transfer(): raw bytes both ways after a command, lines framed again after it', async () => {
    const { link, engine, module } = rig({ 'ATFS PUT certs/a.pem': 'Receiving file with YMODEM...\rC', ATVR: '11415\r' });
    const received = await engine.exclusive(async (at) => {
      await at.send({ ...line('ATFS PUT certs/a.pem'), finals: [{ pattern: /^Receiving file with YMODEM/, success: true }] });
      return at.transfer(async (io) => {
        const first = await io.read(500);
        await io.write(Buffer.from([0x01, 0x00, 0xff]));
        setImmediate(() => link.feed(Buffer.from([0x06, 0x0d, 0x0a, 0x43])));
        const second = await io.read(500);
        setImmediate(() => link.feed('OK\r'));
        const third = await io.read(500);
        return [first, second, third].map((b) => b.toString('latin1'));
      });
    });
    assert.deepEqual(received, ['C', '\x06\r\nC', 'OK\r']);
    assert.equal((await engine.send(line('ATVR'))).final, '11415');
    assert.ok(module.dataIn.length === 0);
  });

  it('transfer(): a read times out with TIMEOUT; the modem is resynchronised before the next command', async () => {
    const { engine, module } = rig({ 'ATFS PUT x': 'Receiving file with YMODEM...\r', ATVR: '11415\r' });
    const err = await engine
      .exclusive(async (at) => {
        await at.send({ ...line('ATFS PUT x'), finals: [{ pattern: /^Receiving/, success: true }] });
        return at.transfer((io) => io.read(30));
      })
      .then(() => null, (e: unknown) => e);
    assert.ok(err instanceof ModemError);
    assert.equal(err.kind, 'TIMEOUT');
    assert.equal((await engine.send(line('ATVR'))).final, '11415');
    assert.ok(module.lines.filter((l) => l === 'AT').length >= 1, 'AT until OK before ATVR');
  });

  it('transfer(): the link going down rejects a pending read with LINK_DOWN', async () => {
    const { link, engine } = rig({ 'ATFS PUT x': 'Receiving file with YMODEM...\r' });
    const outcome = engine.exclusive(async (at) => {
      await at.send({ ...line('ATFS PUT x'), finals: [{ pattern: /^Receiving/, success: true }] });
      return at.transfer((io) => io.read(2000));
    });
    await until(() => link.writtenText().includes('ATFS PUT x'));
    await sleep(20);
    link.drop('unplugged');
    const err = await outcome.then(() => null, (e: unknown) => e);
    assert.ok(err instanceof ModemError);
    assert.equal(err.kind, 'LINK_DOWN');
  });
});
