/**
 * openPseudoTerminal(): a real pty pair, raw from the start, that survives the serial side closing
 * and reopening, and disappears on close().
 */
import { strict as assert } from 'node:assert';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import { SerialPort } from 'serialport';
import { openPseudoTerminal, type PseudoTerminal } from '../../../src/simulator/pty';

function collect(emitter: EventEmitter, length: number, timeoutMs = 2000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      total += chunk.length;
      if (total < length) return;
      clearTimeout(timer);
      emitter.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(() => {
      emitter.off('data', onData);
      reject(new Error(`only ${total} of ${length} bytes within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on('data', onData);
  });
}

function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  port.on('error', () => undefined);
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve(port))));
}

function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
}

const ttyHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TTYWrap').length;

/** Where this process's open fds point. The device path itself is no proof of release: the kernel
 *  hands a freed /dev/pts/N to the next pty anyone on the machine opens. */
function openFdTargets(): string[] {
  return fs.readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [fs.readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the fd readdir itself used, already gone
    }
  });
}

describe('simulator/openPseudoTerminal', () => {
  const ptys: PseudoTerminal[] = [];
  const ports: SerialPort[] = [];

  afterEach(async () => {
    await Promise.all(ports.splice(0).map(closePort));
    await Promise.all(ptys.splice(0).map((pty) => pty.close()));
  });

  const open = (): PseudoTerminal => {
    const pty = openPseudoTerminal();
    ptys.push(pty);
    return pty;
  };

  it('gives a character device path, a different one each time', () => {
    const a = open();
    const b = open();
    assert.match(a.path, /^\/dev\//);
    assert.ok(fs.statSync(a.path).isCharacterDevice());
    assert.notEqual(a.path, b.path);
  });

  it('echoes nothing back (raw from the start)', async () => {
    const pty = open();
    const port = await openPort(pty.path);
    ports.push(port);
    const atPort = collect(port, 4);
    const atPty = collect(pty, 6);
    await pty.write('AT\r\n');
    assert.equal((await atPort).toString('latin1'), 'AT\r\n');
    // Sent after the line reached the port: an echo of the line would come back before it.
    port.write('marker');
    assert.equal((await atPty).toString('latin1'), 'marker');
  });

  it('passes every byte value between the master and a serial port on the slave', async () => {
    const pty = open();
    const port = await openPort(pty.path);
    ports.push(port);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

    const atPort = collect(port, 256);
    await pty.write(all);
    assert.deepEqual(await atPort, all);

    const atPty = collect(pty, 256);
    port.write(all);
    assert.deepEqual(await atPty, all);
  });

  it('survives the serial side closing and reopening (no EIO, no crash)', async () => {
    const pty = open();
    const errors: Error[] = [];
    pty.on('error', (err: Error) => errors.push(err));
    await closePort(await openPort(pty.path));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const port = await openPort(pty.path);
    ports.push(port);
    const atPty = collect(pty, 3);
    port.write('OK\r');
    assert.equal((await atPty).toString(), 'OK\r');
    assert.deepEqual(errors, []);
  });

  it('close() releases both ends, is idempotent and refuses writes', async () => {
    const before = ttyHandles();
    const masters = openFdTargets().filter((target) => target === '/dev/ptmx').length;
    const pty = openPseudoTerminal();
    assert.equal(ttyHandles(), before + 1);
    assert.ok(openFdTargets().includes(pty.path), 'the slave end is held open');
    await Promise.all([pty.close(), pty.close()]);
    await pty.close();
    assert.equal(ttyHandles(), before);
    assert.ok(!openFdTargets().includes(pty.path), 'the slave end is closed');
    assert.equal(openFdTargets().filter((target) => target === '/dev/ptmx').length, masters, 'the master end is closed');
    await assert.rejects(pty.write('AT\r'), { message: `pseudo-terminal ${pty.path} is closed` });
  });
});
