/** The vendor table: the one place that maps a vendor id to its folder. */
import { eswifiDialect } from './eswifi/dialect';
import { fibocomDialect } from './fibocom/dialect';
import { telitDialect } from './telit/dialect';
import type { VendorDialect, VendorId } from './types';
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
