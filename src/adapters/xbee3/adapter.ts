/**
 * The Digi XBee3 Cellular adapter: the vendor-neutral operations on an XBee3. Files are
 * `files.ts` (ATFS PUT/XPUT over YMODEM), profiles `profiles.ts` (AT$0..$2, TL), connections
 * `sockets.ts` (API socket frames, or transparent mode), API frames `api-link.ts` — seeds/000 and
 * the XBee3 Cellular User Guide sections `tables.ts` names.
 *
 * The module's port carries API frames between command-mode sessions (the engine opens and ends
 * those): at bring-up the adapter reads the guard time the module uses (GT), puts it in API mode
 * with escapes (AP 2, saved) unless it is in API mode already, and sets the APN (AN) when the
 * modem config has one. A Modem Status "hardware reset" or "watchdog reset" frame is a restart:
 * connections end and the module is brought up again.
 *
 * Owns: what the XBee3 can do (`xbee3Capabilities`), bringing it up, routing what the module sends
 * (frames, or transparent bytes) and which part handles each operation.
 * Must never: send a command that belongs to one of the parts, or write frames in transparent mode.
 */
import { EventEmitter } from 'node:events';
import type { AtChannel, AtEngine } from '../../at/engine';
import { ModemError } from '../../at/errors';
import type { CertType } from '../../tls/certificates';
import type { TlsProfile } from '../../tls/profile';
import type {
  ApplyResult,
  Capabilities,
  CloseRequest,
  DecodedError,
  ModemAdapter,
  OpenRequest,
  RemoveRequest,
  SocketInfo,
  StoredSecurityData,
  UploadRequest,
  UploadResult,
} from '../adapter';
import type { AdapterOptions } from '../vendor';
import { MODEM_STATUS_TEXT, type ApiFrame } from './api-frames';
import { ApiLink } from './api-link';
import { applyAndSave, ensureRegister, fromHex, hex, readRegister, xbeeCommand } from './commands';
import { decodeXbee3Error } from './errors';
import { Xbee3Files } from './files';
import { Xbee3Profiles } from './profiles';
import { Xbee3Sockets } from './sockets';
import { API_MODE, COMMAND_MODE, FILES, PROFILES, SOCKETS, TLS_VERSIONS } from './tables';

export interface Xbee3AdapterOptions extends AdapterOptions {
  now?: () => Date;
}

/**
 * Sockets that may still be open on a module, by its endpoint, for the life of the process. A
 * redeploy during a long send stops the engine before the Socket Close can follow the send, and
 * the next deploy makes a new adapter for the same port: it closes them when it brings the module
 * up, so they do not use up the module's TLS sockets.
 */
const leftOpen = new Map<string, Set<number>>();

function leftOpenOn(endpoint: string | undefined): Set<number> {
  if (endpoint === undefined) return new Set();
  let ids = leftOpen.get(endpoint);
  if (!ids) leftOpen.set(endpoint, (ids = new Set()));
  return ids;
}

/** What the XBee3 can do, from seeds/000 and the guide alone (the editor asks before any modem is deployed). */
export function xbee3Capabilities(platform?: string): Capabilities {
  return {
    vendor: 'xbee3',
    ...(platform ? { platform } : {}),
    label: platform ? `Digi XBee3 ${platform}` : 'Digi XBee3 Cellular',
    profiles: {
      ids: { ...PROFILES.ids },
      // The three levels of l. 38–44; client-only does not exist.
      verify: ['none', 'server', 'mutual'],
      // The seed documents no host-name check and no switch for the dates.
      checkHostname: 'never',
      checkDate: 'always',
      tlsVersions: Object.keys(TLS_VERSIONS) as Capabilities['profiles']['tlsVersions'],
      ciphers: [],
      cipherSelection: 'none',
      // The host name of each connection goes as SNI (chosen: the guide copies at hand are silent; TLS stacks of cellular modules send it).
      sni: true,
      hostname: false,
      alpn: false,
      psk: false,
      keyPassword: false,
      vendorOptions: [],
    },
    certificates: {
      types: ['ca', 'cert', 'key'],
      naming: 'name',
      namePattern: /^(?:\/flash\/|\.\.\/)?[A-Za-z0-9._-]{1,64}(?:\/[A-Za-z0-9._-]{1,64})*$/,
      nameHint: `file name in certs/, e.g. ca.pem: letters, digits, ".", "-" and "_", at most ${FILES.nameMax} characters (../name or /flash/… for a file outside certs/)`,
      maxBytes: FILES.maxBytes,
      formats: ['pem'],
      verification: 'sha256',
      oneTimeProgrammable: false,
      keyAlgorithms: ['rsa'],
      vendorOptions: [],
    },
    sockets: {
      ids: { ...SOCKETS.ids },
      maxConcurrent: SOCKETS.maxTls,
      modes: ['command', 'online'],
      maxSendChunk: SOCKETS.maxChunk,
      maxReceiveChunk: SOCKETS.maxChunk,
      push: true,
      openOptions: [],
      closeOptions: [],
    },
  };
}

