/**
 * The bad-input corpus: input a flow may hand our nodes that no modem could take — broken
 * certificates, names and ids out of the vendor's range, characters a command line cannot carry,
 * ports and payloads of the wrong kind or size — for every vendor, each refused by the node before
 * anything reaches the modem.
 *
 * Each case names the vendor, the node and its settings, the message, and what the refusal must
 * say: `msg.modemError.kind` PARAMETER, the field, and the limit in the error text. The suite
 * asserts that the Catch node gets it (the node called done(err)), that the node's status turns
 * red, and — from the simulated module's own command log, read once everything queued before has
 * been answered — that no command reached the module for that input. Where the adapter must read
 * something to decide, or the module itself refuses a command before any data goes (a u-blox
 * module already holding ten items), the case lists what may reach it, and nothing else may.
 *
 * One deploy per vendor holds a node for every case of that vendor, against the vendor's simulated
 * module over TCP (the serial path is the e2e suites' business). The fault guards hold for every
 * case: the message was completed, nothing was rejected unhandled, no handle outlived it.
 */
import assert from 'node:assert/strict';
import helper, { loadFlow, startServer, stopServer, waitForStatus, type TestNode } from '../support/red-helper';
import { faultGuards } from '../support/fault-guards';
import { ALL_NODES } from '../support/nodes';
import {
  createEswifiModem,
  createFibocomModem,
  createTelitModem,
  createUbloxModem,
  createXbee3Modem,
  eswifiDevice,
  listenTcp,
  ubloxDevice,
  xbee3Device,
  type SimulatedModem,
} from '../../src/simulator';
import { createCertificateAuthority, createTestPki, generateKeyPair, issueCertificate, type IssuedCertificate, type TestPki } from '../../src/simulator/pki';

type Msg = Record<string, any>;
type Vendor = 'telit' | 'ublox' | 'fibocom' | 'xbee3' | 'eswifi';
type NodeKind = 'load-cert' | 'tls-profile' | 'tls-open' | 'tls-send' | 'tls-recv' | 'tls-close' | 'at-command';

interface Fixtures {
  pki: TestPki;
  /** A certificate of about 10 kB as DER: over 8192 bytes in either format. */
  big: IssuedCertificate;
  /** A certificate of about 70 kB as PEM. */
  huge: IssuedCertificate;
  /** An intermediate CA under the test CA. */
  intermediate: IssuedCertificate;
  ecKey: string;
}

interface Case {
  vendor: Vendor;
  /** What is wrong with the input, as the test name says it. */
  what: string;
  node: NodeKind;
  /** The node's settings beyond the vendor's defaults for that node. */
  settings?: Record<string, unknown>;
  /** The node's credentials. */
  credentials?: Record<string, unknown>;
  msg(f: Fixtures): Msg;
  field: string;
  limit: RegExp;
  /**
   * Lines the module may get for this input (each must match): reads the adapter needs to decide,
   * or a command the module refuses itself before any data goes. Absent: nothing at all reaches it.
   */
  mayReach?: RegExp;
  /** Runs before the case's message, once the flow is up (state the case needs: a set already programmed). */
  before?(ctx: VendorContext, f: Fixtures): Promise<void>;
  /** What the module must still hold afterwards, where `mayReach` lets a command through. */
  holds?(modem: SimulatedModem): void;
}

interface VendorSetup {
  create(): SimulatedModem;
  config: Record<string, unknown>;
  configCredentials?: Record<string, unknown>;
  /** A harmless command: once it is answered, everything queued before it has reached the module. */
  barrier: string;
  defaults: Record<NodeKind, Record<string, unknown>>;
}

interface VendorContext {
  modem: SimulatedModem;
  /** Sends `msg` to node `id` and resolves with what it sends on. */
  output(id: string, msg: Msg): Promise<Msg>;
}

const TYPES: Record<NodeKind, string> = {
  'load-cert': 'modem-load-cert',
  'tls-profile': 'modem-tls-profile',
  'tls-open': 'modem-tls-open',
  'tls-send': 'modem-tls-send',
  'tls-recv': 'modem-tls-recv',
  'tls-close': 'modem-tls-close',
  'at-command': 'modem-at-command',
};

const common = (profile: string): Pick<Record<NodeKind, Record<string, unknown>>, 'tls-open' | 'tls-send' | 'tls-recv' | 'tls-close' | 'at-command'> => ({
  'tls-open': { profile, host: '127.0.0.1', port: '443', mode: 'command' },
  'tls-send': { socket: '' },
  'tls-recv': { socket: '' },
  'tls-close': { socket: '' },
  'at-command': { command: '' },
});

const profileDefaults = { verify: 'server', checkHostname: true, checkDate: true, tlsVersion: '1.2', ciphers: 'auto', sni: true, cert: '', key: '', vendorOptions: '' };

const VENDORS: Record<Vendor, VendorSetup> = {
  telit: {
    create: () => createTelitModem({ platform: '30' }),
    config: { vendor: 'telit', platform: '30', apn: 'internet' },
    barrier: 'AT',
    defaults: {
      'load-cert': { certType: 'ca', name: '1' },
      'tls-profile': { ...profileDefaults, profile: '1', ca: '1' },
      ...common('1'),
    },
  },
  ublox: {
    create: () => createUbloxModem({ platform: 'SARA-R5' }),
    config: { vendor: 'ublox', platform: 'SARA-R5', apn: 'internet' },
    barrier: 'AT',
    defaults: {
      'load-cert': { certType: 'ca', name: 'root-ca' },
      'tls-profile': { ...profileDefaults, profile: '0', ca: 'root-ca' },
      ...common('0'),
    },
  },
  fibocom: {
    create: () => createFibocomModem({ platform: 'L610', timeScale: 0.05 }),
    config: { vendor: 'fibocom', platform: 'L610', apn: 'internet' },
    barrier: 'AT',
    defaults: {
      'load-cert': { certType: 'ca', name: '' },
      'tls-profile': { ...profileDefaults, profile: '1', ca: '' },
      ...common('1'),
    },
  },
  xbee3: {
    create: () => {
      const modem = createXbee3Modem({ platform: 'LTE-M' });
      // An integrator's guard time (the factory 1 s works the same, slower).
      const device = xbee3Device(modem)!;
      device.registers.set('GT', 100);
      device.registers.write();
      return modem;
    },
    config: { vendor: 'xbee3', platform: 'LTE-M', apn: 'internet' },
    barrier: 'AT',
    defaults: {
      'load-cert': { certType: 'ca', name: 'ca.pem' },
      'tls-profile': { ...profileDefaults, profile: '0', ca: 'ca.pem' },
      ...common('0'),
    },
  },
  eswifi: {
    create: () => createEswifiModem({ platform: 'ISM43362', joinDelayMs: 20 }),
    config: { vendor: 'eswifi', platform: 'ISM43362', apn: '', clockSync: false, wifiSsid: 'sim-wifi', wifiSecurity: 'wpa2' },
    configCredentials: { wifiPassphrase: 'simulated-pass' },
    barrier: 'CS',
    defaults: {
      'load-cert': { certType: 'ca', name: '0' },
      'tls-profile': { ...profileDefaults, profile: '0', ca: '' },
      ...common('0'),
    },
  },
};

