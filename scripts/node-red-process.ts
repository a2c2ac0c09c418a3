/**
 * A Node-RED process for the demo and the packaging check: started with demo-guard (so it stops
 * when the process that started it ends, even killed), its output split into lines, and stopped
 * the way Node-RED likes (SIGINT, so every node closes), hard after a while.
 *
 * Must never: leave the process running after `stop()` has settled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Node-RED gives each node 15 s to close; after that it is stopped hard. */
const STOP_WITHIN_MS = 20000;
const LAST_LINES = 20;

export interface NodeRedOptions {
  /** The node binary. */
  node: string;
  /** Node-RED's red.js. */
  redJs: string;
  userDir: string;
  settings: string;
  /** Each line of its output, stdout and stderr, as it comes. */
  onLine(line: string): void;
}

export interface NodeRedProcess {
  child: ChildProcess;
  /** Settles with the exit code once the process and its output pipes are closed. */
  exited: Promise<number | null>;
  /** The last lines of output, for an error message. */
  lastLines: string[];
  /** Set when the binary could not be started at all. */
  spawnError(): Error | undefined;
  stop(): Promise<void>;
}

export function startNodeRed(options: NodeRedOptions): NodeRedProcess {
  const args = ['-r', path.join(__dirname, 'demo-guard.js'), options.redJs, '--userDir', options.userDir, '--settings', options.settings];
  const child = spawn(options.node, args, {
    // The IPC channel is only there to close when this process ends: demo-guard then stops Node-RED.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Flows may read files relative to Node-RED's working directory (the demo's `demo-pki/…`).
    cwd: options.userDir,
  });
  let failed: Error | undefined;
  const exited = new Promise<number | null>((resolve) => {
    // 'close' rather than 'exit': it comes once the output pipes are closed too, so nothing is left open.
    child.once('close', (code) => resolve(code));
    // A binary that cannot be started gives an error and no exit.
    child.once('error', (err) => {
      failed = err;
      if (child.pid === undefined) resolve(null);
    });
  });
  const lastLines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) forwardLines(stream, options.onLine, lastLines);
  return {
    child,
    exited,
    lastLines,
    spawnError: () => failed,
    stop: () => stopProcess(child, exited),
  };
}

/** Splits a stream into lines for `onLine`, and keeps the last few for an error message. */
function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void, last: string[]): void {
  if (!stream) return;
  let pending = '';
  const emit = (line: string): void => {
    last.push(line);
    if (last.length > LAST_LINES) last.shift();
    onLine(line);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream.on('end', () => {
    if (pending !== '') emit(pending);
  });
}

function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return exited.then(() => undefined);
  // SIGINT is how Node-RED likes to be stopped: it closes every node (connections, links) first.
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const hard = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, STOP_WITHIN_MS);
  });
  return Promise.race([exited.then(() => undefined), hard.then(() => exited.then(() => undefined))]).finally(() => clearTimeout(timer));
}
