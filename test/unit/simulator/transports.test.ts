import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SerialPort } from 'serialport';
import { createGenericModem, listenTcp, servePty, type PtyEndpoint, type SimulatedModem, type TcpEndpoint } from '../../../src/simulator';

/** Collects what a socket or serial port receives, and waits for text in it. */
class Received {
  text = '';
  private waiting: Array<() => void> = [];
  add(data: Buffer): void {
    this.text += data.toString('latin1');
    for (const check of [...this.waiting]) check();
  }
  until(expected: string, timeoutMs = 2000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!this.text.includes(expected)) return;
        this.waiting = this.waiting.filter((c) => c !== check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((c) => c !== check);
        reject(new Error(`never received ${JSON.stringify(expected)}; got ${JSON.stringify(this.text)}`));
      }, timeoutMs);
      this.waiting.push(check);
      check();
    });
  }
}

function connect(port: number): Promise<{ socket: net.Socket; received: Received; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const received = new Received();
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (data: Buffer) => received.add(data));
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a reset when the simulator drops us is expected
      resolve({ socket, received, closed });
    });
  });
}

function openSerial(devicePath: string): Promise<{ port: SerialPort; received: Received }> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: devicePath, baudRate: 115200, autoOpen: false });
    const received = new Received();
    port.on('data', (data: Buffer) => received.add(data));
    port.on('error', () => undefined);
    port.open((err) => (err ? reject(err) : resolve({ port, received })));
  });
}

function closeSerial(port: SerialPort): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) resolve();
    else port.close(() => resolve());
  });
}

describe('simulator: transports', () => {
  let modem: SimulatedModem;

  beforeEach(() => {
    modem = createGenericModem();
  });

  afterEach(() => {
    modem.close();
  });

  describe('TCP', () => {
    let endpoint: TcpEndpoint;
    const sockets: net.Socket[] = [];

    beforeEach(async () => {
      endpoint = await listenTcp(modem, { port: 0 });
    });

    afterEach(async () => {
      for (const socket of sockets.splice(0)) socket.destroy();
      await endpoint.close();
    });

    it('answers a host on a port the system chose', async () => {
      assert.ok(endpoint.port > 0);
      const host = await connect(endpoint.port);
      sockets.push(host.socket);
      host.socket.write('AT\r');
      await host.received.until('OK\r\n');
      assert.equal(host.received.text, 'AT\r\r\nOK\r\n');
      assert.equal(endpoint.connected, true);
    });

    it('serves one host at a time: a second connection is closed at once', async () => {
      const first = await connect(endpoint.port);
      sockets.push(first.socket);
      const second = await connect(endpoint.port);
      sockets.push(second.socket);
      await second.closed;
      first.socket.write('AT+CGMM\r');
      await first.received.until('OK\r\n');
      assert.equal(first.received.text, 'AT+CGMM\r\r\nHayes\r\n\r\nOK\r\n');
      assert.equal(second.received.text, '');
    });

    it('unplug drops the host; the modem keeps its state and the next host is served', async () => {
      const first = await connect(endpoint.port);
      sockets.push(first.socket);
      first.socket.write('ATE0\r');
      await first.received.until('OK');
      endpoint.unplug();
      await first.closed;
      assert.equal(endpoint.connected, false);
      const second = await connect(endpoint.port);
      sockets.push(second.socket);
      second.socket.write('AT\r');
      await second.received.until('OK');
      assert.equal(second.received.text, '\r\nOK\r\n');
    });

    it('close stops listening and drops the host', async () => {
      const host = await connect(endpoint.port);
      sockets.push(host.socket);
      await endpoint.close();
      await host.closed;
      await assert.rejects(connect(endpoint.port), /ECONNREFUSED/);
    });
  });

  describe('pseudo-terminal, opened by the real serialport', () => {
    let endpoint: PtyEndpoint | undefined;
    let port: SerialPort | undefined;
    let directory: string;

    beforeEach(() => {
      directory = fs.mkdtempSync(path.join(os.tmpdir(), 'modem-sim-'));
    });

    afterEach(async () => {
      if (port) await closeSerial(port);
      await endpoint?.close();
      port = endpoint = undefined;
      fs.rmSync(directory, { recursive: true, force: true });
    });

    it('answers AT through a real serial port on the device path', async () => {
      endpoint = servePty(modem);
      assert.match(endpoint.path, /^\/dev\/pts\/\d+$/);
      const serial = await openSerial(endpoint.path);
      port = serial.port;
      serial.port.write('ATE0\r');
      await serial.received.until('OK\r\n');
      serial.port.write('AT\r');
      await serial.received.until('OK\r\n\r\nOK\r\n');
      assert.equal(serial.received.text, 'ATE0\r\r\nOK\r\n\r\nOK\r\n');
    });

    it('unplug removes the device and its link; replug brings a new device behind the same link', async () => {
      const linkPath = path.join(directory, 'usb-Simulated_Hayes-if00');
      endpoint = servePty(modem, { linkPath });
      const firstPath = endpoint.path;
      assert.equal(fs.readlinkSync(linkPath), firstPath);
      const serial = await openSerial(linkPath);
      port = serial.port;
      serial.port.write('AT\r');
      await serial.received.until('OK');

      await endpoint.unplug();
      assert.equal(endpoint.plugged, false);
      assert.equal(fs.existsSync(linkPath), false);
      assert.equal(fs.existsSync(firstPath), false);
      await closeSerial(serial.port);

      const secondPath = endpoint.replug();
      assert.equal(fs.readlinkSync(linkPath), secondPath);
      const again = await openSerial(linkPath);
      port = again.port;
      again.port.write('AT+CGMI\r');
      await again.received.until('OK');
      assert.equal(again.received.text, 'AT+CGMI\r\r\nSimulated\r\n\r\nOK\r\n');
    });

    it('close removes the link and refuses to replace a file that is not a link', async () => {
      const linkPath = path.join(directory, 'modem');
      endpoint = servePty(modem, { linkPath });
      await endpoint.close();
      assert.equal(fs.existsSync(linkPath), false);
      fs.writeFileSync(linkPath, 'not a link');
      assert.throws(() => servePty(modem, { linkPath }), /not a symbolic link/);
    });
  });
});