const VENDOR_NAMES = Object.keys(VENDORS) as Vendor[];

/** A text of `n` characters, e.g. for names one over the limit. */
const long = (n: number, ch = 'a'): string => ch.repeat(n);

/** A PEM certificate whose base64 body lost two lines in the middle. */
function damagedPem(pem: string): string {
  const lines = pem.split('\n');
  return [...lines.slice(0, 4), ...lines.slice(6)].join('\n');
}

/** Bytes that are neither PEM nor DER: an ASN.1 SEQUENCE header with a length far past the end. */
const GARBAGE_DER = Buffer.from([0x30, 0x82, 0x7f, 0x00, 0x02, 0x01, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x1a, 0x0d, 0x0a]);

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

/** Cases every vendor gets, with its own limits. */
function shared(vendor: Vendor, limits: { profiles: [number, number]; sockets: [number, number]; maxBytes: number }): Case[] {
  const range = ([min, max]: [number, number]): string => `${min}\\.\\.${max}`;
  const badProfile = limits.profiles[1] + 1;
  const badSocket = limits.sockets[1] + 1;
  const socket = String(limits.sockets[0] + 1);
  return [
    { vendor, what: 'a PEM certificate whose base64 text lost two lines', node: 'load-cert', msg: (f) => ({ payload: damagedPem(f.pki.ca.cert) }), field: 'msg.payload', limit: /PEM block 1 of 1 .*damaged or cut short/ },
    { vendor, what: 'garbage bytes as DER', node: 'load-cert', msg: () => ({ payload: GARBAGE_DER }), field: 'msg.payload', limit: /neither PEM text \(a -----BEGIN CERTIFICATE----- block\) nor DER/ },
    {
      vendor, what: 'a private key that does not belong to the certificate given with it', node: 'load-cert', settings: { certType: 'key' },
      msg: (f) => ({ payload: f.pki.client.keyRsaPem, cert: f.pki.server.cert }), field: 'msg.payload', limit: /does not belong to the certificate/,
    },
    { vendor, what: 'an encrypted private key without its password', node: 'load-cert', settings: { certType: 'key' }, msg: (f) => ({ payload: f.pki.client.encryptedKey('right-password') }), field: 'password', limit: /encrypted: give its password/ },
    { vendor, what: 'an encrypted private key with a wrong password', node: 'load-cert', settings: { certType: 'key' }, msg: (f) => ({ payload: f.pki.client.encryptedKey('right-password'), password: 'wrong-password' }), field: 'password', limit: /does not decrypt the private key/ },
    {
      vendor, what: `a certificate over ${limits.maxBytes} bytes`, node: 'load-cert',
      msg: (f) => ({ payload: limits.maxBytes > 60000 ? f.huge.cert : f.big.cert }), field: 'msg.payload', limit: new RegExp(`at most ${limits.maxBytes} bytes`),
    },
    { vendor, what: `profile ${badProfile}`, node: 'tls-profile', msg: () => ({ profile: badProfile }), field: 'profile', limit: new RegExp(`${badProfile} is outside ${range(limits.profiles)}`) },
    { vendor, what: 'msg.profile as an object with a wrong verify', node: 'tls-profile', msg: () => ({ profile: { verify: 'always' } }), field: 'verify', limit: /"always" is not one of none, server, mutual/ },
    { vendor, what: 'msg.profile as an object with a misspelt setting', node: 'tls-profile', msg: () => ({ profile: { verfy: 'none' } }), field: 'msg.profile.verfy', limit: /is not a tls-profile setting \(msg\.profile takes profile, verify, / },
    { vendor, what: 'msg.profile as a list', node: 'tls-profile', msg: () => ({ profile: [1] }), field: 'msg.profile', limit: /must be a profile id or an object of tls-profile settings, got a list/ },
    { vendor, what: 'msg.profile as an object', node: 'tls-open', msg: () => ({ profile: { id: 1 } }), field: 'profile', limit: new RegExp(`an object is not a whole number in ${range(limits.profiles)}`) },
    { vendor, what: 'a host with a double quote', node: 'tls-open', msg: () => ({ host: 'example.com",443' }), field: 'host', limit: /must not contain a double quote/ },
    { vendor, what: 'a host with CR LF and a command after it', node: 'tls-open', msg: () => ({ host: 'example.com\r\nAT+CFUN=0' }), field: 'host', limit: /must not contain carriage return \(CR\)/ },
    { vendor, what: 'a host whose label is over 63 characters', node: 'tls-open', msg: () => ({ host: `${long(64)}.example.com` }), field: 'host', limit: /at most 63 between two dots/ },
    { vendor, what: 'a host with LF', node: 'tls-open', msg: () => ({ host: 'example.com\nAT' }), field: 'host', limit: /must not contain line feed \(LF\)/ },
    { vendor, what: 'a host with Ctrl-Z', node: 'tls-open', msg: () => ({ host: 'example.com\x1a' }), field: 'host', limit: /must not contain Ctrl-Z/ },
    { vendor, what: 'a host with ESC', node: 'tls-open', msg: () => ({ host: '\x1bexample.com' }), field: 'host', limit: /must not contain ESC/ },
    { vendor, what: 'a host with "č" (latin1 would send 0x0D)', node: 'tls-open', msg: () => ({ host: 'ex\u010dmple.com' }), field: 'host', limit: /printable ASCII .*"č" \(U\+010D\)/ },
    { vendor, what: 'a host with an emoji', node: 'tls-open', msg: () => ({ host: 'iot-\u{1F512}.example.com' }), field: 'host', limit: /printable ASCII .*U\+D83D/ },
    { vendor, what: 'port 0', node: 'tls-open', msg: () => ({ host: 'example.com', port: 0 }), field: 'port', limit: /0 is outside 1\.\.65535/ },
    { vendor, what: 'port 65536', node: 'tls-open', msg: () => ({ host: 'example.com', port: 65536 }), field: 'port', limit: /65536 is outside 1\.\.65535/ },
    { vendor, what: 'port -1', node: 'tls-open', msg: () => ({ host: 'example.com', port: -1 }), field: 'port', limit: /-1 is outside 1\.\.65535/ },
    { vendor, what: 'port "abc"', node: 'tls-open', msg: () => ({ host: 'example.com', port: 'abc' }), field: 'port', limit: /"abc" is not a whole number in 1\.\.65535/ },
    { vendor, what: 'port 1.5', node: 'tls-open', msg: () => ({ host: 'example.com', port: 1.5 }), field: 'port', limit: /1\.5 is not a whole number in 1\.\.65535/ },
    { vendor, what: 'a number as payload', node: 'tls-send', msg: () => ({ socket: String(socket), payload: 42 }), field: 'msg.payload', limit: /must be a string or a Buffer, got a number/ },
    { vendor, what: 'an object as payload', node: 'tls-send', msg: () => ({ socket: String(socket), payload: { a: 1 } }), field: 'msg.payload', limit: /must be a string or a Buffer, got an object/ },
    { vendor, what: 'an array as payload', node: 'tls-send', msg: () => ({ socket: String(socket), payload: [1, 2, 3] }), field: 'msg.payload', limit: /must be a string or a Buffer, got a list/ },
    { vendor, what: 'null as payload', node: 'tls-send', msg: () => ({ socket: String(socket), payload: null }), field: 'msg.payload', limit: /must be a string or a Buffer, got null/ },
    { vendor, what: 'a payload over 1 MiB', node: 'tls-send', msg: () => ({ socket: String(socket), payload: Buffer.alloc((1 << 20) + 1, 0x41) }), field: 'msg.payload', limit: /1048577 bytes; one message sends at most 1048576 bytes/ },
    { vendor, what: `socket ${badSocket}`, node: 'tls-send', msg: () => ({ socket: badSocket, payload: 'x' }), field: 'msg.socket', limit: new RegExp(`${badSocket} is outside ${range(limits.sockets)}`) },
    { vendor, what: 'msg.socket as an object', node: 'tls-send', msg: () => ({ socket: { id: 1 }, payload: 'x' }), field: 'msg.socket', limit: new RegExp(`an object is not a whole number in ${range(limits.sockets)}`) },
    { vendor, what: 'msg.length negative', node: 'tls-recv', msg: () => ({ socket: String(socket), length: -5 }), field: 'msg.length', limit: /-5 bytes is outside 1\.\.1048576 bytes/ },
    { vendor, what: `socket ${badSocket}`, node: 'tls-close', msg: () => ({ socket: String(badSocket) }), field: 'msg.socket', limit: new RegExp(`${badSocket} is outside ${range(limits.sockets)}`) },
    { vendor, what: 'a command line with CR and a second command', node: 'at-command', msg: () => ({ payload: vendor === 'eswifi' ? 'CS\rZR' : 'AT\rAT+CFUN=0' }), field: 'msg.payload', limit: /must not contain carriage return \(CR\)/ },
    { vendor, what: 'a command line with "č"', node: 'at-command', msg: () => ({ payload: vendor === 'eswifi' ? 'C1=Kav\u010dna' : 'AT+COPS=1,0,"Kav\u010dna"' }), field: 'msg.payload', limit: /printable ASCII .*"č" \(U\+010D\)/ },
  ];
}

const CASES: Case[] = [
  // Telit ME910C1 (platform 30): secure sockets 1..6, 4096 bytes per item, PEM, RSA keys.
  ...shared('telit', { profiles: [1, 6], sockets: [1, 6], maxBytes: 4096 }),
  { vendor: 'telit', what: 'slot 7', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 7 }), field: 'name', limit: /7 is outside 1\.\.6/ },
  { vendor: 'telit', what: 'slot "č"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: '\u010d' }), field: 'name', limit: /is not a whole number in 1\.\.6/ },
  { vendor: 'telit', what: 'an EC key where the module takes RSA', node: 'load-cert', settings: { certType: 'key' }, msg: (f) => ({ payload: f.ecKey }), field: 'msg.payload', limit: /takes RSA keys/ },
  { vendor: 'telit', what: 'a cipher suite the platform lacks', node: 'tls-profile', msg: () => ({ ciphers: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' }), field: 'ciphers', limit: /cannot select TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384; it offers / },
  { vendor: 'telit', what: 'TLS 1.3', node: 'tls-profile', msg: () => ({ tlsVersion: '1.3' }), field: 'tlsVersion', limit: /it offers auto, 1\.0, 1\.1, 1\.2/ },
  { vendor: 'telit', what: 'vendorOptions.pktSz over 1500', node: 'tls-profile', msg: () => ({ vendorOptions: { pktSz: 1501 } }), field: 'vendorOptions.pktSz', limit: /1501 bytes is outside 0\.\.1500 bytes/ },
  { vendor: 'telit', what: 'the node’s own command with ESC (the message carries none)', node: 'at-command', settings: { command: 'AT+CGMI\x1b' }, msg: () => ({ payload: Date.now() }), field: 'command', limit: /must not contain ESC/ },
  { vendor: 'telit', what: 'Ctrl-Z in a command line', node: 'at-command', msg: () => ({ payload: 'AT#SSLSEND=1\x1a' }), field: 'msg.payload', limit: /must not contain Ctrl-Z/ },

  { vendor: 'telit', what: 'a CA slot other than the secure socket’s own', node: 'tls-profile', msg: () => ({ ca: '2' }), field: 'ca', limit: /uses the security data stored under its own id: load it with name 1, not 2/ },
  { vendor: 'telit', what: 'a host of 256 characters', node: 'tls-open', msg: () => ({ host: `${long(252)}.com` }), field: 'host', limit: /is 256 bytes long, the limit is 255/ },
  { vendor: 'telit', what: 'msg.timeout under 100 ms', node: 'tls-open', msg: () => ({ host: 'example.com', timeout: 50 }), field: 'timeout', limit: /50 ms is outside 100\.\.600000 ms/ },
  { vendor: 'telit', what: 'vendorOptions.suspend as text', node: 'tls-close', msg: () => ({ socket: '1', vendorOptions: { suspend: 'maybe' } }), field: 'vendorOptions.suspend', limit: /must be true or false/ },
  { vendor: 'telit', what: 'an unknown vendor option', node: 'tls-open', msg: () => ({ host: 'example.com', vendorOptions: { fastDial: true } }), field: 'vendorOptions.fastDial', limit: /is not an option of .* \(it has resume\)/ },

  { vendor: 'telit', what: 'msg.length as an object', node: 'tls-recv', msg: () => ({ socket: '1', length: { n: 5 } }), field: 'msg.length', limit: /an object is not a whole number in 1\.\.1048576 bytes/ },
  { vendor: 'telit', what: 'msg.force as "yes"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, force: 'yes' }), field: 'force', limit: /must be true or false, got "yes"/ },
  { vendor: 'telit', what: 'msg.checkHostname as 2', node: 'tls-profile', msg: () => ({ checkHostname: 2 }), field: 'checkHostname', limit: /must be true or false, got 2/ },
  { vendor: 'telit', what: 'msg.data as an object', node: 'at-command', msg: () => ({ payload: 'AT', data: { a: 1 } }), field: 'msg.data', limit: /must be a string or a Buffer .*got an object/ },

  // u-blox SARA-R5: profiles 0..4, sockets 0..6, names of up to 30 characters, 8192 bytes per item.
  ...shared('ublox', { profiles: [0, 4], sockets: [0, 6], maxBytes: 8192 }),
  { vendor: 'ublox', what: 'a name of 31 characters', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: long(31) }), field: 'name', limit: /is 31 bytes long, the limit is 30/ },
  { vendor: 'ublox', what: 'a name with "č"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'ko\u010den' }), field: 'name', limit: /printable ASCII .*"č" \(U\+010D\)/ },
  { vendor: 'ublox', what: 'a name with an emoji', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'root-\u{1F511}' }), field: 'name', limit: /printable ASCII .*U\+D83D/ },
  { vendor: 'ublox', what: 'a name with a double quote', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'root"ca' }), field: 'name', limit: /double quote/ },
  { vendor: 'ublox', what: 'a host name with LF', node: 'tls-profile', msg: () => ({ hostname: 'example.com\nAT+CFUN=15' }), field: 'hostname', limit: /must not contain line feed \(LF\)/ },
  { vendor: 'ublox', what: 'an ALPN name with "č"', node: 'tls-profile', msg: () => ({ alpn: ['mq\u010dt'] }), field: 'alpn', limit: /1\.\.255 printable ASCII characters/ },
  { vendor: 'ublox', what: 'a PSK with ESC', node: 'tls-profile', msg: () => ({ verify: 'none', psk: 'secret\x1b' }), field: 'psk', limit: /must not contain ESC/ },
  { vendor: 'ublox', what: 'TLS 1.3 on the SARA-R5', node: 'tls-profile', msg: () => ({ tlsVersion: '1.3' }), field: 'tlsVersion', limit: /it offers auto, 1\.0, 1\.1, 1\.2/ },
  { vendor: 'ublox', what: 'a cipher suite the module lacks', node: 'tls-profile', msg: () => ({ ciphers: 'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384' }), field: 'ciphers', limit: /cannot select TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384; it offers / },

  { vendor: 'ublox', what: 'a host name with a double quote', node: 'tls-profile', msg: () => ({ hostname: 'example.com"' }), field: 'hostname', limit: /must not contain a double quote/ },
  { vendor: 'ublox', what: 'a CA name with "č"', node: 'tls-profile', msg: () => ({ ca: 'ko\u010den' }), field: 'ca', limit: /printable ASCII .*"č" \(U\+010D\)/ },
  { vendor: 'ublox', what: 'a PSK identity with a double quote', node: 'tls-profile', msg: () => ({ verify: 'none', psk: '0102', pskIdentity: 'id"x' }), field: 'pskIdentity', limit: /must not contain a double quote/ },
  { vendor: 'ublox', what: 'vendorOptions.fromFile with CR', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, vendorOptions: { fromFile: 'ca\r.pem' } }), field: 'vendorOptions.fromFile', limit: /must not contain carriage return/ },
  { vendor: 'ublox', what: 'online mode, which the module lacks', node: 'tls-open', msg: () => ({ host: 'example.com', mode: 'online' }), field: 'mode', limit: /"online" is not offered by .* \(it offers command\)/ },

  {
    // The module refuses the import command itself, before its prompt: the certificate never goes.
    // The list is read only then, to say why (read before every import, it would cost most of a
    // small certificate's size each time).
    vendor: 'ublox', what: 'an eleventh item where the module holds ten (the import command is refused before its data; the list says why)', node: 'load-cert', settings: { name: 'one-too-many' },
    before: async (ctx, f) => {
      for (let n = 0; n < 10; n++) await ctx.output('ublox-store', { payload: f.pki.ca.cert, name: `stored-${n}` });
    },
    msg: (f) => ({ payload: f.pki.unrelatedCa.cert }), field: 'name', limit: /holds 10 imported certificates and keys, the most it takes \(up to 10/,
    mayReach: /^AT\+CCLK\?$|^AT\+USECMNG=4,0,"one-too-many"$|^AT\+USECMNG=0,0,"one-too-many",\d+$|^AT\+USECMNG=3$/,
    holds: (modem) => {
      const user = [...ubloxDevice(modem)!.user.keys()];
      assert.equal(user.length, 10, user.join(', '));
      assert.ok(!user.some((k) => k.includes('one-too-many')), 'nothing stored under the refused name');
    },
  },
  { vendor: 'ublox', what: 'ESC in a command line', node: 'at-command', msg: () => ({ payload: 'AT+USECMNG=3\x1b' }), field: 'msg.payload', limit: /must not contain ESC/ },

  { vendor: 'ublox', what: 'a host name (SNI) of 200 characters', node: 'tls-profile', msg: () => ({ hostname: `${long(60)}.${long(60)}.${long(60)}.${long(15)}.com` }), field: 'hostname', limit: /is 202 bytes long, the limit is 128/ },
  { vendor: 'ublox', what: 'a PSK identity of 200 characters', node: 'tls-profile', msg: () => ({ verify: 'none', psk: '0102', pskIdentity: long(200) }), field: 'pskIdentity', limit: /is 200 bytes long, the limit is 128/ },
  { vendor: 'ublox', what: 'a key password of 200 characters', node: 'tls-profile', msg: () => ({ verify: 'mutual', cert: 'client-cert', key: 'client-key', keyPassword: long(200) }), field: 'keyPassword', limit: /is 200 bytes long, the limit is 128/ },
  { vendor: 'ublox', what: 'a CA name of 61 characters', node: 'tls-profile', msg: () => ({ ca: long(61) }), field: 'ca', limit: /up to 30 characters \(pre-installed ubx_… names up to 60/ },
  { vendor: 'ublox', what: 'vendorOptions.pinCert with an emoji', node: 'tls-profile', msg: () => ({ vendorOptions: { pinCert: 'pin-\u{1F4CC}' } }), field: 'vendorOptions.pinCert', limit: /printable ASCII .*U\+D83D/ },
  { vendor: 'ublox', what: 'a send on a socket no flow opened', node: 'tls-send', msg: () => ({ socket: '3', payload: 'x' }), field: 'msg.socket', limit: /is not open; no connection is \(tls-open opens one/ },

  { vendor: 'ublox', what: 'msg.timeout as "x"', node: 'tls-recv', msg: () => ({ socket: '1', timeout: 'x' }), field: 'timeout', limit: /"x" is not a whole number in 100\.\.600000 ms/ },
  { vendor: 'ublox', what: 'msg.action "delete"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, action: 'delete' }), field: 'action', limit: /"delete" is not one of store, list, remove/ },
  { vendor: 'ublox', what: 'msg.sni as "maybe"', node: 'tls-profile', msg: () => ({ sni: 'maybe' }), field: 'sni', limit: /must be true or false, got "maybe"/ },
  { vendor: 'ublox', what: 'msg.dataEnd "esc"', node: 'at-command', msg: () => ({ payload: 'AT', data: 'x', dataEnd: 'esc' }), field: 'msg.dataEnd', limit: /"esc" is not ctrl-z or none/ },

  // Fibocom L610: one TLS configuration (profile 1), sockets 1..6, files without names, 8192 bytes, PEM.
  ...shared('fibocom', { profiles: [1, 1], sockets: [1, 6], maxBytes: 8192 }),
  { vendor: 'fibocom', what: 'a label with an emoji', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'root \u{1F510}' }), field: 'name', limit: /printable ASCII .*U\+D83D/ },
  { vendor: 'fibocom', what: 'a cipher suite the module lacks', node: 'tls-profile', msg: () => ({ ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA' }), field: 'ciphers', limit: /cannot select TLS_RSA_WITH_AES_128_CBC_SHA; it offers / },
  { vendor: 'fibocom', what: 'TLS 1.3', node: 'tls-profile', msg: () => ({ tlsVersion: '1.3' }), field: 'tlsVersion', limit: /it offers auto, 1\.0, 1\.1, 1\.2/ },
  { vendor: 'fibocom', what: 'ALPN, which the module lacks', node: 'tls-profile', msg: () => ({ alpn: 'mqtt' }), field: 'alpn', limit: /does not offer ALPN/ },
  { vendor: 'fibocom', what: 'date checks off where the module always checks them', node: 'tls-profile', msg: () => ({ checkDate: false }), field: 'checkDate', limit: /always checks certificate dates/ },

  { vendor: 'fibocom', what: 'a label with "č"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'ko\u010den' }), field: 'name', limit: /printable ASCII .*"č" \(U\+010D\)/ },
  { vendor: 'fibocom', what: 'a label of 65 characters', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: long(65) }), field: 'name', limit: /is 65 bytes long, the limit is 64/ },
  { vendor: 'fibocom', what: 'DER, which the module does not take', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.certDer, format: 'der' }), field: 'format', limit: /"der" is not offered by .* \(it offers pem, auto\)/ },
  { vendor: 'fibocom', what: 'a host name, which the module cannot set', node: 'tls-profile', msg: () => ({ hostname: 'example.com' }), field: 'hostname', limit: /leave it empty/ },

  { vendor: 'fibocom', what: 'msg.mode as 1', node: 'tls-open', msg: () => ({ host: 'example.com', mode: 1 }), field: 'mode', limit: /"1" is not one of command/ },
  { vendor: 'fibocom', what: 'msg.vendorOptions as a list', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, vendorOptions: [1] }), field: 'vendorOptions', limit: /must be an object such as \{"name": 1\}/ },
  { vendor: 'fibocom', what: 'msg.password as a number', node: 'load-cert', settings: { certType: 'key' }, msg: (f) => ({ payload: f.pki.client.encryptedKey('pw'), password: 1234 }), field: 'password', limit: /must be text, got a number/ },
  { vendor: 'fibocom', what: 'a command line of 1025 characters', node: 'at-command', msg: () => ({ payload: `AT${long(1023)}` }), field: 'msg.payload', limit: /is 1025 characters long, the limit is 1024/ },

  // XBee3 LTE-M: profiles 0..2, sockets 0..255 (the module numbers them), files up to 64 KiB, one root CA per file.
  ...shared('xbee3', { profiles: [0, 2], sockets: [0, 255], maxBytes: 65536 }),
  { vendor: 'xbee3', what: 'a CA file holding a chain (intermediate and root)', node: 'load-cert', msg: (f) => ({ payload: f.intermediate.cert + f.pki.ca.cert }), field: 'msg.payload', limit: /one self-signed root CA per file/ },
  { vendor: 'xbee3', what: 'an intermediate CA where a self-signed root is needed', node: 'load-cert', msg: (f) => ({ payload: f.intermediate.cert }), field: 'msg.payload', limit: /not by itself: .*self-signed root CA/ },
  { vendor: 'xbee3', what: 'a file name with "č"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: '\u010dca.pem' }), field: 'name', limit: /printable ASCII .*"č" \(U\+010D\)/ },
  { vendor: 'xbee3', what: 'a file name with a space', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'my ca.pem' }), field: 'name', limit: /letters, digits, "\.", "-" and "_", at most 64 characters/ },
  { vendor: 'xbee3', what: 'a file name of 65 characters', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: `${long(61)}.pem` }), field: 'name', limit: /is 65 bytes long, the limit is 64/ },
  { vendor: 'xbee3', what: 'an EC key where the module takes RSA', node: 'load-cert', settings: { certType: 'key', name: 'client.key' }, msg: (f) => ({ payload: f.ecKey }), field: 'msg.payload', limit: /takes RSA keys/ },
  { vendor: 'xbee3', what: 'TLS 1.1, which the module cannot select', node: 'tls-profile', msg: () => ({ tlsVersion: '1.1' }), field: 'tlsVersion', limit: /it offers 1\.0, 1\.2, auto/ },
  { vendor: 'xbee3', what: 'a cipher suite (the module selects none)', node: 'tls-profile', msg: () => ({ ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA' }), field: 'ciphers', limit: /cannot select them: use auto/ },

  { vendor: 'xbee3', what: 'a file name with an emoji', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 'ca-\u{1F511}.pem' }), field: 'name', limit: /printable ASCII .*U\+D83D/ },
  { vendor: 'xbee3', what: 'a path that leaves /flash', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: '../../etc/ca.pem' }), field: 'name', limit: /letters, digits, "\.", "-" and "_", at most 64 characters/ },
  { vendor: 'xbee3', what: 'a CA file name with ";" (AT$n separates its files with it)', node: 'tls-profile', msg: () => ({ ca: 'a;b.pem' }), field: 'ca', limit: /letters, digits, "\.", "-" and "_", at most 64 characters/ },
  { vendor: 'xbee3', what: 'online (transparent) mode with a profile other than 0', node: 'tls-open', msg: () => ({ host: 'example.com', profile: 1, mode: 'online' }), field: 'profile', limit: /profile 0/ },
  { vendor: 'xbee3', what: 'DER, which the module does not take', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.certDer, format: 'der' }), field: 'format', limit: /"der" is not offered by .* \(it offers pem, auto\)/ },

  { vendor: 'xbee3', what: 'an emoji in a command line', node: 'at-command', msg: () => ({ payload: 'ATNI \u{1F4E1}' }), field: 'msg.payload', limit: /printable ASCII .*U\+D83D/ },

  { vendor: 'xbee3', what: 'a close of a socket no flow opened', node: 'tls-close', msg: () => ({ socket: '9' }), field: 'msg.socket', limit: /is not open; no connection is \(tls-open opens one/ },

  { vendor: 'xbee3', what: 'an encrypted key with a wrong password in the node’s credentials', node: 'load-cert', settings: { certType: 'key', name: 'client.key' }, credentials: { password: 'not-the-password' }, msg: (f) => ({ payload: f.pki.client.encryptedKey('right-password') }), field: 'password', limit: /does not decrypt the private key/ },

  { vendor: 'xbee3', what: 'msg.certType as 2', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, certType: 2 }), field: 'certType', limit: /"2" is not one of ca, cert, key/ },
  { vendor: 'xbee3', what: 'msg.vendorOptions as broken JSON', node: 'tls-open', msg: () => ({ host: 'example.com', vendorOptions: '{"a":' }), field: 'vendorOptions', limit: /is not valid JSON/ },
  { vendor: 'xbee3', what: 'msg.cert that is no certificate, beside a key', node: 'load-cert', settings: { certType: 'key', name: 'client.key' }, msg: (f) => ({ payload: f.pki.client.keyRsaPem, cert: 'not a cert' }), field: 'msg.cert', limit: /is text but not PEM \(no -----BEGIN CERTIFICATE----- line\)/ },
  { vendor: 'xbee3', what: 'an empty payload', node: 'tls-send', msg: () => ({ socket: '1', payload: '' }), field: 'msg.payload', limit: /is empty: nothing to send/ },

  // eS-WiFi ISM43362: certificate sets 0..2, one-time programmable; sockets 0..3; command mode only.
  ...shared('eswifi', { profiles: [0, 2], sockets: [0, 3], maxBytes: 8192 }),
  {
    vendor: 'eswifi', what: 'a set programmed with another root CA is not written again', node: 'load-cert', settings: { name: '1' },
    before: async (ctx, f) => {
      await ctx.output('eswifi-program', { payload: f.pki.ca.cert });
    },
    msg: (f) => ({ payload: f.pki.unrelatedCa.cert }), field: 'name', limit: /set 1 is programmed with another root CA .* cannot be rewritten/,
  },
  { vendor: 'eswifi', what: 'set 3', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: 3 }), field: 'name', limit: /3 is outside 0\.\.2/ },
  { vendor: 'eswifi', what: 'msg.vendorOptions.programOneTime as text', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, vendorOptions: { programOneTime: 'yes' } }), field: 'vendorOptions.programOneTime', limit: /must be true or false/ },
  { vendor: 'eswifi', what: 'a cipher suite (the module selects none)', node: 'tls-profile', msg: () => ({ ciphers: 'TLS_RSA_WITH_AES_128_CBC_SHA' }), field: 'ciphers', limit: /cannot select them: use auto/ },
  { vendor: 'eswifi', what: 'vendorOptions.verification 3', node: 'tls-profile', msg: () => ({ vendorOptions: { verification: 3 } }), field: 'vendorOptions.verification', limit: /3 is outside 0\.\.2/ },
  { vendor: 'eswifi', what: 'online mode, which the module lacks', node: 'tls-open', msg: () => ({ host: 'example.com', mode: 'online' }), field: 'mode', limit: /"online" is not offered by .* \(it offers command\)/ },
  {
    vendor: 'eswifi', what: 'a key that does not belong to the certificate programmed in its set', node: 'load-cert', settings: { certType: 'key', name: '2', programOneTime: true },
    before: async (ctx, f) => {
      await ctx.output('eswifi-program', { payload: f.pki.client.cert, certType: 'cert', name: '2' });
    },
    msg: (f) => ({ payload: f.pki.server.key }), field: 'msg.payload', limit: /does not belong to the certificate of set 2/,
  },
  { vendor: 'eswifi', what: 'a key for a set whose certificate is not known', node: 'load-cert', settings: { certType: 'key', name: '0', programOneTime: true }, msg: (f) => ({ payload: f.pki.client.key }), field: 'msg.payload', limit: /program the certificate of set 0 first/ },
  { vendor: 'eswifi', what: 'set "č"', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, name: '\u010d' }), field: 'name', limit: /is not a whole number in 0\.\.2/ },
  { vendor: 'eswifi', what: 'a CA set other than the profile’s own', node: 'tls-profile', msg: () => ({ ca: '1' }), field: 'ca', limit: /uses what set 0 holds: give 0 or leave it empty/ },
  { vendor: 'eswifi', what: 'msg.vendorOptions.pollMs 5', node: 'tls-open', msg: () => ({ host: 'example.com', vendorOptions: { pollMs: 5 } }), field: 'vendorOptions.pollMs', limit: /5 ms is outside 10\.\.10000 ms/ },
  { vendor: 'eswifi', what: 'a read on a socket no flow opened', node: 'tls-recv', msg: () => ({ socket: '2' }), field: 'msg.socket', limit: /is not open; no connection is \(tls-open opens one/ },
  { vendor: 'eswifi', what: 'msg.format as an object', node: 'load-cert', msg: (f) => ({ payload: f.pki.ca.cert, format: { pem: true } }), field: 'format', limit: /must be one of the listed values \(pem, auto\), got an object/ },
  { vendor: 'eswifi', what: 'a private key given as a CA certificate', node: 'load-cert', msg: (f) => ({ payload: f.pki.client.key }), field: 'msg.payload', limit: /holds no certificate \(PEM blocks found: PRIVATE KEY\)/ },
  { vendor: 'eswifi', what: 'a blank command line', node: 'at-command', msg: () => ({ payload: '   ' }), field: 'msg.payload', limit: /is empty; send a command such as ATI/ },
];

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

