/**
 * The simulated Fibocom L610 on a pseudo-terminal: see `modem-rig.ts`. Its guard timers run
 * twenty times faster than the module's (`timeScale`), and a server that does not answer fails
 * an open within seconds instead of the module's 20 s.
 */
import { createFibocomModem, fibocomDevice, type FibocomDevice, type FibocomModemOptions } from '../../src/simulator/dialects/fibocom';
import { startModemRig, type ModemRig } from './modem-rig';

export interface FibocomRig extends ModemRig {
  /** The module's state (files, SSL settings, PDP context, sockets, last handshake), for assertions. */
  readonly device: FibocomDevice;
}

export function startFibocomRig(options: FibocomModemOptions = {}): FibocomRig {
  const platform = options.platform ?? 'L610';
  const modem = createFibocomModem({ timeScale: 0.05, connectTimeoutMs: 5000, handshakeTimeoutMs: 5000, ...options, platform });
  const device = fibocomDevice(modem);
  if (!device) throw new Error('fibocom-rig: the simulated modem has no Fibocom state');
  return { ...startModemRig({ vendor: 'fibocom', label: 'Fibocom', platform, modem, apn: 'internet' }), device };
}
