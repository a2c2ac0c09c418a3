/**
 * End to end over the real `serialport` package: a ModemConnection opens a pseudo-terminal
 * (as it would open /dev/ttyUSB0) whose other side is the simulated modem.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModemConnection, type ModemStatus } from '../../src/modem/connection';
import type { Urc } from '../../src/at/engine';
import { createGenericModem, servePty, type SimulatedModem } from '../../src/simulator';

function waitFor<T>(emitter: NodeJS.EventEmitter, event: string, predicate: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (value: T): void => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

async function ready(connection: ModemConnection): Promise<void> {
  if (connection.isReady) return;
  await waitFor<ModemStatus>(connection, 'status', (s) => s.state === 'ready');
}

describe('end to end over a real serial port (pseudo-terminal)', function () {
  this.timeout(20000);
  let modem: SimulatedModem;
  let pty: Awaited<ReturnType<typeof servePty>>;
  let connection: ModemConnection | null = null;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-e2e-'));
    modem = createGenericModem({ profile: { manufacturer: 'Telit', model: 'LE910C1-EU' } });
    pty = await servePty(modem, { linkPath: path.join(dir, 'ttyMODEM') });
  });

  afterEach(async () => {
    await connection?.close();
    connection = null;
    await pty.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function connect(extra: Partial<ConstructorParameters<typeof ModemConnection>[0]> = {}): ModemConnection {
    connection = new ModemConnection({
      vendor: 'telit',
      platform: '30',
      link: { transport: 'serial', path: path.join(dir, 'ttyMODEM'), baudRate: 115200, backoff: { initialDelayMs: 50, maxDelayMs: 200 } },
      commandTimeoutMs: 2000,
      resync: { attempts: 5, waitMs: 300, quietMs: 20 },
      ...extra,
    });
    connection.start();
    return connection;
  }

  it('brings the modem up (echo off, numeric errors) and runs commands', async () => {
    const c = connect();
    await ready(c);
    assert.deepEqual((await c.command('AT+CGMM')).lines, ['LE910C1-EU']);
    const lines = modem.log.map((e) => e.line);
    assert.ok(lines.includes('ATE0') && lines.includes('AT+CMEE=1'));
    await assert.rejects(c.command('AT+CCLK="99/99/99,99:99:99+00"'), (err: Error & { kind?: string; code?: unknown }) => err.kind === 'CME' && err.code === 50);
  });

  it('delivers a URC carrying binary data that contains OK and NO CARRIER, intact', async () => {
    const c = connect();
    await ready(c);
    const data = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) data[i] = i;
    const withMarkers = Buffer.concat([Buffer.from('\r\nOK\r\n\r\nNO CARRIER\r\n'), data]);
    const got = waitFor<Urc>(c, 'urc', (u) => u.name === 'SSLSRING');
    modem.emitRaw(Buffer.concat([Buffer.from(`\r\nSSLSRING: 1,${withMarkers.length},`), withMarkers, Buffer.from('\r\n')]));
    const urc = await got;
    assert.ok(urc.data?.equals(withMarkers));
    // The engine is still in step: the next command gets its own answer.
    assert.deepEqual((await c.command('AT+CGMI')).lines, ['Telit']);
  });

  it('unplug: the command in flight fails with LINK_DOWN; one sent meanwhile waits, and runs once the modem is brought up again', async () => {
    const c = connect();
    await ready(c);
    modem.faults.mute(true);
    const pending = c.command('AT+CGMI', { timeoutMs: 10000 });
    await modem.waitForCommand(/^AT\+CGMI$/, 2000);
    pty.unplug();
    await assert.rejects(pending, (err: Error & { kind?: string }) => err.kind === 'LINK_DOWN');
    await waitFor<ModemStatus>(c, 'status', (s) => s.state === 'reconnecting');
    const mark = modem.log.length;
    const meanwhile = c.command('AT+CGMM');
    modem.faults.mute(false);
    await pty.replug();
    assert.deepEqual((await meanwhile).lines, ['LE910C1-EU']);
    // Nothing ran before the modem was brought up again: echo off first, then the command.
    const after = modem.log.slice(mark).map((e) => e.line);
    assert.ok(after.indexOf('ATE0') >= 0 && after.indexOf('ATE0') < after.indexOf('AT+CGMM'), after.join(' | '));
  });

  it('a modem that does not come back: a command waits at most the ready timeout, then fails with LINK_DOWN and the reason', async () => {
    const c = connect({ readyTimeoutMs: 400 });
    await ready(c);
    pty.unplug();
    await waitFor<ModemStatus>(c, 'status', (s) => s.state === 'reconnecting');
    const started = Date.now();
    await assert.rejects(c.command('ATI'), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'LINK_DOWN');
      assert.match(err.message, /^modem .*ttyMODEM @ 115200 8N1 was not ready within 400 ms: .+\(reconnecting\)$/);
      return true;
    });
    assert.ok(Date.now() - started >= 380, 'it waited');
  });
});
