/**
 * Secure by default, on every vendor: a tls-profile node holding only what it requires, and one
 * holding what the editor puts in a new node (read from the editor's own `defaults`), verify the
 * server at TLS 1.2 at least wherever the module lets a host choose; a profile that verifies
 * nothing says so (a yellow status, `msg.payload.warnings`, `node.warn`); and a server whose
 * certificate comes from a CA the module was not given is refused: tls-open fails, the Catch node
 * gets `msg.modemError`, error-decode explains a handshake or certificate failure, and the server
 * gets no data over the connection.
 *
 * Real Node-RED, the real `serialport` on a pseudo-terminal, each vendor's simulated module, real
 * TLS to local servers of a generated PKI. What the adapter sent is read from the module's log and
 * state, vendor by vendor.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import path from 'node:path';
import { freshUserDirEachTest } from '../support/red-helper';
import { callsOf, statusOf, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, tlsChain, type ChainSetup, type FlowSuite } from '../support/e2e-flows';
import type { ModemRig } from '../support/modem-rig';
import { startTelitRig } from '../support/telit-rig';
import { startUbloxRig, type UbloxRig } from '../support/ublox-rig';
import { startFibocomRig, type FibocomRig } from '../support/fibocom-rig';
import { startXbee3Rig, type Xbee3Rig } from '../support/xbee3-rig';
import { ESWIFI_CREDENTIALS, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';

/** Sends a raw command through the flow's at-command node; resolves with its response lines. */
type Ask = (command: string) => Promise<string[]>;


/**
 * The values a new tls-profile node gets in the editor: the `defaults` of its registerType in
 * nodes/modem-tls-profile.html, each `name: { value: … }` read as it is written there.
 */
