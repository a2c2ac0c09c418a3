/**
 * The package as npm and Node-RED read it: every file package.json names exists once the package
 * is built, and every node's runtime has its editor file beside it.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  'node-red': { nodes: Record<string, string> };
};

describe('package.json', () => {
  it('names only files that exist after the build (main, types, bin, node-red.nodes, files)', () => {
    const named = [
      ...(PACKAGE.main ? [PACKAGE.main] : []),
      ...(PACKAGE.types ? [PACKAGE.types] : []),
      ...Object.values(PACKAGE.bin ?? {}),
      ...Object.values(PACKAGE['node-red'].nodes),
      ...(PACKAGE.files ?? []),
    ];
    const missing = named.filter((file) => !existsSync(path.join(ROOT, file)));
    assert.deepEqual(missing, []);
  });

  it('every node’s runtime file has its editor file beside it, as Node-RED loads them', () => {
    for (const [type, file] of Object.entries(PACKAGE['node-red'].nodes)) {
      const html = path.join(ROOT, file.replace(/\.js$/, '.html'));
      assert.ok(existsSync(html), `${type}: ${path.relative(ROOT, html)}`);
    }
  });
});
