/**
 * The AT engine: how this package talks to a modem.
 *
 * One `AtEngine` serves one link. Commands are queued and sent one at a time; each
 * declares how its answer ends, so the engine never guesses. A worked example, the
 * Telit manual's receive in COMMAND mode with a URC arriving in the middle:
 *
 * ```
 * engine.send({
 *   line: buildCommand('#SSLRECV', [p.int('SSId', 1), p.int('maxBytes', 300)]),
 *   payloads: [{ name: 'SSLRECV', pattern: /^#SSLRE?CV: (\d+)$/, where: 'next-line', length: (m) => +m[1] }],
 * })
 *
 *   → AT#SSLRECV=1,300<CR>
 *   ← <CR><LF>SSLSRING: 2,40<CR><LF>          a URC (dialect rule): published as `urc`, not part of the answer
 *   ← <CR><LF>#SSLRECV: 12<CR><LF>            the header: the next 12 bytes are data, whatever they are
 *   ← hi<CR><LF>OK<CR><LF>!!                  … so this `OK` is payload, not a final result code
 *   ← <CR><LF>OK<CR><LF>                      the final result code: the promise resolves
 *
 *   = { final: 'OK', lines: [], payloads: [{ header: '#SSLRECV: 12', data: <68 69 0d 0a 4f 4b 0d 0a 21 21 …> }] }
 * ```
 *
 * The hard cases, and where they are handled:
 * - A URC that looks like the answer it interrupts: a command lists its `responsePrefixes`;
 *   such lines are its own even when a URC rule matches them. A line of the command's own name
 *   is its own too, unless the command says that name is only ever a URC (`nameIsUrc`: Fibocom
 *   `+MIPREAD:` announcing another socket's data in the middle of an `AT+MIPREAD=` answer).
 * - Binary data that contains `OK`: taken by count (`PayloadRule`), never by scanning.
 * - Prompts (`>`, `> `, `@`) are only recognised while the command in flight waits for one,
 *   at the start of a line, even when split across reads; URCs keep flowing meanwhile.
 * - Timeouts: the command is rejected, then the engine resynchronises (ESC if a prompt
 *   was pending, then `AT` until `OK` and a quiet period) before the next command.
 * - ONLINE mode (`CONNECT` … `NO CARRIER`): every byte is data; `escapeOnline()` sends
 *   the escape sequence with its guard times; commands are refused meanwhile.
 * - Echo on (ATE1): the echoed command line is recognised and dropped.
 */
export { AtEngine, STANDARD_FINALS, DIAL_FINALS } from './engine';
export type { AtChannel, AtResponse, CommandSpec, DialectFraming, EngineMode, EngineOptions, FinalCode, PromptSpec, TraceEntry, Urc, UrcRule } from './engine';
export { buildCommand, readCommand, testCommand, checkRawCommand, encodeCommandLine, encodeText, p, REDACTED } from './command';
export type { AtParam, Charset, CommandLine } from './command';
export { ModemError, parameterError, isModemError } from './errors';
export type { ModemErrorCode, ModemErrorInit } from './errors';
export { redactStandardSecrets, standardSecretResponse, redactParameters, redactValues, answersWithSecret, STANDARD_SECRET_PARAMETERS, STANDARD_SECRET_ANSWERS } from './secrets';
export type { SecretAnswerRule, SecretParameterRule, SecretPositions } from './secrets';
export { STANDARD_URCS } from './urcs';
export { Framer } from './framer';
export type { FrameEvent, PayloadRule } from './framer';
export { parseLine, splitFields } from './fields';
export type { Field, ParsedLine } from './fields';
