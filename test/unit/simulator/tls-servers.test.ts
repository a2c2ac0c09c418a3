import { strict as assert } from 'node:assert';
import * as tls from 'node:tls';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../../src/simulator/tls-servers';

describe('simulator: local TLS echo server (tls-servers.ts)', () => {
  let pki: TestPki;
  const servers: TlsEchoServer[] = [];
  const clients: tls.TLSSocket[] = [];

  before(() => {
    pki = createTestPki({ keyType: 'ec' });
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  async function serve(options: Partial<TlsEchoServerOptions> = {}): Promise<TlsEchoServer> {
    const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ...options });
    servers.push(server);
    return server;
  }

  /** A plain node:tls client (OpenSSL verifying with the host clock), independent of the modem's stack. */
  function connect(server: TlsEchoServer, options: tls.ConnectionOptions = {}): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ host: server.host, port: server.port, ca: pki.ca.cert, servername: 'localhost', ...options });
      clients.push(socket);
      socket.once('secureConnect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  /** Everything the server sends until it closes. */
  function drain(socket: tls.TLSSocket): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.once('end', () => resolve(text));
    });
  }

  it('listens on a free loopback port and echoes', async () => {
    const server = await serve();
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    const connected = new Promise<tls.TLSSocket>((resolve) => server.once('connection', resolve));
    const socket = await connect(server);
    await connected;
    const echoed = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    socket.write('abc');
    assert.equal(await echoed, 'abc');
    assert.equal(server.connections, 1);
    assert.equal(server.lastProtocol, 'TLSv1.3');
    assert.equal(server.lastServername, 'localhost');
  });

  it('with requestCert, accepts a client of its CA, records its subject, and reports a refused one as tls-error', async () => {
    const server = await serve({ ca: pki.ca.cert, requestCert: true, maxVersion: 'TLSv1.2' });
    await connect(server, { cert: pki.client.cert, key: pki.client.key });
    assert.equal(server.lastClientCertSubject, 'O=node-red-contrib-modem-tls, CN=modem-client');
    const refused = new Promise<Error>((resolve) => server.once('tls-error', resolve));
    await assert.rejects(connect(server));
    assert.match((await refused).message, /peer did not return a certificate/);
    assert.equal(server.connections, 1);
  });

  it('closes each connection after closeAfterBytes, or on the first byte with 0', async () => {
    const server = await serve({ closeAfterBytes: 4 });
    const socket = await connect(server);
    const text = drain(socket);
    socket.write('abcdefgh');
    assert.equal(await text, 'abcd');
    const silent = await serve({ closeAfterBytes: 0 });
    const other = await connect(silent);
    const nothing = drain(other);
    other.write('x');
    assert.equal(await nothing, '');
  });

  it('closes each connection after echoing the first chunk with closeAfterFirstChunk', async () => {
    const server = await serve({ closeAfterFirstChunk: true });
    const socket = await connect(server);
    const text = drain(socket);
    socket.write('first');
    assert.equal(await text, 'first');
  });

  it('close() ends live connections and resolves', async () => {
    const server = await serve();
    const socket = await connect(server);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await server.close();
    await closed;
    assert.equal(server.openConnections, 0);
    await server.close(); // twice is fine
  });
});
