/**
 * The TLS bridge: Node-RED's own MQTT nodes talking to a broker through a modem. Per vendor at
 * 921600 baud (another rate with --baud), in the Node-RED process: a `modem-tls-bridge` (one
 * connection, mode auto) with a mutual-TLS profile, to an MQTT broker (aedes) on a TLS server that
 * requires the PKI's client certificate; a core `mqtt-broker` config pointed at the bridge's local
 * port, an `mqtt out` publishing a burst of messages to a topic and an `mqtt in` subscribed to it,
 * so every payload crosses the modem twice: up to the broker and back down.
 *
 * Each case (QoS 0 and QoS 1; 64-byte messages for messages a second, 16 KiB ones for payload
 * throughput) times from the probe just before the burst is handed to `mqtt out` to the probe
 * after `mqtt in` once every payload has come back, in order and unchanged (each carries its
 * index; the bytes are hashed). The bytes that crossed are counted at the broker's TLS socket —
 * the plaintext MQTT the bridge carried, what crossed the module's serial line — from just before
 * the burst to its last message back, and the figure is the ratio of the protocol ceiling for
 * those bytes in the mode the bridge used (bench/bridge-ceiling.ts) to the time measured. The same
 * burst by a second MQTT client straight to the broker's plain port (no bridge, no TLS, no modem)
 * runs before each, and its time is shown beside: what Node-RED and the broker take on their own.
 * The bridge's own count of the bytes it carried (its `closed` message) is kept in the details
 * beside the broker's.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { vendorRecord } from '../src/adapters/registry';
import { VENDORS, type VendorId } from '../src/adapters/types';
import { DEFAULT_MAX_SEND } from '../src/modem/tls-bridge';
import type { TestPki } from '../src/simulator/pki';
import { freePort } from '../scripts/ports';
import { bridgeCeiling, roundTripBytes, type BridgeCeiling, type BridgeMode } from './bridge-ceiling';
import {
  bytesText, catchNodes, failedFigure, functionNode, injectNode, lineRate, median, modemFlowFor, provision, rateText, sleep, startNodeRed,
  startSimulatedModem, tabNode, VENDOR_NAMES, within, type BenchContext, type Figure, type FlowNode, type NodeRedHost,
} from './harness';
import { BAUD_RATES, payloadFor } from './throughput';

const GROUP = 'bridge';
const HOST = '127.0.0.1';
const TOPIC = 'bench/bridge';
/** The baseline client's topic: its messages never reach the bridged client. */
const DIRECT_TOPIC = 'bench/direct';
/** The bridge's largest send (it batches what arrives while a send is under way, up to this). */
const BRIDGE_SEND_BATCH = DEFAULT_MAX_SEND;
const SMALL = 64;
const LARGE = 16 * 1024;

/**
 * What the profile a bridge uses sets beyond the mutual-TLS setup. Telit: in ONLINE mode the module
 * holds what it has not yet filled a packet (`<pktSz>`, 300 bytes) with for `<txTo>` tenths of a
 * second, 50 by default (#SSLCFG, AT reference guides): 5 s on the tail of every burst and on every
 * small message. A bridge wants the least documented wait, 1 (100 ms).
 */
const BRIDGE_PROFILE: Partial<Record<VendorId, FlowNode>> = {
  telit: { vendorOptions: JSON.stringify({ txTo: 1 }) },
};

/** 64-byte messages: 500 at 921600 and 100 at 115200 (under a second on the line at the ceiling); --quick a quarter. */
function smallCount(baudRate: number, quick: boolean): number {
  const full = baudRate <= 115200 ? 100 : 500;
  return quick ? full / 4 : full;
}

/** 16 KiB messages: as much payload as the throughput figures move at that rate. */
function largeCount(baudRate: number, quick: boolean): number {
  return Math.max(1, payloadFor(baudRate, quick) / LARGE);
}

interface Case {
  qos: 0 | 1;
  size: number;
  count: number;
}

function casesFor(baudRate: number, quick: boolean): Case[] {
  const small = smallCount(baudRate, quick);
  const large = largeCount(baudRate, quick);
  return [
    { qos: 0, size: SMALL, count: small },
    { qos: 1, size: SMALL, count: small },
    { qos: 0, size: LARGE, count: large },
    { qos: 1, size: LARGE, count: large },
  ];
}

