/** Telit's record in the vendor registry: SSL/TLS User Guide 1vv0300989 (seeds/001), platform IDs 10..52. */
import { parameterError } from '../../at/errors';
import type { TlsSupport, VendorRecord } from '../vendor';
import { TelitAdapter, telitCapabilities } from './adapter';
import { telitDialect } from './dialect';
import { decodeTelitError } from './errors';
import { TELIT_PLATFORM_ALIASES, TELIT_PLATFORMS, telitPlatform } from './platforms';
import { telitTransfer } from './transfer';

const tls: TlsSupport = {
  capabilities: (platform) => telitCapabilities(platform),
  createAdapter: (engine, options) => new TelitAdapter(engine, options),
  decodeError: decodeTelitError,
};

export const telitVendor: VendorRecord = {
  id: 'telit',
  label: telitDialect.label,
  kind: 'cellular',
  dialect: telitDialect,
  platforms: Object.values(TELIT_PLATFORMS).map((pf) => ({ id: pf.id, label: pf.label })),
  platformAliases: TELIT_PLATFORM_ALIASES,
  platformRequired: true,
  platformHint: 'the first number of the module’s software version',
  tls,
  transfer: telitTransfer,
  checkSettings(platform) {
    if (!telitPlatform(platform)) {
      throw parameterError('platform', platform ? `"${platform}" is not a Telit platform ID (one of ${Object.keys(TELIT_PLATFORMS).join(', ')})` : 'choose the Telit platform ID of the module (the first number of its software version)');
    }
  },
};
