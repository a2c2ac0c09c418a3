/**
 * What a vendor record is: a vendor's dialect, its platforms, its TLS support (capabilities,
 * adapter, error decoder) and what the editor shows of it. Each vendor folder makes its record
 * (`<vendor>/index.ts`); `registry.ts` lists them.
 */
import type { AtEngine } from '../at/engine';
import type { Capabilities, DecodedError, ModemAdapter } from './adapter';
import type { VendorDialect, VendorId } from './types';
import type { TransferMethods } from './transfer';

/** The security of a Wi-Fi network, as the modem-config names it. */
export type WifiSecurity = 'open' | 'wep' | 'wpa' | 'wpa2' | 'wpa-wpa2';

/** The Wi-Fi network a Wi-Fi module joins (checked by the modem-config: SSID 1..32 bytes, passphrase fit for the security). */
export interface WifiOptions {
  ssid: string;
  /** A secret: never logged, never put in a message. Absent for an open network. */
  passphrase?: string;
  security: WifiSecurity;
}

/** What an adapter is given besides the engine: the modem-config's settings it needs. */
export interface AdapterOptions {
  platform?: string;
  apn?: string;
  apnUser?: string;
  apnPassword?: string;
  clockSync?: boolean;
  /** The network a Wi-Fi module joins; only for a vendor of kind 'wifi' whose modem-config names an SSID. */
  wifi?: WifiOptions;
  /** Where the modem is (serial port or TCP address): what a module keeps between two connections to it is found by it. */
  endpoint?: string;
  /** A folder where the adapter may note what must outlive this process (never a secret); none: memory only. */
  stateDir?: string;
  /** The line rate of a serial link (bits per second); none over TCP, where the modem's line rate is unknown. */
  baudRate?: number;
}

/** A vendor's TLS operations: its capabilities, its adapter and its error decoder. */
export interface TlsSupport {
  /** What a platform can do, from tables alone (no modem); throws a PARAMETER error for an unknown platform. */
  capabilities(platform: string | undefined): Capabilities;
  createAdapter(engine: AtEngine, options: AdapterOptions): ModemAdapter;
  decodeError(error: { code?: string | number; line?: string }): DecodedError;
}

/** The flow operations of the package, by their palette names: every vendor has all of them. */
export const OPERATIONS = ['at-command', 'modem-event', 'error-decode', 'load-cert', 'tls-profile', 'tls-open', 'tls-send', 'tls-recv', 'tls-close', 'tls-bridge'] as const;
export type OperationName = (typeof OPERATIONS)[number];

export interface VendorRecord {
  id: VendorId;
  /** The product name in the editor and in messages (`Telit`, `Fibocom L610`). */
  label: string;
  /** A cellular modem takes an APN and a SIM PIN; a Wi-Fi module an SSID and a passphrase. */
  kind: 'cellular' | 'wifi';
  dialect: VendorDialect;
  /**
   * The platforms a modem-config chooses from (a Telit platform ID decides the command set);
   * empty when the platform field is free text (u-blox: the module's name, for the label).
   */
  platforms: readonly { id: string; label: string }[];
  /** Other names a platform goes by (Telit `25` for `25-linux`), lower case. */
  platformAliases: Readonly<Record<string, string>>;
  platformRequired: boolean;
  /** What the editor shows in an empty platform field. */
  platformHint: string;
  tls: TlsSupport;
  /**
   * How the adapter moves bulk data, as bytes on the wire (`transfer.ts`): what it chooses for a
   * large payload and what `npm run bench` measures against.
   */
  transfer: TransferMethods;
  /** Refuses settings of a modem-config the vendor cannot take, naming the field (no modem needed). */
  checkSettings(platform: string | undefined): void;
}
