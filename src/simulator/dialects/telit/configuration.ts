/**
 * Configuring a secure socket (§6.1–§6.3, §6.7): `#SSLEN` (enable), `#SSLSECCFG` (cipher suite,
 * authentication, certificate format), `#SSLSECCFG2` (protocol version, SNI, CA masks) and
 * `#SSLCFG` (context, packet size, timeouts, URC and NO CARRIER modes), each in the form the
 * chosen platform has.
 *
 * Owns: those handlers, and the rule of §6.1 that SSL parameters can only be set on an enabled
 * SSId. Must never: open connections or touch security data.
 */
import type { SimulatedModem } from '../../modem';
import { formatAllowed, Params, range, values, type Allowed } from './args';
import { FAIL } from './errors';
import type { SslSlot, TelitDevice, TelitInstance } from './state';
import {
  CA_MASK,
  SSLCFG_BASE,
  SSLCFG_BASIC_TEST_TAIL,
  SSLCFG_EXTRAS,
  SSLCFG_MIN_READ_EXTRAS,
  sslCidRange,
  ssidRange,
  versionNumbers,
  type SimulatedPlatform,
  type SslcfgExtra,
  type SuiteRow,
} from './tables';

/**
 * §6.1: "If <Enable> parameter is not set to 1, any attempt to set SSL parameters fails"
 * (`+CME ERROR: SSL not activated`, §6.8.3.1); §6.2.2: an SSId enabled on another AT instance
 * cannot be used from this one; §10.1.1: once an MQTT client has TLS on (`#MQCFG … ,1`), "all #SSL
 * commands can be used" on the SSId of the same number.
 */
export function usableSlot(device: TelitDevice, instance: TelitInstance, ssid: number, options: { mqtt?: boolean } = {}): SslSlot {
  const slot = device.slot(ssid);
  if (slot.enabledBy && slot.enabledBy !== instance) throw FAIL.otherInstance();
  if (!usable(device, instance, slot, options.mqtt ?? true)) throw FAIL.sslNotActivated();
  return slot;
}

function usable(device: TelitDevice, instance: TelitInstance, slot: SslSlot, mqtt: boolean): boolean {
  if (slot.enabledBy) return slot.enabledBy === instance;
  const client = device.mqtt[slot.ssid - 1];
  return mqtt && client !== undefined && client.enabled && client.sslEn === 1;
}

/** The `<SSId>` parameter, range-checked against the platform. */
export function ssidParam(device: TelitDevice, p: Params, i = 0): number {
  return p.int(i, ssidRange(device.platform));
}

/** Read forms list every SSId; with none enabled on this instance they fail like a write would (§6.8.3.1). */
function readAll(device: TelitDevice, instance: TelitInstance, line: (slot: SslSlot) => string): string[] {
  if (!device.ssl.some((slot) => usable(device, instance, slot, true))) throw FAIL.sslNotActivated();
  return device.ssl.map(line);
}

// ---- <CipherSuite> (§6.2, §12.1) -------------------------------------------------------------

function decimalSelectors(platform: SimulatedPlatform): number[] {
  return platform.suites.flatMap((s) => (s.selector !== undefined ? [s.selector] : [])).sort((a, b) => a - b);
}

function hexCodes(platform: SimulatedPlatform): number[] {
  return platform.suites.flatMap((s) => (s.hex !== undefined ? [s.hex] : [])).sort((a, b) => a - b);
}

export function formatHex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What `<CipherSuite>` selects: `'all'` for 0, else the one suite its decimal value or hex code
 * names in the platform's §12.1 table; a value the table does not have fails as the module's range
 * check does.
 */
export function cipherChoice(platform: SimulatedPlatform, text: string): SuiteRow | 'all' {
  if (/^0x[0-9a-f]{1,4}$/i.test(text)) {
    const code = parseInt(text.slice(2), 16);
    const row = platform.suites.find((s) => s.hex === code);
    if (!row) throw FAIL.badParameter();
    return row;
  }
  if (!/^\d{1,3}$/.test(text)) throw FAIL.badParameter();
  const n = Number(text);
  if (n === 0) return 'all';
  const row = platform.suites.find((s) => s.selector === n);
  if (!row) throw FAIL.badParameter();
  return row;
}

function cipherTestList(platform: SimulatedPlatform): string {
  const decimals = formatAllowed(values(0, ...decimalSelectors(platform))).slice(1, -1);
  return `(${[decimals, ...hexCodes(platform).map(formatHex)].join(',')})`;
}

