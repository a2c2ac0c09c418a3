/**
 * The eS-WiFi adapter against the simulated eS-WiFi, through the real AT engine: both follow
 * seeds/002 and the IWIN command set from their own code, and here they meet — the Wi-Fi join,
 * uploads verified, programmed or refused by the module's one-time-programmable sets, each P9 over
 * real TLS (none, the root CA if programmed, required, a client certificate presented), polled
 * connections carrying every byte value, the server's close, four sockets at once, a module
 * restart, and a trace that never shows the passphrase or a key.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, ModemError, type TraceEntry } from '../../../src/at';
import { EswifiAdapter, eswifiCapabilities } from '../../../src/adapters/eswifi/adapter';
import { eswifiDialect } from '../../../src/adapters/eswifi/dialect';
import type { WifiOptions } from '../../../src/adapters/vendor';
import { SerialLink, TcpLink, type Link } from '../../../src/link';
import { listenTcp, type TcpEndpoint } from '../../../src/simulator';
import { createEswifiModem, eswifiDevice, type EswifiModem, type EswifiModemOptions } from '../../../src/simulator/dialects/eswifi';
import { createTestPki, type TestPki } from '../../../src/simulator/pki';
import { parseSecurityData, toPem, type CertType } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { startEswifiRig, ESWIFI_NETWORK } from '../../support/eswifi-rig';
import { echo, startScriptedServer, type TestServer } from '../../support/scripted-tls-server';

interface Rig {
  modem: EswifiModem;
  adapter: EswifiAdapter;
  engine: AtEngine;
  warnings: string[];
  traces: TraceEntry[];
  /** `closed` events, as `<socket>: <reason>`. */
  closed: string[];
  close(): Promise<void>;
}

const WIFI: WifiOptions = { ssid: ESWIFI_NETWORK.ssid, passphrase: ESWIFI_NETWORK.passphrase, security: ESWIFI_NETWORK.security };
const caps = eswifiCapabilities();
const profile = (own: Record<string, unknown>): ReturnType<typeof readProfile> => readProfile({ tlsVersion: 'auto', ...own }, {}, caps);

let pki: TestPki;

/** An adapter over `link` to `modem`, brought up as the modem connection does. */
async function bringUp(modem: EswifiModem, link: Link, release: () => Promise<void>, wifi: WifiOptions = WIFI): Promise<Rig> {
  const traces: TraceEntry[] = [];
  const engine = new AtEngine({ link, dialect: eswifiDialect, defaultTimeoutMs: 5000, trace: (t) => traces.push(t) });
  await link.open();
  const adapter = new EswifiAdapter(engine, { wifi });
  const warnings: string[] = [];
  const closed: string[] = [];
  adapter.on('warning', (w: string) => warnings.push(w));
  adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
  await adapter.prepare();
  return {
    modem,
    adapter,
    engine,
    warnings,
    traces,
    closed,
    close: async () => {
      await adapter.closeAll().catch(() => undefined);
      engine.close('test over');
      await link.close();
      await release();
      modem.close();
    },
  };
}

/** The simulated module over TCP; a join takes 20 ms. */
async function connect(options: EswifiModemOptions = {}, wifi: WifiOptions = WIFI): Promise<Rig> {
  const modem = createEswifiModem({ joinDelayMs: 20, connectTimeoutMs: 5000, handshakeTimeoutMs: 5000, ...options });
  const endpoint: TcpEndpoint = await listenTcp(modem);
  const link = new TcpLink({ transport: 'tcp', host: endpoint.host, port: endpoint.port });
  return bringUp(modem, link, () => endpoint.close(), wifi);
}

const upload = (rig: Rig, certType: CertType, set: number, pem: string, programOneTime?: boolean) =>
  rig.adapter.uploadSecurityData({ certType, name: String(set), parsed: parseSecurityData(pem, certType), format: 'auto', ...(programOneTime !== undefined ? { vendorOptions: { programOneTime } } : {}) });

