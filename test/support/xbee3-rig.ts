/**
 * The simulated Digi XBee3 Cellular on a pseudo-terminal: see `modem-rig.ts`. Its module timers
 * (CT, TM, YMODEM) run at the module's pace: the adapter reads CT and GT from the module and
 * keeps to them. The module comes with GT saved at 100 ms (an integrator's setting; the factory
 * 1 s works the same, slower), and a server that does not answer fails a connection within 5 s.
 */
import { createXbee3Modem, xbee3Device, type Xbee3Device, type Xbee3ModemOptions } from '../../src/simulator/dialects/xbee3';
import { startModemRig, type ModemRig } from './modem-rig';

export interface Xbee3Rig extends ModemRig {
  /** The module's state (flash files, registers, sockets, CI/OD, last handshake), for assertions. */
  readonly device: Xbee3Device;
}

export function startXbee3Rig(options: Xbee3ModemOptions & { guardMs?: number } = {}): Xbee3Rig {
  const platform = options.platform ?? 'LTE-M';
  const { guardMs = 100, ...rest } = options;
  const modem = createXbee3Modem({ connectTimeoutMs: 5000, ...rest, platform });
  const device = xbee3Device(modem);
  if (!device) throw new Error('xbee3-rig: the simulated modem has no XBee3 state');
  device.registers.set('GT', guardMs);
  device.registers.write();
  return { ...startModemRig({ vendor: 'xbee3', label: 'XBee3', platform, modem, apn: 'internet' }), device };
}
