/**
 * The adapters layer as the rest of the package uses it: what a vendor can do, looked up in
 * the vendor registry (`registry.ts`) — never by a switch on the vendor.
 */
import type { AtEngine } from '../at/engine';
import type { Capabilities, DecodedError, ModemAdapter } from './adapter';
import { vendorRecord, type AdapterOptions } from './registry';
import type { VendorDialect, VendorId } from './types';

export { VENDORS, isVendor } from './types';
export type { VendorDialect, VendorId } from './types';
export { VENDOR_RECORDS, vendorRecord } from './registry';
export type { AdapterOptions, VendorRecord } from './registry';

export function dialectOf(vendor: VendorId): VendorDialect {
  return vendorRecord(vendor).dialect;
}

/** The TLS operations of a vendor on one modem. */
export function createAdapter(vendor: VendorId, engine: AtEngine, options: AdapterOptions): ModemAdapter {
  return vendorRecord(vendor).tls.createAdapter(engine, options);
}

/** What a vendor and platform can do, from tables alone (no modem); throws a PARAMETER error for an unknown platform. */
export function capabilitiesOf(vendor: VendorId, platform: string | undefined): Capabilities {
  return vendorRecord(vendor).tls.capabilities(platform);
}

/** A vendor's error explanations, usable without a modem (the error-decode node). */
export function decoderOf(vendor: VendorId): (error: { code?: string | number; line?: string }) => DecodedError {
  return vendorRecord(vendor).tls.decodeError;
}

/** Checks the vendor-specific settings of a modem config without a modem; throws a PARAMETER ModemError naming the field. */
export function validateVendorSettings(vendor: VendorId, platform: string | undefined): void {
  vendorRecord(vendor).checkSettings(platform);
}
