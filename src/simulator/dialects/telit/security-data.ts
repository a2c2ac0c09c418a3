/**
 * `#SSLSECDATA` (§6.5): storing, reading back and deleting the certificates and key a secure
 * socket authenticates with, in NVM or (platform 23) in RAM, uploaded as PEM text up to Ctrl-Z or
 * as exactly `<Size>` bytes of DER.
 *
 * Owns: the upload modes, the size limits, the check that the bytes really are a certificate or a
 * private key, and the read forms. Must never: print a stored private key (§6.5's read action is
 * for certificates; keys stay inside the module) or keep part of an upload that failed.
 *
 * Checking the data at upload is this simulator's choice: some Telit firmware stores whatever it
 * is given and only fails at #SSLD. Here a wrong or oversized upload is refused at once with
 * `+CME ERROR: 837` ("SSL certs and keys wrong or not stored", §12.2) and nothing is stored, so a
 * bad certificate shows up where it was sent.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { CommandContext, SimulatedModem } from '../../modem';
import { formatAllowed, Params, range } from './args';
import { usableSlot, ssidParam } from './configuration';
import { FAIL } from './errors';
import type { SslSlot, StoredData, TelitDevice, TelitInstance } from './state';
import { DATA_TYPES, ssidRange, type DataType, type SimulatedPlatform } from './tables';

/** §6.5 `<Action>`: 0 delete, 1 store in NVM, 2 read, 3 store in RAM (platform 23 only). */
const ACTION = { delete: 0, storeNvm: 1, read: 2, storeRam: 3 } as const;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\n[A-Za-z0-9+/=\n]+-----END \1-----\n?/g;

/** The PEM blocks of an upload, or none when anything but blocks (and blank lines) is in it. */
function pemBlocks(text: string): Array<{ label: string; text: string }> {
  const blocks: Array<{ label: string; text: string }> = [];
  let rest = text;
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks.push({ label: m[1], text: m[0] });
    rest = rest.replace(m[0], '');
  }
  return rest.trim() === '' ? blocks : [];
}

/**
 * Whether a private key is one the platform can use: §6.5 asks for an "RSA private key"; the
 * platforms whose suite tables (§12.1) have ECDSA suites also take EC keys.
 */
function keyAccepted(platform: SimulatedPlatform, key: KeyObject): boolean {
  if (key.asymmetricKeyType === 'rsa') return true;
  return key.asymmetricKeyType === 'ec' && platform.suites.some((suite) => suite.name.includes('ECDSA'));
}

function parseKey(bytes: Buffer, format: 'pem' | 'der'): KeyObject | undefined {
  const attempts =
    format === 'pem'
      ? [() => createPrivateKey({ key: bytes.toString('latin1'), format: 'pem' })]
      : (['pkcs1', 'pkcs8', 'sec1'] as const).map((type) => () => createPrivateKey({ key: bytes, format: 'der', type }));
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch {
      // Not this encoding (or encrypted: the module has no way to be told a password).
    }
  }
  return undefined;
}

/** Whether `bytes` are what `<DataType>` says, in the upload's format. */
function isValid(platform: SimulatedPlatform, type: DataType, bytes: Buffer, format: 'pem' | 'der'): boolean {
  if (format === 'pem') {
    // §6.5: "Each certificate line must be terminated only with <LF> character (no <CR>)".
    const text = bytes.toString('latin1');
    if (text.includes('\r')) return false;
    const blocks = pemBlocks(text);
    if (blocks.length === 0) return false;
    if (type === 2) {
      if (blocks.length !== 1 || !/PRIVATE KEY$/.test(blocks[0].label)) return false;
      const key = parseKey(bytes, 'pem');
      return key !== undefined && keyAccepted(platform, key);
    }
    // A CA upload may carry a chain; a client certificate is one certificate.
    if (blocks.some((b) => b.label !== 'CERTIFICATE') || (type === 0 && blocks.length !== 1)) return false;
    return blocks.every((b) => parses(() => new X509Certificate(b.text)));
  }
  if (type === 2) {
    const key = parseKey(bytes, 'der');
    return key !== undefined && keyAccepted(platform, key);
  }
  return parses(() => new X509Certificate(bytes));
}

