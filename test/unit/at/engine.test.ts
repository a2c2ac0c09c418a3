/**
 * The AT engine against a fake link, with transcripts from the Telit SSL/TLS User Guide
 * 1vv0300989 (seeds/001) sent byte for byte as the modem sends them: ATE0, verbose result
 * codes, every line framed `\r\n<line>\r\n`.
 */
import { strict as assert } from 'node:assert';
import {
  AtEngine,
  buildCommand,
  p,
  readCommand,
  testCommand,
  ModemError,
  type AtResponse,
  type CommandSpec,
  type DialectFraming,
  type EngineOptions,
  type PayloadRule,
  type TraceEntry,
  type Urc,
} from '../../../src/at';
import { telitDialect } from '../../../src/adapters/telit/dialect';
import * as sinon from 'sinon';
import { FakeLink, type Responder } from '../../support/fake-link';

const CTRL_Z = '\x1a';
const ESC = '\x1b';

/** Telit §7.1.2.2: `#SSLRECV: <n>` (printed `#SSLRCV:` in places of the manual), then n bytes. */
const SSLRECV: PayloadRule = { name: 'SSLRECV', pattern: /^#SSLRE?CV: (\d+)$/, where: 'next-line', length: (m) => Number(m[1]) };

/** A small dialect: Telit's mode-1 SSLSRING, a `+CREG` URC, and a short escape guard time. */
const testDialect: DialectFraming = {
  vendor: 'test',
  urcs: [
    { name: 'SSLSRING', pattern: /^SSLSRING: ?(\d+),(\d+)$/, parse: (_line, m) => ({ socket: Number(m[1]), length: Number(m[2]) }) },
    { name: '+CREG', pattern: /^\+CREG: / },
  ],
  escape: { sequence: '+++', guardMs: 30 },
};

/** What the modem sends for a list of lines: each framed `\r\n<line>\r\n` (ATE0, ATV1). */
function frame(...lines: string[]): string {
  return lines.map((l) => `\r\n${l}\r\n`).join('');
}

/** A scripted modem: `AT` → OK (resynchronisation), then the transcript; silent for anything else. */
function modem(script: Record<string, string> = {}): Responder {
  return (command) => (command === 'AT' ? frame('OK') : script[command]);
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const engines: AtEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close('test over');
});

interface Rig {
  link: FakeLink;
  engine: AtEngine;
  traces: TraceEntry[];
  urcs: Urc[];
}

function rig(options: Partial<Omit<EngineOptions, 'link'>> & { respond?: Responder } = {}): Rig {
  const link = new FakeLink({ endpoint: '/dev/ttyUSB0 @ 115200' });
  const traces: TraceEntry[] = [];
  const engine = new AtEngine({
    dialect: testDialect,
    defaultTimeoutMs: 1000,
    resync: { attempts: 3, waitMs: 50, quietMs: 5 },
    onlineFlushMs: 5,
    ...options,
    link,
    trace: (entry) => traces.push(entry),
  });
  engines.push(engine);
  const urcs: Urc[] = [];
  engine.on('urc', (urc: Urc) => urcs.push(urc));
  link.respond(options.respond ?? modem());
  return { link, engine, traces, urcs };
}

