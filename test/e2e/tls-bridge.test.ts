/**
 * The tls bridge with plain TCP clients: a local port whose connections a simulated module carries
 * over TLS, in a real Node-RED, over the real serialport on a pty, to real TLS servers. What any
 * local client relies on: every byte both ways (binary, in order), each side's close ending the
 * other, the connection limit, the mode chosen, settings refused at deploy with nothing sent to the
 * module, and the Catch node told of every failure. The MQTT and TCP nodes of Node-RED through the
 * bridge are in `bridge-mqtt.test.ts`.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { binaryPayload, flowSuite } from '../support/e2e-flows';
import { faultGuards } from '../support/fault-guards';
import { callsOf, statusOf, until, type Msg } from '../support/flow-probe';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig } from '../support/ublox-rig';
import type { ModemRig } from '../support/modem-rig';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A local client of the bridge that keeps what it receives and knows when the bridge ended it. */
interface Client {
  socket: net.Socket;
  received(): Buffer;
  /** Resolves once `n` bytes have arrived. */
  bytes(n: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves once the bridge has ended the connection (end or reset). */
  ended: Promise<void>;
}

function connect(port: number): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const parts: Buffer[] = [];
    let size = 0;
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (data: Buffer) => {
      parts.push(data);
      size += data.length;
    });
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({
      socket,
      received: () => Buffer.concat(parts),
      bytes: async (n, timeoutMs = 30000) => {
        await until(`${n} bytes through the bridge (have ${size})`, () => size >= n, timeoutMs);
        return Buffer.concat(parts);
      },
      ended,
    }));
    socket.once('error', reject);
  });
}

/**
 * What the Catch node sent for a failure of `source`, from the start of the deploy on: settings are
 * refused while the flow starts, before a probe watches.
 */
async function caughtFrom(source: string): Promise<Msg> {
  const of = (): Msg | undefined => callsOf('catch', 'send').map((args) => args[0] as Msg).find((m) => m.error?.source?.id === source);
  await until(`the Catch node's message for ${source}`, () => of() !== undefined);
  return of()!;
}

const OUTPUTS = ['bridged', 'caught', 'decoded', 'loaded', 'applied', 'answer', 'received', 'sent', 'closedByFlow'] as const;

interface Vendor {
  label: string;
  rig(): ModemRig;
  /** load-cert and tls-profile settings for a server-verified profile; the profile id the bridge uses. */
  load: Record<string, unknown>;
  profile: Record<string, unknown> & { profile: string };
  /** The mode `auto` gives with one connection. */
  autoMode: 'command' | 'online';
}

const VENDORS: Vendor[] = [
  {
    label: 'u-blox',
    rig: () => startUbloxRig(),
    load: { name: 'demo-ca', format: 'auto' },
    profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' },
    autoMode: 'command',
  },
  {
    label: 'Telit',
    rig: () => startTelitRig({ platform: '30', escapeGuardMs: 100 }),
    load: { name: '1' },
    // ONLINE mode sends what does not fill a packet after txTo tenths of a second (5 s by default).
    profile: { profile: '1', ca: '1', vendorOptions: '{"txTo": 1}' },
    autoMode: 'online',
  },
];

