/**
 * What the TLS flow nodes (load-cert, tls-profile, tls-open, tls-send, tls-recv, tls-close)
 * share on top of `flow-node.ts`: reaching the modem's vendor adapter, reading the values
 * every one of them takes (socket, timeout, booleans), and the input pipeline with a
 * result status — validate → call the adapter → shape `msg` → status → `done`.
 *
 * Must never: know a vendor (the adapter and its capabilities do), or let a secret taken
 * from a message travel on with it — `take` removes secrets before anything can fail.
 */
import { ModemError, parameterError } from '../at/errors';
import type { ModemAdapter, Range } from '../adapters/adapter';
import type { ModemConnection } from '../modem/connection';
import { handleInput, overridable, type FlowNodeBinding, type Outcome } from './flow-node';
export { timeoutOf } from './flow-node';
import type { NodeMessage, RedNode } from './red';

/** The vendor adapter of a modem, or an UNSUPPORTED error naming the vendor. */
export function adapterOf(modem: ModemConnection): ModemAdapter {
  if (modem.adapter) return modem.adapter;
  throw new ModemError({
    kind: 'UNSUPPORTED',
    vendor: modem.vendor,
    message: `${modem.dialect.label} (vendor "${modem.vendor}") has no TLS support in this package yet: only at-command and modem-event work with it`,
  });
}

export interface AdapterOperation<T> {
  busy: string | ((msg: NodeMessage) => string);
  take?(msg: NodeMessage): T;
  run(msg: NodeMessage, adapter: ModemAdapter, taken: T, modem: ModemConnection): Promise<Outcome>;
}

/** `handleInput` for a node that works through its modem's vendor adapter. */
export function handleAdapterInput<T>(node: RedNode, binding: FlowNodeBinding, op: AdapterOperation<T>): void {
  handleInput<T>(node, binding, {
    busy: op.busy,
    take: op.take,
    run: (msg, modem, taken) => op.run(msg, adapterOf(modem), taken, modem),
  });
}

/** A whole number within `range`, or a PARAMETER error naming the field and the range. */
export function idIn(field: string, value: unknown, range: Range, what: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (text === '') throw parameterError(field, `is required (${what}, ${range.min}..${range.max})`);
  if (!/^-?\d+$/.test(text)) throw parameterError(field, `"${text}" is not a number (${what}, ${range.min}..${range.max})`);
  const n = Number(text);
  if (n < range.min || n > range.max) throw parameterError(field, `${n} is outside ${range.min}..${range.max} (${what})`);
  return String(n);
}

/** A socket id: `msg.socket` or the node's setting, within the adapter's socket ids. */
export function socketOf(msg: NodeMessage, own: unknown, adapter: ModemAdapter): string {
  const value = overridable(msg, 'socket', own);
  if (value === undefined || value === null || value === '') {
    throw parameterError('msg.socket', 'which connection? Set msg.socket (tls-open outputs it) or the node’s socket');
  }
  return idIn('msg.socket', value, adapter.capabilities().sockets.ids, 'socket id');
}

export function boolOf(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0') return false;
  throw parameterError(field, `must be true or false, got ${JSON.stringify(value)}`);
}

/** Vendor options: an object from a message, or the JSON text the editor stores. */
export function vendorOptionsOf(value: unknown, field = 'vendorOptions'): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw parameterError(field, 'is not valid JSON (e.g. {"sslSRingMode": 2})');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw parameterError(field, 'must be an object such as {"sslSRingMode": 2}');
  return { ...(parsed as Record<string, unknown>) };
}

/** `512 B`, `1.5 kB`, `2.3 MB`: short enough for a status. */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
