/**
 * The services that share the module's one SSL resource with the secure sockets (§6.1 warning,
 * §8.2, §9, §10): HTTP(S) (`#HTTPCFG`, `#HTTPQRY`, `#HTTPRCV`, `#HTTPRING:`), FTP(S) (`#FTPCFG`,
 * `#FTPOPEN`, `#FTPGET`, `#FTPCLOSE`) and MQTT (`#MQEN`, `#MQCFG`, `#MQCFG2`, `#MQTCFG`, `#MQCONN`,
 * `#MQDISC`), each with SSL on or off, only one of them (or the sockets) holding it at a time.
 *
 * Owns: those handlers and their client ends — a real HTTP/1.1 request, a real FTP session with
 * passive-mode data, a real MQTT 3.1.1 CONNECT/CONNACK — over the same TLS stack and the security
 * configuration of the SSId they use (HTTP and FTP SSId 1, §8.2/§9.1; MQTT the SSId of its
 * instance number, §10.1.1). Must never: hold the SSL resource without the rule of §6.1, or leave
 * a connection open past power loss.
 *
 * What is simplified: FTPS is implicit (TLS from the first byte of both connections) because the
 * TLS stack opens its own TCP connection and cannot upgrade one after `AUTH TLS`; the guide's
 * default explicit mode (§9) is therefore not reproduced. MQTT goes as far as connecting, keeping
 * alive and disconnecting: publish and subscribe are outside the guide.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { CommandContext, SimulatedModem } from '../../modem';
import { TlsFailure } from '../../tls-types';
import { formatAllowed, Params, range, values } from './args';
import { FAIL, TLS_FAILURE_CODES } from './errors';
import { isActive } from './network';
import { buildProfile } from './profile';
import { goOnline } from './sockets';
import type { SslService, TelitDevice, TelitInstance } from './state';
import { CID_RANGE } from './tables';

/** §6.1: enabling SSL for `service` while another holds it answers "SSL already activated". */
function claimSsl(device: TelitDevice, service: SslService): void {
  const holder = device.sslHolder();
  if (holder !== undefined && holder !== service) throw FAIL.sslAlreadyActivated();
}

/**
 * A connection for a service: TLS with the security configuration of `ssid`, or plain TCP. TLS
 * failures are reported as the socket commands report them (`TLS_FAILURE_CODES`).
 */
async function connectService(device: TelitDevice, options: { host: string; port: number; tls: boolean; ssid: number; timeoutMs: number }): Promise<net.Socket> {
  if (options.tls) {
    const profile = buildProfile(device, device.slot(options.ssid), options.host);
    try {
      const conn = await device.openTls({ host: options.host, port: options.port, profile, now: () => device.clock.now(), timeoutMs: options.timeoutMs });
      return conn.socket;
    } catch (err) {
      if (err instanceof TlsFailure) throw TLS_FAILURE_CODES[err.cause]();
      throw FAIL.sslGeneric();
    }
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: options.host, port: options.port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), options.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      resolve(socket);
    });
    const onError = (): void => {
      clearTimeout(timer);
      reject(FAIL.sslSocket());
    };
    socket.once('error', onError);
  });
}

// ---- HTTP (§8.2) -------------------------------------------------------------------------------

