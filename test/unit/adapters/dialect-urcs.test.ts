/**
 * Each vendor dialect on the engine: the 3GPP unsolicited result codes and the vendor's own are
 * URCs even in the middle of another command's answer, and the answer keeps only its own lines.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, buildCommand, readCommand, type Urc } from '../../../src/at';
import { dialectOf, type VendorId } from '../../../src/adapters';
import { FakeLink } from '../../support/fake-link';

const frame = (...lines: string[]): string => lines.map((l) => `\r\n${l}\r\n`).join('');

/** The dialects that speak 3GPP TS 27.007 (XBee3 and eS-WiFi have no such codes in command mode). */
const CELLULAR: VendorId[] = ['telit', 'ublox', 'fibocom'];

function rig(vendor: VendorId, script: Record<string, string>): { engine: AtEngine; urcs: Urc[] } {
  const link = new FakeLink();
  const engine = new AtEngine({ link, dialect: dialectOf(vendor), defaultTimeoutMs: 1000, resync: { attempts: 2, waitMs: 50, quietMs: 5 } });
  link.respond((command) => (command === 'AT' ? frame('OK') : script[command]));
  const urcs: Urc[] = [];
  engine.on('urc', (urc: Urc) => urcs.push(urc));
  engines.push(engine);
  return { engine, urcs };
}

const engines: AtEngine[] = [];
afterEach(() => {
  for (const engine of engines.splice(0)) engine.close('test over');
});

describe('vendor dialects: URCs in the middle of an answer', () => {
  for (const vendor of CELLULAR) {
    it(`${vendor}: +CREG, +CEREG, +CGEV, +CMTI and NO CARRIER inside the answer to AT+CSQ are URCs; the answer is +CSQ alone`, async () => {
      const urcLines = ['+CREG: 5', '+CEREG: 1,"00C3","0010A2B3",7', '+CGEV: NW DEACT "IP","10.1.2.3",1', '+CMTI: "SM",3', 'NO CARRIER'];
      const { engine, urcs } = rig(vendor, { 'AT+CSQ': frame(urcLines[0], '+CSQ: 17,99', ...urcLines.slice(1), 'OK') });
      const answer = await engine.send({ line: buildCommand('+CSQ') });
      assert.deepEqual(answer.lines, ['+CSQ: 17,99']);
      assert.deepEqual(urcs.map((u) => [u.name, u.raw, u.known]), [
        ['+CREG', '+CREG: 5', true],
        ['+CEREG', '+CEREG: 1,"00C3","0010A2B3",7', true],
        ['+CGEV', '+CGEV: NW DEACT "IP","10.1.2.3",1', true],
        ['+CMTI', '+CMTI: "SM",3', true],
        ['NO CARRIER', 'NO CARRIER', true],
      ]);
    });

    it(`${vendor}: AT+CREG? keeps its own +CREG: line`, async () => {
      const { engine, urcs } = rig(vendor, { 'AT+CREG?': frame('+CREG: 0,1', 'OK') });
      assert.deepEqual((await engine.send({ line: readCommand('+CREG') })).lines, ['+CREG: 0,1']);
      assert.deepEqual(urcs, []);
    });
  }

  it('u-blox: any +UU code is a URC under its own name, also one this package does not parse (+UUPSDD)', async () => {
    const { engine, urcs } = rig('ublox', { 'AT+CGMR': frame('+UUPSDD: 0', '02.06', '+UUSORF: 1,12', 'OK') });
    assert.deepEqual((await engine.send({ line: buildCommand('+CGMR') })).lines, ['02.06']);
    assert.deepEqual(urcs.map((u) => u.name), ['+UUPSDD', '+UUSORF']);
  });

  it('Telit: a verbose NO CARRIER (<noCarrierMode> 2) and #HTTPRING inside an answer are URCs', async () => {
    const { engine, urcs } = rig('telit', { 'AT#SSLEN?': frame('#SSLEN: 1,1', 'NO CARRIER: 1,3', '#HTTPRING: 0,200,"text/html",512', 'OK') });
    assert.deepEqual((await engine.send({ line: readCommand('#SSLEN') })).lines, ['#SSLEN: 1,1']);
    assert.deepEqual(urcs.map((u) => u.raw), ['NO CARRIER: 1,3', '#HTTPRING: 0,200,"text/html",512']);
  });

  it('a dial command still ends with NO CARRIER (a failure), rather than publishing it', async () => {
    const { engine, urcs } = rig('telit', { 'AT#SSLD=1,443,"example.com",0,0': frame('NO CARRIER') });
    const line = { text: 'AT#SSLD=1,443,"example.com",0,0', display: 'AT#SSLD=1,443,"example.com",0,0' };
    await assert.rejects(engine.send({ line, dial: true }), /NO CARRIER/);
    assert.deepEqual(urcs, []);
  });
});
