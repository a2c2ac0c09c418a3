/**
 * `modem-tls-bridge`: a local TCP port whose connections the modem carries over TLS, so that
 * Node-RED's own MQTT, TCP and WebSocket nodes (or any local client) use the modem's TLS and the
 * certificates stored in it. Point the client at `listenHost:listenPort` without TLS of its own.
 *
 * Checks its settings at deploy (nothing reaches the modem when one is wrong), listens, and
 * reports each connection opened and closed on its output, each failure as an error a Catch node
 * gets (with `msg.modemError`), and the count of open connections and bytes in its status.
 * The copying itself is `src/modem/tls-bridge.ts`.
 */
import { ModemError } from '../at/errors';
import { addressText, isLoopback, TlsBridge, type BridgeClosed, type BridgeOpen } from '../modem/tls-bridge';
import { bytesText, optionOf } from './adapter-node';
import { bindToModem, CLOSE_WITHIN_MS, toModemError } from './flow-node';
import type { NodeAPI, NodeStatus, RedNode } from './red';
import { doneBadge, problemBadge, warningBadge } from './status';

interface BridgeProps {
  modem?: string;
  profile?: string;
  host?: string;
  port?: string | number;
  listenHost?: string;
  listenPort?: string | number;
  exposed?: boolean | string;
  connections?: string | number;
  mode?: string;
  timeout?: string | number;
  vendorOptions?: string;
}

/** Status updates at most this often while bytes flow. */
const STATUS_EVERY_MS = 500;

