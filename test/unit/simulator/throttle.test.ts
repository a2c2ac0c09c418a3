import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { createEswifiModem, createGenericModem, createXbee3Modem, LinePacer, type SimulatedModem } from '../../../src/simulator';
import { Wire } from './wire';

describe('simulator: line-rate throttle', () => {
  let modem: SimulatedModem | undefined;
  let wire: Wire | undefined;
  let pacer: LinePacer | undefined;

  afterEach(() => {
    wire?.detach();
    modem?.close();
    pacer?.clear();
    modem = wire = pacer = undefined;
  });

  it('paces output at 10 bits per byte: 960 bytes at 19200 baud take at least half a second', async () => {
    modem = createGenericModem({ baudRate: 19200 });
    wire = new Wire(modem);
    const payload = Buffer.alloc(960, 0x55);
    const started = performance.now();
    modem.faults.garbage(payload);
    assert.equal(wire.bytes.length, 0, 'nothing leaves before its bits have');
    await modem.whenIdle();
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 499, `960 bytes arrived after ${elapsed.toFixed(1)} ms`);
    assert.deepEqual(wire.bytes, payload);
    assert.ok(wire.count > 10 && wire.count < 960, `${wire.count} deliveries: paced in batches, not all at once or byte by byte`);
  });

  it('paces the echo and responses too, in order', async () => {
    modem = createGenericModem({ baudRate: 9600 });
    wire = new Wire(modem);
    const started = performance.now();
    modem.receive('AT+CGMI\r');
    await modem.whenIdle();
    const expected = 'AT+CGMI\r\r\nSimulated\r\n\r\nOK\r\n';
    assert.equal(wire.text, expected);
    // 34 bytes at 960 bytes/s.
    assert.ok(performance.now() - started >= (expected.length / 960) * 1000 - 1);
  });

  it('paces what the host sends too: a 96-byte command line reaches a 9600-baud module after 100 ms', async () => {
    modem = createGenericModem({ baudRate: 9600 });
    wire = new Wire(modem);
    modem.receive('ATE0\r');
    await modem.whenIdle();
    const line = `AT+CGDCONT=1,"IP","${'a'.repeat(75)}"`;
    assert.equal(line.length + 1, 96);
    const mark = modem.log.length;
    const started = performance.now();
    modem.receive(`${line}\r`);
    assert.equal(modem.log.length, mark, 'the module has not read the line the moment it was written');
    const entry = await modem.waitForCommand(line, 2000, mark);
    const elapsed = performance.now() - started;
    assert.equal(entry.line, line);
    assert.ok(elapsed >= 99, `the line arrived after ${elapsed.toFixed(1)} ms`);
    await modem.whenIdle();
    assert.match(wire.text, /\r\n(OK|ERROR)\r\n$/, 'answered once read');
  });

  it('paces host bytes in order for the modems that frame their own output (eS-WiFi, XBee3)', async () => {
    for (const make of [() => createEswifiModem({ baudRate: 9600 }), () => createXbee3Modem({ baudRate: 9600 })]) {
      modem = make();
      await modem.whenIdle();
      const mark = modem.log.length;
      const seen: Buffer[] = [];
      modem.on('data', (d: Buffer) => seen.push(d));
      const started = performance.now();
      // 48 bytes of a line the module does not know: read no sooner than 50 ms, answered in order.
      modem.receive(`${'Z'.repeat(47)}\r`);
      assert.equal(modem.log.length, mark);
      await modem.whenIdle();
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 49, `${modem.constructor.name}: the line was read after ${elapsed.toFixed(1)} ms`);
      modem.close();
      modem = undefined;
    }
  });

  it('without a baud rate, output is synchronous', () => {
    modem = createGenericModem();
    wire = new Wire(modem);
    modem.faults.garbage('x'.repeat(10_000));
    assert.equal(wire.bytes.length, 10_000);
  });

  it('drops what is queued on clear, and refuses a rate that is not positive', () => {
    const out: Buffer[] = [];
    pacer = new LinePacer(300, (data) => out.push(data));
    pacer.write(Buffer.from('hello'));
    assert.equal(pacer.pending, 5);
    pacer.clear();
    assert.equal(pacer.pending, 0);
    assert.throws(() => new LinePacer(0, () => undefined), /baudRate/);
  });
});
