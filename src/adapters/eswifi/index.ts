/** Inventek eS-WiFi's record in the vendor registry: the TLS certificate note (seeds/002) and the IWIN command set. */
import type { TlsSupport, VendorRecord } from '../vendor';
import { EswifiAdapter, eswifiCapabilities } from './adapter';
import { eswifiDialect } from './dialect';
import { decodeEswifiError } from './errors';
import { eswifiTransfer } from './transfer';

const tls: TlsSupport = {
  // One command set for the ISM43362 and ISM43340 modules: the platform is a label only.
  capabilities: (platform) => eswifiCapabilities(platform),
  createAdapter: (engine, options) => new EswifiAdapter(engine, options),
  decodeError: decodeEswifiError,
};

export const eswifiVendor: VendorRecord = {
  id: 'eswifi',
  label: eswifiDialect.label,
  kind: 'wifi',
  dialect: eswifiDialect,
  platforms: [],
  platformAliases: {},
  platformRequired: false,
  platformHint: 'the module, e.g. ISM43362 (shown in labels)',
  tls,
  // S3 chunks and R0 reads, each a turn (transfer.ts).
  transfer: eswifiTransfer,
  checkSettings() {
    // Any module name: the eS-WiFi commands are the same on every variant.
  },
};