function register(RED: NodeAPI): void {
  function ModemTlsBridge(this: RedNode, props: BridgeProps): void {
    RED.nodes.createNode(this, props);
    const node = this;
    const binding = bindToModem(RED, node, props.modem);
    const _ = binding._;
    let bridge: TlsBridge | null = null;
    let stopped = false;

    // Failures are reported once the flows have started, so that a Catch node created after this
    // one gets those of the deploy too (a setting refused, a port already taken).
    let started = !RED.events;
    const waiting: Array<() => void> = [];
    const onStarted = (): void => {
      started = true;
      for (const go of waiting.splice(0)) go();
    };
    RED.events?.once('flows:started', onStarted);
    const report = (err: ModemError, client = ''): void => {
      const go = (): void => node.error(err, { topic: 'error', payload: { client }, modemError: err.toJSON() });
      if (started) go();
      else waiting.push(go);
    };
    node.on('close', (_removed, done) => {
      RED.events?.off('flows:started', onStarted);
      done();
    });

    // The modem's own state shows while it is not ready; once it is, the bridge's.
    let statusTimer: NodeJS.Timeout | null = null;
    let shownAt = 0;
    let warnedExposed = false;
    /** The listener could not start: nothing else is worth showing. */
    let listenFailed: NodeStatus | null = null;
    /** The last connection that failed, shown while none is open, until the next one opens. */
    let lastFailure: NodeStatus | null = null;
    const showBridge = (): void => {
      if (!bridge || stopped) return;
      if (listenFailed) {
        node.status(listenFailed);
        return;
      }
      const modem = binding.config?.modem;
      if (modem && !modem.isReady) {
        node.status(binding.badge(modem.status));
        return;
      }
      const open = bridge.openCount;
      const address = bridge.address;
      if (open === 0 && lastFailure) {
        node.status(lastFailure);
        return;
      }
      if (open === 0) {
        const exposed = !isLoopback(bridge.settings.listenHost);
        node.status(exposed
          ? warningBadge(_('modem-tls-bridge.status.exposed', { address }))
          : { fill: 'green', shape: 'ring', text: _('modem-tls-bridge.status.listening', { address }) });
        return;
      }
      node.status(doneBadge(_('modem-tls-bridge.status.open', { open, max: bridge.settings.connections, up: bytesText(bridge.bytesUp), down: bytesText(bridge.bytesDown) })));
    };
    const showSoon = (): void => {
      if (statusTimer || stopped) return;
      statusTimer = setTimeout(() => {
        statusTimer = null;
        shownAt = Date.now();
        showBridge();
      }, Math.max(0, shownAt + STATUS_EVERY_MS - Date.now()));
    };

    const modem = binding.config?.modem ?? null;
    if (modem) {
      try {
        const caps = modem.adapter.capabilities();
        const option = (name: keyof BridgeProps): unknown => optionOf('tls-bridge', name, {}, props[name], caps);
        const listenHost = option('listenHost') as string;
        const listenPort = option('listenPort') as number;
        const exposed = option('exposed') as boolean;
        const connections = option('connections') as number;
        const chosen = option('mode') as 'auto' | 'command' | 'online';
        if (!isLoopback(listenHost) && !exposed) {
          throw new ModemError({
            kind: 'PARAMETER', field: 'listenHost', vendor: modem.vendor,
            message: `listenHost: ${listenHost} is not a loopback address, so other machines could use this modem's TLS connections and certificates; listen on 127.0.0.1, or tick "exposed" to allow it`,
          });
        }
        if (chosen === 'online' && connections > 1) {
          throw new ModemError({
            kind: 'PARAMETER', field: 'mode', vendor: modem.vendor,
            message: `mode: online gives the serial link to one connection, and connections is ${connections}; set connections to 1, or choose auto or command`,
          });
        }
        // ONLINE (transparent) data carries bytes without commands, where the vendor has it and one connection is all.
        const mode = chosen === 'auto' ? (caps.sockets.modes.includes('online') && connections === 1 ? 'online' : 'command') : chosen;
        bridge = new TlsBridge(modem, {
          listenHost,
          listenPort,
          connections,
          open: {
            profile: String(option('profile')),
            host: option('host') as string,
            port: option('port') as number,
            mode,
            timeoutMs: option('timeout') as number | undefined,
            vendorOptions: option('vendorOptions') as Record<string, unknown>,
          },
        });
        if (!isLoopback(listenHost) && !warnedExposed) {
          warnedExposed = true;
          node.warn(_('modem-tls-bridge.log.exposed', { address: addressText(listenHost, listenPort) }));
        }
      } catch (err) {
        const error = toModemError(err, modem.vendor);
        const badge = problemBadge(error.message);
        node.status(badge);
        report(error);
        bridge = null;
        // The problem stays in sight whatever the modem does meanwhile.
        const keepProblem = (): void => node.status(badge);
        modem.on('status', keepProblem);
        node.on('close', (_removed, done) => {
          modem.off('status', keepProblem);
          done();
        });
      }
    }

    if (bridge && modem) {
      const live = bridge;
      live.on('open', (info: BridgeOpen) => {
        lastFailure = null;
        node.send({ topic: 'open', payload: { ...info } });
        showBridge();
      });
      live.on('closed', (info: BridgeClosed) => {
        if (stopped) return;
        node.send({ topic: 'closed', payload: { ...info } });
        showBridge();
      });
      live.on('failure', (err: ModemError, client: string) => {
        if (stopped) return;
        report(err, client);
        lastFailure = problemBadge(err.message);
        node.status(lastFailure);
      });
      const onStatus = (): void => showBridge();
      modem.on('status', onStatus);
      // Bytes move: the counts in the status follow, at most every half second.
      live.on('bytes', showSoon);
      live.listen().then(
        () => showBridge(),
        (err: ModemError) => {
          if (stopped) return;
          listenFailed = problemBadge(err.message);
          node.status(listenFailed);
          report(err);
        },
      );
      node.on('close', (_removed, done) => {
        stopped = true;
        if (statusTimer) clearTimeout(statusTimer);
        modem.off('status', onStatus);
        let finished = false;
        const finish = (): void => {
          if (finished) return;
          finished = true;
          clearTimeout(guard);
          done();
        };
        const guard = setTimeout(() => {
          node.warn(_('modem-tls-bridge.log.closeSlow', { seconds: CLOSE_WITHIN_MS / 1000 }));
          finish();
        }, CLOSE_WITHIN_MS);
        void live.close().then(finish, finish);
      });
    }
  }

  RED.nodes.registerType('modem-tls-bridge', ModemTlsBridge);
}

export = register;