async function rejection(promise: Promise<unknown>): Promise<ModemError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ModemError, `expected a ModemError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the promise to reject');
}

describe('AtEngine', () => {
  describe('answers from the manual', () => {
    it('AT#SSLEN? on a module with six SSL sockets (Telit 6.8.2): every information line, in order', async () => {
      const { link, engine } = rig({
        respond: modem({
          'AT#SSLEN?': frame('#SSLEN: 1,1', '#SSLEN: 2,0', '#SSLEN: 3,0', '#SSLEN: 4,0', '#SSLEN: 5,0', '#SSLEN: 6,0', 'OK'),
        }),
      });
      const answer = await engine.send({ line: readCommand('#SSLEN') });
      assert.deepEqual(answer, {
        final: 'OK',
        lines: ['#SSLEN: 1,1', '#SSLEN: 2,0', '#SSLEN: 3,0', '#SSLEN: 4,0', '#SSLEN: 5,0', '#SSLEN: 6,0'],
        payloads: [],
      });
      // The engine resynchronises once before its first command.
      assert.equal(link.writtenText(), 'AT\rAT#SSLEN?\r');
    });

    it('AT#SSLEN=? and AT#SSLEN? on a one-socket module (Telit 6.8.3.1)', async () => {
      const { engine } = rig({
        respond: modem({
          'AT#SSLEN=?': frame('#SSLEN: (1),(0,1)', 'OK'),
          'AT#SSLEN?': frame('#SSLEN: 1,0', 'OK'),
        }),
      });
      assert.deepEqual((await engine.send({ line: testCommand('#SSLEN') })).lines, ['#SSLEN: (1),(0,1)']);
      assert.deepEqual((await engine.send({ line: readCommand('#SSLEN') })).lines, ['#SSLEN: 1,0']);
    });

    it('+CME ERROR: SSL not activated (AT+CMEE=2, Telit 6.8.3.1) → a CME ModemError with the text as code', async () => {
      const { engine } = rig({ respond: modem({ 'AT#SSLSECCFG2?': frame('+CME ERROR: SSL not activated') }) });
      const err = await rejection(engine.send({ line: readCommand('#SSLSECCFG2') }));
      assert.equal(err.kind, 'CME');
      assert.equal(err.code, 'SSL not activated');
      assert.equal(err.vendor, 'test');
      assert.equal(err.command, 'AT#SSLSECCFG2?');
      assert.equal(err.line, '+CME ERROR: SSL not activated');
      assert.match(err.message, /AT#SSLSECCFG2\?: \+CME ERROR: SSL not activated/);
    });

    it('+CME ERROR: 836 (AT+CMEE=1) → code 836 as a number, the command redacted', async () => {
      const line = buildCommand('#MQCONN', [p.int('instance', 1), p.str('clientId', 'gw-7'), p.str('user', 'ops'), p.str('password', 'hunter2', { secret: true })]);
      const { engine } = rig({ respond: modem({ 'AT#MQCONN=1,"gw-7","ops","hunter2"': frame('+CME ERROR: 836') }) });
      const err = await rejection(engine.send({ line }));
      assert.equal(err.kind, 'CME');
      assert.equal(err.code, 836);
      assert.equal(err.command, 'AT#MQCONN=1,"gw-7","ops","***"');
      assert.deepEqual(err.toJSON(), {
        vendor: 'test',
        code: 836,
        kind: 'CME',
        command: 'AT#MQCONN=1,"gw-7","ops","***"',
        line: '+CME ERROR: 836',
        message: 'AT#MQCONN=1,"gw-7","ops","***": +CME ERROR: 836',
      });
    });

    it('ERROR → a FINAL ModemError whose code is the line', async () => {
      const { engine } = rig({ respond: modem({ 'AT#SSLH=1': frame('ERROR') }) });
      const err = await rejection(engine.send({ line: buildCommand('#SSLH', [p.int('SSId', 1)]) }));
      assert.equal(err.kind, 'FINAL');
      assert.equal(err.code, 'ERROR');
    });

    it('AT#SSLRECV=1,15 → #SSLRECV: 0, TIMEOUT, OK (Telit 7.4.2): an empty payload and the TIMEOUT line', async () => {
      const { engine } = rig({ respond: modem({ 'AT#SSLRECV=1,15': frame('#SSLRECV: 0', 'TIMEOUT', 'OK') }) });
      const answer = await engine.send({ line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 15)]), payloads: [SSLRECV] });
      assert.equal(answer.final, 'OK');
      assert.deepEqual(answer.lines, ['TIMEOUT']);
      assert.equal(answer.payloads.length, 1);
      assert.equal(answer.payloads[0].header, '#SSLRECV: 0');
      assert.equal(answer.payloads[0].data.length, 0);
    });

    it('AT#SSLRECV=1,15 twice → "Response of the" then "Server" (Telit 7.4.2), taken by count', async () => {
      let reads = 0;
      const { engine } = rig({
        respond: (command) => {
          if (command === 'AT') return frame('OK');
          if (command !== 'AT#SSLRECV=1,15') return undefined;
          reads++;
          // The manual prints this header as `#SSLRCV:`.
          return reads === 1 ? '\r\n#SSLRCV: 15\r\nResponse of the\r\n\r\nOK\r\n' : '\r\n#SSLRECV: 6\r\nServer\r\n\r\nOK\r\n';
        },
      });
      const spec: CommandSpec = { line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 15)]), payloads: [SSLRECV] };
      const first = await engine.send(spec);
      const second = await engine.send(spec);
      assert.deepEqual(first.lines, []);
      assert.equal(first.payloads[0].header, '#SSLRCV: 15');
      assert.equal(first.payloads[0].data.toString('latin1'), 'Response of the');
      assert.equal(second.payloads[0].data.toString('latin1'), 'Server');
      assert.equal(Buffer.concat([first.payloads[0].data, second.payloads[0].data]).toString(), 'Response of theServer');
    });

    it('the worked example of src/at/index.ts: a URC before the header, payload bytes that contain OK, one byte per read', async () => {
      const dialect: DialectFraming = { ...testDialect, urcs: [{ name: 'SSLSRING', pattern: /^SSLSRING: ?(\d+),(\d+)$/ }] };
      const data = bytes('hi\r\nOK\r\n!!\x00\xff');
      const { link, engine, urcs } = rig({ dialect });
      const sent = engine.send({ line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 300)]), payloads: [SSLRECV] });
      await link.waitForCommand('AT#SSLRECV=1,300');
      await link.feedSplitPerTick(Buffer.concat([bytes('\r\nSSLSRING: 2,40\r\n\r\n#SSLRECV: 12\r\n'), data, bytes('\r\nOK\r\n')]), 1);
      const answer = await sent;
      assert.equal(answer.final, 'OK');
      assert.deepEqual(answer.lines, []);
      assert.equal(answer.payloads.length, 1);
      assert.equal(answer.payloads[0].header, '#SSLRECV: 12');
      assert.ok(answer.payloads[0].data.equals(data));
      assert.deepEqual(urcs.map((u) => [u.name, u.raw, u.known]), [['SSLSRING', 'SSLSRING: 2,40', true]]);
      assert.deepEqual(urcs[0].fields, [2, 40]);
    });
  });

  describe('prompts and payloads', () => {
    it('AT#SSLSEND=1 (Telit 7.4.2): the payload and Ctrl-Z are written only after the `> ` prompt', async () => {
      const { link, engine } = rig();
      await engine.sync();
      const payload = bytes('Send this string to the SSL server!');
      // Fake time from here: however long the prompt takes (within the command's timeout), no byte of the payload goes first.
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let sent: Promise<AtResponse>;
      try {
        sent = engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload, terminator: 'ctrl-z' } });
        await link.waitForCommand('AT#SSLSEND=1');
        await clock.tickAsync(900);
      } finally {
        clock.restore();
      }
      assert.deepEqual(link.written.map((b) => b.toString('latin1')), ['AT\r', 'AT#SSLSEND=1\r'], 'nothing more before the prompt');
      link.feed('\r\n> ');
      await link.waitForWrite((t) => t.endsWith(CTRL_Z));
      link.feed(frame('OK'));
      const answer = await sent;
      assert.equal(answer.final, 'OK');
      assert.deepEqual(answer.lines, []);
      assert.deepEqual(link.written.map((b) => b.toString('latin1')), ['AT\r', 'AT#SSLSEND=1\r', `Send this string to the SSL server!${CTRL_Z}`]);
    });

    it('takes the prompt when `>` and its space arrive in different reads, and a URC while waiting for it', async () => {
      const { link, engine, urcs } = rig();
      const sent = engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes('GET /'), terminator: 'ctrl-z' } });
      await link.waitForCommand('AT#SSLSEND=1');
      link.feed('\r\nSSLSRING: 1,400\r\n\r\n>');
      await link.waitForWrite((t) => t === `GET /${CTRL_Z}`);
      link.feed(' ');
      link.feed(frame('OK'));
      const answer = await sent;
      assert.deepEqual(answer.lines, [], 'the space of the prompt is not a line');
      assert.deepEqual(urcs.map((u) => u.fields), [{ socket: 1, length: 400 }]);
    });

    it('refuses a Ctrl-Z payload for a Ctrl-Z terminated transfer, naming the byte, and writes nothing', async () => {
      const { link, engine } = rig();
      const err = await rejection(
        engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes(`abc${CTRL_Z}def`), terminator: 'ctrl-z' } }),
      );
      assert.equal(err.kind, 'PARAMETER');
      assert.equal(err.field, 'payload');
      assert.equal(err.command, 'AT#SSLSEND=1');
      assert.match(err.message, /Ctrl-Z at byte 3/);
      const esc = await rejection(
        engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes(`${ESC}[A`), terminator: 'ctrl-z' } }),
      );
      assert.equal(esc.kind, 'PARAMETER');
      assert.match(esc.message, /ESC at byte 0/);
      // Refused before anything was queued: the engine has nothing in flight, queued or waiting.
      assert.equal(engine.idle, true);
      assert.equal(link.written.length, 0, 'not even the resynchronisation was started');
    });

    it('AT#SSLSENDEXT=1,8: exactly the payload bytes after the prompt, Ctrl-Z and all, no terminator', async () => {
      const { link, engine } = rig();
      const payload = Buffer.from([0x00, 0x1a, 0x1b, 0x0d, 0x0a, 0x4f, 0x4b, 0xff]);
      const sent = engine.send({
        line: buildCommand('#SSLSENDEXT', [p.int('SSId', 1), p.int('bytestosend', payload.length)]),
        prompt: { payload, terminator: 'none' },
      });
      await link.waitForCommand('AT#SSLSENDEXT=1,8');
      link.feed('\r\n> ');
      const written = await link.waitForWrite((_t, b) => b.equals(payload));
      assert.equal(written.length, 8);
      link.feed(frame('OK'));
      assert.equal((await sent).final, 'OK');
      assert.ok(link.writtenBytes().equals(Buffer.concat([bytes('AT\rAT#SSLSENDEXT=1,8\r'), payload])));
    });

    it('ERROR instead of the prompt ends the command and writes no payload', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT#SSLSEND=1': frame('+CME ERROR: 833') }) });
      const err = await rejection(engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes('x'), terminator: 'ctrl-z' } }));
      assert.equal(err.code, 833);
      assert.equal(link.writtenText(), 'AT\rAT#SSLSEND=1\r');
    });
  });

  describe('URCs', () => {
    it('routes SSLSRING: 1,400 between information lines to `urc`, not into `lines` (Telit 7.4.4.1)', async () => {
      const { engine, urcs } = rig({ respond: modem({ 'AT#SSLEN?': frame('#SSLEN: 1,1', 'SSLSRING: 1,400', '#SSLEN: 2,0', 'OK') }) });
      const answer = await engine.send({ line: readCommand('#SSLEN') });
      assert.deepEqual(answer.lines, ['#SSLEN: 1,1', '#SSLEN: 2,0']);
      assert.deepEqual(urcs, [{ name: 'SSLSRING', fields: { socket: 1, length: 400 }, raw: 'SSLSRING: 1,400', known: true }]);
    });

    it('a line that looks like the answer belongs to the command that lists its prefix, and is a URC otherwise', async () => {
      const { link, engine, urcs } = rig({ respond: modem({ 'AT+CREG?': frame('+CREG: 1,2', 'OK') }) });
      const answer = await engine.send({ line: readCommand('+CREG'), responsePrefixes: ['+CREG:'] });
      assert.deepEqual(answer.lines, ['+CREG: 1,2']);
      assert.deepEqual(urcs, []);
      link.feed(frame('+CREG: 1,2'));
      assert.deepEqual(urcs, [{ name: '+CREG', fields: [1, 2], raw: '+CREG: 1,2', known: true }]);
    });

    it('a known URC during a command that does not claim its prefix is still a URC', async () => {
      const { engine, urcs } = rig({ respond: modem({ 'AT+CGMM': frame('+CREG: 5', 'HE910', 'OK') }) });
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer.lines, ['HE910']);
      assert.deepEqual(urcs.map((u) => u.raw), ['+CREG: 5']);
    });

    it('a line of the command’s own name is the answer’s, unless the command says its name is a URC (nameIsUrc): then it is published and the answer keeps only its responsePrefixes', async () => {
      const { engine, urcs } = rig({ respond: modem({ 'AT+CREG=2': frame('+CREG: 5', 'OK'), 'AT+CREG=1': frame('+CREG: 5', '+CREGX: 7', 'OK') }) });
      const claimed = await engine.send({ line: buildCommand('+CREG', [p.int('n', 2)]) });
      assert.deepEqual(claimed.lines, ['+CREG: 5']);
      assert.equal(urcs.length, 0, 'no URC: the line was the answer’s');
      const announced = await engine.send({ line: buildCommand('+CREG', [p.int('n', 1)]), responsePrefixes: ['+CREGX:'], nameIsUrc: true });
      assert.deepEqual(announced.lines, ['+CREGX: 7']);
      assert.deepEqual(urcs.map((u) => u.raw), ['+CREG: 5']);
    });

    it('publishes an unknown line while idle as a URC with known=false and generic fields', () => {
      const { link, urcs } = rig();
      link.feed(frame('+CIEV: "SIGNAL",3,,0x2F', 'RING'));
      assert.deepEqual(urcs, [
        { name: '+CIEV', fields: ['SIGNAL', 3, '', '0x2F'], raw: '+CIEV: "SIGNAL",3,,0x2F', known: false },
        { name: 'RING', fields: [], raw: 'RING', known: false },
      ]);
    });

    describe('SSLSRING: 1,256,<256 bytes> (Telit 7.4.4.2, sslSRingMode 2)', () => {
      const data = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
      const urc = Buffer.concat([bytes('\r\nSSLSRING: 1,256,'), data, bytes('\r\n')]);

      it('publishes the data while idle, split over many reads', async () => {
        const { link, urcs } = rig({ dialect: telitDialect });
        await link.feedSplitPerTick(urc, 7);
        assert.equal(urcs.length, 1);
        assert.equal(urcs[0].name, 'SSLSRING');
        assert.equal(urcs[0].raw, 'SSLSRING: 1,256,');
        assert.equal(urcs[0].known, true);
        assert.deepEqual(urcs[0].fields, { socket: 1, length: 256 });
        assert.ok(urcs[0].data?.equals(data));
      });

      it('publishes the data while another command is in flight, and keeps it out of that answer', async () => {
        const { link, engine, urcs } = rig({ dialect: telitDialect });
        const sent = engine.send({ line: buildCommand('#SSLS', [p.int('SSId', 1)]) });
        await link.waitForCommand('AT#SSLS=1');
        link.feed('\r\n#SSLS: 1,2,0x003C\r\n');
        link.feedSplit(urc, 100);
        link.feed(frame('OK'));
        const answer = await sent;
        assert.deepEqual(answer, { final: 'OK', lines: ['#SSLS: 1,2,0x003C'], payloads: [] });
        assert.equal(urcs.length, 1);
        assert.ok(urcs[0].data?.equals(data));
      });
    });
  });

  describe('noise', () => {
    it('drops the echo of the command line (ATE1)', async () => {
      const { engine } = rig({
        respond: (command) => {
          if (command === 'AT') return 'AT\r\r\nOK\r\n';
          if (command === 'AT+CGMI') return 'AT+CGMI\r\r\nTelit\r\n\r\nOK\r\n';
          return undefined;
        },
      });
      assert.deepEqual(await engine.send({ line: buildCommand('+CGMI') }), { final: 'OK', lines: ['Telit'], payloads: [] });
    });

    it('ignores garbage before the first OK (power-up noise, RDY) and keeps it out of the first answer', async () => {
      let firstAt = true;
      const { link, engine, urcs } = rig({
        respond: (command) => {
          if (command === 'AT' && firstAt) {
            firstAt = false;
            return '\xfe\xff\r\n+PACSP0\r\n\r\nOK\r\n';
          }
          return modem({ 'AT+CGMM': frame('HE910', 'OK') })(command);
        },
      });
      // Arrives while idle, the last bytes without a line ending.
      link.feed('\x00\xff\xfeRDY\r\n\x00\x00');
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer, { final: 'OK', lines: ['HE910'], payloads: [] });
      assert.ok(urcs.every((u) => !u.known), 'noise is never taken for a known URC');
    });
  });

  describe('queue', () => {
    it('sends queued commands in FIFO order, one at a time, each only after the previous final', async () => {
      const { link, engine } = rig();
      link.respond(modem({ 'AT+CGMI': frame('Telit', 'OK'), 'AT+CGMM': frame('HE910', 'OK'), 'AT+CGMR': frame('12.00.004', 'OK') }), 10);
      const log: string[] = [];
      link.on('write', (b: Buffer) => log.push(`tx ${b.toString('latin1').trim()}`));
      // Before the engine's own listener, so a read is logged before the write it triggers.
      link.prependListener('data', (b: Buffer) => log.push(`rx ${b.toString('latin1').trim().split(/\s+/).join(' ')}`));
      const done: string[] = [];
      const all = ['+CGMI', '+CGMM', '+CGMR'].map((name) =>
        engine.send({ line: buildCommand(name) }).then((a: AtResponse) => {
          done.push(`${name} ${a.lines.join()}`);
          return a;
        }),
      );
      assert.equal(engine.pendingCount, 3);
      await Promise.all(all);
      assert.deepEqual(done, ['+CGMI Telit', '+CGMM HE910', '+CGMR 12.00.004']);
      assert.deepEqual(log, [
        'tx AT',
        'rx OK',
        'tx AT+CGMI',
        'rx Telit OK',
        'tx AT+CGMM',
        'rx HE910 OK',
        'tx AT+CGMR',
        'rx 12.00.004 OK',
      ]);
      assert.equal(engine.pendingCount, 0);
    });
  });

  describe('timeouts and resynchronisation', () => {
    it('rejects with TIMEOUT naming the command, then resynchronises with AT before the next command', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('HE910', 'OK') }) });
      const err = await rejection(engine.send({ line: buildCommand('+COPS', [p.int('mode', 0)]), timeoutMs: 30 }));
      assert.equal(err.kind, 'TIMEOUT');
      assert.equal(err.command, 'AT+COPS=0');
      assert.match(err.message, /AT\+COPS=0: no final result code within 30 ms/);
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer.lines, ['HE910']);
      assert.equal(link.writtenText(), 'AT\rAT+COPS=0\rAT\rAT+CGMM\r');
    });

    it('leaves a pending prompt with ESC before the AT of the resynchronisation', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('HE910', 'OK') }) });
      const err = await rejection(
        engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes('x'), terminator: 'ctrl-z' }, timeoutMs: 30 }),
      );
      assert.equal(err.kind, 'TIMEOUT');
      assert.match(err.message, /no prompt within 30 ms/);
      await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(link.written.map((b) => b.toString('latin1')), ['AT\r', 'AT#SSLSEND=1\r', ESC, 'AT\r', 'AT+CGMM\r']);
    });

    it('leaves a pending prompt that gives up by itself (quietAbortMs) by silence, with no filler, before the AT of the resynchronisation', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('L610', 'OK') }) });
      const err = await rejection(
        engine.send({ line: buildCommand('+GTSSLFILE', [p.str('file_type', 'TRUSTFILE'), p.int('file_len', 4)]), prompt: { payload: bytes('abcd'), terminator: 'none', quietAbortMs: 150 }, timeoutMs: 30 }),
      );
      assert.equal(err.kind, 'TIMEOUT');
      const timedOutAt = Date.now();
      let syncAt: number;
      const sending = engine.send({ line: buildCommand('+CGMM') });
      while (link.written.length <= 2) await new Promise((resolve) => setTimeout(resolve, 5));
      syncAt = Date.now();
      await sending;
      assert.deepEqual(link.written.map((b) => b.toString('latin1')), ['AT\r', 'AT+GTSSLFILE="TRUSTFILE",4\r', 'AT\r', 'AT+CGMM\r']);
      assert.ok(syncAt - timedOutAt >= 140, `silent for ${syncAt - timedOutAt} ms before the AT`);
    });

    it('abandonCurrent: a command the restarted module will never answer fails at once, naming why, and the next command is preceded by AT', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('L610', 'OK') }) });
      const waiting = rejection(engine.send({ line: buildCommand('+MIPSEND', [p.int('id', 1), p.int('length', 4)]), prompt: { payload: bytes('abcd'), terminator: 'none', quietAbortMs: 150 }, timeoutMs: 30000 }));
      while (link.written.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      engine.abandonCurrent('the module restarted');
      const err = await waiting;
      assert.equal(err.kind, 'LINK_DOWN');
      assert.equal(err.message, 'AT+MIPSEND=1,4: the module restarted');
      await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(link.written.map((b) => b.toString('latin1')), ['AT\r', 'AT+MIPSEND=1,4\r', 'AT\r', 'AT+CGMM\r']);
    });

    it('does not take a late OK of the timed-out command, arriving during resync, as the next command\'s answer', async () => {
      let ats = 0;
      const { link, engine } = rig({
        resync: { attempts: 3, waitMs: 300, quietMs: 40 },
        respond: (command) => {
          if (command === 'AT') {
            ats++;
            // The second AT (the resynchronisation) is answered after the late OK of #SSLD.
            if (ats === 2) {
              setTimeout(() => link.feed(frame('OK')), 30);
              return undefined;
            }
            return frame('OK');
          }
          if (command === 'AT#SSLD=1,443,"123.124.125.126",0,1') {
            setTimeout(() => link.feed(frame('OK')), 50); // 20 ms after its timeout
            return undefined;
          }
          if (command === 'AT+CGMM') return frame('HE910', 'OK');
          return undefined;
        },
      });
      const open = buildCommand('#SSLD', [p.int('SSId', 1), p.int('port', 443), p.str('host', '123.124.125.126'), p.int('closure', 0), p.int('mode', 1)]);
      const err = await rejection(engine.send({ line: open, timeoutMs: 30 }));
      assert.equal(err.kind, 'TIMEOUT');
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer, { final: 'OK', lines: ['HE910'], payloads: [] });
      assert.deepEqual(link.commands(), ['AT', 'AT#SSLD=1,443,"123.124.125.126",0,1', 'AT', 'AT+CGMM']);
    });

    it('recovers when a timed-out command left a sized payload half-read (the rest never came)', async () => {
      const { engine } = rig({
        respond: modem({
          'AT#SSLRECV=1,300': '\r\n#SSLRECV: 300\r\n' + 'x'.repeat(10),
          'AT+CGMM': frame('HE910', 'OK'),
        }),
      });
      const err = await rejection(engine.send({ line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 300)]), payloads: [SSLRECV], timeoutMs: 30 }));
      assert.equal(err.kind, 'TIMEOUT');
      // The modem's next answers must be read as lines again, not as the missing 290 bytes.
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer.lines, ['HE910']);
    });

    it('takes an OK that comes late in the attempt\'s wait, without a second AT', async () => {
      const { link, engine } = rig({ resync: { attempts: 1, waitMs: 80, quietMs: 40 } });
      link.respond(modem(), 60);
      await engine.sync();
      assert.deepEqual(link.commands(), ['AT']);
    });

    it('gives up with NOT_RESPONDING after the configured attempts when the modem never answers', async () => {
      const { link, engine } = rig({ respond: () => undefined });
      const resyncs: boolean[] = [];
      engine.on('resync', (ok: boolean) => resyncs.push(ok));
      const started = Date.now();
      const err = await rejection(engine.send({ line: buildCommand('+CGMM') }));
      assert.equal(err.kind, 'NOT_RESPONDING');
      assert.equal(err.command, 'AT');
      assert.match(err.message, /\/dev\/ttyUSB0 @ 115200 does not answer AT \(3 attempts, 50 ms each\)/);
      assert.deepEqual(link.commands(), ['AT', 'AT', 'AT']);
      assert.ok(Date.now() - started >= 3 * 50 - 5);
      assert.deepEqual(resyncs, [false]);
    });

    it('sync() resolves once the modem answers AT, and a later command needs no further resync', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('HE910', 'OK') }) });
      await engine.sync();
      await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(link.commands(), ['AT', 'AT+CGMM']);
    });
  });

  describe('link and close', () => {
    it('rejects the command in flight and the two queued with LINK_DOWN when the link drops', async () => {
      const { link, engine } = rig();
      const pending = [buildCommand('+CGMI'), buildCommand('+CGMM'), buildCommand('+CGMR')].map((line) => rejection(engine.send({ line })));
      await link.waitForCommand('AT+CGMI');
      link.drop('USB cable unplugged');
      const errors = await Promise.all(pending);
      assert.deepEqual(errors.map((e) => [e.kind, e.command]), [
        ['LINK_DOWN', 'AT+CGMI'],
        ['LINK_DOWN', 'AT+CGMM'],
        ['LINK_DOWN', 'AT+CGMR'],
      ]);
      assert.match(errors[0].message, /\/dev\/ttyUSB0 @ 115200 went down: USB cable unplugged/);
      assert.equal(engine.pendingCount, 0);
      assert.deepEqual(link.commands(), ['AT', 'AT+CGMI']);
    });

    it('refuses a command at once while the link is down, and resynchronises after it reopens', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMM': frame('HE910', 'OK') }) });
      await engine.sync();
      link.drop('socket reset');
      const err = await rejection(engine.send({ line: buildCommand('+CGMM') }));
      assert.equal(err.kind, 'LINK_DOWN');
      assert.equal(err.command, 'AT+CGMM');
      assert.match(err.message, /is not open \(reconnecting: socket reset\)/);
      assert.deepEqual(link.commands(), ['AT']);
      link.reopen();
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMM') })).lines, ['HE910']);
      assert.deepEqual(link.commands(), ['AT', 'AT', 'AT+CGMM']);
    });

    it('forgets the payload rules of a command lost with the link', async () => {
      const { link, engine, urcs } = rig();
      const lost = rejection(engine.send({ line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 3)]), payloads: [SSLRECV] }));
      await link.waitForCommand('AT#SSLRECV=1,3');
      link.drop('unplugged');
      assert.equal((await lost).kind, 'LINK_DOWN');
      link.reopen();
      link.feed(frame('#SSLRECV: 3', 'RING'));
      assert.deepEqual(urcs.map((u) => u.raw), ['#SSLRECV: 3', 'RING']);
    });

    it('escapes a module that was ONLINE when the link dropped before resynchronising, so the AT is not sent to the server as data', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT'), '+++AT': frame('ERROR'), 'AT+CGMM': frame('Model', 'OK') }) });
      await engine.send({ line: { text: 'ATD*99#', display: 'ATD*99#' }, dial: true, online: true, timeoutMs: 500 });
      assert.equal(engine.mode, 'online');
      link.drop('unplugged');
      link.reopen();
      const answer = await engine.send({ line: buildCommand('+CGMM') });
      assert.deepEqual(answer.lines, ['Model']);
      const after = link.writtenText().slice(link.writtenText().indexOf('ATD*99#\r') + 'ATD*99#\r'.length);
      assert.ok(after.startsWith('+++'), `the escape comes first: ${JSON.stringify(after)}`);
      assert.match(after, /^\+\+\+AT\r(AT\r)*AT\+CGMM\r$/);
    });

    it('escapes before resynchronising after a transfer that failed in the module\'s data state, and only then', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMI': frame('Simulated', 'OK') }) });
      const lost = (on: boolean[]): Promise<unknown> =>
        engine.exclusive((at) => at.transfer(async (io) => {
          for (const state of on) io.dataState(state);
          await io.write(bytes('payload'));
          throw new Error('the transfer failed');
        })).catch((err: unknown) => err);
      await engine.sync();
      const from = link.writtenText().length;
      await lost([true]);
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMI') })).lines, ['Simulated']);
      assert.match(link.writtenText().slice(from), /^payload\+\+\+AT\r/, 'escape, then AT');
      const next = link.writtenText().length;
      await lost([true, false]);
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMI') })).lines, ['Simulated']);
      assert.match(link.writtenText().slice(next), /^payloadAT\r/, 'the module left its data state: no escape');
    });

    it('rejects the command in flight and every queued one with CLOSED on close(), and refuses new ones', async () => {
      const { link, engine } = rig();
      const pending = [buildCommand('+CGMI'), buildCommand('+CGMM')].map((line) => rejection(engine.send({ line })));
      await link.waitForCommand('AT+CGMI');
      engine.close('redeploy');
      const errors = await Promise.all(pending);
      assert.deepEqual(errors.map((e) => [e.kind, e.command, e.message]), [
        ['CLOSED', 'AT+CGMI', 'redeploy'],
        ['CLOSED', 'AT+CGMM', 'redeploy'],
      ]);
      assert.equal(engine.mode, 'closed');
      assert.equal((await rejection(engine.send({ line: buildCommand('+CGMR') }))).kind, 'CLOSED');
      assert.equal((await rejection(engine.sync())).kind, 'CLOSED');
      assert.equal(link.listenerCount('data'), 0, 'the engine no longer listens to the link');
    });

    it('rejects a command waiting behind the resynchronisation with CLOSED', async () => {
      // Fake time: the next attempt of the resynchronisation would be due 1000 ms after the first.
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        const { link, engine } = rig({ respond: () => undefined, resync: { attempts: 3, waitMs: 1000, quietMs: 5 } });
        const pending = rejection(engine.send({ line: buildCommand('+CGMM') }));
        await link.waitForCommand('AT');
        engine.close();
        const err = await pending;
        assert.equal(err.kind, 'CLOSED');
        await clock.tickAsync(5000);
        assert.deepEqual(link.commands(), ['AT'], 'no further AT after close');
      } finally {
        clock.restore();
      }
    });
  });

  describe('a write that fails', () => {
    it('leaves the modem to be resynchronised: the next command goes after ESC (the prompt it may have left open) and AT', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMI': frame('Telit', 'OK') }) });
      await engine.sync();
      const sending = engine.send({ line: buildCommand('#SSLSEND', [p.int('SSId', 1)]), prompt: { payload: bytes('hello'), terminator: 'ctrl-z' } });
      await link.waitForCommand('AT#SSLSEND=1');
      link.failWrites = new Error('EIO: write failed');
      link.feed('\r\n> ');
      const failed = await rejection(sending);
      assert.equal(failed.kind, 'LINK_DOWN');
      link.failWrites = null;
      const from = link.writtenText().length;
      await engine.send({ line: buildCommand('+CGMI') });
      assert.equal(link.writtenText().slice(from), `${ESC}AT\rAT+CGMI\r`);
    });
  });

  describe('ONLINE mode', () => {
    const dial = (command: string): CommandSpec => ({ line: { text: command, display: command }, dial: true, online: true, timeoutMs: 500 });

    it('CONNECT → online; bytes are data; writeData; commands refused; +++ after the guard time → OK; NO CARRIER (Telit 7.4.1)', async () => {
      const { link, engine, urcs } = rig({
        respond: modem({
          'AT#SSLD=1,443,"123.124.125.126",0,0': frame('CONNECT'),
          'AT#SSLS=1': frame('#SSLS: 1,2,0x003C', 'OK'),
          'AT#SSLO=1': frame('CONNECT'),
        }),
      });
      const online: boolean[] = [];
      engine.on('online', (on: boolean) => online.push(on));
      const received: Buffer[] = [];
      engine.on('data', (b: Buffer) => received.push(b));

      const connect = await engine.send(dial('AT#SSLD=1,443,"123.124.125.126",0,0'));
      assert.equal(connect.final, 'CONNECT');
      assert.equal(engine.mode, 'online');
      assert.deepEqual(online, [true]);

      // Binary data, including text that looks like result codes.
      const inbound = Buffer.concat([bytes('HTTP/1.1 200 OK\r\n\r\nOK\r\nERROR\r\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
      link.feedSplit(inbound, 13);
      await sleep(20);
      assert.ok(Buffer.concat(received).equals(inbound));
      assert.deepEqual(urcs, []);

      const outbound = Buffer.from([0x47, 0x45, 0x54, 0x0d, 0x00, 0x1a, 0x1b]);
      await engine.writeData(outbound);
      assert.ok(link.written[link.written.length - 1].equals(outbound));

      const before = link.written.length;
      const refused = await rejection(engine.send({ line: buildCommand('#SSLS', [p.int('SSId', 1)]) }));
      assert.equal(refused.kind, 'ONLINE');
      assert.equal(refused.command, 'AT#SSLS=1');
      assert.equal((await rejection(engine.sync())).kind, 'ONLINE');
      assert.equal(link.written.length, before, 'nothing written for a refused command');

      // Escape: silence for the guard time, then +++, then OK.
      const times: Record<string, number> = {};
      link.on('write', (b: Buffer) => (times[b.toString('latin1')] = Date.now()));
      await engine.writeData(bytes('last'));
      const escaped = engine.escapeOnline(500);
      const plus = await link.waitForWrite((t) => t === '+++');
      assert.equal(plus.toString(), '+++');
      assert.ok(times['+++'] - times['last'] >= 30 - 2, `+++ came ${times['+++'] - times['last']} ms after the data`);
      link.feed('more data\r\n\r\nOK\r\n');
      await escaped;
      assert.equal(engine.mode, 'command');
      assert.deepEqual(online, [true, false]);
      assert.equal(Buffer.concat(received).subarray(inbound.length).toString('latin1'), 'more data\r\n');

      // The connection is still open on the modem: commands work again.
      assert.deepEqual((await engine.send({ line: buildCommand('#SSLS', [p.int('SSId', 1)]) })).lines, ['#SSLS: 1,2,0x003C']);

      // Restore it, then the server closes it.
      await engine.send(dial('AT#SSLO=1'));
      assert.equal(engine.mode, 'online');
      link.feed('bye\r\nNO CARRIER!\r\n\r\nNO CARRIER\r\n');
      assert.equal(engine.mode, 'command');
      assert.deepEqual(online, [true, false, true, false]);
      assert.deepEqual(urcs, [{ name: 'NO CARRIER', fields: [], raw: 'NO CARRIER', known: false }]);
      assert.ok(Buffer.concat(received).toString('latin1').endsWith('more data\r\nbye\r\nNO CARRIER!\r\n'));
      assert.deepEqual(link.commands(), ['AT', 'AT#SSLD=1,443,"123.124.125.126",0,0', 'AT#SSLS=1', 'AT#SSLO=1']);
    });

    it('keeps the guard time when data is written while the escape waits for it', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      await engine.send(dial('ATD*99#'));
      const times: Record<string, number> = {};
      link.on('write', (b: Buffer) => (times[b.toString('latin1')] = Date.now()));
      await engine.writeData(bytes('first'));
      const escaped = engine.escapeOnline(500);
      await sleep(15);
      await engine.writeData(bytes('second'));
      await link.waitForWrite((t) => t === '+++');
      assert.ok(times['+++'] - times['second'] >= 30 - 2, `+++ came ${times['+++'] - times['second']} ms after the data`);
      link.feed(frame('OK'));
      await escaped;
      assert.equal(engine.mode, 'command');
    });

    it('counts the guard time from when the last byte crossed the line, at the link\'s line rate', async () => {
      // 9600 baud: 96 bytes take 100 ms on the line after the OS took them at once.
      const { link, engine } = rig({ baudRate: 9600, respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      await engine.send(dial('ATD*99#'));
      const times: Record<string, number> = {};
      link.on('write', (b: Buffer) => (times[b.length === 3 ? b.toString('latin1') : 'data'] = Date.now()));
      await engine.writeData(Buffer.alloc(96, 0x55));
      const escaped = engine.escapeOnline(500);
      await link.waitForWrite((t) => t === '+++');
      assert.ok(times['+++'] - times.data >= 100 + 30 - 2, `+++ came ${times['+++'] - times.data} ms after the write`);
      link.feed(frame('OK'));
      await escaped;
      assert.equal(engine.mode, 'command');
    });

    it('gives up waiting for the guard time when ONLINE mode ends meanwhile (NO CARRIER)', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }), dialect: { ...testDialect, escape: { sequence: '+++', guardMs: 5000 } } });
      await engine.send(dial('ATD*99#'));
      await engine.writeData(bytes('last'));
      const started = Date.now();
      const escaped = engine.escapeOnline(500);
      await sleep(10);
      link.feed(frame('NO CARRIER'));
      await escaped;
      assert.ok(Date.now() - started < 4000, 'did not sit out the 5 s guard time');
      assert.equal(engine.mode, 'command');
      assert.ok(!link.written.some((b) => b.toString('latin1') === '+++'), 'no escape into a closed connection');
    });

    it('rejects escapeOnline() with a ModemError when the escape cannot be written, and stays online', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      process.on('unhandledRejection', onUnhandled);
      try {
        await engine.send(dial('ATD*99#'));
        link.failWrites = new Error('EIO: write failed');
        const err = await rejection(engine.escapeOnline(20));
        assert.equal(err.kind, 'LINK_DOWN');
        assert.match(err.message, /EIO/);
        assert.equal(engine.mode, 'online');
        await sleep(80); // past the escape's own timeout
        assert.deepEqual(unhandled, []);
        link.failWrites = null;
        await engine.writeData(bytes('still online'));
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });

    it('after an escape that got no OK, an OK inside later data is data again', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      await engine.send(dial('ATD*99#'));
      const received: Buffer[] = [];
      engine.on('data', (d: Buffer) => received.push(d));
      const err = await rejection(engine.escapeOnline(20));
      assert.equal(err.kind, 'TIMEOUT');
      assert.equal(engine.mode, 'online');
      link.feed('status\r\nOK\r\nmore');
      await sleep(20); // past the hold-back of a possibly split terminator
      assert.equal(engine.mode, 'online');
      assert.equal(Buffer.concat(received).toString('latin1'), 'status\r\nOK\r\nmore');
    });

    it('writeData() reports a failed write as a LINK_DOWN ModemError', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      await engine.send(dial('ATD*99#'));
      link.failWrites = new Error('EIO: write failed');
      const err = await rejection(engine.writeData(bytes('payload')));
      assert.equal(err.kind, 'LINK_DOWN');
      assert.match(err.message, /EIO/);
      link.failWrites = null;
    });

    it('a dial answered NO CARRIER is a FINAL failure and stays in command mode', async () => {
      const { engine } = rig({ respond: modem({ 'ATD*99#': frame('NO CARRIER') }) });
      const err = await rejection(engine.send(dial('ATD*99#')));
      assert.equal(err.kind, 'FINAL');
      assert.equal(err.code, 'NO CARRIER');
      assert.equal(engine.mode, 'command');
    });

    it('leaves ONLINE mode when the link drops', async () => {
      const { link, engine } = rig({ respond: modem({ 'ATD*99#': frame('CONNECT') }) });
      const online: boolean[] = [];
      engine.on('online', (on: boolean) => online.push(on));
      await engine.send(dial('ATD*99#'));
      link.drop('unplugged');
      assert.equal(engine.mode, 'command');
      assert.deepEqual(online, [true, false]);
      assert.equal((await rejection(engine.writeData(bytes('x')))).kind, 'ONLINE');
    });
  });

  describe('a URC is a URC, even in the middle of a response', () => {
    it('AT+CSQ with +CREG: 5 between its information line and OK (27.007 §8.5, §7.2)', async () => {
      const { engine, urcs } = rig({ respond: modem({ 'AT+CSQ': frame('+CSQ: 17,99', '+CREG: 5', 'OK') }) });
      const answer = await engine.send({ line: buildCommand('+CSQ') });
      assert.deepEqual(answer, { final: 'OK', lines: ['+CSQ: 17,99'], payloads: [] });
      assert.deepEqual(urcs.map((u) => u.raw), ['+CREG: 5']);
    });

    it('a raw line of several commands claims each one’s answer (AT+CSQ;+CREG?)', async () => {
      const { engine, urcs } = rig({ respond: modem({ 'at+csq;+creg?': frame('+CSQ: 17,99', '+CREG: 0,1', 'OK') }) });
      const answer = await engine.send({ line: { text: 'at+csq;+creg?', display: 'at+csq;+creg?' } });
      assert.deepEqual(answer.lines, ['+CSQ: 17,99', '+CREG: 0,1']);
      assert.deepEqual(urcs, []);
    });

    it('a flood of 10,000 +CREG while 20 commands run: every answer holds only its own lines, every URC is published once, in order', async () => {
      // A deterministic shuffle: URCs land between lines of answers, between answers, and inside
      // reads split at every size from 1 to 97 bytes.
      let seed = 12345;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed % n;
      };
      let next = 0;
      const urcLines = (n: number): string[] => Array.from({ length: n }, () => `+CREG: ${next++ % 6},"${(next).toString(16)}"`);
      const { link, engine, urcs } = rig();
      const total = 10_000;
      const commands = 20;
      const perCommand = total / commands;
      link.respond((command) => {
        if (command === 'AT') return frame('OK');
        const m = /^AT\+CGSN=(\d+)$/.exec(command);
        if (!m) return undefined;
        const own = [`+CGSN: ${m[1]}`, `35${m[1].padStart(13, '0')}`];
        // Some URCs before the answer, some between its lines, some between its last line and OK.
        const a = random(perCommand);
        const b = random(perCommand - a);
        const c = perCommand - a - b;
        const text = frame(...urcLines(a), own[0], ...urcLines(b), own[1], ...urcLines(c), 'OK');
        setImmediate(() => link.feedSplit(text, 1 + random(97)));
        return undefined;
      });
      const answers = await Promise.all(
        Array.from({ length: commands }, (_, i) => engine.send({ line: buildCommand('+CGSN', [p.int('snt', i)]), responsePrefixes: ['+CGSN:'] })),
      );
      answers.forEach((answer, i) => assert.deepEqual(answer.lines, [`+CGSN: ${i}`, `35${String(i).padStart(13, '0')}`], `answer ${i}`));
      assert.equal(urcs.length, total);
      urcs.forEach((urc, i) => assert.equal(urc.raw, `+CREG: ${i % 6},"${(i + 1).toString(16)}"`));
      assert.ok(urcs.every((u) => u.known && u.name === '+CREG'));
    });
  });

  describe('exclusive sections', () => {
    const answers = modem({
      'AT+A1': frame('OK'),
      'AT+A2': frame('OK'),
      'AT+A3': frame('OK'),
      'AT+B1': frame('OK'),
      'AT+B2': frame('OK'),
      'AT+X': frame('OK'),
      'AT+Y': frame('OK'),
    });
    const commandsOf = (link: FakeLink): string[] => link.commands().filter((c) => c !== 'AT');

    it('keeps a section’s commands together while other flows send, whichever starts first', async () => {
      for (const order of ['A first', 'B first']) {
        const { link, engine } = rig({ respond: answers });
        const section = (name: string, n: number) =>
          engine.exclusive(async (at) => {
            for (let i = 1; i <= n; i++) {
              await at.send({ line: buildCommand(`+${name}${i}`) });
              // Work between commands (a comparison, a decision) must not let anyone in.
              await new Promise((resolve) => setImmediate(resolve));
            }
            return name;
          });
        const runs = order === 'A first' ? [section('A', 3), section('B', 2)] : [section('B', 2), section('A', 3)];
        const outsider = engine.send({ line: buildCommand('+X') });
        assert.deepEqual(await Promise.all(runs), order === 'A first' ? ['A', 'B'] : ['B', 'A']);
        await outsider;
        const sent = commandsOf(link);
        const a = sent.filter((c) => c.startsWith('AT+A')).map((c) => sent.indexOf(c));
        const b = sent.filter((c) => c.startsWith('AT+B')).map((c) => sent.indexOf(c));
        assert.deepEqual(a, [a[0], a[0] + 1, a[0] + 2], `${order}: ${sent.join(' ')}`);
        assert.deepEqual(b, [b[0], b[0] + 1], `${order}: ${sent.join(' ')}`);
        // FIFO between sections and commands: the outsider queued after both sections.
        assert.equal(sent[sent.length - 1], 'AT+X', `${order}: ${sent.join(' ')}`);
      }
    });

    it('waits behind commands queued before it; a priority section goes before them', async () => {
      const { link, engine } = rig({ respond: answers });
      // Something in flight, so that what follows really queues.
      const y = engine.send({ line: buildCommand('+Y') });
      await link.waitForCommand('AT+Y');
      const x = engine.send({ line: buildCommand('+X') });
      const normal = engine.exclusive(async (at) => {
        await at.send({ line: buildCommand('+A1') });
      });
      const first = engine.exclusive(async (at) => {
        await at.send({ line: buildCommand('+B1') });
      }, { priority: true });
      await Promise.all([y, x, normal, first]);
      assert.deepEqual(commandsOf(link), ['AT+Y', 'AT+B1', 'AT+X', 'AT+A1']);
    });

    it('is released when its body fails, and the queue moves on', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+A1': frame('ERROR'), 'AT+X': frame('OK') }) });
      const failing = engine.exclusive(async (at) => {
        await at.send({ line: buildCommand('+A1') });
        await at.send({ line: buildCommand('+A2') });
      });
      const x = engine.send({ line: buildCommand('+X') });
      assert.equal((await rejection(failing)).kind, 'FINAL');
      await x;
      assert.deepEqual(commandsOf(link), ['AT+A1', 'AT+X']);
      assert.equal(engine.idle, true);
    });

    it('loses the modem when the link goes down: later commands of the section fail and never reach the reopened link', async () => {
      const { link, engine } = rig({ respond: answers });
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => (resume = resolve));
      const section = engine.exclusive(async (at) => {
        await at.send({ line: buildCommand('+A1') });
        await paused;
        await at.send({ line: buildCommand('+A2') });
      });
      await link.waitForCommand('AT+A1');
      await new Promise((resolve) => setTimeout(resolve, 5));
      link.drop('unplugged');
      link.reopen();
      const after = engine.send({ line: buildCommand('+X') });
      await after;
      resume();
      const err = await rejection(section);
      assert.equal(err.kind, 'LINK_DOWN');
      assert.equal(err.command, 'AT+A2');
      assert.deepEqual(commandsOf(link), ['AT+A1', 'AT+X']);
    });

    it('a waiting section is refused with CLOSED when the engine closes; one that cannot start on a closed link fails at once', async () => {
      const { engine } = rig({ respond: answers });
      let resume!: () => void;
      const paused = new Promise<void>((resolve) => (resume = resolve));
      const holder = engine.exclusive(async (at) => {
        await at.send({ line: buildCommand('+A1') });
        await paused;
        await at.send({ line: buildCommand('+A2') });
      });
      const waiting = engine.exclusive(async () => 'never');
      await new Promise((resolve) => setTimeout(resolve, 10));
      engine.close('redeploy');
      resume();
      assert.equal((await rejection(waiting)).kind, 'CLOSED');
      assert.equal((await rejection(holder)).kind, 'CLOSED');
      assert.equal((await rejection(engine.exclusive(async () => 1))).kind, 'CLOSED');
    });

    it('a command line that would change on the way out is refused before it is queued: nothing is written', async () => {
      const { link, engine } = rig({ respond: answers });
      const err = await rejection(engine.send({ line: { text: 'AT+CGMM\u010dAT+X=5', display: 'AT+CGMM\u010dAT+X=5' } }));
      assert.equal(err.kind, 'PARAMETER');
      assert.equal(err.vendor, 'test');
      assert.equal(link.written.length, 0);
    });
  });

  describe('a line with no end', () => {
    it('fails the command it interrupts (GARBLED), warns once, and resynchronises before the next command', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+CGMI': frame('Telit', 'OK') }) });
      const warnings: string[] = [];
      engine.on('warning', (w: string) => warnings.push(w));
      await engine.sync();
      const sent = engine.send({ line: buildCommand('+CGMM') });
      await link.waitForCommand('AT+CGMM');
      link.feedSplit(Buffer.alloc(256 * 1024, 0x41), 4096);
      const err = await rejection(sent);
      assert.equal(err.kind, 'GARBLED');
      assert.equal(err.message, 'AT+CGMM: the answer held a line of more than 4096 bytes; it was dropped');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /more than 4096 bytes without a line end/);
      link.feed('\r\n');
      const before = link.commands().length;
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMI') })).lines, ['Telit']);
      assert.deepEqual(link.commands().slice(before), ['AT', 'AT+CGMI']);
    });

    it('a dialect sets its own limit; a line within it is an ordinary line', async () => {
      const long = 'x'.repeat(6000);
      const { engine } = rig({ dialect: { ...testDialect, maxLineLength: 8192 }, respond: modem({ 'AT+CGMM': frame(long, 'OK') }) });
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMM') })).lines, [long]);
    });
  });

  describe('secrets', () => {
    const SECRET = 'hunter2';

    function assertNoSecret(traces: TraceEntry[], ...errors: ModemError[]): void {
      assert.ok(traces.length > 0);
      for (const entry of traces) assert.ok(!entry.text.includes(SECRET), `trace leaks the secret: ${JSON.stringify(entry)}`);
      for (const err of errors) {
        assert.ok(!JSON.stringify(err.toJSON()).includes(SECRET), `error leaks the secret: ${JSON.stringify(err.toJSON())}`);
        assert.ok(!err.message.includes(SECRET));
      }
    }

    const login = buildCommand('#MQCONN', [p.int('instance', 1), p.str('clientId', 'gw-7'), p.str('user', 'ops'), p.str('password', SECRET, { secret: true })]);

    it('traces a secret parameter as *** and a secret prompt payload as a byte count', async () => {
      let logins = 0;
      // The first login is refused, the second one is never answered.
      const { link, engine, traces } = rig({ respond: (command) => (command === login.text ? (++logins === 1 ? frame('+CME ERROR: 836') : undefined) : modem()(command)) });
      const failed = await rejection(engine.send({ line: login }));
      const key = bytes(`-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`);
      const upload = engine.send({
        line: buildCommand('#SSLSECDATA', [p.int('SSId', 1), p.int('action', 1), p.int('dataType', 2), p.int('size', key.length)]),
        prompt: { payload: key, terminator: 'ctrl-z', secret: true },
      });
      await link.waitForCommand('AT#SSLSECDATA=1,1,2,' + key.length);
      link.feed('\r\n> ');
      await link.waitForWrite((t) => t.endsWith(CTRL_Z));
      link.feed(frame('OK'));
      await upload;
      const timedOut = await rejection(engine.send({ line: login, timeoutMs: 20 }));
      assert.equal(timedOut.kind, 'TIMEOUT');
      assertNoSecret(traces, failed, timedOut);
      assert.ok(link.writtenText().includes(SECRET), 'the modem itself gets the real value');
      assert.ok(traces.some((t) => t.kind === 'command' && t.text === 'AT#MQCONN=1,"gw-7","ops","***"'));
      assert.ok(traces.some((t) => t.kind === 'payload' && t.dir === 'tx' && t.text === `<${key.length} bytes, secret>`));
    });

    it('does not trace the secret when the modem echoes the command back (ATE1)', async () => {
      const { engine, traces } = rig({
        respond: (command) => (command === 'AT' ? 'AT\r\r\nOK\r\n' : command === login.text ? `${login.text}\r\r\nOK\r\n` : undefined),
      });
      const answer = await engine.send({ line: login });
      assert.deepEqual(answer.lines, []);
      assertNoSecret(traces);
    });

    it('keeps the late answer of a timed-out secretResponse command out of the trace', async () => {
      const { link, engine, traces, urcs } = rig({ respond: modem({}) });
      const err = await rejection(engine.send({ line: readCommand('#PSK'), secretResponse: true, timeoutMs: 30 }));
      assert.equal(err.kind, 'TIMEOUT');
      // The answer arrives after the timeout, while the engine resynchronises for the next command.
      link.respond((command) => (command === 'AT' ? frame(`#PSK: 1,"${SECRET}"`, 'OK', 'OK') : command === 'AT+CGMI' ? frame('Telit', 'OK') : undefined));
      assert.deepEqual((await engine.send({ line: buildCommand('+CGMI') })).lines, ['Telit']);
      assertNoSecret(traces);
      assert.deepEqual(urcs, []);
    });

    it('a late answer that arrives with nothing else queued is nobody\'s: not a URC, and redacted in the trace', async () => {
      const { link, engine, traces, urcs } = rig({ respond: modem({}) });
      await engine.sync();
      const err = await rejection(engine.send({ line: readCommand('#PSK'), secretResponse: true, timeoutMs: 30 }));
      assert.equal(err.kind, 'TIMEOUT');
      link.feed(frame(`#PSK: 1,"${SECRET}"`, 'OK'));
      // A secret parameter: its echo comes after the timeout.
      const setPsk = buildCommand('#PSKSET', [p.int('id', 1), p.str('psk', SECRET, { secret: true })]);
      assert.equal((await rejection(engine.send({ line: setPsk, timeoutMs: 30 }))).kind, 'TIMEOUT');
      link.feed(`${setPsk.text}\r\r\nOK\r\n`);
      // A line a dialect rule knows is still a URC meanwhile.
      link.feed(frame('SSLSRING: 1,0'));
      await sleep(20);
      assertNoSecret(traces);
      assert.deepEqual(urcs.map((u) => u.raw), ['SSLSRING: 1,0']);
      assert.ok(traces.some((t) => t.dir === 'rx' && t.text === 'AT#PSKSET=1,"***"'), 'the late echo is traced in its display form');
    });

    it('recognises the echo of a command sent as UTF-8 (printable-unicode), so its secret is neither traced nor in the answer', async () => {
      const password = `heslo-č-${SECRET}`;
      const line = buildCommand('+WPASS', [p.str('pass', password, { secret: true, charset: 'printable-unicode' })]);
      const wire = Buffer.from(line.text, 'utf8').toString('latin1');
      const { engine, traces } = rig({ respond: (command) => (command === 'AT' ? 'AT\r\r\nOK\r\n' : command === wire ? `${wire}\r\r\nOK\r\n` : undefined) });
      const answer = await engine.send({ line });
      assert.deepEqual(answer.lines, []);
      assertNoSecret(traces);
    });

    it('a URC rule can redact a secret it carries, in the trace and in the published raw line', async () => {
      const dialect: DialectFraming = {
        vendor: 'test',
        urcs: [{ name: '+UUSECPRF', pattern: /^\+UUSECPRF: /, redact: (line) => line.replace(/,13,2,.*$/, ',13,2,***,***') }],
      };
      const { link, engine, traces, urcs } = rig({ dialect });
      await engine.sync();
      link.feed(frame(`+UUSECPRF: 0,13,2,"c2Vzc2lvbg==","${SECRET}"`));
      assert.deepEqual(urcs.map((u) => u.raw), ['+UUSECPRF: 0,13,2,***,***']);
      assertNoSecret(traces);
    });

    it('waits the prompt delay a dialect asks for before writing the payload (u-blox: 50 ms after @)', async () => {
      const { link, engine } = rig({ respond: modem({ 'AT+USOWR=0,4': '@' }) });
      const times: number[] = [];
      link.on('write', () => times.push(Date.now()));
      const sent = engine.send({ line: buildCommand('+USOWR', [p.int('socket', 0), p.int('length', 4)]), prompt: { markers: ['@'], payload: bytes('data'), terminator: 'none', delayMs: 40 } });
      await link.waitForWrite((t) => t === 'data');
      link.feed(frame('+USOWR: 0,4', 'OK'));
      await sent;
      const commandAt = times[times.length - 2];
      const payloadAt = times[times.length - 1];
      assert.ok(payloadAt - commandAt >= 38, `payload came ${payloadAt - commandAt} ms after the command`);
    });

    it('redacts the lines of a secretResponse command in the trace, and still returns them', async () => {
      const { engine, traces } = rig({ respond: modem({ 'AT#PSK?': frame(`#PSK: 1,"${SECRET}"`, 'OK') }) });
      const answer = await engine.send({ line: readCommand('#PSK'), secretResponse: true });
      assert.deepEqual(answer.lines, [`#PSK: 1,"${SECRET}"`]);
      assertNoSecret(traces);
      assert.ok(traces.some((t) => t.dir === 'rx' && t.kind === 'line' && /redacted/.test(t.text)));
    });
  });
});
