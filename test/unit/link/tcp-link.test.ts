/**
 * TcpLink against a real `net` server on 127.0.0.1: bytes, drops, retries with backoff, clean close.
 * Backoff is shrunk to tens of milliseconds; timing is asserted through the reported `retryInMs`
 * sequence, never through the wall clock.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import * as net from 'node:net';
import * as path from 'node:path';
import * as sinon from 'sinon';
import { TcpLink, createLink, describeEndpoint, validateLinkOptions, type LinkStatus } from '../../../src/link';

const FAST = { initialDelayMs: 20, factor: 2, maxDelayMs: 80 };
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** The next `event` whose first argument satisfies `accept`; fails after `timeoutMs`. */
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

/** Concatenates `data` chunks until `length` bytes arrived. */
function collect(emitter: EventEmitter, length: number, timeoutMs = 2000): Promise<Buffer> {
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

const LINK_MODULE = path.resolve(__dirname, '../../../src/link/index.js');

/** Runs a script in a fresh Node process that must end on its own within 5 s. */
function runNode(script: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 5000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`child did not exit cleanly (${err.message}): ${stderr}`));
      else resolve({ stdout });
    });
  });
}

function count(kind: string): number {
  return process.getActiveResourcesInfo().filter((name) => name === kind).length;
}

/** A server that can stop and start listening on the same port and drop its clients. */
class TestServer {
  readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  port = 0;

