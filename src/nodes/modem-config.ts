/**
 * `modem-config`: the shared configuration node that owns one modem — its serial port or
 * TCP socket, its AT engine and its vendor dialect. Flow nodes reach the modem through it.
 *
 * Also serves the editor's serial-port picker (`GET modem-tls/serial-ports`, behind the
 * `modem-config.read` permission). Secrets (Wi-Fi passphrase, APN password, SIM PIN) are
 * Node-RED credentials: stored encrypted, never exported, never logged.
 */
import path from 'node:path';
import type { TraceEntry } from '../at/engine';
import { ModemConnection } from '../modem/connection';
import { registerCapabilitiesEndpoint } from './capabilities-endpoint';
import { CREDENTIALS, listSerialPorts, toConnectionOptions, type ModemConfigProps } from './config-options';
import { CLOSE_WITHIN_MS, type ModemConfigNode } from './flow-node';
import { translator } from './messages';
import type { NodeAPI, RedNode } from './red';

/**
 * The node's credentials, where one that reads exactly `${NAME}` is the value of that environment
 * variable (as Node-RED does for ordinary properties, which it does not do for credentials): a fleet
 * of gateways can run the same flows with each one's SIM PIN and APN password in its environment.
 */
function credentialsFromEnvironment(RED: NodeAPI, node: RedNode): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(node.credentials ?? {})) {
    const name = typeof value === 'string' ? /^\$\{(\S+)\}$/.exec(value)?.[1] : undefined;
    out[key] = name !== undefined ? (RED.util.getSetting(node, name) ?? '') : value;
  }
  return out;
}

function register(RED: NodeAPI): void {
  const _ = translator(RED);
  function ModemConfig(this: RedNode, props: ModemConfigProps): void {
    RED.nodes.createNode(this, props);
    const node = this as ModemConfigNode;
    node.vendor = props.vendor ?? '';
    node.modem = null;
    node.problem = null;
    try {
      const options = toConnectionOptions(props, credentialsFromEnvironment(RED, node));
      // What a module keeps across restarts of Node-RED (which files a Fibocom holds) is noted there.
      const userDir = RED.settings?.userDir;
      if (typeof userDir === 'string' && userDir !== '') options.stateDir = path.join(userDir, 'modem-tls');
      if (props.traceAt) {
        options.trace = (entry: TraceEntry) => node.log(`${entry.dir === 'tx' ? '→' : '←'} ${entry.text}`);
      }
      const modem = new ModemConnection(options);
      modem.on('status', (status) => {
        if (status.state === 'not-responding' || status.state === 'reconnecting') node.debug(status.text);
      });
      modem.on('internal-error', (err: Error) => node.error(_('modem-config.log.engineFailed', { message: err.message })));
      // Warnings no flow's operation caused (data the modem announced could not be read, a
      // connection left over from before): logged once, here, for the whole modem.
      modem.on('warning', (text: string) => node.warn(text));
      node.modem = modem;
      modem.start();
    } catch (err) {
      node.problem = (err as Error).message;
      node.error(props.name ? _('modem-config.log.unusableNamed', { name: props.name, problem: node.problem }) : _('modem-config.log.unusable', { problem: node.problem }));
    }

    node.on('close', (_removed, done) => {
      const modem = node.modem;
      if (!modem) {
        done();
        return;
      }
      // Node-RED allows 15 s; never let a stuck port hold up a redeploy.
      const guard = setTimeout(() => {
        node.warn(_('modem-config.log.closeSlow', { seconds: CLOSE_WITHIN_MS / 1000 }));
        done();
      }, CLOSE_WITHIN_MS);
      modem.close().then(
        () => {
          clearTimeout(guard);
          done();
        },
        (err: Error) => {
          clearTimeout(guard);
          node.warn(_('modem-config.log.closeFailed', { message: err.message }));
          done();
        },
      );
    });
  }

  RED.nodes.registerType('modem-config', ModemConfig, { credentials: { ...CREDENTIALS } });

  registerCapabilitiesEndpoint(RED);
  RED.httpAdmin.get('/modem-tls/serial-ports', RED.auth.needsPermission('modem-config.read'), (_req, res) => {
    listSerialPorts().then(
      (ports) => res.json(ports),
      (err: Error) => res.status(500).json({ error: `cannot list serial ports: ${err.message}` }),
    );
  });
}

export = register;
