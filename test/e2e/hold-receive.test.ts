/**
 * A slow reader leaves the data in the module: `holdReceive` end to end — real Node-RED, the real
 * `serialport` on a pseudo-terminal, a simulated module opening a real TLS connection to a real
 * TLS server that writes a numbered stream. For each vendor whose module keeps received data until
 * the host reads it (u-blox +UUSORD/+USORD, Fibocom read mode +MIPREAD, eS-WiFi R0, Telit
 * SSLSRING mode 1): the socket is held before the server writes more than the module's receive
 * buffer; nothing reaches the flows (tls-recv) or the adapter's `data` while held, the module holds
 * what came — a full receive buffer, and no more: the rest waits in TCP — and once released the
 * whole stream arrives at tls-recv exactly once, in order.
 */
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import type { ModemAdapter } from '../../src/adapters/adapter';
import { LIMITS as ESWIFI_LIMITS } from '../../src/simulator/dialects/eswifi/tables';
import { LIMITS as FIBOCOM_LIMITS } from '../../src/simulator/dialects/fibocom/tables';
import { telitDevice } from '../../src/simulator/dialects/telit';
import { DATA_LIMITS as TELIT_LIMITS } from '../../src/simulator/dialects/telit/tables';
import { LIMITS as UBLOX_LIMITS } from '../../src/simulator/dialects/ublox/tables';
import { flowSuite, OUTPUTS, tlsChain, type ChainSetup, type FlowSuite } from '../support/e2e-flows';
import { ESWIFI_CREDENTIALS, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';
import { assertSequence, faultGuards, numberedStream } from '../support/fault-guards';
import { startFibocomRig, type FibocomRig } from '../support/fibocom-rig';
import { until, type FlowNode } from '../support/flow-probe';
import type { ModemRig } from '../support/modem-rig';
import helper, { freshUserDirEachTest } from '../support/red-helper';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig, type UbloxRig } from '../support/ublox-rig';

/** Record size of the numbered stream. */
const RECORD = 64;
/** 1600 records: 102 400 bytes, more than any simulated module's receive buffer (64 KiB) and far more than one read. */
const RECORDS = 1600;
const TOTAL = RECORD * RECORDS;

/** The adapter of the modem config `cfg`, as the bridge reaches it. */
function adapterOf(): ModemAdapter {
  return (helper.getNode('cfg') as unknown as { modem: { adapter: ModemAdapter } }).modem.adapter;
}

interface Held {
  /** What the module holds unread for the connection now. */
  unread(): number;
  /** The module's receive buffer. */
  buffer: number;
  /** The most one read command takes. */
  chunk: number;
}

/**
 * The test every vendor shares, on a flow deployed and provisioned: opens, holds, lets the server
 * write the stream, checks that the module keeps it (and that nothing reached the process's
 * flows), releases, and checks the stream at tls-recv.
 */
async function holdsAndReleases<R extends ModemRig>(e2e: FlowSuite<R>, serverSide: Promise<TLSSocket>, held: (socket: string) => Held): Promise<void> {
  const socket = await e2e.opens();
  const server = await serverSide;
  const adapter = adapterOf();
  const events: number[] = [];
  adapter.on('data', (s: string, d: Buffer) => {
    if (s === socket) events.push(d.length);
  });
  assert.equal(adapter.holdReceive?.(socket, true), true, 'the module keeps the data');
  server.write(numberedStream(0, RECORDS, RECORD));
  const module = held(socket);
  // The module fills its receive buffer, and stops reading the connection there: the server's TCP window holds the rest.
  // A read on the wire when the hold came may have taken one chunk of it (kept by the adapter, not delivered).
  await until('the module to hold a full receive buffer', () => module.unread() >= module.buffer - module.chunk, 30000);
  assert.deepEqual(events, [], 'no data event while held');
  assert.deepEqual(e2e.probe.all('received').filter((m) => m.topic === 'data'), [], 'nothing reached tls-recv while held');
  // What stays in the module is bounded by its buffer (and the one network read that filled it), not the stream.
  assert.ok(module.unread() < module.buffer + 32 * 1024, `the module holds ${module.unread()} bytes, its buffer is ${module.buffer}`);
  assert.ok(module.unread() < TOTAL, 'the rest waits in TCP');
  assert.equal(adapter.holdReceive?.(socket, false), true);
  const received = await e2e.probe.bytes('received', socket, TOTAL, 60000);
  assertSequence(received, 0, RECORDS, RECORD);
  assert.equal(events.reduce((n, l) => n + l, 0), TOTAL, 'each byte once');
  assert.equal(module.unread(), 0);
}

/** The server side of the next connection to `server`. */
function nextConnection(server: { once(event: 'connection', listener: (socket: TLSSocket) => void): unknown }): Promise<TLSSocket> {
  return new Promise((resolve) => server.once('connection', resolve));
}

