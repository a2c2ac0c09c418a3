/**
 * The Inventek eS-WiFi dialect of the simulated modem: an ISM43362 Wi-Fi module that takes
 * two-letter commands without `AT` (C* Wi-Fi, D0 lookup, P* sockets, S3 send, R* read, PF/PG
 * certificate sets), answers each ending with the prompt `> `, joins a simulated access point and
 * opens real TLS connections with its one-time-programmable certificate sets (seeds/002).
 *
 * Owns: assembling a module — its state (`EswifiDevice`) and its wire (`EswifiModem`) — and the
 * options. Must never: hold a command's behaviour (wifi.ts, sockets.ts, sets.ts) or a table
 * (tables.ts).
 *
 * ```
 * const modem = createEswifiModem();                                  // powered on; joins `sim-wifi` (WPA2, `simulated-pass`)
 * const quick = createEswifiModem({ joinDelayMs: 0, route: () => ({ host: '127.0.0.1', port }) });
 * eswifiDevice(modem)?.sets[0];                                       // what PG programmed, for tests
 * eswifiDevice(modem)?.flashCompleteFirmware();                       // the one thing that clears the sets
 * await modem.reboot();                                               // power cycle: the sets stay, the rest is lost
 * ```
 */
import type { SimulatedModem, SimulatedModemOptions } from '../../modem';
import { isIpv4 } from './answers';
import { EswifiModem } from './modem';
import { EswifiDevice, type EswifiNetwork } from './state';
import { CONNECT, IDENTITY, LIMITS, NETWORK, PLATFORMS, SECURITY_MAX } from './tables';
import { defaultResolve } from './wifi';

export { EswifiDevice } from './state';
export type { CertificateSet, CertificateType, EswifiNetwork, HandshakeRecord, SocketSettings, SocketSlot, WifiSettings } from './state';
export { EswifiModem, COMMANDS as ESWIFI_COMMANDS, describeCommand } from './modem';
export { Connection as EswifiConnection } from './sockets';
export { ERRORS as ESWIFI_ERRORS, NETWORK as ESWIFI_NETWORK } from './tables';

export interface EswifiModemOptions extends SimulatedModemOptions {
  /** Only `ISM43362` (the default) exists; any other name is refused. */
  platform?: string;
  /** The access points C0 can join; default one: `sim-wifi`, passphrase `simulated-pass`, WPA2-AES (3). */
  networks?: readonly EswifiNetwork[];
  /** Time a C0 takes before its answer; default 200 ms. */
  joinDelayMs?: number;
  /** The address a join gives the module; default 192.168.1.50. */
  ipAddress?: string;
  /**
   * D0: a name to its IPv4 address, undefined when it does not resolve. Default: an IPv4 literal
   * is itself, `localhost` is 127.0.0.1, anything else goes to the host's resolver (IPv4 only).
   */
  resolve?: (name: string) => string | undefined | Promise<string | undefined>;
  /** Where P6=1 really connects, for the address (P3/D0) and port (P4) the host set; undefined keeps them. */
  route?: (ip: string, port: number) => { host: string; port: number } | undefined;
  /** TCP connect of P6=1; beyond it `Connection Failed`. Default 10 s. */
  connectTimeoutMs?: number;
  /** The TLS handshake after the TCP connect; beyond it `SSL Handshake Failed`. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** Default true: the module comes back powered on. */
  powerOn?: boolean;
}

/** The state behind an eS-WiFi modem (sets, join, sockets, handshake records), for tests. */
export function eswifiDevice(modem: SimulatedModem): EswifiDevice | undefined {
  return modem instanceof EswifiModem ? modem.device : undefined;
}

function checkNetwork(network: EswifiNetwork, index: number): void {
  const where = `networks[${index}]`;
  if (network.ssid.length < 1 || network.ssid.length > LIMITS.ssidMax) throw new RangeError(`${where}.ssid: 1 to ${LIMITS.ssidMax} characters, got ${network.ssid.length}`);
  if (!Number.isInteger(network.security) || network.security < 0 || network.security > SECURITY_MAX) {
    throw new RangeError(`${where}.security: a C3 value from 0 to ${SECURITY_MAX}, got ${network.security}`);
  }
  if (network.passphrase.length > LIMITS.passphraseMax) throw new RangeError(`${where}.passphrase: at most ${LIMITS.passphraseMax} characters`);
}

export function createEswifiModem(options: EswifiModemOptions = {}): EswifiModem {
  const {
    platform = PLATFORMS[0],
    networks = [NETWORK.defaultNetwork],
    joinDelayMs = NETWORK.joinDelayMs,
    ipAddress = NETWORK.ipAddress,
    resolve = defaultResolve,
    route,
    connectTimeoutMs = CONNECT.connectTimeoutMs,
    handshakeTimeoutMs = CONNECT.handshakeTimeoutMs,
    powerOn = true,
    profile,
    ...rest
  } = options;
  if (!(PLATFORMS as readonly string[]).includes(platform)) throw new RangeError(`platform: unknown eS-WiFi platform "${platform}"; available: ${PLATFORMS.join(', ')}`);
  networks.forEach(checkNetwork);
  if (!(joinDelayMs >= 0)) throw new RangeError(`joinDelayMs: must be 0 or more, got ${joinDelayMs}`);
  if (!isIpv4(ipAddress)) throw new RangeError(`ipAddress: must be an IPv4 address, got "${ipAddress}"`);
  if (!(connectTimeoutMs > 0)) throw new RangeError(`connectTimeoutMs: must be above 0, got ${connectTimeoutMs}`);
  if (!(handshakeTimeoutMs > 0)) throw new RangeError(`handshakeTimeoutMs: must be above 0, got ${handshakeTimeoutMs}`);
  const device = new EswifiDevice({ networks: networks.map((n) => ({ ...n })), joinDelayMs, ipAddress, resolve, route, connectTimeoutMs, handshakeTimeoutMs });
  const modem = new EswifiModem(device, {
    ...rest,
    profile: { manufacturer: IDENTITY.manufacturer, model: IDENTITY.model, revision: IDENTITY.firmware, imei: '', banner: [], ...profile },
  });
  if (powerOn) void modem.powerOn();
  return modem;
}
