/**
 * `modem-tls-close`: closes a TLS connection. Closing one the server already closed is not
 * an error: the connection is closed either way.
 */
import { handleAdapterInput, optionOf, socketOf } from './adapter-node';
import { bindToModem } from './flow-node';
import type { NodeAPI, RedNode } from './red';
import { doneBadge } from './status';

interface CloseProps {
  modem?: string;
  socket?: string;
  /** JSON text of vendor options, e.g. Telit `{"suspend": true}` or `{"closureType": 1}`. */
  vendorOptions?: string;
}

function register(RED: NodeAPI): void {
  function ModemTlsClose(this: RedNode, props: CloseProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);

    handleAdapterInput(node, binding, {
      busy: binding._('modem-tls-close.status.closing'),
      async run(msg, adapter, _taken, modem) {
        const caps = adapter.capabilities();
        const socket = socketOf('tls-close', msg, props.socket, modem);
        const vendorOptions = optionOf('tls-close', 'vendorOptions', msg, props.vendorOptions, caps) as Record<string, unknown>;
        await adapter.closeSocket(socket, { vendorOptions });
        msg.socket = socket;
        // A suspended ONLINE connection stays open on the module (Telit `suspend`).
        msg.payload = vendorOptions.suspend === true ? { socket, closed: false, suspended: true } : { socket, closed: true };
        return { msg, status: doneBadge(binding._(vendorOptions.suspend === true ? 'modem-tls-close.status.suspended' : 'modem-tls-close.status.closed', { socket })) };
      },
    });
  }

  RED.nodes.registerType('modem-tls-close', ModemTlsClose);
}

export = register;
