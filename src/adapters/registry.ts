/**
 * The vendor registry: one record per vendor and the only list of vendors there is. Everything
 * that depends on the vendor looks it up here: the connection that builds an adapter, the
 * error-decode node, the capabilities endpoint and, through the build, the editor's vendor and
 * platform lists and its validators.
 *
 * Must never: be bypassed by a switch on the vendor anywhere else. Adding a vendor is a folder
 * under `src/adapters/` with a record (`vendor.ts` says what it holds), and one line below.
 */
import type { VendorId } from './types';
import type { VendorRecord } from './vendor';
import { telitVendor } from './telit';
import { ubloxVendor } from './ublox';
import { fibocomVendor } from './fibocom';
import { xbee3Vendor } from './xbee3';
import { eswifiVendor } from './eswifi';

export type { AdapterOptions, OperationName, TlsSupport, VendorRecord } from './vendor';

/** The records, in the order the editor lists them. A vendor missing here fails to compile. */
export const VENDOR_RECORDS: Readonly<Record<VendorId, VendorRecord>> = {
  telit: telitVendor,
  ublox: ubloxVendor,
  fibocom: fibocomVendor,
  xbee3: xbee3Vendor,
  eswifi: eswifiVendor,
};

export function vendorRecord(vendor: VendorId): VendorRecord {
  return VENDOR_RECORDS[vendor];
}
