/**
 * `modem-tls-recv`: outputs what arrives on the modem's TLS connections. Data the modem
 * pushes (or announces) comes out as it arrives, one message per chunk, and a connection
 * that ends gives one `closed` message; an input message reads what is waiting, for
 * modems or flows that poll.
 */
import { bytesText, handleAdapterInput, optionOf, socketOf } from './adapter-node';
import { bindToModem } from './flow-node';
import type { NodeAPI, NodeMessage, NodeStatus, RedNode } from './red';
import { doneBadge } from './status';

interface RecvProps {
  modem?: string;
  /** Empty: every connection of the modem. */
  socket?: string;
  length?: string | number;
  timeout?: string | number;
}

/** Status updates at most this often: a fast stream must not flood the editor. */
const STATUS_EVERY_MS = 500;

function register(RED: NodeAPI): void {
  function ModemTlsRecv(this: RedNode, props: RecvProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    const only = String(props.socket ?? '').trim();
    const wanted = (socket: string): boolean => only === '' || only === socket;

    let total = 0;
    let shown = 0;
    let statusTimer: NodeJS.Timeout | null = null;
    let closed = false;
    const countStatus = (): NodeStatus => doneBadge(binding._('modem-tls-recv.status.received', { bytes: bytesText(total) }));
    const received = (bytes: number): void => {
      total += bytes;
      if (statusTimer || closed) return;
      const wait = Math.max(0, shown + STATUS_EVERY_MS - Date.now());
      statusTimer = setTimeout(() => {
        statusTimer = null;
        shown = Date.now();
        if (!closed) node.status(countStatus());
      }, wait);
    };

    const modem = binding.config?.modem;
    const adapter = modem?.adapter;
    if (modem && adapter) {
      // A connection a tls bridge carries is its local client's: not this node's to show.
      const onData = (socket: string, data: Buffer): void => {
        if (!wanted(socket) || modem.bridged.has(socket)) return;
        received(data.length);
        node.send({ socket, payload: data, topic: 'data' });
      };
      const onClosed = (socket: string, reason: string): void => {
        if (!wanted(socket) || modem.bridged.has(socket)) return;
        node.send({ socket, payload: Buffer.alloc(0), topic: 'closed', reason });
      };
      adapter.on('data', onData);
      adapter.on('closed', onClosed);
      node.on('close', (_removed, done) => {
        closed = true;
        if (statusTimer) clearTimeout(statusTimer);
        adapter.off('data', onData);
        adapter.off('closed', onClosed);
        done();
      });
    }

    handleAdapterInput(node, binding, {
      busy: binding._('modem-tls-recv.status.reading'),
      async run(msg: NodeMessage, adapterNow, _taken, modem) {
        const caps = adapterNow.capabilities();
        const socket = socketOf('tls-recv', msg, only, modem);
        const length = optionOf('tls-recv', 'length', msg, props.length, caps) as number;
        const timeoutMs = optionOf('tls-recv', 'timeout', msg, props.timeout, caps) as number | undefined;
        const data = await adapterNow.receive(socket, length, timeoutMs);
        total += data.length;
        msg.socket = socket;
        msg.payload = data;
        msg.topic = 'data';
        return { msg, status: countStatus() };
      },
    });
  }

  RED.nodes.registerType('modem-tls-recv', ModemTlsRecv);
}

export = register;