export class Xbee3Adapter extends EventEmitter implements ModemAdapter {
  readonly vendor = 'xbee3' as const;
  private readonly api: ApiLink;
  private readonly files: Xbee3Files;
  private readonly profiles: Xbee3Profiles;
  private readonly sockets: Xbee3Sockets;
  /** The AP value API mode uses on this module: 2 (escaped) unless it was set to 1 already. */
  private apiMode: number = API_MODE.apiEscaped;
  private prepared = false;
  /** Sockets the flows had open when the link was lost or the engine closed: closed on the module at the next bring-up. */
  private readonly orphans: Set<number>;

  constructor(
    private readonly engine: AtEngine,
    private readonly options: Xbee3AdapterOptions = {},
  ) {
    super();
    this.orphans = leftOpenOn(options.endpoint);
    // tls-recv and tls-open nodes each listen for data and closes: many listeners are expected.
    this.setMaxListeners(0);
    this.api = new ApiLink(engine, (frame) => this.onFrame(frame), (bytes, reason) => {
      this.emit('warning', `${bytes} bytes from the module were not a valid API frame (${reason}) and were dropped`);
    });
    this.files = new Xbee3Files(engine, () => this.now());
    this.profiles = new Xbee3Profiles(engine, this.files);
    this.sockets = new Xbee3Sockets(engine, this.api, { events: this, apiMode: () => this.apiMode });
    engine.on('data', (data: Buffer) => {
      if (!this.sockets.transparentOpen) {
        this.api.push(data);
        return;
      }
      // A restart ends transparent mode: what follows its Modem Status frame is API frames.
      const frames = this.sockets.transparentData(data);
      if (frames) {
        this.api.reset();
        this.api.push(frames);
      }
    });
    // The engine closed (redeploy, shutdown): nothing waits for the module any more.
    engine.on('closed', (reason: string) => {
      for (const id of this.socketIds()) this.orphans.add(id);
      this.stopWaiting(reason);
    });
  }

  capabilities(): Capabilities {
    return xbee3Capabilities(this.options.platform);
  }

