/**
 * The commands every Hayes-compatible modem answers, as ITU-T V.250 and 3GPP TS 27.007 define
 * them: `E`, `V`, `I`, `Z`, `&F`, `O`, `+CMEE`, identity (`+CGMI`/`+GMI`, `+CGMM`/`+GMM`,
 * `+CGMR`/`+GMR`, `+CGSN`/`+GSN`), the clock (`+CCLK`) and the SIM PIN (`+CPIN`). A generic modem is exactly this set;
 * a vendor dialect registers it first and then adds or replaces handlers.
 *
 * Owns: those handlers. Must never: print anything vendor-specific — identity comes from the
 * modem's profile, so a dialect changes the profile, not these handlers.
 */
import type { Field } from '../at/fields';
import type { CommandResult, SimulatedModem } from './modem';
import { CME, CmeError } from './results';

/**
 * A basic V.250 command with a value it does not accept answers plain `ERROR`: `+CME ERROR`
 * (27.007 §9.1) is for failures of the mobile equipment, not for V.250's own commands.
 */
const REFUSED: CommandResult = { final: 'ERROR' };

/** A basic command's on/off value: absent means 0 (V.250 §5.3.1); `undefined` for anything else. */
function flag(args: Field[]): boolean | undefined {
  const value = args[0] ?? 0;
  return value === 0 || value === 1 ? value === 1 : undefined;
}

export function registerHayesCommands(modem: SimulatedModem): void {
  // V.250 §6.2.4: E0 stops echo, E1 starts it; the echo of `ATE0` itself has already gone out.
  modem.register('E', {
    exec: ({ args }) => {
      const on = flag(args);
      if (on === undefined) return REFUSED;
      modem.settings.echo = on;
    },
  });
  // V.250 §6.2.6: V0 numeric result codes, V1 verbose.
  modem.register('V', {
    exec: ({ args }) => {
      const on = flag(args);
      if (on === undefined) return REFUSED;
      modem.settings.verbose = on;
    },
  });
  // V.250 §6.1.3: identification text is the manufacturer's choice.
  modem.register('I', {
    exec: () => [modem.profile.manufacturer, modem.profile.model, `Revision: ${modem.profile.revision}`],
  });
  // V.250 §6.1.1 (Z, reset to the stored profile) and §6.1.2 (&F, factory defaults): the simulator
  // stores no profile, so both restore the defaults. Only profile 0 exists.
  const reset = ({ args }: { args: Field[] }): CommandResult | undefined => {
    if ((args[0] ?? 0) !== 0) return REFUSED;
    modem.resetSettings();
    return undefined;
  };
  modem.register('Z', { exec: reset });
  modem.register('&F', { exec: reset });

  // V.250 §6.3.6 (O): back to the online data state the host escaped from; without one, NO CARRIER.
  modem.register('O', {
    exec: (ctx) => {
      if ((ctx.args[0] ?? 0) !== 0) return REFUSED;
      return ctx.resumeOnline() ? undefined : { final: 'NO CARRIER' };
    },
  });

  // 27.007 §9.1: +CMEE=[<n>], n 0 (plain ERROR), 1 (numeric), 2 (verbose); omitted means 0.
  modem.register('+CMEE', {
    write: ({ args }) => {
      const n = args[0] ?? 0;
      if (n !== 0 && n !== 1 && n !== 2) throw new CmeError(CME.INCORRECT_PARAMETERS);
      modem.settings.cmee = n;
    },
    read: () => `+CMEE: ${modem.settings.cmee}`,
    test: () => '+CMEE: (0-2)',
  });

  // 27.007 §5.1–5.4 and their V.250 §6.1.4–6.1.7 twins: the text alone, no prefix; the test form answers OK.
  const identity: Array<[string[], () => string]> = [
    [['+CGMI', '+GMI'], () => modem.profile.manufacturer],
    [['+CGMM', '+GMM'], () => modem.profile.model],
    [['+CGMR', '+GMR'], () => modem.profile.revision],
    [['+GSN'], () => modem.profile.imei],
  ];
  for (const [names, value] of identity) {
    for (const name of names) modem.register(name, { exec: () => value(), test: () => undefined });
  }
  // 27.007 §5.4: +CGSN[=<snt>]; snt 0 is the serial number alone, 1 the IMEI as `+CGSN: "<imei>"`.
  modem.register('+CGSN', {
    exec: () => modem.profile.imei,
    write: ({ args }) => {
      const snt = args[0] ?? 0;
      if (snt === 0) return modem.profile.imei;
      if (snt === 1) return `+CGSN: "${modem.profile.imei}"`;
      throw new CmeError(CME.INCORRECT_PARAMETERS);
    },
    test: () => '+CGSN: (0,1)',
  });

  // 27.007 §8.15: +CCLK="yy/MM/dd,hh:mm:ss±zz" sets the clock, +CCLK? reads it.
  modem.register('+CCLK', {
    read: () => `+CCLK: "${modem.clock.read()}"`,
    write: ({ args }) => {
      const text = args[0];
      if (args.length !== 1 || typeof text !== 'string' || !modem.clock.write(text)) {
        throw new CmeError(CME.INCORRECT_PARAMETERS);
      }
    },
    test: () => undefined,
  });

  // 27.007 §8.3: +CPIN? says what the SIM waits for (READY or SIM PIN); +CPIN=<pin> unlocks it. A
  // wrong PIN is +CME ERROR: 16 (incorrect password); a PIN to a SIM that asks for none, 3.
  modem.register('+CPIN', {
    read: () => `+CPIN: ${modem.sim.locked ? 'SIM PIN' : 'READY'}`,
    write: ({ args }) => {
      const pin = args[0];
      if (args.length < 1 || args.length > 2 || typeof pin !== 'string') throw new CmeError(CME.INCORRECT_PARAMETERS);
      if (!modem.sim.locked) throw new CmeError(CME.OPERATION_NOT_ALLOWED);
      if (pin !== modem.sim.pin) throw new CmeError(CME.INCORRECT_PASSWORD);
      modem.sim.locked = false;
    },
    test: () => undefined,
  });
}
