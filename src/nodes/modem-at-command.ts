/**
 * `modem-at-command`: sends one raw command line through the modem's shared queue and
 * returns the modem's answer. For commands that prompt for data (`>`), `msg.data` is
 * written after the prompt.
 */
import { parameterError } from '../at/errors';
import { bindToModem, handleInput, overridable, timeoutOf } from './flow-node';
import type { NodeAPI, NodeMessage, RedNode } from './red';

interface AtCommandProps {
  name?: string;
  modem?: string;
  command?: string;
  timeout?: string | number;
}

function dataOf(value: unknown): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw parameterError('msg.data', 'must be a string or a Buffer');
}

function register(RED: NodeAPI): void {
  function ModemAtCommand(this: RedNode, props: AtCommandProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    // A payload that is not text (an inject timestamp, say) triggers the configured command.
    const commandOf = (msg: NodeMessage): unknown =>
      typeof msg.payload === 'string' && msg.payload.trim() !== '' ? msg.payload : props.command?.trim() || msg.payload;

    handleInput(node, binding, { busy: 'sending', run: async (msg, modem) => {
      const timeoutMs = timeoutOf(overridable(msg, 'timeout', props.timeout));
      const data = dataOf(msg.data);
      const dataEnd = overridable(msg, 'dataEnd', 'ctrl-z');
      if (dataEnd !== 'ctrl-z' && dataEnd !== 'none') {
        throw parameterError('msg.dataEnd', `"${String(dataEnd)}" is not ctrl-z or none`);
      }
      const command = commandOf(msg);
      if (typeof command !== 'string') {
        throw parameterError('msg.payload', 'must be a command line such as ATI (or set a command on the node)');
      }
      const response = await modem.command(command, { timeoutMs, data, dataEnd });
      msg.payload = response.lines;
      msg.final = response.final;
      msg.command = modem.dialect.redactCommand(command.trim());
      return { msg };
    } });
  }

  RED.nodes.registerType('modem-at-command', ModemAtCommand);
}

export = register;
