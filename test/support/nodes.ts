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
  require('../../src/nodes/modem-tls-send'),
  require('../../src/nodes/modem-tls-recv'),
  require('../../src/nodes/modem-tls-close'),
  require('../../src/nodes/modem-error-decode'),
];
/* eslint-enable @typescript-eslint/no-require-imports */
