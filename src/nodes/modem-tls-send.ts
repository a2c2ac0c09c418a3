/**
 * `modem-tls-send`: sends `msg.payload` on an open TLS connection. Binary-safe: a Buffer
 * goes byte for byte, a string as UTF-8; the adapter splits what exceeds one command.
 */
import { ruleOf } from '../adapters/operations';
import { parameterError } from '../at/errors';
import { bytesText, handleAdapterInput, socketOf } from './adapter-node';
import { bindToModem } from './flow-node';
import type { NodeAPI, RedNode } from './red';
import { doneBadge } from './status';

interface SendProps {
  modem?: string;
  socket?: string;
}

function dataOf(value: unknown): Buffer {
  let data: Buffer;
  if (Buffer.isBuffer(value)) data = value;
  else if (value instanceof Uint8Array) data = Buffer.from(value);
  else if (typeof value === 'string') data = Buffer.from(value, 'utf8');
  else {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    throw parameterError('msg.payload', `must be a string or a Buffer, got ${got} (a JSON node turns an object into text)`);
  }
  if (data.length === 0) throw parameterError('msg.payload', 'is empty: nothing to send');
  const { max } = ruleOf('tls-send', 'payload');
  if (max !== undefined && data.length > max) {
    throw parameterError('msg.payload', `is ${data.length} bytes; one message sends at most ${max} bytes — send more in several messages`);
  }
  return data;
}

function register(RED: NodeAPI): void {
  function ModemTlsSend(this: RedNode, props: SendProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    let total = 0;

    handleAdapterInput(node, binding, {
      busy: binding._('modem-tls-send.status.sending'),
      async run(msg, adapter, _taken, modem) {
        const socket = socketOf('tls-send', msg, props.socket, modem);
        const data = dataOf(msg.payload);
        const bytes = await adapter.send(socket, data);
        total += bytes;
        msg.socket = socket;
        msg.payload = { socket, bytes };
        return { msg, status: doneBadge(binding._('modem-tls-send.status.sent', { bytes: bytesText(bytes), socket, total: bytesText(total) })) };
      },
    });
  }

  RED.nodes.registerType('modem-tls-send', ModemTlsSend);
}

export = register;
