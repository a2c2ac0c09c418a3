/**
 * `npm start`: Node-RED with this package, a simulated Telit modem and local TLS servers,
 * all on this machine — no hardware needed. Node-RED keeps its files in `.node-red/`
 * (flows, credentials); the example flows are installed there the first time only, so
 * edits survive a restart (delete `.node-red/flows.json` to get them back).
 *
 * Each start writes a throw-away PKI to `.node-red/demo-pki/`, which the flows read.
 * Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTelitModem, createUbloxModem, listenTcp } from '../src/simulator';
import { createTestPki } from '../src/simulator/pki';
import { startTlsEchoServer, type TlsEchoServer } from '../src/simulator/tls-servers';

const root = path.resolve(__dirname, '..', '..');
const userDir = path.join(root, '.node-red');
const editorPort = Number(process.env.PORT ?? 1880);
const simulatorPort = Number(process.env.MODEM_SIM_PORT ?? 7001);
/** The simulated u-blox module of the u-blox examples: the Telit one's port plus one. */
const ubloxPort = simulatorPort + 1;

/** The TLS servers the example flows talk to, by port. */
const SERVERS = { echo: 7443, mutual: 7444, otherCa: 7445, expired: 7446, otherHost: 7447 } as const;

function writePki(): ReturnType<typeof createTestPki> {
  const pki = createTestPki({ hosts: ['localhost', '127.0.0.1'] });
  const dir = path.join(userDir, 'demo-pki');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'ca.pem'), pki.ca.cert);
  writeFileSync(path.join(dir, 'client.pem'), pki.client.cert);
  writeFileSync(path.join(dir, 'client.key'), pki.client.key, { mode: 0o600 });
  writeFileSync(
    path.join(dir, 'README.txt'),
    'A throw-away PKI written by `npm start` for the local demo, new at every start. Never use it elsewhere.\n',
  );
  return pki;
}

/** All example flows as one flows file: every tab, and the shared modem-config node once. */
function exampleFlows(): Array<Record<string, unknown>> {
  const dir = path.join(root, 'examples');
  const seen = new Set<string>();
  const flows: Array<Record<string, unknown>> = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    for (const node of JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Array<Record<string, unknown>>) {
      if (seen.has(String(node.id))) continue;
      seen.add(String(node.id));
      if (node.type === 'modem-config') node.tcpPort = String(node.vendor === 'ublox' ? ubloxPort : simulatorPort);
      flows.push(node);
    }
  }
  return flows;
}

function prepareUserDir(): void {
  mkdirSync(path.join(userDir, 'node_modules'), { recursive: true });
  // Node-RED finds the package the way it finds an installed one: in its user directory.
  const link = path.join(userDir, 'node_modules', 'node-red-contrib-modem-tls');
  rmSync(link, { force: true, recursive: false });
  symlinkSync(root, link, 'dir');
  writeFileSync(
    path.join(userDir, 'settings.js'),
    [
      '// Written by `npm start` for the local demo. Node-RED listens on this machine only.',
      'module.exports = {',
      `  uiHost: '127.0.0.1',`,
      `  uiPort: ${editorPort},`,
      `  flowFile: 'flows.json',`,
      `  credentialSecret: process.env.NODE_RED_CREDENTIAL_SECRET || 'modem-tls-local-demo',`,
      `  logging: { console: { level: 'info', metrics: false, audit: false } },`,
      `  editorTheme: { projects: { enabled: false }, tours: false },`,
      '  // A local demo: no version checks against the internet, and no consent prompt about them.',
      `  telemetry: { enabled: false, updateNotification: false },`,
      '};',
      '',
    ].join('\n'),
  );
  const flows = path.join(userDir, 'flows.json');
  if (!existsSync(flows)) writeFileSync(flows, JSON.stringify(exampleFlows(), null, 2));
}

async function main(): Promise<void> {
  prepareUserDir();
  const pki = writePki();
  const servers: TlsEchoServer[] = await Promise.all([
    startTlsEchoServer({ port: SERVERS.echo, cert: pki.server.cert, key: pki.server.key }),
    startTlsEchoServer({ port: SERVERS.mutual, cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true }),
    startTlsEchoServer({ port: SERVERS.otherCa, cert: pki.unrelatedServer.cert, key: pki.unrelatedServer.key }),
    startTlsEchoServer({ port: SERVERS.expired, cert: pki.expiredServer.cert, key: pki.expiredServer.key }),
    startTlsEchoServer({ port: SERVERS.otherHost, cert: pki.wrongHostServer.cert, key: pki.wrongHostServer.key }),
  ]);
  const modem = createTelitModem({ platform: '30' });
  const sim = await listenTcp(modem, { host: '127.0.0.1', port: simulatorPort });
  const ublox = await listenTcp(createUbloxModem({ platform: 'SARA-R5' }), { host: '127.0.0.1', port: ubloxPort });
  console.log(
    `simulated Telit modem (platform 30) on 127.0.0.1:${sim.port}, u-blox SARA-R5 on 127.0.0.1:${ublox.port}; ` +
      `TLS servers on 127.0.0.1:${Object.values(SERVERS).join(', ')}`,
  );

  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: 'inherit',
    // The flows read `demo-pki/…` relative to Node-RED's working directory.
    cwd: userDir,
  });
  console.log(`Node-RED is starting: open http://127.0.0.1:${editorPort}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    red.kill('SIGINT');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  red.on('exit', (code) => {
    void Promise.allSettled([sim.close(), ublox.close(), ...servers.map((s) => s.close())]).finally(() => process.exit(stopping ? 0 : (code ?? 1)));
  });
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
