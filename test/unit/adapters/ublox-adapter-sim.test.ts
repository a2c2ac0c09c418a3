/**
 * The u-blox adapter against the simulated u-blox module (which follows the same manual), over
 * TCP, to real TLS servers: the two sides of the contract agree — MD5 verification, idempotent
 * provisioning, a mutual-TLS echo with binary data pushed by +UUSORD, a wrong CA's errno.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, type ModemError } from '../../../src/at';
import { UbloxAdapter } from '../../../src/adapters/ublox/adapter';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { TcpLink } from '../../../src/link';
import { listenTcp, type SimulatedModem, type TcpEndpoint } from '../../../src/simulator';
import { createUbloxModem } from '../../../src/simulator/dialects/ublox';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer } from '../../../src/simulator/tls-servers';
import { parseSecurityData } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';

describe('UbloxAdapter with the simulated u-blox module', function () {
  this.timeout(30000);
  let pki: TestPki;
  let modem: SimulatedModem;
  let endpoint: TcpEndpoint;
  let link: TcpLink;
  let engine: AtEngine;
  let adapter: UbloxAdapter;
  const servers: TlsEchoServer[] = [];

  before(async () => {
    pki = createTestPki({ keyType: 'ec' });
    modem = createUbloxModem({ timeScale: 0.01, connectTimeoutMs: 5000, preinstalled: [] });
    endpoint = await listenTcp(modem);
    link = new TcpLink({ transport: 'tcp', host: endpoint.host, port: endpoint.port });
    engine = new AtEngine({ link, dialect: ubloxDialect, defaultTimeoutMs: 5000 });
    adapter = new UbloxAdapter(engine, { clockSync: true });
    await link.open();
    for (const line of ubloxDialect.initCommands) await engine.send({ line: { text: line, display: line } });
    await adapter.prepare();
  });

  after(async () => {
    engine?.close('test over');
    await link?.close();
    await endpoint?.close();
    modem?.close();
    await Promise.allSettled(servers.map((s) => s.close()));
  });

  it('reads the chip ID', () => {
    assert.equal(adapter.chipId, '12345678');
  });

  it('imports CA, client certificate and key with MD5 verified; a second import changes nothing', async () => {
    for (const [certType, name, input] of [['ca', 'sim-ca', pki.ca.cert], ['cert', 'sim-cc', pki.client.cert], ['key', 'sim-pk', pki.client.key]] as const) {
      const first = await adapter.uploadSecurityData({ certType, name, parsed: parseSecurityData(input, certType), format: 'auto' });
      assert.deepEqual([first.verified, first.unchanged], [true, false], `${certType} imported and verified`);
      const again = await adapter.uploadSecurityData({ certType, name, parsed: parseSecurityData(input, certType), format: 'auto' });
      assert.deepEqual([again.verified, again.unchanged], [true, true], `${certType} not imported again`);
    }
    const list = await adapter.listSecurityData();
    assert.deepEqual(list.map((i) => `${i.certType}:${i.name}`).sort(), ['ca:sim-ca', 'cert:sim-cc', 'key:sim-pk']);
  });

  it('mutual TLS: applies the profile (again: nothing written), opens, sends binary, gets it pushed back, closes', async () => {
    const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
    servers.push(server);
    const profile = readProfile({ profile: '1', verify: 'mutual', ca: 'sim-ca', cert: 'sim-cc', key: 'sim-pk' });
    const applied = await adapter.applyProfile(profile);
    assert.ok(applied.written > 0);
    assert.equal((await adapter.applyProfile(profile)).written, 0);
    const info = await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    const data = Buffer.from([0x22, 0x0d, 0x0a, 0x4f, 0x4b, 0x0d, 0x0a, 0x00, 0xff, ...Buffer.alloc(1500, 0x61)]);
    const received: Buffer[] = [];
    const all = new Promise<void>((resolve) => {
      const onData = (socket: string, chunk: Buffer): void => {
        if (socket !== info.socket) return;
        received.push(chunk);
        if (Buffer.concat(received).length >= data.length) {
          adapter.off('data', onData);
          resolve();
        }
      };
      adapter.on('data', onData);
    });
    assert.equal(await adapter.send(info.socket, data), data.length);
    await all;
    assert.ok(Buffer.concat(received).equals(data));
    await adapter.closeSocket(info.socket);
  });

  it('session resumption: the module’s +UUSECPRF news comes out as a profile event, without the session secrets', async () => {
    const server = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(server);
    await adapter.applyProfile(readProfile({ profile: '2', verify: 'server', ca: 'sim-ca', checkHostname: false, checkDate: false, vendorOptions: { sessionResumption: true } }));
    const events: Array<[string, Record<string, unknown>]> = [];
    const onProfile = (profile: string, event: Record<string, unknown>): void => {
      events.push([profile, event]);
    };
    adapter.on('profile', onProfile);
    try {
      const info = await adapter.openSocket({ profile: '2', host: '127.0.0.1', port: server.port, mode: 'command' });
      const deadline = Date.now() + 3000;
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await adapter.closeSocket(info.socket);
    } finally {
      adapter.off('profile', onProfile);
    }
    assert.ok(events.length > 0, 'the module reported the session');
    for (const [profile, event] of events) {
      assert.equal(profile, '2');
      assert.equal(event.op, 13);
      // Session tags 2 and 12 carry the session id and master secret, or the encrypted session:
      // they never leave the engine.
      assert.doesNotMatch(String(event.raw), /^\+UUSECPRF: ?\d+,13,(?:2|12),(?!"\*\*\*")/);
    }
  });

  it('a server from another CA: the connect fails with the socket error number, and the socket is freed', async () => {
    const server = await startTlsEchoServer({ cert: pki.unrelatedServer.cert, key: pki.server.key });
    servers.push(server);
    await adapter.applyProfile(readProfile({ profile: '2', verify: 'server', ca: 'sim-ca' }));
    await assert.rejects(adapter.openSocket({ profile: '2', host: '127.0.0.1', port: server.port, mode: 'command' }), (err: ModemError) => {
      assert.match(String(err.code), /^errno \d+$/);
      assert.match(err.line ?? '', /^\+USOCTL: \d+,1,\d+$/);
      assert.notEqual(adapter.decodeError(err.toJSON()).category, 'unknown');
      return true;
    });
    // Four connections are still possible: nothing leaked.
    const echo = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(echo);
    await adapter.applyProfile(readProfile({ profile: '3', verify: 'none' }));
    const opened = [];
    for (let i = 0; i < 4; i++) opened.push(await adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' }));
    await assert.rejects(adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' }), /at most 4 TLS connections/);
    for (const o of opened) await adapter.closeSocket(o.socket);
  });

  it('the module restarted behind the host (echo on, +CMEE 0, sockets gone): a send, and an open given the id a flow holds, fail naming the restart; the connections end and `restarted` asks for a bring-up', async () => {
    const echo = await startTlsEchoServer({ cert: pki.server.cert, key: pki.server.key });
    servers.push(echo);
    await adapter.applyProfile(readProfile({ profile: '3', verify: 'none' }));
    const bringUp = async (): Promise<void> => {
      for (const line of ubloxDialect.initCommands) await engine.send({ line: { text: line, display: line } });
      await adapter.prepare();
    };
    const closed: string[] = [];
    const restarts: string[] = [];
    const onClosed = (socket: string, reason: string): void => void closed.push(`${socket}: ${reason}`);
    const onRestart = (reason: string): void => void restarts.push(reason);
    adapter.on('closed', onClosed);
    adapter.on('restarted', onRestart);
    try {
      let info = await adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' });
      await modem.reboot();
      await assert.rejects(adapter.send(info.socket, Buffer.from('after the reboot')), (err: ModemError) => {
        assert.equal(err.kind, 'PARAMETER');
        assert.match(err.message, new RegExp(`^msg\\.socket: socket ${info.socket} is no longer open \\(the module restarted: .*\\); open it again with tls-open$`));
        return true;
      });
      assert.deepEqual(closed, [`${info.socket}: the module restarted: its error reporting was back to the default (+CMEE: 0) and its sockets were gone`]);
      assert.equal(restarts.length, 1);
      await bringUp();

      info = await adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' });
      await modem.reboot();
      await assert.rejects(adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' }), (err: ModemError) => {
        assert.equal(err.kind, 'LINK_DOWN');
        assert.match(err.message, /^the module restarted: .*open the connection again \(tls-open\) once it is ready$/);
        return true;
      });
      assert.equal(closed.length, 2);
      assert.match(closed[1]!, new RegExp(`^${info.socket}: the module restarted`));
      assert.equal(restarts.length, 2);
      await bringUp();
      info = await adapter.openSocket({ profile: '3', host: '127.0.0.1', port: echo.port, mode: 'command' });
      await adapter.closeSocket(info.socket);
    } finally {
      adapter.off('closed', onClosed);
      adapter.off('restarted', onRestart);
    }
  });
});
