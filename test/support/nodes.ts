/**
 * Every node module of the package, for tests that load them into Node-RED. The Catch node
 * comes from the runtime under test: node-red-node-test-helper preloads it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const ALL_NODES: unknown[] = [
  require('../../src/nodes/modem-config'),
  require('../../src/nodes/modem-at-command'),
  require('../../src/nodes/modem-event'),
  require('../../src/nodes/modem-load-cert'),
  require('../../src/nodes/modem-tls-profile'),
  require('../../src/nodes/modem-tls-open'),
  require('../../src/nodes/modem-tls-bridge'),
  require('../../src/nodes/modem-tls-send'),
  require('../../src/nodes/modem-tls-recv'),
  require('../../src/nodes/modem-tls-close'),
  require('../../src/nodes/modem-error-decode'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A core node of the Node-RED under test (e.g. `common/20-inject.js`), found where
 * node-red-node-test-helper finds the runtime: beside `node-red` or inside it.
 */
export function coreNode(file: string): unknown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const path = require('node:path') as typeof import('node:path');
  const fs = require('node:fs') as typeof import('node:fs');
  let dir = path.dirname(process.env.MODEM_TLS_NODE_RED ?? require.resolve('node-red'));
  for (;;) {
    for (const base of [path.join(dir, '@node-red'), path.join(dir, 'node_modules', '@node-red')]) {
      const candidate = path.join(base, 'nodes', 'core', file);
      if (fs.existsSync(candidate)) return require(candidate);
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  throw new Error(`core node ${file} not found near ${process.env.MODEM_TLS_NODE_RED ?? 'node-red'}`);
}
