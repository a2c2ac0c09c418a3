/**
 * The `modem-config` node's settings: what the editor stores, how it becomes connection
 * options (every bad value refused with the field named), and the serial-port list
 * offered by the editor's picker.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { isVendor, vendorRecord, VENDORS } from '../adapters';
import type { WifiOptions, WifiSecurity } from '../adapters/vendor';
import { checkWifi } from '../adapters/wifi';
import { p } from '../at/command';
import { parameterError } from '../at/errors';
import type { LinkOptions } from '../link/types';
import { DEFAULT_READY_TIMEOUT_MS, MAX_READY_TIMEOUT_MS, type ModemConnectionOptions } from '../modem/connection';

/** What the editor stores for a `modem-config` node. */
export interface ModemConfigProps {
  name?: string;
  vendor?: string;
  platform?: string;
  transport?: string;
  port?: string;
  baudRate?: string | number;
  dataBits?: string | number;
  parity?: string;
  stopBits?: string | number;
  rtscts?: boolean;
  host?: string;
  tcpPort?: string | number;
  apn?: string;
  clockSync?: boolean;
  initCommands?: string;
  commandTimeout?: string | number;
  /** Seconds an operation waits for the modem to be ready (connecting, being brought up). */
  readyTimeout?: string | number;
  wifiSsid?: string;
  wifiSecurity?: string;
  traceAt?: boolean;
}

export const CREDENTIALS = {
  wifiPassphrase: { type: 'password' },
  apnUser: { type: 'text' },
  apnPassword: { type: 'password' },
  simPin: { type: 'password' },
} as const;

function numberOf(value: unknown, fallback: number): number {
  if (typeof value === 'number') return value;
  // Empty or blank (a setting saved before it existed, a cleared field) means the default.
  const text = value === undefined || value === null ? '' : String(value).trim();
  return text === '' ? fallback : Number(text);
}

/** Turns the editor's properties into connection options; throws a ModemError naming the field. */
export function toConnectionOptions(props: ModemConfigProps, credentials: Record<string, string | undefined> = {}): ModemConnectionOptions {
  if (!isVendor(props.vendor)) {
    throw parameterError('vendor', `"${props.vendor ?? ''}" is not a supported vendor (one of ${VENDORS.join(', ')})`);
  }
  const transport = props.transport ?? 'serial';
  let link: LinkOptions;
  if (transport === 'serial') {
    link = {
      transport: 'serial',
      path: (props.port ?? '').trim(),
      baudRate: numberOf(props.baudRate, 115200),
      dataBits: numberOf(props.dataBits, 8) as 5 | 6 | 7 | 8,
      parity: (props.parity || 'none') as 'none',
      stopBits: numberOf(props.stopBits, 1) as 1,
      rtscts: props.rtscts === true,
    };
  } else if (transport === 'tcp') {
    link = { transport: 'tcp', host: (props.host ?? '').trim(), port: numberOf(props.tcpPort, NaN) };
  } else {
    throw parameterError('transport', `"${transport}" is not a transport (serial or tcp)`);
  }
  const timeout = numberOf(props.commandTimeout, 5000);
  if (!Number.isInteger(timeout) || timeout < 100 || timeout > 600000) {
    throw parameterError('commandTimeout', `${String(props.commandTimeout)} ms is outside 100..600000 ms`);
  }
  const readyTimeout = numberOf(props.readyTimeout, DEFAULT_READY_TIMEOUT_MS / 1000);
  if (!Number.isFinite(readyTimeout) || readyTimeout < 0 || readyTimeout * 1000 > MAX_READY_TIMEOUT_MS) {
    throw parameterError('readyTimeout', `${String(props.readyTimeout)} s is outside 0..${MAX_READY_TIMEOUT_MS / 1000} s`);
  }
  const initCommands = (props.initCommands ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
  const wifi = vendorRecord(props.vendor).kind === 'wifi' ? wifiOf(props, credentials.wifiPassphrase) : undefined;
  const apn = (props.apn ?? '').trim();
  // 3GPP TS 23.003 §9.1: an APN is at most 100 octets; it travels as a quoted AT string.
  if (apn !== '') p.str('apn', apn, { maxLength: 100 });
  return {
    vendor: props.vendor,
    platform: props.platform?.trim() || undefined,
    link,
    initCommands,
    commandTimeoutMs: timeout,
    readyTimeoutMs: Math.round(readyTimeout * 1000),
    apn: apn || undefined,
    apnUser: credentials.apnUser || undefined,
    apnPassword: credentials.apnPassword || undefined,
    // As the Wi-Fi fields are a Wi-Fi module's only, the SIM PIN is a cellular module's only.
    simPin: vendorRecord(props.vendor).kind === 'cellular' ? credentials.simPin || undefined : undefined,
    clockSync: props.clockSync === true,
    ...(wifi ? { wifi } : {}),
  };
}

/**
 * The Wi-Fi network of a Wi-Fi module's modem-config; none without an SSID. A flow saved before
 * the security setting existed gets the editor's default, WPA2.
 */
function wifiOf(props: ModemConfigProps, passphraseGiven: string | undefined): WifiOptions | undefined {
  const ssid = props.wifiSsid ?? '';
  if (ssid === '') return undefined;
  const chosen = (props.wifiSecurity ?? '').trim();
  return checkWifi({ ssid, security: (chosen === '' ? 'wpa2' : chosen) as WifiSecurity, passphrase: passphraseGiven ?? '' });
}

export interface SerialPortChoice {
  path: string;
  label: string;
}

/**
 * Serial ports for the editor's picker: stable `/dev/serial/by-id` names first (they survive
 * re-enumeration when a USB modem is replugged), then what the OS enumerates.
 */
export async function listSerialPorts(): Promise<SerialPortChoice[]> {
  const choices: SerialPortChoice[] = [];
  const byId = '/dev/serial/by-id';
  try {
    for (const entry of (await fs.readdir(byId)).sort()) {
      choices.push({ path: path.join(byId, entry), label: entry });
    }
  } catch {
    // No USB serial devices, or not Linux.
  }
  let ports: Awaited<ReturnType<typeof SerialPort.list>>;
  try {
    ports = await SerialPort.list();
  } catch {
    // On Linux the enumeration asks udevadm, which containers and minimal images lack:
    // fall back to the device names serial drivers create.
    return [...choices, ...(await scanDevDirectory())];
  }
  for (const port of ports) {
    const details = [port.manufacturer, port.serialNumber].filter(Boolean).join(' ');
    choices.push({ path: port.path, label: details ? `${port.path} (${details})` : port.path });
  }
  return choices;
}

/** USB CDC/serial adapters, Raspberry Pi UARTs, on-board UARTs, Bluetooth serial. */
const SERIAL_DEVICE = /^(tty(USB|ACM|AMA|S|THS|XRUSB|mxc|O)\d+|serial\d+|rfcomm\d+)$/;

async function scanDevDirectory(): Promise<SerialPortChoice[]> {
  try {
    const names = (await fs.readdir('/dev')).filter((name) => SERIAL_DEVICE.test(name));
    names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    return names.map((name) => ({ path: `/dev/${name}`, label: `/dev/${name}` }));
  } catch {
    return [];
  }
}

