/**
 * `modem-tls-open`: opens a TLS connection through the modem with one of its profiles and
 * outputs the socket the other nodes use (`msg.socket`). In `online` mode the serial link
 * carries the connection's data transparently until it closes.
 *
 * The connections it opened belong to this deployment of the flow: when the node stops
 * (redeploy, flow restarted, node removed) it closes those still open, within Node-RED's
 * close timeout, so the next deployment can open the same socket again. Asked to open a
 * connection it still holds (with Telit, the same profile), it closes that one and opens again.
 */
import { ModemError } from '../at/errors';
import type { ModemAdapter } from '../adapters/adapter';
import { handleAdapterInput, optionOf } from './adapter-node';
import { bindToModem, CLOSE_WITHIN_MS, type Outcome } from './flow-node';
import type { NodeAPI, NodeMessage, RedNode } from './red';
import { doneBadge, endedBadge } from './status';

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

function register(RED: NodeAPI): void {
  function ModemTlsOpen(this: RedNode, props: OpenProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    // Connections this node opened: its status says when one ends, and it closes them when it stops.
    const opened = new Map<string, string>();
    // This node's opens go one at a time, so each knows what the one before it opened (an inject
    // fired twice reopens rather than collides), and a stop waits for the one under way.
    let opening: Promise<void> = Promise.resolve();
    let stopping = false;
    const adapter = binding.config?.modem?.adapter;
    if (adapter) {
      const onClosed = (socket: string, reason: string): void => {
        const where = opened.get(socket);
        if (where === undefined) return;
        opened.delete(socket);
        if (!stopping) node.status(endedBadge(binding._('modem-tls-open.status.closed', { where, reason })));
      };
      adapter.on('closed', onClosed);
      node.on('close', (_removed, done) => {
        stopping = true;
        let sockets: string[] = [];
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
          node.warn(binding._('modem-tls-open.log.closeSlow', { count: sockets.length, sockets: sockets.join(', '), seconds: CLOSE_WITHIN_MS / 1000 }));
          finish();
        }, CLOSE_WITHIN_MS);
        // An open under way finishes first (or fails): what it opened is closed with the rest.
        void opening
          .then(() => {
            sockets = [...opened.keys()];
            return Promise.all(sockets.map((socket) => adapter.closeSocket(socket).catch(() => undefined)));
          })
          .then(finish, finish);
      });
    }

    handleAdapterInput(node, binding, {
      busy: binding._('modem-tls-open.status.connecting'),
      async run(msg, adapter) {
        const previous = opening;
        let release!: () => void;
        opening = new Promise<void>((resolve) => (release = resolve));
        try {
          await previous;
          if (stopping) throw new ModemError({ kind: 'CLOSED', vendor: adapter.capabilities().vendor, message: 'the node stopped before this connection was opened' });
          return await open(msg, adapter);
        } finally {
          release();
        }
      },
    });

    async function open(msg: NodeMessage, adapter: ModemAdapter): Promise<Outcome> {
      const caps = adapter.capabilities();
      const option = (name: keyof OpenProps): unknown => optionOf('tls-open', name, msg, props[name], caps);
      const profile = String(option('profile'));
      const host = option('host') as string;
      const port = option('port') as number;
      const mode = option('mode') as 'command' | 'online';
      const timeoutMs = option('timeout') as number | undefined;
      const vendorOptions = option('vendorOptions') as Record<string, unknown>;
      // A connection this node still holds may be opened again (an inject fired twice): the adapter
      // closes it first. One opened by another node stays refused.
      const info = await adapter.openSocket({ profile, host, port, mode, timeoutMs, vendorOptions, replaces: [...opened.keys()] });
      msg.socket = info.socket;
      const payload: Record<string, unknown> = { socket: info.socket, host: info.host, port: info.port, mode: info.mode };
      if (info.cipher) payload.cipher = info.cipher;
      msg.payload = payload;
      const where = info.host.includes(':') ? `[${info.host}]:${info.port}` : `${info.host}:${info.port}`;
      if (stopping) {
        // Finished after the node began to stop (and after its close waited as long as it could).
        await adapter.closeSocket(info.socket).catch(() => undefined);
        throw new ModemError({ kind: 'CLOSED', vendor: caps.vendor, message: `the node stopped while connecting to ${where}; the connection was closed again` });
      }
      opened.set(info.socket, where);
      return { msg, status: doneBadge(binding._('modem-tls-open.status.connected', { where })) };
    }
  }

  RED.nodes.registerType('modem-tls-open', ModemTlsOpen);
}

export = register;
