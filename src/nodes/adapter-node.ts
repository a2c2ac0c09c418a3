/**
 * What the TLS flow nodes (load-cert, tls-profile, tls-open, tls-send, tls-recv, tls-close)
 * share on top of `flow-node.ts`: reaching the modem's vendor adapter, reading the values
 * every one of them takes (socket, timeout, booleans), and the input pipeline with a
 * result status — validate → call the adapter → shape `msg` → status → `done`.
 *
 * Must never: know a vendor (the adapter and its capabilities do), or let a secret taken
 * from a message travel on with it — `take` removes secrets before anything can fail.
 */
import type { Capabilities, ModemAdapter } from '../adapters/adapter';
import { checked } from '../adapters/checks';
import { parameterError } from '../at/errors';
import { ruleOf } from '../adapters/operations';
import type { Rule } from '../adapters/rules';
import type { OperationName } from '../adapters/vendor';
import type { ModemConnection } from '../modem/connection';
import { handleInput, overridable, type FlowNodeBinding, type Outcome } from './flow-node';
import type { NodeMessage, RedNode } from './red';

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
    run: (msg, modem, taken) => op.run(msg, modem.adapter, taken, modem),
  });
}

/**
 * An option of `operation`: the message's value when it has one, else the node's own setting,
 * checked against the option's row (`adapters/operations.ts`) with the modem's capabilities —
 * the same check the editor runs — and returned in its proper type.
 */
export function optionOf(operation: OperationName, name: string, msg: NodeMessage, own: unknown, caps?: Capabilities, rule: Rule = ruleOf(operation, name)): unknown {
  return checked(rule, overridable(msg, name, own), caps);
}

/**
 * A socket id for an operation that needs one: `msg.socket` or the node's setting, within the
 * modem's socket ids, and not one a tls bridge carries (its bytes are its local client's).
 */
export function socketOf(operation: OperationName, msg: NodeMessage, own: unknown, modem: ModemConnection): string {
  const socket = String(optionOf(operation, 'socket', msg, own, modem.adapter.capabilities(), { ...ruleOf(operation, 'socket'), optional: false }));
  if (modem.bridged.has(socket)) {
    throw parameterError('msg.socket', `socket ${socket} is carried by a tls bridge for its local client; the bridge sends, receives and closes on it`);
  }
  return socket;
}

/** `512 B`, `1.5 kB`, `2.3 MB`: short enough for a status. */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
