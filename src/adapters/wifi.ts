/**
 * A Wi-Fi network as a module joins it (IEEE 802.11 and the WPA/WEP key rules, not any vendor's):
 * the SSID, the security type and the passphrase that fits it. The modem-config checks its settings
 * with it at deploy, and a Wi-Fi adapter the options it is given, so both say the same.
 *
 * The SSID is kept as typed (spaces are part of an SSID); a module takes it, and the passphrase,
 * as the raw rest of its command line, so no quote needs escaping but a line break or other
 * control character would break the command.
 * Must never: put the passphrase in a message, not even in part or as its length.
 */
import { describeChar, firstDisallowed } from '../at/charset';
import { parameterError } from '../at/errors';
import type { WifiOptions, WifiSecurity } from './vendor';

/** The editor's choices for `wifiSecurity`, in its order. */
export const WIFI_SECURITIES: readonly WifiSecurity[] = ['open', 'wep', 'wpa', 'wpa2', 'wpa-wpa2'];
const SECURITY_LABEL: Readonly<Record<WifiSecurity, string>> = { open: 'open', wep: 'WEP', wpa: 'WPA', wpa2: 'WPA2', 'wpa-wpa2': 'WPA/WPA2' };
/** IEEE 802.11: an SSID is 0..32 octets (an empty one means "any network", which is no choice here). */
const SSID_MAX_BYTES = 32;

const CONTROL_NAMES: Readonly<Record<number, string>> = { 0x0d: 'a carriage return (CR)', 0x0a: 'a line feed (LF)', 0x00: 'a NUL' };

/** `wifi` checked: a PARAMETER error naming the modem config's field (`wifiSsid`, `wifiSecurity`, `wifiPassphrase`) and the rule. */
export function checkWifi(wifi: { ssid: unknown; security: unknown; passphrase?: unknown }): WifiOptions {
  const ssid = wifi.ssid;
  if (typeof ssid !== 'string' || ssid === '') throw parameterError('wifiSsid', 'must be the name of the network, 1..32 bytes of UTF-8');
  const bad = firstDisallowed(ssid, 'printable-unicode');
  if (bad && bad.code >= 0xd800 && bad.code <= 0xdfff) {
    throw parameterError('wifiSsid', `is not valid text: half of a UTF-16 surrogate pair at position ${bad.index} has no UTF-8 form (an SSID is 1..32 bytes of UTF-8)`);
  }
  if (bad) {
    const which = CONTROL_NAMES[bad.code] ?? `the control character ${describeChar(bad.code)}`;
    throw parameterError('wifiSsid', `must not contain control characters (CR, LF, NUL or any other): found ${which} at position ${bad.index}`);
  }
  const bytes = Buffer.byteLength(ssid, 'utf8');
  if (bytes > SSID_MAX_BYTES) {
    throw parameterError('wifiSsid', `is ${bytes} bytes in UTF-8, more than the ${SSID_MAX_BYTES} an SSID may have (a character outside ASCII takes 2 to 4 bytes)`);
  }
  const security = wifi.security as WifiSecurity;
  if (!WIFI_SECURITIES.includes(security)) {
    throw parameterError('wifiSecurity', `"${String(wifi.security)}" is not a security type (one of ${WIFI_SECURITIES.join(', ')})`);
  }
  const passphrase = wifi.passphrase ?? '';
  if (typeof passphrase !== 'string') throw parameterError('wifiPassphrase', `must be text, not a ${typeof passphrase}`);
  checkPassphrase(security, passphrase);
  return { ssid, security, ...(passphrase !== '' ? { passphrase } : {}) };
}

const HEX = /^[0-9a-fA-F]*$/;
const printableAscii = (text: string): boolean => firstDisallowed(text, 'printable-ascii') === null;

/** Refuses a passphrase that does not fit the security, naming the rule and never the value. */
function checkPassphrase(security: WifiSecurity, passphrase: string): void {
  const label = SECURITY_LABEL[security];
  const n = passphrase.length;
  if (security === 'open') {
    if (n > 0) throw parameterError('wifiPassphrase', 'must be empty for an open network (wifiSecurity open): clear it, or choose the security type the network uses');
    return;
  }
  if (security === 'wep') {
    const rule = 'a WEP key is 5 or 13 printable ASCII characters, or 10 or 26 hex digits';
    if (n === 0) throw parameterError('wifiPassphrase', `is empty, and a WEP network needs a key: ${rule}`);
    if (((n === 10 || n === 26) && HEX.test(passphrase)) || ((n === 5 || n === 13) && printableAscii(passphrase))) return;
    if (!printableAscii(passphrase)) throw parameterError('wifiPassphrase', `holds a character outside printable ASCII: ${rule}`);
    if (n === 10 || n === 26) throw parameterError('wifiPassphrase', `has the length of a hex key but not only hex digits: ${rule}`);
    throw parameterError('wifiPassphrase', `has a length a WEP key cannot have: ${rule}`);
  }
  const rule = `a ${label} passphrase is 8..63 printable ASCII characters, or exactly 64 hex digits`;
  if (n === 0) throw parameterError('wifiPassphrase', `is empty, and a ${label} network needs one: ${rule}`);
  if (!printableAscii(passphrase)) throw parameterError('wifiPassphrase', `holds a character outside printable ASCII: ${rule}`);
  if (n === 64) {
    if (!HEX.test(passphrase)) throw parameterError('wifiPassphrase', `is 64 characters, the length of a raw key, but not all hex digits: ${rule}`);
    return;
  }
  if (n < 8) throw parameterError('wifiPassphrase', `is shorter than 8 characters: ${rule}`);
  if (n > 64) throw parameterError('wifiPassphrase', `is longer than 63 characters: ${rule}`);
}