  async listen(): Promise<void> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
  }

  nextConnection(): Promise<net.Socket> {
    assert.ok(this.server, 'server is not listening');
    return nextEvent<net.Socket>(this.server, 'connection');
  }

  /** Stops accepting and drops every client; the port stays reserved for `listen()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('link/TcpLink', () => {
  let server: TestServer;
  let links: TcpLink[];

  const makeLink = (extra: Partial<ConstructorParameters<typeof TcpLink>[0]> = {}): TcpLink => {
    const link = new TcpLink({ transport: 'tcp', host: '127.0.0.1', port: server.port, backoff: FAST, ...extra });
    links.push(link);
    return link;
  };

  beforeEach(async () => {
    server = new TestServer();
    await server.listen();
    links = [];
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(links.map((link) => link.close()));
    await server.stop();
  });

  it('opens, reports connecting then open, and names the endpoint', async () => {
    const link = makeLink();
    const statuses: LinkStatus[] = [];
    link.on('status', (status: LinkStatus) => statuses.push(status));
    assert.deepEqual(link.status, { state: 'closed', endpoint: `127.0.0.1:${server.port}` });

    const accepted = server.nextConnection();
    await link.open();
    await accepted;
    assert.equal(link.isOpen, true);
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['connecting', 'open'],
    );
    assert.deepEqual(link.status, { state: 'open', endpoint: `127.0.0.1:${server.port}` });
    await link.open(); // already open: resolves at once
  });

  it('carries all 256 byte values in both directions', async () => {
    const link = makeLink();
    const accepted = server.nextConnection();
    await link.open();
    const peer = await accepted;

    const atServer = collect(peer, 256);
    await link.write(ALL_BYTES);
    assert.deepEqual(await atServer, ALL_BYTES);

    const atLink = collect(link, 256);
    peer.write(ALL_BYTES);
    assert.deepEqual(await atLink, ALL_BYTES);
  });

  it('goes down when the server drops the socket, refuses writes, and reopens when the server accepts again', async () => {
    const link = makeLink();
    await link.open();
    const endpoint = `127.0.0.1:${server.port}`;

    const down = nextEvent<string>(link, 'down');
    const reconnecting = nextEvent<LinkStatus>(link, 'status', (s) => s.state === 'reconnecting');
    await server.stop();
    assert.equal(await down, `connection to ${endpoint} was closed by the other side`);
    assert.deepEqual(await reconnecting, {
      state: 'reconnecting',
      endpoint,
      reason: `connection to ${endpoint} was closed by the other side`,
      attempt: 1,
      retryInMs: 20,
    });
    assert.equal(link.isOpen, false);
    await assert.rejects(link.write(Buffer.from('AT\r')), {
      message: `link is not open (reconnecting: connection to ${endpoint} was closed by the other side)`,
    });

    // While nobody listens, retries fail with the refusal in plain words.
    await nextEvent<LinkStatus>(link, 'status', (s) => s.reason === `nothing is listening on ${endpoint}`);

    const reopened = nextEvent(link, 'open');
    await server.listen();
    const accepted = server.nextConnection();
    await reopened;
    const peer = await accepted;
    assert.equal(link.isOpen, true);
    const atServer = collect(peer, 3);
    await link.write(Buffer.from('AT\r'));
    assert.equal((await atServer).toString(), 'AT\r');

    // A successful open resets the backoff: the next loss starts again from the initial delay.
    const again = nextEvent<LinkStatus>(link, 'status', (s) => s.state === 'reconnecting');
    peer.destroy();
    const status = await again;
    assert.equal(status.attempt, 1);
    assert.equal(status.retryInMs, 20);
  });

  it('reports a reset connection as reset', async () => {
    const link = makeLink();
    const accepted = server.nextConnection();
    await link.open();
    const peer = await accepted;
    const down = nextEvent<string>(link, 'down');
    peer.resetAndDestroy();
    assert.equal(await down, `connection to 127.0.0.1:${server.port} was reset`);
  });

  it('rejects open() when nothing listens, keeps retrying with growing delays until close()', async () => {
    await server.stop(); // the port is now free and refuses connections
    const link = makeLink();
    const endpoint = `127.0.0.1:${server.port}`;
    const retries: LinkStatus[] = [];
    link.on('status', (status: LinkStatus) => {
      if (status.state === 'reconnecting') retries.push(status);
    });

    await assert.rejects(link.open(), { message: `nothing is listening on ${endpoint}` });
    await nextEvent<LinkStatus>(link, 'status', (s) => s.attempt === 5);
    assert.deepEqual(
      retries.map((s) => [s.attempt, s.retryInMs, s.reason]),
      [1, 2, 3, 4, 5].map((attempt, i) => [attempt, [20, 40, 80, 80, 80][i], `nothing is listening on ${endpoint}`]),
    );

    await link.close();
    // Nothing left to fire: waiting to see that no retry comes could only pass by looking too early.
    assert.equal((link as unknown as { timer?: unknown }).timer, undefined, 'no retry is scheduled after close()');
    assert.deepEqual(link.status, { state: 'closed', endpoint });
  });

  it('does not leave an unhandled rejection when nobody awaits open()', async () => {
    await server.stop();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const link = makeLink();
      void link.open();
      void link.write(Buffer.from('x'));
      await nextEvent<LinkStatus>(link, 'status', (s) => s.state === 'reconnecting');
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('gives up a connect attempt that gets no answer, then retries', async () => {
    // A connect that never completes, as towards a host that drops SYNs.
    sinon.stub(net.Socket.prototype, 'connect').callsFake(function (this: net.Socket) {
      return this;
    });
    const link = makeLink({ connectTimeoutMs: 30 });
    await assert.rejects(link.open(), { message: `no answer from 127.0.0.1:${server.port} within 30 ms` });
    assert.equal(link.status.state, 'reconnecting');
  });

  it('close() during a connect attempt rejects the pending open() and releases at once', async () => {
    sinon.stub(net.Socket.prototype, 'connect').callsFake(function (this: net.Socket) {
      return this;
    });
    const link = makeLink();
    const opening = link.open();
    await link.close();
    await assert.rejects(opening, { message: `link to 127.0.0.1:${server.port} was closed before it opened` });
    assert.equal(link.status.state, 'closed');
  });

  it('close() is idempotent and frees the socket', async () => {
    const sockets = count('TCPSocketWrap');
    const link = makeLink();
    const accepted = server.nextConnection();
    await link.open();
    const peer = await accepted;
    const peerClosed = nextEvent(peer, 'close');

    await Promise.all([link.close(), link.close()]);
    await link.close();
    await peerClosed;
    assert.equal(link.isOpen, false);
    assert.equal(count('TCPSocketWrap'), sockets);
    await assert.rejects(link.write(Buffer.from('AT\r')), { message: 'link is not open (closed)' });
  });

  it('leaves nothing that keeps the process alive after close(), even with a retry pending', async () => {
    // Mocha's own timers make an in-process census of timers unreliable; a child process that must
    // exit by itself is the real test. A leaked 10 s retry timer would make it miss the 5 s deadline.
    const script = `
      const net = require('node:net');
      const { TcpLink } = require(${JSON.stringify(LINK_MODULE)});
      (async () => {
        const server = net.createServer((socket) => socket.destroy());
        await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
        const link = new TcpLink({ transport: 'tcp', host: '127.0.0.1', port: server.address().port,
          backoff: { initialDelayMs: 10000 } });
        const down = new Promise((resolve) => link.once('down', resolve));
        await link.open();
        await down;
        await Promise.all([link.close(), new Promise((resolve) => server.close(resolve))]);
        console.log(link.status.state);
      })().catch((err) => { console.error(err); process.exitCode = 1; });`;
    const { stdout } = await runNode(script);
    assert.equal(stdout.trim(), 'closed');
  });

  it('close() while reconnecting stops the timer; open() afterwards starts over', async () => {
    const link = makeLink({ backoff: { initialDelayMs: 10_000 } });
    await link.open();
    const reconnecting = nextEvent<LinkStatus>(link, 'status', (s) => s.state === 'reconnecting');
    const port = server.port;
    await server.stop();
    assert.equal((await reconnecting).retryInMs, 10_000);
    await link.close(); // a 10 s timer left running would keep mocha's process alive past the suite

    await server.listen();
    assert.equal(server.port, port);
    const statuses: string[] = [];
    link.on('status', (s: LinkStatus) => statuses.push(s.state));
    await link.open();
    assert.deepEqual(statuses, ['connecting', 'open']);
  });

  it('open() while waiting to retry tries at once instead of sitting out the backoff', async () => {
    const link = makeLink({ backoff: { initialDelayMs: 10_000 } });
    await link.open();
    const reconnecting = nextEvent<LinkStatus>(link, 'status', (s) => s.state === 'reconnecting');
    await server.stop();
    await reconnecting;
    await server.listen();
    await link.open();
    assert.equal(link.isOpen, true);
  });

  it('fails writes that are in flight when the link is closed', async () => {
    const link = makeLink();
    await link.open();
    const big = Buffer.alloc(16 * 1024 * 1024); // more than the socket buffers take at once
    const writing = link.write(big);
    await link.close();
    await assert.rejects(writing, /closed before the write completed|is closed/);
  });

  describe('options', () => {
    it('describes the endpoint', () => {
      assert.equal(describeEndpoint({ transport: 'tcp', host: '127.0.0.1', port: 7001 }), '127.0.0.1:7001');
      assert.equal(describeEndpoint({ transport: 'tcp', host: '::1', port: 7001 }), '[::1]:7001');
    });

    for (const [options, message] of [
      [{ transport: 'tcp', host: '', port: 7001 }, /^host: "" must name the host/],
      [{ transport: 'tcp', host: 'my modem', port: 7001 }, 'host: "my modem" must not contain spaces'],
      [{ transport: 'tcp', host: 'h', port: 0 }, 'port: 0 must be an integer from 1 to 65535'],
      [{ transport: 'tcp', host: 'h', port: 65536 }, 'port: 65536 must be an integer from 1 to 65535'],
      [{ transport: 'tcp', host: 'h', port: '7001' }, 'port: "7001" must be an integer from 1 to 65535'],
      [{ transport: 'tcp', host: 'h', port: 1.5 }, 'port: 1.5 must be an integer from 1 to 65535'],
      [{ transport: 'tcp', host: 'h', port: 1, connectTimeoutMs: 0 }, /^connectTimeoutMs: 0 must be a positive/],
      [{ transport: 'udp', host: 'h', port: 1 }, 'transport: "udp" must be "serial" or "tcp"'],
      [{ transport: 'tcp', host: 'h', port: 1, backoff: { factor: 0.5 } }, 'backoff.factor: 0.5 must be a number of at least 1'],
      [
        { transport: 'tcp', host: 'h', port: 1, backoff: { initialDelayMs: 100, maxDelayMs: 50 } },
        'backoff.maxDelayMs: 50 must be at least backoff.initialDelayMs (100)',
      ],
    ] as const) {
      it(`rejects ${JSON.stringify(options)}`, () => {
        assert.throws(() => validateLinkOptions(options), { message });
      });
    }

    it('createLink() validates before making anything', () => {
      assert.throws(() => createLink({ transport: 'tcp', host: 'h', port: 0 }), { message: /^port: 0/ });
      const link = createLink({ transport: 'tcp', host: 'localhost', port: 7001 });
      assert.ok(link instanceof TcpLink);
      assert.equal(link.status.state, 'closed');
    });
  });
});
