/**
 * `npm run test:node-red-5`: the whole test suite again, on Node-RED 5 running on Node.js 22
 * (Node-RED 4 on Node 20 and Node-RED 5 on Node 22 are both supported, see the README). Both come from
 * the npm registry into `.cache/node-red-5/` (the `node` package ships the Node.js binary);
 * `npm test` itself stays on the Node-RED 4 of devDependencies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const prefix = path.join(root, '.cache', 'node-red-5');
const node22 = path.join(prefix, 'node_modules', '.bin', 'node');
const red5 = path.join(prefix, 'node_modules', 'node-red', 'lib', 'red.js');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(node22) || !existsSync(red5)) {
  mkdirSync(prefix, { recursive: true });
  run('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', 'node@22', 'node-red@5']);
}
const version = spawnSync(node22, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`Node-RED 5 on Node.js ${version}`);
run(node22, [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js')], { ...process.env, MODEM_TLS_NODE_RED: red5 });