  async prepare(at?: AtChannel): Promise<void> {
    if (!at) return this.engine.exclusive((channel) => this.prepare(channel));
    this.api.reset();
    // The guard time the module wants before and after `+++` ("Enter Command mode", GT).
    const gt = fromHex(await readRegister(at, 'GT'));
    if (gt >= COMMAND_MODE.guard.min && gt <= COMMAND_MODE.guard.max) this.engine.setGuardTime(gt + Math.max(20, gt / 10));
    // How long it keeps command mode without a command (CT, in 100 ms).
    const ct = fromHex(await readRegister(at, 'CT'));
    if (ct >= COMMAND_MODE.idle.min && ct <= COMMAND_MODE.idle.max) this.engine.setSessionTimeout(ct * 100);
    let written = 0;
    const ap = fromHex(await readRegister(at, 'AP'));
    if (ap === API_MODE.api || ap === API_MODE.apiEscaped) {
      this.apiMode = ap;
    } else {
      this.apiMode = API_MODE.apiEscaped;
      await at.send({ line: xbeeCommand('AP', hex(this.apiMode)) });
      written++;
      this.emit('warning', `the module was in ${Number.isNaN(ap) ? 'an unknown mode' : `AP ${ap}`}: it is now in API mode with escapes (AP 2), saved, which its TLS sockets need`);
    }
    this.api.escaped = this.apiMode === API_MODE.apiEscaped;
    if (this.options.apn) {
      if (await ensureRegister(at, 'AN', this.options.apn, { field: 'apn', same: (c) => c === this.options.apn })) written++;
    }
    await applyAndSave(at, written);
    if ((this.options.apnUser || this.options.apnPassword) && !this.prepared) {
      this.emit('warning', 'the XBee3 takes an APN only (AN): the APN user and password of the modem config are not used');
    }
    // clockSync is not used: the XBee3 takes its time from the cellular network and has no command
    // to set it (the help says so; a warning at every deploy of a default config would only be noise).
    this.prepared = true;
    // Sockets of a lost link may still be open on the module: free them.
    for (const socket of [...this.orphans]) {
      this.orphans.delete(socket);
      const answer = await this.api.request({ type: 0x43, socket }, 0xc3, 5000, at).catch(() => undefined);
      if (answer?.type === 0xc3 && answer.status === 0) {
        this.emit('warning', `socket ${socket} was still open on the module from before (a lost link, or a redeploy during a send); it was closed`);
      }
    }
  }

  forgetConnections(reason: string): void {
    for (const id of this.socketIds()) this.orphans.add(id);
    this.stopWaiting(`the link to the modem was lost: ${reason}`);
    this.api.reset();
  }

  private socketIds(): number[] {
    return this.sockets.openIds().filter((id) => id !== SOCKETS.transparentId);
  }

  private stopWaiting(reason: string): void {
    this.api.failAll(new ModemError({ kind: 'LINK_DOWN', vendor: 'xbee3', message: reason }));
    this.sockets.endAll(reason);
  }

  closeAll(): Promise<void> {
    return this.sockets.closeAll();
  }

  uploadSecurityData(request: UploadRequest): Promise<UploadResult> {
    return this.files.upload(request);
  }

  removeSecurityData(certType: CertType, name: string, _request?: RemoveRequest): Promise<void> {
    return this.files.remove(certType, name);
  }

  listSecurityData(): Promise<StoredSecurityData[]> {
    return this.files.list();
  }

  applyProfile(profile: TlsProfile): Promise<ApplyResult> {
    return this.profiles.apply(profile);
  }

  openSocket(request: OpenRequest): Promise<SocketInfo> {
    return this.sockets.open(request);
  }

  send(socket: string, data: Buffer): Promise<number> {
    return this.sockets.send(socket, data);
  }

  receive(socket: string, maxBytes: number, timeoutMs?: number): Promise<Buffer> {
    return this.sockets.receive(socket, maxBytes, timeoutMs);
  }

  /**
   * Always false: the XBee3 pushes what a socket receives — Socket Receive frames in API mode, the
   * bytes themselves in transparent mode — and has no command to leave a socket's data in the
   * module. The only brake it has is the UART's RTS line, which would stop every socket and the
   * answers to commands along with it, so the caller bounds what it buffers instead.
   */
  holdReceive(_socket: string, _hold: boolean): boolean {
    return false;
  }

  closeSocket(socket: string, request?: CloseRequest): Promise<void> {
    return this.sockets.close(socket, request);
  }

  /** The XBee3 keeps network time internally and offers no command here to read it for certificate checks. */
  async modemClock(): Promise<Date | undefined> {
    return undefined;
  }

  decodeError(error: { code?: string | number; line?: string; command?: string }): DecodedError {
    return decodeXbee3Error(error);
  }

  private onFrame(frame: ApiFrame): void {
    if (this.sockets.onFrame(frame)) return;
    if (frame.type === 0x8a && (frame.status === 0x00 || frame.status === 0x01) && this.prepared) {
      // "Hardware reset or power up" / "Watchdog timer reset": the module restarted, its sockets with it.
      const why = `the module restarted (Modem Status: ${MODEM_STATUS_TEXT[frame.status] ?? `0x${hex(frame.status)}`})`;
      this.stopWaiting(why);
      this.emit('restarted', why);
    }
  }

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }
}
