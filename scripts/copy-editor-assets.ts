/**
 * Build step after `tsc`: Node-RED loads a node's editor file, icons and locales from
 * beside its runtime `.js`, so `nodes/*.html`, `nodes/locales` and `icons/` are copied
 * next to the compiled nodes in `dist/src/nodes`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const target = path.join(root, 'dist', 'src', 'nodes');
mkdirSync(target, { recursive: true });

for (const file of readdirSync(path.join(root, 'nodes'))) {
  if (file.endsWith('.html')) cpSync(path.join(root, 'nodes', file), path.join(target, file));
}
for (const [from, to] of [
  [path.join(root, 'nodes', 'locales'), path.join(target, 'locales')],
  [path.join(root, 'icons'), path.join(target, 'icons')],
]) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
