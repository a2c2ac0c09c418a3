/**
 * A simulated module behind a real pseudo-terminal, with a stable device path as a
 * `/dev/serial/by-id` link would give — what the e2e flow tests point a `modem-config` at — and
 * the TLS servers it talks to. `telit-rig.ts` and `ublox-rig.ts` choose the module.
 *
 * Owns: the modem, the pty, its temporary directory and the servers started through it; `close()`
 * releases all of them. Must never: reach into Node-RED (the flow tests do that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { servePty, type PtyEndpoint, type SimulatedModem } from '../../src/simulator';
import { startTlsEchoServer, type TlsEchoServer, type TlsEchoServerOptions } from '../../src/simulator/tls-servers';

export interface ModemRig {
  readonly modem: SimulatedModem;
  readonly pty: PtyEndpoint;
  /** The symlink to the pty's device: give it to `modem-config` as the serial port. */
  readonly linkPath: string;
  /** The `platform` of the modem config. */
  readonly platform: string;
  /** A TLS echo server that `close()` stops with the rest. */
  server(options: TlsEchoServerOptions): Promise<TlsEchoServer>;
  /** The `modem-config` node for this modem over the serial port; `extra` overrides any field. */
  config(extra?: Record<string, unknown>): Record<string, unknown>;
  /** Modem command lines logged from `mark` on. */
  linesSince(mark: number): string[];
  close(): Promise<void>;
}

export interface RigSetup {
  vendor: string;
  /** Shown in the config's name. */
  label: string;
  platform: string;
  modem: SimulatedModem;
  apn: string;
}

export function startModemRig(setup: RigSetup): ModemRig {
  const dir = mkdtempSync(path.join(os.tmpdir(), `modem-tls-${setup.vendor}-`));
  const linkPath = path.join(dir, `tty${setup.vendor.toUpperCase()}`);
  const { modem, platform } = setup;
  const pty = servePty(modem, { linkPath });
  const servers: TlsEchoServer[] = [];
  let closing: Promise<void> | undefined;
  return {
    modem,
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
        name: `simulated ${setup.label} ${platform} on a pty`,
        vendor: setup.vendor,
        platform,
        transport: 'serial',
        port: linkPath,
        baudRate: 115200,
        rtscts: false,
        apn: setup.apn,
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