function editorDefaults(): Record<string, unknown> {
  const html = readFileSync(path.join(__dirname, '..', '..', '..', 'nodes', 'modem-tls-profile.html'), 'utf8');
  const block = /defaults:\s*\{([\s\S]*?)\n\s*\},\s*\n\s*credentials:/.exec(html);
  if (!block) throw new Error('no defaults block in nodes/modem-tls-profile.html');
  const out: Record<string, unknown> = {};
  for (const m of block[1]!.matchAll(/^\s*(\w+):\s*\{\s*value:\s*('(?:[^'\\]|\\.)*'|true|false|-?\d+)/gm)) {
    const raw = m[2]!;
    out[m[1]!] = raw === 'true' ? true : raw === 'false' ? false : raw.startsWith("'") ? raw.slice(1, -1) : Number(raw);
  }
  if (!('verify' in out) || !('tlsVersion' in out) || !('profile' in out)) throw new Error(`editor defaults without verify/tlsVersion/profile: ${JSON.stringify(out)}`);
  return out;
}

/** What differs by vendor: the rig, the chain, the profile's required fields and what the module must have been told. */
interface VendorCase<R extends ModemRig> {
  vendor: string;
  label: string;
  rig(): R;
  chain: ChainSetup;
  sockets: RegExp;
  credentials?: Record<string, unknown>;
  /** The required fields of a tls-profile node beyond `modem`. */
  required: FlowNode & { profile: string };
  /** Loads the test CA where a profile with `ca` (and profile id `profile`) finds it. */
  loadCa(e2e: FlowSuite<R>, name: string, profile: string): Promise<void>;
  /** Asserts from the module's log (`lines`, since the profile was applied) and state that profile `profile` verifies the server at TLS 1.2 at least. */
  verifies(rig: R, lines: string[], profile: string, applied: Msg, ask: Ask): void | Promise<void>;
  /** Asserts the module was told to verify nothing for `profile`. */
  verifiesNothing(rig: R, lines: string[], profile: string, applied: Msg, ask: Ask): void | Promise<void>;
  /** Asserts from the module's log of an open (`lines`) what it was told to verify there, where a vendor says it then. */
  opened?(rig: R, lines: string[]): void;
  /** What the warning of an unverified profile says. */
  warning: RegExp;
  /** What error-decode's category is for a server of another CA. */
  categories: readonly string[];
}

/** What a warning about a server nobody verifies says, in any vendor's words. */
const UNVERIFIED = /not (?:verif|authenticat)|does not (?:verify|authenticate) the server|P9=0/i;

const CASES: Array<VendorCase<any>> = [
  {
    vendor: 'telit', label: 'Telit (platform 30)',
    rig: () => startTelitRig({ platform: '30', escapeGuardMs: 100 }),
    chain: { load: { name: '1' }, profile: { profile: '1', ca: '1' } },
    sockets: /^[1-6]$/,
    required: { profile: '1', ca: '1' },
    async loadCa(e2e, name) {
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name }, 'loaded');
      assert.equal(ca.payload.verified, true);
    },
    async verifies(_rig, lines, profile, _applied, ask) {
      // §6.2 #SSLSECCFG: <SSId>,<CipherSuite>,<auth_mode>,…: auth mode 1 verifies the server.
      const seccfg = (await ask('AT#SSLSECCFG?')).find((l) => l.startsWith(`#SSLSECCFG: ${profile},`));
      assert.ok(seccfg, `#SSLSECCFG of ${profile}: ${lines.join(' | ')}`);
      assert.equal(seccfg.split(',')[2], '1', `auth mode 1 (server): ${seccfg}`);
      // §6.3 #SSLSECCFG2: <SSId>,<version>,…: 3 is TLS 1.2 (0 SSLv3, 1 TLS 1.0, 2 TLS 1.1), and what the adapter wrote.
      const seccfg2 = (await ask('AT#SSLSECCFG2?')).find((l) => l.startsWith(`#SSLSECCFG2: ${profile},`));
      assert.ok(seccfg2, `#SSLSECCFG2 of ${profile}: ${lines.join(' | ')}`);
      assert.equal(seccfg2.split(',')[1], '3', `TLS 1.2: ${seccfg2}`);
    },
    async verifiesNothing(_rig, lines, profile, _applied, ask) {
      const seccfg = (await ask('AT#SSLSECCFG?')).find((l) => l.startsWith(`#SSLSECCFG: ${profile},`));
      assert.ok(seccfg, lines.join(' | '));
      assert.equal(seccfg.split(',')[2], '0', seccfg);
    },
    warning: UNVERIFIED,
    categories: ['handshake', 'certificate'],
  } satisfies VendorCase<ModemRig>,
  {
    vendor: 'ublox', label: 'u-blox (SARA-R5)',
    rig: () => startUbloxRig(),
    chain: { load: { name: 'demo-ca', format: 'auto' }, profile: { profile: '0', ca: 'demo-ca', hostname: '', alpn: '' } },
    sockets: /^[0-6]$/,
    required: { profile: '0', ca: 'demo-ca' },
    async loadCa(e2e, name) {
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name }, 'loaded');
      assert.equal(ca.payload.verified, true);
    },
    verifies(rig, lines, profile) {
      const p = rig.device.profiles[Number(profile)]!;
      assert.ok(p, `profile ${profile} on the module`);
      // +USECPRF op 0 (validation level) ≥ 1 verifies the chain; op 1 (minimum version) 3 is TLS 1.2.
      assert.ok(p.validation >= 1, `validation level ${p.validation}: ${lines.join(' | ')}`);
      assert.equal(p.tlsVersion, 3, `TLS 1.2: ${lines.join(' | ')}`);
    },
    verifiesNothing(rig, _lines, profile) {
      const p = rig.device.profiles[Number(profile)]!;
      assert.equal(p.validation, 0, `validation level ${p.validation}`);
    },
    warning: UNVERIFIED,
    categories: ['handshake', 'certificate'],
  } satisfies VendorCase<UbloxRig>,
  {
    vendor: 'fibocom', label: 'Fibocom (L610)',
    rig: () => startFibocomRig(),
    chain: { load: { name: 'demo-ca', format: 'auto', vendorOptions: '' }, profile: { profile: '1', ca: '', hostname: '', checkHostname: false, sni: false, alpn: '' } },
    sockets: /^[1-6]$/,
    required: { profile: '1' },
    async loadCa(e2e, name) {
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name }, 'loaded');
      assert.equal(ca.payload.verified, true);
    },
    verifies(rig, lines) {
      // AT+GTSSLMODE=1 verifies the server with the trust files; AT+GTSSLVER=4 is TLS 1.2 only
      // (the module's own default is TLS 1.0).
      assert.equal(rig.device.ssl.mode, 1, lines.join(' | '));
      assert.equal(rig.device.ssl.version, 4, lines.join(' | '));
    },
    verifiesNothing(rig, lines) {
      assert.equal(rig.device.ssl.mode, 0, lines.join(' | '));
    },
    warning: UNVERIFIED,
    categories: ['certificate', 'handshake'],
  } satisfies VendorCase<FibocomRig>,
  {
    vendor: 'xbee3', label: 'XBee3 Cellular (LTE-M)',
    rig: () => startXbee3Rig(),
    chain: { load: { name: 'ca.pem', format: 'auto', vendorOptions: '' }, profile: { profile: '1', ca: 'ca.pem', hostname: '', checkHostname: false, sni: true, alpn: '' } },
    sockets: /^\d+$/,
    required: { profile: '1', ca: 'ca.pem' },
    async loadCa(e2e, name) {
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name }, 'loaded');
      assert.equal(ca.payload.verified, true);
    },
    verifies(rig, lines, profile, applied) {
      // AT$n "<ca>;<cert>;<key>": a CA file named, so the server is authenticated (";;" is none).
      const value = rig.device.registers.str(`$${profile}`);
      assert.notEqual(value, ';;', lines.join(' | '));
      assert.match(value, /^[^;]+;/, `a CA in AT$${profile}: ${value}`);
      // The module negotiates TLS 1.2 only (no version to choose): the adapter says which.
      assert.equal(applied.payload.applied.tlsVersion, 'TLS 1.2');
    },
    verifiesNothing(rig, _lines, profile) {
      assert.equal(rig.device.registers.str(`$${profile}`), ';;');
    },
    warning: /does not authenticate the server/,
    categories: ['handshake', 'certificate'],
  } satisfies VendorCase<Xbee3Rig>,
  {
    vendor: 'eswifi', label: 'eS-WiFi (ISM43362)',
    rig: () => startEswifiRig(),
    chain: { load: { name: '0', format: 'auto', vendorOptions: '{"programOneTime": true}' }, profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' } },
    sockets: /^[0-3]$/,
    credentials: ESWIFI_CREDENTIALS,
    required: { profile: '0' },
    async loadCa(e2e, _name, profile) {
      // A set is written once (one-time programmable): the CA goes into the profile's own set.
      const ca = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, name: profile, vendorOptions: { programOneTime: true } }, 'loaded');
      assert.equal(ca.payload.verified, true);
    },
    verifies(_rig, lines, profile, applied) {
      // P9=2: the set's root CA is required and the server verified against it.
      assert.deepEqual(applied.payload.applied, { set: Number(profile), P9: 2 }, lines.join(' | '));
    },
    verifiesNothing(_rig, lines, profile, applied) {
      assert.deepEqual(applied.payload.applied, { set: Number(profile), P9: 0 }, lines.join(' | '));
    },
    opened(rig, lines) {
      // The set and P9 go out with each open: P9=2 before P6=1 starts the client, and the module verified the server.
      const start = lines.lastIndexOf('P6=1');
      assert.ok(start > 0, lines.join(' | '));
      assert.equal(lines.slice(0, start).filter((l) => l.startsWith('P9=')).pop(), 'P9=2', lines.join(' | '));
      assert.equal(rig.device.lastHandshake?.verification, 2);
    },
    warning: /does not verify the server \(P9=0\)/,
    categories: ['handshake', 'certificate'],
  } satisfies VendorCase<EswifiRig>,
];

