/**
 * `modem-tls-recv`: outputs what arrives on the modem's TLS connections. Data the modem
 * pushes (or announces) comes out as it arrives, one message per chunk, and a connection
 * that ends gives one `closed` message; an input message reads what is waiting, for
 * modems or flows that poll.
 */
import { parameterError } from '../at/errors';
import { bytesText, handleAdapterInput, socketOf, timeoutOf } from './adapter-node';
import { bindToModem, overridable } from './flow-node';
import type { NodeAPI, NodeMessage, NodeStatus, RedNode } from './red';
import { doneBadge, short } from './status';

interface RecvProps {
  modem?: string;
  /** Empty: every connection of the modem. */
  socket?: string;
  length?: string | number;
  timeout?: string | number;
}

const DEFAULT_LENGTH = 1500;
const MAX_LENGTH = 1 << 20;
/** Status updates at most this often: a fast stream must not flood the editor. */
const STATUS_EVERY_MS = 500;

function lengthOf(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_LENGTH;
  const text = typeof value === 'number' ? String(value) : String(value).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LENGTH) throw parameterError('msg.length', `${text} is not a byte count between 1 and ${MAX_LENGTH}`);
  return n;
}

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
    const countStatus = (): NodeStatus => doneBadge(`received ${bytesText(total)}`);
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

    const adapter = binding.config?.modem?.adapter;
    if (adapter) {
      const onData = (socket: string, data: Buffer): void => {
        if (!wanted(socket)) return;
        received(data.length);
        node.send({ socket, payload: data, topic: 'data' });
      };
      const onClosed = (socket: string, reason: string): void => {
        if (!wanted(socket)) return;
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
    } else if (binding.config?.modem) {
      const modem = binding.config.modem;
      node.status({ fill: 'red', shape: 'ring', text: short(`${modem.dialect.label}: no TLS support in this package yet`) });
    }

    handleAdapterInput(node, binding, {
      busy: 'reading…',
      async run(msg: NodeMessage, adapterNow) {
        const socket = socketOf(msg, only, adapterNow);
        const length = lengthOf(overridable(msg, 'length', props.length));
        const timeoutMs = timeoutOf(overridable(msg, 'timeout', props.timeout));
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
