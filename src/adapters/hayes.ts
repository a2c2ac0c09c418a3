/**
 * Defaults shared by the three dialects that follow ITU-T V.250 / 3GPP TS 27.007
 * closely (Telit, u-blox, Fibocom): `AT` prefix, CR terminator, `+++` escape with
 * a one-second guard time (S12 default 50 × 20 ms), echo off and numeric `+CME ERROR`.
 */
export const HAYES_INIT = ['ATE0', 'AT+CMEE=1'] as const;
export const HAYES_ESCAPE = { sequence: '+++', guardMs: 1000 } as const;
