/**
 * The slice of the Node-RED runtime API these nodes use, declared locally: the published
 * `@types/node-red` describe the 1.x API (no `send`/`done` input handlers, no close `done`).
 */

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeMessage = Record<string, unknown> & { _msgid?: string };

export type SendFn = (msg: NodeMessage | Array<NodeMessage | null> | null) => void;
export type DoneFn = (err?: Error) => void;

export interface RedNode {
  id: string;
  type: string;
  name?: string;
  credentials?: Record<string, string | undefined>;
  status(status: NodeStatus | Record<string, never>): void;
  send(msg: NodeMessage | Array<NodeMessage | null> | null): void;
  error(err: unknown, msg?: NodeMessage): void;
  warn(message: unknown): void;
  log(message: unknown): void;
  debug(message: unknown): void;
  trace(message: unknown): void;
  on(event: 'input', handler: (msg: NodeMessage, send: SendFn, done: DoneFn) => void): void;
  on(event: 'close', handler: (removed: boolean, done: () => void) => void): void;
}

export interface RedRequest {
  query: Record<string, unknown>;
}
export interface RedResponse {
  json(body: unknown): void;
  status(code: number): RedResponse;
}

export interface NodeAPI {
  /** Message catalog look-up, scoped by Node-RED to the calling node set; see `messages.ts`. */
  _?: (key: string, values?: Record<string, string | number>) => unknown;
  nodes: {
    createNode(node: object, config: object): void;
    registerType(
      type: string,
      constructor: (this: RedNode, config: any) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
  };
  httpAdmin: {
    get(path: string, ...handlers: Array<(req: RedRequest, res: RedResponse, next?: () => void) => void>): void;
  };
  auth: {
    needsPermission(permission: string): (req: RedRequest, res: RedResponse, next?: () => void) => void;
  };
  util: {
    /** The value of an environment variable as a node sees it: its flow's, its group's, the global ones, then the process's. */
    getSetting(node: RedNode | null, name: string): string | undefined;
  };
  /** The runtime's events; `flows:started` follows every deploy, once every node exists (a Catch node included). */
  events?: {
    once(event: 'flows:started', listener: () => void): void;
    off(event: 'flows:started', listener: () => void): void;
  };
  /** Node-RED's settings; `userDir` is its user directory (absent in some test runtimes). */
  settings?: { userDir?: string };
}
