/**
 * The one status vocabulary of every node: a modem state or an outcome becomes a
 * Node-RED status badge. Texts are short (the editor truncates) and never carry a secret.
 */
import type { ModemState, ModemStatus } from '../modem/connection';
import type { NodeStatus } from './red';

const BADGES: Record<ModemState, Pick<NodeStatus, 'fill' | 'shape'>> = {
  connecting: { fill: 'yellow', shape: 'ring' },
  initialising: { fill: 'yellow', shape: 'ring' },
  reconnecting: { fill: 'yellow', shape: 'ring' },
  ready: { fill: 'green', shape: 'dot' },
  'not-responding': { fill: 'red', shape: 'ring' },
  closed: { fill: 'grey', shape: 'ring' },
};

const MAX_TEXT = 100;

export function short(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function modemBadge(status: ModemStatus): NodeStatus {
  return { ...BADGES[status.state], text: short(status.text) };
}

export function problemBadge(text: string): NodeStatus {
  return { fill: 'red', shape: 'ring', text: short(text) };
}

export function busyBadge(text: string): NodeStatus {
  return { fill: 'blue', shape: 'dot', text: short(text) };
}

export function doneBadge(text: string): NodeStatus {
  return { fill: 'green', shape: 'dot', text: short(text) };
}
