/**
 * The XBee3 adapter against the simulated XBee3 over TCP: both follow seeds/000 and the XBee3
 * Cellular User Guide from their own code, and here they meet — command-mode sessions timed by
 * the module's GT, YMODEM uploads (PUT verified by SHA-256, XPUT by size), profiles checked
 * against the file system, API-mode TLS sockets over real TLS (server and mutual, a wrong CA
 * refused by the handshake), several sockets at once, and transparent mode on profile 0.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError } from '../../../src/at';
import { Xbee3Adapter, xbee3Capabilities } from '../../../src/adapters/xbee3/adapter';
import { xbee3Dialect } from '../../../src/adapters/xbee3/dialect';
import { TcpLink } from '../../../src/link';
import { listenTcp, type TcpEndpoint } from '../../../src/simulator';
import { createXbee3Modem, xbee3Device, type Xbee3Modem } from '../../../src/simulator/dialects/xbee3';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { parseSecurityData } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';

interface Rig {
  modem: Xbee3Modem;
  adapter: Xbee3Adapter;
  engine: AtEngine;
  warnings: string[];
  close(): Promise<void>;
}

const caps = xbee3Capabilities();
const profile = (own: Record<string, unknown>): ReturnType<typeof readProfile> => readProfile({ tlsVersion: '1.2', ...own }, {}, caps);

let pki: TestPki;

/** A module whose saved GT is 60 ms (as an integrator may set it), AP 0 from the factory. */
async function connect(): Promise<Rig> {
  const modem = createXbee3Modem({ connectTimeoutMs: 5000 });
  const device = xbee3Device(modem)!;
  device.registers.set('GT', 60);
  device.registers.write();
  const endpoint: TcpEndpoint = await listenTcp(modem);
  const link = new TcpLink({ transport: 'tcp', host: endpoint.host, port: endpoint.port });
  const engine = new AtEngine({ link, dialect: xbee3Dialect, defaultTimeoutMs: 5000 });
  await link.open();
  const adapter = new Xbee3Adapter(engine, { apn: 'internet' });
  const warnings: string[] = [];
  adapter.on('warning', (w: string) => warnings.push(w));
  await adapter.prepare();
  return {
    modem,
    adapter,
    engine,
    warnings,
    close: async () => {
      await adapter.closeAll().catch(() => undefined);
      engine.close('test over');
      await link.close();
      await endpoint.close();
      modem.close();
    },
  };
}

async function upload(rig: Rig, certType: 'ca' | 'cert' | 'key', name: string, pem: string) {
  return rig.adapter.uploadSecurityData({ certType, name, parsed: parseSecurityData(pem, certType), format: 'auto' });
}

