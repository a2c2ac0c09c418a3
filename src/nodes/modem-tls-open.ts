/**
 * `modem-tls-open`: opens a TLS connection through the modem with one of its profiles and
 * outputs the socket the other nodes use (`msg.socket`). In `online` mode the serial link
 * carries the connection's data transparently until it closes.
 *
 * The connections it opened belong to this deployment of the flow: when the node stops
 * (redeploy, flow restarted, node removed) it closes those still open, within Node-RED's
 * close timeout, so the next deployment can open the same socket again.
 */
import { parameterError } from '../at/errors';
import { handleAdapterInput, idIn, timeoutOf, vendorOptionsOf } from './adapter-node';
import { checkVendorOptions } from './capability-checks';
import { bindToModem, overridable } from './flow-node';
import type { NodeAPI, RedNode } from './red';
import { doneBadge, short } from './status';

interface OpenProps {
  modem?: string;
  profile?: string;
  host?: string;
  port?: string | number;
  mode?: string;
  timeout?: string | number;
  /** JSON text of vendor options, e.g. Telit `{"resume": true}`. */
  vendorOptions?: string;
}

function hostOf(value: unknown): string {
  const host = typeof value === 'string' ? value.trim() : '';
  if (host === '') throw parameterError('host', 'is required (the server’s name or IP address)');
  if (host.length > 255) throw parameterError('host', `is ${host.length} characters long, the limit is 255`);
  if (!/^[A-Za-z0-9._:\-[\]%]+$/.test(host)) throw parameterError('host', `"${host}" is not a host name or IP address`);
  return host;
}

function portOf(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw parameterError('port', `${text === '' ? 'nothing' : `"${text}"`} is not a port number (1..65535)`);
  return port;
}

/** Time allowed for closing this node's connections when it stops (Node-RED allows 15 s in all). */
const CLOSE_WITHIN_MS = 10000;

function register(RED: NodeAPI): void {
  function ModemTlsOpen(this: RedNode, props: OpenProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    // Connections this node opened: its status says when one ends, and it closes them when it stops.
    const opened = new Map<string, string>();
    const adapter = binding.config?.modem?.adapter;
    if (adapter) {
      let stopping = false;
      const onClosed = (socket: string, reason: string): void => {
        const where = opened.get(socket);
        if (where === undefined) return;
        opened.delete(socket);
        if (!stopping) node.status({ fill: 'grey', shape: 'ring', text: short(`closed ${where}: ${reason}`) });
      };
      adapter.on('closed', onClosed);
      node.on('close', (_removed, done) => {
        stopping = true;
        const sockets = [...opened.keys()];
        let finished = false;
        const finish = (): void => {
          if (finished) return;
          finished = true;
          clearTimeout(guard);
          adapter.off('closed', onClosed);
          done();
        };
        // Node-RED waits 15 s for a node to close; a modem that does not answer must not hold up a deploy.
        const guard = setTimeout(() => {
          node.warn(`closing ${sockets.length === 1 ? 'connection' : 'connections'} ${sockets.join(', ')} took longer than ${CLOSE_WITHIN_MS / 1000} s; continuing`);
          finish();
        }, CLOSE_WITHIN_MS);
        Promise.all(sockets.map((socket) => adapter.closeSocket(socket).catch(() => undefined))).then(finish, finish);
      });
    }

    handleAdapterInput(node, binding, {
      busy: 'connecting…',
      async run(msg, adapter) {
        const caps = adapter.capabilities();
        const profile = idIn('profile', overridable(msg, 'profile', props.profile), caps.profiles.ids, 'profile id');
        const host = hostOf(overridable(msg, 'host', props.host));
        const port = portOf(overridable(msg, 'port', props.port));
        const mode = String(overridable(msg, 'mode', props.mode || 'command'));
        if (mode !== 'command' && mode !== 'online') throw parameterError('mode', `"${mode}" is not command or online`);
        if (!caps.sockets.modes.includes(mode)) throw parameterError('mode', `${caps.label} has no ${mode} mode (it offers ${caps.sockets.modes.join(', ')})`);
        const timeoutMs = timeoutOf(overridable(msg, 'timeout', props.timeout));

        const vendorOptions = vendorOptionsOf(overridable(msg, 'vendorOptions', props.vendorOptions));
        checkVendorOptions(vendorOptions, caps.sockets.openOptions, caps.label);
        const info = await adapter.openSocket({ profile, host, port, mode, timeoutMs, vendorOptions });
        msg.socket = info.socket;
        const payload: Record<string, unknown> = { socket: info.socket, host: info.host, port: info.port, mode: info.mode };
        if (info.cipher) payload.cipher = info.cipher;
        msg.payload = payload;
        const where = info.host.includes(':') ? `[${info.host}]:${info.port}` : `${info.host}:${info.port}`;
        opened.set(info.socket, where);
        return { msg, status: doneBadge(`connected ${where}`) };
      },
    });
  }

  RED.nodes.registerType('modem-tls-open', ModemTlsOpen);
}

export = register;
