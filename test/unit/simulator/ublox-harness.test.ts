/**
 * The host's side of a simulated u-blox module for the `ublox-*` tests: send a command line, get
 * back exactly the bytes the module answered; prompted uploads (`>` and `@`); one EC test PKI per
 * run; TLS servers to connect to. Its own tests check the harness against the manual's framing.
 */
import { strict as assert } from 'node:assert';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { SimulatedModem } from '../../../src/simulator';
import { createUbloxModem, ubloxDevice, type UbloxModemOptions } from '../../../src/simulator/dialects/ublox';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { exchange, Wire } from './wire';

/** `\r\n<line>\r\n` for each line: V.250 §5.7 verbose framing, as the manual prints responses. */
export function frame(...lines: string[]): string {
  return lines.map((line) => `\r\n${line}\r\n`).join('');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let pki: TestPki | undefined;
/** One EC test PKI for the whole run (quick to make; the module takes RSA and EC keys alike). */
export function testPki(): TestPki {
  pki ??= createTestPki({ keyType: 'ec' });
  return pki;
}

export class Module {
  readonly wire: Wire;

  constructor(readonly modem: SimulatedModem) {
    this.wire = new Wire(modem);
  }

  /** A module with echo off (`ATE0`) and `+CMEE=1`, fast guard timers, no pre-installed stand-ins unless asked. */
  static async start(options: UbloxModemOptions = {}, cmee: 0 | 1 | 2 = 1): Promise<Module> {
    const module = new Module(createUbloxModem({ timeScale: 0.01, connectTimeoutMs: 5000, preinstalled: [], ...options }));
    assert.equal(await module.at('ATE0'), 'ATE0\r' + frame('OK'));
    if (cmee !== 0) await module.expect(`AT+CMEE=${cmee}`, 'OK');
    return module;
  }

  get device() {
    return ubloxDevice(this.modem)!;
  }

  async at(line: string): Promise<string> {
    this.wire.clear();
    await exchange(this.modem, `${line}\r`);
    return this.wire.text;
  }

  async expect(line: string, ...answer: string[]): Promise<void> {
    assert.equal(await this.at(line), frame(...answer), `answer to ${line}`);
  }

  async transcript(steps: ReadonlyArray<readonly [string, ...string[]]>): Promise<void> {
    for (const [line, ...answer] of steps) await this.expect(line, ...answer);
  }

  /** Sends `line`, waits for the prompt `marker`, sends `payload`; resolves with everything after the line. */
  async prompted(line: string, payload: Buffer | string, marker = '>'): Promise<string> {
    this.wire.clear();
    this.modem.receive(`${line}\r`);
    await this.wire.until(marker);
    this.modem.receive(payload);
    await this.modem.whenIdle();
    return this.wire.text;
  }

  /** Stream import (op 0): asserts `>` then the MD5 line and OK; returns the MD5. */
  async importData(type: number, name: string, data: Buffer | string, password?: string): Promise<string> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const text = await this.prompted(`AT+USECMNG=0,${type},"${name}",${bytes.length}${password === undefined ? '' : `,"${password}"`}`, bytes);
    const m = new RegExp(`^>\\r\\n\\+USECMNG: 0,${type},"${name}","([0-9a-f]{32})"\\r\\n\\r\\nOK\\r\\n$`).exec(text);
    assert.ok(m, `import of ${name}: ${JSON.stringify(text)}`);
    return m[1]!;
  }

  async until(expected: string | RegExp, timeoutMs = 3000): Promise<string> {
    await this.wire.until(expected, timeoutMs);
    await this.modem.whenIdle();
    return this.wire.text;
  }

  close(): void {
    this.wire.detach();
    this.modem.close();
  }
}

export interface TestServer {
  readonly port: number;
  readonly sockets: Set<tls.TLSSocket>;
  readonly stats: { connections: number; resumed: number; servername?: string; alpn?: string };
  close(): Promise<void>;
}

/** A TLS server (the PKI's server certificate unless `cert`/`key` are given) whose connections `onConnection` scripts. */
export async function startServer(onConnection: (socket: tls.TLSSocket) => void, options: tls.TlsOptions = {}): Promise<TestServer> {
  const keys = testPki();
  const sockets = new Set<tls.TLSSocket>();
  const raw = new Set<net.Socket>();
  const stats: TestServer['stats'] = { connections: 0, resumed: 0 };
  const server = tls.createServer({ cert: keys.server.cert, key: keys.server.key, ...options }, (socket) => {
    sockets.add(socket);
    stats.connections++;
    if (socket.isSessionReused()) stats.resumed++;
    const name = (socket as tls.TLSSocket & { servername?: string | false }).servername;
    stats.servername = typeof name === 'string' ? name : undefined;
    stats.alpn = socket.alpnProtocol || undefined;
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  server.on('connection', (socket: net.Socket) => {
    raw.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => raw.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of raw) socket.destroy();
      }),
  };
}

export function echo(socket: tls.TLSSocket): void {
  socket.on('data', (data: Buffer) => socket.write(data));
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