// ---- #SSLSECCFG2 forms (§6.3) ----------------------------------------------------------------

interface Seccfg2Layout {
  /** The parameters after `<version>`: name (for the settings) and range; `fixed` ones must be 0. */
  tail: ReadonlyArray<{ key: 'sni' | 'customCa' | 'preloadedCa' | 'minVersion' | 'fixed'; allowed: Allowed }>;
  /** Parameters that must be given (`<SSId>,<version>` and, in §6.3.4, `<SNI>`). */
  required: number;
}

function seccfg2Layout(platform: SimulatedPlatform): Seccfg2Layout | undefined {
  const zero = { key: 'fixed', allowed: range(0, 0) } as const;
  const versions = values(...versionNumbers(platform));
  switch (platform.seccfg2) {
    case 'version': // §6.3.2: <SSId>,<version>[,<unused_A>[,<unused_B>[,<unused_C>[,<unused_D>]]]]
      return { tail: [zero, zero, zero, zero], required: 2 };
    case 'version-sni': // §6.3.3: <SSId>,<version>[,<SNI>[,<unused_A>[,<unused_B>[,<unused_C>]]]]
      return { tail: [{ key: 'sni', allowed: values(0, 1) }, zero, zero, zero], required: 2 };
    case 'version-sni-ca-min': // §6.3.4: <SSId>,<version>,<SNI>[,<customCA>[,<PreloadedCA>[,<MinVersion>]]]
      return {
        tail: [
          { key: 'sni', allowed: values(0, 1) },
          { key: 'customCa', allowed: CA_MASK },
          { key: 'preloadedCa', allowed: CA_MASK },
          { key: 'minVersion', allowed: versions },
        ],
        required: 3,
      };
    case 'none': // §6.3.1: 2G modules do not have the command.
      return undefined;
  }
}

// ---- #SSLCFG (§6.7) --------------------------------------------------------------------------

/** Whether the platform has only `<sslSRingMode>` and `<noCarrierMode>` after `<txTo>` (§6.7.1). */
function basicSslcfg(platform: SimulatedPlatform): boolean {
  return platform.sslcfgExtras.length <= 2;
}

function sslcfgReadExtras(slot: SslSlot, platform: SimulatedPlatform): number[] {
  const extras = platform.sslcfgExtras.map((name) => slot.settings.extras[name]);
  while (extras.length < SSLCFG_MIN_READ_EXTRAS) extras.push(0);
  return extras;
}

