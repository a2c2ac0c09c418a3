/** The simulated u-blox module (SARA-R5 by default) on a pseudo-terminal: see `modem-rig.ts`. */
import { createUbloxModem, ubloxDevice, type UbloxDevice, type UbloxModemOptions } from '../../src/simulator/dialects/ublox';
import { startModemRig, type ModemRig } from './modem-rig';

export interface UbloxRig extends ModemRig {
  /** The module's state (stored items, profiles, sockets), for assertions. */
  readonly device: UbloxDevice;
}

export function startUbloxRig(options: UbloxModemOptions = {}): UbloxRig {
  const platform = options.platform ?? 'SARA-R5';
  const modem = createUbloxModem({ connectTimeoutMs: 5000, ...options, platform });
  const device = ubloxDevice(modem);
  if (!device) throw new Error('ublox-rig: the simulated modem has no u-blox state');
  return { ...startModemRig({ vendor: 'ublox', label: 'u-blox', platform, modem, apn: 'internet' }), device };
}
