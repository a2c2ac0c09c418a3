import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import * as sinon from 'sinon';
import { createGenericModem, type PromptInput, type SimulatedModem } from '../../../src/simulator';
import { exchange, Wire } from './wire';

describe('simulator: faults on demand', () => {
  let modem: SimulatedModem;
  let wire: Wire;

  beforeEach(async () => {
    modem = createGenericModem({ profile: { banner: ['RDY'] } });
    wire = new Wire(modem);
    await exchange(modem, 'ATE0\r');
    wire.clear();
  });

  afterEach(() => {
    wire.detach();
    modem.close();
  });

  it('delayReplies holds each response back for the given time, echo excepted', async () => {
    await exchange(modem, 'ATE1\r');
    wire.clear();
    modem.faults.delayReplies(60);
    const started = performance.now();
    modem.receive('AT\r');
    assert.equal(wire.text, 'AT\r');
    await wire.until('OK');
    // A lower bound only, with slack: Node's timers count from the event loop's cached time.
    assert.ok(performance.now() - started >= 50, 'the reply came early');
    modem.faults.delayReplies(0);
    wire.clear();
    await exchange(modem, 'AT\r');
    assert.equal(wire.text, 'AT\r\r\nOK\r\n');
  });

  it('dropNextReplies swallows whole responses but still runs the commands', async () => {
    modem.faults.dropNextReplies(2);
    await exchange(modem, 'AT+CMEE=2\rAT+CGMI\rAT+CGMM\r');
    assert.equal(wire.text, '\r\nHayes\r\n\r\nOK\r\n');
    assert.equal(modem.settings.cmee, 2);
  });

  it('garbage puts bytes on the wire at once', () => {
    modem.faults.garbage(Buffer.from([0xff, 0x00, 0x7e]));
    modem.faults.garbage('~~');
    assert.deepEqual(wire.bytes, Buffer.from([0xff, 0x00, 0x7e, 0x7e, 0x7e]));
  });

  it('mute stops every answer, echo and URC, but the lines are still logged', async () => {
    await exchange(modem, 'ATE1\r');
    wire.clear();
    modem.faults.mute(true);
    await exchange(modem, 'AT\rATE0\r');
    modem.emitUrc('+XURC: 1');
    assert.equal(wire.text, '');
    assert.deepEqual(modem.log.slice(-2).map((e) => e.line), ['AT', 'ATE0']);
    assert.equal(modem.settings.echo, true, 'a muted modem executes nothing');
    modem.faults.mute(false);
    await exchange(modem, 'AT\r');
    assert.equal(wire.text, 'AT\r\r\nOK\r\n');
  });

  it('reboot loses volatile settings, prints the banner and cures a mute', async () => {
    await exchange(modem, 'AT+CMEE=2\r');
    modem.faults.mute(true);
    wire.clear();
    await modem.reboot();
    assert.equal(wire.text, '\r\nRDY\r\n');
    assert.deepEqual(modem.settings, { echo: true, verbose: true, cmee: 0 });
    await exchange(modem, 'AT\r');
    assert.equal(wire.text, '\r\nRDY\r\nAT\r\r\nOK\r\n');
  });

  it('reboot in the middle of prompted input aborts it, and the old command never answers', async () => {
    const inputs: PromptInput[] = [];
    modem.register('+XSEND', {
      exec: async (ctx) => {
        const input = await ctx.prompt();
        inputs.push(input);
        return `+XSEND: ${input.data.length}`;
      },
    });
    modem.receive('AT+XSEND\r');
    await wire.until('> ');
    modem.receive('abc');
    await modem.reboot();
    await exchange(modem, 'AT\r');
    assert.deepEqual(inputs, [{ data: Buffer.from('abc'), aborted: 'power-off' }]);
    assert.equal(wire.text, '\r\n> \r\nRDY\r\nAT\r\r\nOK\r\n');
  });

  it('reboot while a reply is delayed drops that reply', async () => {
    // Fake time: the delayed reply is due at 30 ms; running the clock well past it shows it never comes.
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      modem.faults.delayReplies(30);
      modem.receive('AT+CGMI\r');
      await modem.reboot();
      modem.faults.delayReplies(0);
      await clock.tickAsync(1000);
      assert.equal(wire.text, '\r\nRDY\r\n');
    } finally {
      clock.restore();
    }
  });

  it('clear removes every fault', async () => {
    modem.faults.delayReplies(1000);
    modem.faults.dropNextReplies(5);
    modem.faults.mute(true);
    modem.faults.clear();
    await exchange(modem, 'AT\r');
    assert.equal(wire.text, '\r\nOK\r\n');
  });
});
