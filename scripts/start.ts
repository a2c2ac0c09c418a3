/**
 * `npm start`: Node-RED with this package, a simulated modem and a demo flow, all on
 * this machine — no hardware needed. Node-RED keeps its files in `.node-red/` (flows,
 * credentials); the demo flow is installed there the first time only, so edits survive
 * a restart. Ctrl-C stops everything.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createGenericModem, listenTcp } from '../src/simulator';

const root = path.resolve(__dirname, '..', '..');
const userDir = path.join(root, '.node-red');
const editorPort = Number(process.env.PORT ?? 1880);
const simulatorPort = Number(process.env.MODEM_SIM_PORT ?? 7001);
const demoFlow = path.join(root, 'examples', '01 Talk to the modem (AT commands and events).json');

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
  if (!existsSync(flows)) {
    const flow = JSON.parse(readFileSync(demoFlow, 'utf8')) as Array<Record<string, unknown>>;
    for (const node of flow) {
      if (node.type === 'modem-config') node.tcpPort = String(simulatorPort);
    }
    writeFileSync(flows, JSON.stringify(flow, null, 2));
  }
}

async function main(): Promise<void> {
  prepareUserDir();
  const modem = createGenericModem({ profile: { manufacturer: 'Simulated', model: 'Hayes demo modem' } });
  const server = await listenTcp(modem, { host: '127.0.0.1', port: simulatorPort });
  console.log(`simulated modem listening on 127.0.0.1:${server.port}`);

  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
    stdio: 'inherit',
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
    void server.close().finally(() => process.exit(stopping ? 0 : (code ?? 1)));
  });
}

main().catch((err: Error) => {
  console.error(`npm start failed: ${err.message}`);
  process.exit(1);
});
