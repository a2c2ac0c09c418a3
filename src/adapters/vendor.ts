/**
 * What a vendor record is: a vendor's dialect, its platforms, its TLS support (capabilities,
 * adapter, error decoder) and what the editor shows of it. Each vendor folder makes its record
 * (`<vendor>/index.ts`); `registry.ts` lists them.
 */
import type { AtEngine } from '../at/engine';
import type { Capabilities, DecodedError, ModemAdapter } from './adapter';
import type { VendorDialect, VendorId } from './types';

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
}

/** A vendor's TLS operations: present once the package has an adapter for it. */
export interface TlsSupport {
  /** What a platform can do, from tables alone (no modem); throws a PARAMETER error for an unknown platform. */
  capabilities(platform: string | undefined): Capabilities;
  createAdapter(engine: AtEngine, options: AdapterOptions): ModemAdapter;
  decodeError(error: { code?: string | number; line?: string }): DecodedError;
}

/** The flow operations of the package, by their palette names. */
export const BASE_OPERATIONS = ['at-command', 'modem-event', 'error-decode'] as const;
export const TLS_OPERATIONS = ['load-cert', 'tls-profile', 'tls-open', 'tls-send', 'tls-recv', 'tls-close'] as const;
export type OperationName = (typeof BASE_OPERATIONS)[number] | (typeof TLS_OPERATIONS)[number];

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
  tls: TlsSupport | null;
  /** Why there is no TLS support yet (shown on the TLS nodes in the editor); empty when there is. */
  noTls: string;
  /** The operations that work with this vendor. */
  operations: readonly OperationName[];
  /** Refuses settings of a modem-config the vendor cannot take, naming the field (no modem needed). */
  checkSettings(platform: string | undefined): void;
}

/** A record's operations follow from its TLS support: every vendor has the raw ones. */
export function operationsOf(tls: TlsSupport | null): readonly OperationName[] {
  return tls ? [...BASE_OPERATIONS, ...TLS_OPERATIONS] : [...BASE_OPERATIONS];
}

/** The record of a vendor whose raw commands and URCs work, before its TLS adapter exists. */
export function recordWithoutTls(dialect: VendorDialect, kind: VendorRecord['kind']): VendorRecord {
  return {
    id: dialect.vendor,
    label: dialect.label,
    kind,
    dialect,
    platforms: [],
    platformAliases: {},
    platformRequired: false,
    platformHint: 'optional',
    tls: null,
    noTls: `${dialect.label} has no TLS support in this package yet: only at-command and modem-event work with it`,
    operations: operationsOf(null),
    checkSettings() {
      // Nothing to choose yet: the platform is a label.
    },
  };
}

