/** A simulated Telit module on a pseudo-terminal: see `modem-rig.ts`. */
import { createTelitModem, type TelitModemOptions } from '../../src/simulator';
import { startModemRig, type ModemRig } from './modem-rig';

export type TelitRig = ModemRig;

export function startTelitRig(options: TelitModemOptions): TelitRig {
  return startModemRig({ vendor: 'telit', label: 'Telit', platform: String(options.platform), modem: createTelitModem(options), apn: 'internet' });
}