function sizeText(size: number): string {
  return size >= 1024 ? bytesText(size) : `${size}-byte`;
}

function caseName(vendor: VendorId, c: Case, baudRate: number): string {
  return `${VENDOR_NAMES[vendor]} MQTT QoS ${c.qos}, ${sizeText(c.size)} messages at ${baudRate}`;
}

// ---------------------------------------------------------------------------------------------
// The broker: aedes on a TLS server that requires a client certificate, counting its plaintext
// ---------------------------------------------------------------------------------------------

interface Counted {
  /** MQTT bytes the broker read (client → broker: up through the bridge) and wrote (down). */
  up: number;
  down: number;
}

interface BenchBroker {
  /** The TLS port (client certificate required), counted; and a plain TCP port, not counted, for the baseline. */
  port: number;
  plainPort: number;
  /** Totals over every connection so far. */
  counted(): Counted;
  /** Connections that completed the handshake, and the subject of the last client certificate. */
  connections: number;
  lastClientSubject?: string;
  /** Resolves once the counts have not moved for `quietMs`. */
  settled(quietMs?: number, timeoutMs?: number): Promise<Counted>;
  close(): Promise<void>;
}

async function startBroker(pki: TestPki): Promise<BenchBroker> {
  // aedes is an ES module: imported, not required, from this CommonJS output.
  const { Aedes } = await import('aedes');
  const aedes = await Aedes.createBroker();
  const counts: Counted = { up: 0, down: 0 };
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: true });
  const plain = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  const broker: BenchBroker = {
    port: 0,
    plainPort: 0,
    counted: () => ({ ...counts }),
    connections: 0,
    async settled(quietMs = 200, timeoutMs = 30000) {
      const deadline = Date.now() + timeoutMs;
      let last = broker.counted();
      for (;;) {
        await sleep(quietMs);
        const now = broker.counted();
        if ((now.up === last.up && now.down === last.down) || Date.now() > deadline) return now;
        last = now;
      }
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        plain.close();
        server.close(() => aedes.close(() => resolve()));
      });
    },
  };
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    broker.connections++;
    const peer = socket.getPeerCertificate();
    broker.lastClientSubject = peer?.subject ? `CN=${String(peer.subject.CN)}` : undefined;
    socket.setNoDelay(true);
    // aedes reads with read() on 'readable' and writes with write(): both counted as they happen.
    const read = socket.read.bind(socket);
    socket.read = ((size?: number) => {
      const chunk = read(size) as Buffer | string | null;
      if (chunk !== null) counts.up += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return chunk;
    }) as typeof socket.read;
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
      counts.down += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      return write(chunk, ...rest);
    }) as typeof socket.write;
    aedes.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  broker.port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve, reject) => {
    plain.once('error', reject);
    plain.listen(0, HOST, () => resolve());
  });
  broker.plainPort = (plain.address() as net.AddressInfo).port;
  return broker;
}

// ---------------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------------

/** One MQTT client in the flow: its broker config, connect/disconnect, the bursts, the subscription. */
interface MqttPath {
  nodes: FlowNode[];
  /** Inject nodes: connect and disconnect the client; one burst per case, and a warm-up. */
  connect: string;
  disconnect: string;
  burst(c: Case): string;
  warm: string;
  events: { control: string; start: string; received: string };
}

/**
 * A core `mqtt-broker` config for `port` that connects only when asked (autoConnect off: an
 * `action: "connect"` message to an `mqtt out` of its own, which publishes nothing and whose
 * completion a Complete node reports), so the module is provisioned before the first connection
 * is carried. A burst function sends `count` copies of the template (handed over as
 * `templates + size`) with the index in their first 4 bytes to `mqtt out` on `topic`; `mqtt in`
 * (QoS 1 subscription, Buffer payloads) feeds a function that counts and hashes them.
 */
