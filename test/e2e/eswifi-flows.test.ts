/**
 * Inventek eS-WiFi end to end, the way an integrator builds it: flows of our nodes in a real
 * Node-RED, a `modem-config` (vendor `eswifi`, platform `ISM43362`, the Wi-Fi network `sim-wifi`
 * with WPA2 and its passphrase as a credential) on a serial port — the real `serialport` on a
 * pseudo-terminal — behind which a simulated ISM43362 joins its access point, keeps three
 * one-time-programmable certificate sets (PF selects one, PG writes a root CA, certificate or key
 * into it once; the same data again is a match, other data `ERROR: Certificate Mismatch`;
 * seeds/002) and opens real TLS connections to local servers with a generated RSA PKI, verified
 * as P9 says (0 nothing, 1 the set's root CA if it has one, 2 the set's root CA required), data
 * sent with S3 and read by polling R0.
 *
 * What the package notes of the sets (they cannot be read back) lives below Node-RED's userDir:
 * each test gets a userDir of its own, so a fresh module meets a fresh record. Each test deploys
 * its own flow on a fresh module and pty; hooks unload the flow first (closing the serial port),
 * then stop servers, pty and module.
 */
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import helper, { freshUserDirEachTest } from '../support/red-helper';
import { callsOf, everythingSaid, statusOf, until, type FlowNode, type Msg } from '../support/flow-probe';
import { flowSuite, pemBodyLines, tlsChain, type ChainOptions, type ChainSetup } from '../support/e2e-flows';
import { ESWIFI_CREDENTIALS, ESWIFI_NETWORK, startEswifiRig, type EswifiRig } from '../support/eswifi-rig';
import type { EswifiModemOptions } from '../../src/simulator/dialects/eswifi';
import { parseSecurityData, toPem, type CertType } from '../../src/tls/certificates';

/**
 * Set 0 is the profile, its CA and the load-cert name (a profile IS a certificate set); the
 * server verified (P9=2). No host-name or date check, no SNI, no TLS version choice: the module
 * has none of them (seeds/002 documents no command for them).
 */
const ESWIFI_CHAIN: ChainSetup = {
  load: { name: '0', format: 'auto', vendorOptions: '' },
  profile: { profile: '0', ca: '0', hostname: '', checkHostname: false, checkDate: false, tlsVersion: 'auto', sni: false, alpn: '' },
};

/**
 * The nodes of an eS-WiFi TLS flow (see `tlsChain`), plus `program`: a load-cert node with its
 * "Program one-time set" checkbox on, which may write into an empty set (for good).
 */
function chain(o: ChainOptions): FlowNode[] {
  const program: FlowNode = { id: 'program', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '0', format: 'auto', vendorOptions: '', programOneTime: true, wires: [['loaded']] };
  return tlsChain(ESWIFI_CHAIN, { ...o, extra: [program, ...(o.extra ?? [])] });
}

/** One S3 carries at most 1460 bytes, one R0 answers at most R1 = 1460. */
const CHUNK = 1460;

/** PG's `<type>` (seeds/002 l. 36-40). */
const PG_TYPE: Readonly<Record<CertType, number>> = { ca: 0, cert: 1, key: 2 };

/** The set item as the adapter writes it: a certificate as canonical PEM, an RSA key (this suite's PKI) as PKCS#1 PEM. */
function pemAsWritten(text: string, certType: CertType): Buffer {
  const parsed = parseSecurityData(text, certType);
  if (parsed.kind === 'certificate') return Buffer.from(toPem('CERTIFICATE', parsed.der), 'latin1');
  return Buffer.from(toPem('RSA PRIVATE KEY', parsed.key.export({ format: 'der', type: 'pkcs1' })), 'latin1');
}

/** The PG line of the module's command log for `certType` in `set`: the header, the bytes counted only. */
function pgLine(set: number, certType: CertType, length: number): string {
  return `PG=${set},${PG_TYPE[certType]},${length} <${length} bytes>`;
}

/** Lines of one kind: `PG=…`, `PF=…`, `S3=…`. */
function linesOf(lines: readonly string[], command: string): string[] {
  return lines.filter((l) => l.startsWith(`${command}=`));
}


