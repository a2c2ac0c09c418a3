/**
 * The tls bridge with Node-RED's own network nodes, for every vendor: a real Node-RED runs the
 * core `mqtt-broker`, `mqtt in`, `mqtt out` and `tcp request` nodes (10-mqtt.js, 31-tcpin.js of the
 * runtime under test) against a `modem-tls-bridge` on 127.0.0.1; the bridge carries each local
 * connection over the simulated module — the real `serialport` on a pseudo-terminal — which opens
 * a real mutual-TLS connection with the client certificate and key it was given by load-cert, to a
 * real MQTT broker (aedes) that refuses any client without a certificate from the test CA, and to
 * a TLS echo server.
 *
 * Per vendor: publish and subscribe round trips at QoS 0 and QoS 1 (binary payloads, in order), the
 * broker's view of the certificate the module presented, the bridge's mode, a connection beyond
 * `connections` refused at once with an error a Catch node gets, the modem link pulled and put back
 * with the MQTT node reconnecting by itself (no redeploy), and a `tcp request` round trip. Then a
 * local client that reads nothing while the server sends: a module that can hold keeps the data
 * (and gives it all, in order, once the client reads); a module that cannot gets its connection
 * ended by the bridge once more than 1 MiB waits. `faultGuards` checks after each test that every
 * message was completed, no rejection went unhandled and no handle outlived it.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import helper, { freshUserDirEachTest } from '../support/red-helper';
import { modemReady, statusOf, until, type FlowNode, type Msg, type Probe } from '../support/flow-probe';
import { flowSuite, xorshift32, type FlowSuite } from '../support/e2e-flows';
import { assertSequence, assertSequencePrefix, faultGuards, numberedStream } from '../support/fault-guards';
import { startMqttBroker, type MqttBroker } from '../support/mqtt-broker';
import { ALL_NODES, coreNode } from '../support/nodes';
import type { ModemRig } from '../support/modem-rig';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig, type UbloxRig } from '../support/ublox-rig';
import { startFibocomRig } from '../support/fibocom-rig';
import { startXbee3Rig } from '../support/xbee3-rig';
import { ESWIFI_CREDENTIALS, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';

/** What differs by vendor: the module, where its CA, certificate and key go, and its mutual-TLS profile. */
interface VendorSetup {
  vendor: string;
  label: string;
  rig(): ModemRig;
  /** Deploy credentials (the eS-WiFi passphrase). */
  credentials?: Record<string, unknown>;
  /** The TLS profile the tls-profile node writes and the bridge opens with. */
  profile: string;
  /** load-cert names of the CA, the client certificate and its key. */
  names: { ca: string; cert: string; key: string };
  /** load-cert message fields for each item (one-time programming of an eS-WiFi set). */
  loadMsg?: Msg;
  /** The tls-profile node's fields for mutual TLS. */
  tlsProfile: FlowNode;
  /** The mode `auto` picks with one connection: ONLINE/transparent where the vendor has it. */
  mode: 'online' | 'command';
  /** Waits for what the module needs before provisioning (the eS-WiFi join). */
  ready?(rig: ModemRig): Promise<void>;
}