function mqttPath(o: { prefix: string; tab: string; label: string; port: number; topic: string; templates: string; cases: Case[] }): MqttPath {
  const p = o.prefix;
  const t = o.tab;
  const e = { control: `${p}:control`, start: `${p}:start`, received: `${p}:received` };
  const expect = JSON.stringify(`${p}:expect`);
  const tally = JSON.stringify(`${p}:rx`);
  const burstId = (c: Case): string => `${p}.burst.q${c.qos}.${c.size}`;
  const broker = `${p}.mqtt-broker`;
  const nodes: FlowNode[] = [
    {
      id: broker, type: 'mqtt-broker', name: o.label, broker: HOST, port: String(o.port), clientid: '', autoConnect: false,
      usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true,
      birthTopic: '', birthQos: '0', birthRetain: 'false', birthPayload: '', birthMsg: {},
      closeTopic: '', closeQos: '0', closeRetain: 'false', closePayload: '', closeMsg: {},
      willTopic: '', willQos: '0', willRetain: 'false', willPayload: '', willMsg: {}, userProps: '', sessionExpiry: '',
    },
    // Connect and disconnect: through an mqtt out of their own, so the Complete node sees no publish.
    injectNode(`${p}.connect`, t, [`${p}.connect-msg`]),
    functionNode(`${p}.connect-msg`, t, "return { action: 'connect' };", [`${p}.control`]),
    injectNode(`${p}.disconnect`, t, [`${p}.disconnect-msg`]),
    functionNode(`${p}.disconnect-msg`, t, "return { action: 'disconnect' };", [`${p}.control`]),
    {
      id: `${p}.control`, type: 'mqtt out', z: t, name: 'connect / disconnect', topic: '', qos: '', retain: '', respTopic: '', contentType: '',
      userProps: '', correl: '', expiry: '', broker, wires: [],
    },
    { id: `${p}.control-done`, type: 'complete', z: t, name: '', scope: [`${p}.control`], uncaught: false, wires: [[`${p}.control-event`]] },
    functionNode(`${p}.control-event`, t, `bench.emit(${JSON.stringify(e.control)}, msg.action);\nreturn null;`),
    // The bursts.
    injectNode(`${p}.warm`, t, [`${p}.burst`], JSON.stringify({ qos: 1, size: SMALL, count: 1 })),
    ...o.cases.map((c) => injectNode(burstId(c), t, [`${p}.burst`], JSON.stringify(c))),
    functionNode(
      `${p}.burst`,
      t,
      [
        'const o = JSON.parse(msg.payload);',
        `const template = bench.payload(${JSON.stringify(o.templates)} + o.size);`,
        `flow.set(${expect}, o.count * template.length);`,
        `bench.emit(${JSON.stringify(e.start)}, o.count);`,
        'for (let i = 0; i < o.count; i++) {',
        '  const payload = Buffer.from(template);',
        '  payload.writeUInt32BE(i, 0);',
        '  node.send({ payload, qos: o.qos }, false);',
        '}',
        'return null;',
      ].join('\n'),
      [`${p}.publish`],
    ),
    {
      id: `${p}.publish`, type: 'mqtt out', z: t, name: '', topic: o.topic, qos: '', retain: 'false', respTopic: '', contentType: '', userProps: '',
      correl: '', expiry: '', broker, wires: [],
    },
    {
      id: `${p}.subscribe`, type: 'mqtt in', z: t, name: '', topic: o.topic, qos: '1', datatype: 'buffer', broker, nl: false, rap: true,
      rh: 0, inputs: 0, wires: [[`${p}.count`]],
    },
    functionNode(
      `${p}.count`,
      t,
      `if (bench.take(${tally}, msg.payload) >= flow.get(${expect})) bench.emit(${JSON.stringify(e.received)}, bench.digest(${tally}));\nreturn null;`,
    ),
  ];
  return { nodes, connect: `${p}.connect`, disconnect: `${p}.disconnect`, burst: burstId, warm: `${p}.warm`, events: e };
}

interface BridgeFlow {
  nodes: FlowNode[];
  /** The MQTT client through the bridge, and the same client straight to the broker (no TLS, no modem). */
  bridged: MqttPath;
  direct: MqttPath;
  /** Payload names for NodeRedHost.payload(): a template per size. */
  template(size: number): string;
  events: { open: string; closed: string };
}