function registerHttp(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;
  const profiles = range(0, 2);

  // AT reference guides: #HTTPCFG=<prof_id>[,<server_address>[,<server_port>[,<auth_type>[,<username>
  // [,<password>[,<ssl_enabled>[,<timeout>[,<cid>[,<pkt_size>]]]]]]]]]; an omitted value stays as it was.
  modem.register('#HTTPCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(1, 10);
      const profile = device.http[p.int(0, profiles)];
      const next = {
        address: p.str(1, profile.address),
        port: p.int(2, range(1, 65535), profile.port),
        authType: p.int(3, values(0, 1), profile.authType),
        username: p.str(4, p.count > 4 ? '' : profile.username),
        password: p.str(5, p.count > 5 ? '' : profile.password),
        sslEnabled: p.int(6, values(0, 1), profile.sslEnabled),
        timeout: p.int(7, range(1, 65535), profile.timeout),
        cid: p.int(8, CID_RANGE, profile.cid),
        pktSize: p.int(9, range(0, 1500), profile.pktSize),
      };
      if (next.sslEnabled === 1) claimSsl(device, 'http');
      Object.assign(profile, next);
    },
    read: () =>
      device.http.map(
        (h, i) => `#HTTPCFG: ${i},"${h.address}",${h.port},${h.authType},"${h.username}","${h.password}",${h.sslEnabled},${h.timeout},${h.cid},${h.pktSize}`,
      ),
    test: () => `#HTTPCFG: ${formatAllowed(profiles)},,(1-65535),(0,1),,,(0,1),(1-65535),${formatAllowed(CID_RANGE)},(0-1500)`,
  });

  // #HTTPQRY=<prof_id>,<command>,<resource>[,<extra_header_line>]: OK at once, then `#HTTPRING:`.
  const methods = ['GET', 'HEAD', 'DELETE'];
  modem.register('#HTTPQRY', {
    write: ({ args }) => {
      const p = new Params(args).expect(3, 4);
      const id = p.int(0, profiles);
      const method = methods[p.int(1, range(0, 2))];
      const resource = p.str(2);
      const extra = p.has(3) ? p.str(3) : undefined;
      const profile = device.http[id];
      if (profile.address === '' || profile.busy) throw FAIL.notAllowed();
      if (!isActive(device, profile.cid)) throw FAIL.contextNotOpened();
      profile.busy = true;
      profile.body = undefined;
      const generation = device.generation;
      void httpRequest(device, profile, method, resource, extra).then((answer) => {
        if (device.generation !== generation) return;
        profile.busy = false;
        profile.body = answer.body;
        // `#HTTPRING: <prof_id>,<http_status_code>,<content_type>,<data_size>` (§8.2 prints the first three).
        modem.emitUrc(`#HTTPRING: ${id},${answer.status},"${answer.contentType}",${answer.body.length}`);
      });
    },
    test: () => `#HTTPQRY: ${formatAllowed(profiles)},(0-2),`,
  });

  // #HTTPRCV=<prof_id>[,<maxByte>]: the body after `<<<` (AT reference guides: "the device shall
  // prompt a three character sequence <<< followed by the data"; §8.2's transcript leaves it out).
  modem.register('#HTTPRCV', {
    write: (ctx: CommandContext) => {
      const p = new Params(ctx.args).expect(1, 2);
      const profile = device.http[p.int(0, profiles)];
      const max = p.int(1, range(0, 1500), 0);
      if (max > 0 && max < 64) throw FAIL.badParameter();
      if (!profile.body) throw FAIL.notAllowed();
      const part = max === 0 ? profile.body : profile.body.subarray(0, max);
      const rest = profile.body.subarray(part.length);
      profile.body = rest.length > 0 ? rest : undefined;
      const lead = modem.settings.verbose ? '\r\n' : '';
      return { lines: [Buffer.concat([Buffer.from(`${lead}<<<`, 'latin1'), part])] };
    },
    test: () => `#HTTPRCV: ${formatAllowed(profiles)},(0,64-1500)`,
  });
}

interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** A real HTTP/1.1 request over the service connection; any failure is status 0, as a module reports it. */
async function httpRequest(device: TelitDevice, profile: TelitDevice['http'][number], method: string, resource: string, extra: string | undefined): Promise<HttpAnswer> {
  const failed: HttpAnswer = { status: 0, contentType: '', body: Buffer.alloc(0) };
  let socket: net.Socket;
  try {
    socket = await connectService(device, { host: profile.address, port: profile.port, tls: profile.sslEnabled === 1, ssid: 1, timeoutMs: profile.timeout * 1000 });
  } catch {
    return failed;
  }
  return new Promise<HttpAnswer>((resolve) => {
    const headers: Record<string, string> = { Host: profile.address, Connection: 'close' };
    if (extra) {
      const colon = extra.indexOf(':');
      if (colon > 0) headers[extra.slice(0, colon).trim()] = extra.slice(colon + 1).trim();
    }
    if (profile.authType === 1) headers.Authorization = `Basic ${Buffer.from(`${profile.username}:${profile.password}`).toString('base64')}`;
    // No agent: the request goes over the connection already made (`createConnection`).
    const request = http.request({ method, path: resource, headers, createConnection: () => socket }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        socket.destroy();
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? '').split(';')[0], body: Buffer.concat(chunks) });
      });
      response.on('error', () => resolve(failed));
    });
    request.setTimeout(profile.timeout * 1000, () => request.destroy());
    request.on('error', () => {
      socket.destroy();
      resolve(failed);
    });
    request.end();
  });
}

// ---- FTP (§9) ----------------------------------------------------------------------------------

/** The control connection of an FTP session: sends commands and reads their replies (RFC 959 §4.2). */
class FtpControl {
  private buffer = '';
  private waiters: Array<(line: string) => void> = [];
  private readonly replies: string[] = [];

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string | Buffer) => this.feed(String(text)));
    socket.on('error', () => undefined);
  }

  private feed(text: string): void {
    this.buffer += text;
    for (let i = this.buffer.indexOf('\r\n'); i >= 0; i = this.buffer.indexOf('\r\n')) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      // A multi-line reply ends with the line that has a space after the code (RFC 959 §4.2).
      if (!/^\d{3} /.test(line)) continue;
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.replies.push(line);
    }
  }

  reply(timeoutMs: number): Promise<string> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(FAIL.ftpBadResponse()), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  async command(line: string, expect: RegExp, timeoutMs: number): Promise<string> {
    this.socket.write(`${line}\r\n`);
    const answer = await this.reply(timeoutMs);
    if (!expect.test(answer)) throw FAIL.ftpBadResponse();
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }
}

