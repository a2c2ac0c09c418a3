/**
 * Fibocom L610 framing (seeds/004). `+MIPCALL=<operation>[,<APN>[,<username>,<password>]]`
 * may carry a PDP password as its fourth parameter.
 */
import { STANDARD_URCS } from '../../at/urcs';
import { HAYES_ESCAPE, HAYES_INIT } from '../hayes';
import { dialectRedaction, type VendorDialect } from '../types';

export const fibocomDialect: VendorDialect = {
  vendor: 'fibocom',
  label: 'Fibocom L610',
  initCommands: HAYES_INIT,
  atPrefix: true,
  escape: HAYES_ESCAPE,
  // The L610's own codes (+MIPCALL, +MIPRTCP, …) join with its adapter; the 27.007 ones apply already.
  urcs: [...STANDARD_URCS],
  ...dialectRedaction({ parameters: [{ name: '+MIPCALL', secret: { from: 3 } }] }),
};
