/**
 * The host's side of a simulated Fibocom L610 for the `fibocom-*` tests: send a command line, get
 * back exactly the bytes the module answered; uploads after the `> ` prompt; waiting for URCs;
 * one EC test PKI per run; TLS servers to connect to. Its own tests check identity, the boot
 * banner and the clock. The terminal mechanics are `HostSide` (test/support/simulator-harness.ts);
 * this file adds the L610's prompt, timers and steps.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import type { SimulatedModem } from '../../../src/simulator';
import { createFibocomModem, fibocomDevice, type FibocomModemOptions } from '../../../src/simulator/dialects/fibocom';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { HostSide } from '../../support/simulator-harness';
import { framed as frame } from '../../support/transcript';
import { delay, echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';

export { delay, echo, frame, type TestServer };

let pki: TestPki | undefined;
/** One EC test PKI for the whole run (quick to make; ECDSA suites 2, 4, 9, 12 … fit it). */
export function testPki(): TestPki {
  pki ??= createTestPki({ keyType: 'ec' });
  return pki;
}

/** The prompt of +GTSSLFILE and +MIPSEND. */
export const PROMPT = '\r\n> ';

export class Module extends HostSide {
  constructor(modem: SimulatedModem) {
    super(modem, { prompt: PROMPT, untilMs: 5000 });
  }

  /** A module with echo off (`ATE0`), fast guard timers (timeScale 0.01: the 12 s timer is 120 ms) and a quick +MIPCALL. */
  static async start(options: FibocomModemOptions = {}): Promise<Module> {
    const module = new Module(createFibocomModem({ timeScale: 0.01, activationDelayMs: 5, connectTimeoutMs: 5000, handshakeTimeoutMs: 5000, ...options }));
    // At a line rate the banner is still on its way when the first command goes out.
    assert.equal((await module.at('ATE0')).replace(frame('+SIM READY'), ''), 'ATE0\r' + frame('OK'));
    return module;
  }

  get device() {
    return fibocomDevice(this.modem)!;
  }

  /** +GTSSLFILE upload; asserts the prompt and OK. */
  async upload(type: string, data: Buffer | string, quoted = true): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const name = quoted ? `"${type}"` : type;
    assert.equal(await this.prompted(`AT+GTSSLFILE=${name},${bytes.length}`, bytes), PROMPT + frame('OK'), `upload of ${type}`);
  }

  /** AT+MIPCALL=1,"<apn>" → OK, then the URC with the address. */
  async attach(apn = 'CMNET'): Promise<void> {
    assert.equal(await this.at(`AT+MIPCALL=1,"${apn}"`), frame('OK'));
    await this.until(`+MIPCALL: ${this.device.options.ipAddress}`);
  }

  /** AT+MIPOPEN=<id>,,"127.0.0.1",<port>,<protocol> → OK, then the result URC; returns it (1 or 0). */
  async open(id: number, port: number, protocol = 2, host = '127.0.0.1'): Promise<number> {
    assert.equal(await this.at(`AT+MIPOPEN=${id},,"${host}",${port},${protocol}`), frame('OK'));
    const text = await this.until(new RegExp(`\\+MIPOPEN:? ${id},[01]\\r\\n`));
    const result = text.includes(`+MIPOPEN: ${id},1`) ? 1 : 0;
    // Data the server sends at once may follow the result.
    assert.ok(text.startsWith(frame('OK', `+MIPOPEN: ${id},${result}`)), `open answered ${JSON.stringify(text.slice(0, 200))}`);
    return result;
  }

  /** Opens socket `id` and expects it to fail with `code` in +GTSSLERR. */
  async openFails(id: number, port: number, code: number, host = '127.0.0.1'): Promise<void> {
    assert.equal(await this.open(id, port, 2, host), 0, `open should fail with ${code}`);
    await this.expect('AT+GTSSLERR?', `+GTSSLERR: ${code}`, 'OK');
  }
}

/** A scripted TLS server with this run's test PKI (or the `cert`/`key` given in `options`). */
export function startServer(onConnection: (socket: tls.TLSSocket) => void = echo, options: tls.TlsOptions = {}): Promise<TestServer> {
  return startScriptedServer(testPki().server, onConnection, options);
}

/** RFC-style Luhn check of an IMEI. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

describe('simulator: Fibocom test harness and identity', () => {
  let module: Module | undefined;
  afterEach(() => module?.close());

  it('identifies as a Fibocom L610 with a valid IMEI', async () => {
    module = await Module.start();
    await module.expect('AT+CGMI', 'Fibocom', 'OK');
    await module.expect('AT+CGMM', 'L610', 'OK');
    const revision = await module.at('AT+CGMR');
    assert.match(revision, /^\r\n\d+(\.\d+)+\r\n\r\nOK\r\n$/);
    const imei = /^\r\n(\d{15})\r\n\r\nOK\r\n$/.exec(await module.at('AT+CGSN'));
    assert.ok(imei);
    assert.ok(luhn(imei[1]!), `IMEI ${imei[1]} passes the Luhn check`);
    await module.expect('ATI', 'Fibocom', 'L610', `Revision: ${module.modem.profile.revision}`, 'OK');
  });

  it('prints +SIM READY each time it has booted', async () => {
    module = new Module(createFibocomModem({ powerOn: false }));
    await module.modem.powerOn();
    assert.equal(module.wire.text, frame('+SIM READY'));
    module.wire.clear();
    await module.modem.reboot();
    assert.equal(module.wire.text, frame('+SIM READY'));
  });

  it('starts its clock far in the past after every power-up; +CCLK sets it, with or without a zone', async () => {
    module = await Module.start();
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "00\/01\/01,00:00:0\d\+00"\r\n\r\nOK\r\n$/);
    // seeds/004 l. 397: Example 4 sends the time without a zone.
    await module.expect('AT+CCLK="15/01/23,15:30:36"', 'OK');
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "15\/01\/23,15:30:3\d\+00"\r\n\r\nOK\r\n$/);
    await module.expect('AT+CCLK="24/05/06,22:10:00+08"', 'OK');
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "24\/05\/06,22:10:0\d\+08"\r\n\r\nOK\r\n$/);
    // Without a zone, the zone the clock has is kept.
    await module.expect('AT+CCLK="24/05/07,08:00:00"', 'OK');
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "24\/05\/07,08:00:0\d\+08"\r\n\r\nOK\r\n$/);
    await module.expect('AT+CCLK="24/13/07,08:00:00"', 'ERROR');
    await module.expect('AT+CCLK=1', 'ERROR');
    await module.modem.reboot();
    await module.at('ATE0');
    assert.match(await module.at('AT+CCLK?'), /^\r\n\+CCLK: "00\/01\/01,00:00:0\d\+00"\r\n\r\nOK\r\n$/);
  });

  it('refuses an unknown platform by name', () => {
    assert.throws(() => createFibocomModem({ platform: 'L716' }), /unknown Fibocom platform "L716"; available: L610/);
  });
});