function parses(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/** The CA certificates of a stored upload, one per entry, as the TLS stack takes them. */
export function caCertificates(data: StoredData): Buffer[] {
  if (data.format === 'der') return [data.bytes];
  return pemBlocks(data.bytes.toString('latin1')).map((b) => Buffer.from(b.text, 'latin1'));
}

/**
 * The read-back text (`<Action>` 2): the stored PEM as it was sent, one line each. DER uploads come
 * back in PEM form, so the answer stays text (the guide does not show this answer; this is the
 * simulator's choice).
 */
function readBack(data: StoredData): Buffer {
  const text =
    data.format === 'pem'
      ? data.bytes.toString('latin1')
      : `-----BEGIN CERTIFICATE-----\n${(data.bytes.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
  const lines = text.split('\n').filter((line) => line !== '');
  return Buffer.from(lines.map((line) => `${line}\r\n`).join(''), 'latin1');
}

export function registerSecurityDataCommands(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;
  const platform = device.platform;
  const actions = platform.ramStorage ? range(0, 3) : range(0, 2);
  const sizes = range(1, platform.maxSecurityData);

  const store = async (ctx: CommandContext, slot: SslSlot, action: number, type: DataType, size: number): Promise<void> => {
    // §6.5 Table 2 and §6.2.2: DER needs `<cert_format>` 0 (3G/4G only); otherwise PEM to Ctrl-Z.
    const format = platform.certFormatParam && slot.settings.certFormat === 0 ? 'der' : 'pem';
    const input = format === 'der' ? await ctx.prompt({ length: size }) : await ctx.prompt();
    if (input.aborted === 'power-off') return;
    // ESC ends a PEM upload at once (§6.5: "escape … the corresponding action is immediately
    // executed"): nothing is stored, and the module is back in command mode with OK.
    if (input.aborted === 'escape') return;
    if (input.data.length > size || !isValid(platform, type, input.data, format)) throw FAIL.sslCertsKeys();
    const data: StoredData = { bytes: Buffer.from(input.data), format };
    if (action === ACTION.storeRam) {
      slot.ram.set(type, data);
    } else {
      slot.nvm.set(type, data);
      slot.ram.delete(type);
    }
  };

  modem.register('#SSLSECDATA', {
    // §6.5: #SSLSECDATA=<SSId>,<Action>,<DataType>[,<Size>].
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(3, 4);
      const slot = usableSlot(device, instance, ssidParam(device, p));
      const action = p.int(1, actions);
      const type = p.int(2, DATA_TYPES) as DataType;
      switch (action) {
        case ACTION.delete:
          slot.nvm.delete(type);
          slot.ram.delete(type);
          return;
        case ACTION.read: {
          // The private key never leaves the module.
          if (type === 2) throw FAIL.notAllowed();
          const data = device.securityData(slot, type);
          if (!data) throw FAIL.sslCertsKeys();
          return { lines: [`#SSLSECDATA: ${slot.ssid},${type}`, readBack(data)] };
        }
        default:
          return store(ctx, slot, action, type, p.int(3, sizes));
      }
    },
    // AT reference guides: one line per SSId, `#SSLSECDATA: <SSId>,<CertIsSet>,<CAcertIsSet>,<PrivKeyIsSet>`.
    read: () =>
      device.ssl.map((slot) => {
        const set = (type: DataType): number => (device.securityData(slot, type) ? 1 : 0);
        return `#SSLSECDATA: ${slot.ssid},${set(0)},${set(1)},${set(2)}`;
      }),
    test: () => `#SSLSECDATA: ${formatAllowed(ssidRange(platform))},${formatAllowed(actions)},${formatAllowed(DATA_TYPES)},${formatAllowed(sizes)}`,
  });
}

