/**
 * Entry point of the link layer: check options, describe an endpoint, make a link.
 *
 * Owns: the rules for valid link options and the choice of transport. Must never: let a caller
 * above this layer depend on which transport it got (they see `Link` only), or open anything
 * while validating.
 */
import { SerialLink, describeSerialEndpoint } from './serial-link';
import { TcpLink, describeTcpEndpoint } from './tcp-link';
import type { Link, LinkOptions } from './types';

export * from './types';
export { SerialLink } from './serial-link';
export { TcpLink } from './tcp-link';

/** The rates termios has a constant for (Linux `B50` … `B4000000`); anything else is a custom divisor
 *  that USB adapters and modems rarely agree on, so it is almost always a typo. */
export const STANDARD_BAUD_RATES: readonly number[] = [
  50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400,
  460800, 500000, 576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000,
];
const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
const STOP_BITS = [1, 1.5, 2] as const;

/** A value as the user typed it, for error messages: strings quoted, everything else as JSON. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value) ?? String(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function isPositiveNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function validateBackoff(backoff: unknown): void {
  if (backoff === undefined) return;
  if (typeof backoff !== 'object' || backoff === null) {
    throw new Error(`backoff: ${shown(backoff)} must be an object with initialDelayMs, maxDelayMs, factor`);
  }
  const { initialDelayMs, maxDelayMs, factor } = backoff as Record<string, unknown>;
  if (initialDelayMs !== undefined && !isPositiveNumber(initialDelayMs)) {
    throw new Error(`backoff.initialDelayMs: ${shown(initialDelayMs)} must be a positive number of milliseconds`);
  }
  if (maxDelayMs !== undefined && !isPositiveNumber(maxDelayMs)) {
    throw new Error(`backoff.maxDelayMs: ${shown(maxDelayMs)} must be a positive number of milliseconds`);
  }
  if (isPositiveNumber(initialDelayMs) && isPositiveNumber(maxDelayMs) && maxDelayMs < initialDelayMs) {
    throw new Error(`backoff.maxDelayMs: ${maxDelayMs} must be at least backoff.initialDelayMs (${initialDelayMs})`);
  }
  if (factor !== undefined && !(typeof factor === 'number' && Number.isFinite(factor) && factor >= 1)) {
    throw new Error(`backoff.factor: ${shown(factor)} must be a number of at least 1`);
  }
}

/** Throws a plain Error naming the field and its limit; returns normally when the options can be used. */
export function validateLinkOptions(options: unknown): asserts options is LinkOptions {
  if (typeof options !== 'object' || options === null) {
    throw new Error(`link options: ${shown(options)} must be an object`);
  }
  const o = options as Record<string, unknown>;
  if (o.transport === 'serial') {
    if (typeof o.path !== 'string' || o.path.trim() === '') {
      throw new Error(`path: ${shown(o.path)} must name the serial device, e.g. /dev/ttyUSB0`);
    }
    if (!isInteger(o.baudRate) || !STANDARD_BAUD_RATES.includes(o.baudRate)) {
      throw new Error(
        `baudRate: ${shown(o.baudRate)} is not a standard baud rate (one of ${STANDARD_BAUD_RATES.join(', ')})`,
      );
    }
    if (o.dataBits !== undefined && !(isInteger(o.dataBits) && o.dataBits >= 5 && o.dataBits <= 8)) {
      throw new Error(`dataBits: ${shown(o.dataBits)} must be an integer from 5 to 8`);
    }
    if (o.parity !== undefined && !(PARITIES as readonly unknown[]).includes(o.parity)) {
      throw new Error(`parity: ${shown(o.parity)} must be one of ${PARITIES.join(', ')}`);
    }
    if (o.stopBits !== undefined && !(STOP_BITS as readonly unknown[]).includes(o.stopBits)) {
      throw new Error(`stopBits: ${shown(o.stopBits)} must be one of ${STOP_BITS.join(', ')}`);
    }
    if (o.rtscts !== undefined && typeof o.rtscts !== 'boolean') {
      throw new Error(`rtscts: ${shown(o.rtscts)} must be true or false`);
    }
  } else if (o.transport === 'tcp') {
    if (typeof o.host !== 'string' || o.host.trim() === '') {
      throw new Error(`host: ${shown(o.host)} must name the host, e.g. 192.168.1.20 or ser2net.local`);
    }
    if (/\s/.test(o.host)) {
      throw new Error(`host: ${shown(o.host)} must not contain spaces`);
    }
    if (!isInteger(o.port) || o.port < 1 || o.port > 65535) {
      throw new Error(`port: ${shown(o.port)} must be an integer from 1 to 65535`);
    }
    if (o.connectTimeoutMs !== undefined && !isPositiveNumber(o.connectTimeoutMs)) {
      throw new Error(`connectTimeoutMs: ${shown(o.connectTimeoutMs)} must be a positive number of milliseconds`);
    }
  } else {
    throw new Error(`transport: ${shown(o.transport)} must be "serial" or "tcp"`);
  }
  validateBackoff(o.backoff);
}

/** `/dev/ttyUSB0 @ 115200 8N1` or `127.0.0.1:7001`: how status and errors name the endpoint. */
export function describeEndpoint(options: LinkOptions): string {
  return options.transport === 'serial' ? describeSerialEndpoint(options) : describeTcpEndpoint(options);
}

/** Validates the options and makes a closed link; call `open()` on it. */
export function createLink(options: LinkOptions): Link {
  validateLinkOptions(options);
  return options.transport === 'serial' ? new SerialLink(options) : new TcpLink(options);
}
