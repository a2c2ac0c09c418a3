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

/**
 * The log index once the module has left the command-mode session the last operation opened (the
 * engine ends it with ATCN after a short linger): from there on, any line is new work, and a fault
 * switched on then meets it.
 */
export async function quietMark(r: Xbee3Rig): Promise<number> {
  const lines = r.modem.log.map((e) => e.line);
  const lastSession = lines.lastIndexOf('ATCN');
  let lastCommand = lines.length - 1;
  while (lastCommand >= 0 && !/^AT/.test(lines[lastCommand]!)) lastCommand--;
  if (lastCommand > lastSession) await r.modem.waitForCommand('ATCN', 5000, lastCommand + 1);
  return r.modem.log.length;
}
