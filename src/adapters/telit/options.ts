/**
 * Telit's own options, one rule row each (SSL/TLS User Guide 1vv0300989, seeds/001): the
 * #SSLCFG parameters of a profile (§6.7), the #SSLSECCFG2 extras of the platforms that have them
 * (§6.3.4), where security data is stored (§6.5), and how a connection closes and reopens
 * (§7.1.1, §7.3). The editor, the nodes and the adapter all read these rows: their ranges,
 * defaults and the AT parameter each one becomes are written here only.
 */
import type { Rule } from '../rules';
import type { TelitPlatform } from './platforms';

const at = (text: string): Readonly<Record<string, string>> => ({ telit: text });

/**
 * The `<cid>` row says the range it was built with: the module's own (`AT#SSLCFG=?`) once known,
 * else the one the guide prints for the platform; without either it stays 1..16.
 */
function cidHelp(range: { min: number; max: number }): string {
  return `PDP context id of the socket, ${range.min}..${range.max} on this module (default 1)`;
}

/** The `<cid>` row with the range of #SSLCFG `<cid>` (§6.7: "Use the AT#SSLCFG=? test command to know the <cid> range"). */
function cidRow(range: { min: number; max: number }): Rule {
  const row = SSLCFG_ROWS[0];
  return { ...row, min: range.min, max: range.max, help: cidHelp(range) };
}

/**
 * #SSLCFG=<SSId>,<cid>,<pktSz>,<maxTo>,<defTo>,<txTo>[,<extras of the platform>…] (§6.7): the
 * parameters after <SSId>, in order, with the guide's defaults — except <sslSRingMode>, whose
 * default here is 2 so received data is pushed to the flows without polling.
 */
export const SSLCFG_ROWS: readonly Rule[] = [
  { name: 'cid', type: 'int', min: 1, max: 16, default: 1, optional: true, help: 'PDP context id of the socket, 1..16 (default 1)', at: at('#SSLCFG <cid>') },
  { name: 'pktSz', type: 'int', min: 0, max: 1500, default: 300, optional: true, unit: 'bytes', help: 'ONLINE mode packet size, 0..1500 (default 300)', at: at('#SSLCFG <pktSz>') },
  { name: 'maxTo', type: 'int', min: 0, max: 65535, default: 90, optional: true, unit: 's', help: 'inactivity timeout in s, 0..65535 (default 90)', at: at('#SSLCFG <maxTo>') },
  { name: 'defTo', type: 'int', min: 10, max: 5000, default: 100, optional: true, help: 'default command timeout in 100 ms, 10..5000 (default 100)', at: at('#SSLCFG <defTo>') },
  { name: 'txTo', type: 'int', min: 0, max: 255, default: 50, optional: true, help: 'ONLINE mode send delay in 100 ms, 0..255 (default 50)', at: at('#SSLCFG <txTo>') },
  { name: 'sslSRingMode', type: 'int', min: 0, max: 2, default: 2, optional: true, help: 'SSLSRING mode: 0 off, 1 announce and read, 2 data in the URC (default)', at: at('#SSLCFG <sslSRingMode>') },
  { name: 'noCarrierMode', type: 'int', min: 0, max: 2, default: 0, optional: true, help: 'NO CARRIER detail: 0 plain, 1 with the SSId, 2 with SSId and cause (default 0)', at: at('#SSLCFG <noCarrierMode>') },
  { name: 'equalizeTx', type: 'int', min: 0, max: 1, default: 0, optional: true, help: '1 spreads ONLINE sends evenly (default 0)', at: at('#SSLCFG <equalizeTx>') },
  { name: 'connTo', type: 'int', min: 0, max: 1200, default: 0, optional: true, help: 'connection timeout in 100 ms, 0..1200, 0 for the module default', at: at('#SSLCFG <connTo>') },
];

/** Extras of #SSLCFG that follow from the profile rather than from a vendor option. */
export const SSLCFG_DERIVED: Readonly<Record<string, number>> = { skipHostMismatch: 0, unused1: 0 };

/** §6.3.4 (platforms 37, 25 ThreadX, 52): #SSLSECCFG2=<SSId>,<version>,<SNI>,<customCA>,<PreloadedCA>,<MinVersion>. */
export const SECCFG2_ROWS: readonly Rule[] = [
  { name: 'minVersion', type: 'enum', values: ['1.0', '1.1', '1.2', '1.3'], optional: true, help: 'lowest TLS version accepted: "1.0".."1.3" (default: 1.2, or the chosen tlsVersion)', at: at('#SSLSECCFG2 <MinVersion>') },
  { name: 'customCA', type: 'int', min: 0, max: 255, optional: true, help: 'mask of the CAs stored with #SSLSECDATA to trust, 0..255 (default 1 when verifying)', at: at('#SSLSECCFG2 <customCA>') },
  { name: 'preloadedCA', type: 'int', min: 0, max: 255, optional: true, help: 'mask of the preloaded CAs (#SSLSECCA) to trust, 0..255 (default 0: only what you loaded)', at: at('#SSLSECCFG2 <PreloadedCA>') },
];

/**
 * The profile options of one platform: its #SSLCFG parameters and, where it has them, the
 * #SSLSECCFG2 extras; `cids` is the `<cid>` range the module reported, when it has.
 */
export function profileOptionRows(pf: TelitPlatform, cids?: { min: number; max: number }): Rule[] {
  const base = ['cid', 'pktSz', 'maxTo', 'defTo', 'txTo'];
  const range = cids ?? pf.sslCids;
  return [
    ...SSLCFG_ROWS.filter((r) => base.includes(r.name) || (pf.sslcfgExtras as readonly string[]).includes(r.name)).map((r) => (r.name === 'cid' && range ? cidRow(range) : r)),
    ...(pf.seccfg2 === 'version-sni-ca-min' ? SECCFG2_ROWS : []),
  ];
}

/** §6.5 <Action>: 1 stores in NVM, 3 in RAM (lost at power-down; platform 23). */
export function uploadOptionRows(pf: TelitPlatform): Rule[] {
  return pf.ramStorage
    ? [{ name: 'storage', type: 'enum', values: ['nvm', 'ram'], default: 'nvm', optional: true, help: '"ram" stores in RAM, lost at power-down (#SSLSECDATA action 3); default NVM', at: at('#SSLSECDATA <Action>') }]
    : [];
}

const CLOSURE_TYPE: Rule = { name: 'closureType', type: 'int', min: 0, max: 1, default: 0, optional: true, help: '1 keeps the session so #SSLFASTD can restore it without a full handshake (2G only)', at: at('#SSLD / #SSLH <ClosureType>') };

export function openOptionRows(pf: TelitPlatform): Rule[] {
  return [
    ...(pf.fastDial
      ? [CLOSURE_TYPE, { name: 'fastDial', type: 'bool', optional: true, help: 'true restores the session kept by closureType 1 with #SSLFASTD', at: at('#SSLFASTD') } satisfies Rule]
      : []),
    { name: 'resume', type: 'bool', optional: true, help: 'true returns to a connection suspended with +++ (#SSLO) instead of dialling', at: at('#SSLO') },
  ];
}

export function closeOptionRows(pf: TelitPlatform): Rule[] {
  return [
    ...(pf.fastDial ? [CLOSURE_TYPE] : []),
    { name: 'suspend', type: 'bool', optional: true, help: 'true leaves ONLINE mode with +++ but keeps the connection (§7.1.1)', at: at('+++') },
  ];
}