async function until(what: string, test: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) assert.fail(`${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('EswifiAdapter with the simulated eS-WiFi', function () {
  this.timeout(30000);
  let rig: Rig | undefined;
  let server: TestServer | undefined;

  before(() => {
    pki = createTestPki({ keyType: 'ec' });
  });

  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    await server?.close();
    server = undefined;
  });

  describe('Wi-Fi', () => {
    it('joins at bring-up without waiting for it (C1..C4, then C0 behind the section); a second bring-up leaves the join alone', async () => {
      rig = await connect();
      const device = eswifiDevice(rig.modem)!;
      const lines = rig.modem.log.map((e) => e.line);
      assert.deepEqual(lines.filter((l) => /^C/.test(l)).slice(0, 5), ['CS', 'C1=sim-wifi', 'C2=<secret>', 'C3=3', 'C4=1']);
      await until('the module joined', () => device.joined !== undefined);
      assert.deepEqual(device.wifi, { ssid: 'sim-wifi', passphrase: 'simulated-pass', security: 3, dhcp: 1 });
      const mark = rig.modem.log.length;
      await rig.adapter.prepare();
      assert.deepEqual(rig.modem.log.slice(mark).map((e) => e.line), ['CS']);
    });

    it('a wrong passphrase: the join fails, a warning says so, and the next open fails with it (never quoting the passphrase)', async () => {
      rig = await connect({}, { ...WIFI, passphrase: 'not-the-passphrase' });
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
      const err = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' }).then(() => null, (e: ModemError) => e);
      assert.equal(err?.line, 'ERROR: Unknown Error');
      assert.match(err!.message, /did not join the Wi-Fi network "sim-wifi"/);
      assert.match(rig.warnings.join('\n'), /did not succeed/);
      for (const text of [err!.message, ...rig.warnings, ...rig.traces.map((t) => t.text)]) assert.ok(!text.includes('not-the-passphrase'));
      assert.equal(rig.adapter.decodeError({ line: err!.line, command: err!.command }).category, 'network');
    });
  });

  describe('certificate sets (one-time programmable on the module)', () => {
    it('refuses an unknown set without programOneTime (nothing sent), programs it with it, and verifies it later by a match', async () => {
      rig = await connect();
      const device = eswifiDevice(rig.modem)!;
      await until('the module joined', () => device.joined !== undefined);
      const mark = rig.modem.log.length;
      await assert.rejects(upload(rig, 'ca', 0, pki.ca.cert), (e: ModemError) => e.field === 'vendorOptions.programOneTime');
      assert.equal(rig.modem.log.length, mark, 'nothing sent');
      assert.equal(device.sets[0].ca === undefined, true);
      const programmed = await upload(rig, 'ca', 0, pki.ca.cert, true);
      assert.deepEqual([programmed.verified, programmed.unchanged], [true, false]);
      const pem = toPem('CERTIFICATE', parseSecurityData(pki.ca.cert, 'ca').der);
      assert.equal(device.sets[0].ca?.toString('latin1'), pem);
      assert.deepEqual(rig.modem.log.slice(mark).map((e) => e.line), ['PF=0', `PG=0,0,${pem.length} <${pem.length} bytes>`]);
      const verified = await upload(rig, 'ca', 0, pki.ca.cert);
      assert.deepEqual([verified.verified, verified.unchanged], [true, true]);
      assert.equal(device.sets[0].ca?.toString('latin1'), pem, 'the set is as it was');
    });

    it('a set another program filled: the same data is a match, other data the module’s mismatch, noted as unknown content', async () => {
      rig = await connect();
      const device = eswifiDevice(rig.modem)!;
      const pem = (text: string) => Buffer.from(toPem('CERTIFICATE', parseSecurityData(text, 'ca').der), 'latin1');
      device.sets[1].ca = pem(pki.ca.cert);
      device.sets[2].ca = pem(pki.unrelatedCa.cert);
      const same = await upload(rig, 'ca', 1, pki.ca.cert, true);
      assert.deepEqual([same.verified, same.unchanged], [true, true]);
      assert.match(same.warnings.join('\n'), /already held exactly this root CA/);
      const err = await upload(rig, 'ca', 2, pki.ca.cert, true).then(() => null, (e: ModemError) => e);
      assert.equal(err?.line, 'ERROR: Certificate Mismatch');
      assert.equal(device.sets[2].ca?.toString('latin1'), pem(pki.unrelatedCa.cert).toString('latin1'), 'nothing changed');
      const listed = await rig.adapter.listSecurityData();
      assert.deepEqual(listed.map((i) => [i.name, i.certType, i.unknownContent ?? false]), [['1', 'ca', false], ['2', 'ca', true]]);
      assert.equal(rig.adapter.decodeError({ line: err!.line, command: err!.command }).category, 'certificate');
      // Without programOneTime the unknown set is refused before anything is sent.
      const mark = rig.modem.log.length;
      await assert.rejects(upload(rig, 'ca', 2, pki.ca.cert), (e: ModemError) => e.field === 'name');
      assert.equal(rig.modem.log.length, mark);
    });

    it('a certificate and its key into one set (the key as PKCS#1/SEC1, never in the trace); a complete firmware flash and firmwareFlashed start again', async () => {
      rig = await connect();
      const device = eswifiDevice(rig.modem)!;
      await assert.rejects(upload(rig, 'key', 2, pki.client.key, true), /program the certificate of set 2 first/);
      await upload(rig, 'cert', 2, pki.client.cert, true);
      await assert.rejects(upload(rig, 'key', 2, pki.server.key, true), /does not belong to the certificate of set 2/);
      const key = await upload(rig, 'key', 2, pki.client.key, true);
      assert.equal(key.unchanged, false);
      const keyText = device.sets[2].key!.toString('latin1');
      assert.match(keyText, /^-----BEGIN EC PRIVATE KEY-----\n/);
      const body = keyText.split('\n').filter((l) => l.length > 20);
      for (const t of rig.traces) for (const l of body) assert.ok(!t.text.includes(l), 'no key bytes in the trace');
      assert.ok(rig.traces.some((t) => t.text === `<${keyText.length} bytes, secret>`));
      assert.ok(rig.modem.log.some((e) => e.line === `PG=2,2,${keyText.length} <${keyText.length} bytes>`));

      device.flashCompleteFirmware();
      await assert.rejects(rig.adapter.removeSecurityData('key', '2'), (e: ModemError) => e.field === 'action');
      await rig.adapter.removeSecurityData('key', '2', { vendorOptions: { firmwareFlashed: true } });
      await rig.adapter.removeSecurityData('cert', '2', { vendorOptions: { firmwareFlashed: true } });
      assert.deepEqual(await rig.adapter.listSecurityData(), []);
      await upload(rig, 'cert', 2, pki.client.cert, true);
      assert.ok(device.sets[2].cert);
    });
  });

  describe('profiles and P9 over real TLS', () => {
    /** Set 0: the right root CA, the client certificate and key; set 1: a root CA that did not sign the server; set 2: nothing. */
    async function programSets(r: Rig): Promise<void> {
      await upload(r, 'ca', 0, pki.ca.cert, true);
      await upload(r, 'cert', 0, pki.client.cert, true);
      await upload(r, 'key', 0, pki.client.key, true);
      await upload(r, 'ca', 1, pki.unrelatedCa.cert, true);
    }

    const open = (r: Rig, set: number, port: number) => r.adapter.openSocket({ profile: String(set), host: '127.0.0.1', port, mode: 'command' });

    it('each P9: 0 accepts any server, 1 checks only with a root CA in the set, 2 needs one and checks it', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
      rig = await connect();
      const device = eswifiDevice(rig.modem)!;
      await programSets(rig);
      const outcome = async (set: number): Promise<string> => {
        try {
          const info = await open(rig!, set, server!.port);
          const last = device.lastHandshake!;
          await rig!.adapter.closeSocket(info.socket);
          return `connected (${last.verified}, P9=${last.verification}, set ${last.set})`;
        } catch (err) {
          return (err as ModemError).line ?? (err as Error).message;
        }
      };

      const none = await rig.adapter.applyProfile(profile({ profile: '2', verify: 'none' }));
      assert.deepEqual(none.applied, { set: 2, P9: 0 });
      assert.equal(await outcome(2), 'connected (nothing, P9=0, set 2)');

      await rig.adapter.applyProfile(profile({ profile: '2', verify: 'server', ca: '2', vendorOptions: { verification: 1 } }));
      assert.equal(await outcome(2), 'connected (nothing, P9=1, set 2)');
      await rig.adapter.applyProfile(profile({ profile: '1', verify: 'server', ca: '1', vendorOptions: { verification: 1 } }));
      assert.equal(await outcome(1), 'ERROR: SSL Handshake Failed');

      const required = await rig.adapter.applyProfile(profile({ profile: '2', verify: 'server', ca: '2' }));
      assert.match(required.warnings.join('\n'), /set 2 holds no root CA this package knows of/);
      assert.equal(await outcome(2), 'ERROR: No Root CA In Set');
      await rig.adapter.applyProfile(profile({ profile: '1', verify: 'server', ca: '1' }));
      assert.equal(await outcome(1), 'ERROR: SSL Handshake Failed');
      const server0 = await rig.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: '0' }));
      assert.deepEqual(server0.warnings, []);
      assert.equal(await outcome(0), 'connected (root-ca, P9=2, set 0)');
      // PF before every P6=1, within the open that selected its socket.
      const lines = rig.modem.log.map((e) => e.line);
      lines.forEach((line, i) => {
        if (line !== 'P6=1') return;
        let start = i;
        while (start > 0 && !lines[start].startsWith('P0=')) start--;
        assert.ok(lines.slice(start, i).some((l) => /^PF=\d$/.test(l)), `PF before the P6=1 at ${i}`);
      });
      // Every failed open left its socket free: all four can still be used.
      assert.deepEqual(device.sockets.map((s) => s.connection?.state ?? 'none'), ['none', 'none', 'none', 'none']);
    });

    it('mutual: the set’s certificate and key are presented to a server that asks for them', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo, { ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true });
      rig = await connect();
      await programSets(rig);
      const applied = await rig.adapter.applyProfile(profile({ profile: '0', verify: 'mutual', ca: '0', cert: '0', key: '0' }));
      assert.deepEqual([applied.applied, applied.warnings, applied.written], [{ set: 0, P9: 2 }, [], 0]);
      const info = await open(rig, 0, server.port);
      assert.match(eswifiDevice(rig.modem)!.lastHandshake!.clientCertificate ?? '', /modem-client/);
      assert.equal(await rig.adapter.send(info.socket, Buffer.from('mutual')), 6);
      assert.equal((await rig.adapter.receive(info.socket, 100, 5000)).toString(), 'mutual');
      await rig.adapter.closeSocket(info.socket);
    });
  });

  describe('connections', () => {
    async function serverSet(r: Rig): Promise<void> {
      await upload(r, 'ca', 0, pki.ca.cert, true);
      await r.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: '0' }));
    }

    it('100 KB of every byte value echoed intact, data holding "\\r\\nOK\\r\\n> " and "-1" included, through a host name D0 resolves', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
      const port = server.port;
      rig = await connect({ resolve: (name) => (name === 'tls.example' ? '93.184.216.34' : undefined), route: (ip, p) => (ip === '93.184.216.34' && p === 443 ? { host: '127.0.0.1', port } : undefined) });
      await serverSet(rig);
      const got: Buffer[] = [];
      rig.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      const info = await rig.adapter.openSocket({ profile: '0', host: 'tls.example', port: 443, mode: 'command' });
      assert.equal(eswifiDevice(rig.modem)!.lastHandshake!.host, '93.184.216.34');
      const tricky = Buffer.from('-1\r\nOK\r\n> -1\r\nERROR: x\r\nUsage: y\r\n> \r\n', 'latin1');
      const pattern = Buffer.from(Array.from({ length: 100 * 1024 }, (_, i) => (i * 7 + (i >> 8)) % 256));
      const payload = Buffer.concat([tricky, pattern, Buffer.from('-1'), tricky]);
      assert.equal(await rig.adapter.send(info.socket, payload), payload.length);
      await until('everything echoed', () => Buffer.concat(got).length >= payload.length, 20000);
      assert.ok(Buffer.concat(got).equals(payload), 'echoed byte for byte');
      const sizes = rig.modem.log.map((e) => /^S3=(\d+) /.exec(e.line)).filter((m) => m !== null).map((m) => Number(m![1]));
      assert.ok(sizes.every((n) => n >= 1 && n <= 1460) && sizes.includes(1460), 'chunks of at most 1460 bytes');
      assert.equal(sizes.reduce((a, b) => a + b, 0), payload.length);
      const alone = Buffer.from('-1');
      got.length = 0;
      await rig.adapter.send(info.socket, alone);
      await until('"-1" echoed', () => Buffer.concat(got).length >= 2);
      assert.deepEqual(Buffer.concat(got), alone, '"-1" alone, from a connected socket, is data');
      await rig.adapter.closeSocket(info.socket);
      assert.deepEqual(rig.closed, ['0: closed by the flow']);
      assert.equal(eswifiDevice(rig.modem)!.sockets[0].connection, undefined);
    });

    it('the server closes: what it sent arrives, then `closed` (closed by the server); a later send says so', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, (socket) => {
        socket.end('goodbye\r\nOK\r\n> ');
      });
      rig = await connect();
      await serverSet(rig);
      const got: Buffer[] = [];
      rig.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      const info = await rig.adapter.openSocket({ profile: '0', host: 'localhost', port: server.port, mode: 'command', vendorOptions: { pollMs: 50 } });
      await until('the close seen', () => rig!.closed.length > 0);
      assert.equal(Buffer.concat(got).toString('latin1'), 'goodbye\r\nOK\r\n> ');
      assert.deepEqual(rig.closed, [`${info.socket}: closed by the server`]);
      await assert.rejects(rig.adapter.send(info.socket, Buffer.from('late')), (e: ModemError) => e.field === 'msg.socket' && /no longer open \(closed by the server\)/.test(e.message));
      // Closing it is no error: the goal is reached.
      await rig.adapter.closeSocket(info.socket);
      assert.equal(eswifiDevice(rig.modem)!.sockets[Number(info.socket)].connection, undefined, 'stopped on the module');
    });

    it('four sockets at once, each with its own data; a fifth is refused before anything is sent', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
      rig = await connect();
      await serverSet(rig);
      const sockets = await Promise.all([0, 1, 2, 3].map(() => rig!.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server!.port, mode: 'command' })));
      assert.deepEqual(sockets.map((s) => s.socket).sort(), ['0', '1', '2', '3']);
      const mark = rig.modem.log.length;
      await assert.rejects(rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' }), (e: ModemError) => e.field === 'socket' && /4 sockets and 4 are open/.test(e.message));
      assert.equal(rig.modem.log.length, mark);
      await Promise.all(sockets.map((s) => rig!.adapter.send(s.socket, Buffer.from(`socket ${s.socket} `.repeat(300)))));
      for (const s of sockets) {
        const want = `socket ${s.socket} `.repeat(300);
        let back = '';
        while (back.length < want.length) {
          const part = await rig.adapter.receive(s.socket, 4096, 5000);
          if (part.length === 0) break;
          back += part.toString();
        }
        assert.equal(back, want);
      }
      await rig.adapter.closeAll();
      assert.equal(rig.closed.length, 4);
    });

    it('a module restart: its connections end (seen by the poller, or at the next bring-up), the join is made again, the sets are kept', async () => {
      server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
      rig = await connect();
      await serverSet(rig);
      const device = eswifiDevice(rig.modem)!;
      const info = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
      await rig.modem.reboot();
      await rig.adapter.prepare();
      // The module says nothing when it restarts: a read in between finds the socket gone and CS the join, else the bring-up ends it.
      assert.equal(rig.closed.length, 1);
      assert.match(rig.closed[0], new RegExp(`^${info.socket}: (the module is no longer joined to the Wi-Fi network \\(it restarted, or lost the access point\\): open it again|the modem was brought up again)$`));
      const again = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
      assert.ok(device.joined, 'joined again before the open');
      assert.equal(await rig.adapter.send(again.socket, Buffer.from('after')), 5);
      assert.equal((await rig.adapter.receive(again.socket, 100, 5000)).toString(), 'after');
      // The set programmed before the restart is still verified by a match.
      assert.equal((await upload(rig, 'ca', 0, pki.ca.cert)).unchanged, true);
    });
  });

  it('the trace never shows the passphrase or key bytes; the module’s log shows C2 as a secret', async () => {
    rig = await connect();
    await until('the module joined', () => eswifiDevice(rig!.modem)!.joined !== undefined);
    await upload(rig, 'cert', 1, pki.client.cert, true);
    await upload(rig, 'key', 1, pki.client.key, true);
    const keyLines = eswifiDevice(rig.modem)!.sets[1].key!.toString('latin1').split('\n').filter((l) => l.length > 20);
    assert.ok(rig.traces.some((t) => t.dir === 'tx' && t.text === 'C2=***'));
    for (const t of rig.traces) {
      assert.ok(!t.text.includes(ESWIFI_NETWORK.passphrase), `no passphrase in ${t.text}`);
      for (const l of keyLines) assert.ok(!t.text.includes(l));
    }
    assert.ok(rig.modem.log.some((e) => e.line === 'C2=<secret>'));
    assert.ok(!rig.modem.log.some((e) => e.line.includes(ESWIFI_NETWORK.passphrase)));
  });

  it('over a real serial port (pseudo-terminal): join, program, open, echo, close', async () => {
    const pty = startEswifiRig();
    server = await startScriptedServer({ cert: pki.server.cert, key: pki.server.key }, echo);
    const link = new SerialLink({ transport: 'serial', path: pty.linkPath, baudRate: 115200 });
    rig = await bringUp(pty.modem as EswifiModem, link, () => pty.close());
    await upload(rig, 'ca', 0, pki.ca.cert, true);
    await rig.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: '0' }));
    const info = await rig.adapter.openSocket({ profile: '0', host: '127.0.0.1', port: server.port, mode: 'command' });
    const payload = Buffer.from(Array.from({ length: 4000 }, (_, i) => i % 256));
    assert.equal(await rig.adapter.send(info.socket, payload), payload.length);
    const got: Buffer[] = [];
    while (Buffer.concat(got).length < payload.length) {
      const part = await rig.adapter.receive(info.socket, 65536, 5000);
      if (part.length === 0) break;
      got.push(part);
    }
    assert.ok(Buffer.concat(got).equals(payload));
    await rig.adapter.closeSocket(info.socket);
    assert.equal(pty.device.sets[0].ca !== undefined, true);
  });
});
