import { strict as assert } from 'node:assert';
import { createGenericModem, CmeError, type OnlineLink, type PromptInput, type SimulatedModem } from '../../../src/simulator';
import { exchange, Wire } from './wire';

describe('simulator: SimulatedModem', () => {
  let modem: SimulatedModem;
  let wire: Wire;

  beforeEach(() => {
    modem = createGenericModem();
    wire = new Wire(modem);
  });

  afterEach(() => {
    wire.detach();
    modem.close();
  });

  describe('command forms', () => {
    let calls: Array<{ form: string; args: unknown[]; rawArgs: string }>;

    beforeEach(async () => {
      calls = [];
      const record = (reply: string) => (ctx: { form: string; args: unknown[]; rawArgs: string }) => {
        calls.push({ form: ctx.form, args: ctx.args, rawArgs: ctx.rawArgs });
        return reply;
      };
      modem.register('+XTEST', {
        exec: record('+XTEST: exec'),
        read: record('+XTEST: read'),
        write: record('+XTEST: write'),
        test: record('+XTEST: (0-1)'),
      });
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    it('routes AT+X, AT+X?, AT+X=<args> and AT+X=? to exec, read, write and test', async () => {
      await exchange(modem, 'AT+XTEST\rAT+XTEST?\rAT+XTEST=1\rAT+XTEST=?\r');
      assert.equal(
        wire.text,
        '\r\n+XTEST: exec\r\n\r\nOK\r\n' +
          '\r\n+XTEST: read\r\n\r\nOK\r\n' +
          '\r\n+XTEST: write\r\n\r\nOK\r\n' +
          '\r\n+XTEST: (0-1)\r\n\r\nOK\r\n',
      );
      assert.deepEqual(
        calls.map((c) => c.form),
        ['exec', 'read', 'write', 'test'],
      );
    });

    it('hands the write form its arguments with quoted strings unquoted', async () => {
      await exchange(modem, 'AT+XTEST=1,"a,b",,0x2F\r');
      assert.deepEqual(calls[0], { form: 'write', args: [1, 'a,b', '', '0x2F'], rawArgs: '1,"a,b",,0x2F' });
    });

    it('takes commands in lower case, with `at` and the name in any case', async () => {
      await exchange(modem, 'at+xtest?\r');
      assert.equal(wire.text, '\r\n+XTEST: read\r\n\r\nOK\r\n');
    });

    it('answers a form with no handler with plain ERROR, whatever +CMEE says', async () => {
      modem.register('+XONLY', { exec: () => undefined });
      await exchange(modem, 'AT+CMEE=2\r');
      wire.clear();
      await exchange(modem, 'AT+XONLY?\rAT+NOSUCH\r');
      assert.equal(wire.text, '\r\nERROR\r\n\r\nERROR\r\n');
    });
  });

  describe('line input', () => {
    it('assembles a command from bytes arriving one at a time, echoing each as it comes', async () => {
      for (const byte of Buffer.from('AT+CGMI\r')) modem.receive(Buffer.of(byte));
      await modem.whenIdle();
      assert.equal(wire.text, 'AT+CGMI\r\r\nSimulated\r\n\r\nOK\r\n');
    });

    it('treats an LF right after the CR as part of the line ending', async () => {
      await exchange(modem, 'AT\r\nAT\r');
      modem.receive('\n');
      await exchange(modem, 'AT\r');
      assert.equal(wire.text, 'AT\r\r\nOK\r\nAT\r\r\nOK\r\nAT\r\r\nOK\r\n');
      assert.deepEqual(
        modem.log.map((e) => e.line),
        ['AT', 'AT', 'AT'],
      );
    });

    it('ignores a line that has no AT in it, and what precedes AT on a line (V.250 §5.2.1)', async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'hello\r\x00\x00AT+CGMM\r');
      assert.equal(wire.text, '\r\nHayes\r\n\r\nOK\r\n');
      assert.deepEqual(
        modem.log.map((e) => e.line),
        ['ATE0', 'AT+CGMM'],
      );
    });

    it('lets backspace delete the previous character', async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'AT+CGMX\bI\r');
      assert.equal(wire.text, '\r\nSimulated\r\n\r\nOK\r\n');
    });

    it('runs several commands of one line and ends them with one OK (V.250 §5.7.1)', async () => {
      await exchange(modem, 'ATE0+CMEE=2;+CGMI;+CGMM\r');
      assert.equal(wire.text, 'ATE0+CMEE=2;+CGMI;+CGMM\r\r\nSimulated\r\n\r\nHayes\r\n\r\nOK\r\n');
      assert.equal(modem.settings.cmee, 2);
    });

    it('stops a line at its first failing command', async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'AT+CGMI;+NOSUCH;+CGMM\r');
      assert.equal(wire.text, '\r\nSimulated\r\n\r\nERROR\r\n');
    });

    it('answers ERROR to a line that is not valid syntax', async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'AT?\r');
      assert.equal(wire.text, '\r\nERROR\r\n');
    });

    it('waits for an async handler before the final result code', async () => {
      modem.register('+XSLOW', {
        exec: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return ['+XSLOW: 1', '+XSLOW: 2'];
        },
      });
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'AT+XSLOW\r');
      assert.equal(wire.text, '\r\n+XSLOW: 1\r\n\r\n+XSLOW: 2\r\n\r\nOK\r\n');
    });

    it('keeps bytes that arrive while a command runs and answers them in turn', async () => {
      let release!: () => void;
      modem.register('+XWAIT', { exec: () => new Promise<void>((resolve) => (release = resolve)) });
      await exchange(modem, 'ATE0\r');
      wire.clear();
      modem.receive('AT+XWAIT\r');
      modem.receive('AT+CGMM\r');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(wire.text, '');
      release();
      await modem.whenIdle();
      assert.equal(wire.text, '\r\nOK\r\n\r\nHayes\r\n\r\nOK\r\n');
    });

    it('lets a handler write raw bytes and choose its final result code', async () => {
      modem.register('+XRAW', {
        exec: (ctx) => {
          ctx.send('+XRAW: 4');
          return { lines: [Buffer.from('a\r\nOK')], final: 'NO CARRIER' };
        },
      });
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'AT+XRAW;+CGMI\r');
      assert.equal(wire.text, '\r\n+XRAW: 4\r\na\r\nOK\r\nNO CARRIER\r\n');
    });
  });

  describe('echo (V.250 §6.2.4)', () => {
    it('is on at power-up: the command comes back byte for byte before the response', async () => {
      await exchange(modem, 'AT+CGMI\r');
      assert.equal(wire.text, 'AT+CGMI\r\r\nSimulated\r\n\r\nOK\r\n');
    });

    it('ATE0 is still echoed itself, then nothing is', async () => {
      await exchange(modem, 'ATE0\r');
      await exchange(modem, 'AT\r');
      assert.equal(wire.text, 'ATE0\r\r\nOK\r\n\r\nOK\r\n');
      assert.equal(modem.settings.echo, false);
    });

    it('ATE1 is not echoed, what follows is', async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
      await exchange(modem, 'ATE1\r');
      await exchange(modem, 'AT\r');
      assert.equal(wire.text, '\r\nOK\r\nAT\r\r\nOK\r\n');
    });

    it('refuses an echo value other than 0 or 1 with plain ERROR', async () => {
      await exchange(modem, 'ATE2\r');
      assert.equal(wire.text, 'ATE2\r\r\nERROR\r\n');
      assert.equal(modem.settings.echo, true);
    });
  });

  describe('generic commands', () => {
    beforeEach(async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    it('answers bare AT with OK', async () => {
      await exchange(modem, 'AT\r');
      assert.equal(wire.text, '\r\nOK\r\n');
    });

    it('identifies itself from the profile', async () => {
      await exchange(modem, 'ATI\rAT+CGMM\rAT+CGMR\rAT+CGSN\rAT+CGSN=1\rAT+CGMI=?\r');
      assert.equal(
        wire.text,
        '\r\nSimulated\r\n\r\nHayes\r\n\r\nRevision: 1.0\r\n\r\nOK\r\n' +
          '\r\nHayes\r\n\r\nOK\r\n' +
          '\r\n1.0\r\n\r\nOK\r\n' +
          `\r\n${modem.profile.imei}\r\n\r\nOK\r\n` +
          `\r\n+CGSN: "${modem.profile.imei}"\r\n\r\nOK\r\n` +
          '\r\nOK\r\n',
      );
    });

    it('takes the identity from a given profile', async () => {
      const other = createGenericModem({ profile: { manufacturer: 'ACME', model: 'X1', revision: '9', imei: '490154203237518' } });
      const otherWire = new Wire(other);
      try {
        await exchange(other, 'ATE0;+CGMI;+CGMM;+CGMR;+CGSN\r');
        assert.equal(otherWire.text, 'ATE0;+CGMI;+CGMM;+CGMR;+CGSN\r\r\nACME\r\n\r\nX1\r\n\r\n9\r\n\r\n490154203237518\r\n\r\nOK\r\n');
      } finally {
        otherWire.detach();
        other.close();
      }
    });

    it('ATZ and AT&F restore echo and +CMEE', async () => {
      await exchange(modem, 'AT+CMEE=2\r');
      await exchange(modem, 'ATZ\r');
      assert.deepEqual(modem.settings, { echo: true, verbose: true, cmee: 0 });
      await exchange(modem, 'ATE0+CMEE=1\r');
      await exchange(modem, 'AT&F\r');
      assert.deepEqual(modem.settings, { echo: true, verbose: true, cmee: 0 });
    });

    it('ATV0 switches to numeric result codes (V.250 §6.2.6)', async () => {
      await exchange(modem, 'ATV0\r');
      await exchange(modem, 'AT+CGMI\rAT+NOSUCH\r');
      assert.equal(wire.text, '0\rSimulated\r\n0\r4\r');
    });

    it('reads and tests +CMEE', async () => {
      await exchange(modem, 'AT+CMEE=1\rAT+CMEE?\rAT+CMEE=?\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\n+CMEE: 1\r\n\r\nOK\r\n\r\n+CMEE: (0-2)\r\n\r\nOK\r\n');
    });
  });

  describe('+CMEE error formats (27.007 §9.1)', () => {
    beforeEach(async () => {
      modem.register('+XFAIL', {
        exec: () => {
          throw new CmeError(50);
        },
        read: () => ({ cme: 3, text: 'operation not allowed' }),
        write: () => {
          throw { cme: 42, text: 'plain object' };
        },
      });
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    it('mode 0 reports plain ERROR', async () => {
      await exchange(modem, 'AT+CMEE=0\rAT+XFAIL\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\nERROR\r\n');
    });

    it('mode 1 reports the number', async () => {
      await exchange(modem, 'AT+CMEE=1\rAT+XFAIL\rAT+XFAIL?\rAT+XFAIL=1\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\n+CME ERROR: 50\r\n\r\n+CME ERROR: 3\r\n\r\n+CME ERROR: 42\r\n');
    });

    it('mode 2 reports the text', async () => {
      await exchange(modem, 'AT+CMEE=2\rAT+XFAIL\rAT+XFAIL?\rAT+XFAIL=1\r');
      assert.equal(
        wire.text,
        '\r\nOK\r\n\r\n+CME ERROR: Incorrect parameters\r\n\r\n+CME ERROR: operation not allowed\r\n\r\n+CME ERROR: plain object\r\n',
      );
    });

    it('refuses a +CMEE mode out of range', async () => {
      await exchange(modem, 'AT+CMEE=1\rAT+CMEE=3\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\n+CME ERROR: 50\r\n');
      assert.equal(modem.settings.cmee, 1);
    });

    it('answers ERROR when a handler throws something else, and reports it as a handler error', async () => {
      const seen: unknown[] = [];
      modem.on('handler-error', (err) => seen.push(err));
      modem.register('+XBUG', {
        exec: () => {
          throw new TypeError('bug');
        },
      });
      await exchange(modem, 'AT+CMEE=2\rAT+XBUG\r');
      assert.equal(wire.text, '\r\nOK\r\n\r\nERROR\r\n');
      assert.equal((seen[0] as Error).message, 'bug');
    });
  });

  describe('prompted input', () => {
    let inputs: PromptInput[];

    beforeEach(async () => {
      inputs = [];
      // A send in the manner of Telit #SSLSEND (until Ctrl-Z) and #SSLSENDEXT (exact count).
      modem.register('+XSEND', {
        exec: async (ctx) => {
          const input = await ctx.prompt();
          inputs.push(input);
          if (input.aborted) return { final: input.aborted === 'escape' ? 'OK' : 'ERROR' };
          return `+XSEND: ${input.data.length}`;
        },
        write: async (ctx) => {
          const input = await ctx.prompt({ marker: '> ', length: Number(ctx.args[0]) });
          inputs.push(input);
          return `+XSEND: ${input.data.length}`;
        },
      });
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    it('prints the prompt, collects until Ctrl-Z, then answers', async () => {
      modem.receive('AT+XSEND\r');
      await wire.until('\r\n> ');
      assert.equal(wire.text, '\r\n> ');
      await exchange(modem, 'hello\x1a');
      assert.equal(wire.text, '\r\n> \r\n+XSEND: 5\r\n\r\nOK\r\n');
      assert.equal(inputs[0].data.toString(), 'hello');
    });

    it('applies backspace to the input and echoes it when ATE1 (text entry)', async () => {
      await exchange(modem, 'ATE1\r');
      wire.clear();
      modem.receive('AT+XSEND\r');
      await wire.until('> ');
      await exchange(modem, 'helx\blo\x1a');
      assert.equal(inputs[0].data.toString(), 'hello');
      assert.equal(wire.text, 'AT+XSEND\r\r\n> helx\blo\r\n+XSEND: 5\r\n\r\nOK\r\n');
    });

    it('aborts on ESC without taking the input', async () => {
      modem.receive('AT+XSEND\r');
      await wire.until('> ');
      await exchange(modem, 'abc\x1b');
      assert.deepEqual(inputs[0], { data: Buffer.from('abc'), aborted: 'escape' });
      assert.equal(wire.text, '\r\n> \r\nOK\r\n');
      await exchange(modem, 'AT\r');
      assert.ok(wire.text.endsWith('\r\nOK\r\n\r\nOK\r\n'));
    });

    it('takes exactly the announced count, Ctrl-Z, ESC and OK included, then listens for commands again', async () => {
      const payload = Buffer.from('a\x1a\x1b\r\nOK\r\nz');
      modem.receive(`AT+XSEND=${payload.length}\r`);
      await wire.until('> ');
      modem.receive(payload.subarray(0, 3));
      modem.receive(payload.subarray(3));
      await modem.whenIdle();
      assert.deepEqual(inputs[0], { data: payload });
      await exchange(modem, 'AT+CGMM\r');
      assert.equal(wire.text, `> \r\n+XSEND: ${payload.length}\r\n\r\nOK\r\n\r\nHayes\r\n\r\nOK\r\n`);
    });

    it('takes input that arrives with the command line, before the prompt is printed', async () => {
      await exchange(modem, 'AT+XSEND=3\r\nxyzAT\r');
      assert.equal(inputs[0].data.toString(), 'xyz');
      assert.equal(wire.text, '> \r\n+XSEND: 3\r\n\r\nOK\r\n\r\nOK\r\n');
    });

    it('gives up after its timeout', async () => {
      modem.register('+XTIMED', {
        exec: async (ctx) => {
          const input = await ctx.prompt({ timeoutMs: 20 });
          inputs.push(input);
          return { final: 'ERROR' };
        },
      });
      modem.receive('AT+XTIMED\r');
      await wire.until('> ');
      modem.receive('ab');
      await wire.until('ERROR');
      assert.deepEqual(inputs[0], { data: Buffer.from('ab'), aborted: 'timeout' });
    });
  });

  describe('URCs', () => {
    beforeEach(async () => {
      await exchange(modem, 'ATE0\r');
      wire.clear();
    });

    it('are printed at once when the modem is idle', () => {
      modem.emitUrc('+XURC: 1');
      modem.emitRaw(Buffer.from('SRING: 1,3,\x00\x01\x02\r\n'));
      assert.equal(wire.text, '\r\n+XURC: 1\r\nSRING: 1,3,\x00\x01\x02\r\n');
    });

    it('are held back while a response is being written, then follow its final result code', async () => {
      let release!: () => void;
      modem.register('+XWAIT', {
        exec: async (ctx) => {
          ctx.send('+XWAIT: 1');
          await new Promise<void>((resolve) => (release = resolve));
          return '+XWAIT: 2';
        },
      });
      modem.receive('AT+XWAIT\r');
      await wire.until('+XWAIT: 1');
      modem.emitUrc('+XURC: 1');
      modem.emitRaw('RAW');
      assert.equal(wire.text, '\r\n+XWAIT: 1\r\n');
      release();
      await modem.whenIdle();
      assert.equal(wire.text, '\r\n+XWAIT: 1\r\n\r\n+XWAIT: 2\r\n\r\nOK\r\n\r\n+XURC: 1\r\nRAW');
    });

    it('are held back while prompted input is in progress', async () => {
      modem.register('+XSEND', { exec: async (ctx) => `+XSEND: ${(await ctx.prompt()).data.length}` });
      modem.receive('AT+XSEND\r');
      await wire.until('> ');
      modem.receive('ab');
      modem.emitUrc('+XURC: 2');
      assert.equal(wire.text, '\r\n> ');
      await exchange(modem, 'c\x1a');
      assert.equal(wire.text, '\r\n> \r\n+XSEND: 3\r\n\r\nOK\r\n\r\n+XURC: 2\r\n');
    });

    it('are held back while a delayed reply is pending', async () => {
      modem.faults.delayReplies(30);
      modem.receive('AT\r');
      modem.emitUrc('+XURC: 3');
      await modem.whenIdle();
      assert.equal(wire.text, '\r\nOK\r\n\r\n+XURC: 3\r\n');
    });
  });

  describe('command log', () => {
    it('records every command line with the time it arrived', async () => {
      const before = Date.now();
      await exchange(modem, 'AT\rAT+CGMI\r');
      assert.deepEqual(
        modem.log.map((e) => e.line),
        ['AT', 'AT+CGMI'],
      );
      assert.ok(modem.log.every((e) => e.at >= before && e.at <= Date.now()));
    });

    it('waitForCommand resolves on the next matching line', async () => {
      const waiting = modem.waitForCommand(/^AT\+CCLK=/, 1000);
      modem.receive('AT\r');
      modem.receive('AT+CCLK="24/01/01,00:00:00+00"\r');
      const entry = await waiting;
      assert.equal(entry.line, 'AT+CCLK="24/01/01,00:00:00+00"');
    });

    it('waitForCommand also looks at lines logged since a given index', async () => {
      const mark = modem.log.length;
      await exchange(modem, 'AT+CGMM\r');
      const entry = await modem.waitForCommand('AT+CGMM', 1000, mark);
      assert.equal(entry.line, 'AT+CGMM');
    });

    it('waitForCommand rejects after its timeout, naming what did arrive', async () => {
      const waiting = modem.waitForCommand(/^AT\+NEVER/, 20);
      modem.receive('AT+CGMI\r');
      await assert.rejects(waiting, /no command matching .*AT\+CGMI/);
    });
  });

  describe('power', () => {
    it('prints the banner from the profile once booted, and after every reboot', async () => {
      const booted = createGenericModem({ profile: { banner: ['RDY', '+CFUN: 1'] }, powerOn: false });
      const bootWire = new Wire(booted);
      try {
        assert.equal(booted.isOn, false);
        await booted.powerOn();
        assert.equal(bootWire.text, '\r\nRDY\r\n\r\n+CFUN: 1\r\n');
        await exchange(booted, 'ATE0+CMEE=2\r');
        bootWire.clear();
        await booted.reboot();
        assert.equal(bootWire.text, '\r\nRDY\r\n\r\n+CFUN: 1\r\n');
        assert.deepEqual(booted.settings, { echo: true, verbose: true, cmee: 0 });
      } finally {
        bootWire.detach();
        booted.close();
      }
    });

    it('ignores input until it has finished booting', async () => {
      const slow = createGenericModem({ profile: { banner: ['RDY'] }, bootMs: 30 });
      const slowWire = new Wire(slow);
      try {
        slow.receive('AT\r');
        await slow.whenIdle();
        assert.equal(slowWire.text, '\r\nRDY\r\n');
        assert.deepEqual(slow.log, []);
      } finally {
        slowWire.detach();
        slow.close();
      }
    });

    it('is silent while off', async () => {
      modem.powerOff();
      modem.receive('AT\r');
      modem.emitUrc('+XURC: 1');
      await modem.whenIdle();
      assert.equal(wire.text, '');
    });
  });
});

describe('simulator: online data state', () => {
  const GUARD_MS = 40;
  let modem: SimulatedModem;
  let wire: Wire;
  let received: string;
  let escapes: number;
  let link: OnlineLink | undefined;
  const quiet = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, GUARD_MS * 2));

  beforeEach(async () => {
    modem = createGenericModem({ escapeGuardMs: GUARD_MS });
    wire = new Wire(modem);
    received = '';
    escapes = 0;
    link = undefined;
    // A dial in the manner of Telit #SSLD in online mode: CONNECT, then the socket's bytes.
    modem.register('+XDIAL', {
      exec: (ctx) => {
        link = ctx.online({
          receive: (data) => (received += data.toString('latin1')),
          escaped: () => escapes++,
        });
      },
    });
    await exchange(modem, 'ATE0\r');
    wire.clear();
  });

  afterEach(() => {
    wire.detach();
    modem.close();
  });

  it('answers CONNECT, passes bytes both ways untouched, then NO CARRIER when the far end hangs up', async () => {
    await exchange(modem, 'AT+XDIAL;+CGMI\r');
    assert.equal(wire.text, '\r\nCONNECT\r\n');
    await exchange(modem, 'GET / HTTP/1.0\r\n\r\nAT\r');
    assert.equal(received, 'GET / HTTP/1.0\r\n\r\nAT\r');
    assert.equal(link!.send(Buffer.from('\x00OK\r\n')), true);
    modem.emitUrc('+XURC: 1');
    link!.hangUp();
    await exchange(modem, 'AT\r');
    assert.equal(wire.text, '\r\nCONNECT\r\n\x00OK\r\n\r\nNO CARRIER\r\n\r\n+XURC: 1\r\n\r\nOK\r\n');
    assert.equal(link!.active, false);
  });

  it('leaves on +++ between two guard times with OK, keeps the connection, and ATO goes back', async () => {
    await exchange(modem, 'AT+XDIAL\r');
    await quiet();
    modem.receive('+++');
    await wire.until('OK');
    assert.equal(wire.text, '\r\nCONNECT\r\n\r\nOK\r\n');
    assert.equal(escapes, 1);
    assert.equal(link!.send('lost'), false);
    await exchange(modem, 'AT+CGMM\r');
    await exchange(modem, 'ATO\r');
    await exchange(modem, 'more');
    assert.equal(received, 'more');
    assert.equal(wire.text, '\r\nCONNECT\r\n\r\nOK\r\n\r\nHayes\r\n\r\nOK\r\n\r\nCONNECT\r\n');
  });

  it('takes +++ as data when it is not alone between guard times', async () => {
    await exchange(modem, 'AT+XDIAL\r');
    modem.receive('a+++'); // no silence before
    await quiet();
    modem.receive('++');
    await quiet(); // only two
    modem.receive('+++');
    modem.receive('b'); // data right after
    await quiet();
    await modem.whenIdle();
    assert.equal(received, 'a+++++' + '+++b');
    assert.equal(escapes, 0);
    assert.equal(wire.text, '\r\nCONNECT\r\n');
  });

  it('reports a hang-up while escaped as an unsolicited NO CARRIER', async () => {
    await exchange(modem, 'AT+XDIAL\r');
    await quiet();
    modem.receive('+++');
    await wire.until('OK');
    link!.hangUp();
    await exchange(modem, 'ATO\r');
    assert.equal(wire.text, '\r\nCONNECT\r\n\r\nOK\r\n\r\nNO CARRIER\r\n\r\nNO CARRIER\r\n');
  });

  it('loses the connection with the power', async () => {
    await exchange(modem, 'AT+XDIAL\r');
    await modem.reboot();
    assert.equal(link!.active, false);
    await exchange(modem, 'AT\r');
    assert.equal(received, '');
  });
});
