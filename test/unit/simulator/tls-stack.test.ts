import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import { createCertificateAuthority, createTestPki, issueCertificate, type TestPki } from '../../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../../src/simulator/tls-servers';
import { checkServerChain, classifyTlsError, openTls } from '../../../src/simulator/tls-stack';
import { TlsFailure, type ModemTlsProfile, type TlsConnection, type TlsFailureCause } from '../../../src/simulator/tls-types';
import { freePort } from '../../../scripts/ports';

const DAY = 24 * 3_600_000;

describe('simulator: TLS stack (real node:tls against local servers)', () => {
  let pki: TestPki;
  const servers: TlsEchoServer[] = [];
  const connections: TlsConnection[] = [];
  const rawServers: net.Server[] = [];
  const rawSockets: net.Socket[] = [];

  before(() => {
    pki = createTestPki(); // RSA: the plain-RSA key exchange suites Telit modules offer need an RSA server key
  });

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.socket.destroy();
    await Promise.all(servers.splice(0).map((server) => server.close()));
    for (const socket of rawSockets.splice(0)) socket.destroy();
    await Promise.all(rawServers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });

  async function serve(options: Partial<TlsEchoServerOptions> = {}): Promise<TlsEchoServer> {
    const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ...options });
    servers.push(server);
    return server;
  }

  const trustingCa = (extra: Partial<ModemTlsProfile> = {}): ModemTlsProfile => ({ verify: 'server', ca: [Buffer.from(pki.ca.cert)], ...extra });
  const mutualProfile = (extra: Partial<ModemTlsProfile> = {}): ModemTlsProfile => ({
    verify: 'mutual',
    ca: [Buffer.from(pki.ca.cert)],
    cert: Buffer.from(pki.client.cert),
    key: Buffer.from(pki.client.key),
    ...extra,
  });

  /** A plain TCP server that does `handle` with each connection; its sockets are destroyed after each test. */
  async function rawServer(handle: (socket: net.Socket) => void): Promise<net.AddressInfo> {
    const server = net.createServer((socket) => {
      rawSockets.push(socket);
      socket.on('error', () => undefined);
      handle(socket);
    });
    rawServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return server.address() as net.AddressInfo;
  }

  async function open(server: { port: number }, profile: ModemTlsProfile, extra: { host?: string; now?: Date; timeoutMs?: number } = {}): Promise<TlsConnection> {
    const connection = await openTls({
      host: extra.host ?? '127.0.0.1',
      port: server.port,
      profile,
      now: () => extra.now ?? new Date(),
      timeoutMs: extra.timeoutMs,
    });
    connections.push(connection);
    return connection;
  }

  async function rejects(promise: Promise<unknown>, cause: TlsFailureCause): Promise<TlsFailure> {
    try {
      const connection = (await promise) as TlsConnection;
      connections.push(connection);
    } catch (err) {
      assert.ok(err instanceof TlsFailure, `expected a TlsFailure, got ${String(err)}`);
      assert.equal(err.cause, cause, `expected ${cause}, got ${err.message}`);
      return err;
    }
    assert.fail(`expected the connection to fail with ${cause}, it succeeded`);
  }

  function roundTrip(socket: tls.TLSSocket, data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let length = 0;
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= data.length) resolve(Buffer.concat(chunks));
      });
      socket.once('error', reject);
      socket.write(data);
    });
  }

  describe('verification modes', () => {
    it('verify none connects to a server nobody trusts and echoes', async () => {
      const server = await serve({ cert: pki.unrelatedServer.cert });
      const connection = await open(server, { verify: 'none' });
      assert.deepEqual(await roundTrip(connection.socket, Buffer.from('ping')), Buffer.from('ping'));
      assert.equal(connection.version, 'TLSv1.3');
      assert.equal(connection.resumed, false);
    });

    it('verify server accepts a chain to the trusted CA, by IP address and by host name', async () => {
      const server = await serve();
      const byIp = await open(server, trustingCa());
      assert.equal(byIp.version, 'TLSv1.3');
      assert.match(byIp.cipher, /^TLS_AES_|^TLS_CHACHA20_/);
      const byName = await open(server, trustingCa(), { host: 'localhost' });
      assert.equal(byName.version, 'TLSv1.3');
    });

    it('verify mutual presents the client certificate, which the server accepts', async () => {
      const server = await serve({ ca: pki.ca.cert, requestCert: true });
      const connection = await open(server, mutualProfile());
      assert.deepEqual(await roundTrip(connection.socket, Buffer.from('hello')), Buffer.from('hello'));
      assert.equal(server.lastClientCertSubject, 'O=node-red-contrib-modem-tls, CN=modem-client');
    });

    it('takes the client certificate as DER and the key as PKCS#1 DER, PKCS#1 PEM or encrypted PKCS#8', async () => {
      const server = await serve({ ca: pki.ca.cert, requestCert: true, maxVersion: 'TLSv1.2' });
      await open(server, mutualProfile({ cert: pki.client.certDer, key: pki.client.keyRsaDer! }));
      await open(server, mutualProfile({ key: Buffer.from(pki.client.keyRsaPem!) }));
      await open(server, mutualProfile({ key: pki.client.keyDer }));
      await open(server, mutualProfile({ key: Buffer.from(pki.client.encryptedKey('s3cret')), keyPassword: 's3cret' }));
      assert.equal(server.connections, 4);
    });

    it('refuses a wrong key password or a key of another certificate before connecting', async () => {
      const server = await serve({ ca: pki.ca.cert, requestCert: true });
      const wrong = await rejects(open(server, mutualProfile({ key: Buffer.from(pki.client.encryptedKey('s3cret')), keyPassword: 'nope' })), 'bad-certificate');
      assert.doesNotMatch(wrong.message, /nope|s3cret/, 'passwords never reach an error text');
      await rejects(open(server, mutualProfile({ key: Buffer.from(pki.server.key) })), 'bad-certificate');
      assert.equal(server.openConnections, 0);
      assert.equal(server.connections, 0);
    });
  });

  describe('server certificate checks, judged by the modem clock', () => {
    it('rejects a server whose chain leads to an untrusted CA: unknown-ca', async () => {
      const server = await serve({ cert: pki.unrelatedServer.cert });
      await rejects(open(server, trustingCa()), 'unknown-ca');
    });

    it('rejects an expired certificate, and accepts the same certificate when the modem clock is inside its window', async () => {
      const server = await serve({ cert: pki.expiredServer.cert });
      const failure = await rejects(open(server, trustingCa()), 'expired');
      assert.match(failure.detail, /modem clock/);
      const inside = new Date(pki.expiredServer.notBefore.getTime() + DAY);
      await open(server, trustingCa(), { now: inside });
    });

    it('rejects a certificate that is not valid yet, unless date checks are off', async () => {
      const server = await serve({ cert: pki.notYetValidServer.cert });
      await rejects(open(server, trustingCa()), 'not-yet-valid');
      await open(server, trustingCa({ checkDates: false }));
    });

    it('judges a valid certificate expired when the modem clock is past its end', async () => {
      const server = await serve();
      await rejects(open(server, trustingCa(), { now: new Date(pki.server.notAfter.getTime() + 1000) }), 'expired');
    });

    it('rejects a certificate for another host, unless host name checks are off', async () => {
      const server = await serve({ cert: pki.wrongHostServer.cert });
      await rejects(open(server, trustingCa()), 'hostname-mismatch');
      await open(server, trustingCa({ checkHostname: false }));
    });

    it('checks the name given as SNI when the host is an address', async () => {
      const server = await serve({ cert: pki.wrongHostServer.cert });
      await open(server, trustingCa({ sni: 'other.example' }));
    });

    it('follows an intermediate CA sent by the server to the trusted root', async () => {
      const intermediate = createCertificateAuthority({ subject: { CN: 'Intermediate' }, issuer: pki.ca, keyType: 'ec' });
      const leaf = issueCertificate({ subject: 'localhost', issuer: intermediate, keyType: 'ec', hosts: ['127.0.0.1'], extendedKeyUsage: ['serverAuth'] });
      const server = await serve({ cert: leaf.cert + intermediate.cert, key: leaf.key });
      await open(server, trustingCa());
    });

    it('trusts a self-signed server certificate that is itself in the CA list', async () => {
      const selfSigned = issueCertificate({ subject: 'localhost', keyType: 'ec', hosts: ['127.0.0.1'] });
      const server = await serve({ cert: selfSigned.cert, key: selfSigned.key });
      await open(server, { verify: 'server', ca: [selfSigned.certDer] });
      await rejects(open(server, trustingCa()), 'unknown-ca');
    });
  });

  describe('client certificate required by the server', () => {
    for (const maxVersion of ['TLSv1.2', 'TLSv1.3'] as const) {
      it(`${maxVersion}: no client certificate → client-certificate-required`, async () => {
        const server = await serve({ ca: pki.ca.cert, requestCert: true, maxVersion });
        await rejects(open(server, trustingCa()), 'client-certificate-required');
        await rejects(open(server, mutualProfile({ cert: undefined, key: undefined })), 'client-certificate-required');
      });

      it(`${maxVersion}: a client certificate from an unrelated CA → client-certificate-required`, async () => {
        const server = await serve({ ca: pki.ca.cert, requestCert: true, maxVersion });
        await rejects(open(server, mutualProfile({ cert: Buffer.from(pki.unrelatedClient.cert), key: Buffer.from(pki.unrelatedClient.key) })), 'client-certificate-required');
        assert.equal(server.connections, 0);
      });
    }
  });

  describe('versions and suites', () => {
    it('no common protocol version → protocol-version, both ways', async () => {
      const tls13Only = await serve({ minVersion: 'TLSv1.3' });
      await rejects(open(tls13Only, trustingCa({ maxVersion: 'TLSv1.2' })), 'protocol-version');
      const tls12Only = await serve({ maxVersion: 'TLSv1.2' });
      await rejects(open(tls12Only, trustingCa({ minVersion: 'TLSv1.3' })), 'protocol-version');
    });

    it('refuses minVersion above maxVersion before connecting', async () => {
      const server = await serve();
      await rejects(open(server, trustingCa({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' })), 'protocol-version');
      assert.equal(server.connections, 0);
    });

    it('a suite list the server does not share → no-shared-cipher', async () => {
      const server = await serve({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
      await rejects(open(server, trustingCa({ ciphers: ['TLS_RSA_WITH_AES_256_CBC_SHA'] })), 'no-shared-cipher');
    });

    it('suites OpenSSL lacks are not offered; with none left the modem fails before connecting', async () => {
      const server = await serve();
      let handshakes = 0;
      server.on('tls-error', () => handshakes++);
      await rejects(open(server, trustingCa({ ciphers: ['TLS_RSA_WITH_RC4_128_MD5', 'TLS_RSA_WITH_NULL_SHA', 'TLS_ECDH_RSA_WITH_AES_128_CBC_SHA'] })), 'no-shared-cipher');
      assert.equal(server.openConnections, 0);
      assert.equal(handshakes, 0);
    });

    it('offers a Telit default list (RC4 and all) and negotiates the suite both sides have, named by IANA', async () => {
      const server = await serve({ maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA' });
      const connection = await open(
        server,
        trustingCa({ ciphers: ['TLS_RSA_WITH_RC4_128_MD5', 'TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_256_CBC_SHA'] }),
      );
      assert.equal(connection.version, 'TLSv1.2');
      assert.equal(connection.cipher, 'TLS_RSA_WITH_AES_128_CBC_SHA');
      assert.deepEqual(await roundTrip(connection.socket, Buffer.from('tls 1.2 data')), Buffer.from('tls 1.2 data'));
    });

    it('negotiates a DHE suite (Telit platforms 25/30/37) and a TLS 1.3 suite chosen by name', async () => {
      const server = await serve();
      const dhe = await open(server, trustingCa({ ciphers: ['TLS_DHE_RSA_WITH_AES_256_CBC_SHA256'] }));
      assert.equal(dhe.cipher, 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256');
      assert.equal(dhe.version, 'TLSv1.2', 'a list without TLS 1.3 suites does not speak TLS 1.3');
      const tls13 = await open(server, trustingCa({ ciphers: ['TLS_CHACHA20_POLY1305_SHA256'] }));
      assert.equal(tls13.cipher, 'TLS_CHACHA20_POLY1305_SHA256');
      assert.equal(tls13.version, 'TLSv1.3');
    });

    it('works with EC keys end to end: ECDHE-ECDSA suite, client key as SEC1 DER', async () => {
      const ec = createTestPki({ keyType: 'ec' });
      const server = await serve({ cert: ec.server.cert, key: ec.server.key, ca: ec.ca.cert, requestCert: true });
      const sec1 = ec.client.privateKey.export({ type: 'sec1', format: 'der' });
      const connection = await open(server, {
        verify: 'mutual',
        ca: [ec.ca.certDer],
        cert: ec.client.certDer,
        key: sec1,
        ciphers: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA'],
      });
      assert.equal(connection.cipher, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
      assert.equal(server.lastClientCertSubject, 'O=node-red-contrib-modem-tls, CN=modem-client');
    });

    it('speaks TLS 1.0 when the profile asks for it (SSLv3 is taken as TLS 1.0)', async () => {
      const server = await serve({ minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
      const tls10 = await open(server, trustingCa({ minVersion: 'TLSv1', maxVersion: 'TLSv1' }));
      assert.equal(tls10.version, 'TLSv1');
      const sslv3 = await open(server, trustingCa({ minVersion: 'SSLv3', maxVersion: 'TLSv1.2', ciphers: ['TLS_RSA_WITH_AES_128_CBC_SHA'] }));
      assert.equal(sslv3.version, 'TLSv1');
      assert.equal(sslv3.cipher, 'TLS_RSA_WITH_AES_128_CBC_SHA');
      await rejects(open(server, trustingCa()), 'protocol-version');
    });
  });

  describe('transport failures', () => {
    it('nothing listening → refused', async () => {
      const port = await freePort();
      await rejects(open({ port }, trustingCa()), 'refused');
    });

    it('a server that never answers the hello → timeout', async () => {
      const silent = await rawServer(() => undefined);
      const started = Date.now();
      await rejects(open(silent, trustingCa(), { timeoutMs: 200 }), 'timeout');
      assert.ok(Date.now() - started < 2000);
    });

    it('a plain-text service on the port → protocol-version (OpenSSL: wrong version number)', async () => {
      const plain = await rawServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
      await rejects(open(plain, trustingCa()), 'protocol-version');
    });

    it('a server that closes during the handshake → closed', async () => {
      const rude = await rawServer((socket) => socket.destroy());
      await rejects(open(rude, trustingCa()), 'closed');
    });
  });

  describe('SNI, ALPN, sessions, data', () => {
    it('sends the host name as SNI, the configured name instead, and none for an address or when off', async () => {
      const server = await serve();
      await open(server, trustingCa(), { host: 'localhost' });
      assert.equal(server.lastServername, 'localhost');
      await open(server, trustingCa({ sni: 'localhost' }));
      assert.equal(server.lastServername, 'localhost');
      await open(server, trustingCa());
      assert.equal(server.lastServername, undefined);
      await open(server, trustingCa({ sni: false }), { host: 'localhost' });
      assert.equal(server.lastServername, undefined);
    });

    it('negotiates ALPN', async () => {
      const server = await serve({ alpn: ['mqtt', 'http/1.1'] });
      const connection = await open(server, trustingCa({ alpn: ['x-other', 'mqtt'] }));
      assert.equal(connection.socket.alpnProtocol, 'mqtt');
      assert.equal(server.lastAlpnProtocol, 'mqtt');
    });

    it('resumes a TLS 1.2 session with the session of an earlier connection', async () => {
      const server = await serve({ maxVersion: 'TLSv1.2' });
      const first = await open(server, trustingCa());
      assert.equal(first.resumed, false);
      const session = first.session;
      assert.ok(session, 'the first connection yields a session');
      first.socket.end();
      const second = await open(server, trustingCa({ session }));
      assert.equal(second.resumed, true);
    });

    it('resumes a TLS 1.3 session from the ticket the server sends', async () => {
      const server = await serve();
      const first = await open(server, trustingCa());
      assert.ok(first.session, 'the TLS 1.3 ticket arrived before openTls resolved');
      const second = await open(server, trustingCa({ session: first.session }));
      assert.equal(second.resumed, true);
      assert.equal(second.version, 'TLSv1.3');
    });

    it('echoes 100 KB holding every byte value intact', async () => {
      const server = await serve({ ca: pki.ca.cert, requestCert: true });
      const connection = await open(server, mutualProfile());
      const data = Buffer.alloc(100 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
      assert.equal(new Set(data).size, 256);
      const echoed = await roundTrip(connection.socket, data);
      assert.equal(echoed.length, data.length);
      assert.ok(echoed.equals(data));
    });

    it('sees the peer close after closeAfterBytes', async () => {
      const server = await serve({ closeAfterBytes: 5 });
      const connection = await open(server, trustingCa());
      const received: Buffer[] = [];
      connection.socket.on('data', (chunk: Buffer) => received.push(chunk));
      const ended = new Promise<void>((resolve) => connection.socket.once('end', () => resolve()));
      connection.socket.write('0123456789');
      await ended;
      assert.equal(Buffer.concat(received).toString(), '01234');
    });
  });

  describe('classifyTlsError', () => {
    const cases: Array<[string, NodeJS.ErrnoException & { reason?: string }, Parameters<typeof classifyTlsError>[1], TlsFailureCause]> = [
      ['refused', { name: 'Error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:443' }, {}, 'refused'],
      ['DNS', { name: 'Error', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND mqtt.example' }, {}, 'unreachable'],
      ['no route', { name: 'Error', code: 'EHOSTUNREACH', message: 'connect EHOSTUNREACH 10.0.0.1:443' }, {}, 'unreachable'],
      ['TCP timeout', { name: 'Error', code: 'ETIMEDOUT', message: 'connect ETIMEDOUT 10.0.0.1:443' }, {}, 'timeout'],
      ['not TLS', { name: 'Error', code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'ssl3_get_record:wrong version number', reason: 'wrong version number' }, {}, 'protocol-version'],
      ['old server', { name: 'Error', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL', message: 'unsupported protocol', reason: 'unsupported protocol' }, {}, 'protocol-version'],
      ['alert 70', { name: 'Error', code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'tlsv1 alert protocol version' }, {}, 'protocol-version'],
      ['alert 40 on the hello', { name: 'Error', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'sslv3 alert handshake failure' }, { progressed: false }, 'no-shared-cipher'],
      ['alert 40 after key exchange', { name: 'Error', code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'sslv3 alert handshake failure' }, { progressed: true }, 'client-certificate-required'],
      ['alert 116', { name: 'Error', code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', message: 'tlsv13 alert certificate required' }, {}, 'client-certificate-required'],
      ['alert 48 about our certificate', { name: 'Error', code: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', message: 'tlsv1 alert unknown ca' }, {}, 'client-certificate-required'],
      ['alert 42', { name: 'Error', code: 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', message: 'sslv3 alert bad certificate' }, {}, 'client-certificate-required'],
      ['silent drop after our certificate', { name: 'Error', code: 'ECONNRESET', message: 'Client network socket disconnected before secure TLS connection was established' }, { progressed: true, presentsCertificate: true }, 'client-certificate-required'],
      ['drop before the key exchange', { name: 'Error', code: 'ECONNRESET', message: 'socket hang up' }, { progressed: false, presentsCertificate: true }, 'closed'],
      ['anything else', { name: 'Error', code: 'ERR_SSL_TLSV1_ALERT_DECODE_ERROR', message: 'tlsv1 alert decode error' }, {}, 'handshake'],
    ];
    for (const [label, error, context, cause] of cases) {
      it(`${label} → ${cause}`, () => {
        assert.equal(classifyTlsError(error, context).cause, cause);
      });
    }
  });

  describe('checkServerChain', () => {
    it('reports a certificate whose signature does not verify as bad-certificate', () => {
      // Same issuer name, key identifier and key type as the CA (OpenSSL matches all three before
      // looking at the signature), but signed by another key.
      const impostorCa = Object.assign(createCertificateAuthority({ subject: { O: 'node-red-contrib-modem-tls', CN: 'Modem TLS Test CA' }, keyType: 'rsa' }), {
        keyIdentifier: pki.ca.keyIdentifier,
      });
      const forged = issueCertificate({ subject: 'localhost', issuer: impostorCa, keyType: 'ec', hosts: ['localhost'] });
      const failure = checkServerChain({
        chain: [new crypto.X509Certificate(forged.cert)],
        trusted: [new crypto.X509Certificate(pki.ca.cert)],
        now: new Date(),
        expectedName: 'localhost',
        checkDates: true,
      });
      assert.equal(failure?.cause, 'bad-certificate');
    });
  });
});

