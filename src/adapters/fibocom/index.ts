/** Fibocom L610's record in the vendor registry: the SSL manual (seeds/004) and the +MIP command family. */
import type { TlsSupport, VendorRecord } from '../vendor';
import { FibocomAdapter, fibocomCapabilities } from './adapter';
import { fibocomDialect } from './dialect';
import { decodeFibocomError } from './errors';
import { fibocomTransfer } from './transfer';

const tls: TlsSupport = {
  // One module, one table: the platform is a label only.
  capabilities: (platform) => fibocomCapabilities(platform),
  createAdapter: (engine, options) => new FibocomAdapter(engine, options),
  decodeError: decodeFibocomError,
};

export const fibocomVendor: VendorRecord = {
  id: 'fibocom',
  label: fibocomDialect.label,
  kind: 'cellular',
  dialect: fibocomDialect,
  platforms: [],
  platformAliases: {},
  platformRequired: false,
  platformHint: 'the module, e.g. L610 (shown in labels)',
  tls,
  transfer: fibocomTransfer,
  checkSettings() {
    // Any module name: the L610 commands are the same on every variant.
  },
};