const VENDORS: VendorSetup[] = [
  {
    vendor: 'telit', label: 'Telit (platform 30)',
    rig: () => startTelitRig({ platform: '30', escapeGuardMs: 100 }),
    profile: '1',
    names: { ca: '1', cert: '1', key: '1' },
    // ONLINE mode sends what the host wrote once <pktSz> bytes are together or <txTo> has passed
    // (§7.1.1; 5 s by default): 100 ms, so that MQTT's short packets do not wait seconds each.
    tlsProfile: { ca: '1', cert: '1', key: '1', vendorOptions: '{"txTo": 1}' },
    mode: 'online',
  },
  {
    vendor: 'ublox', label: 'u-blox (SARA-R5)',
    rig: () => startUbloxRig(),
    profile: '0',
    names: { ca: 'demo-ca', cert: 'modem-cert', key: 'modem-key' },
    tlsProfile: { ca: 'demo-ca', cert: 'modem-cert', key: 'modem-key', hostname: '', alpn: '' },
    mode: 'command',
  },
  {
    vendor: 'fibocom', label: 'Fibocom (L610)',
    rig: () => startFibocomRig(),
    profile: '1',
    names: { ca: 'demo-ca', cert: 'modem-cert', key: 'modem-key' },
    tlsProfile: { ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' },
    mode: 'command',
  },
  {
    // Transparent mode uses TLS profile 0.
    vendor: 'xbee3', label: 'XBee3 Cellular (LTE-M)',
    rig: () => startXbee3Rig(),
    profile: '0',
    names: { ca: 'ca.pem', cert: 'client.pem', key: 'client.key' },
    tlsProfile: { ca: 'ca.pem', cert: 'client.pem', key: 'client.key', hostname: '', checkHostname: false, sni: true, alpn: '' },
    mode: 'online',
  },
  {
    vendor: 'eswifi', label: 'eS-WiFi (ISM43362)',
    rig: () => startEswifiRig(),
    credentials: ESWIFI_CREDENTIALS,
    profile: '0',
    names: { ca: '0', cert: '0', key: '0' },
    loadMsg: { vendorOptions: { programOneTime: true } },
    tlsProfile: { ca: '0', cert: '0', key: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' },
    mode: 'command',
    ready: (r) => until('the module to join', () => (r as EswifiRig).device.joined !== undefined),
  },
];

/** The helper's settings: with an argument, merged over Node-RED's defaults for the next deploy. */
const settings = helper.settings.bind(helper) as unknown as (s?: Record<string, unknown>) => Record<string, unknown>;

const byVendor = (vendor: string): VendorSetup => VENDORS.find((v) => v.vendor === vendor)!;

/** The helper nodes: load-cert, tls-profile, the bridges' messages, MQTT in, tcp request, Catch. */
const OUT = ['loaded', 'applied', 'events', 'got', 'tcpOut', 'caught'] as const;

/** Node-RED's MQTT and TCP nodes, from the runtime under test. */
const CORE_NETWORK = [coreNode('network/10-mqtt.js'), coreNode('network/31-tcpin.js')];

/** A TCP port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Message `seq` of a run: a header, every byte value (rotated by `seq`), then pseudo-random bytes,
 * with what an AT parser or a data mode could trip over in the middle.
 */
function payload(seq: number, size = 600): Buffer {
  const head = Buffer.from(`#${String(seq).padStart(4, '0')}:`, 'latin1');
  const every = Buffer.from(Array.from({ length: 256 }, (_, i) => (i + seq) & 0xff));
  const traps = Buffer.from('\r\nOK\r\n+++NO CARRIER\r\n\x1a\x1b\x7e\x7d\r\n> ', 'latin1');
  const rest = Math.max(0, size - head.length - every.length - traps.length);
  const random = Buffer.from(Array.from(xorshift32(0x9e3779b9 + seq, rest), (s) => s & 0xff));
  return Buffer.concat([head, every.subarray(0, 128), traps, every.subarray(128), random]);
}

interface FlowPorts {
  /** The broker, and the bridge that carries the MQTT node to it. */
  brokerPort: number;
  mqttPort: number;
  /** The TLS echo server, and the bridge the tcp request node goes through. */
  echoPort: number;
  tcpPort: number;
  clientId: string;
  /** Bytes the tcp request node waits for before it answers. */
  tcpBytes: number;
}

/**
 * load-cert, tls-profile, the bridge to the broker (`bridge`) and to the echo server (`echoBridge`),
 * the MQTT config (connected on demand: the module has no certificate before provisioning), an
 * `mqtt out`, an `mqtt in` per QoS (payloads as Buffers), a `tcp request` (answers after
 * `tcpBytes`), a Catch for the tab and the helper nodes.
 */
function bridgeFlow(v: VendorSetup, p: FlowPorts): FlowNode[] {
  const bridge = (id: string, port: number, listenPort: number): FlowNode => ({
    id, type: 'modem-tls-bridge', name: '', modem: 'cfg', profile: v.profile, host: '127.0.0.1', port, listenHost: '127.0.0.1', listenPort,
    exposed: false, connections: 1, mode: 'auto', timeout: '', vendorOptions: '', wires: [['events']],
  });
  return [
    { id: 'load', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: v.names.ca, format: 'auto', vendorOptions: '', wires: [['loaded']] },
    {
      id: 'profile', type: 'modem-tls-profile', modem: 'cfg', profile: v.profile, verify: 'mutual', checkHostname: true, checkDate: true,
      tlsVersion: '1.2', ciphers: 'auto', sni: true, vendorOptions: '', ...v.tlsProfile, wires: [['applied']],
    },
    bridge('bridge', p.brokerPort, p.mqttPort),
    bridge('echoBridge', p.echoPort, p.tcpPort),
    {
      id: 'mqttBroker', type: 'mqtt-broker', name: 'through the modem', broker: '127.0.0.1', port: String(p.mqttPort), clientid: p.clientId,
      autoConnect: false, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true,
    },
    { id: 'mqttOut', type: 'mqtt out', broker: 'mqttBroker', topic: '', qos: '', retain: '', wires: [] },
    { id: 'mqttIn0', type: 'mqtt in', broker: 'mqttBroker', topic: 'bridge/q0', qos: '0', datatype: 'buffer', inputs: 0, wires: [['got']] },
    { id: 'mqttIn1', type: 'mqtt in', broker: 'mqttBroker', topic: 'bridge/q1', qos: '1', datatype: 'buffer', inputs: 0, wires: [['got']] },
    { id: 'tcp', type: 'tcp request', server: '127.0.0.1', port: String(p.tcpPort), out: 'count', splitc: String(p.tcpBytes), ret: 'buffer', wires: [['tcpOut']] },
    { id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    ...OUT.map((id) => ({ id, type: 'helper' })),
  ];
}

/** Loads the CA, the client certificate and its key (checked against the certificate), and applies the mutual profile. */
async function provision(v: VendorSetup, e2e: FlowSuite<ModemRig>): Promise<void> {
  const { pki, probe } = e2e;
  const items = [
    { certType: 'ca', name: v.names.ca, payload: pki.ca.cert },
    { certType: 'cert', name: v.names.cert, payload: pki.client.cert },
    { certType: 'key', name: v.names.key, payload: pki.client.key, cert: pki.client.cert },
  ];
  for (const item of items) {
    const loaded = await probe.run('load', { ...item, ...v.loadMsg }, 'loaded', { timeoutMs: 30000 });
    assert.equal(loaded.payload.certType, item.certType);
  }
  await probe.run('profile', {}, 'applied', { timeoutMs: 15000 });
}

/** Publishes each payload on `topic` at `qos` with the `mqtt out` node, and checks that `mqtt in` hands them back whole and in order. */
async function roundTrip(probe: Probe, topic: string, qos: 0 | 1, payloads: Buffer[]): Promise<void> {
  for (const data of payloads) helper.getNode('mqttOut').receive({ topic, qos, payload: data });
  for (const [i, data] of payloads.entries()) {
    const got = await probe.next('got', (m) => m.topic === topic, 30000);
    assert.ok(Buffer.isBuffer(got.payload), `message ${i} on ${topic} is a Buffer`);
    assert.ok(got.payload.equals(data), `message ${i} on ${topic}: ${got.payload.length} bytes, ${got.payload.subarray(0, 6).toString('latin1')}…, expected ${data.subarray(0, 6).toString('latin1')}…`);
    assert.equal(got.qos, qos);
  }
}

/** The open sockets of this process on local port `localPort` from `remotePort` (the bridge's side of a local connection), found among its handles. */
function localSocketsOf(localPort: number, remotePort: number): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is net.Socket => h instanceof net.Socket && !h.destroyed && h.localPort === localPort && h.remotePort === remotePort);
}

/** Connects to `port` and resolves when the connection ends, with its local address and the bytes that arrived first. */
function connectAndWaitEnd(port: number, sockets: Set<net.Socket>): Promise<{ client: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    sockets.add(socket);
    let bytes = 0;
    let client = '';
    socket.on('connect', () => {
      client = `127.0.0.1:${socket.localPort}`;
    });
    socket.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (!client) reject(new Error(`the connection to ${port} was never accepted`));
      else resolve({ client, bytes });
    });
  });
}

