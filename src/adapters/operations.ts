/**
 * The options of each flow operation, one rule row each — the settings a node stores and the
 * `msg` properties that override them. The runtime checks a value against its row before
 * anything is sent (`checks.ts`), and the editor's validators run the same check over the same
 * rows (`resources/modem-tls-rules.js`, built from `rules.ts`), so a limit is written once.
 *
 * Limits that depend on the modem (profile ids, socket ids, slots, modes, suites) are read from
 * its capabilities by path (`rangeFrom`, `valuesFrom`); checks across several settings (a modem
 * that always checks dates, mutual TLS without a client key) stay with the capability checks.
 *
 * Must never: know a vendor's command. What a vendor adds lives in its capabilities' rows.
 */
import { MAX_RAW_COMMAND } from '../at/command';
import type { Rule } from './rules';
import type { OperationName } from './vendor';

/**
 * Host names and IP addresses as a connection takes them (RFC 1123 names, IPv4, IPv6 with a zone);
 * a label between two dots is at most 63 characters (RFC 1035 §2.3.4), so a name no resolver
 * could look up is refused before the modem tries.
 */
const HOST = '(?![^.]{64})(?!.*\\.[^.]{64})[A-Za-z0-9._:\\-\\[\\]%]+';
const HOST_HINT = 'letters, digits, ".", "-" and "_", at most 63 between two dots; or an IPv4 or IPv6 address';

const timeout: Rule = { name: 'timeout', type: 'int', min: 100, max: 600000, unit: 'ms', optional: true, help: 'how long to wait, in ms' };
const socket = (field = 'msg.socket'): Rule => ({
  name: 'socket', field, type: 'int', rangeFrom: 'sockets.ids', fromMsg: true,
  help: 'which connection: msg.socket, as tls-open outputs it, or the node’s Socket',
});
const vendorOptions = (rowsFrom: string): Rule => ({ name: 'vendorOptions', type: 'object', optional: true, rowsFrom, help: 'options of this vendor only, as a JSON object' });

