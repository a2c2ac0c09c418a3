/**
 * The host's side of a simulated Telit module for the `telit-*` tests: send a command line, get
 * back exactly the bytes the module answered; replay a transcript of the SSL/TLS User Guide;
 * upload through a prompt; and real TLS servers with one test PKI made once per run.
 * Its own tests check the harness against the guide's framing. The terminal mechanics are
 * `HostSide` (test/support/simulator-harness.ts); this file adds the Telit prompt and steps.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import { createTelitModem, telitDevice, type TelitModemOptions } from '../../../src/simulator/dialects/telit';
import type { SimulatedModem } from '../../../src/simulator';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { HostSide } from '../../support/simulator-harness';
import { framed as frame } from '../../support/transcript';
import { delay, echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';

export { delay, echo, frame, type TestServer };

/** Guard time around `+++` for tests (Hayes S12 shortened). */
export const GUARD_MS = 30;

export const CTRL_Z = '\x1a';
export const ESC = '\x1b';


let pki: TestPki | undefined;
/** One RSA test PKI for the whole run (Telit modules take RSA keys, §6.5). */
export function testPki(): TestPki {
  pki ??= createTestPki();
  return pki;
}

/** One port of a simulated module, as a terminal emulator sees it. */
export class Port extends HostSide {
  constructor(modem: SimulatedModem) {
    super(modem, { prompt: '> ' });
  }

  /** PEM upload the way §6.5 asks for it: LF line ends, Ctrl-Z; asserts `> ` then OK. */
  async uploadPem(ssid: number, type: 0 | 1 | 2, pem: string, action = 1): Promise<void> {
    const text = await this.prompted(`AT#SSLSECDATA=${ssid},${action},${type},${pem.length}`, pem + CTRL_Z);
    assert.equal(text, '\r\n> ' + frame('OK'));
  }

  /** DER upload (§6.5): exactly `<size>` bytes, then OK. */
  async uploadDer(ssid: number, type: 0 | 1 | 2, der: Buffer): Promise<void> {
    const text = await this.prompted(`AT#SSLSECDATA=${ssid},1,${type},${der.length}`, der);
    assert.equal(text, '\r\n> ' + frame('OK'));
  }
}

/** A module with its first port, echo off (`ATE0`), quick timers; `close()` releases everything. */
export class Module extends Port {
  static async start(options: TelitModemOptions): Promise<Module> {
    const module = new Module(createTelitModem({ escapeGuardMs: GUARD_MS, timeScale: 0.05, ...options }));
    await module.echoOff();
    return module;
  }

  /** Defines and activates context 1 (§5) and enables SSId 1 (§6.1). */
  async ready(ssid = 1): Promise<void> {
    await this.expect('AT+CGDCONT=1,"IP","internet"', 'OK');
    await this.expect('AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK');
    await this.expect(`AT#SSLEN=${ssid},1`, 'OK');
  }
}

/** A scripted TLS server with this run's test PKI (or the `cert`/`key` given in `options`). */
export function startServer(onConnection: (socket: tls.TLSSocket) => void, options: tls.TlsOptions = {}): Promise<TestServer> {
  return startScriptedServer(testPki().server, onConnection, options);
}

describe('simulator: Telit test harness', () => {
  let module: Module;

  afterEach(() => module?.close());

  it('frames answers as the guide prints them, and the module shares one state across its ports', async () => {
    module = await Module.start({ platform: '12' });
    assert.equal(frame('HE910', 'OK'), '\r\nHE910\r\n\r\nOK\r\n');
    await module.expect('AT+CGMM', 'HE910', 'OK');
    assert.equal(telitDevice(module.modem)?.platform.id, '12');
  });

  it('ignores blanks outside strings, as V.250 §5.2.1 and the guide\'s own lines need (`AT#MQEN =1,0`)', async () => {
    module = await Module.start({ platform: '30' });
    await module.expect('AT+CGDCONT=1,"IP", "Access_Point_Name"', 'OK');
    await module.expect('AT+CGDCONT?', '+CGDCONT: 1,"IP","Access_Point_Name","0.0.0.0",0,0', 'OK');
    await module.expect('AT#MQEN =1,1', 'OK');
    await module.expect('AT+CGDCONT=2,"IP","with space"', 'OK');
    await module.expect('AT+CGDCONT?', '+CGDCONT: 1,"IP","Access_Point_Name","0.0.0.0",0,0', '+CGDCONT: 2,"IP","with space","0.0.0.0",0,0', 'OK');
  });
});