/** A TLS client that trusts the broker but has no certificate of its own: resolves once the broker has closed it. */
function connectsWithoutCertificate(broker: MqttBroker, ca: string, sockets: Set<net.Socket>): Promise<void> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: broker.host, port: broker.port, ca });
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      resolve();
    });
  });
}

for (const v of VENDORS) {
  describe(`tls bridge with Node-RED's MQTT and TCP nodes: ${v.label}`, function () {
    this.timeout(180000);
    const e2e = flowSuite<ModemRig>({ tab: `bridge ${v.vendor}`, pki: { keyType: 'rsa' }, outputs: OUT });
    freshUserDirEachTest(`modem-tls-bridge-${v.vendor}-`);
    // The MQTT node tries again half a second after its connection ends (Node-RED's default is 5 s).
    beforeEach(() => {
      settings({ ...settings(), mqttReconnectTime: 500 });
    });
    let broker: MqttBroker | undefined;
    const sockets = new Set<net.Socket>();
    afterEach(async () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await broker?.close();
      broker = undefined;
    });
    faultGuards();

    it(`tls bridge: ${v.vendor} — mqtt out → broker → mqtt in at QoS 0 and QoS 1 (binary, in order) through the bridge over mutual TLS; the broker saw the client certificate provisioned; mode ${v.mode}; a second local connection is refused naming connections; the link pulled and put back, the MQTT node reconnects by itself; a tcp request round trip to a TLS echo server`, async () => {
      const r = e2e.use(v.rig());
      const { pki } = e2e;
      broker = await startMqttBroker({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert });
      // The broker lets no client in without a certificate from the CA.
      await connectsWithoutCertificate(broker, pki.ca.cert, sockets);
      await until('the broker to refuse a client without a certificate', () => broker!.refused.length === 1);
      assert.equal(broker.clients.length, 0);
      const echo = await r.server({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
      const ports: FlowPorts = {
        brokerPort: broker.port, mqttPort: await freePort(), echoPort: echo.port, tcpPort: await freePort(), clientId: `through-${v.vendor}`, tcpBytes: 4096,
      };
      await e2e.deploy(e2e.flowOf(bridgeFlow(v, ports)), v.credentials ?? {}, [...ALL_NODES, ...CORE_NETWORK]);
      await modemReady('cfg', 15000);
      const probe = e2e.watch();
      await v.ready?.(r);
      await statusOf('bridge', (s) => s.fill === 'green' && s.shape === 'ring' && s.text === `listening on 127.0.0.1:${ports.mqttPort}`, 15000);
      await provision(v, e2e);

      // The MQTT node connects: the bridge opens a TLS connection through the module to the broker.
      helper.getNode('mqttOut').receive({ action: 'connect' });
      const opened = await probe.next('events', (m) => m.topic === 'open' && m.payload.port === broker!.port, 60000);
      assert.match(opened.payload.client, /^127\.0\.0\.1:\d+$/);
      assert.deepEqual({ host: opened.payload.host, port: opened.payload.port, mode: opened.payload.mode }, { host: '127.0.0.1', port: broker.port, mode: v.mode });
      await until('the broker to see the client and both subscriptions', () => (broker!.clientsWithId(ports.clientId)[0]?.subscriptions.length ?? 0) >= 2, 30000);

      // The certificate the module presented is the one provisioned.
      const client = broker.clientsWithId(ports.clientId)[0]!;
      const provisioned = new X509Certificate(pki.client.cert);
      assert.deepEqual(
        { cn: client.cn, issuer: client.issuer, fingerprint: client.fingerprint256 },
        { cn: 'modem-client', issuer: provisioned.issuer.split('\n').join(', '), fingerprint: provisioned.fingerprint256 },
        broker.lines.join('\n'),
      );
      assert.deepEqual(client.subscriptions.map((s) => `${s.topic} ${s.qos}`).sort(), ['bridge/q0 0', 'bridge/q1 1']);
      await statusOf('bridge', (s) => s.fill === 'green' && s.shape === 'dot' && /^1\/1 open · ↑ .+ ↓ .+$/.test(s.text ?? ''), 15000);

      // Round trips at QoS 0 and QoS 1; the broker saw each publish with its QoS and length.
      const q0 = [0, 1, 2, 3, 4].map((i) => payload(i, 200 + 300 * i));
      const q1 = [5, 6, 7, 8, 9].map((i) => payload(i, 200 + 300 * (i - 5)));
      await roundTrip(probe, 'bridge/q0', 0, q0);
      await roundTrip(probe, 'bridge/q1', 1, q1);
      assert.deepEqual(
        client.publishes.map((p) => `${p.topic} ${p.qos} ${p.length}`),
        [...q0.map((d) => `bridge/q0 0 ${d.length}`), ...q1.map((d) => `bridge/q1 1 ${d.length}`)],
      );

      // One connection more than `connections`: accepted and closed at once, nothing sent; Catch gets the error naming connections.
      const refused = await connectAndWaitEnd(ports.mqttPort, sockets);
      assert.equal(refused.bytes, 0);
      const caught = await probe.next('caught', (m) => m.error?.source?.id === 'bridge', 15000);
      assert.match(caught.error.message, /connections: the bridge carries at most 1 connection at once/);
      assert.deepEqual({ field: caught.modemError?.field, vendor: caught.modemError?.vendor, client: caught.payload?.client }, { field: 'connections', vendor: v.vendor, client: refused.client });
      assert.ok(client.open, 'the MQTT connection was not disturbed');

      // The modem link drops: the bridge closes the MQTT node's connection (by the modem) and keeps listening.
      await r.pty.unplug();
      const dropped = await probe.next('events', (m) => m.topic === 'closed' && m.payload.socket === opened.payload.socket, 30000);
      assert.equal(dropped.payload.by, 'modem', JSON.stringify(dropped.payload));
      assert.equal(dropped.payload.client, opened.payload.client);
      assert.ok(dropped.payload.bytesUp > 0 && dropped.payload.bytesDown > 0, JSON.stringify(dropped.payload));
      // And lets go of its side of that local connection once the MQTT node has seen the end.
      const droppedPort = Number(String(opened.payload.client).split(':').pop());
      await until('the bridge to close its side of the dropped connection', () => localSocketsOf(ports.mqttPort, droppedPort).length === 0, 15000);
      r.pty.replug();
      await modemReady('cfg', 60000);
      // The MQTT node tries again by itself: a new open, a new TLS session at the broker with the same certificate, subscriptions renewed.
      const reopened = await probe.next('events', (m) => m.topic === 'open' && m.payload.port === broker!.port, 90000);
      assert.equal(reopened.payload.mode, v.mode);
      assert.notEqual(reopened.payload.client, opened.payload.client);
      await until('the broker to see the client again, subscribed', () => {
        const sessions = broker!.clientsWithId(ports.clientId);
        return sessions.length >= 2 && sessions[sessions.length - 1]!.subscriptions.length >= 2;
      }, 30000);
      const again = broker.clientsWithId(ports.clientId).pop()!;
      assert.deepEqual({ cn: again.cn, fingerprint: again.fingerprint256 }, { cn: 'modem-client', fingerprint: provisioned.fingerprint256 });
      const q0again = [10, 11, 12].map((i) => payload(i, 500));
      const q1again = [13, 14, 15].map((i) => payload(i, 900));
      await roundTrip(probe, 'bridge/q0', 0, q0again);
      await roundTrip(probe, 'bridge/q1', 1, q1again);

      // The MQTT node disconnects: the bridge closes the TLS connection (by the client).
      helper.getNode('mqttOut').receive({ action: 'disconnect' });
      const left = await probe.next('events', (m) => m.topic === 'closed' && m.payload.socket === reopened.payload.socket, 30000);
      assert.equal(left.payload.by, 'client', JSON.stringify(left.payload));
      await until('the broker to see the session end', () => !again.open, 15000);

      // tcp request through the second bridge to the TLS echo server: the same bytes back.
      const data = payload(99, ports.tcpBytes);
      helper.getNode('tcp').receive({ payload: data });
      const answer = await probe.next('tcpOut', () => true, 60000);
      assert.ok(Buffer.isBuffer(answer.payload) && answer.payload.equals(data), `tcp request got ${answer.payload?.length} bytes back`);
      const echoOpen = await probe.next('events', (m) => m.topic === 'open' && m.payload.port === echo.port, 5000);
      assert.equal(echoOpen.payload.mode, v.mode);
      const echoClosed = await probe.next('events', (m) => m.topic === 'closed' && m.payload.socket === echoOpen.payload.socket, 30000);
      assert.deepEqual(
        { by: echoClosed.payload.by, up: echoClosed.payload.bytesUp, down: echoClosed.payload.bytesDown },
        { by: 'client', up: data.length, down: data.length },
      );
      assert.match(echo.lastClientCertSubject ?? '', /CN=modem-client/);
      assert.equal(broker.refused.length, 1, `the broker refused no handshake of the module: ${broker.refused.join(' | ')}`);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A local client that reads nothing
// ---------------------------------------------------------------------------------------------

/** The bridge's side of the local connection from `client`. */
function bridgeSideOf(client: net.Socket): net.Socket | undefined {
  return localSocketsOf(client.remotePort!, client.localPort!)[0];
}

interface SlowCase {
  vendor: string;
  /** Whether the module keeps the data while the client does not read (`holdReceive`). */
  holds: boolean;
  /** Bytes the module holds unread on `socket` while it has stopped reading the connection (its receive buffer full); 0 otherwise. */
  heldInModule?(rig: ModemRig, socket: string): number;
  /** Records of the numbered stream the server sends at once (1 KiB each): more than the loopback socket buffers take (a few MiB), and 1 MiB more. */
  records: number;
}

const RECORD = 1024;
const MAX_UNREAD = 1 << 20;

const SLOW: SlowCase[] = [
  {
    vendor: 'ublox', holds: true, records: 6 * 1024,
    heldInModule: (r, socket) => {
      const held = (r as UbloxRig).device.sockets[Number(socket)] as unknown as { unread: number; paused: boolean } | undefined;
      return held?.paused ? held.unread : 0;
    },
  },
  { vendor: 'xbee3', holds: false, records: 8 * 1024 },
];

for (const s of SLOW) {
  const v = byVendor(s.vendor);
  describe(`tls bridge and a local client that reads nothing: ${v.label}`, function () {
    this.timeout(300000);
    const e2e = flowSuite<ModemRig>({ tab: `bridge slow reader ${v.vendor}`, pki: { keyType: 'rsa' }, outputs: OUT });
    freshUserDirEachTest(`modem-tls-bridge-slow-${v.vendor}-`);
    const sockets = new Set<net.Socket>();
    afterEach(() => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    });
    faultGuards();

    const what = s.holds
      ? 'the bridge asks the module to hold, the module stops reading the connection (TCP holds the server back) and the bridge buffers at most 128 KiB; once the client reads, every record arrives once and in order'
      : 'the module cannot hold, so the bridge ends the connection with an error once more than 1 MiB waits unread; what waited in the bridge then is just over 1 MiB, and what the client got is an exact prefix of the stream';
    it(`tls bridge: ${v.vendor} — the server sends ${s.records} KiB at once to a local client that reads nothing: ${what}`, async () => {
      const r = e2e.use(v.rig());
      const { pki } = e2e;
      const stream = numberedStream(0, s.records, RECORD);
      const server = await r.server({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true });
      // The client asks with record 0, which the server echoes; then it sends the rest at once.
      server.on('connection', (socket) => {
        socket.once('data', () => socket.write(stream.subarray(RECORD)));
      });
      const ports: FlowPorts = { brokerPort: server.port, mqttPort: await freePort(), echoPort: server.port, tcpPort: await freePort(), clientId: 'unused', tcpBytes: 1 };
      await e2e.deploy(e2e.flowOf(bridgeFlow(v, ports)), v.credentials ?? {}, [...ALL_NODES, ...CORE_NETWORK]);
      await modemReady('cfg', 15000);
      const probe = e2e.watch();
      await v.ready?.(r);
      await provision(v, e2e);

      // A raw client that connects and reads nothing.
      const client = net.connect(ports.mqttPort, '127.0.0.1');
      sockets.add(client);
      client.pause();
      client.on('error', () => undefined);
      const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
      await new Promise<void>((resolve) => client.once('connect', () => resolve()));
      const opened = await probe.next('events', (m) => m.topic === 'open', 60000);
      assert.equal(opened.payload.client, `127.0.0.1:${client.localPort}`);
      client.write(stream.subarray(0, RECORD));

      if (s.holds) {
        // The loopback buffers fill up, then the bridge's own: it asks the module to hold, and the module's
        // receive buffer fills (from there on TCP holds the server back).
        let local: net.Socket | undefined;
        await until('the module to hold what the client has not read', () => {
          local ??= bridgeSideOf(client);
          return (local?.writableLength ?? 0) > 0 && s.heldInModule!(r, opened.payload.socket) > 0;
        }, 240000);
        const buffered = local!.writableLength;
        assert.ok(buffered <= 128 * 1024, `the bridge buffers ${buffered} bytes for the client (at most 128 KiB)`);
        assert.deepEqual(probe.all('caught').map((m) => m.error?.message), [], 'a module that holds is never given up on');

        // The client reads: the whole stream arrives, once and in order; then it ends, and the bridge closes the TLS connection.
        const parts: Buffer[] = [];
        let got = 0;
        client.on('data', (d: Buffer) => {
          parts.push(d);
          got += d.length;
        });
        client.resume();
        await until('every record to arrive', () => got >= stream.length, 240000);
        assertSequence(Buffer.concat(parts), 0, s.records, RECORD);
        client.end();
        const closed = await probe.next('events', (m) => m.topic === 'closed' && m.payload.socket === opened.payload.socket, 30000);
        assert.deepEqual({ by: closed.payload.by, down: closed.payload.bytesDown }, { by: 'client', down: stream.length });
        await ended;
        return;
      }

      // The module cannot hold: the bridge ends the connection with an error once more than 1 MiB waits.
      const caught = await probe.next('caught', (m) => m.error?.source?.id === 'bridge', 240000);
      assert.match(caught.error.message, new RegExp(`the bridge holds at most ${MAX_UNREAD} bytes for a client when the module cannot hold them`));
      assert.equal(caught.payload.client, opened.payload.client);
      const closed = await probe.next('events', (m) => m.topic === 'closed' && m.payload.socket === opened.payload.socket, 30000);
      assert.equal(closed.payload.by, 'bridge');
      // What the loopback buffers had reaches the client; the rest, which waited in this process, was dropped.
      const parts: Buffer[] = [];
      client.on('data', (d: Buffer) => parts.push(d));
      client.resume();
      await ended;
      const received = Buffer.concat(parts);
      assertSequencePrefix(received, 0, RECORD);
      // What waited in the bridge when it gave up: over 1 MiB, by at most one chunk from the module.
      const waited = Number(/read nothing while (\d+) bytes/.exec(caught.error.message)?.[1]);
      assert.ok(waited > MAX_UNREAD && waited <= MAX_UNREAD + 64 * 1024, `${waited} bytes waited in the bridge (just over ${MAX_UNREAD})`);
      // Of what the bridge took from the module, the client got what the loopback buffers held; the rest was dropped with the connection.
      const dropped = closed.payload.bytesDown - received.length;
      assert.ok(dropped > 0 && dropped <= waited, `${dropped} bytes dropped, at most the ${waited} that waited`);
    });
  });
}