/** On tab `tab`: the bridge and an MQTT client through it; another MQTT client straight to the broker's plain port. */
function bridgeFlow(o: { tab: string; config: string; profile: string; brokerPort: number; plainPort: number; listenPort: number; cases: Case[] }): BridgeFlow {
  const t = o.tab;
  const e = { open: `${t}:open`, closed: `${t}:closed` };
  const templates = `${t}:template:`;
  const bridged = mqttPath({ prefix: `${t}.bridged`, tab: t, label: 'through the modem', port: o.listenPort, topic: TOPIC, templates, cases: o.cases });
  const direct = mqttPath({ prefix: `${t}.direct`, tab: t, label: 'straight to the broker', port: o.plainPort, topic: DIRECT_TOPIC, templates, cases: o.cases });
  const nodes: FlowNode[] = [
    {
      id: `${t}.bridge`, type: 'modem-tls-bridge', z: t, name: '', modem: o.config, profile: o.profile, host: HOST, port: o.brokerPort,
      listenHost: HOST, listenPort: o.listenPort, exposed: false, connections: 1, mode: 'auto', timeout: '', vendorOptions: '',
      wires: [[`${t}.bridge-events`]],
    },
    functionNode(
      `${t}.bridge-events`,
      t,
      `if (msg.topic === 'open') bench.emit(${JSON.stringify(e.open)}, msg.payload);\nelse if (msg.topic === 'closed') bench.emit(${JSON.stringify(e.closed)}, msg.payload);\nreturn null;`,
    ),
    ...bridged.nodes,
    ...direct.nodes,
  ];
  return { nodes, bridged, direct, template: (size) => `${templates}${size}`, events: e };
}

/** The SHA-256 of `count` copies of `template`, each with its index in its first 4 bytes: what `mqtt in` must get. */
function burstDigest(template: Buffer, count: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < count; i++) {
    const payload = Buffer.from(template);
    payload.writeUInt32BE(i, 0);
    hash.update(payload);
  }
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------

interface Run {
  ms: number;
  /** MQTT bytes counted at the broker over the run. */
  up: number;
  down: number;
  ceilingMs: number;
  ratio: number;
  /** The same burst by an MQTT client straight to the broker (no bridge, no TLS, no modem). */
  directMs: number;
}

/** Generous: forty times the run's bytes on the line one way, at least two minutes. */
function runTimeout(c: Case, baudRate: number): number {
  const { up } = roundTripBytes(TOPIC.length, c.size, c.qos, c.count);
  return Math.max(120000, (40 * up * 1000) / lineRate(baudRate));
}

function ceilingFor(vendor: VendorId, mode: BridgeMode, up: number, down: number, messages: number, baudRate: number): BridgeCeiling {
  return bridgeCeiling({ transfer: vendorRecord(vendor).transfer, mode, up, down, messages, baudRate, sendBatch: BRIDGE_SEND_BATCH });
}

function figureOf(vendor: VendorId, c: Case, baudRate: number, mode: BridgeMode, runs: Run[], extra: Record<string, unknown>): Figure {
  const ms = median(runs.map((r) => r.ms));
  const ratio = median(runs.map((r) => r.ratio));
  const mid = runs.find((r) => r.ms === ms) ?? runs[0]!;
  const ceiling = ceilingFor(vendor, mode, mid.up, mid.down, c.count, baudRate);
  const perMessage = `${Math.round(mid.up / c.count)} B up, ${Math.round(mid.down / c.count)} B down a message`;
  const ofLine = (Math.max(mid.up, mid.down) * 1000) / ceiling.ms / lineRate(baudRate);
  const small = c.size < 1024;
  const msgs = (n: number): string => `${n >= 100 ? n.toFixed(0) : n.toFixed(1)} msgs/s`;
  const directMs = median(runs.map((r) => r.directMs));
  const measured = small
    ? `${msgs((c.count * 1000) / ms)} round trip (${msgs((c.count * 1000) / directMs)} straight to the broker)`
    : `${rateText((c.count * c.size * 1000) / ms)} payload round trip, ${msgs((c.count * 1000) / ms)} (${rateText((c.count * c.size * 1000) / directMs)} straight to the broker)`;
  const atCeiling = small ? msgs((c.count * 1000) / ceiling.ms) : rateText((c.count * c.size * 1000) / ceiling.ms);
  return {
    group: GROUP,
    name: caseName(vendor, c, baudRate),
    ratio,
    against: 'protocol ceiling',
    measured,
    bound: `${atCeiling} (${ofLine.toFixed(3)} of line: ${mode} mode, ${ceiling.method}; ${perMessage}, counted at the broker)`,
    details: {
      vendor, baudRate, mode, qos: c.qos, payloadBytes: c.size, messages: c.count, runs, medianMs: ms, medianDirectMs: directMs,
      mqttBytesExpected: roundTripBytes(TOPIC.length, c.size, c.qos, c.count),
      ceiling: { ...ceiling },
      ...extra,
    },
  };
}

