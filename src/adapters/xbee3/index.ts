/** Digi XBee3 Cellular's record in the vendor registry: seeds/000 and the XBee3 Cellular User Guide. */
import type { TlsSupport, VendorRecord } from '../vendor';
import { Xbee3Adapter, xbee3Capabilities } from './adapter';
import { xbee3Dialect } from './dialect';
import { decodeXbee3Error } from './errors';
import { xbee3Transfer } from './transfer';

const tls: TlsSupport = {
  // One command set on every XBee3 Cellular variant (LTE-M/NB-IoT, LTE Cat 1): the platform is a label only.
  capabilities: (platform) => xbee3Capabilities(platform),
  createAdapter: (engine, options) => new Xbee3Adapter(engine, options),
  decodeError: decodeXbee3Error,
};

export const xbee3Vendor: VendorRecord = {
  id: 'xbee3',
  label: xbee3Dialect.label,
  kind: 'cellular',
  dialect: xbee3Dialect,
  platforms: [],
  platformAliases: {},
  platformRequired: false,
  platformHint: 'the variant, e.g. LTE-M (shown in labels)',
  tls,
  // API-mode sockets: Socket Send frames streamed, Socket Receive frames pushed (transfer.ts).
  transfer: xbee3Transfer,
  checkSettings() {
    // Any variant name: the commands are the same on every XBee3 Cellular.
  },
};