for (const vendor of VENDORS) {
  describe(`tls bridge, ${vendor.label}: plain TCP clients through the module's TLS`, function () {
    this.timeout(60000);
    const e2e = flowSuite<ModemRig>({ tab: `bridge ${vendor.label}`, outputs: OUTPUTS });
    faultGuards();

    function flow(listenPort: number, serverPort: number, bridge: Record<string, unknown> = {}): Record<string, unknown>[] {
      return [
        { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', ...vendor.load, wires: [['loaded']] },
        {
          id: 'profile', type: 'modem-tls-profile', modem: 'cfg', verify: 'server', cert: '', key: '', checkHostname: true, checkDate: true,
          tlsVersion: '1.2', ciphers: 'auto', sni: true, vendorOptions: '', ...vendor.profile, wires: [['applied']],
        },
        {
          id: 'bridge', type: 'modem-tls-bridge', modem: 'cfg', profile: vendor.profile.profile, host: '127.0.0.1', port: String(serverPort),
          listenHost: '127.0.0.1', listenPort: String(listenPort), exposed: false, connections: '1', mode: 'auto', timeout: '', vendorOptions: '', wires: [['bridged']], ...bridge,
        },
        { id: 'at', type: 'modem-at-command', modem: 'cfg', command: '', wires: [['answer']] },
        // Flow nodes of the same modem: every socket's data, sends and closes by msg.socket.
        { id: 'recv', type: 'modem-tls-recv', modem: 'cfg', socket: '', wires: [['received']] },
        { id: 'send', type: 'modem-tls-send', modem: 'cfg', socket: '', wires: [['sent']] },
        { id: 'close', type: 'modem-tls-close', modem: 'cfg', socket: '', wires: [['closedByFlow']] },
        { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught', 'decode']] },
        { id: 'decode', type: 'modem-error-decode', modem: 'cfg', wires: [['decoded']] },
        ...OUTPUTS.map((id) => ({ id, type: 'helper' })),
      ];
    }

    async function ready(bridge: Record<string, unknown> = {}): Promise<{ rig: ModemRig; listenPort: number; server: Awaited<ReturnType<ModemRig['server']>> }> {
      const rig = e2e.use(vendor.rig());
      const server = await rig.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      const listenPort = await freePort();
      await e2e.start(flow(listenPort, server.port, bridge));
      await e2e.provision();
      await statusOf('bridge', (s) => s.text === `listening on 127.0.0.1:${listenPort}`);
      return { rig, listenPort, server };
    }

    it(`carries 100 KB of every byte value both ways in ${vendor.autoMode === 'online' ? 'ONLINE mode (auto, one connection)' : 'command mode'}; the client's close closes the TLS connection`, async () => {
      const { listenPort, server } = await ready();
      const client = await connect(listenPort);
      const opened = await e2e.probe.next('bridged', (m) => m.topic === 'open');
      assert.equal(opened.payload.mode, vendor.autoMode);
      assert.equal(opened.payload.host, '127.0.0.1');
      assert.match(opened.payload.client, /^127\.0\.0\.1:\d+$/);
      // NO CARRIER is how ONLINE mode ends: in the middle of the data it is data.
      const data = binaryPayload({ seed: 0x7f4a7c15, traps: ['\r\nOK\r\n', '+++', '\r\nNO CARRIER\r\n', '\r\nNO CARRIER: 1,2\r\n', '\x1a', '\x1b', '@', '"'], spacing: 4099 }, 100 * 1024);
      client.socket.write(data);
      const echoed = await client.bytes(data.length, 120000);
      assert.ok(echoed.equals(data), 'the echo is byte for byte what was sent');
      await statusOf('bridge', (s) => s.fill === 'green' && s.shape === 'dot' && /^1\/1 open · ↑ 102\.4 kB ↓ 102\.4 kB$/.test(s.text ?? ''));

      client.socket.end();
      // Leaving ONLINE mode waits for the escape's guard time after the last byte the line carried,
      // counted at the configured line rate (the simulated line is faster than the rate it reports).
      const closed = await e2e.probe.next('bridged', (m) => m.topic === 'closed', 30000);
      assert.equal(closed.payload.by, 'client');
      assert.equal(closed.payload.bytesUp, data.length);
      assert.equal(closed.payload.bytesDown, data.length);
      assert.equal(closed.payload.socket, opened.payload.socket);
      await until('the module closed its TLS connection', () => server.openConnections === 0, 20000);
      await statusOf('bridge', (s) => s.text === `listening on 127.0.0.1:${listenPort}`);
      // The modem is free for other nodes again.
      const answer = await e2e.probe.run('at', { payload: 'AT' }, 'answer');
      assert.equal(answer.final, 'OK');
    });

    it('the server closing ends the local connection; a second connection opens again', async () => {
      const { listenPort, server } = await ready();
      let serverSide: import('node:tls').TLSSocket | undefined;
      server.once('connection', (tlsSocket) => {
        serverSide = tlsSocket;
        tlsSocket.write('bye from the server\n');
      });
      const first = await connect(listenPort);
      assert.equal((await first.bytes(20)).toString(), 'bye from the server\n');
      serverSide!.end();
      await first.ended;
      const closed = await e2e.probe.next('bridged', (m) => m.topic === 'closed');
      assert.equal(closed.payload.by, 'server');
      assert.equal(closed.payload.bytesDown, 'bye from the server\n'.length);

      const second = await connect(listenPort);
      second.socket.write('again\n');
      assert.equal((await second.bytes(6)).toString(), 'again\n');
      second.socket.destroy();
      await e2e.probe.next('bridged', (m) => m.topic === 'closed' && m.payload.by === 'client');
    });

    it('the connection is the local client’s alone: tls-recv never shows its bytes or its end, tls-send and tls-close refuse its socket', async () => {
      const { listenPort } = await ready();
      const client = await connect(listenPort);
      const opened = await e2e.probe.next('bridged', (m) => m.topic === 'open');
      const socket = opened.payload.socket as string;
      client.socket.write('private line\n');
      assert.equal((await client.bytes(13)).toString(), 'private line\n');
      for (const node of ['send', 'close']) {
        const caught: Msg = await e2e.probe.failure(node, { socket, payload: 'injected' });
        assert.equal(caught.modemError.field, 'msg.socket');
        assert.match(caught.modemError.message, new RegExp(`^msg\\.socket: socket ${socket} is carried by a tls bridge`));
      }
      client.socket.write('still private\n');
      assert.equal((await client.bytes(27)).toString(), 'private line\nstill private\n', 'nothing was injected into the connection');
      client.socket.end();
      await e2e.probe.next('bridged', (m) => m.topic === 'closed', 30000);
      assert.deepEqual(e2e.probe.all('received'), [], 'tls-recv showed nothing of the bridged connection');
      assert.deepEqual(e2e.probe.all('sent'), []);
    });

    it('a server that answers and closes at once: the client gets every byte, then the end', async () => {
      const { listenPort, server } = await ready();
      const answer = binaryPayload({ seed: 0x51ed270b, traps: ['\r\nOK\r\n', '\r\nNO CARRIER\r\n'], spacing: 997 }, 6000);
      server.once('connection', (tlsSocket) => tlsSocket.end(answer));
      const client = await connect(listenPort);
      await client.ended;
      assert.ok(client.received().equals(answer), `the client got ${client.received().length} of ${answer.length} bytes, in order`);
      const closed = await e2e.probe.next('bridged', (m) => m.topic === 'closed', 30000);
      assert.equal(closed.payload.by, 'server');
      assert.equal(closed.payload.bytesDown, answer.length);
    });

    it('a connection beyond the limit is refused at once, and a Catch node is told, naming connections', async () => {
      const { listenPort } = await ready();
      const first = await connect(listenPort);
      await e2e.probe.next('bridged', (m) => m.topic === 'open');
      const second = await connect(listenPort);
      await second.ended;
      const caught: Msg = await e2e.probe.next('caught');
      assert.equal(caught.modemError.field, 'connections');
      assert.match(caught.modemError.message, /^connections: the bridge carries at most 1 connection at once .*refused$/);
      assert.match(caught.payload.client, /^127\.0\.0\.1:\d+$/);
      // The first one is untouched.
      first.socket.write('still here\n');
      assert.equal((await first.bytes(11)).toString(), 'still here\n');
      first.socket.destroy();
      await e2e.probe.next('bridged', (m) => m.topic === 'closed');
    });

    it('a TLS connection the module cannot open ends the local one and reaches Catch and error-decode', async () => {
      const { listenPort } = await ready({ port: String(await freePort()) });
      const client = await connect(listenPort);
      await client.ended;
      const caught: Msg = await e2e.probe.next('caught', undefined, 60000);
      assert.equal(caught.modemError.vendor, vendor.label === 'Telit' ? 'telit' : 'ublox');
      assert.match(caught.payload.client, /^127\.0\.0\.1:\d+$/);
      const decoded = await e2e.probe.next('decoded', (m) => m._msgid === caught._msgid);
      assert.equal(decoded.payload.vendor, caught.modemError.vendor);
      const closed = await e2e.probe.next('bridged', (m) => m.topic === 'closed');
      assert.equal(closed.payload.by, 'bridge');
      assert.equal(closed.payload.socket, '');
    });
  });
}

describe('tls bridge settings: refused at deploy, naming the field, with nothing sent to the module', function () {
  this.timeout(30000);
  const e2e = flowSuite<ModemRig>({ tab: 'bridge settings', outputs: ['caught'] });
  faultGuards();

  const cases: Array<{ title: string; bridge: Record<string, unknown>; field: string; text: RegExp }> = [
    { title: 'a non-loopback address without exposed', bridge: { listenHost: '0.0.0.0' }, field: 'listenHost', text: /^listenHost: 0\.0\.0\.0 is not a loopback address.*tick "exposed"/ },
    { title: 'port 0', bridge: { listenPort: '0' }, field: 'listenPort', text: /^listenPort: 0 is outside 1\.\.65535/ },
    { title: 'more connections than the module has sockets', bridge: { connections: '9' }, field: 'connections', text: /^connections: 9 is outside 1\.\.4 \(/ },
    { title: 'online on a module without it', bridge: { mode: 'online' }, field: 'mode', text: /^mode: "online" is not offered by u-blox/ },
    { title: 'a profile the module does not have', bridge: { profile: '9' }, field: 'profile', text: /^profile: 9 is outside 0\.\.4/ },
    { title: 'no host', bridge: { host: '' }, field: 'host', text: /^host: is required/ },
    { title: 'a host with CR LF and a command after it', bridge: { host: 'example.com\r\nAT+CFUN=0' }, field: 'host', text: /^host: must not contain carriage return \(CR\)/ },
    { title: 'a host with "č" (latin1 would send 0x0D)', bridge: { host: 'ex\u010dmple.com' }, field: 'host', text: /^host: .*printable ASCII .*"č" \(U\+010D\)/ },
    { title: 'a listen address that is no address', bridge: { listenHost: 'local host', exposed: true }, field: 'listenHost', text: /^listenHost: is not an address to listen on \(letters, digits/ },
    { title: 'an open timeout under 100 ms', bridge: { timeout: '50' }, field: 'timeout', text: /^timeout: 50 ms is outside 100\.\.600000 ms/ },
    { title: 'a vendor option u-blox does not have', bridge: { vendorOptions: '{"resume": true}' }, field: 'vendorOptions.resume', text: /^vendorOptions\.resume: is not an option of u-blox/ },
  ];

  for (const c of cases) {
    it(c.title, async () => {
      const rig = e2e.use(startUbloxRig());
      const listenPort = await freePort();
      const nodes = [
        { id: 'bridge', type: 'modem-tls-bridge', modem: 'cfg', profile: '0', host: '127.0.0.1', port: '8883', listenHost: '127.0.0.1', listenPort: String(listenPort), exposed: false, connections: '1', mode: 'auto', timeout: '', vendorOptions: '', wires: [], ...c.bridge },
        { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ];
      await e2e.start(nodes);
      const caught = await caughtFrom('bridge');
      assert.equal(caught.modemError.kind, 'PARAMETER');
      assert.equal(caught.modemError.field, c.field);
      assert.match(caught.modemError.message, c.text);
      assert.equal(caught.error.message, `ModemError: ${caught.modemError.message}`);
      await statusOf('bridge', (s) => s.fill === 'red' && s.text!.startsWith(`${c.field}:`));
      // Nothing listens, and the module got nothing but its bring-up.
      await assert.rejects(connect(listenPort), /ECONNREFUSED/);
      assert.ok(!rig.modem.log.some((entry) => /USOCR|USOSEC|USOCO/.test(entry.line)), 'no socket command reached the module');
    });
  }

  it('online with two connections is refused on a module that has it (Telit), naming mode', async () => {
    const rig = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
    const listenPort = await freePort();
    await e2e.start([
      { id: 'bridge', type: 'modem-tls-bridge', modem: 'cfg', profile: '1', host: '127.0.0.1', port: '8883', listenHost: '127.0.0.1', listenPort: String(listenPort), exposed: false, connections: '2', mode: 'online', timeout: '', vendorOptions: '', wires: [] },
      { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const caught = await caughtFrom('bridge');
    assert.equal(caught.modemError.field, 'mode');
    assert.match(caught.modemError.message, /^mode: online gives the serial link to one connection, and connections is 2/);
    assert.ok(!rig.modem.log.some((entry) => /SSLD|SSLO/.test(entry.line)), 'nothing was opened');
  });

  it('a port already taken is reported naming listenPort; exposed on 0.0.0.0 listens with a yellow status and a warning', async () => {
    e2e.use(startUbloxRig());
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const takenPort = (taken.address() as net.AddressInfo).port;
    const open = await freePort();
    try {
      await e2e.start([
        { id: 'bridge', type: 'modem-tls-bridge', modem: 'cfg', profile: '0', host: '127.0.0.1', port: '8883', listenHost: '127.0.0.1', listenPort: String(takenPort), exposed: false, connections: '1', mode: 'auto', timeout: '', vendorOptions: '', wires: [] },
        { id: 'wide', type: 'modem-tls-bridge', modem: 'cfg', profile: '0', host: '127.0.0.1', port: '8883', listenHost: '0.0.0.0', listenPort: String(open), exposed: true, connections: '1', mode: 'auto', timeout: '', vendorOptions: '', wires: [] },
        { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'helper' },
      ]);
      const caught = await caughtFrom('bridge');
      assert.equal(caught.modemError.field, 'listenPort');
      assert.equal(caught.modemError.message, `listenPort: 127.0.0.1:${takenPort} is already in use on this machine (another program or node listens there)`);
      await statusOf('wide', (s) => s.fill === 'yellow' && s.text === `listening on 0.0.0.0:${open} (reachable from the network)`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