describe('holdReceive end to end: a held socket leaves what the server writes in the simulated module, and releases it whole and in order', function () {
  this.timeout(120000);

  describe('u-blox SARA-R5 (+UUSORD noted, no +USORD while held)', () => {
    const UBLOX_CHAIN: ChainSetup = { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' } };
    const e2e = flowSuite<UbloxRig>({ tab: 'u-blox hold', sockets: /^[0-6]$/ });
    faultGuards();

    it('holds a numbered stream larger than the module buffer in the module, then delivers it exactly once in order', async () => {
      const r = e2e.use(startUbloxRig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await e2e.start(tlsChain(UBLOX_CHAIN, { port: echo.port }));
      await e2e.provision();
      const serverSide = nextConnection(echo);
      await holdsAndReleases(e2e, serverSide, (socket) => ({
        unread: () => (r.device.sockets[Number(socket)] as unknown as { unread: number } | undefined)?.unread ?? 0,
        buffer: UBLOX_LIMITS.receiveBuffer,
        chunk: UBLOX_LIMITS.socketChunk,
      }));
      assert.ok(r.linesSince(0).some((l) => /^AT\+USORD=/.test(l)), 'the data came by +USORD after the release');
    });
  });

  describe('Fibocom L610 in read mode (+MIPREAD noted, no AT+MIPREAD while held)', () => {
    const FIBOCOM_CHAIN: ChainSetup = {
      load: { name: 'demo-ca', format: 'auto', vendorOptions: '' },
      profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' },
    };
    const e2e = flowSuite<FibocomRig>({ tab: 'Fibocom hold', pki: { keyType: 'rsa' }, sockets: /^[1-6]$/, config: { readyTimeout: 20 } });
    faultGuards();

    it('holds a numbered stream larger than the module buffer in the module, then delivers it exactly once in order', async () => {
      const r = e2e.use(startFibocomRig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await e2e.start(tlsChain(FIBOCOM_CHAIN, { port: echo.port }));
      await e2e.provision();
      const serverSide = nextConnection(echo);
      await holdsAndReleases(e2e, serverSide, (socket) => ({
        unread: () => (r.device.sockets.get(Number(socket)) as unknown as { unread: number } | undefined)?.unread ?? 0,
        buffer: FIBOCOM_LIMITS.receiveBuffer,
        chunk: FIBOCOM_LIMITS.readLength.max,
      }));
      assert.ok(r.linesSince(0).some((l) => /^AT\+GTSET="IPRFMT",5$/.test(l)), 'read mode was chosen at bring-up');
    });
  });

  describe('Inventek eS-WiFi (the poller sends no R0 while held)', () => {
    const WATCHED = [...OUTPUTS] as const;
    const ESWIFI_CHAIN: ChainSetup = {
      load: { name: '0', format: 'auto', vendorOptions: '' },
      profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' },
      outputs: WATCHED,
    };
    const e2e = flowSuite<EswifiRig>({ tab: 'eS-WiFi hold', pki: { keyType: 'rsa' }, sockets: /^[0-3]$/, outputs: WATCHED });
    freshUserDirEachTest('modem-tls-eswifi-hold-');
    faultGuards();

    it('holds a numbered stream larger than the module buffer in the module, then delivers it exactly once in order', async () => {
      const r = e2e.use(startEswifiRig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      const program: FlowNode = { id: 'program', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '0', format: 'auto', vendorOptions: '', programOneTime: true, wires: [['loaded']] };
      await e2e.start(tlsChain(ESWIFI_CHAIN, { port: echo.port, extra: [program] }), {}, ESWIFI_CREDENTIALS);
      await until('the module to join sim-wifi', () => r.device.joined !== undefined);
      await e2e.probe.run('program', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' }, 'loaded');
      await e2e.probe.run('profile', {}, 'applied');
      const serverSide = nextConnection(echo);
      await holdsAndReleases(e2e, serverSide, (socket) => ({
        unread: () => r.device.sockets[Number(socket)]?.connection?.held ?? 0,
        buffer: ESWIFI_LIMITS.receiveBuffer,
        chunk: ESWIFI_LIMITS.readMax,
      }));
    });
  });

  describe('Telit with SSLSRING mode 1 (announced, read with #SSLRECV: nothing read while held)', () => {
    const TELIT_CHAIN: ChainSetup = { load: { name: '1' }, profile: { profile: '1', ca: '1', vendorOptions: '{"sslSRingMode":1}' } };
    const e2e = flowSuite<ModemRig>({ tab: 'telit hold', sockets: /^[1-6]$/ });
    faultGuards();

    it('holds a numbered stream larger than the module buffer in the module, then delivers it exactly once in order', async () => {
      const r = e2e.use(startTelitRig({ platform: '30', escapeGuardMs: 100 }));
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await e2e.start(tlsChain(TELIT_CHAIN, { port: echo.port }));
      const applied = await e2e.provision();
      assert.equal(applied.payload.applied.sslSRingMode, 1);
      const device = telitDevice(r.modem)!;
      const serverSide = nextConnection(echo);
      await holdsAndReleases(e2e, serverSide, (socket) => ({
        unread: () => (device.ssl[Number(socket) - 1]?.socket as unknown as { waiting: number } | undefined)?.waiting ?? 0,
        buffer: TELIT_LIMITS.receiveBuffer,
        chunk: TELIT_LIMITS.sslrecv.max,
      }));
      assert.ok(r.linesSince(0).some((l) => /^AT#SSLRECV=1,/.test(l)), 'the data came by #SSLRECV after the release');
    });
  });
});
