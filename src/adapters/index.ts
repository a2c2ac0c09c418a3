/** The vendor table: the one place that maps a vendor id to its folder. */
import type { AtEngine } from '../at/engine';
import { parameterError } from '../at/errors';
import type { Capabilities, DecodedError, ModemAdapter } from './adapter';
import { decodeTelitError } from './telit/errors';
import { telitPlatform } from './telit/platforms';
import { decodeUbloxError } from './ublox/errors';
import { eswifiDialect } from './eswifi/dialect';
import { TelitAdapter, telitCapabilities } from './telit/adapter';
import { fibocomDialect } from './fibocom/dialect';
import { telitDialect } from './telit/dialect';
import type { VendorDialect, VendorId } from './types';
import { UbloxAdapter, ubloxCapabilities } from './ublox/adapter';
import { ubloxDialect } from './ublox/dialect';
import { xbee3Dialect } from './xbee3/dialect';

export { VENDORS, isVendor } from './types';
export type { VendorDialect, VendorId } from './types';

const DIALECTS: Record<VendorId, VendorDialect> = {
  telit: telitDialect,
  ublox: ubloxDialect,
  fibocom: fibocomDialect,
  xbee3: xbee3Dialect,
  eswifi: eswifiDialect,
};

export function dialectOf(vendor: VendorId): VendorDialect {
  return DIALECTS[vendor];
}

export interface AdapterOptions {
  platform?: string;
  apn?: string;
  apnUser?: string;
  apnPassword?: string;
  clockSync?: boolean;
}

/** The TLS operations of a vendor, or null while this package has no adapter for it yet. */
export function createAdapter(vendor: VendorId, engine: AtEngine, options: AdapterOptions): ModemAdapter | null {
  switch (vendor) {
    case 'telit':
      return new TelitAdapter(engine, options);
    case 'ublox':
      return new UbloxAdapter(engine, { platform: options.platform, apn: options.apn, apnUser: options.apnUser, apnPassword: options.apnPassword, clockSync: options.clockSync });
    default:
      return null;
  }
}

/** What a vendor and platform can do, from tables alone (no modem); null while the vendor has no adapter. */
export function capabilitiesOf(vendor: VendorId, platform: string | undefined): Capabilities | null {
  switch (vendor) {
    case 'telit':
      return telitCapabilities(platform);
    case 'ublox':
      // One table for the u-blox modules of the manual: the platform is a label only.
      return ubloxCapabilities({ platform });
    default:
      return null;
  }
}

/** A vendor's error explanations, usable without a modem (the error-decode node); null when it has none. */
export function decoderOf(vendor: VendorId): ((error: { code?: string | number; line?: string }) => DecodedError) | null {
  switch (vendor) {
    case 'telit':
      return decodeTelitError;
    case 'ublox':
      return decodeUbloxError;
    default:
      return null;
  }
}

/**
 * Checks the vendor-specific settings of a modem config without a modem; throws a PARAMETER
 * ModemError naming the field.
 */
export function validateVendorSettings(vendor: VendorId, platform: string | undefined): void {
  if (vendor === 'telit' && !telitPlatform(platform)) {
    throw parameterError('platform', platform ? `"${platform}" is not a Telit platform ID` : 'choose the Telit platform ID of the module (the first number of its software version)');
  }
}
