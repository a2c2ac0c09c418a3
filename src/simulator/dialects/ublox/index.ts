/**
 * The u-blox dialect of the simulated modem: a cellular module in the manner of SARA-R5, answering
 * the generic Hayes commands, the "Device and data security" commands of `seeds/003` (+USECCHIP,
 * +USECMNG, +USECPRF) and the TCP socket commands of UBX-19047455, opening real TLS connections
 * through the simulator's TLS stack.
 *
 * Owns: assembling a module — its state, the `SimulatedModem`, the command groups — and the power
 * supply. Must never: hold a command's behaviour (each group lives in its own file).
 *
 * ```
 * const modem = createUbloxModem();                                   // SARA-R5, powered on, echo on, +CMEE=0
 * const other = createUbloxModem({ platform: 'generic', chipId: 'A1B2C3D4' });
 * ubloxDevice(modem)?.user;                                           // the imported certificates, for tests
 * ```
 */
import { registerHayesCommands } from '../../hayes';
import { SimulatedModem, type SimulatedModemOptions } from '../../modem';
import { openTls } from '../../tls-stack';
import type { OpenTls } from '../../tls-types';
import { registerProfileCommands } from './profile';
import { registerNetworkCommands } from './network';
import { generatePreinstalled, preinstalledItem, registerSecurityCommands } from './security';
import { registerSocketCommands } from './sockets';
import { UbloxDevice, type ZtpCredentials } from './state';
import { DEFAULT_PLATFORM, LIMITS, PLATFORMS, type UbloxPlatformId } from './tables';

export { UbloxDevice } from './state';
export type { SecurityProfile, StoredItem, ZtpCredentials } from './state';
export { rotPsk } from './profile';
export { md5 } from './security';
export { PLATFORMS as UBLOX_PLATFORMS, DEFAULT_PLATFORM as DEFAULT_UBLOX_PLATFORM } from './tables';
export type { UbloxPlatformId } from './tables';

export interface UbloxModemOptions extends SimulatedModemOptions {
  /** `SARA-R5` (default: the manual's Notes and "Allowed values" apply) or `generic` (every documented value). */
  platform?: UbloxPlatformId | string;
  /** What +USECCHIP answers; default the manual's example, `12345678`. */
  chipId?: string;
  /** The TLS stack; default `openTls` of `tls-stack.ts`. */
  openTls?: OpenTls;
  /** Multiplies the module's guard timers (20 s import guard, …) so tests need not wait. Default 1. */
  timeScale?: number;
  /** TCP connect plus handshake; default the manual's 60 s handshake inactivity timer × `timeScale`. */
  connectTimeoutMs?: number;
  /** Files already on the module's file system (for +USECMNG op 1). */
  files?: Readonly<Record<string, Buffer | string>>;
  /**
   * The pre-installed database, replacing the stand-ins for the manual's eight roots: tests put a
   * test CA here to use it by name and see that it cannot be removed.
   */
  preinstalled?: ReadonlyArray<{ name: string; cert: Buffer | string }>;
  /** What Zero Touch Provisioning delivers for +USECPRF op 14; without it, op 14 ≠ 0 connections fail. */
  ztp?: ZtpCredentials;
  /** Default true: the module comes back powered on. */
  powerOn?: boolean;
}

const devices = new WeakMap<SimulatedModem, UbloxDevice>();

/** The state behind a u-blox modem, for inspection in tests. */
export function ubloxDevice(modem: SimulatedModem): UbloxDevice | undefined {
  return devices.get(modem);
}

export function createUbloxModem(options: UbloxModemOptions = {}): SimulatedModem {
  const { platform: id = DEFAULT_PLATFORM, chipId = '12345678', openTls: tls, timeScale = 1, connectTimeoutMs, files, preinstalled, ztp, powerOn = true, profile, ...rest } =
    options;
  const platform = PLATFORMS[id as UbloxPlatformId];
  if (!platform) throw new RangeError(`platform: unknown u-blox platform "${id}"; available: ${Object.keys(PLATFORMS).join(', ')}`);
  const items = preinstalled?.map((entry) => preinstalledItem(entry.name, entry.cert));
  const device = new UbloxDevice(
    platform,
    { openTls: tls ?? openTls, chipId, timeScale, connectTimeoutMs: connectTimeoutMs ?? LIMITS.handshakeMs * timeScale, ztp },
    () => items ?? generatePreinstalled(),
  );
  for (const [name, data] of Object.entries(files ?? {})) device.files.set(name, typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data));
  const modem = new SimulatedModem({
    ...rest,
    profile: { manufacturer: 'u-blox', model: platform.model, revision: platform.revision, imei: '354401083984536', banner: [], ...profile },
  });
  device.modem = modem;
  devices.set(modem, device);
  registerHayesCommands(modem);
  registerSecurityCommands(device);
  registerProfileCommands(device);
  registerSocketCommands(device);
  registerNetworkCommands(device);
  modem.on('power', (state) => {
    if (state === 'off') device.powerLost();
  });
  if (powerOn) void modem.powerOn();
  return modem;
}