function fixtures(): Fixtures {
  const pki = createTestPki();
  const keys = generateKeyPair('rsa');
  const hosts = (n: number): string[] => Array.from({ length: n }, (_, i) => `device-${i}.a-rather-long-subdomain.example.com`);
  const big = issueCertificate({ issuer: pki.ca, subject: 'big', keys, hosts: hosts(220) });
  const huge = issueCertificate({ issuer: pki.ca, subject: 'huge', keys, hosts: hosts(1400) });
  const intermediate = createCertificateAuthority({ subject: { CN: 'Modem TLS Test Intermediate' }, issuer: pki.ca, keys });
  const ecKey = generateKeyPair('ec').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { pki, big, huge, intermediate, ecKey };
}

/** Resolves with the Catch node's message for a failure of node `id`. */
function caughtFrom(id: string, timeoutMs = 10000): Promise<Msg> {
  const caught = helper.getNode('caught');
  return new Promise((resolve, reject) => {
    const onInput = (msg: Msg): void => {
      if (msg.error?.source?.id !== id) return;
      clearTimeout(timer);
      caught.removeListener('input', onInput);
      resolve(msg);
    };
    const timer = setTimeout(() => {
      caught.removeListener('input', onInput);
      reject(new Error(`the Catch node got nothing from ${id} within ${timeoutMs} ms`));
    }, timeoutMs);
    caught.on('input', onInput);
  });
}