describe('Xbee3Adapter with the simulated XBee3', function () {
  this.timeout(30000);
  let rig: Rig | undefined;
  let server: TestServer | undefined;

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
  });

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    await server?.close();
    server = undefined;
  });

  it('brings a factory module into API mode with escapes (saved) and sets the APN', async () => {
    rig = await connect();
    const registers = xbee3Device(rig.modem)!.registers;
    assert.equal(registers.num('AP'), 2);
    assert.equal(registers.str('AN'), 'internet');
    assert.match(rig.warnings.join('\n'), /AP 2/);
  });

  it('uploads: PUT verified by SHA-256, the same file not sent twice, XPUT checked by size only', async () => {
    rig = await connect();
    const ca = await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    assert.equal(ca.verified, true);
    assert.equal(ca.unchanged, false);
    const again = await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    assert.equal(again.unchanged, true);
    const key = await upload(rig, 'key', 'client.key', pki.client.key);
    assert.equal(key.verified, false);
    assert.match(key.warnings.join('\n'), /secure file \(ATFS XPUT\): it cannot be read back/);
    const files = xbee3Device(rig.modem)!.flash.files();
    const stored = files.find((f) => f.path === '/flash/certs/client.key');
    assert.ok(stored?.secure, 'the key is a secure file');
    const listed = await rig.adapter.listSecurityData();
    assert.deepEqual(listed.map((f) => [f.certType, f.name]).sort(), [['ca', 'ca.pem'], ['key', 'client.key']].sort());
    await rig.adapter.removeSecurityData('ca', 'ca.pem');
    assert.equal(xbee3Device(rig.modem)!.flash.files().some((f) => f.path === '/flash/certs/ca.pem'), false);
    await assert.rejects(rig.adapter.removeSecurityData('ca', 'ca.pem'), (e: ModemError) => e.field === 'name' && /no file "ca\.pem"/.test(e.message));
  });

  it('server authentication over real TLS; a CA that did not sign the server fails the handshake', async () => {
    server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
    rig = await connect();
    await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    await upload(rig, 'ca', 'other.pem', pki.unrelatedCa.cert);
    await rig.adapter.applyProfile(profile({ profile: '1', verify: 'server', ca: 'ca.pem' }));
    const info = await rig.adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    const got: Buffer[] = [];
    rig.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
    const payload = Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 256));
    assert.equal(await rig.adapter.send(info.socket, payload), payload.length);
    const deadline = Date.now() + 5000;
    while (Buffer.concat(got).length < payload.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(Buffer.concat(got).equals(payload), 'echoed byte for byte');
    await rig.adapter.closeSocket(info.socket);

    await rig.adapter.applyProfile(profile({ profile: '2', verify: 'server', ca: 'other.pem' }));
    const err = await rig.adapter.openSocket({ profile: '2', host: '127.0.0.1', port: server.port, mode: 'command' }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof ModemError, String(err));
    assert.match(err.message, /TLS handshake failed/);
  });

  it('mutual authentication with a key uploaded write-only; several sockets at once', async () => {
    server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo, { ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true });
    rig = await connect();
    await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    await upload(rig, 'cert', 'client.pem', pki.client.cert);
    await upload(rig, 'key', 'client.key', pki.client.key);
    const applied = await rig.adapter.applyProfile(profile({ profile: '0', verify: 'mutual', ca: 'ca.pem', cert: 'client.pem', key: 'client.key' }));
    assert.equal(applied.applied.value, 'ca.pem;client.pem;client.key');
    const sockets = await Promise.all([0, 1, 2].map(() => rig!.adapter.openSocket({ profile: '0', host: 'localhost', port: server!.port, mode: 'command' })));
    assert.equal(new Set(sockets.map((s) => s.socket)).size, 3);
    for (const s of sockets) {
      assert.equal(await rig.adapter.send(s.socket, Buffer.from(`hello ${s.socket}`)), 6 + s.socket.length);
      const back = await rig.adapter.receive(s.socket, 100, 5000);
      assert.equal(back.toString(), `hello ${s.socket}`);
    }
    for (const s of sockets) await rig.adapter.closeSocket(s.socket);
  });

  it('a key that does not belong to the certificate is refused before AT$n is written', async () => {
    rig = await connect();
    await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    await upload(rig, 'cert', 'client.pem', pki.client.cert);
    // The server's key is another key pair than the client's.
    await upload(rig, 'key', 'other.key', pki.server.key);
    await assert.rejects(rig.adapter.applyProfile(profile({ profile: '1', verify: 'mutual', ca: 'ca.pem', cert: 'client.pem', key: 'other.key' })), (e: ModemError) => e.field === 'key' && /does not belong/.test(e.message));
    assert.equal(xbee3Device(rig.modem)!.registers.str('$1'), ';;');
  });

  it('data the server sends while another flow uploads (a command-mode session) arrives whole and in order', async () => {
    // The server streams numbered lines; meanwhile an upload holds the port in command mode.
    let streamed = 0;
    server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, (socket) => {
      const timer = setInterval(() => {
        socket.write(`line ${String(streamed++).padStart(4, '0')}\n`);
        if (streamed === 200) {
          clearInterval(timer);
          socket.end();
        }
      }, 2);
      socket.on('close', () => clearInterval(timer));
    });
    rig = await connect();
    await rig.adapter.applyProfile(profile({ profile: '1', verify: 'none' }));
    const got: Buffer[] = [];
    const closed = new Promise<string>((resolve) => rig!.adapter.on('closed', (_s: string, why: string) => resolve(why)));
    rig.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
    await rig.adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    const [uploaded] = await Promise.all([upload(rig, 'cert', 'client.pem', pki.client.cert), rig.adapter.listSecurityData()]);
    assert.equal(uploaded.verified, true);
    assert.equal(await closed, 'closed by the server');
    const lines = Buffer.concat(got).toString().trim().split('\n');
    assert.deepEqual(lines, Array.from({ length: 200 }, (_, i) => `line ${String(i).padStart(4, '0')}`));
  });

  it('transparent mode on profile 0: bytes both ways over real TLS, then back to API mode', async () => {
    server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
    rig = await connect();
    await upload(rig, 'ca', 'ca.pem', pki.ca.cert);
    await rig.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: 'ca.pem' }));
    const info = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'online' });
    assert.equal(info.socket, '255');
    await rig.adapter.send('255', Buffer.from('through the port'));
    const back = await rig.adapter.receive('255', 100, 5000);
    assert.equal(back.toString(), 'through the port');
    await rig.adapter.closeSocket('255');
    assert.equal(xbee3Device(rig.modem)!.registers.num('AP'), 2);
    // API mode works again.
    const s = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
    await rig.adapter.closeSocket(s.socket);
  });
});
