/**
 * The Telit adapter against the simulated Telit module, over TCP: both follow the SSL/TLS User
 * Guide 1vv0300989 from their own tables, and here they meet — the `<cid>` range the module's
 * test command gives, a 25 ThreadX suite selected by its hex code and used for a real handshake,
 * a suite's own versions, and "Resource used by another instance" from a second AT instance.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError } from '../../../src/at';
import { TelitAdapter } from '../../../src/adapters/telit/adapter';
import { telitDialect } from '../../../src/adapters/telit/dialect';
import { TcpLink } from '../../../src/link';
import { listenTcp, type SimulatedModem, type TcpEndpoint } from '../../../src/simulator';
import { attachTelitInstance, createTelitModem, telitDevice, type TelitModemOptions } from '../../../src/simulator/dialects/telit';
import { readProfile } from '../../../src/tls/profile';
import { echo, startServer, type TestServer } from '../simulator/telit-harness.test';

interface Rig {
  modem: SimulatedModem;
  adapter: TelitAdapter;
  engine: AtEngine;
  close(): Promise<void>;
}

async function connect(platform: TelitModemOptions['platform'], options: { cid?: number } = {}): Promise<Rig> {
  const modem = createTelitModem({ platform, timeScale: 0.05 });
  const endpoint: TcpEndpoint = await listenTcp(modem);
  const link = new TcpLink({ transport: 'tcp', host: endpoint.host, port: endpoint.port });
  const engine = new AtEngine({ link, dialect: telitDialect, defaultTimeoutMs: 5000 });
  await link.open();
  for (const line of telitDialect.initCommands) await engine.send({ line: { text: line, display: line } });
  const adapter = new TelitAdapter(engine, { platform, apn: 'internet', ...options });
  await adapter.prepare();
  return {
    modem,
    adapter,
    engine,
    close: async () => {
      engine.close('test over');
      await link.close();
      await endpoint.close();
      modem.close();
    },
  };
}

describe('TelitAdapter with the simulated Telit module', function () {
  this.timeout(20000);
  let rig: Rig | undefined;
  let server: TestServer | undefined;

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    await server?.close();
    server = undefined;
  });

  it('learns the <cid> range from AT#SSLCFG=? (§6.8.1: (1) on the HE910) and refuses another context', async () => {
    rig = await connect('12');
    const cid = rig.adapter.capabilities().profiles.vendorOptions.find((r) => r.name === 'cid');
    assert.deepEqual([cid?.min, cid?.max], [1, 1]);
    await assert.rejects(rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none', vendorOptions: { cid: 2 } })), /vendorOptions\.cid: 2 is outside 1\.\.1/);
    const applied = await rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none' }));
    assert.ok(applied.written > 0);
    assert.equal((await rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none' }))).written, 0, 'nothing written the second time');
  });

  it('learns (1-5) where the guide prints no range for the platform (platform 30 answers as §6.8.2\'s LE866)', async () => {
    rig = await connect('30');
    const cid = rig.adapter.capabilities().profiles.vendorOptions.find((r) => r.name === 'cid');
    assert.deepEqual([cid?.min, cid?.max], [1, 5]);
    await assert.rejects(rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none', vendorOptions: { cid: 6 } })), /vendorOptions\.cid: 6 is outside 1\.\.5/);
  });

  it('25 ThreadX: the suite goes by its hex code, the module takes it, and the handshake uses it', async () => {
    server = await startServer(echo, { ciphers: 'AES128-SHA', maxVersion: 'TLSv1.2' });
    rig = await connect('25-threadx');
    const result = await rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA' }));
    assert.equal(result.applied.cipherSuite, '0x002F');
    assert.equal(telitDevice(rig.modem)?.slot(1).settings.cipherSuite, '0x002F');
    assert.equal((await rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA' }))).written, 0);
    await rig.adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    assert.equal([...server.sockets][0].getCipher().name, 'AES128-SHA');
  });

  it('25 Linux: suite 8 with tlsVersion auto gets <version> 2, the TLS 1.1 its row marks (line 3209)', async () => {
    rig = await connect('25-linux');
    const result = await rig.adapter.applyProfile(readProfile({ profile: '1', verify: 'none', ciphers: 'TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA', tlsVersion: 'auto' }));
    assert.equal(result.applied.versionName, 'TLSv1.1');
    assert.deepEqual([telitDevice(rig.modem)?.slot(1).settings.cipherSuite, telitDevice(rig.modem)?.slot(1).settings.version], ['8', 2]);
  });

  it('security data of an SSId another AT instance enabled: 612, decoded as "Resource used by another instance" (§6.8.1)', async () => {
    rig = await connect('12');
    const other = attachTelitInstance(rig.modem);
    other.receive('AT#SSLEN=1,1\r');
    await other.whenIdle();
    assert.equal(telitDevice(rig.modem)?.slot(1).enabledBy?.modem, other);
    const err = await rig.adapter.removeSecurityData('ca', '1').then(
      () => assert.fail('deleted on a socket another instance holds'),
      (e: unknown) => e as ModemError,
    );
    assert.ok(err instanceof ModemError);
    assert.equal(err.code, 612);
    const decoded = rig.adapter.decodeError({ code: err.code });
    assert.equal(decoded.name, 'Resource used by another instance');
    other.close();
  });

  it('a restart behind a link that stayed open (+CMEE back to 0, #SSLEN lost): the bare ERROR of a send is read as it, the connection ends saying so and the adapter asks to be brought up again; once it is, tls-open enables the socket again (836) and dials', async () => {
    server = await startServer(echo);
    rig = await connect('30');
    const { adapter, modem, engine } = rig;
    await adapter.applyProfile(readProfile({ profile: '1', verify: 'none' }));
    await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    const closed: string[] = [];
    const restarted: string[] = [];
    adapter.on('closed', (socket: string, reason: string) => closed.push(`${socket}: ${reason}`));
    adapter.on('restarted', (reason: string) => restarted.push(reason));

    await modem.reboot();
    const err = await adapter.send('1', Buffer.from('after the restart')).then(
      () => assert.fail('sent on a connection the restart took'),
      (e: unknown) => e as ModemError,
    );
    assert.ok(err instanceof ModemError);
    assert.match(err.message, /^msg\.socket: secure socket 1 is no longer open \(the module restarted \(its \+CMEE setting was back to 0\)\); open it again with tls-open$/);
    assert.deepEqual(closed, ['1: the module restarted (its +CMEE setting was back to 0)']);
    assert.equal(restarted.length, 1);

    // What ModemConnection does on `restarted`: the dialect's start-up commands, then prepare.
    const mark = modem.log.length;
    for (const line of telitDialect.initCommands) await engine.send({ line: { text: line, display: line } });
    await adapter.prepare();
    await adapter.openSocket({ profile: '1', host: '127.0.0.1', port: server.port, mode: 'command' });
    const lines = modem.log.slice(mark).map((e) => e.line);
    const dial = `AT#SSLD=1,${server.port},"127.0.0.1",0,1`;
    assert.deepEqual(lines.filter((l) => /^AT#SSL(D|EN)=\d/.test(l)), [dial, 'AT#SSLEN=1,1', dial]);
    assert.equal(await adapter.send('1', Buffer.from('again')), 5);
  });

  it('a bare ERROR while +CMEE is still set is not a restart: it is passed on as it came', async () => {
    rig = await connect('30');
    const restarted: string[] = [];
    rig.adapter.on('restarted', (reason: string) => restarted.push(reason));
    // A command the module does not know answers a bare ERROR whatever +CMEE says.
    rig.modem.unregister('#SSLSECDATA');
    const err = await rig.adapter.removeSecurityData('ca', '1').then(
      () => assert.fail('removed with a command the module does not know'),
      (e: unknown) => e as ModemError,
    );
    assert.ok(err instanceof ModemError);
    assert.equal(err.code, 'ERROR');
    assert.deepEqual(restarted, []);
  });
});
