/**
 * `modem-event`: one message per unsolicited result code (URC) of its modem, e.g.
 * `SSLSRING`, `+CREG`, `NO CARRIER`. An optional list of names narrows what it emits.
 */
import type { Urc } from '../at/engine';
import { bindToModem } from './flow-node';
import { topicFilter } from './topics';
import type { NodeAPI, RedNode } from './red';

interface EventProps {
  name?: string;
  modem?: string;
  /** Comma-separated URC names to pass; empty passes every URC. */
  topics?: string;
}

function register(RED: NodeAPI): void {
  function ModemEvent(this: RedNode, props: EventProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    const modem = binding.config?.modem;
    if (!modem) return;
    const accept = topicFilter(props.topics);
    const onUrc = (urc: Urc): void => {
      if (!accept(urc.name)) return;
      const msg: Record<string, unknown> = { topic: urc.name, payload: urc.fields, raw: urc.raw, known: urc.known };
      if (urc.data) msg.data = urc.data;
      node.send(msg);
    };
    modem.on('urc', onUrc);
    node.on('close', (_removed, done) => {
      modem.off('urc', onUrc);
      done();
    });
  }

  RED.nodes.registerType('modem-event', ModemEvent);
}

export = register;
