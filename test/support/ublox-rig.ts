/**
 * A simulated u-blox module (SARA-R5 by default) behind a real pseudo-terminal, with a stable
 * device path as a `/dev/serial/by-id` link would give — what the u-blox e2e flow tests point a
 * `modem-config` at — and the TLS servers it talks to. The u-blox twin of `telit-rig.ts`.
 *
 * Owns: the modem, the pty, its temporary directory and the servers started through it; `close()`
 * releases all of them. Must never: reach into Node-RED (the flow tests do that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servePty, type PtyEndpoint, type SimulatedModem } from '../../src/simulator';
import { createUbloxModem, ubloxDevice, type UbloxDevice, type UbloxModemOptions } from '../../src/simulator/dialects/ublox';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../src/simulator/tls-servers';

export interface UbloxRig {
  readonly modem: SimulatedModem;
  /** The module's state (stored items, profiles, sockets), for assertions. */
  readonly device: UbloxDevice;
  readonly pty: PtyEndpoint;
  /** The symlink to the pty's device: give it to `modem-config` as the serial port. */
  readonly linkPath: string;
  /** The `platform` of the modem config (`SARA-R5`). */
  readonly platform: string;
  /** A TLS echo server that `close()` stops with the rest. */
  server(options: TlsEchoServerOptions): Promise<TlsEchoServer>;
  /** The `modem-config` node for this modem over the serial port; `extra` overrides any field. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Modem command lines logged from `mark` on. */
  linesSince(mark: number): string[];
  close(): Promise<void>;
}

export function startUbloxRig(options: UbloxModemOptions = {}): UbloxRig {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modem-tls-ublox-'));
  const linkPath = path.join(dir, 'ttyUBLOX');
  const platform = options.platform ?? 'SARA-R5';
  const modem = createUbloxModem({ connectTimeoutMs: 5000, ...options, platform });
  const device = ubloxDevice(modem);
  if (!device) throw new Error('ublox-rig: the simulated modem has no u-blox state');
  const pty = servePty(modem, { linkPath });
  const servers: TlsEchoServer[] = [];
  let closing: Promise<void> | undefined;
  return {
    modem,
    device,
    pty,
    linkPath,
    platform,
    async server(serverOptions) {
      const server = await startTlsEchoServer(serverOptions);
      servers.push(server);
      return server;
    },
    config(extra = {}) {
      return {
        id: 'cfg',
        type: 'modem-config',
        name: `simulated u-blox ${platform} on a pty`,
        vendor: 'ublox',
        platform,
        transport: 'serial',
        port: linkPath,
        baudRate: 115200,
        rtscts: false,
        // The simulated module has no +CGACT: with an APN the config would only warn that it cannot apply it.
        apn: '',
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
