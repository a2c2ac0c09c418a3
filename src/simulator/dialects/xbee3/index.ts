/**
 * The Digi XBee3 Cellular dialect of the simulated modem: a module that boots in its data mode
 * (AP: transparent, API or escaped API), enters command mode on `+++` between guard times, keeps
 * files in flash (ATFS with YMODEM uploads, secure files), reads TLS profiles $0-$2 from them and
 * opens real TLS connections through API socket frames or in transparent mode.
 *
 * Owns: assembling a module — its state (`Xbee3Device`) and its wire (`Xbee3Modem`) — and the
 * options. Must never: hold a command's behaviour (commands.ts, sockets.ts, transparent.ts,
 * filesystem.ts) or a table (tables.ts).
 *
 * ```
 * const modem = createXbee3Modem();                                  // powered on, transparent mode (AP=0)
 * const quick = createXbee3Modem({ timeScale: 0.01, route: () => ({ host: '127.0.0.1', port }) });
 * xbee3Device(modem)?.flash.files();                                 // what was uploaded, for tests
 * xbee3Device(modem)?.registers.snapshot();                          // register values in effect
 * await modem.reboot();                                               // power cycle: files and saved registers stay
 * ```
 */
import type { SimulatedModem, SimulatedModemOptions } from '../../modem';
import { Xbee3Modem } from './modem';
import { Xbee3Device } from './state';
import { DEFAULT_IP, FLASH, IDENTITY, PLATFORMS } from './tables';

export { Xbee3Device } from './state';
export type { HandshakeRecord } from './state';
export { Xbee3Modem, describeFrame } from './modem';
export { ApiSocket } from './sockets';
export { Flash, FsError } from './filesystem';

export interface Xbee3ModemOptions extends SimulatedModemOptions {
  /** Only `LTE-M` (the default) exists; any other name is refused. */
  platform?: string;
  /**
   * Multiplies the module's own timers — CT, TM, the YMODEM receiver's 1 s / 60 s / 10 s — so
   * tests need not wait. Default 1. GT is not scaled: it is the host's silence, set with ATGT.
   */
  timeScale?: number;
  /** TCP connect plus TLS handshake; beyond it a connection fails as timed out. Default 20 s (chosen: the guide gives none). */
  connectTimeoutMs?: number;
  /**
   * Where connections really go: maps the host and port asked for (0x42, or DL:DE) to a reachable
   * server; `undefined` keeps them. A host name asked for is still sent as SNI.
   */
  route?: (host: string, port: number) => { host: string; port: number } | undefined;
  /** MY, the module's address on the (simulated) network. Default 10.0.0.2. */
  ipAddress?: string;
  /** Size of the flash file system; default 1 MiB (the guide's "internal 1 MB SPI flash"). */
  flashBytes?: number;
  /** Default true: the module comes back powered on. */
  powerOn?: boolean;
}

/** The state behind an XBee3 modem (flash, registers, sockets, CI/OD, last handshake), for tests. */
export function xbee3Device(modem: SimulatedModem): Xbee3Device | undefined {
  return modem instanceof Xbee3Modem ? modem.device : undefined;
}

export function createXbee3Modem(options: Xbee3ModemOptions = {}): Xbee3Modem {
  const {
    platform = PLATFORMS[0],
    timeScale = 1,
    connectTimeoutMs = 20_000,
    route,
    ipAddress = DEFAULT_IP,
    flashBytes = FLASH.capacity,
    powerOn = true,
    profile,
    ...rest
  } = options;
  if (!(PLATFORMS as readonly string[]).includes(platform)) throw new RangeError(`platform: unknown XBee3 platform "${platform}"; available: ${PLATFORMS.join(', ')}`);
  if (!(timeScale > 0)) throw new RangeError(`timeScale: must be above 0, got ${timeScale}`);
  if (!Number.isInteger(flashBytes) || flashBytes < 1) throw new RangeError(`flashBytes: must be a whole number above 0, got ${flashBytes}`);
  const device = new Xbee3Device({ timeScale, connectTimeoutMs, ipAddress, route }, flashBytes);
  const modem = new Xbee3Modem(device, {
    ...rest,
    profile: { manufacturer: IDENTITY.manufacturer, model: IDENTITY.model, revision: IDENTITY.firmware.toString(16).toUpperCase(), imei: IDENTITY.imei, banner: [], ...profile },
  });
  if (powerOn) void modem.powerOn();
  return modem;
}