export function registerConfigurationCommands(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;
  const platform = device.platform;
  const ssids = formatAllowed(ssidRange(platform));

  // §6.1, §6.8.1–§6.8.3: #SSLEN=<SSId>,<Enable>.
  modem.register('#SSLEN', {
    write: ({ args }) => {
      const p = new Params(args).expect(2, 2);
      const slot = device.slot(ssidParam(device, p));
      const enable = p.int(1, values(0, 1));
      if (slot.enabledBy && slot.enabledBy !== instance) throw FAIL.otherInstance();
      if (enable === 1) {
        if (slot.enabledBy === instance) return;
        // §6.1 warning: "if it is already enable on one of those protocols, SSLEN=1,1 returns ERROR
        // (SSL already activated)".
        const holder = device.sslHolder();
        if (holder !== undefined && holder !== 'ssl') throw FAIL.sslAlreadyActivated();
        slot.enabledBy = instance;
        return;
      }
      // A connection needs its socket enabled; it has to be closed first (#SSLH).
      if (slot.socket) throw FAIL.sslAlreadyConnected();
      slot.enabledBy = undefined;
    },
    read: () => device.ssl.map((slot) => `#SSLEN: ${slot.ssid},${slot.enabledBy ? 1 : 0}`),
    // §6.8.3.1: `#SSLEN: (1),(0,1)` on a module with one secure socket.
    test: () => `#SSLEN: ${ssids},(0,1)`,
  });

  // §6.2: #SSLSECCFG=<SSId>,<CipherSuite>,<auth_mode>[,<cert_format>] (the last where §6.2.2–6.2.4 have it).
  modem.register('#SSLSECCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(3, platform.certFormatParam ? 4 : 3);
      const slot = usableSlot(device, instance, ssidParam(device, p));
      const suite = p.text(1);
      cipherChoice(platform, suite);
      const authMode = p.int(2, range(0, 2)) as 0 | 1 | 2;
      // §6.5: DER is for 3G/4G modules, not platform 30 (nor those without <cert_format>).
      const certFormat = p.has(3) ? (p.int(3, platform.der ? values(0, 1) : values(1)) as 0 | 1) : undefined;
      Object.assign(slot.settings, { cipherSuite: suite, authMode });
      if (certFormat !== undefined) {
        slot.settings.certFormat = certFormat;
        slot.settings.certFormatShown = true;
      }
    },
    // §6.2.2: "#SSLSECCFG? … does not return the setting of the format" until it has been given once.
    read: () =>
      readAll(device, instance, ({ ssid, settings: s }) => `#SSLSECCFG: ${ssid},${s.cipherSuite},${s.authMode}${s.certFormatShown ? `,${s.certFormat}` : ''}`),
    test: () =>
      `#SSLSECCFG: ${ssids},${cipherTestList(platform)},(0-2)${platform.certFormatParam ? (platform.der ? ',(0,1)' : ',(1)') : ''}`,
  });

  const layout = seccfg2Layout(platform);
  if (layout) {
    const versions = values(...versionNumbers(platform));
    modem.register('#SSLSECCFG2', {
      write: ({ args }) => {
        const p = new Params(args).expect(layout.required, 2 + layout.tail.length);
        const slot = usableSlot(device, instance, ssidParam(device, p));
        const version = p.int(1, versions);
        const next = { ...slot.settings, version };
        layout.tail.forEach((param, i) => {
          const value = p.int(2 + i, param.allowed, param.key === 'fixed' ? 0 : param.key === 'minVersion' ? Math.min(next.minVersion, version) : next[param.key]);
          if (param.key !== 'fixed') next[param.key] = value;
        });
        // §6.3.4: <MinVersion> is the lowest acceptable version, so it cannot exceed <version>.
        if (next.minVersion > next.version) throw FAIL.badParameter();
        slot.settings = next;
      },
      // §6.8.3.1: `#SSLSECCFG2: 1,1,0,0,0,0`: four values after <version>, 0 where unused.
      read: () =>
        readAll(device, instance, ({ ssid, settings: s }) => {
          const tail = layout.tail.map((param) => (param.key === 'fixed' ? 0 : s[param.key]));
          return `#SSLSECCFG2: ${ssid},${s.version},${tail.join(',')}`;
        }),
      test: () => `#SSLSECCFG2: ${ssids},${formatAllowed(versions)},${layout.tail.map((param) => formatAllowed(param.allowed)).join(',')}`,
    });
  }

  // §6.7: #SSLCFG=<SSId>,<cid>,<pktSz>,<maxTo>,<defTo>,<txTo>[,<extras of the platform>].
  const cids = sslCidRange(platform);
  const base: Allowed[] = [cids, SSLCFG_BASE.pktSz, SSLCFG_BASE.maxTo, SSLCFG_BASE.defTo, SSLCFG_BASE.txTo];
  const extras: readonly SslcfgExtra[] = platform.sslcfgExtras;
  // §6.8.3.1's read form shows two reserved zeros after the basic extras; a host may write them back.
  const reserved = basicSslcfg(platform) ? SSLCFG_MIN_READ_EXTRAS - extras.length : 0;
  modem.register('#SSLCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(6, 6 + extras.length + reserved);
      const slot = usableSlot(device, instance, ssidParam(device, p));
      const [cid, pktSz, maxTo, defTo, txTo] = base.map((allowed, i) => p.int(1 + i, allowed));
      const values = { ...slot.settings.extras };
      extras.forEach((name, i) => {
        values[name] = p.int(6 + i, SSLCFG_EXTRAS[name].allowed, slot.settings.extras[name]);
      });
      for (let i = 6 + extras.length; i < p.count; i++) p.int(i, range(0, 0), 0);
      Object.assign(slot.settings, { cid, pktSz, maxTo, defTo, txTo, extras: values });
    },
    // §6.8.3.1: `#SSLCFG: 1,1,300,90,100,50,0,0,0,0`.
    read: () =>
      readAll(device, instance, (slot) => {
        const s = slot.settings;
        return `#SSLCFG: ${[slot.ssid, s.cid, s.pktSz, s.maxTo, s.defTo, s.txTo, ...sslcfgReadExtras(slot, platform)].join(',')}`;
      }),
    // §6.8.1: `#SSLCFG: (1),(1),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)`.
    test: () => {
      const tail = basicSslcfg(platform) ? SSLCFG_BASIC_TEST_TAIL : extras.map((name) => formatAllowed(SSLCFG_EXTRAS[name].allowed)).join(',');
      return `#SSLCFG: ${[ssids, ...base.map(formatAllowed)].join(',')},${tail}`;
    },
  });
}

