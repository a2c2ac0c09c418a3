/**
 * A modem you can run without hardware, for tests, the demo and benchmarks.
 *
 * Owns: the public entry to the simulator and the table of dialects it can play. Must never: hold
 * a vendor's behaviour itself — each dialect lives in `dialects/<vendor>.ts`, registers the generic
 * Hayes set (`registerHayesCommands`) and then its own handlers, and gets one row in
 * `SIMULATED_VENDORS`.
 *
 * ```
 * const modem = createGenericModem();                  // powered on, echo on, +CMEE=0
 * const endpoint = await listenTcp(modem, { port: 0 }); // or servePty(modem) for a device path
 * // … the host talks to 127.0.0.1:endpoint.port …
 * await endpoint.close();
 * modem.close();
 * ```
 */
import type { TelitPlatformId } from './dialects/telit';
import { createFibocomModem } from './dialects/fibocom';
import { createEswifiModem } from './dialects/eswifi';
import { createTelitModem } from './dialects/telit';
import { createUbloxModem } from './dialects/ublox';
import { createXbee3Modem } from './dialects/xbee3';
import { registerHayesCommands } from './hayes';
import { SimulatedModem, type SimulatedModemOptions } from './modem';

export { SimulatedModem, DEFAULT_PROFILE, DEFAULT_SETTINGS } from './modem';
export type {
  CommandContext,
  CommandHandler,
  CommandHandlers,
  CommandLogEntry,
  CommandResult,
  HandlerResult,
  ModemFaults,
  ModemProfile,
  ModemSettings,
  OnlineLink,
  OnlineSession,
  PromptInput,
  PromptRequest,
  SimulatedModemOptions,
} from './modem';
export { parseCommandLine } from './command-line';
export type { CommandForm, CommandLineParser, ParsedCommand } from './command-line';
export { CME, CME_TEXT, CmeError, isCmeFailure, cmeResultCode, formatInformation, formatResultCode } from './results';
export type { CmeFailure } from './results';
export { SimulatedClock, parseCclk, formatCclk, MAX_ZONE_QUARTERS } from './clock';
export type { ClockReading } from './clock';
export { LinePacer } from './throttle';
export { registerHayesCommands } from './hayes';
export { listenTcp, servePty } from './transports';
export type { PtyEndpoint, PtyOptions, TcpEndpoint, TcpOptions } from './transports';
export { createTelitModem, attachTelitInstance, telitDevice } from './dialects/telit';
export type { TelitModemOptions } from './dialects/telit';
export { createUbloxModem, ubloxDevice } from './dialects/ublox';
export type { UbloxModemOptions } from './dialects/ublox';
export { createFibocomModem, fibocomDevice } from './dialects/fibocom';
export type { FibocomModemOptions } from './dialects/fibocom';
export { createXbee3Modem, xbee3Device } from './dialects/xbee3';
export type { Xbee3ModemOptions } from './dialects/xbee3';
export { createEswifiModem, eswifiDevice } from './dialects/eswifi';
export type { EswifiModemOptions } from './dialects/eswifi';

export interface GenericModemOptions extends SimulatedModemOptions {
  /** Default true: the modem comes back powered on (its banner goes to `output`, if given). */
  powerOn?: boolean;
}

/**
 * A modem that answers the generic Hayes set only (V.250 basics, 27.007 identity, `+CMEE`, `+CCLK`),
 * with `DEFAULT_PROFILE` (manufacturer "Simulated", model "Hayes") unless `profile` says otherwise.
 */
export function createGenericModem(options: GenericModemOptions = {}): SimulatedModem {
  const { powerOn = true, ...rest } = options;
  const modem = new SimulatedModem(rest);
  registerHayesCommands(modem);
  if (powerOn) void modem.powerOn();
  return modem;
}

/** What the CLI hands a dialect: the generic options, plus the platform for vendors that have several. */
export interface SimulatedVendorOptions extends GenericModemOptions {
  /** e.g. a Telit platform ID (`30`); a dialect with one platform ignores it, one with several rejects an unknown one. */
  platform?: string;
}

/** The Telit platform played when none is named: ME910C1 (ID 30), PEM security data, TLS up to 1.2. */
export const DEFAULT_TELIT_PLATFORM: TelitPlatformId = '30';

/** The dialects the simulator can play, by the name the CLI's `--vendor` takes. */
export const SIMULATED_VENDORS: Readonly<Record<string, (options?: SimulatedVendorOptions) => SimulatedModem>> = {
  generic: createGenericModem,
  telit: ({ platform, ...options } = {}) => createTelitModem({ ...options, platform: (platform ?? DEFAULT_TELIT_PLATFORM) as TelitPlatformId }),
  // SARA-R5 unless `platform` names another (`generic`: every value the u-blox manual documents).
  ublox: (options = {}) => createUbloxModem(options),
  // The L610, the one Fibocom platform (`platform` may only name it).
  fibocom: (options = {}) => createFibocomModem(options),
  // The XBee3 Cellular LTE-M, booting in transparent mode (AP=0): `+++` after a guard time (GT, 1 s) reaches command mode.
  xbee3: (options = {}) => createXbee3Modem(options),
  // The Inventek eS-WiFi ISM43362: two-letter commands without AT, answers ending with the prompt `> `.
  eswifi: (options = {}) => createEswifiModem(options),
};
