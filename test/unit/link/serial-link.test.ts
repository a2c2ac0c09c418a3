/**
 * SerialLink over the real `serialport` package, on a real pseudo-terminal: the pty's master plays
 * the modem, the link opens the slave path exactly as it would open /dev/ttyUSB0.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SerialLink, createLink, describeEndpoint, validateLinkOptions, type LinkStatus, type SerialLinkOptions } from '../../../src/link';
import { explainSerialError } from '../../../src/link/serial-link';
import { openPseudoTerminal, type PseudoTerminal } from '../../../src/simulator/pty';

const FAST = { initialDelayMs: 20, factor: 2, maxDelayMs: 80 };
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function nextEvent<T>(emitter: EventEmitter, event: string, accept: (value: T) => boolean = () => true, timeoutMs = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T): void => {
      if (!accept(value)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no matching '${event}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

function collect(emitter: EventEmitter, length: number, timeoutMs = 3000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  return nextEvent<Buffer>(
    emitter,
    'data',
    (chunk) => {
      chunks.push(chunk);
      total += chunk.length;
      return total >= length;
    },
    timeoutMs,
  ).then(() => Buffer.concat(chunks));
}

/** Deterministic bytes that are not a repeating pattern, so a lost or reordered chunk shows. */
function noise(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let x = 0x12345678;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * A by-id style symlink to the pty, removed on unplug as udev removes /dev/serial/by-id links. Retries
 * then fail with "not found" for sure: the kernel hands a freed /dev/pts/N to the next pty anyone on
 * the machine opens, so a link retrying the raw path could grab another test's terminal.
 */
function byIdLink(target: string): string {
  const link = path.join(os.tmpdir(), `usb-modem-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.symlinkSync(target, link);
  return link;
}

describe('link/SerialLink', () => {
  let pty: PseudoTerminal;
  let links: SerialLink[];
  let symlinks: string[];

  const makeLink = (extra: Partial<SerialLinkOptions> = {}): SerialLink => {
    const link = new SerialLink({ transport: 'serial', path: pty.path, baudRate: 115200, backoff: FAST, ...extra });
    links.push(link);
    return link;
  };

  /** Pulls the plug: the device goes away and so does its by-id name. */
  const unplug = async (byId: string): Promise<void> => {
    fs.rmSync(byId, { force: true });
    await pty.close();
  };

  beforeEach(() => {
    pty = openPseudoTerminal();
    links = [];
    symlinks = [];
  });

  afterEach(async () => {
    await Promise.all(links.map((link) => link.close()));
    await pty.close();
    for (const file of symlinks) fs.rmSync(file, { force: true });
  });

  it('opens the pseudo-terminal and names the endpoint', async () => {
    const link = makeLink();
    await link.open();
    assert.equal(link.isOpen, true);
    assert.deepEqual(link.status, { state: 'open', endpoint: `${pty.path} @ 115200 8N1` });
  });

  it('carries all 256 byte values in both directions', async () => {
    const link = makeLink();
    await link.open();

    const atModem = collect(pty, 256);
    await link.write(ALL_BYTES);
    assert.deepEqual(await atModem, ALL_BYTES);

    const atLink = collect(link, 256);
    await pty.write(ALL_BYTES);
    assert.deepEqual(await atLink, ALL_BYTES);
  });

  it('delivers 64 KiB written at once, intact, in both directions', async () => {
    const link = makeLink();
    await link.open();
    const big = noise(64 * 1024);

    const atModem = collect(pty, big.length);
    await link.write(big);
    assert.ok((await atModem).equals(big), 'link → modem differs');

    const atLink = collect(link, big.length);
    await pty.write(big);
    assert.ok((await atLink).equals(big), 'modem → link differs');
  });

  it('rejects a port that does not exist in plain words and keeps retrying', async () => {
    const link = makeLink({ path: '/dev/ttyDOES-NOT-EXIST' });
    await assert.rejects(link.open(), { message: 'serial port /dev/ttyDOES-NOT-EXIST not found' });
    const retry = await nextEvent<LinkStatus>(link, 'status', (s) => s.attempt === 2);
    assert.equal(retry.reason, 'serial port /dev/ttyDOES-NOT-EXIST not found');
    assert.equal(retry.retryInMs, 40);
  });

  it('says so when another program holds the port', async () => {
    await makeLink().open();
    await assert.rejects(makeLink().open(), { message: `serial port ${pty.path} is in use by another program` });
  });

  it('says so when the path is not a serial port', async () => {
    const file = path.join(os.tmpdir(), `not-a-tty-${process.pid}`);
    fs.writeFileSync(file, '');
    try {
      await assert.rejects(makeLink({ path: file }).open(), { message: `${file} is not a serial port` });
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('goes down on unplug, retries with "not found", and closes cleanly', async () => {
    const byId = byIdLink(pty.path);
    symlinks.push(byId);
    const link = makeLink({ path: byId });
    await link.open();
    // Some traffic first, as in real use: the port's next read is under way when the plug is pulled.
    const atLink = collect(link, 3);
    await pty.write('OK\r');
    await atLink;
    const ttys = process.getActiveResourcesInfo().filter((r) => r === 'TTYWrap').length;

    const down = nextEvent<string>(link, 'down');
    const notFound = nextEvent<LinkStatus>(link, 'status', (s) => s.reason === `serial port ${byId} not found`);
    await unplug(byId);
    assert.equal(await down, `serial port ${byId} was disconnected`);
    const status = await notFound;
    assert.equal(status.state, 'reconnecting');
    await assert.rejects(link.write(Buffer.from('AT\r')), {
      message: `link is not open (reconnecting: serial port ${byId} not found)`,
    });

    await link.close();
    assert.deepEqual(link.status, { state: 'closed', endpoint: `${byId} @ 115200 8N1` });
    assert.equal(process.getActiveResourcesInfo().filter((r) => r === 'TTYWrap').length, ttys - 1);
  });

  it('goes down on an unplug that catches a read in flight (no endless zero-byte reads)', async () => {
    const byId = byIdLink(pty.path);
    symlinks.push(byId);
    const link = makeLink({ path: byId });
    const down = nextEvent<string>(link, 'down');
    await link.open();
    await unplug(byId); // before the first read has even been parked on the poller
    assert.equal(await down, `serial port ${byId} was disconnected`);
  });

  it('leaves nothing that keeps the process alive after close(), even with a retry pending', async () => {
    // A child process that must exit by itself: a leaked 10 s retry timer, poller or tty handle would
    // make it miss the 5 s deadline.
    const byId = byIdLink(pty.path);
    symlinks.push(byId);
    await pty.close(); // the child makes its own; this one only reserved a unique symlink name
    const script = `
      const fs = require('node:fs');
      const { SerialLink } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/link/index.js'))});
      const { openPseudoTerminal } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/simulator/pty.js'))});
      (async () => {
        const byId = ${JSON.stringify(byId)};
        const pty = openPseudoTerminal();
        fs.rmSync(byId, { force: true });
        fs.symlinkSync(pty.path, byId);
        const link = new SerialLink({ transport: 'serial', path: byId, baudRate: 115200,
          backoff: { initialDelayMs: 10000 } });
        const down = new Promise((resolve) => link.once('down', resolve));
        await link.open();
        fs.rmSync(byId);
        await pty.close();
        await down;
        await link.close();
        console.log(link.status.state);
      })().catch((err) => { console.error(err); process.exitCode = 1; });`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['-e', script], { timeout: 5000 }, (err, out, stderr) =>
        err ? reject(new Error(`child did not exit cleanly (${err.message}): ${stderr}`)) : resolve(out),
      );
    });
    assert.equal(stdout.trim(), 'closed');
  });

  it('closes and reopens on the same pseudo-terminal', async () => {
    const link = makeLink();
    await link.open();
    await link.close();
    await link.open();
    const atModem = collect(pty, 3);
    await link.write(Buffer.from('AT\r'));
    assert.equal((await atModem).toString(), 'AT\r');
  });

  describe('reads and writes on the event loop', () => {
    it('takes bursts far larger than the pty buffer whole and in order', async () => {
      const link = makeLink();
      await link.open();
      const bursts = [noise(256 * 1024), noise(3), noise(100 * 1024).reverse(), noise(1)];
      const expected = Buffer.concat(bursts);
      const atLink = collect(link, expected.length, 10000);
      await Promise.all(bursts.map((burst) => pty.write(burst)));
      assert.ok((await atLink).equals(expected), 'modem → link differs');
    });

    it('completes writes bigger than the pty buffer in the order they were made', async () => {
      const link = makeLink();
      await link.open();
      const writes = Array.from({ length: 6 }, (_, i) => noise(20000 + 4096 * i).reverse());
      const expected = Buffer.concat(writes);
      const atModem = collect(pty, expected.length, 10000);
      const finished: number[] = [];
      await Promise.all(writes.map((data, i) => link.write(data).then(() => finished.push(i))));
      assert.deepEqual(finished, [0, 1, 2, 3, 4, 5]);
      assert.ok((await atModem).equals(expected), 'link → modem differs');
    });

    it('moves large amounts both ways at once (a read waits while a write waits for room)', async () => {
      const link = makeLink();
      await link.open();
      const out = noise(200 * 1024);
      const back = noise(150 * 1024).reverse();
      const atModem = collect(pty, out.length, 10000);
      const atLink = collect(link, back.length, 10000);
      await Promise.all([link.write(out), pty.write(back)]);
      assert.ok((await atModem).equals(out), 'link → modem differs');
      assert.ok((await atLink).equals(back), 'modem → link differs');
    });

    it('goes down on a hang-up in the middle of a burst, with what came before intact', async () => {
      const byId = byIdLink(pty.path);
      symlinks.push(byId);
      const link = makeLink({ path: byId });
      await link.open();
      const burst = noise(1024 * 1024);
      const chunks: Buffer[] = [];
      let received = 0;
      const halfway = new Promise<void>((resolve) =>
        link.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          received += chunk.length;
          if (received >= 64 * 1024) resolve();
        }),
      );
      const down = nextEvent<string>(link, 'down', () => true, 10000);
      void pty.write(burst);
      await halfway;
      await unplug(byId);
      assert.equal(await down, `serial port ${byId} was disconnected`);
      const got = Buffer.concat(chunks);
      assert.ok(got.length < burst.length, 'the whole burst arrived before the hang-up');
      assert.ok(got.equals(burst.subarray(0, got.length)), 'what arrived before the hang-up differs from the start of the burst');
    });

    it('reads and writes while every thread of the libuv pool is busy', async () => {
      // Each open() of a FIFO nobody writes to holds a pool thread until a writer comes.
      const link = makeLink();
      await link.open(); // opening the port itself uses the pool
      const fifo = path.join(os.tmpdir(), `busy-pool-${process.pid}-${Math.random().toString(36).slice(2)}`);
      await new Promise<void>((resolve, reject) => execFile('mkfifo', [fifo], (err) => (err ? reject(err) : resolve())));
      symlinks.push(fifo); // removed after the test with the symlinks
      const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
      const blocked = Array.from(
        { length: threads },
        () => new Promise<number>((resolve, reject) => fs.open(fifo, 'r', (err, fd) => (err ? reject(err) : resolve(fd)))),
      );
      try {
        const atModem = collect(pty, 3);
        // Bounded, so that a write stuck behind the pool fails here and the finally frees the pool.
        await Promise.race([
          link.write(Buffer.from('AT\r')),
          new Promise((_, reject) => setTimeout(() => reject(new Error('the write waited for the thread pool')), 3000).unref()),
        ]);
        assert.equal((await atModem).toString(), 'AT\r');
        const atLink = collect(link, 6);
        await pty.write('\r\nOK\r\n');
        assert.equal((await atLink).toString(), '\r\nOK\r\n');
      } finally {
        // A writer releases every blocked open; the link's close() needs the pool again.
        const writer = fs.openSync(fifo, fs.constants.O_WRONLY);
        for (const fd of await Promise.all(blocked)) fs.closeSync(fd);
        fs.closeSync(writer);
      }
    });
  });

  describe('error wording', () => {
    const options: SerialLinkOptions = { transport: 'serial', path: '/dev/ttyUSB3', baudRate: 921600 };
    // Texts as the native binding produces them (strerror + context); Windows ones from its binding.
    for (const [raw, expected, more] of [
      ['Error: No such file or directory, cannot open /dev/ttyUSB3', 'serial port /dev/ttyUSB3 not found'],
      ['Error: Permission denied, cannot open /dev/ttyUSB3', 'no permission to open /dev/ttyUSB3 (add the user to the dialout group)'],
      ['Error Resource temporarily unavailable Cannot lock port', 'serial port /dev/ttyUSB3 is in use by another program'],
      ['Error: Device or resource busy, cannot open /dev/ttyUSB3', 'serial port /dev/ttyUSB3 is in use by another program'],
      ['Error: Invalid argument setting custom baud rate of 921600', 'serial port /dev/ttyUSB3 refused baud rate 921600'],
      ['Error baud rate of 921600 is not supported on your platform', 'serial port /dev/ttyUSB3 refused baud rate 921600'],
      ['Error: Inappropriate ioctl for device setting custom baud rate of 921600', '/dev/ttyUSB3 is not a serial port'],
      ['Invalid parity setting 2', 'serial port /dev/ttyUSB3 does not support parity mark', { parity: 'mark' }],
      ['Invalid stop bits setting 2', 'serial port /dev/ttyUSB3 does not support 1.5 stop bits', { stopBits: 1.5 }],
      ['Error: Input/output error, cannot open /dev/ttyUSB3', 'serial port /dev/ttyUSB3: Input/output error, cannot open /dev/ttyUSB3'],
    ] as const) {
      it(`"${raw}" → "${expected}"`, () => {
        assert.equal(explainSerialError({ ...options, ...(more ?? {}) }, new Error(raw)), expected);
      });
    }
  });

  describe('options', () => {
    it('describes the endpoint', () => {
      assert.equal(describeEndpoint({ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 }), '/dev/ttyUSB0 @ 115200 8N1');
      assert.equal(
        describeEndpoint({ transport: 'serial', path: '/dev/ttyS1', baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 2, rtscts: true }),
        '/dev/ttyS1 @ 9600 7E2 RTS/CTS',
      );
    });

    it('accepts good options', () => {
      for (const baudRate of [300, 9600, 115200, 921600, 4000000]) {
        validateLinkOptions({ transport: 'serial', path: '/dev/ttyUSB0', baudRate });
      }
      validateLinkOptions({ transport: 'serial', path: 'COM3', baudRate: 9600, dataBits: 5, parity: 'space', stopBits: 1.5, rtscts: false });
    });

    for (const [options, message] of [
      [{ transport: 'serial', path: '', baudRate: 115200 }, 'path: "" must name the serial device, e.g. /dev/ttyUSB0'],
      [{ transport: 'serial', baudRate: 115200 }, 'path: missing must name the serial device, e.g. /dev/ttyUSB0'],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 12345 }, /^baudRate: 12345 is not a standard baud rate \(one of 50, 75, .*, 115200, .*, 4000000\)$/],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: '115200' }, /^baudRate: "115200" is not a standard baud rate/],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 8000000 }, /^baudRate: 8000000 is not a standard baud rate/],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 9 }, 'dataBits: 9 must be an integer from 5 to 8'],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, dataBits: 4 }, 'dataBits: 4 must be an integer from 5 to 8'],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, parity: 'Even' }, 'parity: "Even" must be one of none, even, odd, mark, space'],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, stopBits: 3 }, 'stopBits: 3 must be one of 1, 1.5, 2'],
      [{ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 9600, rtscts: 'yes' }, 'rtscts: "yes" must be true or false'],
      [{ path: '/dev/ttyUSB0', baudRate: 9600 }, 'transport: missing must be "serial" or "tcp"'],
      [null, 'link options: null must be an object'],
    ] as const) {
      it(`rejects ${JSON.stringify(options)}`, () => {
        assert.throws(() => validateLinkOptions(options), { message });
      });
    }

    it('createLink() makes a SerialLink', async () => {
      const link = createLink({ transport: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 });
      assert.ok(link instanceof SerialLink);
      await link.close();
    });
  });
});
