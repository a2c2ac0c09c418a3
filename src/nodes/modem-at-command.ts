/**
 * `modem-at-command`: sends one raw command line through the modem's shared queue and
 * returns the modem's answer. For commands that prompt for data (`>`), `msg.data` is
 * written after the prompt.
 *
 * Must never: let a secret typed on the command line (a SIM PIN, a password) travel on in the
 * message. `msg.payload` is replaced by the masked line before anything can fail, so neither a
 * Catch node nor the next node sees it; the real line is only handed to the modem. `msg.data`
 * (which may be a private key written after a prompt) is taken off the message the same way.
 */
import { dialectOf, isVendor } from '../adapters';
import { parameterError } from '../at/errors';
import { checkRawCommand } from '../at/command';
import { redactStandardSecrets } from '../at/secrets';
import { optionOf } from './adapter-node';
import { bindToModem, handleInput, overridable, type FlowNodeBinding } from './flow-node';
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
  const got = Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
  throw parameterError('msg.data', `must be a string or a Buffer (written after the prompt), got ${got}`);
}

/**
 * How the node masks a command line: with its modem's dialect (the 27.007 rules and the vendor's),
 * or from the configured vendor when the connection could not be made, or with the 27.007 rules
 * alone when not even the vendor is known — the message must be cleaned before any of that fails.
 */
function redactorOf(binding: FlowNodeBinding): (line: string) => string {
  const config = binding.config;
  const dialect = config?.modem?.dialect ?? (isVendor(config?.vendor) ? dialectOf(config.vendor) : undefined);
  return dialect ? dialect.redactCommand : redactStandardSecrets;
}

function register(RED: NodeAPI): void {
  function ModemAtCommand(this: RedNode, props: AtCommandProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    // A payload that is not text (an inject timestamp, say) triggers the configured command.
    const commandOf = (msg: NodeMessage): unknown =>
      typeof msg.payload === 'string' && msg.payload.trim() !== '' ? msg.payload : props.command?.trim() || msg.payload;

    handleInput<{ command: unknown; field: string; data: unknown }>(node, binding, {
      busy: binding._('modem-at-command.status.sending'),
      take: (msg) => {
        const command = commandOf(msg);
        // Errors about the line name where it came from: the message's payload or the node's Command.
        const field = command === msg.payload ? 'msg.payload' : 'command';
        if (typeof command === 'string' && command === msg.payload) {
          const display = redactorOf(binding)(command);
          if (display !== command) msg.payload = display;
        }
        const data = msg.data;
        delete msg.data;
        return { command, field, data };
      },
      run: async (msg, modem, { command, field, data: given }) => {
        const timeoutMs = optionOf('at-command', 'timeout', msg, props.timeout) as number | undefined;
        const data = dataOf(given);
        const dataEnd = overridable(msg, 'dataEnd', 'ctrl-z');
        if (dataEnd !== 'ctrl-z' && dataEnd !== 'none') {
          throw parameterError('msg.dataEnd', `"${String(dataEnd)}" is not ctrl-z or none`);
        }
        if (typeof command !== 'string') {
          throw parameterError('msg.payload', 'must be a command line such as ATI (or set a command on the node)');
        }
        checkRawCommand(field, command, modem.dialect.redactCommand);
        const response = await modem.command(command, { timeoutMs, data, dataEnd });
        msg.payload = response.lines;
        msg.final = response.final;
        msg.command = modem.dialect.redactCommand(command.trim());
        return { msg };
      },
    });
  }

  RED.nodes.registerType('modem-at-command', ModemAtCommand);
}

export = register;
