/**
 * Real TLS handshakes from the simulated Telit module (§6.2 `<auth_mode>`, §6.3, §6.5, §6.7),
 * judged the way the module judges them — certificate dates against its own clock (+CCLK) — and
 * failing with the code it reports (§12.2).
 */
import { strict as assert } from 'node:assert';
import { formatCclk } from '../../../src/simulator';
import { echo, Module, startServer, testPki, type TestServer } from './telit-harness.test';

const DAY = 24 * 3600 * 1000;

/** `AT+CCLK="…"` for an instant, zone +00 (27.007 §8.15). */
function cclk(date: Date): string {
  return `AT+CCLK="${formatCclk({ instant: date.getTime(), zoneQuarters: 0 })}"`;
}

describe('simulator: Telit TLS handshakes', () => {
  let module: Module;
  let server: TestServer | undefined;

  afterEach(async () => {
    module?.close();
    await server?.close();
    server = undefined;
  });

  /** A platform-30 module, context active, SSId 1 enabled, numeric errors. */
  async function start(platform: '30' | '20' | '37' | '12' = '30'): Promise<Module> {
    module = await Module.start({ platform });
    await module.ready();
    await module.expect('AT+CMEE=1', 'OK');
    return module;
  }

  async function dial(host = '127.0.0.1'): Promise<string> {
    return module.at(`AT#SSLD=1,${server!.port},"${host}",0,1`);
  }

  async function withCa(ca = testPki().ca.cert): Promise<void> {
    await module.expect('AT#SSLSECCFG=1,0,1', 'OK');
    await module.uploadPem(1, 1, ca);
  }

  it('verify none (§6.8.4): connects whoever signed the server certificate', async () => {
    const { unrelatedServer } = testPki();
    server = await startServer(echo, { cert: unrelatedServer.cert, key: unrelatedServer.key });
    await start();
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
  });

  it('server authentication (§6.8.5): the stored CA must be the server\'s root', async () => {
    server = await startServer(echo);
    await start();
    await withCa();
    assert.equal(await dial(), '\r\nOK\r\n');
    await module.expect('AT#SSLH=1', 'OK');
    await module.uploadPem(1, 1, testPki().unrelatedCa.cert);
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
  });

  it('judges an expired server certificate by the module clock (+CCLK)', async () => {
    const { expiredServer } = testPki();
    server = await startServer(echo, { cert: expiredServer.cert, key: expiredServer.key });
    await start();
    await withCa();
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    // Sixty days ago the certificate was valid (it ended thirty days ago).
    await module.expect(cclk(new Date(Date.now() - 60 * DAY)), 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
  });

  it('judges a certificate not yet valid by the module clock', async () => {
    const { notYetValidServer } = testPki();
    server = await startServer(echo, { cert: notYetValidServer.cert, key: notYetValidServer.key });
    await start();
    await withCa();
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    await module.expect(cclk(new Date(Date.now() + 400 * DAY)), 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
  });

  it('refuses a certificate for another host, unless <skipHostMismatch> (§6.7.2)', async () => {
    const { wrongHostServer } = testPki();
    server = await startServer(echo, { cert: wrongHostServer.cert, key: wrongHostServer.key });
    await start();
    await withCa();
    assert.equal(await dial('localhost'), '\r\n+CME ERROR: 839\r\n');
    await module.expect('AT#SSLCFG=1,1,300,90,100,50,0,0,1', 'OK');
    assert.equal(await dial('localhost'), '\r\nOK\r\n');
  });

  it('checks the host name always where #SSLCFG has no <skipHostMismatch> (platform 20)', async () => {
    const { wrongHostServer } = testPki();
    server = await startServer(echo, { cert: wrongHostServer.cert, key: wrongHostServer.key });
    await start('20');
    await withCa();
    await module.expect('AT#SSLCFG=1,1,300,90,100,50,0,0,1', '+CME ERROR: 4');
    assert.equal(await dial('localhost'), '\r\n+CME ERROR: 839\r\n');
  });

  describe('server/client authentication (§6.8.6)', () => {
    beforeEach(async () => {
      server = await startServer(echo, { requestCert: true, rejectUnauthorized: true, ca: testPki().ca.cert });
    });

    it('presents the stored client certificate and key (PEM)', async () => {
      const { ca, client } = testPki();
      await start();
      await module.expect('AT#SSLSECCFG=1,0,2', 'OK');
      await module.uploadPem(1, 0, client.cert);
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
      assert.equal(await dial(), '\r\nOK\r\n');
      assert.equal(server!.sockets.size, 1);
      const peer = [...server!.sockets][0].getPeerX509Certificate();
      assert.match(peer?.subject ?? '', /CN=modem-client/);
    });

    it('presents them stored as DER (platform 20, <cert_format> 0)', async () => {
      const { ca, client } = testPki();
      await start('20');
      await module.expect('AT#SSLSECCFG=1,0,2,0', 'OK');
      await module.uploadDer(1, 0, client.certDer);
      await module.uploadDer(1, 1, ca.certDer);
      await module.uploadDer(1, 2, client.keyRsaDer!);
      assert.equal(await dial(), '\r\nOK\r\n');
    });

    it('fails the handshake without a client certificate (auth mode 1) or with an untrusted one', async () => {
      const { ca, client, unrelatedClient } = testPki();
      await start();
      await withCa(ca.cert);
      assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
      await module.expect('AT#SSLSECCFG=1,0,2', 'OK');
      await module.uploadPem(1, 0, unrelatedClient.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
      assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    });

    it('reports 837 before dialling when data is missing or the key is not the certificate\'s', async () => {
      const { ca, client, server: serverCert } = testPki();
      await start();
      await module.expect('AT#SSLSECCFG=1,0,2', 'OK');
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 0, client.cert);
      assert.equal(await dial(), '\r\n+CME ERROR: 837\r\n');
      await module.uploadPem(1, 2, serverCert.keyRsaPem!);
      assert.equal(await dial(), '\r\n+CME ERROR: 837\r\n');
      assert.equal(server!.stats.connections, 0);
    });
  });

  it('sends SNI only where #SSLSECCFG2 has it and it is on (§6.3.3, §6.4)', async () => {
    server = await startServer(echo);
    await start('30');
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    assert.equal(await dial('localhost'), '\r\nOK\r\n');
    assert.equal(server.stats.servername, undefined);
    await module.expect('AT#SSLH=1', 'OK');
    await module.expect('AT#SSLSECCFG2=1,3,1', 'OK');
    assert.equal(await dial('localhost'), '\r\nOK\r\n');
    assert.equal(server.stats.servername, 'localhost');
  });

  it('speaks the one version #SSLSECCFG2 selects: TLS 1.0 by default on the HE910 (§6.8.3.1)', async () => {
    server = await startServer(echo);
    await start('12');
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    // A current server takes TLS 1.2 at least.
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    await module.expect('AT#SSLSECCFG2=1,3', 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
    assert.equal([...server.sockets][0].getProtocol(), 'TLSv1.2');
  });

  it('offers only the suite <CipherSuite> selects, and reports it in #SSLS', async () => {
    server = await startServer(echo, { ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    await start('37');
    await module.expect('AT#SSLSECCFG=1,3,0', 'OK');
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    await module.expect('AT#SSLSECCFG=1,0xC02F,0', 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
    await module.expect('AT#SSLS=1', '#SSLS: 1,2,0xC02F', 'OK');
  });

  it('uses TLS 1.3 on platform 37 when asked (§6.3.4, §12.1.7)', async () => {
    server = await startServer(echo, { minVersion: 'TLSv1.3' });
    await start('37');
    await module.expect('AT#SSLSECCFG=1,0,0', 'OK');
    assert.equal(await dial(), '\r\n+CME ERROR: 839\r\n');
    await module.expect('AT#SSLSECCFG2=1,4,0', 'OK');
    assert.equal(await dial(), '\r\nOK\r\n');
    const status = await module.at('AT#SSLS=1');
    assert.match(status, /^\r\n#SSLS: 1,2,0x130[1-3]\r\n/);
  });
});