function registerFtp(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;
  const ftp = device.ftp;
  let control: FtpControl | undefined;
  let server: { host: string; port: number } | undefined;
  /** Data connections of transfers under way: they go with the session. */
  const transfers = new Set<net.Socket>();
  const timeoutMs = (): number => ftp.tout * 100;

  // §8.2, §9.1: #FTPCFG=<tout>,<IPPignoring>[,<FTPSEn>]; read `#FTPCFG: 100,0,0`.
  modem.register('#FTPCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(2, 3);
      const tout = p.int(0, range(100, 5000));
      const ipPignoring = p.int(1, values(0, 1));
      const ftpsEn = p.int(2, values(0, 1), ftp.ftpsEn);
      if (ftpsEn === 1) claimSsl(device, 'ftp');
      Object.assign(ftp, { tout, ipPignoring, ftpsEn });
    },
    read: () => `#FTPCFG: ${ftp.tout},${ftp.ipPignoring},${ftp.ftpsEn}`,
    test: () => '#FTPCFG: (100-5000),(0,1),(0,1)',
  });

  // §9.1: #FTPOPEN=<server:port>,<username>,<password>[,<mode>]: the control connection, logged in.
  modem.register('#FTPOPEN', {
    write: async ({ args }) => {
      const p = new Params(args).expect(3, 4);
      const [host, portText] = p.str(0).split(':');
      const port = portText === undefined ? 21 : Number(portText);
      if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw FAIL.badParameter();
      const user = p.str(1, '');
      const password = p.str(2, '');
      p.int(3, values(0, 1), 0);
      if (ftp.session) throw FAIL.ftpAlreadyConnected();
      if (!isActive(device, 1)) throw FAIL.contextNotOpened();
      const generation = device.generation;
      let socket: net.Socket;
      try {
        socket = await connectService(device, { host, port, tls: ftp.ftpsEn === 1, ssid: 1, timeoutMs: timeoutMs() });
      } catch (err) {
        throw ftp.ftpsEn === 1 ? err : FAIL.ftpCannotConnect();
      }
      const session = new FtpControl(socket);
      if (device.generation !== generation) {
        session.close();
        return;
      }
      try {
        await expectReply(session, /^220/, timeoutMs());
        const userReply = await session.command(`USER ${user}`, /^(230|331)/, timeoutMs());
        if (userReply.startsWith('331')) await session.command(`PASS ${password}`, /^230/, timeoutMs());
        // RFC 4217 §9, §8: protected data connections.
        if (ftp.ftpsEn === 1) {
          await session.command('PBSZ 0', /^200/, timeoutMs());
          await session.command('PROT P', /^200/, timeoutMs());
        }
        await session.command('TYPE I', /^200/, timeoutMs());
      } catch (err) {
        session.close();
        throw err;
      }
      control = session;
      server = { host, port };
      ftp.session = {
        close: () => {
          for (const data of transfers) data.destroy();
          session.close();
        },
      };
      socket.on('close', () => {
        if (control === session) {
          control = undefined;
          ftp.session = undefined;
        }
      });
    },
  });

  // §9.1: #FTPGET=<filename>: CONNECT, the file's bytes, NO CARRIER.
  modem.register('#FTPGET', {
    write: async (ctx) => {
      const p = new Params(ctx.args).expect(1, 1);
      const name = p.str(0);
      const session = control;
      if (!session || !server) throw FAIL.ftpNotConnected();
      const pasv = await session.command('PASV', /^227/, timeoutMs());
      const m = /(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(pasv);
      if (!m) throw FAIL.ftpBadResponse();
      const dataPort = Number(m[5]) * 256 + Number(m[6]);
      // RFC 4217 §7 and §9 of the guide: the data connection is protected too, with a TLS session of its own.
      const data = await connectService(device, { host: server.host, port: dataPort, tls: ftp.ftpsEn === 1, ssid: 1, timeoutMs: timeoutMs() });
      transfers.add(data);
      await session.command(`RETR ${name}`, /^(125|150)/, timeoutMs()).catch((err: unknown) => {
        data.destroy();
        throw err;
      });
      const transfer = { fromHost: () => undefined, escaped: () => undefined };
      goOnline(ctx, instance, transfer);
      const port = instance.port;
      const link = port.link;
      data.on('data', (chunk: Buffer) => link?.send(chunk));
      data.on('error', () => undefined);
      data.on('close', () => {
        transfers.delete(data);
        // RFC 959 §4.2: the transfer's own reply (226) follows on the control connection.
        void session.reply(timeoutMs()).catch(() => undefined);
        if (port.target === transfer) {
          port.target = undefined;
          port.link = undefined;
        }
        link?.hangUp();
      });
    },
  });

  // §9.1: #FTPCLOSE ends the session (QUIT).
  modem.register('#FTPCLOSE', {
    exec: async () => {
      const session = control;
      if (!session) return;
      await session.command('QUIT', /^221/, timeoutMs()).catch(() => undefined);
      session.close();
      control = undefined;
      ftp.session = undefined;
    },
  });
}

async function expectReply(session: FtpControl, expect: RegExp, timeoutMs: number): Promise<void> {
  if (!expect.test(await session.reply(timeoutMs))) throw FAIL.ftpBadResponse();
}

// ---- MQTT (§10) --------------------------------------------------------------------------------

