/**
 * The Wi-Fi commands of the simulated eS-WiFi: the join settings C1 (SSID), C2 (passphrase),
 * C3 (security), C4 (DHCP), the join C0, its status CS, leaving CD, the settings C?, and the name
 * lookup D0.
 *
 * Owns: when a join succeeds (the settings match a configured network) and what D0 resolves.
 * Must never: put the passphrase into an answer or an error (C? masks it), or answer a join before
 * its delay has passed.
 *
 * Inventek eS-WiFi AT command set (IWIN), as used by ST es_wifi.c `ES_WIFI_Connect` and Zephyr
 * drivers/wifi/eswifi `__eswifi_sta_config`:
 * ```
 *   → C1=sim-wifi\r        ← \r\n\r\nOK\r\n>␠
 *   → C2=simulated-pass\r  ← \r\n\r\nOK\r\n>␠
 *   → C3=3\r               ← \r\n\r\nOK\r\n>␠
 *   → C0\r                 ← \r\n[JOIN   ] sim-wifi,192.168.1.50,0,0\r\nOK\r\n>␠
 *                             or \r\n[JOIN   ] sim-wifi\r\n[JOIN   ] Failed\r\nERROR: Unknown Error\r\nUsage: C0 \r\n>␠
 *   → D0=localhost\r       ← \r\n127.0.0.1\r\nOK\r\n>␠   (and the selected socket's P3 is now 127.0.0.1)
 * ```
 * D0 also sets the selected socket's remote address, as the seed's client examples rely on: they
 * send no P3 after "D0=<server domain or IP address> //Get IP address of server" (seeds/002 l. 48,
 * 60, 72).
 */
import { lookup } from 'node:dns/promises';
import { decimal, fail, invalid, isIpv4, ok, type Answer, type CommandTable } from './answers';
import type { EswifiDevice, EswifiNetwork } from './state';
import { LIMITS, NETWORK, SECURITY, SECURITY_MAX, TEXT } from './tables';

/** The join waits this long; power loss cancels it (and the answer with it). */
function pause(device: EswifiDevice, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => device.timers.after(ms, resolve));
}

/** WPA and WPA2 take 8..63 characters or 64 hex digits (IEEE 802.11i). */
function wpaPassphraseValid(passphrase: string): boolean {
  const { min, max, hexLength } = LIMITS.wpaPassphrase;
  if (passphrase.length >= min && passphrase.length <= max) return true;
  return passphrase.length === hexLength && /^[0-9a-fA-F]+$/.test(passphrase);
}

/** The configured network these settings reach, if any. */
function matchingNetwork(device: EswifiDevice): EswifiNetwork | undefined {
  const { ssid, passphrase, security } = device.wifi;
  if (security >= SECURITY.wpa && !wpaPassphraseValid(passphrase)) return undefined;
  return device.options.networks.find(
    (network) => network.ssid === ssid && network.security === security && (security === SECURITY.open || network.passphrase === passphrase),
  );
}

async function join(device: EswifiDevice): Promise<Answer> {
  // A new join replaces the one there is (chosen): the old link and its connections end first.
  if (device.joined) device.leaveNetwork();
  const generation = device.generation;
  const ssid = device.wifi.ssid;
  await pause(device, device.options.joinDelayMs);
  if (device.generation !== generation) return ok();
  if (!matchingNetwork(device)) {
    return fail('joinFailed', { progress: [`${TEXT.join}${ssid}`, `${TEXT.join}${TEXT.joinFailed}`] });
  }
  device.joined = { ssid, ip: device.options.ipAddress };
  return ok(`${TEXT.join}${ssid},${device.options.ipAddress},${TEXT.joinSuffix}`);
}

/** `C?`: SSID, passphrase (masked), security, DHCP, IP version, IP, mask, gateway, DNS1, DNS2, retries, auto-connect (ST `AT_ParseConnSettings`). */
function settings(device: EswifiDevice): Answer {
  const w = device.wifi;
  const masked = w.passphrase === '' ? '' : NETWORK.maskedPassphrase;
  const dns2 = '0.0.0.0';
  return ok(
    [w.ssid, masked, w.security, w.dhcp, NETWORK.ipVersion, device.localIp, device.netmask, device.gateway, device.gateway, dns2, NETWORK.retries, NETWORK.autoConnect].join(','),
  );
}

/** The default D0: an IPv4 literal is itself, `localhost` is 127.0.0.1, anything else asks the host's resolver for IPv4. */
export async function defaultResolve(name: string): Promise<string | undefined> {
  if (isIpv4(name)) return name;
  if (name.toLowerCase() === 'localhost') return '127.0.0.1';
  try {
    return (await lookup(name, { family: 4 })).address;
  } catch {
    return undefined;
  }
}

async function resolveName(device: EswifiDevice, name: string): Promise<Answer> {
  if (name === '' || name.length > 253) return invalid('D0');
  // chosen: a lookup needs the Wi-Fi, as P6=1 does.
  if (!device.joined) return fail('notJoined');
  const slot = device.selected;
  const generation = device.generation;
  let address: string | undefined;
  try {
    address = await device.options.resolve(name);
  } catch {
    address = undefined;
  }
  if (device.generation !== generation) return ok();
  if (address === undefined || !isIpv4(address)) return fail('dnsFailed');
  slot.settings.remoteIp = address;
  return ok(address);
}

export const WIFI_COMMANDS: CommandTable = {
  C1: {
    write: (device, { value = '' }) => {
      if (value.length < 1 || value.length > LIMITS.ssidMax) return invalid('C1');
      device.wifi.ssid = value;
      return ok();
    },
  },
  C2: {
    secret: true,
    write: (device, { value = '' }) => {
      if (value.length > LIMITS.passphraseMax) return invalid('C2');
      device.wifi.passphrase = value;
      return ok();
    },
  },
  C3: {
    write: (device, { value }) => {
      const security = decimal(value, 0, SECURITY_MAX);
      if (security === undefined) return invalid('C3');
      device.wifi.security = security;
      return ok();
    },
  },
  C4: {
    // chosen: DHCP off is recorded and reported; the module takes the same address either way.
    write: (device, { value }) => {
      const dhcp = decimal(value, 0, 1);
      if (dhcp === undefined) return invalid('C4');
      device.wifi.dhcp = dhcp;
      return ok();
    },
  },
  C0: { exec: (device) => join(device) },
  CS: { exec: (device) => ok(device.joined ? '1' : '0') },
  // chosen: leaving when not joined is fine too.
  CD: {
    exec: (device) => {
      device.leaveNetwork();
      return ok();
    },
  },
  'C?': { exec: (device) => settings(device) },
  D0: { write: (device, { value = '' }) => resolveName(device, value) },
};