/** Resolves with the next message node `id` sends on (to its helper); rejects when the Catch node gets a failure of it. */
function outputOf(id: string, msg: Msg): Promise<Msg> {
  const out = helper.getNode(`${id}-out`);
  const caught = helper.getNode('caught');
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      out.removeListener('input', onOutput);
      caught.removeListener('input', onCaught);
    };
    const onOutput = (m: Msg): void => {
      finish();
      resolve(m);
    };
    const onCaught = (m: Msg): void => {
      if (m.error?.source?.id !== id) return;
      finish();
      reject(new Error(`${id} failed: ${m.error?.message}`));
    };
    out.on('input', onOutput);
    caught.on('input', onCaught);
    helper.getNode(id).receive(msg);
  });
}

describe('bad input is refused before anything reaches the modem:', function () {
  this.timeout(60000);
  let f: Fixtures;

  before(async () => {
    f = fixtures();
    await startServer();
  });
  after(stopServer);

  it('the corpus holds at least 60 cases, at least 8 per vendor', () => {
    assert.ok(CASES.length >= 60, `${CASES.length} cases`);
    for (const vendor of VENDOR_NAMES) {
      const n = CASES.filter((c) => c.vendor === vendor).length;
      assert.ok(n >= 8, `${vendor}: ${n} cases`);
    }
  });

  for (const vendor of VENDOR_NAMES) {
    describe(`${vendor} (${String(VENDORS[vendor].config.platform)})`, () => {
      const setup = VENDORS[vendor];
      const cases = CASES.filter((c) => c.vendor === vendor);
      let modem: SimulatedModem;
      let endpoint: { port: number; close(): Promise<void> };

      const idOf = (i: number): string => `${vendor}-${i}`;

      before(async function () {
        this.timeout(60000);
        modem = setup.create();
        endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
        const place = { z: 'tab', x: 0, y: 0 };
        const nodes: Record<string, unknown>[] = cases.map((c, i) => ({
          ...place, id: idOf(i), type: TYPES[c.node], modem: 'cfg', ...setup.defaults[c.node], ...c.settings, wires: [[]],
        }));
        if (vendor === 'ublox') {
          // Fills the module for the case that needs it full.
          nodes.push({ ...place, id: 'ublox-store', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '', wires: [['ublox-store-out']] });
          nodes.push({ ...place, id: 'ublox-store-out', type: 'helper' });
        }
        if (vendor === 'eswifi') {
          // Programs a set for the case that needs one programmed already.
          nodes.push({ ...place, id: 'eswifi-program', type: 'modem-load-cert', modem: 'cfg', certType: 'ca', name: '1', programOneTime: true, wires: [['eswifi-program-out']] });
          nodes.push({ ...place, id: 'eswifi-program-out', type: 'helper' });
        }
        const credentials: Record<string, unknown> = { ...(setup.configCredentials ? { cfg: setup.configCredentials } : {}) };
        cases.forEach((c, i) => {
          if (c.credentials) credentials[idOf(i)] = c.credentials;
        });
        await loadFlow(ALL_NODES, [
          { id: 'tab', type: 'tab', label: `bad input: ${vendor}` },
          { id: 'cfg', type: 'modem-config', vendor, transport: 'tcp', host: '127.0.0.1', tcpPort: String(endpoint.port), commandTimeout: 5000, clockSync: true, ...setup.config },
          ...nodes,
          { ...place, id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { ...place, id: 'caught', type: 'helper' },
        ], credentials);
        await waitForStatus(helper.getNode(idOf(0)), (s) => s.text === 'ready', 30000);
      });

      after(async () => {
        await helper.unload();
        await endpoint?.close();
        modem?.close();
      });

      // Every message completed (done), no unhandled rejection, no handle left behind by a case.
      faultGuards();

      /** Everything queued for the module so far has reached it once the barrier command is answered. */
      async function barrier(): Promise<void> {
        await (helper.getNode('cfg') as unknown as { modem: { command(line: string): Promise<unknown> } }).modem.command(setup.barrier);
      }

      const ctx = (): VendorContext => ({ modem, output: outputOf });

      cases.forEach((c, i) => {
        it(`${c.node}: ${c.what} — ${c.field} named with its limit, ${c.mayReach ? 'nothing stored' : 'nothing sent'}`, async () => {
          const id = idOf(i);
          const node: TestNode = helper.getNode(id);
          if (c.before) await c.before(ctx(), f);
          await barrier();
          const mark = modem.log.length;
          const setsBefore = vendor === 'eswifi' ? JSON.stringify(eswifiDevice(modem)!.sets) : '';
          const caught = caughtFrom(id);
          node.receive(c.msg(f));
          const msg = await caught;
          const error = msg.modemError;
          assert.ok(error, `no msg.modemError: ${msg.error?.message}`);
          assert.equal(error.kind, 'PARAMETER', `${msg.error?.message} ${JSON.stringify(error)}`);
          assert.equal(error.field, c.field, msg.error?.message);
          assert.match(msg.error.message, c.limit);
          assert.ok(String(msg.error.message).replace(/^ModemError: /, '').startsWith(`${c.field}: `), `the text names the field first: ${msg.error.message}`);
          await waitForStatus(node, (s) => s.fill === 'red');
          // Once the module has answered a command queued after the refusal, it has everything it was sent.
          const before = modem.log.length;
          await barrier();
          const sent = modem.log.slice(mark, before).map((e) => e.line);
          if (c.mayReach) {
            const pattern = c.mayReach;
            assert.deepEqual(sent.filter((line) => !pattern.test(line)), [], `only what the case allows reached the module: ${sent.join(' | ')}`);
          } else {
            assert.deepEqual(sent, [], 'nothing reached the module');
          }
          assert.ok(modem.log.slice(before).every((e) => e.line === setup.barrier || /^API 0x08 /.test(e.line)), `only the barrier followed: ${modem.log.slice(before).map((e) => e.line).join(' | ')}`);
          c.holds?.(modem);
          if (vendor === 'eswifi') assert.equal(JSON.stringify(eswifiDevice(modem)!.sets), setsBefore, 'the certificate sets are as they were');
        });
      });
    });
  }

  /**
   * A modem-config setting no module could take: the config node refuses it when deployed, so it
   * never opens the link; its flow nodes show the problem and refuse every message naming the
   * config's field and its limit.
   */
  describe('modem-config', () => {
    const CONFIG_CASES: Array<{ vendor: Vendor; what: string; config: Record<string, unknown>; credentials?: Record<string, unknown>; limit: RegExp }> = [
      { vendor: 'eswifi', what: 'an SSID with CR', config: { wifiSsid: 'home\rnet' }, limit: /wifiSsid: must not contain control characters .* at position 4/ },
      { vendor: 'eswifi', what: 'an SSID over 32 bytes of UTF-8 ("č" is two)', config: { wifiSsid: '\u010d'.repeat(17) }, limit: /wifiSsid: is 34 bytes in UTF-8, more than the 32 an SSID may have/ },
      { vendor: 'telit', what: 'an APN with a double quote', config: { apn: 'inter"net' }, limit: /apn: must not contain a double quote/ },
      { vendor: 'ublox', what: 'an APN of 101 characters', config: { apn: long(101) }, limit: /apn: is 101 bytes long, the limit is 100/ },
      { vendor: 'fibocom', what: 'an APN with "č"', config: { apn: 'inter\u010dnet' }, limit: /apn: .*"č" \(U\+010D\)/ },
      { vendor: 'xbee3', what: 'a command timeout of 50 ms', config: { commandTimeout: 50 }, limit: /commandTimeout: 50 ms is outside 100\.\.600000 ms/ },
    ];
    let modem: SimulatedModem | undefined;
    let endpoint: { port: number; close(): Promise<void> } | undefined;

    afterEach(async () => {
      await helper.unload();
      await endpoint?.close();
      modem?.close();
      modem = undefined;
      endpoint = undefined;
    });

    for (const c of CONFIG_CASES) {
      it(`${c.vendor}: ${c.what} — the config's field named with its limit, nothing sent`, async () => {
        const setup = VENDORS[c.vendor];
        modem = setup.create();
        endpoint = await listenTcp(modem, { host: '127.0.0.1', port: 0 });
        const place = { z: 'tab', x: 0, y: 0 };
        await loadFlow(ALL_NODES, [
          { id: 'tab', type: 'tab', label: `bad modem-config: ${c.vendor}` },
          { id: 'cfg', type: 'modem-config', vendor: c.vendor, transport: 'tcp', host: '127.0.0.1', tcpPort: String(endpoint.port), commandTimeout: 5000, ...setup.config, ...c.config },
          { ...place, id: 'open', type: 'modem-tls-open', modem: 'cfg', ...setup.defaults['tls-open'], wires: [[]] },
          { ...place, id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
          { ...place, id: 'caught', type: 'helper' },
        ], setup.configCredentials ? { cfg: setup.configCredentials } : {});
        const node: TestNode = helper.getNode('open');
        await waitForStatus(node, (st) => st.fill === 'red');
        const caught = caughtFrom('open');
        node.receive({ host: 'example.com' });
        const msg = await caught;
        assert.equal(msg.modemError.kind, 'PARAMETER', msg.error?.message);
        assert.equal(msg.modemError.field, 'modem', msg.error?.message);
        assert.match(msg.error.message, c.limit);
        await waitForStatus(node, (st) => st.fill === 'red');
        assert.equal((helper.getNode('cfg') as unknown as { modem: unknown }).modem, null, 'no connection was made');
        assert.deepEqual(modem.log.map((e) => e.line), [], 'nothing reached the module');
      });
    }
  });
});