describe('eS-WiFi end to end: flows in Node-RED over a real serial port (pty) to the simulated Inventek ISM43362', function () {
  this.timeout(30000);
  const e2e = flowSuite<EswifiRig>({ tab: 'eS-WiFi e2e', pki: { keyType: 'rsa' }, sockets: /^[0-3]$/ });
  const { opens, echoes, failureOf, closes } = e2e;
  const userDir = freshUserDirEachTest('modem-tls-eswifi-e2e-');

  /** A fresh simulated ISM43362 on a pty; it joins `sim-wifi` in 20 ms. */
  function eswifi(options: EswifiModemOptions = {}): EswifiRig {
    return e2e.use(startEswifiRig(options));
  }

  /** The module has joined the access point (bring-up starts the join, and does not wait for it). */
  async function joined(): Promise<void> {
    await until('the module to join sim-wifi', () => e2e.rig.device.joined !== undefined);
  }

  /**
   * Deploys `nodes` with the modem config, the passphrase as its credential unless `credentials`
   * say otherwise, and waits for the module to join (unless `join` is false): each log mark taken
   * afterwards sees only what the test's own nodes sent.
   */
  async function start(nodes: FlowNode[], cfg: Record<string, unknown> = {}, credentials: Record<string, unknown> = ESWIFI_CREDENTIALS, join = true): Promise<FlowNode[]> {
    const flow = await e2e.start(nodes, cfg, credentials);
    if (join) await joined();
    return flow;
  }

  /** The file the adapter notes the sets of this module in, below the test's userDir. */
  function recordFile(): string {
    const dir = path.join(userDir.path, 'modem-tls');
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^eswifi-.*\.json$/.test(f)) : [];
    assert.equal(files.length, 1, `one eS-WiFi record in ${dir}: ${files.join(', ')}`);
    return path.join(dir, files[0]!);
  }

  /**
   * Programs `certType` of `pem` into `set` (an empty set and type): with the `program` node's
   * checkbox, or with msg.vendorOptions.programOneTime on the plain `load` node. PF, then PG with
   * the bytes; the module holds exactly them afterwards.
   */
  async function programs(certType: CertType, pem: string, set = 0, how: 'checkbox' | 'msg' = 'msg', msg: Msg = {}): Promise<Msg> {
    const r = e2e.rig;
    const written = pemAsWritten(pem, certType);
    const device = r.device;
    assert.equal(device.sets[set]![certType] === undefined, true, `set ${set} holds no ${certType} before`);
    const mark = r.modem.log.length;
    const loaded = how === 'checkbox'
      ? await e2e.probe.run('program', { payload: pem, certType, name: String(set), ...msg }, 'loaded')
      : await e2e.probe.run('load', { payload: pem, certType, name: String(set), vendorOptions: { programOneTime: true }, ...msg }, 'loaded');
    assert.deepEqual(
      { certType: loaded.payload.certType, name: loaded.payload.name, format: loaded.payload.format, bytes: loaded.payload.bytes, verified: loaded.payload.verified, unchanged: loaded.payload.unchanged },
      { certType, name: String(set), format: 'pem', bytes: written.length, verified: true, unchanged: false },
    );
    assert.deepEqual(r.linesSince(mark), [`PF=${set}`, pgLine(set, certType, written.length)], 'PF selects the set, then PG writes it');
    assert.ok(device.sets[set]![certType]?.equals(written), `set ${set} holds the ${certType} as written`);
    await statusOf(how === 'checkbox' ? 'program' : 'load', (s) => s.fill === 'green');
    return loaded;
  }

  /** Set 0 with the test CA, the client certificate and its key, each programmed with msg.vendorOptions. */
  async function programSet0(): Promise<void> {
    await programs('ca', e2e.pki.ca.cert);
    await programs('cert', e2e.pki.client.cert);
    await programs('key', e2e.pki.client.key, 0, 'msg', { cert: e2e.pki.client.cert });
  }

  /** The P6=1 of the last open and what came before it in that open: PF, P9. */
  function openLines(lines: readonly string[]): { set?: string; p9?: string; start: number } {
    const start = lines.lastIndexOf('P6=1');
    const before = lines.slice(0, start);
    return { set: before.filter((l) => l.startsWith('PF=')).pop(), p9: before.filter((l) => l.startsWith('P9=')).pop(), start };
  }

  /** Applies the profile node with `msg` overrides and resolves with its output. */
  function applies(msg: Msg): Promise<Msg> {
    return e2e.probe.run('profile', msg, 'applied');
  }

  it('programs set 0 (root CA with the node’s "Program one-time set" checkbox, client certificate and key with msg.vendorOptions.programOneTime), then verifies each again without the option: the module answers a match, nothing changes', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }), { traceAt: true });

    const ca = await programs('ca', e2e.pki.ca.cert, 0, 'checkbox');
    assert.match(ca.payload.subject, /CN=Modem TLS Test CA/);
    assert.deepEqual(ca.payload.warnings, []);
    const cert = await programs('cert', e2e.pki.client.cert);
    assert.match(cert.payload.subject, /CN=modem-client/);
    const key = await programs('key', e2e.pki.client.key, 0, 'msg', { cert: e2e.pki.client.cert });
    assert.equal(key.payload.subject, undefined);
    assert.equal('md5' in key.payload, false, 'a key’s fingerprint is not given out');
    assert.match(r.device.sets[0]!.key!.toString('latin1'), /^-----BEGIN RSA PRIVATE KEY-----\n/, 'the key went as PKCS#1 PEM');
    const held = { ca: Buffer.from(r.device.sets[0]!.ca!), cert: Buffer.from(r.device.sets[0]!.cert!), key: Buffer.from(r.device.sets[0]!.key!) };

    // The same data again, with no option: written as it is, to be checked by the module.
    for (const [certType, pem] of [['ca', e2e.pki.ca.cert], ['cert', e2e.pki.client.cert], ['key', e2e.pki.client.key]] as const) {
      const mark = r.modem.log.length;
      const traced = callsOf('cfg', 'log').length;
      const again = await e2e.probe.run('load', { payload: pem, certType, name: '0' }, 'loaded');
      assert.deepEqual(
        { certType: again.payload.certType, name: again.payload.name, verified: again.payload.verified, unchanged: again.payload.unchanged, warnings: again.payload.warnings },
        { certType, name: '0', verified: true, unchanged: true, warnings: [] },
        certType,
      );
      const lines = r.linesSince(mark);
      assert.deepEqual(lines, ['PF=0', pgLine(0, certType, held[certType].length)], `${certType}: PF, then PG with the same bytes`);
      // The AT trace shows the module's answer to that PG: "Match", then OK.
      const trace = callsOf('cfg', 'log').slice(traced).map((args) => String(args[0]));
      const pg = trace.findIndex((t) => t.startsWith(`→ PG=0,${PG_TYPE[certType]},${held[certType].length}`));
      assert.ok(pg >= 0, `the PG is in the trace: ${trace.join(' | ')}`);
      const match = trace.findIndex((t, i) => i > pg && t === '← Match');
      const ok = trace.findIndex((t, i) => i > match && t === '← OK');
      assert.ok(match > pg && ok > match, `the module answered Match and OK: ${trace.join(' | ')}`);
      await statusOf('load', (s) => s.fill === 'green');
    }
    assert.deepEqual(
      { ca: r.device.sets[0]!.ca, cert: r.device.sets[0]!.cert, key: r.device.sets[0]!.key },
      held,
      'the set holds exactly what was programmed',
    );
    assert.deepEqual([r.device.sets[1], r.device.sets[2]], [{}, {}], 'no other set was touched');

    // What the package noted (load-cert list), and where: below this test's userDir.path, without the key.
    const listed = await e2e.probe.run('load', { action: 'list' }, 'loaded');
    assert.deepEqual(listed.payload.map((i: Msg) => [i.name, i.certType]), [['0', 'ca'], ['0', 'cert'], ['0', 'key']]);
    assert.match(listed.payload[0].subject, /Modem TLS Test CA/);
    const noted = readFileSync(recordFile(), 'utf8');
    assert.match(noted, /Modem TLS Test CA/);
    for (const line of [...pemBodyLines(e2e.pki.client.key), ...pemBodyLines(held.key.toString('latin1'))]) assert.ok(!noted.includes(line), 'no key text in the record');
  });

  it('different data into a programmed set: refused locally without the option (naming the field and the firmware flash, no PG sent); with programOneTime the module answers "ERROR: Certificate Mismatch", which Catch → error-decode explains; the set is unchanged', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await programs('ca', e2e.pki.ca.cert, 0, 'checkbox');
    const held = Buffer.from(r.device.sets[0]!.ca!);

    let mark = r.modem.log.length;
    const local = await failureOf('load', { payload: e2e.pki.unrelatedCa.cert, certType: 'ca', name: '0' });
    assert.deepEqual({ vendor: local.caught.modemError.vendor, kind: local.caught.modemError.kind, field: local.caught.modemError.field }, { vendor: 'eswifi', kind: 'PARAMETER', field: 'name' });
    assert.match(local.caught.error.message, /^ModemError: name: set 0 is programmed with another root CA \("O=node-red-contrib-modem-tls, CN=Modem TLS Test CA", valid until \d{4}-\d\d-\d\dT[^,]+, programmed \d{4}-\d\d-\d\dT[^)]+\) and cannot be rewritten/);
    assert.match(local.caught.error.message, /only a complete firmware flash \(not an update\) clears the sets/);
    assert.equal(local.caught.payload, undefined, 'the certificate left the message');
    assert.deepEqual({ vendor: local.decoded.payload.vendor, category: local.decoded.payload.category }, { vendor: 'eswifi', category: 'parameter' });
    await statusOf('load', (s) => s.fill === 'red');
    let lines = r.linesSince(mark);
    assert.deepEqual(linesOf(lines, 'PG'), [], `no PG reached the module: ${lines.join(' | ')}`);
    assert.deepEqual(lines, [], 'nothing at all reached the module');
    assert.ok(r.device.sets[0]!.ca!.equals(held));

    // The node's "Program one-time set" checkbox (programOneTime) cannot rewrite a set either: the data is sent, and the module answers.
    mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('program', { payload: e2e.pki.unrelatedCa.cert, certType: 'ca', name: '0' });
    const other = pemAsWritten(e2e.pki.unrelatedCa.cert, 'ca');
    assert.deepEqual(
      { vendor: caught.modemError.vendor, kind: caught.modemError.kind, line: caught.modemError.line, command: caught.modemError.command },
      { vendor: 'eswifi', kind: 'FINAL', line: 'ERROR: Certificate Mismatch', command: `PG=0,0,${other.length}` },
    );
    assert.match(caught.error.message, /set 0 already holds another root CA \("O=node-red-contrib-modem-tls, CN=Modem TLS Test CA"/);
    assert.match(caught.error.message, /the module answered ERROR: Certificate Mismatch and nothing changed; only a complete firmware flash/);
    assert.equal(caught.error.source.id, 'program');
    assert.equal(caught.payload, undefined, 'the certificate left the message');
    assert.deepEqual(
      { vendor: decoded.payload.vendor, code: decoded.payload.code, name: decoded.payload.name, category: decoded.payload.category },
      { vendor: 'eswifi', code: 'Certificate Mismatch', name: 'Certificate Mismatch', category: 'certificate' },
    );
    assert.match(decoded.payload.meaning, /^Set 0 already holds another root CA than the data written \(PG\): nothing was changed\.$/);
    assert.match(decoded.payload.hint, /one-time programmable/);
    assert.match(decoded.payload.hint, /only a complete firmware flash \(not an update\) clears the sets/);
    await statusOf('program', (s) => s.fill === 'red');
    lines = r.linesSince(mark);
    assert.deepEqual(lines, ['PF=0', `PG=0,0,${other.length} <${other.length} bytes>`], 'sent: PF, then PG');
    assert.ok(r.device.sets[0]!.ca!.equals(held), 'the set still holds the first root CA, byte for byte');

    // The record still knows what set 0 holds: the first CA is still verified by a match.
    const again = await e2e.probe.run('load', { payload: e2e.pki.ca.cert, certType: 'ca', name: '0' }, 'loaded');
    assert.deepEqual({ verified: again.payload.verified, unchanged: again.payload.unchanged }, { verified: true, unchanged: true });
  });

  it('an empty set without programOneTime: refused locally for a root CA, a certificate and a key (programming is for good), nothing sent, the set stays empty', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));

    const words: Readonly<Record<CertType, string>> = { ca: 'root CA', cert: 'certificate', key: 'private key' };
    const mark = r.modem.log.length;
    for (const [certType, pem] of [['ca', e2e.pki.ca.cert], ['cert', e2e.pki.client.cert], ['key', e2e.pki.client.key]] as const) {
      const { caught, decoded } = await failureOf('load', { payload: pem, certType, name: '1' });
      assert.deepEqual({ kind: caught.modemError.kind, field: caught.modemError.field }, { kind: 'PARAMETER', field: 'vendorOptions.programOneTime' }, certType);
      assert.equal(
        caught.error.message,
        `ModemError: vendorOptions.programOneTime: set 1 has no ${words[certType]} this package knows of; writing one programs it for good (only a complete firmware flash (not an update) clears the sets), so nothing was sent — to program it, tick "Program one-time set" on the load-cert node (vendorOptions.programOneTime true)`,
      );
      assert.equal(decoded.payload.category, 'parameter');
      await statusOf('load', (s) => s.fill === 'red');
    }
    const lines = r.linesSince(mark);
    assert.deepEqual(linesOf(lines, 'PG'), [], `no PG: ${lines.join(' | ')}`);
    assert.deepEqual(lines, [], 'nothing reached the module');
    assert.deepEqual(r.device.sets, [{}, {}, {}], 'every set is still empty');
    const listed = await e2e.probe.run('load', { action: 'list' }, 'loaded');
    assert.deepEqual(listed.payload, [], 'nothing is noted');
  });

  it('each P9 over real TLS through tls-profile: none → P9=0 (warning) accepts a server of an unrelated CA; verification 1 (warning) verifies with the set’s CA and not without one; server → P9=2 echoes, fails "SSL Handshake Failed" for another CA’s server and "No Root CA In Set" for an empty set, both explained by error-decode', async () => {
    const r = eswifi();
    const good = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const other = await r.server({ cert: e2e.pki.unrelatedServer.cert, key: e2e.pki.unrelatedServer.key });
    await start(chain({ port: good.port }));
    await programs('ca', e2e.pki.ca.cert, 0, 'checkbox');

    // verify none on set 2 (empty): P9=0, a server from a CA the module does not know is accepted.
    let applied = await applies({ profile: '2', ca: '2', verify: 'none' });
    assert.deepEqual({ profile: applied.payload.profile, applied: applied.payload.applied }, { profile: '2', applied: { set: 2, P9: 0 } });
    assert.ok(applied.payload.warnings.includes('the module does not verify the server (P9=0)'), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow' && /P9=0/.test(s.text ?? ''));
    assert.ok(callsOf('profile', 'warn').some((args) => /does not verify the server \(P9=0\)/.test(String(args[0]))), 'the warning is logged too');
    let mark = r.modem.log.length;
    let socket = await opens({ profile: '2', port: other.port });
    let lines = r.linesSince(mark);
    let open = openLines(lines);
    assert.deepEqual({ set: open.set, p9: open.p9 }, { set: 'PF=2', p9: 'P9=0' }, lines.join(' | '));
    assert.deepEqual(
      { set: r.device.lastHandshake?.set, verification: r.device.lastHandshake?.verification, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome },
      { set: 2, verification: 0, verified: 'nothing', outcome: 'connected' },
    );
    assert.match(r.device.lastHandshake?.peerSubject ?? '', /O=Unrelated/);
    assert.equal((await echoes(socket, 'unverified, but encrypted\n')).toString(), 'unverified, but encrypted\n');
    await closes(socket);
    assert.equal(other.connections, 1);

    // verification 1 on set 0 (the right CA): verified against it.
    applied = await applies({ profile: '0', ca: '0', verify: 'server', vendorOptions: { verification: 1 } });
    assert.deepEqual(applied.payload.applied, { set: 0, P9: 1 });
    assert.ok(applied.payload.warnings.some((w: string) => /^P9=1 verifies the server only when set 0 holds a root CA; without one the module verifies nothing/.test(w)), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow' && /P9=1/.test(s.text ?? ''));
    mark = r.modem.log.length;
    socket = await opens({ profile: '0', port: good.port });
    open = openLines(r.linesSince(mark));
    assert.deepEqual({ set: open.set, p9: open.p9 }, { set: 'PF=0', p9: 'P9=1' });
    assert.deepEqual({ set: r.device.lastHandshake?.set, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome }, { set: 0, verified: 'root-ca', outcome: 'connected' });
    assert.equal((await echoes(socket, 'optional, and verified\n')).toString(), 'optional, and verified\n');
    await closes(socket);

    // ... and a server of another CA is refused by it.
    const optional = await failureOf('open', { profile: '0', port: other.port });
    assert.deepEqual({ line: optional.caught.modemError.line, category: optional.decoded.payload.category }, { line: 'ERROR: SSL Handshake Failed', category: 'handshake' });
    assert.match(optional.caught.error.message, /\(set 0, P9=1\) failed: P6=1: ERROR: SSL Handshake Failed/);
    assert.deepEqual({ set: r.device.lastHandshake?.set, verification: r.device.lastHandshake?.verification, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome }, { set: 0, verification: 1, verified: 'root-ca', outcome: 'failed' });

    // verification 1 on set 2 (no CA): nothing is verified, the unrelated server is accepted.
    applied = await applies({ profile: '2', ca: '2', verify: 'server', vendorOptions: { verification: 1 } });
    assert.deepEqual(applied.payload.applied, { set: 2, P9: 1 });
    assert.ok(applied.payload.warnings.some((w: string) => /^P9=1 verifies the server only when set 2 holds a root CA/.test(w)), JSON.stringify(applied.payload.warnings));
    mark = r.modem.log.length;
    socket = await opens({ profile: '2', port: other.port });
    open = openLines(r.linesSince(mark));
    assert.deepEqual({ set: open.set, p9: open.p9 }, { set: 'PF=2', p9: 'P9=1' });
    assert.deepEqual({ set: r.device.lastHandshake?.set, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome }, { set: 2, verified: 'nothing', outcome: 'connected' });
    await closes(socket);
    assert.equal(other.connections, 3, 'two accepted, one the module refused after the server’s side of the handshake was done');

    // verify server on set 0: P9=2, no warning, the set's CA verifies the server; echo.
    applied = await applies({ profile: '0', ca: '0', verify: 'server' });
    assert.deepEqual({ applied: applied.payload.applied, warnings: applied.payload.warnings }, { applied: { set: 0, P9: 2 }, warnings: [] });
    await statusOf('profile', (s) => s.fill === 'green');
    mark = r.modem.log.length;
    socket = await opens({ profile: '0', port: good.port });
    lines = r.linesSince(mark);
    open = openLines(lines);
    assert.deepEqual({ set: open.set, p9: open.p9 }, { set: 'PF=0', p9: 'P9=2' });
    for (const expected of ['P1=3', 'D0=127.0.0.1', 'P3=127.0.0.1', `P4=${good.port}`, 'R1=1460', 'R2=0']) {
      const at = lines.indexOf(expected);
      assert.ok(at >= 0 && at < open.start, `${expected} before P6=1: ${lines.join(' | ')}`);
    }
    assert.deepEqual(
      { set: r.device.lastHandshake?.set, verification: r.device.lastHandshake?.verification, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome },
      { set: 0, verification: 2, verified: 'root-ca', outcome: 'connected' },
    );
    assert.match(r.device.lastHandshake?.peerSubject ?? '', /CN=localhost/);
    assert.equal((await echoes(socket, 'required, and verified\n')).toString(), 'required, and verified\n');
    await closes(socket);
    assert.equal(good.connections, 2);

    // P9=2 with set 0's CA against a server of another CA: the module's handshake fails.
    mark = r.modem.log.length;
    const wrong = await failureOf('open', { profile: '0', port: other.port });
    assert.equal(wrong.caught.error.source.id, 'open');
    assert.deepEqual(
      { vendor: wrong.caught.modemError.vendor, kind: wrong.caught.modemError.kind, line: wrong.caught.modemError.line, command: wrong.caught.modemError.command },
      { vendor: 'eswifi', kind: 'FINAL', line: 'ERROR: SSL Handshake Failed', command: 'P6=1' },
    );
    assert.match(wrong.caught.error.message, new RegExp(`the connection to 127\\.0\\.0\\.1:${other.port} \\(set 0, P9=2\\) failed: P6=1: ERROR: SSL Handshake Failed`));
    assert.deepEqual(
      { vendor: wrong.decoded.payload.vendor, code: wrong.decoded.payload.code, name: wrong.decoded.payload.name, category: wrong.decoded.payload.category },
      { vendor: 'eswifi', code: 'SSL Handshake Failed', name: 'SSL Handshake Failed', category: 'handshake' },
    );
    assert.match(wrong.decoded.payload.meaning, /did not lead to the root CA of the certificate set/);
    assert.match(wrong.decoded.payload.hint, /root CA programmed in the set/);
    assert.deepEqual(
      { set: r.device.lastHandshake?.set, verified: r.device.lastHandshake?.verified, outcome: r.device.lastHandshake?.outcome },
      { set: 0, verified: 'root-ca', outcome: 'failed' },
    );
    assert.match(r.device.lastHandshake?.peerSubject ?? '', /O=Unrelated/, 'the server showed its certificate, and the module judged it');
    lines = r.linesSince(mark);
    const started = lines.indexOf('P6=1');
    const selected = lines.slice(0, started).filter((l) => l.startsWith('P0=')).pop();
    assert.deepEqual(lines.slice(started + 1), [selected, 'P6=0'], `the socket is stopped right after the failed start: ${lines.join(' | ')}`);
    await statusOf('open', (s) => s.fill === 'red');
    await until('the refused connection to be torn down', () => other.openConnections === 0);
    assert.deepEqual(r.device.sockets.map((s) => s.connection?.state ?? 'free'), ['free', 'free', 'free', 'free'], 'no socket is left connected');

    // P9=2 on set 2, which holds no root CA: tls-profile warns, the module refuses before dialling.
    applied = await applies({ profile: '2', ca: '2', verify: 'server' });
    assert.deepEqual(applied.payload.applied, { set: 2, P9: 2 });
    assert.ok(applied.payload.warnings.some((w: string) => /^set 2 holds no root CA this package knows of: with P9=2 the module refuses every connection/.test(w)), JSON.stringify(applied.payload.warnings));
    await statusOf('profile', (s) => s.fill === 'yellow');
    const handshakes = r.device.handshakes.length;
    const before = good.connections;
    const noCa = await failureOf('open', { profile: '2', port: good.port });
    assert.deepEqual(
      { vendor: noCa.caught.modemError.vendor, line: noCa.caught.modemError.line, command: noCa.caught.modemError.command },
      { vendor: 'eswifi', line: 'ERROR: No Root CA In Set', command: 'P6=1' },
    );
    assert.match(noCa.caught.error.message, /\(set 2, P9=2\) failed: P6=1: ERROR: No Root CA In Set/);
    assert.deepEqual(
      { code: noCa.decoded.payload.code, name: noCa.decoded.payload.name, category: noCa.decoded.payload.category },
      { code: 'No Root CA In Set', name: 'No Root CA In Set', category: 'certificate' },
    );
    assert.match(noCa.decoded.payload.hint, /Program the root CA of the server into that set/);
    assert.equal(r.device.handshakes.length, handshakes, 'no handshake was tried');
    assert.equal(good.connections, before, 'the server saw no connection');

    // Nothing was left broken: the right server with the right set still connects.
    socket = await opens({ profile: '0', port: good.port });
    assert.equal((await echoes(socket, 'still fine\n')).toString(), 'still fine\n');
    await closes(socket);
  });

  it('mutual TLS: a server that requires a client certificate sees the one programmed in set 0 (P9=2 presents the set’s certificate and key); a set without them is refused by that server', async () => {
    const r = eswifi();
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    await start(chain({ port: mutual.port, profile: { verify: 'mutual', ca: '0', cert: '0', key: '0' } }));
    await programSet0();

    const applied = await applies({});
    assert.deepEqual({ profile: applied.payload.profile, applied: applied.payload.applied, warnings: applied.payload.warnings }, { profile: '0', applied: { set: 0, P9: 2 }, warnings: [] });
    const socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /^O=node-red-contrib-modem-tls, CN=modem-client$/, 'the server saw the client certificate of set 0');
    assert.match(r.device.lastHandshake?.clientCertificate ?? '', /CN=modem-client/);
    assert.deepEqual({ set: r.device.lastHandshake?.set, verification: r.device.lastHandshake?.verification, verified: r.device.lastHandshake?.verified }, { set: 0, verification: 2, verified: 'root-ca' });
    assert.equal((await echoes(socket, 'signed in with the set’s certificate\n')).toString(), 'signed in with the set’s certificate\n');
    await closes(socket);
    assert.equal(mutual.connections, 1);

    // Set 1 holds the root CA only: tls-profile says the client certificate is missing, and the server refuses.
    await programs('ca', e2e.pki.ca.cert, 1);
    const lacking = await applies({ profile: '1', ca: '1', cert: '1', key: '1' });
    assert.ok(lacking.payload.warnings.some((w: string) => /verify "mutual": set 1 has no certificate and no private key this package knows of/.test(w)), JSON.stringify(lacking.payload.warnings));
    const refused = await failureOf('open', { profile: '1' });
    assert.equal(refused.caught.modemError.line, 'ERROR: SSL Handshake Failed');
    assert.equal(refused.decoded.payload.category, 'handshake');
    assert.equal(r.device.lastHandshake?.clientCertificate, undefined, 'no client certificate was presented');
    assert.equal(mutual.connections, 1, 'the server accepted no second connection');
  });

  it('100 KB of every byte value (a repeating 0..255, with "\\r\\nOK\\r\\n> ", "-1" and "ERROR: x\\r\\n> " across the 1460-byte chunk edges) goes tls-send → echo server → tls-recv byte for byte, in S3 commands of at most 1460 bytes', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await programs('ca', e2e.pki.ca.cert, 0, 'checkbox');
    await applies({});
    const socket = await opens();

    const data = Buffer.alloc(100 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = i % 256;
    const traps: Array<[number, string]> = [];
    const traps0 = ['\r\nOK\r\n> ', '-1', 'ERROR: x\r\n> '];
    for (let edge = 1, k = 0; edge * CHUNK < data.length - 16; edge++, k++) {
      const text = traps0[k % traps0.length]!;
      // Across the edge: the first bytes close one S3, the rest open the next.
      const offset = edge * CHUNK - Math.max(1, Math.floor(text.length / 2));
      Buffer.from(text, 'latin1').copy(data, offset);
      traps.push([offset, text]);
    }
    // At the very end too: the last S3 (and the last read) ends with what looks like the prompt.
    Buffer.from('\r\nOK\r\n> ', 'latin1').copy(data, data.length - 8);
    assert.equal(new Set(data).size, 256, 'every byte value');
    for (const [offset, text] of traps) {
      assert.equal(data.subarray(offset, offset + text.length).toString('latin1'), text);
      assert.ok(Math.floor(offset / CHUNK) !== Math.floor((offset + text.length - 1) / CHUNK), `"${JSON.stringify(text)}" at ${offset} crosses a chunk edge`);
    }
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data, 30000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), `the echo is the payload, byte for byte (first difference at ${echoed.findIndex((b, i) => b !== data[i])})`);

    const lines = r.linesSince(mark);
    const sends = linesOf(lines, 'S3');
    const sizes = sends.map((l) => {
      const m = /^S3=(\d+) <(\d+) bytes>$/.exec(l);
      assert.ok(m && m[1] === m[2], `an S3 with its counted bytes: ${l}`);
      return Number(m![1]);
    });
    assert.equal(sends.length, Math.ceil(data.length / CHUNK), `${sends.length} S3 commands`);
    assert.ok(sizes.every((n) => n >= 1 && n <= CHUNK), 'each at most 1460 bytes');
    assert.deepEqual(sizes, [...Array<number>(sends.length - 1).fill(CHUNK), data.length - (sends.length - 1) * CHUNK]);
    assert.ok(lines.filter((l) => l === 'R0').length >= Math.ceil(data.length / CHUNK), 'read back with R0');
    const chunks = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket);
    assert.ok(chunks.every((m) => m.payload.length >= 1 && m.payload.length <= CHUNK), 'pushed as R0 answers come, at most R1 = 1460 bytes each');
    assert.ok(chunks.length >= Math.ceil(data.length / CHUNK), `${chunks.length} pushes`);
    assert.equal(r.device.sockets[Number(socket)]!.connection?.state, 'connected', 'the connection is still up');

    // Each alone, as the whole of an R0 answer: data that looks like the module's own answers.
    for (const text of ['-1', 'ERROR: x\r\n> ', '\r\nOK\r\n> ', '\r\n-1\r\nOK\r\n> ']) {
      const alone = Buffer.from(text, 'latin1');
      assert.ok((await echoes(socket, alone)).equals(alone), `${JSON.stringify(text)} alone is data`);
    }
    assert.equal(r.device.sockets[Number(socket)]!.connection?.state, 'connected', 'none of it was taken for the end of the connection');
    assert.deepEqual(e2e.probe.all('received').filter((m) => m.topic === 'closed'), []);
    await closes(socket);
  });

  it('paced both ways at 921600 baud, as a UART carries bytes: 64 KB of random bytes go out in bursts of S3 commands (P0 once per burst) and come back through R0, every byte in order', async () => {
    const r = eswifi({ baudRate: 921600 });
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    await start(chain({ port: echo.port }));
    await programs('ca', e2e.pki.ca.cert, 0, 'checkbox');
    await applies({});
    const socket = await opens();
    const data = randomBytes(64 * 1024);
    const mark = r.modem.log.length;

    const echoed = await echoes(socket, data, 60000);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data), `the echo is the payload, byte for byte (first difference at ${echoed.findIndex((b, i) => b !== data[i])})`);
    const lines = r.linesSince(mark);
    const sends = linesOf(lines, 'S3');
    assert.equal(sends.length, Math.ceil(data.length / CHUNK), `${sends.length} S3 commands`);
    const inBurst = lines.filter((l, i) => l.startsWith('S3=') && lines[i - 1]?.startsWith('S3=')).length;
    assert.ok(inBurst > 0, `S3 commands follow each other without a P0 between them: ${lines.slice(0, 12).join(' | ')}`);
    const chunks = e2e.probe.all('received').filter((m) => m.topic === 'data' && m.socket === socket);
    assert.ok(chunks.every((m) => m.payload.length >= 1 && m.payload.length <= CHUNK), 'pushed as R0 answers come, at most R1 = 1460 bytes each');
    await closes(socket);
  });

  it('the server closes: what it sent arrives, then tls-recv says "closed by the server" and tls-open’s status too; a later tls-send fails clearly without reaching the module, and tls-close confirms', async () => {
    const r = eswifi();
    const brief = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, closeAfterBytes: 5 });
    await start(chain({ port: brief.port, profile: { verify: 'none' } }));
    await applies({});

    const socket = await opens();
    const sent = await e2e.probe.run('send', { socket, payload: 'hello, and goodbye' }, 'sent');
    assert.deepEqual(sent.payload, { socket, bytes: 18 });
    assert.equal((await e2e.probe.bytes('received', socket, 5)).toString(), 'hello');
    const byPeer = await e2e.probe.next('received', (m) => m.topic === 'closed');
    assert.equal(byPeer.socket, socket);
    assert.ok(Buffer.isBuffer(byPeer.payload) && byPeer.payload.length === 0);
    assert.equal(byPeer.reason, 'closed by the server');
    await statusOf('open', (s) => s.fill === 'grey' && /closed by the server/.test(s.text ?? ''));
    await until('the module to stop the socket', () => r.device.sockets[Number(socket)]!.connection === undefined);
    const stop = r.linesSince(0).lastIndexOf('P6=0');
    assert.ok(stop > r.linesSince(0).lastIndexOf('P6=1'), 'the adapter stopped the client on the module (P6=0)');

    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('send', { socket, payload: 'too late' });
    assert.equal(caught.error.source.id, 'send');
    assert.deepEqual({ vendor: caught.modemError.vendor, kind: caught.modemError.kind, field: caught.modemError.field }, { vendor: 'eswifi', kind: 'PARAMETER', field: 'msg.socket' });
    assert.match(caught.error.message, new RegExp(`^ModemError: msg\\.socket: socket ${socket} is no longer open \\(closed by the server\\)`));
    assert.equal(decoded.payload.category, 'parameter');
    assert.deepEqual(r.linesSince(mark), [], 'nothing reached the module');
    assert.equal(e2e.probe.all('sent').length, 1, 'nothing more was reported sent');
    // Closing it is no error: the goal is reached.
    const closed = await e2e.probe.run('close', { socket }, 'closed');
    assert.deepEqual(closed.payload, { socket, closed: true });

    // The socket can be opened again.
    const again = await opens();
    assert.equal((await echoes(again, 'bye!\n')).toString(), 'bye!\n');
    const ended = await e2e.probe.next('received', (m) => m.topic === 'closed' && m.socket === again);
    assert.equal(ended.reason, 'closed by the server');
  });

  it('secrets: with the AT trace on, neither the Wi-Fi passphrase nor the key appears in a log, message, status, error or the flow (the passphrase is a credential); the module’s log shows C2=<secret>', async () => {
    const passphrase = 'Wi-Fi-Pa55phrase-7c41e09d';
    const r = eswifi({ networks: [{ ssid: ESWIFI_NETWORK.ssid, passphrase, security: 3 }] });
    const mutual = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key, ca: e2e.pki.ca.cert, requestCert: true });
    const flow = await start(chain({ port: mutual.port, profile: { verify: 'mutual', ca: '0', cert: '0', key: '0' } }), { traceAt: true }, { cfg: { wifiPassphrase: passphrase } });
    assert.equal(r.device.wifi.passphrase, passphrase, 'the module got the passphrase');
    assert.ok(r.modem.log.some((e) => e.line === 'C2=<secret>'), 'the module’s log shows C2=<secret>');

    await programSet0();
    const keyText = r.device.sets[0]!.key!.toString('latin1');
    await applies({});
    let socket = await opens();
    assert.match(mutual.lastClientCertSubject ?? '', /CN=modem-client/);
    assert.equal((await echoes(socket, 'secret-free\n')).toString(), 'secret-free\n');
    await closes(socket);

    // Failures that involve the key: into a set whose certificate is unknown; the same key again is a match.
    const keyless = await failureOf('load', { payload: e2e.pki.client.key, certType: 'key', name: '2', vendorOptions: { programOneTime: true } });
    assert.match(keyless.caught.error.message, /program the certificate of set 2 first/);
    const same = await e2e.probe.run('load', { payload: e2e.pki.client.key, certType: 'key', name: '0' }, 'loaded');
    assert.equal(same.payload.unchanged, true);
    // A user types the passphrase into an at-command node: the module takes it, the flow sees it masked.
    const typed = await e2e.probe.run('at', { payload: `C2=${passphrase}` }, 'answer');
    assert.deepEqual({ final: typed.final, command: typed.command, payload: typed.payload }, { final: 'OK', command: 'C2=***', payload: [] });
    assert.deepEqual(r.modem.log.slice(-1).map((e) => e.line), ['C2=<secret>']);
    socket = await opens();
    await closes(socket);

    const said = everythingSaid();
    const trace = said.filter((s) => s.where === 'log by cfg').map((s) => s.text);
    assert.ok(trace.includes('→ C2=***'), `the AT trace shows C2 masked: ${trace.filter((t) => t.includes('C2')).join(' | ')}`);
    assert.ok(trace.some((t) => /^→ <\d+ bytes, secret>$/.test(t)), 'the key went as a counted, secret payload');
    assert.ok(trace.some((t) => /^→ PG=0,2,\d+$/.test(t)), 'the PG of the key is in the trace');
    assert.ok(said.some((s) => s.where === 'send by load' && s.text.includes('Modem TLS Test CA')), 'messages are part of the scan');
    assert.ok(said.some((s) => s.where.startsWith('status by')), 'statuses are part of the scan');
    assert.ok(said.some((s) => s.where.startsWith('send by catch') || s.where.startsWith('send by decode')), 'errors are part of the scan');
    const keyLines = [...pemBodyLines(e2e.pki.client.key), ...pemBodyLines(keyText), ...pemBodyLines(e2e.pki.client.keyRsaPem!)];
    assert.ok(keyLines.length > 10);
    for (const { where, text } of said) {
      assert.ok(!text.includes(passphrase), `the passphrase appeared in ${where}: ${text.slice(0, 160)}`);
      assert.ok(!text.includes('PRIVATE KEY'), `a PEM key header appeared in ${where}: ${text.slice(0, 120)}`);
      for (const line of keyLines) assert.ok(!text.includes(line), `a line of the key appeared in ${where}`);
    }
    // The module's log: C2 without its value, PG by its size only.
    for (const { line } of r.modem.log) {
      assert.ok(!line.includes(passphrase), `the passphrase in the module's log: ${line}`);
      for (const l of keyLines) assert.ok(!line.includes(l), `key text in the module's log: ${line.slice(0, 80)}`);
    }
    // The flow as deployed and exported holds no passphrase: it is a credential of the modem config only.
    const redNodes = (helper as unknown as { _redNodes: { getFlows(): unknown; getCredentials(id: string): Record<string, unknown> | undefined } })._redNodes;
    const exported = JSON.stringify(redNodes.getFlows());
    assert.ok(exported.includes('"wifiSsid":"sim-wifi"'), 'the exported flow is the deployed one');
    assert.ok(!exported.includes(passphrase), 'no passphrase in the exported flow');
    assert.ok(!JSON.stringify(flow).includes(passphrase), 'nor in the flow the test deployed');
    assert.deepEqual(redNodes.getCredentials('cfg'), { wifiPassphrase: passphrase }, 'the passphrase is a credential of the modem config');
    // Nor the record of the sets, noted below userDir.
    const noted = readFileSync(recordFile(), 'utf8');
    assert.ok(!noted.includes(passphrase) && !noted.includes('PRIVATE KEY'), 'no secret in the record');
    for (const line of keyLines) assert.ok(!noted.includes(line), 'no key text in the record');
    // The key the module holds is the client's.
    assert.deepEqual(
      createPublicKey(createPrivateKey(keyText)).export({ format: 'der', type: 'spki' }),
      e2e.pki.client.publicKey.export({ format: 'der', type: 'spki' }),
    );
  });

  it('a wrong Wi-Fi passphrase: the join fails, the first tls-open fails clearly (msg.modemError from C0), error-decode calls it a Wi-Fi join failure; the right passphrase redeployed connects', async () => {
    const r = eswifi();
    const echo = await r.server({ cert: e2e.pki.server.cert, key: e2e.pki.server.key });
    const wrong = 'not-the-passphrase-9f2b';
    const flow = chain({ port: echo.port, profile: { verify: 'none' } });
    await start(flow, {}, { cfg: { wifiPassphrase: wrong } }, false);
    await applies({});
    // The join started at bring-up fails by itself; the next open tries again, in its own section.
    await until('the join at bring-up to fail', () => callsOf('cfg', 'warn').some((args) => /the Wi-Fi join \(sim-wifi\) did not succeed/.test(String(args[0]))));
    assert.equal(r.modem.log.filter((e) => e.line === 'C0').length, 1);

    const mark = r.modem.log.length;
    const { caught, decoded } = await failureOf('open');
    assert.equal(caught.error.source.id, 'open');
    assert.deepEqual(
      { vendor: caught.modemError.vendor, kind: caught.modemError.kind, line: caught.modemError.line, command: caught.modemError.command },
      { vendor: 'eswifi', kind: 'FINAL', line: 'ERROR: Unknown Error', command: 'C0' },
    );
    assert.match(caught.error.message, /^ModemError: the module did not join the Wi-Fi network "sim-wifi" \(the module answered ERROR: Unknown Error\): check wifiSsid, wifiPassphrase and wifiSecurity of the modem config/);
    assert.deepEqual(
      { vendor: decoded.payload.vendor, name: decoded.payload.name, category: decoded.payload.category },
      { vendor: 'eswifi', name: 'Wi-Fi join failed', category: 'network' },
    );
    assert.match(decoded.payload.meaning, /could not join the Wi-Fi network/);
    assert.match(decoded.payload.hint, /wifiPassphrase/);
    await statusOf('open', (s) => s.fill === 'red');
    const lines = r.linesSince(mark);
    assert.deepEqual(lines, ['CS', 'C1=sim-wifi', 'C2=<secret>', 'C3=3', 'C4=1', 'C0'], 'the open joined first, and tried no connection');
    assert.equal(r.device.joined === undefined, true, 'the module has not joined');
    assert.equal(echo.connections, 0);
    for (const { where, text } of everythingSaid()) assert.ok(!text.includes(wrong), `the passphrase appeared in ${where}`);

    // The right passphrase, redeployed: the module joins and the same open connects.
    await e2e.unload();
    await start(flow, {}, ESWIFI_CREDENTIALS);
    await applies({});
    const socket = await opens();
    assert.deepEqual(r.device.joined?.ssid, ESWIFI_NETWORK.ssid);
    assert.equal((await echoes(socket, 'joined\n')).toString(), 'joined\n');
    await closes(socket);
  });
});
