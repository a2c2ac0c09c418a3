/**
 * The one status vocabulary of every node: a modem state or an outcome becomes a
 * Node-RED status badge. Texts are short (the editor truncates) and never carry a secret;
 * their words come from the message catalogs (`messages.ts`).
 */
import type { ModemState, ModemStatus } from '../modem/connection';
import type { Translate } from './messages';
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

/**
 * The modem's state in words. States that are only a state come from the catalog; the others
 * carry the modem's own reason (a port not found, an initialisation that failed), which is
 * shown as the modem reported it, like an error text.
 */
export function modemStateText(status: ModemStatus, _: Translate): string {
  switch (status.state) {
    case 'ready':
      return _('modem-config.status.ready');
    case 'initialising':
      return _('modem-config.status.initialising');
    case 'closed':
      return _('modem-config.status.closed');
    case 'connecting':
      return _('modem-config.status.connecting', { endpoint: status.endpoint });
    default:
      return status.text;
  }
}

export function modemBadge(status: ModemStatus, _: Translate): NodeStatus {
  return { ...BADGES[status.state], text: short(modemStateText(status, _)) };
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

/** Something happened that deserves a look, but the operation succeeded. */
export function warningBadge(text: string): NodeStatus {
  return { fill: 'yellow', shape: 'dot', text: short(text) };
}

/** A connection that ended, or a state that is over. */
export function endedBadge(text: string): NodeStatus {
  return { fill: 'grey', shape: 'ring', text: short(text) };
}
