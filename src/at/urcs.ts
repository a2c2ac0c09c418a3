/**
 * The unsolicited result codes every modem that follows ITU-T V.250 and 3GPP TS 27.007 / 27.005
 * may print at any moment — between commands or in the middle of an answer.
 *
 * Owns: recognising those lines, so the engine publishes them as URCs instead of counting them as
 * part of whatever answer they interrupt. A command's own answer is never taken for one of them:
 * `AT+CREG?` claims its `+CREG:` lines (see `commandPrefixes` in the engine).
 * Must never: list a vendor's own codes (each dialect adds those), or a code whose report spans
 * several lines (`+CMT:`, `+CBM:`, `+CDS:` carry the message on the next line; taking only the
 * header would leave the message to be mistaken for an answer line).
 */
import type { UrcRule } from './engine';

/** A one-line URC named by its prefix: `+CREG: 5` is published as `+CREG`. */
function prefixed(name: string): UrcRule {
  const escaped = name.replace(/[+^$]/g, (c) => `\\${c}`);
  return { name, pattern: new RegExp(`^${escaped}: ?`) };
}

export const STANDARD_URCS: readonly UrcRule[] = [
  // 27.007 §7.2, §10.1.20, §10.1.22, §10.1.45: network registration (circuit, GPRS, EPS, 5GS).
  prefixed('+CREG'),
  prefixed('+CGREG'),
  prefixed('+CEREG'),
  prefixed('+C5GREG'),
  // 27.007 §10.1.19: packet domain events (context activated, deactivated, detached …).
  prefixed('+CGEV'),
  // V.250 §6.3.4 and 27.007 §6.11: an incoming call.
  { name: 'RING', pattern: /^RING$/ },
  prefixed('+CRING'),
  // 27.007 §7.6, §7.12, §7.17: calling line, call waiting, supplementary service notifications.
  prefixed('+CLIP'),
  prefixed('+CCWA'),
  prefixed('+CSSI'),
  prefixed('+CSSU'),
  // 27.007 §7.15: USSD.
  prefixed('+CUSD'),
  // 27.005 §3.4.1: a short message or status report stored (one line; the message stays in storage).
  prefixed('+CMTI'),
  prefixed('+CDSI'),
  // 27.007 §8.10: indicator events; §8.41: time zone reporting.
  prefixed('+CIEV'),
  prefixed('+CTZV'),
  prefixed('+CTZE'),
  prefixed('+CTZEU'),
  // V.250 §6.3.1: the connection is gone. Outside a dial command (which ends with it), it is news.
  { name: 'NO CARRIER', pattern: /^NO CARRIER(?:[: ].*)?$/ },
];
