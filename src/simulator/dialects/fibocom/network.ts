/**
 * The packet-data side of the L610: `+MIPCALL` (activate or deactivate the PDP context, with its
 * APN and credentials; the result as a URC) and `+GTSET="IPRFMT",<n>` (the format of received
 * data: hex +MIPRTCP pushed, or read mode).
 *
 * Owns: the context's state and address, and what losing it does to the sockets. Must never:
 * reach a network (the address is made up), or print the password.
 *
 * The manual shows `+MIPCALL` only in examples (l. 326-329, l. 442-446); the full syntax follows
 * the +MIP command family (Motorola G24 AT reference, Fibocom G6xx manuals) and public L610
 * drivers, since Fibocom's L610 AT manual was not available:
 * ```
 *   → AT+MIPCALL=1,"CMNET"[,"<user>","<password>"]   ← OK   … ← +MIPCALL: 10.109.197.168   (failed: +MIPCALL: 0)
 *   → AT+MIPCALL?                                     ← +MIPCALL: 1,10.109.197.168  ← OK   (inactive: +MIPCALL: 0)
 *   → AT+MIPCALL=0                                    ← OK   … ← +MIPCALL: 0
 * ```
 * Choices where neither source says: activating an active (or activating) context, or
 * deactivating an inactive one, is ERROR; deactivation ends each socket as a lost network would
 * (+MIPSTAT: <id>,1, or +MIPOPEN: <id>,0 for one still connecting) before +MIPCALL: 0.
 */
import { Params, plainErrors, range, refuse } from './args';
import type { FibocomDevice } from './state';
import { LIMITS, RECEIVE_FORMAT } from './tables';

export function registerNetworkCommands(device: FibocomDevice): void {
  const modem = device.modem;
  const register = (name: string, handlers: Parameters<typeof plainErrors>[0]): void => {
    modem.register(name, plainErrors(handlers, (reason, line) => (device.lastRefusal = { line, reason })));
  };
  let activation: NodeJS.Timeout | undefined;

  const deactivate = (): void => {
    device.timers.cancel(activation);
    activation = undefined;
    for (const socket of [...device.sockets.values()]) socket.networkLost();
    device.pdp = { state: 'inactive', apn: '', user: '', password: '', ip: '' };
    modem.emitUrc('+MIPCALL: 0');
  };

  // A data call needs the SIM (the manual's "Pin Restricted" column).
  modem.requiresSim('+MIPCALL');
  register('+MIPCALL', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(1, 4);
      const operation = p.int(0, range(0, 1));
      if (operation === 0) {
        p.expect(1, 1);
        if (device.pdp.state === 'inactive') refuse('no PDP context to deactivate');
        // URCs wait until the OK is out.
        deactivate();
        return undefined;
      }
      if (p.count === 3) refuse('<user name> without <password>');
      const apn = p.count > 1 ? p.text(1, LIMITS.apn) : '';
      const user = p.count > 2 ? p.text(2, LIMITS.user) : '';
      const password = p.count > 3 ? p.text(3, LIMITS.password) : '';
      if (device.pdp.state !== 'inactive') refuse('the PDP context is already active');
      device.pdp = { state: 'activating', apn, user, password, ip: '' };
      activation = device.timers.after(device.options.activationDelayMs, () => {
        activation = undefined;
        if (device.activationFails) {
          device.pdp = { state: 'inactive', apn: '', user: '', password: '', ip: '' };
          modem.emitUrc('+MIPCALL: 0');
          return;
        }
        device.pdp = { ...device.pdp, state: 'active', ip: device.options.ipAddress };
        modem.emitUrc(`+MIPCALL: ${device.options.ipAddress}`);
      });
      return undefined;
    },
    read: () => (device.pdp.state === 'active' ? `+MIPCALL: 1,${device.pdp.ip}` : '+MIPCALL: 0'),
    test: () => '+MIPCALL: (0-1)',
  });

  // AT+GTSET="IPRFMT",<n>: 0, the hex +MIPRTCP every example shows (l. 424-432), or 5, read mode.
  register('+GTSET', {
    write: (ctx) => {
      const p = new Params(ctx.rawArgs).expect(2, 2);
      if (p.text(0, 16).toUpperCase() !== 'IPRFMT') refuse(`+GTSET "${p.text(0, 16)}" is not simulated`);
      const format = p.int(1, range(RECEIVE_FORMAT.hex, RECEIVE_FORMAT.read));
      if (format !== RECEIVE_FORMAT.hex && format !== RECEIVE_FORMAT.read) refuse(`IPRFMT ${format} is not simulated`);
      if (format === device.receiveFormat) return;
      device.receiveFormat = format;
      for (const socket of device.sockets.values()) socket.formatChanged();
    },
  });
}