export const OPERATION_RULES: Readonly<Partial<Record<OperationName, readonly Rule[]>>> = {
  'tls-open': [
    { name: 'profile', type: 'int', rangeFrom: 'profiles.ids', help: 'the TLS profile to connect with' },
    { name: 'host', type: 'text', max: 255, pattern: HOST, patternHint: `is not a host name or IP address (${HOST_HINT})`, fromMsg: true, help: 'the server’s name or IP address' },
    { name: 'port', type: 'int', min: 1, max: 65535, default: 443, help: 'the server’s port' },
    { name: 'mode', type: 'enum', values: ['command', 'online'], valuesFrom: 'sockets.modes', default: 'command', optional: true, help: 'command or online' },
    timeout,
    vendorOptions('sockets.openOptions'),
  ],
  // A local TCP listener carried over the modem's TLS (`src/modem/tls-bridge.ts`): what tls-open takes, without msg.
  'tls-bridge': [
    { name: 'listenHost', type: 'text', max: 255, pattern: HOST, patternHint: `is not an address to listen on (${HOST_HINT})`, default: '127.0.0.1', optional: true, help: 'the local address the bridge listens on; other than loopback only with exposed' },
    { name: 'listenPort', type: 'int', min: 1, max: 65535, default: 1883, help: 'the local port the bridge listens on' },
    { name: 'exposed', type: 'bool', default: false, optional: true, help: 'listen on an address other machines reach' },
    { name: 'connections', type: 'int', min: 1, max: 64, maxFrom: 'sockets.maxConcurrent', default: 1, optional: true, help: 'local connections at once, each one of the modem’s TLS connections' },
    { name: 'profile', type: 'int', rangeFrom: 'profiles.ids', help: 'the TLS profile to connect with' },
    { name: 'host', type: 'text', max: 255, pattern: HOST, patternHint: `is not a host name or IP address (${HOST_HINT})`, help: 'the server’s name or IP address' },
    { name: 'port', type: 'int', min: 1, max: 65535, default: 8883, help: 'the server’s port' },
    { name: 'mode', type: 'enum', values: ['command', 'online'], valuesFrom: 'sockets.modes', extraValues: ['auto'], default: 'auto', optional: true, help: 'auto, command or online' },
    timeout,
    vendorOptions('sockets.openOptions'),
  ],
  'tls-send': [
    socket(),
    // The size of msg.payload: one message holds the queue of its modem until it is sent, so a flow
    // with more to send sends it in several messages (tls-recv reads at most as much at once).
    { name: 'payload', field: 'msg.payload', type: 'int', min: 1, max: 1 << 20, unit: 'bytes', fromMsg: true, help: 'the bytes one message sends (a Buffer, or text as UTF-8); more goes in several messages' },
  ],
  'tls-recv': [
    { ...socket(), optional: true },
    { name: 'length', field: 'msg.length', type: 'int', min: 1, max: 1 << 20, default: 1500, optional: true, unit: 'bytes', help: 'the most bytes one read returns' },
    timeout,
  ],
  'tls-close': [socket(), vendorOptions('sockets.closeOptions')],
  'load-cert': [
    { name: 'action', type: 'enum', values: ['store', 'list', 'remove'], default: 'store', optional: true, help: 'store, list or remove' },
    { name: 'certType', type: 'enum', values: ['ca', 'cert', 'key'], valuesFrom: 'certificates.types', default: 'ca', optional: true, help: 'ca, cert or key' },
    { name: 'name', type: 'certificate-name', max: 64, maxFrom: 'certificates.nameMax', help: 'where the modem stores it' },
    { name: 'format', type: 'enum', values: ['pem', 'der'], valuesFrom: 'certificates.formats', extraValues: ['auto'], default: 'auto', optional: true, help: 'how it is sent to the modem' },
    { name: 'force', type: 'bool', default: false, optional: true, help: 'write even when the modem holds exactly this item' },
    vendorOptions('certificates.vendorOptions'),
  ],
  'tls-profile': [
    { name: 'profile', type: 'int', rangeFrom: 'profiles.ids', help: 'the modem’s profile or secure socket id' },
    { name: 'verify', type: 'enum', values: ['none', 'server', 'mutual'], valuesFrom: 'profiles.verify', default: 'server', optional: true, help: 'what the modem checks' },
    { name: 'checkHostname', type: 'bool', optional: true, help: 'check that the server certificate names the host' },
    { name: 'checkDate', type: 'bool', optional: true, help: 'check the certificate dates against the modem clock' },
    { name: 'hostname', type: 'text', max: 255, pattern: HOST, patternHint: `is not a host name (${HOST_HINT})`, availableFrom: 'profiles.hostname', unavailableHint: 'checks the certificate against the host each connection opens; leave it empty', optional: true, help: 'the name expected in the server certificate; empty: the host of each connection' },
    { name: 'tlsVersion', type: 'enum', values: ['auto', '1.0', '1.1', '1.2', '1.3'], default: '1.2', optional: true, help: 'the TLS version' },
    { name: 'ciphers', type: 'enum', many: true, valuesFrom: 'profiles.ciphers', allOf: 'auto', manyFrom: 'profiles.cipherSelection', pattern: 'TLS_[A-Z0-9]+(?:_[A-Z0-9]+)*', default: 'auto', optional: true, help: 'IANA cipher suite names, or auto' },
    { name: 'sni', type: 'bool', default: true, optional: true, help: 'send the server name (SNI)' },
    { name: 'alpn', type: 'enum', many: true, pattern: '[\\x21\\x23-\\x2b\\x2d-\\x7e]{1,255}', patternHint: 'is not a protocol name (1..255 printable ASCII characters, no space, quote or comma)', availableFrom: 'profiles.alpn', unavailableHint: 'does not offer ALPN; leave it empty', optional: true, help: 'ALPN protocol names, e.g. mqtt' },
    { name: 'ca', type: 'certificate-name', max: 64, optional: true, help: 'the stored CA certificate' },
    { name: 'cert', type: 'certificate-name', max: 64, optional: true, help: 'the stored client certificate' },
    { name: 'key', type: 'certificate-name', max: 64, optional: true, help: 'the stored private key' },
    {
      name: 'keyPassword', type: 'text', max: 256, secret: true, optional: true, availableFrom: 'profiles.keyPassword',
      unavailableHint: 'stores private keys unencrypted: give the password to load-cert, which decrypts the key before writing it', help: 'the password of an encrypted stored key',
    },
    { name: 'psk', type: 'text', max: 256, secret: true, optional: true, availableFrom: 'profiles.psk', unavailableHint: 'does not offer pre-shared keys; leave PSK and identity empty', help: 'the pre-shared key' },
    { name: 'pskIdentity', type: 'text', max: 256, secret: true, optional: true, availableFrom: 'profiles.psk', unavailableHint: 'does not offer pre-shared keys; leave PSK and identity empty', help: 'the identity of the pre-shared key' },
    vendorOptions('profiles.vendorOptions'),
  ],
  'at-command': [
    { name: 'command', type: 'text', max: MAX_RAW_COMMAND, quotes: true, fromMsg: true, help: 'one command line, e.g. ATI' },
    timeout,
  ],
};

/** The row of `option` in `operation`; throws for a name that has none (a programming error). */
export function ruleOf(operation: OperationName, option: string): Rule {
  const rule = OPERATION_RULES[operation]?.find((r) => r.name === option);
  if (!rule) throw new Error(`no rule for ${operation} ${option}`);
  return rule;
}
