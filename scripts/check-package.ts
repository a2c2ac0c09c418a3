/**
 * `npm run check:package`: the package as a user gets it. `npm pack` makes the tarball (its file
 * list is checked: what Node-RED needs is in, sources and tests are out); the tarball is installed
 * into a fresh Node-RED user directory, as the palette manager or `npm install` would, and
 * Node-RED is started there with a flow that uses every node — on Node-RED 4 with this Node.js
 * (the devDependency) and on Node-RED 5 with Node.js 22 (fetched from npm into `.cache/`, as
 * `npm run test:node-red-5` does). It fails on any warning or error in Node-RED's log, and unless
 * Node-RED reports every node type of the package loaded and enabled.
 *
 * Must never: touch the repository's own `.node-red/` or leave a process behind.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed } from './node-red-process';
import { freePort } from './ports';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name: string; version: string; 'node-red': { nodes: Record<string, string> } };
const types = Object.keys(pkg['node-red'].nodes);

/**
 * What Node-RED itself says at every start of a fresh user directory, whatever packages it has:
 * its projects feature is off unless enabled with git (`editorTheme.projects`), and a new user
 * directory has no credentials file yet. Neither is about this package.
 */
const RUNTIME_NOTICES: readonly RegExp[] = [/\[warn\] Projects disabled/, /\[warn\] Encrypted credentials not found/];

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The files the tarball holds, and what must and must not be among them. */
function checkFileList(files: string[]): void {
  const must = ['package.json', 'README.md', 'LICENSE', 'resources/modem-tls-editor.js', 'resources/modem-tls-rules.js', 'resources/modem-tls-registry.js'];
  for (const type of types) {
    const js = pkg['node-red'].nodes[type];
    must.push(js, js.replace(/\.js$/, '.html'));
  }
  const missing = must.filter((f) => !files.includes(f));
  const stray = files.filter((f) => /^(test|src|scripts|bench|\.cache|\.node-red)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'));
  if (missing.length > 0 || stray.length > 0) {
    throw new Error(`the tarball is wrong:${missing.length ? `\n  missing: ${missing.join(', ')}` : ''}${stray.length ? `\n  should not hold: ${stray.slice(0, 10).join(', ')}` : ''}`);
  }
  if (!files.some((f) => f.startsWith('examples/'))) throw new Error('the tarball holds no examples');
}

/**
 * A flow with every node of the package, on a modem nobody answers: loading is what is checked.
 * Most nodes act only on a message, so their settings are checked then; the tls bridge acts at
 * deploy (it listens), so it gets what a user must fill in before deploying it: the server, and a
 * local port nothing else holds.
 */
function flowWithEveryNode(listenPort: number): unknown[] {
  const flow: Array<Record<string, unknown>> = [
    { id: 't1', type: 'tab', label: 'package check' },
    { id: 'c1', type: 'modem-config', name: 'check', vendor: 'telit', platform: '30', transport: 'tcp', host: '127.0.0.1', tcpPort: '9', readyTimeout: 1 },
  ];
  const deploySettings: Record<string, Record<string, unknown>> = {
    'modem-tls-bridge': { profile: '1', host: 'broker.example.com', port: 8883, listenHost: '127.0.0.1', listenPort },
  };
  types.filter((t) => t !== 'modem-config').forEach((type, i) => flow.push({ id: `n${i}`, z: 't1', type, modem: 'c1', ...deploySettings[type], x: 150, y: 40 + 50 * i, wires: [[]] }));
  return flow;
}

async function checkRuntime(label: string, node: string, redJs: string, tarball: string): Promise<void> {
  const userDir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-package-'));
  try {
    writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', tarball], userDir);
    const port = await freePort();
    writeFileSync(
      path.join(userDir, 'settings.js'),
      `module.exports = { uiHost: '127.0.0.1', uiPort: ${port}, flowFile: 'flows.json', credentialSecret: 'package-check', logging: { console: { level: 'info', metrics: false, audit: false } }, telemetry: { enabled: false, updateNotification: false } };\n`,
    );
    writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flowWithEveryNode(await freePort()), null, 2));
    const lines: string[] = [];
    const red = startNodeRed({ node, redJs, userDir, settings: path.join(userDir, 'settings.js'), onLine: (line) => {
      if (line.trim() !== '') lines.push(line);
    } });
    try {
      const deadline = Date.now() + 60000;
      while (!lines.some((l) => /Started flows/.test(l))) {
        if (red.child.exitCode !== null || red.spawnError()) throw new Error(`${label}: Node-RED exited:\n${lines.join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${label}: Node-RED did not start the flows within 60 s:\n${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // What the runtime says of the module: every type registered, enabled, loaded, without an error.
      const response = await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { Accept: 'application/json' } });
      const sets = ((await response.json()) as Array<{ module: string; types: string[]; enabled: boolean; err?: string }>).filter((s) => s.module === pkg.name);
      const loaded = sets.filter((s) => s.enabled && !s.err).flatMap((s) => s.types);
      const notLoaded = types.filter((t) => !loaded.includes(t));
      const errors = sets.filter((s) => s.err).map((s) => s.err);
      // Give the nodes a moment to report what they do with a modem that is not there.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const complaints = lines.filter((l) => /\[(warn|error)\]/.test(l) && !RUNTIME_NOTICES.some((n) => n.test(l)));
      if (notLoaded.length > 0 || errors.length > 0 || complaints.length > 0) {
        throw new Error(`${label}:${notLoaded.length ? `\n  not loaded: ${notLoaded.join(', ')}` : ''}${errors.length ? `\n  errors: ${errors.join('; ')}` : ''}${complaints.length ? `\n  ${complaints.join('\n  ')}` : ''}`);
      }
      const version = lines.find((l) => /Node-RED version/.test(l))?.replace(/^.*Node-RED version: /, '') ?? '?';
      const nodeVersion = lines.find((l) => /Node\.js +version/.test(l))?.replace(/^.*version: /, '') ?? '?';
      console.log(`${label}: Node-RED ${version} on Node.js ${nodeVersion} loads ${types.length} node types of ${path.basename(tarball)}, no warning, no error`);
    } finally {
      await red.stop();
    }
  } finally {
    rmSync(userDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-pack-'));
  try {
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], root)) as Array<{ filename: string; files: Array<{ path: string }>; size: number; unpackedSize: number }>;
    const tarball = path.join(out, packed[0].filename);
    checkFileList(packed[0].files.map((f) => f.path));
    console.log(`${packed[0].filename}: ${packed[0].files.length} files, ${(packed[0].size / 1024).toFixed(0)} kB packed`);

    await checkRuntime('Node-RED 4', process.execPath, require.resolve('node-red/red.js'), tarball);

    const prefix = path.join(root, '.cache', 'node-red-5');
    const node22 = path.join(prefix, 'node_modules', '.bin', 'node');
    const red5 = path.join(prefix, 'node_modules', 'node-red', 'red.js');
    if (!existsSync(node22) || !existsSync(red5)) {
      mkdirSync(prefix, { recursive: true });
      run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', 'node@22', 'node-red@5'], root);
    }
    await checkRuntime('Node-RED 5', node22, red5, tarball);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(`package check failed: ${err.message}`);
  process.exit(1);
});
