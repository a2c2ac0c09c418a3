/**
 * Local TCP ports, for the demo, the packaging check and the tests that start servers: whether one
 * can be listened on now, and one the system calls free.
 *
 * Must never: keep a port bound, or keep the process alive, after a call has settled.
 */
import * as net from 'node:net';

const HOST = '127.0.0.1';

function listenOnce(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(server));
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether a port on 127.0.0.1 can be listened on now: free, taken by another program, or reserved (below 1024) for root. */
export async function portState(port: number): Promise<'free' | 'taken' | 'forbidden'> {
  try {
    await closeServer(await listenOnce(port));
    return 'free';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return 'taken';
    if ((err as NodeJS.ErrnoException).code === 'EACCES') return 'forbidden';
    throw err;
  }
}

/** A port on 127.0.0.1 the system calls free now (the caller binds it soon after). */
export async function freePort(): Promise<number> {
  const server = await listenOnce(0);
  const port = (server.address() as net.AddressInfo).port;
  await closeServer(server);
  return port;
}
