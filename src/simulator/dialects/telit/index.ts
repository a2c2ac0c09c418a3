/**
 * The Telit dialect of the simulated modem: a module of one platform of the SSL/TLS User Guide
 * 1vv0300989 (Table 1: IDs 10, 13, 16, 12, 20, 23, 25, 30, 37, 52), answering the generic Hayes
 * commands and Telit's, opening real TLS connections through the simulator's TLS stack.
 *
 * Owns: assembling a module — its shared state, one `SimulatedModem` per AT instance, the command
 * groups — and what ties its AT instances to one power supply and one clock. Must never: hold a
 * command's behaviour (each group lives in its own file) or platform data (`tables.ts` has it).
 *
 * ```
 * const modem = createTelitModem({ platform: '30' });        // powered on, echo on, +CMEE=0
 * const second = attachTelitInstance(modem);                // another port of the same module (§6.8.1)
 * telitDevice(modem)?.slot(1).nvm;                           // what is stored, for tests
 * ```
 *
 * The module prints no start-up banner: Telit modules send nothing unsolicited at power-on unless
 * configured to (the guide shows none).
 */
import { registerHayesCommands } from '../../hayes';
import { CME, CmeError } from '../../results';
import { SimulatedModem, type SimulatedModemOptions } from '../../modem';
import type { OpenTls } from '../../tls-types';
import { parseTelitLine } from './args';
import { registerConfigurationCommands } from './configuration';
import { registerNetworkCommands } from './network';
import { registerSecurityDataCommands } from './security-data';
import { registerServiceCommands } from './services';
import { createOnlinePort, registerSocketCommands } from './sockets';
import { TelitDevice, type TelitInstance } from './state';
import { simulatedPlatform, type TelitPlatformId } from './tables';

export { TelitDevice } from './state';
export type { SslSlot, SslSettings, StoredData, TelitInstance } from './state';
export type { TelitPlatformId } from './tables';

export interface TelitModemOptions extends SimulatedModemOptions {
  /** The platform to play (Table 1): `10` … `52`, `25-linux`, `25-threadx` (`25` is the Linux build). */
  platform: TelitPlatformId | '25';
  /** The TLS stack; default `openTls` of `tls-stack.ts`. Tests may pass a fake. */
  openTls?: OpenTls;
  /**
   * Multiplies the module's own timers — #SSLRECV/#SSLSEND timeouts and `<txTo>` (100 ms units),
   * `<maxTo>` (seconds) — so tests need not wait real seconds. Default 1.
   */
  timeScale?: number;
  /** Default true: the module comes back powered on. */
  powerOn?: boolean;
}

const devices = new WeakMap<SimulatedModem, TelitDevice>();

/** The shared state behind a Telit modem (or any of its AT instances), for inspection. */
export function telitDevice(modem: SimulatedModem): TelitDevice | undefined {
  return devices.get(modem);
}

export function createTelitModem(options: TelitModemOptions): SimulatedModem {
  const { platform: id, openTls, timeScale, powerOn = true, profile, ...rest } = options;
  const platform = simulatedPlatform(id);
  if (!platform) throw new RangeError(`platform: unknown Telit platform "${String(id)}"`);
  const identity = platform.identity;
  const device = new TelitDevice(platform, { openTls, timeScale });
  const modem = new SimulatedModem({
    parser: parseTelitLine,
    ...rest,
    profile: { manufacturer: 'Telit', model: identity.model, revision: identity.revision, banner: [], ...profile },
  });
  addInstance(device, modem);
  // One power supply: losing it loses the volatile state and every port with it.
  modem.on('power', (state) => {
    const others = device.instances.filter((instance) => instance.modem !== modem);
    if (state === 'off') {
      device.powerLost();
      for (const other of others) other.modem.powerOff();
    } else {
      for (const other of others) void other.modem.powerOn();
    }
  });
  if (powerOn) void modem.powerOn();
  return modem;
}

/**
 * Another AT instance (port) of the module behind `modem` — the guide's "COM4, instance 2 (Parser
 * AT1)" of §6.8.1. It shares everything with the first one except its own command state, echo and
 * `+CMEE`; it is powered with the module.
 */
export function attachTelitInstance(modem: SimulatedModem, options: Omit<SimulatedModemOptions, 'profile'> = {}): SimulatedModem {
  const device = devices.get(modem);
  if (!device) throw new TypeError('attachTelitInstance: not a Telit modem made by createTelitModem');
  const port = new SimulatedModem({ parser: parseTelitLine, ...options, profile: modem.profile });
  const instance = addInstance(device, port);
  // One module, one real-time clock.
  port.register('+CCLK', {
    read: () => `+CCLK: "${device.clock.read()}"`,
    write: ({ args }) => {
      const text = args[0];
      if (args.length !== 1 || typeof text !== 'string' || !device.clock.write(text)) throw new CmeError(CME.INCORRECT_PARAMETERS);
    },
  });
  // A port switched off on its own (closed) is gone; switched off with the module, it comes back.
  port.on('power', (state) => {
    if (state === 'off' && modem.isOn) device.dropInstance(instance);
  });
  if (modem.isOn) void port.powerOn();
  return port;
}

function addInstance(device: TelitDevice, modem: SimulatedModem): TelitInstance {
  const instance: TelitInstance = { id: device.instances.length, modem, port: createOnlinePort() };
  device.instances.push(instance);
  devices.set(modem, device);
  registerHayesCommands(modem);
  registerNetworkCommands(device, instance);
  registerConfigurationCommands(device, instance);
  registerSecurityDataCommands(device, instance);
  registerSocketCommands(device, instance);
  registerServiceCommands(device, instance);
  return instance;
}
