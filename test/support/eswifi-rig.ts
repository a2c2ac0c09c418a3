/**
 * The simulated Inventek eS-WiFi on a pseudo-terminal: see `modem-rig.ts`. The module's access
 * point is `sim-wifi` (WPA2, passphrase `simulated-pass`, the simulator's default) and a join takes
 * 20 ms instead of 200; a server that does not answer fails an open within 5 s. The modem config
 * names the network (`wifiSsid`, `wifiSecurity`); its passphrase is a credential
 * (`ESWIFI_CREDENTIALS`), given to the flow's deploy.
 */
import { createEswifiModem, eswifiDevice, type EswifiDevice, type EswifiModemOptions } from '../../src/simulator/dialects/eswifi';
import { startModemRig, type ModemRig } from './modem-rig';

export interface EswifiRig extends ModemRig {
  /** The module's state (certificate sets, join, sockets, handshake records), for assertions. */
  readonly device: EswifiDevice;
}

/** The simulated access point. */
export const ESWIFI_NETWORK = { ssid: 'sim-wifi', passphrase: 'simulated-pass', security: 'wpa2' } as const;

/** The modem-config credentials that carry the passphrase (keyed by the config node's id). */
export const ESWIFI_CREDENTIALS = { cfg: { wifiPassphrase: ESWIFI_NETWORK.passphrase } } as const;

export function startEswifiRig(options: EswifiModemOptions = {}): EswifiRig {
  const platform = options.platform ?? 'ISM43362';
  const modem = createEswifiModem({ joinDelayMs: 20, connectTimeoutMs: 5000, handshakeTimeoutMs: 5000, ...options, platform });
  const device = eswifiDevice(modem);
  if (!device) throw new Error('eswifi-rig: the simulated modem has no eS-WiFi state');
  const rig = startModemRig({ vendor: 'eswifi', label: 'eS-WiFi', platform, modem, apn: '' });
  return {
    ...rig,
    device,
    // A Wi-Fi module has no APN and no clock to set: its config names the network instead.
    config: (extra = {}) => rig.config({ apn: '', clockSync: false, wifiSsid: ESWIFI_NETWORK.ssid, wifiSecurity: ESWIFI_NETWORK.security, ...extra }),
  };
}