/** MQTT 3.1.1 §1.5.3: a UTF-8 string with its two-byte length. */
function mqttString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** MQTT 3.1.1 §2.2.3: the remaining length, seven bits a byte. */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** MQTT 3.1.1 §3.1: CONNECT with protocol level 4. */
function connectPacket(clientId: string, user: string, password: string, keepAlive: number, clean: boolean): Buffer {
  let flags = clean ? 0x02 : 0;
  const payload = [mqttString(clientId)];
  if (user !== '') {
    flags |= 0x80;
    payload.push(mqttString(user));
    if (password !== '') {
      flags |= 0x40;
      payload.push(mqttString(password));
    }
  }
  const keep = Buffer.alloc(2);
  keep.writeUInt16BE(keepAlive);
  const variable = Buffer.concat([mqttString('MQTT'), Buffer.from([4, flags]), keep]);
  const body = Buffer.concat([variable, ...payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

const PINGREQ = Buffer.from([0xc0, 0x00]);
const DISCONNECT = Buffer.from([0xe0, 0x00]);

function registerMqtt(device: TelitDevice, instance: TelitInstance): void {
  const modem: SimulatedModem = instance.modem;
  const instances = range(1, 2);
  const client = (p: Params): TelitDevice['mqtt'][number] => device.mqtt[p.int(0, instances) - 1];

  // §10.1.1: #MQEN=<instance>,<enable>; read lists both instances.
  modem.register('#MQEN', {
    write: ({ args }) => {
      const p = new Params(args).expect(2, 2);
      const c = client(p);
      const enable = p.int(1, values(0, 1));
      if (enable === 0) {
        c.connection?.close();
        c.connection = undefined;
        // A disabled client holds no SSL (§6.1): it has to be configured again to take it.
        c.sslEn = 0;
      }
      c.enabled = enable === 1;
    },
    read: () => device.mqtt.map((c, i) => `#MQEN: ${i + 1},${c.enabled ? 1 : 0}`),
    test: () => `#MQEN: ${formatAllowed(instances)},(0,1)`,
  });

  // §10.1.1: #MQCFG=<instance>,<hostname>,<port>,<cid>[,<sslEn>]; "If SSL is to be enabled but one
  // instance of it already enable, this command will give error".
  modem.register('#MQCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(4, 5);
      const index = p.int(0, instances) - 1;
      const c = device.mqtt[index];
      if (!c.enabled || c.connection) throw FAIL.notAllowed();
      const host = p.str(1);
      const port = p.int(2, range(1, 65535));
      const cid = p.int(3, CID_RANGE);
      const sslEn = p.int(4, values(0, 1), 0);
      if (sslEn === 1) {
        claimSsl(device, 'mqtt');
        if (device.mqtt.some((other, i) => i !== index && other.enabled && other.sslEn === 1)) throw FAIL.sslAlreadyActivated();
        // The MQTT instance's TLS settings are those of the SSId of the same number (§10.1.1).
        if (index >= device.platform.sslSockets) throw FAIL.badParameter();
      }
      Object.assign(c, { host, port, cid, sslEn });
    },
    read: () => device.mqtt.filter((c) => c.enabled).map((c) => `#MQCFG: ${device.mqtt.indexOf(c) + 1},"${c.host}",${c.port},${c.cid},${c.sslEn}`),
    test: () => `#MQCFG: ${formatAllowed(instances)},,(1-65535),${formatAllowed(CID_RANGE)},(0,1)`,
  });

  // §10.1.1: #MQCFG2=<instance>,<keepalive>,<cleanSession>.
  modem.register('#MQCFG2', {
    write: ({ args }) => {
      const p = new Params(args).expect(3, 3);
      const c = client(p);
      if (!c.enabled) throw FAIL.notAllowed();
      c.keepAlive = p.int(1, range(0, 65535));
      c.cleanSession = p.int(2, values(0, 1));
    },
    read: () => device.mqtt.filter((c) => c.enabled).map((c) => `#MQCFG2: ${device.mqtt.indexOf(c) + 1},${c.keepAlive},${c.cleanSession}`),
    test: () => `#MQCFG2: ${formatAllowed(instances)},(0-65535),(0,1)`,
  });

  // §10.1.1: #MQTCFG=<instance>,<pktTimeout>: seconds to wait for the broker's answers.
  modem.register('#MQTCFG', {
    write: ({ args }) => {
      const p = new Params(args).expect(2, 2);
      const c = client(p);
      if (!c.enabled) throw FAIL.notAllowed();
      c.pktTimeout = p.int(1, range(1, 60));
    },
    read: () => device.mqtt.filter((c) => c.enabled).map((c) => `#MQTCFG: ${device.mqtt.indexOf(c) + 1},${c.pktTimeout}`),
    test: () => `#MQTCFG: ${formatAllowed(instances)},(1-60)`,
  });

  // §10.1.1: #MQCONN=<instance>,<clientID>,<userName>,<passWord>; the read form gives each enabled
  // instance's state (`#MQCONN: 1,1` connected, `1,0` not).
  modem.register('#MQCONN', {
    write: async ({ args }) => {
      const p = new Params(args).expect(4, 4);
      const index = p.int(0, instances) - 1;
      const c = device.mqtt[index];
      const clientId = p.str(1);
      const user = p.str(2, '');
      const password = p.str(3, '');
      if (!c.enabled || c.host === '' || c.connection) throw FAIL.notAllowed();
      if (!isActive(device, c.cid)) throw FAIL.contextNotOpened();
      const generation = device.generation;
      const socket = await connectService(device, { host: c.host, port: c.port, tls: c.sslEn === 1, ssid: index + 1, timeoutMs: c.pktTimeout * 1000 });
      socket.on('error', () => undefined);
      const accepted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), c.pktTimeout * 1000);
        socket.once('data', (packet: Buffer) => {
          clearTimeout(timer);
          // MQTT 3.1.1 §3.2: CONNACK 0x20 0x02 <flags> <return code 0 = accepted>.
          resolve(packet.length >= 4 && packet[0] === 0x20 && packet[3] === 0);
        });
        socket.once('close', () => resolve(false));
        socket.write(connectPacket(clientId, user, password, c.keepAlive, c.cleanSession === 1));
      });
      if (!accepted || device.generation !== generation) {
        socket.destroy();
        if (device.generation !== generation) return;
        throw FAIL.notAllowed();
      }
      let ping: NodeJS.Timeout | undefined;
      const schedulePing = (): void => {
        if (c.keepAlive > 0) ping = device.timers.after(device.seconds(c.keepAlive), () => {
          socket.write(PINGREQ);
          schedulePing();
        });
      };
      const connection = {
        close: (): void => {
          device.timers.cancel(ping);
          socket.destroy();
        },
        disconnect: (): void => {
          device.timers.cancel(ping);
          socket.end(DISCONNECT);
        },
      };
      c.connection = connection;
      schedulePing();
      socket.on('close', () => {
        device.timers.cancel(ping);
        if (c.connection === connection) c.connection = undefined;
      });
      // PINGRESP and anything else the broker sends are not the host's business here.
      socket.on('data', () => undefined);
    },
    read: () => device.mqtt.filter((c) => c.enabled).map((c) => `#MQCONN: ${device.mqtt.indexOf(c) + 1},${c.connection ? 1 : 0}`),
    test: () => `#MQCONN: ${formatAllowed(instances)},,,`,
  });

  // §10.1.1: #MQDISC=<instance>: DISCONNECT (MQTT 3.1.1 §3.14), then the connection closes.
  modem.register('#MQDISC', {
    write: ({ args }) => {
      const p = new Params(args).expect(1, 1);
      const c = client(p);
      const connection = c.connection;
      if (!connection) throw FAIL.notAllowed();
      c.connection = undefined;
      connection.disconnect();
    },
    test: () => `#MQDISC: ${formatAllowed(instances)}`,
  });
}

export function registerServiceCommands(device: TelitDevice, instance: TelitInstance): void {
  registerHttp(device, instance);
  registerFtp(device, instance);
  registerMqtt(device, instance);
}
