/** u-blox's record in the vendor registry: "Device and data security" (seeds/003) and the SARA-R5 AT commands manual. */
import type { TlsSupport, VendorRecord } from '../vendor';
import { UbloxAdapter, ubloxCapabilities } from './adapter';
import { ubloxDialect } from './dialect';
import { decodeUbloxError } from './errors';
import { ubloxTransfer } from './transfer';

const tls: TlsSupport = {
  // One table serves the modules of the manual: the platform is the module's name, a label only.
  capabilities: (platform) => ubloxCapabilities({ platform }),
  createAdapter: (engine, options) => new UbloxAdapter(engine, options),
  decodeError: decodeUbloxError,
};

export const ubloxVendor: VendorRecord = {
  id: 'ublox',
  label: ubloxDialect.label,
  kind: 'cellular',
  dialect: ubloxDialect,
  platforms: [],
  platformAliases: {},
  platformRequired: false,
  platformHint: 'the module, e.g. SARA-R5 (shown in labels)',
  tls,
  // +USOWR (binary or HEX mode) or direct link out, +USORD reads or direct link in (transfer.ts).
  transfer: ubloxTransfer,
  checkSettings() {
    // Any module name: every module of the manual takes the same commands.
  },
};
