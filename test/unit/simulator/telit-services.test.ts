/**
 * The services that share the SSL resource on the simulated Telit module, against the guide's
 * transcripts: HTTPS through a secure socket (§8.1) and the HTTP client (§8.2), FTP over TLS
 * (§9.1) and MQTT over TLS (§10.1) — each against a real local server, the example addresses
 * replaced by 127.0.0.1/localhost and free ports, the network's example address by the simulated
 * network's 10.7.125.7.
 */
import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as tls from 'node:tls';
import { CTRL_Z, delay, frame, Module, startServer, testPki, type TestServer } from './telit-harness.test';

/** What an HE910 speaks by default (#SSLSECCFG2 `<version>` 1, §6.8.3.1): servers for §8.2/§9.1 accept TLS 1.0. */
const LEGACY: tls.TlsOptions = { minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' };

const PAGE = '<!doctype html>\n<html>\n<body>simulated</body>\n</html>\n';

interface Closable {
  close(): Promise<void>;
}

async function startHttps(options: tls.TlsOptions = {}): Promise<{ port: number } & Closable> {
  const { server: keys } = testPki();
  const server = https.createServer({ cert: keys.cert, key: keys.key, ...options }, (request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(PAGE), Connection: 'close' });
    response.end(request.method === 'HEAD' ? undefined : PAGE);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * An FTP server over implicit TLS (RFC 4217 without AUTH: see services.ts for why), passive mode,
 * serving `files`; it records the commands it got.
 */
async function startFtps(files: Record<string, Buffer>): Promise<{ port: number; commands: string[] } & Closable> {
  const { server: keys } = testPki();
  const options = { cert: keys.cert, key: keys.key, ...LEGACY };
  const sockets = new Set<net.Socket>();
  const servers = new Set<tls.Server>();
  const commands: string[] = [];
  const listen = async (server: tls.Server): Promise<number> => {
    servers.add(server);
    server.on('connection', (socket: net.Socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as net.AddressInfo).port;
  };
  const control = tls.createServer(options, (socket) => {
    let data: Promise<tls.TLSSocket> | undefined;
    let text = '';
    socket.write('220 simulated FTPS ready\r\n');
    socket.on('data', async (chunk: Buffer) => {
      text += chunk.toString('latin1');
      for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n')) {
        const line = text.slice(0, i);
        text = text.slice(i + 2);
        commands.push(line.startsWith('PASS ') ? 'PASS ***' : line);
        const [verb, ...rest] = line.split(' ');
        const argument = rest.join(' ');
        if (verb === 'USER') socket.write('331 password please\r\n');
        else if (verb === 'PASS') socket.write('230 logged in\r\n');
        else if (verb === 'PBSZ' || verb === 'PROT' || verb === 'TYPE') socket.write('200 ok\r\n');
        else if (verb === 'PASV') {
          let accept!: (s: tls.TLSSocket) => void;
          data = new Promise((resolve) => (accept = resolve));
          const port = await listen(tls.createServer(options, (s) => accept(s)));
          socket.write(`227 Entering Passive Mode (127,0,0,1,${port >> 8},${port & 0xff})\r\n`);
        } else if (verb === 'RETR') {
          const file = files[argument];
          if (!file || !data) {
            socket.write('550 no such file\r\n');
            continue;
          }
          socket.write('150 opening data connection\r\n');
          const channel = await data;
          channel.end(file, () => socket.write('226 transfer complete\r\n'));
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  });
  const port = await listen(control);
  return {
    port,
    commands,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([...servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

/** An MQTT broker over mutual TLS that accepts every CONNECT (MQTT 3.1.1 §3.2) and records packets. */
async function startBroker(): Promise<TestServer & { packets: number[] }> {
  const packets: number[] = [];
  const { ca } = testPki();
  const server = await startServer(
    (socket) =>
      socket.on('data', (packet: Buffer) => {
        packets.push(packet[0]);
        if (packet[0] === 0x10) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00]));
        else if (packet[0] === 0xc0) socket.write(Buffer.from([0xd0, 0x00]));
        else if (packet[0] === 0xe0) socket.end();
      }),
    { requestCert: true, rejectUnauthorized: true, ca: ca.cert },
  );
  return Object.assign(server, { packets });
}

describe('simulator: Telit services sharing SSL (§8–§10)', () => {
  let module: Module;
  const closables: Closable[] = [];

  afterEach(async () => {
    module?.close();
    await Promise.all(closables.splice(0).map((c) => c.close()));
  });

  it('§8.1 HTTPS through #SSLD in ONLINE mode: the server answers and closes (NO CARRIER)', async () => {
    const server = await startHttps();
    closables.push(server);
    module = await Module.start({ platform: '30' });
    await module.expect('AT+CGDCONT=1,"IP","internet"', 'OK');
    await module.expect('AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK');
    await module.transcript([
      ['AT#SSLEN=1,1', 'OK'],
      ['AT#SSLSECCFG=1,0,1', 'OK'],
    ]);
    await module.uploadPem(1, 1, testPki().ca.cert);
    await module.expect(`AT#SSLD=1,${server.port},"localhost",0,0`, 'CONNECT');
    module.wire.clear();
    module.modem.receive('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const text = await module.until('NO CARRIER\r\n');
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(text.endsWith(PAGE + frame('NO CARRIER')), text);
  });

  it('§8.2 HTTP GET with SSL moved from the sockets to the HTTP client (3G)', async () => {
    const server = await startHttps(LEGACY);
    closables.push(server);
    module = await Module.start({ platform: '12' });
    await module.transcript([
      ['AT+CGDCONT=1,"IP", "Access_Point_Name"', 'OK'],
      [
        'AT#SCFG?',
        '#SCFG: 1,1,300,90,600,50',
        '#SCFG: 2,1,300,90,600,50',
        '#SCFG: 3,1,300,90,600,50',
        '#SCFG: 4,2,300,90,600,50',
        '#SCFG: 5,2,300,90,600,50',
        '#SCFG: 6,2,300,90,600,50',
        'OK',
      ],
      ['AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK'],
      // The guide writes AT#SSELEN here (a misspelling; see the §6.8.3.1 test).
      ['AT#SSLEN=1,1', 'OK'],
      ['AT#SSLSECCFG=1,0,1,1', 'OK'],
    ]);
    await module.uploadPem(1, 1, testPki().ca.cert);
    await module.transcript([
      ['AT#SSLEN=1,0', 'OK'],
      ['AT#FTPCFG?', '#FTPCFG: 100,0,0', 'OK'],
      [`AT#HTTPCFG=0,"localhost",${server.port},0,,,1,120,1`, 'OK'],
      ['AT#HTTPQRY=0,0,"/"', 'OK'],
    ]);
    // The guide prints `#HTTPRING: 0,200,"text/html", ...`: the last field is the size of the body.
    module.wire.clear();
    assert.equal(await module.until('#HTTPRING'), frame(`#HTTPRING: 0,200,"text/html",${PAGE.length}`));
    // AT reference guides: the data follows `<<<` (the guide's transcript leaves the marker out).
    assert.equal(await module.at('AT#HTTPRCV=0'), `\r\n<<<${PAGE}` + frame('OK'));
    // The body is gone once read; with SSL on for HTTP the sockets cannot have it.
    await module.expect('AT#HTTPRCV=0', 'ERROR');
    await module.expect('AT#SSLEN=1,1', 'ERROR');
  });

  it('§8.2 a failed HTTPS request rings with status 0', async () => {
    const server = await startHttps();
    closables.push(server);
    module = await Module.start({ platform: '12' });
    await module.ready();
    await module.expect('AT#SSLSECCFG=1,0,1,1', 'OK');
    await module.uploadPem(1, 1, testPki().unrelatedCa.cert);
    await module.expect('AT#SSLSECCFG2=1,3', 'OK');
    await module.expect('AT#SSLEN=1,0', 'OK');
    await module.expect(`AT#HTTPCFG=0,"localhost",${server.port},0,,,1,120,1`, 'OK');
    await module.expect('AT#HTTPQRY=0,0,"/"', 'OK');
    module.wire.clear();
    assert.equal(await module.until('#HTTPRING'), frame('#HTTPRING: 0,0,"",0'));
  });

  it('§9.1 #FTPOPEN, #FTPGET over TLS (3G)', async () => {
    const file = Buffer.from('file contents\r\nwith a line that says\r\nOK\r\nand binary \x00\x1a\x1b\xff\n');
    const server = await startFtps({ 'file.txt': file });
    closables.push(server);
    module = await Module.start({ platform: '12' });
    await module.transcript([
      ['AT+CGDCONT=1,"IP", "Access_Point_Name"', 'OK'],
      ['AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK'],
      ['AT#SSLEN=1,1', 'OK'],
      ['AT#SSLSECCFG=1,0,1,1', 'OK'],
    ]);
    await module.uploadPem(1, 1, testPki().ca.cert);
    await module.transcript([
      ['AT#SSLEN=1,0', 'OK'],
      ['AT#HTTPCFG=0,"server_address",443,0,,,0,120,1', 'OK'],
      // AT#FTPCFG=<tout>,<IPPIgnoring>,1
      ['AT#FTPCFG=100,0,1', 'OK'],
      [`AT#FTPOPEN="127.0.0.1:${server.port}","user","secret",1`, 'OK'],
    ]);
    module.wire.clear();
    module.modem.receive('AT#FTPGET="file.txt"\r');
    const text = await module.until('NO CARRIER\r\n');
    assert.equal(text, frame('CONNECT') + file.toString('latin1') + frame('NO CARRIER'));
    await module.expect('AT#FTPCLOSE', 'OK');
    await delay(20);
    assert.deepEqual(server.commands, ['USER user', 'PASS ***', 'PBSZ 0', 'PROT P', 'TYPE I', 'PASV', 'RETR file.txt', 'QUIT']);
  });

  describe('§10.1 MQTT', () => {
    let broker: TestServer & { packets: number[] };

    beforeEach(async () => {
      broker = await startBroker();
      closables.push(broker);
    });

    async function upload(): Promise<void> {
      const { ca, client } = testPki();
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 0, client.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
    }

    async function start(platform: '30' | '37' | '52'): Promise<void> {
      module = await Module.start({ platform });
      await module.transcript([
        ['AT+CMEE=2', 'OK'],
        ['AT+CGDCONT?', 'OK'],
        ['AT+CGDCONT=1,"IP", "Access_Point_Name"', 'OK'],
        ['AT+CGDCONT?', '+CGDCONT: 1,"IP","Access_Point_Name","0.0.0.0",0,0', 'OK'],
        ['AT#SGACT=1,1', '#SGACT: 10.7.125.7', 'OK'],
        ['AT#MQEN=1,1', 'OK'],
      ]);
    }

    for (const platform of ['30', '37', '52'] as const) {
      it(`§10.1.1 MQTT client connection secured (platform ${platform})`, async () => {
        await start(platform);
        await module.transcript([
          ['AT#MQEN?', '#MQEN: 1,1', '#MQEN: 2,0', 'OK'],
          [`AT#MQCFG=1,"localhost",${broker.port},1,1`, 'OK'],
          ['AT#SSLSECCFG=1,0,2', 'OK'],
        ]);
        await upload();
        await module.transcript([
          ['AT#MQCFG2=1,60,1', 'OK'],
          ['AT#MQTCFG=1,30', 'OK'],
          ['AT#MQCONN=1,"client_id","", ""', 'OK'],
          ['AT#MQCONN?', '#MQCONN: 1,1', 'OK'],
          ['AT#MQDISC=1', 'OK'],
          ['AT#MQCONN?', '#MQCONN: 1,0', 'OK'],
          ['AT#MQEN =1,0', 'OK'],
          // The guide ends this answer with "OK." — a typo; the result code is OK.
          ['AT#MQEN?', '#MQEN: 1,0', '#MQEN: 2,0', 'OK'],
        ]);
        await delay(20);
        assert.deepEqual(broker.packets, [0x10, 0xe0]);
      });
    }

    it('§10.1.2 connection with an AWS-like server (platform 30): #SSLCFG, SNI and TLS 1.2', async () => {
      await start('30');
      await module.transcript([
        [`AT#MQCFG=1,"localhost",${broker.port},1,1`, 'OK'],
        ['AT#SSLSECCFG=1,0,2', 'OK'],
      ]);
      await upload();
      await module.transcript([
        ['AT#SSLCFG=1,1,300,90,100,50,0,0,1,0', 'OK'],
        ['AT#SSLSECCFG2=1,3,1', 'OK'],
        ['AT#MQCFG2=1,60,1', 'OK'],
        ['AT#MQTCFG=1,30', 'OK'],
        ['AT#MQCONN=1,"client_id","", ""', 'OK'],
        ['AT#MQCONN?', '#MQCONN: 1,1', 'OK'],
      ]);
      assert.equal(broker.stats.servername, 'localhost');
    });

    it('§10.1.3 connection with an AWS-like server (platform 37): customCA and preloaded CA masks', async () => {
      await start('37');
      await module.transcript([
        [`AT#MQCFG=1,"localhost",${broker.port},1,1`, 'OK'],
        ['AT#SSLSECCFG=1,0,2', 'OK'],
      ]);
      await upload();
      await module.transcript([
        ['AT#SSLCFG=1,1,300,90,100,50,0,0,1,0,0,0', 'OK'],
        ['AT#SSLSECCFG2=1,3,1,1,1', 'OK'],
        ['AT#MQCFG2=1,60,1', 'OK'],
        ['AT#MQTCFG=1,30', 'OK'],
        ['AT#MQCONN=1,"client_id","", ""', 'OK'],
        ['AT#MQCONN?', '#MQCONN: 1,1', 'OK'],
      ]);
    });

    it('fails #MQCONN with the handshake error when the broker refuses the client', async () => {
      await start('30');
      await module.transcript([
        [`AT#MQCFG=1,"localhost",${broker.port},1,1`, 'OK'],
        ['AT#SSLSECCFG=1,0,1', 'OK'],
      ]);
      await module.uploadPem(1, 1, testPki().ca.cert);
      await module.expect('AT#MQCONN=1,"client_id","",""', '+CME ERROR: SSL error during handshake');
      await module.expect('AT#MQCONN?', '#MQCONN: 1,0', 'OK');
    });
  });

  it('sends through #SSLSEND after the HTTP client gave SSL back', async () => {
    const server = await startServer((socket) => socket.on('data', (d: Buffer) => socket.write(d)));
    closables.push(server);
    module = await Module.start({ platform: '30' });
    await module.expect('AT#HTTPCFG=0,"example.com",443,0,,,1,120,1', 'OK');
    await module.expect('AT#HTTPCFG=0,"example.com",443,0,,,0,120,1', 'OK');
    await module.ready();
    await module.expect(`AT#SSLD=1,${server.port},"127.0.0.1",0,1`, 'OK');
    assert.equal(await module.prompted('AT#SSLSEND=1', `ping${CTRL_Z}`), '\r\n> ' + frame('OK'));
    assert.equal(await module.at('AT#SSLRECV=1,10'), '\r\n#SSLRECV: 4\r\nping' + frame('OK'));
  });
});
