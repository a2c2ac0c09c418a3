/**
 * The host's side of a simulated u-blox module for the `ublox-*` tests: send a command line, get
 * back exactly the bytes the module answered; prompted uploads (`>` and `@`); one EC test PKI per
 * run; TLS servers to connect to. Its own tests check the harness against the manual's framing.
 * The terminal mechanics are `HostSide` (test/support/simulator-harness.ts); this file adds the
 * u-blox prompt and steps.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import type { SimulatedModem } from '../../../src/simulator';
import { createUbloxModem, ubloxDevice, type UbloxModemOptions } from '../../../src/simulator/dialects/ublox';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { HostSide } from '../../support/simulator-harness';
import { framed as frame } from '../../support/transcript';
import { delay, echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';

export { delay, echo, frame, type TestServer };


let pki: TestPki | undefined;
/** One EC test PKI for the whole run (quick to make; the module takes RSA and EC keys alike). */
export function testPki(): TestPki {
  pki ??= createTestPki({ keyType: 'ec' });
  return pki;
}

export class Module extends HostSide {
  constructor(modem: SimulatedModem) {
    super(modem, { prompt: '>' });
  }

  /** A module with echo off (`ATE0`) and `+CMEE=1`, fast guard timers, no pre-installed stand-ins unless asked. */
  static async start(options: UbloxModemOptions = {}, cmee: 0 | 1 | 2 = 1): Promise<Module> {
    const module = new Module(createUbloxModem({ timeScale: 0.01, connectTimeoutMs: 5000, preinstalled: [], ...options }));
    await module.echoOff();
    if (cmee !== 0) await module.expect(`AT+CMEE=${cmee}`, 'OK');
    return module;
  }

  get device() {
    return ubloxDevice(this.modem)!;
  }

  /** Stream import (op 0): asserts `>` then the MD5 line and OK; returns the MD5. */
  async importData(type: number, name: string, data: Buffer | string, password?: string): Promise<string> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const text = await this.prompted(`AT+USECMNG=0,${type},"${name}",${bytes.length}${password === undefined ? '' : `,"${password}"`}`, bytes);
    const m = new RegExp(`^>\\r\\n\\+USECMNG: 0,${type},"${name}","([0-9a-f]{32})"\\r\\n\\r\\nOK\\r\\n$`).exec(text);
    assert.ok(m, `import of ${name}: ${JSON.stringify(text)}`);
    return m[1]!;
  }
}

/** A scripted TLS server with this run's test PKI (or the `cert`/`key` given in `options`). */
export function startServer(onConnection: (socket: tls.TLSSocket) => void, options: tls.TlsOptions = {}): Promise<TestServer> {
  return startScriptedServer(testPki().server, onConnection, options);
}

describe('simulator: u-blox test harness', () => {
  let module: Module | undefined;
  afterEach(() => module?.close());

  it('frames answers as the manual prints them, identity from the platform', async () => {
    module = await Module.start();
    await module.expect('AT+CGMI', 'u-blox', 'OK');
    await module.expect('AT+CGMM', 'SARA-R510M8S', 'OK');
    assert.equal(module.device.platform.id, 'SARA-R5');
  });

  it('refuses an unknown platform by name', () => {
    assert.throws(() => createUbloxModem({ platform: 'LISA-U2' }), /unknown u-blox platform "LISA-U2"; available: SARA-R5, generic/);
  });
});
