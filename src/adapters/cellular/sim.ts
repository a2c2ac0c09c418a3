/**
 * The SIM PIN of a cellular module (3GPP TS 27.007 §8.3 +CPIN): asked for after every power-up by
 * a SIM that has one, and given from the modem config's `simPin` credential.
 *
 * Owns: reading what the SIM waits for, giving the PIN only when it asks for one (a PIN given to a
 * SIM that is ready is refused by the module, and a wrong one counts against the three tries), the
 * PIN as a secret parameter (masked in every trace and error), and the check of the PIN's form.
 * Must never: give the PIN twice after a refusal (a second wrong PIN brings the SIM closer to its
 * PUK), or answer a PUK request — that needs a person.
 */
import { buildCommand, p, readCommand } from '../../at/command';
import type { AtChannel } from '../../at/engine';
import { isModemError, ModemError, parameterError } from '../../at/errors';

/** 27.007 §8.3 and ETSI TS 102 221 §9.5.1: a PIN is 4 to 8 decimal digits. */
export function checkSimPin(pin: string): void {
  if (!/^\d{4,8}$/.test(pin)) throw parameterError('simPin', 'must be 4 to 8 digits (0-9)');
}

/** What outlives one bring-up: the refusal of a PIN, so that the same PIN is never given twice. */
export interface SimMemory {
  refused?: ModemError;
}

/**
 * Unlocks the SIM with `pin` when it asks for its PIN; nothing is sent beyond `AT+CPIN?` when it
 * is ready. A module without +CPIN, a SIM that waits for something else (PUK, PIN2, a network
 * lock), and a PIN the SIM refuses each fail naming `simPin`.
 */
export async function unlockSim(at: AtChannel, pin: string, vendor: string, memory: SimMemory = {}): Promise<void> {
  checkSimPin(pin);
  let state: string;
  try {
    const answer = await at.send({ line: readCommand('+CPIN'), responsePrefixes: ['+CPIN:'] });
    state = (answer.lines.find((l) => l.startsWith('+CPIN:')) ?? '').replace(/^\+CPIN:\s*/, '').replace(/"/g, '').trim().toUpperCase();
  } catch (err) {
    if (!isModemError(err) || (err.kind !== 'CME' && err.kind !== 'FINAL')) throw err;
    throw simError(vendor, `is set, and the module does not say what its SIM waits for (AT+CPIN? answered ${err.line ?? err.message}): clear simPin if the SIM has no PIN`);
  }
  if (state === 'READY') return;
  if (state !== 'SIM PIN') {
    throw simError(vendor, `cannot answer "${state || 'nothing'}": the SIM waits for something other than its PIN (a PUK needs a person, AT+CPIN="<puk>","<new pin>")`);
  }
  // A PIN the SIM refused is not given again (each wrong PIN uses one of its three tries): a
  // later bring-up of the same connection fails with the same error until the config changes.
  if (memory.refused) throw memory.refused;
  try {
    await at.send({ line: buildCommand('+CPIN', [p.str('simPin', pin, { secret: true, maxLength: 8 })]) });
  } catch (err) {
    if (!isModemError(err) || (err.kind !== 'CME' && err.kind !== 'FINAL')) throw err;
    memory.refused = simError(vendor, `was refused by the SIM (${err.line ?? err.message}); it is not given again, as each wrong PIN uses one of the SIM's three tries: correct simPin in the modem config and deploy`);
    throw memory.refused;
  }
}

function simError(vendor: string, what: string): ModemError {
  return new ModemError({ kind: 'PARAMETER', vendor, field: 'simPin', message: `simPin ${what}` });
}