/** One vendor at one rate: a module, a deploy, provisioning, the MQTT connection through the bridge, then each case's runs. */
async function measure(ctx: BenchContext, red: NodeRedHost, broker: BenchBroker, vendor: VendorId, baudRate: number): Promise<Figure[]> {
  const cases = casesFor(baudRate, ctx.options.quick);
  const m = await startSimulatedModem(vendor, { baudRate, linkDir: ctx.workDir });
  try {
    const tab = `bridge-${vendor}-${baudRate}`;
    const setup = modemFlowFor(m, ctx, { config: `${tab}.cfg`, tab, mutual: true });
    const profileNode = setup.nodes.find((n) => n.type === 'modem-tls-profile');
    if (profileNode) Object.assign(profileNode, BRIDGE_PROFILE[vendor]);
    const listenPort = await freePort();
    const flow = bridgeFlow({ tab, config: `${tab}.cfg`, profile: setup.profile, brokerPort: broker.port, plainPort: broker.plainPort, listenPort, cases });
    const { bridged, direct } = flow;
    await red.deploy([tabNode(tab), ...setup.nodes, ...flow.nodes, ...catchNodes(tab)], setup.credentials);
    const started = Date.now();
    await provision(red, setup);

    const templates = new Map<number, Buffer>();
    for (const size of new Set([SMALL, ...cases.map((c) => c.size)])) {
      const data = randomBytes(size);
      templates.set(size, data);
      await red.payload(flow.template(size), data);
    }
    const connectionsBefore = broker.connections;
    const baseline = await broker.settled();
    const opened = red.next(flow.events.open, 180000);
    const connected = red.next(bridged.events.control, 180000);
    await red.inject(bridged.connect);
    const info = (await opened).value as { mode?: string; socket?: string; client?: string };
    await connected;
    const mode: BridgeMode = info.mode === 'online' ? 'online' : 'command';
    ctx.log(
      `  ${VENDOR_NAMES[vendor]} at ${baudRate}: provisioned, MQTT connected through the bridge in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(socket ${info.socket}, mode ${info.mode}, the broker saw ${broker.lastClientSubject ?? 'no client certificate'})`,
    );
    if (broker.connections !== connectionsBefore + 1) throw new Error(`the broker saw ${broker.connections - connectionsBefore} connections for one MQTT connection`);
    const directConnected = red.next(direct.events.control, 60000);
    await red.inject(direct.connect);
    await directConnected;
    const atConnect = await broker.settled();

    // One message there and back on each client: the subscriptions are in place, the paths warm.
    for (const path of [bridged, direct]) {
      const warmed = red.next(path.events.received, 120000);
      await red.inject(path.warm);
      const warm = (await warmed).value as { bytes: number; sha256: string };
      if (warm.sha256 !== burstDigest(templates.get(SMALL)!, 1)) throw new Error('warm-up: the message came back different');
    }

    /** One burst on `path`: the time from the burst to its last message back, checked. */
    const burst = async (path: MqttPath, c: Case, digest: string, timeout: number): Promise<number> => {
      // Events of an earlier burst (the warm-up's start) must not stand for this one's.
      red.forget(path.events.start);
      red.forget(path.events.received);
      const start = red.next(path.events.start, timeout);
      const received = red.next(path.events.received, timeout);
      await red.inject(path.burst(c));
      const [s, r] = await Promise.all([start, received]);
      const got = r.value as { bytes: number; sha256: string };
      if (got.bytes !== c.count * c.size || got.sha256 !== digest) {
        throw new Error(`mqtt in got ${got.bytes} bytes that differ from the ${c.count} × ${c.size} published`);
      }
      return r.at - s.at;
    };

    const figures: Figure[] = [];
    for (const c of cases) {
      const runs: Run[] = [];
      const timeout = runTimeout(c, baudRate);
      const digest = burstDigest(templates.get(c.size)!, c.count);
      try {
        for (let i = 0; i < ctx.options.runs; i++) {
          // The same burst straight to the broker first: what Node-RED and the broker take without the modem.
          const directMs = await burst(direct, c, digest, timeout);
          const before = await broker.settled();
          const ms = await burst(bridged, c, digest, timeout);
          const after = broker.counted();
          const up = after.up - before.up;
          const down = after.down - before.down;
          const ceiling = ceilingFor(vendor, mode, up, down, c.count, baudRate);
          runs.push({ ms, up, down, ceilingMs: ceiling.ms, ratio: ceiling.ms / ms, directMs });
        }
        figures.push(figureOf(vendor, c, baudRate, mode, runs, { socket: info.socket, profileOptions: BRIDGE_PROFILE[vendor] ?? {} }));
      } catch (err) {
        ctx.log(`  ${caseName(vendor, c, baudRate)} failed: ${(err as Error).message}`);
        figures.push(failedFigure(GROUP, caseName(vendor, c, baudRate), 'protocol ceiling', err));
        // A burst left half-way leaves the connection in an unknown state: the rest of this vendor fails with it.
        throw Object.assign(new Error((err as Error).message), { figures });
      }
    }

    // Disconnect: the bridge reports what it carried; the broker counted the same from its side.
    const directClosed = red.next(direct.events.control, 60000);
    await red.inject(direct.disconnect);
    await directClosed.catch(() => undefined);
    const atEnd = await broker.settled();
    const closed = red.next(flow.events.closed, 60000);
    await red.inject(bridged.disconnect);
    const report = await closed.then(
      (e) => e.value as { bytesUp?: number; bytesDown?: number; by?: string; reason?: string },
      (err: Error) => ({ error: err.message }),
    );
    const brokerTotal = await broker.settled();
    const since = (c: Counted): Counted => ({ up: c.up - baseline.up, down: c.down - baseline.down });
    const carried = { bridge: report, broker: since(brokerTotal), brokerAtConnect: since(atConnect), brokerAfterRuns: since(atEnd) };
    ctx.log(
      `  ${VENDOR_NAMES[vendor]} at ${baudRate}: the bridge reported ${JSON.stringify(report)}; ` +
        `the broker counted ${carried.broker.up} B up, ${carried.broker.down} B down on that connection`,
    );
    for (const f of figures) f.details = { ...f.details, carried };
    return figures;
  } finally {
    // The serial port is released by an empty deploy before its pty goes.
    await within(red.deploy([]), 60000, 'an empty deploy').catch(() => undefined);
    await m.close();
  }
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const vendors = ctx.options.vendor ? VENDORS.filter((v) => v === ctx.options.vendor) : [...VENDORS];
  const rates: number[] = ctx.options.baud ? [ctx.options.baud] : [BAUD_RATES[BAUD_RATES.length - 1]!];
  const figures: Figure[] = [];
  const red = await startNodeRed(ctx);
  const broker = await startBroker(ctx.pki);
  try {
    for (const vendor of vendors) {
      for (const baudRate of rates) {
        try {
          const got = await measure(ctx, red, broker, vendor, baudRate);
          for (const f of got) ctx.log(`  ${f.name}: ${f.measured} ÷ ${f.bound} = ${f.ratio.toFixed(3)}`);
          figures.push(...got);
        } catch (err) {
          ctx.log(`  ${VENDOR_NAMES[vendor]} at ${baudRate} failed: ${(err as Error).message}`);
          const done = ((err as { figures?: Figure[] }).figures ?? []);
          figures.push(...done);
          for (const c of casesFor(baudRate, ctx.options.quick)) {
            const name = caseName(vendor, c, baudRate);
            if (!done.some((f) => f.name === name)) figures.push(failedFigure(GROUP, name, 'protocol ceiling', err));
          }
        }
      }
    }
  } finally {
    await red.stop();
    await broker.close();
  }
  return figures;
}
