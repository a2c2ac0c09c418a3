/**
 * The Fibocom dialect of the simulated modem: an L610 answering the generic Hayes commands, the
 * SSL commands of its SSL manual (`seeds/004`: +GTSSLFILE, +GTSSLMODE, +GTSSLVER, +GTSSLCIPHER,
 * +GTSSLERR) and the +MIP socket commands its examples use, opening real TLS connections.
 *
 * Owns: assembling a module — its state, the `SimulatedModem`, the command groups — the power
 * supply, and the module clock's start value. Must never: hold a command's behaviour (each group
 * lives in its own file) or a table (`tables.ts`).
 *
 * ```
 * const modem = createFibocomModem();                         // powered on, echo on; prints +SIM READY
 * const quick = createFibocomModem({ timeScale: 0.01, route: () => ({ host: '127.0.0.1', port }) });
 * fibocomDevice(modem)?.files.TRUSTFILE;                      // what was uploaded, for tests
 * await modem.reboot();                                       // power cycle: everything SSL is lost
 * ```
 */
import { registerHayesCommands } from '../../hayes';
import { SimulatedModem, type SimulatedModemOptions } from '../../modem';
import { CME, CmeError } from '../../results';
import { registerNetworkCommands } from './network';
import { registerSecurityCommands } from './security';
import { registerSocketCommands } from './sockets';
import { FibocomDevice } from './state';
import { CLOCK_AT_POWER_UP, DEFAULT_IP, IDENTITY, LIMITS } from './tables';

export { FibocomDevice } from './state';
export type { HandshakeRecord, PdpContext, SslSettings } from './state';
export { FibocomSocket } from './sockets';
export { CIPHER_IDS as FIBOCOM_CIPHER_IDS, SSL_ERROR as FIBOCOM_SSL_ERROR, cipherIdIana as fibocomCipherIana } from './tables';

export interface FibocomModemOptions extends SimulatedModemOptions {
  /** Only `L610` (the default) exists; any other name is refused. */
  platform?: string;
  /** Multiplies the module's guard timers (the 12 s ODM input timer of +GTSSLFILE and +MIPSEND) so tests need not wait. Default 1. */
  timeScale?: number;
  /** TCP connect of +MIPOPEN; beyond it the open fails with -4. Default 20 s. */
  connectTimeoutMs?: number;
  /** TLS handshake after the TCP connect; a server silent that long fails the open with -8. Default 20 s. */
  handshakeTimeoutMs?: number;
  /** Default true: `+MIPOPEN: 1,1`. False: `+MIPOPEN 1,1`, the form of the manual's Examples 2 and 3 (l. 360, l. 388). */
  openResultColon?: boolean;
  /** Bytes of received data per `+MIPRTCP` URC; default 1024. */
  rtcpChunkBytes?: number;
  /** The address `+MIPCALL` reports; default the manual's `10.79.220.142` (l. 329). */
  ipAddress?: string;
  /** Time from `AT+MIPCALL=1` to its URC; default 100 ms. */
  activationDelayMs?: number;
  /** Every activation fails (`+MIPCALL: 0`); also `fibocomDevice(modem).activationFails` at run time. Default false. */
  activationFails?: boolean;
  /** The module clock after each power-up; default 2000-01-01 00:00:00 UTC, so certificate dates fail until +CCLK is set. */
  clockAtPowerUp?: Date | number;
  /**
   * Where +MIPOPEN really connects: maps the host and port the host asked for (`www.baidu.com`,
   * 443) to a reachable server; `undefined` keeps them. The name asked for is still sent as SNI.
   */
  route?: (host: string, port: number) => { host: string; port: number } | undefined;
  /** Default true: the module comes back powered on. */
  powerOn?: boolean;
}

const devices = new WeakMap<SimulatedModem, FibocomDevice>();

/** The state behind a Fibocom modem, for inspection in tests. */
export function fibocomDevice(modem: SimulatedModem): FibocomDevice | undefined {
  return devices.get(modem);
}

const CCLK_WITHOUT_ZONE = /^\d{2}\/\d{2}\/\d{2},\d{2}:\d{2}:\d{2}$/;

export function createFibocomModem(options: FibocomModemOptions = {}): SimulatedModem {
  const {
    platform = IDENTITY.model,
    timeScale = 1,
    connectTimeoutMs = 20_000,
    handshakeTimeoutMs = 20_000,
    openResultColon = true,
    rtcpChunkBytes = LIMITS.rtcpChunk,
    ipAddress = DEFAULT_IP,
    activationDelayMs = 100,
    activationFails = false,
    clockAtPowerUp = CLOCK_AT_POWER_UP,
    route,
    powerOn = true,
    profile,
    ...rest
  } = options;
  if (platform !== IDENTITY.model) throw new RangeError(`platform: unknown Fibocom platform "${platform}"; available: ${IDENTITY.model}`);
  if (!(timeScale > 0)) throw new RangeError(`timeScale: must be above 0, got ${timeScale}`);
  if (!Number.isInteger(rtcpChunkBytes) || rtcpChunkBytes < 1) throw new RangeError(`rtcpChunkBytes: must be a whole number above 0, got ${rtcpChunkBytes}`);
  const device = new FibocomDevice({
    timeScale,
    connectTimeoutMs,
    handshakeTimeoutMs,
    openResultColon,
    rtcpChunkBytes,
    ipAddress,
    activationDelayMs,
    clockAtPowerUp: Number(clockAtPowerUp),
    route,
  });
  device.activationFails = activationFails;
  const modem = new SimulatedModem({
    ...rest,
    profile: { manufacturer: IDENTITY.manufacturer, model: IDENTITY.model, revision: IDENTITY.revision, imei: IDENTITY.imei, banner: [...IDENTITY.banner], ...profile },
  });
  device.modem = modem;
  devices.set(modem, device);
  device.poweredUp();

  registerHayesCommands(modem);
  // +CCLK as 27.007 has it, plus the form without a zone that Example 4 sends (l. 397,
  // `AT+CCLK="15/01/23,15:30:36"`): taken as the zone the clock already has.
  modem.register('+CCLK', {
    write: ({ args }) => {
      const text = args[0];
      if (args.length !== 1 || typeof text !== 'string') throw new CmeError(CME.INCORRECT_PARAMETERS);
      const zone = modem.clock.zoneQuarters;
      const full = CCLK_WITHOUT_ZONE.test(text) ? `${text}${zone < 0 ? '-' : '+'}${String(Math.abs(zone)).padStart(2, '0')}` : text;
      if (!modem.clock.write(full)) throw new CmeError(CME.INCORRECT_PARAMETERS);
    },
  });
  registerSecurityCommands(device);
  registerNetworkCommands(device);
  registerSocketCommands(device);

  modem.on('power', (state) => {
    if (state === 'off') device.powerLost();
    else device.poweredUp();
  });
  if (powerOn) void modem.powerOn();
  return modem;
}
