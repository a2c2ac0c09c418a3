/**
 * What every flow node shares: finding its `modem-config`, mirroring the modem's status,
 * and one input pipeline — take secrets off → wait for the modem → validate and call →
 * shape `msg` → status → `done`. A message that arrives while the modem is connecting or
 * being brought up waits for it (bounded by the modem-config's setting) instead of failing.
 * A failure sets `msg.modemError` (redacted) before `done(err)`, so a Catch node can decode it.
 */
import { isModemError, ModemError } from '../at/errors';
import type { ModemConnection, ModemStatus } from '../modem/connection';
import { translator, type Translate } from './messages';
import type { NodeAPI, NodeMessage, NodeStatus, RedNode } from './red';
import { busyBadge, modemBadge, modemStateText, problemBadge } from './status';

/** The runtime side of a `modem-config` node, as flow nodes see it. */
export interface ModemConfigNode extends RedNode {
  /** The connection, or null when the configuration is invalid. */
  modem: ModemConnection | null;
  /** Why there is no connection, in words naming the field. */
  problem: string | null;
  vendor: string;
}

export interface FlowNodeBinding {
  config: ModemConfigNode | null;
  /** The connection, or throws a ModemError saying why there is none. */
  modem(): ModemConnection;
  /** The node texts (statuses, log lines) from the message catalogs. */
  _: Translate;
  /**
   * The badge of a modem status, worked out once per status: a status is replaced, never changed,
   * and a catalog lookup for every message would cost more than the AT round trip it follows.
   */
  badge(status: ModemStatus): NodeStatus;
}

/** Looks up the node's `modem-config` and mirrors its status on `node` until the node closes. */
export function bindToModem(RED: NodeAPI, node: RedNode, modemId: unknown): FlowNodeBinding {
  const found = typeof modemId === 'string' && modemId !== '' ? RED.nodes.getNode(modemId) : null;
  const config = (found as ModemConfigNode | null) ?? null;
  const _ = translator(RED);
  let shown: { status: ModemStatus; badge: NodeStatus } | undefined;
  const binding: FlowNodeBinding = {
    config,
    _,
    badge(status) {
      if (shown?.status !== status) shown = { status, badge: modemBadge(status, _) };
      return shown.badge;
    },
    modem() {
      if (!config) {
        throw new ModemError({ kind: 'PARAMETER', field: 'modem', message: 'modem: no modem-config node is selected' });
      }
      if (!config.modem) {
        throw new ModemError({ kind: 'PARAMETER', field: 'modem', vendor: config.vendor, message: `modem: ${config.problem ?? 'the modem-config node is not usable'}` });
      }
      return config.modem;
    },
  };
  if (!config) {
    node.status(problemBadge(_('modem-config.status.noModem')));
    return binding;
  }
  const modem = config.modem;
  if (!modem) {
    node.status(problemBadge(_('modem-config.status.unusable', { problem: config.problem ?? _('modem-config.status.invalid') })));
    return binding;
  }
  const onStatus = (): void => node.status(binding.badge(modem.status));
  modem.on('status', onStatus);
  onStatus();
  node.on('close', (_removed, done) => {
    modem.off('status', onStatus);
    done();
  });
  return binding;
}

/** Anything thrown becomes a ModemError; a plain Error keeps its message. */
export function toModemError(err: unknown, vendor?: string): ModemError {
  if (isModemError(err)) {
    if (!err.vendor && vendor) err.vendor = vendor;
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModemError({ kind: 'FINAL', vendor, message, cause: err });
}

/** What a node may take to close what it holds when it stops (Node-RED waits 15 s in all). */
export const CLOSE_WITHIN_MS = 10000;

/** What an operation hands back: the message to send (or null) and the status to show. */
export interface Outcome {
  msg: NodeMessage | null;
  /** Omitted: the node shows its modem's state again. */
  status?: NodeStatus;
}

export interface Operation<T> {
  /** Status text while the modem works, e.g. `uploading…` (may depend on the message). */
  busy: string | ((msg: NodeMessage) => string);
  /**
   * Runs first, before anything can fail: takes secrets (a password, a private key) out of
   * the message, so that neither the message sent on nor the one a Catch node gets carries them.
   */
  take?(msg: NodeMessage): T;
  run(msg: NodeMessage, modem: ModemConnection, taken: T): Promise<Outcome>;
}

/**
 * Registers the input handler: the one pipeline of every flow node. While the node is
 * closing, a command rejected because the modem connection is closing ends quietly: it
 * is a redeploy, not a failure of the flow.
 */
export function handleInput<T>(node: RedNode, binding: FlowNodeBinding, op: Operation<T>): void {
  let closing = false;
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  node.on('close', (_removed, done) => {
    closing = true;
    stop();
    done();
  });
  node.on('input', (msg, send, done) => {
    let taken: T;
    let modem: ModemConnection;
    try {
      taken = op.take ? op.take(msg) : (undefined as T);
      modem = binding.modem();
    } catch (err) {
      fail(node, msg, toModemError(err, binding.config?.vendor), done);
      return;
    }
    const busy = typeof op.busy === 'function' ? op.busy(msg) : op.busy;
    const ready = modem.isReady;
    node.status(busyBadge(ready ? busy : binding._('modem-config.status.waiting', { state: modemStateText(modem.status, binding._) })));
    const running = (async (): Promise<Outcome> => {
      if (!ready) {
        // A message waiting for the modem goes with its node: one stopped by a deploy sends nothing.
        const waiting = modem.whenReady();
        waiting.catch(() => undefined);
        await Promise.race([waiting, stopped]);
        if (closing) throw new ModemError({ kind: 'CLOSED', vendor: modem.vendor, message: 'the node stopped while its message waited for the modem; nothing was sent' });
        node.status(busyBadge(busy));
      }
      return op.run(msg, modem, taken);
    })();
    running.then(
      (outcome) => {
        if (!closing) node.status(outcome.status ?? binding.badge(modem.status));
        if (outcome.msg) send(outcome.msg);
        done();
      },
      (err: unknown) => {
        const error = toModemError(err, modem.vendor);
        if (closing && error.kind === 'CLOSED') {
          done();
          return;
        }
        fail(node, msg, error, done);
      },
    );
  });
}

function fail(node: RedNode, msg: NodeMessage, error: ModemError, done: (err?: Error) => void): void {
  msg.modemError = error.toJSON();
  node.status(problemBadge(error.message));
  done(error);
}

/** `msg[name]` when set (not undefined/null/''), otherwise the node's own setting. */
export function overridable<T>(msg: NodeMessage, name: string, own: T): unknown {
  const value = msg[name];
  return value === undefined || value === null || value === '' ? own : value;
}
