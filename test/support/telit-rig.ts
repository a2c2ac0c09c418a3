/**
 * A simulated Telit module behind a real pseudo-terminal, with a stable device path as a
 * `/dev/serial/by-id` link would give — what the e2e flow tests point a `modem-config` at — and
 * the TLS servers it talks to.
 *
 * Owns: the modem, the pty, its temporary directory and the servers started through it; `close()`
 * releases all of them. Must never: reach into Node-RED (the flow tests do that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTelitModem, servePty, type PtyEndpoint, type SimulatedModem, type TelitModemOptions } from '../../src/simulator';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../src/simulator/tls-servers';

export interface TelitRig {
  readonly modem: SimulatedModem;
  readonly pty: PtyEndpoint;
  /** The symlink to the pty's device: give it to `modem-config` as the serial port. */
  readonly linkPath: string;
  readonly platform: TelitModemOptions['platform'];
  /** A TLS echo server that `close()` stops with the rest. */
  server(options: TlsEchoServerOptions): Promise<TlsEchoServer>;
  /** The `modem-config` node for this modem over the serial port; `extra` overrides any field. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Modem command lines logged from `mark` on. */
  linesSince(mark: number): string[];
  close(): Promise<void>;
}

export function startTelitRig(options: TelitModemOptions): TelitRig {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-telit-'));
  const linkPath = path.join(dir, 'ttyTELIT');
  const modem = createTelitModem(options);
  const pty = servePty(modem, { linkPath });
  const servers: TlsEchoServer[] = [];
  let closing: Promise<void> | undefined;
  return {
    modem,
    pty,
    linkPath,
    platform: options.platform,
    async server(serverOptions) {
      const server = await startTlsEchoServer(serverOptions);
      servers.push(server);
      return server;
    },
    config(extra = {}) {
      return {
        id: 'cfg',
        type: 'modem-config',
        name: `simulated Telit ${options.platform} on a pty`,
        vendor: 'telit',
        platform: options.platform,
        transport: 'serial',
        port: linkPath,
        baudRate: 115200,
        rtscts: false,
        apn: 'internet',
        clockSync: true,
        commandTimeout: 5000,
        ...extra,
      };
    },
    linesSince(mark) {
      return modem.log.slice(mark).map((entry) => entry.line);
    },
    close() {
      closing ??= (async () => {
        await Promise.allSettled(servers.map((s) => s.close()));
        await pty.close();
        modem.close();
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