for (const v of CASES) {
  describe(`secure by default: ${v.label}`, function () {
    this.timeout(30000);
    const e2e = flowSuite<ModemRig>({ tab: `secure defaults ${v.vendor}`, pki: { keyType: 'rsa' }, sockets: v.sockets });
    // What a module keeps (the eS-WiFi sets, the Fibocom files) is noted below the userDir: a fresh one per test.
    freshUserDirEachTest(`modem-tls-defaults-${v.vendor}-`);

    /** The chain, with `minimal` (only the required fields) and `editor` (the editor's defaults) tls-profile nodes. */
    function flow(port: number, extra: FlowNode[] = []): FlowNode[] {
      const defaults = editorDefaults();
      return tlsChain(v.chain, {
        port,
        extra: [
          { id: 'minimal', type: 'modem-tls-profile', modem: 'cfg', ...v.required, wires: [['applied']] },
          { id: 'editor', type: 'modem-tls-profile', ...defaults, name: '', modem: 'cfg', wires: [['applied']] },
          ...extra,
        ],
      });
    }

    async function ask(command: string): Promise<string[]> {
      const answer = await e2e.probe.run('at', { payload: command }, 'answer');
      assert.equal(answer.final, 'OK', `${command}: ${JSON.stringify(answer.payload)}`);
      return answer.payload as string[];
    }

    async function start(port: number): Promise<void> {
      await e2e.start(flow(port), {}, v.credentials ?? {});
      if (v.vendor === 'eswifi') {
        const rig = e2e.rig as EswifiRig;
        const deadline = Date.now() + 8000;
        while (rig.device.joined === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.ok(rig.device.joined !== undefined, 'the module joined its network');
      }
    }

    it(`secure by default: ${v.vendor} — a tls-profile with only its required fields, and one with the editor's defaults, verify the server at TLS 1.2 minimum, without a warning`, async () => {
      const r = e2e.use(v.rig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(echo.port);
      const defaults = editorDefaults();
      assert.equal(defaults.verify, 'server', 'the editor starts a profile verifying the server');
      assert.equal(defaults.tlsVersion, '1.2', 'the editor starts a profile at TLS 1.2');

      // Only the required fields.
      await v.loadCa(e2e, String(v.required.ca ?? 'demo-ca'), v.required.profile);
      let mark = r.modem.log.length;
      let applied = await e2e.probe.run('minimal', {}, 'applied');
      await v.verifies(r, r.linesSince(mark), v.required.profile, applied, ask);
      // What the module cannot do (a host name check, SNI) may be said; that the server goes unverified may not.
      assert.ok(!applied.payload.warnings.some((w: string) => UNVERIFIED.test(w)), JSON.stringify(applied.payload.warnings));
      await statusOf('minimal', (s) => s.fill !== 'red' && s.fill !== 'blue' && !UNVERIFIED.test(s.text ?? ''));
      assert.ok(!callsOf('minimal', 'warn').some((args) => UNVERIFIED.test(String(args[0]))));
      mark = r.modem.log.length;
      const socket = await e2e.opens({ profile: v.required.profile });
      v.opened?.(r, r.linesSince(mark));
      assert.equal((await e2e.echoes(socket, 'verified by default\n')).toString(), 'verified by default\n');
      await e2e.closes(socket);

      // The editor's defaults (its CA name where the vendor names them).
      await v.loadCa(e2e, String(defaults.ca), String(defaults.profile));
      mark = r.modem.log.length;
      applied = await e2e.probe.run('editor', {}, 'applied');
      await v.verifies(r, r.linesSince(mark), String(defaults.profile), applied, ask);
      assert.ok(!applied.payload.warnings.some((w: string) => UNVERIFIED.test(w)), JSON.stringify(applied.payload.warnings));
      await statusOf('editor', (s) => s.fill !== 'red' && s.fill !== 'blue');
    });

    it(`secure by default: ${v.vendor} — verify none is applied with a warning in msg.payload.warnings, node.warn and a yellow status`, async () => {
      const r = e2e.use(v.rig());
      const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
      await start(echo.port);
      await v.loadCa(e2e, String(v.required.ca ?? 'demo-ca'), v.required.profile);
      const mark = r.modem.log.length;
      const applied = await e2e.probe.run('minimal', { verify: 'none' }, 'applied');
      await v.verifiesNothing(r, r.linesSince(mark), v.required.profile, applied, ask);
      assert.ok(applied.payload.warnings.some((w: string) => v.warning.test(w)), JSON.stringify(applied.payload.warnings));
      await statusOf('minimal', (s) => s.fill === 'yellow');
      assert.ok(callsOf('minimal', 'warn').some((args) => v.warning.test(String(args[0]))), 'the warning is logged with node.warn');
    });

    it(`secure by default: ${v.vendor} — a server whose certificate comes from another CA is refused: tls-open fails, Catch gets msg.modemError, error-decode explains it, the server gets no data`, async () => {
      const r = e2e.use(v.rig());
      const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
      const seen: Array<{ bytes: number; closed: boolean }> = [];
      other.on('connection', (socket: TLSSocket) => {
        const entry = { bytes: 0, closed: false };
        seen.push(entry);
        socket.on('data', (d: Buffer) => (entry.bytes += d.length));
        socket.on('close', () => (entry.closed = true));
      });
      await start(other.port);
      await v.loadCa(e2e, String(v.required.ca ?? 'demo-ca'), v.required.profile);
      await e2e.probe.run('minimal', {}, 'applied');
      const { caught, decoded } = await e2e.failureOf('open', { profile: v.required.profile });
      assert.equal(caught.modemError?.vendor, v.vendor, JSON.stringify(caught.modemError));
      assert.ok(caught.error?.message, 'the error has a text');
      assert.equal(decoded.payload.vendor, v.vendor);
      assert.ok(v.categories.includes(decoded.payload.category), `error-decode category ${decoded.payload.category}: ${JSON.stringify(decoded.payload)}`);
      assert.match(`${decoded.payload.name} ${decoded.payload.meaning} ${decoded.payload.hint}`, /handshake|certificate|verif|CA|trust/i);
      await statusOf('open', (s) => s.fill === 'red');
      // The module's TLS stack (node:tls in the simulator) decides on the server's certificate once
      // the handshake messages are through: the server may count the handshake, but never a byte
      // of data, and its end of the connection is gone.
      await until('the server to see the connection end', () => seen.every((c) => c.closed));
      assert.deepEqual(seen.map((c) => c.bytes), seen.map(() => 0), 'the server got no application data');
    });
  });
}
