/**
 * SSL configuration on the simulated Telit module, against the SSL/TLS User Guide 1vv0300989:
 * the §6.8 transcripts byte for byte (ATE0, verbose framing), then what differs per platform.
 */
import { strict as assert } from 'node:assert';
import { attachTelitInstance, telitDevice } from '../../../src/simulator/dialects/telit';
import { CTRL_Z, ESC, frame, Module, Port, testPki } from './telit-harness.test';

describe('simulator: Telit SSL configuration (§6)', () => {
  let module: Module;
  let second: Port | undefined;

  afterEach(() => {
    second?.detach();
    second?.modem.close();
    second = undefined;
    module?.close();
  });

  async function secondPort(): Promise<Port> {
    second = new Port(attachTelitInstance(module.modem, { escapeGuardMs: 30 }));
    await second.echoOff();
    return second;
  }

  describe('§6.8 transcripts', () => {
    it('§6.8.1 #SSLEN in a module providing one SSL socket (HE910, two AT instances)', async () => {
      module = await Module.start({ platform: '12' });
      const com1 = module;
      // "Use COM1, instance 1 (parser AT0)"
      await com1.transcript([
        ['AT+CGMM', 'HE910', 'OK'],
        ['AT#PORTCFG?', '#PORTCFG: 0,0', 'OK'],
        ['AT#SSLCFG=?', '#SSLCFG: (1),(1),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)', 'OK'],
        ['AT+CMEE=2', 'OK'],
        ['AT#SSLEN?', '#SSLEN: 1,0', 'OK'],
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLEN?', '#SSLEN: 1,1', 'OK'],
      ]);
      // "Connect USB cable, and use COM4, instance 2 (Parser AT1)"
      const com4 = await secondPort();
      await com4.transcript([
        ['AT+CMEE?', '+CMEE: 0', 'OK'],
        ['AT+CMEE=2', 'OK'],
        ['AT#SSLEN?', '#SSLEN: 1,1', 'OK'],
        ['AT#SSLEN=1,0', '+CME ERROR: Resource used by another instance'],
      ]);
      await com1.transcript([
        ['AT#SSLEN=1,0', 'OK'],
        ['AT#SSLEN?', '#SSLEN: 1,0', 'OK'],
      ]);
      await com4.transcript([
        ['AT#SSLEN?', '#SSLEN: 1,0', 'OK'],
        ['AT#SSLEN=1,1', 'OK'],
      ]);
      // The guide ends this last line with a full stop; the module's text has none (as above).
      await com1.transcript([
        ['AT#SSLEN?', '#SSLEN: 1,1', 'OK'],
        ['AT#SSLEN=1,0', '+CME ERROR: Resource used by another instance'],
      ]);
      await com1.transcript([
        ['AT+CMEE=1', 'OK'],
        ['AT#SSLEN=1,0', '+CME ERROR: 612'],
      ]);
    });

    it('§6.8.2 #SSLEN in a module providing several SSL sockets (LE866, two AT instances)', async () => {
      module = await Module.start({ platform: '23' });
      const com1 = module;
      const all = (states: number[]): string[] => [...states.map((s, i) => `#SSLEN: ${i + 1},${s}`), 'OK'];
      await com1.transcript([
        ['AT+CGMM', 'LE866-SV1', 'OK'],
        ['AT#PORTCFG?', '#PORTCFG: 1,1', 'OK'],
        ['AT#SSLCFG=?', '#SSLCFG: (1-6),(1-5),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0),(0)', 'OK'],
        ['AT+CMEE=2', 'OK'],
        ['AT#SSLEN?', ...all([0, 0, 0, 0, 0, 0])],
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLEN?', ...all([1, 0, 0, 0, 0, 0])],
      ]);
      const com25 = await secondPort();
      await com25.transcript([
        ['AT+CMEE?', '+CMEE: 0', 'OK'],
        ['AT+CMEE=2', 'OK'],
        ['AT#SSLEN?', ...all([1, 0, 0, 0, 0, 0])],
        ['AT#SSLEN=1,0', '+CME ERROR: Resource used by another instance'],
        ['AT#SSLEN=2,1', 'OK'],
      ]);
      await com1.transcript([
        ['AT#SSLEN=1,0', 'OK'],
        ['AT#SSLEN?', ...all([0, 1, 0, 0, 0, 0])],
        ['AT#SSLEN=2,0', '+CME ERROR: Resource used by another instance'],
        ['AT#SSLEN=3,1', 'OK'],
        ['AT#SSLEN=4,1', 'OK'],
        ['AT#SSLEN?', ...all([0, 1, 1, 1, 0, 0])],
      ]);
      await com25.transcript([
        ['AT#SSLEN?', ...all([0, 1, 1, 1, 0, 0])],
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLEN?', ...all([1, 1, 1, 1, 0, 0])],
        ['AT#SSLEN=4,0', '+CME ERROR: Resource used by another instance'],
      ]);
      // An SSId enabled on the other instance cannot be configured from this one either (§6.2.2).
      await com25.expect('AT#SSLSECCFG=3,0,0', '+CME ERROR: Resource used by another instance');
    });

    it('§6.8.3.1 the #SSLEN command and the other SSL commands (HE910)', async () => {
      module = await Module.start({ platform: '12' });
      await module.transcript([
        ['AT+CGMM', 'HE910', 'OK'],
        ['AT+CMEE=2', 'OK'],
        ['AT#SSLEN=?', '#SSLEN: (1),(0,1)', 'OK'],
        ['AT#SSLEN?', '#SSLEN: 1,0', 'OK'],
        ['AT#SSLSECCFG2?', '+CME ERROR: SSL not activated'],
        ['AT#SSLSECCFG?', '+CME ERROR: SSL not activated'],
        ['AT#SSLCFG?', '+CME ERROR: SSL not activated'],
      ]);
      // The guide prints `AT#SSELEN=1,1` here (and in §8.2): a misspelling a real module refuses.
      await module.expect('AT#SSELEN=1,1', 'ERROR');
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG2?', '#SSLSECCFG2: 1,1,0,0,0,0', 'OK'],
        ['AT#SSLSECCFG?', '#SSLSECCFG: 1,0,0', 'OK'],
        ['AT#SSLCFG?', '#SSLCFG: 1,1,300,90,100,50,0,0,0,0', 'OK'],
      ]);
    });

    it('§6.8.4.1 verify none works on every platform', async () => {
      for (const platform of ['10', '13', '16', '12', '20', '23', '25-linux', '25-threadx', '30', '37', '52'] as const) {
        module = await Module.start({ platform });
        await module.transcript([
          ['AT#SSLEN=1,1', 'OK'],
          ['AT#SSLSECCFG=1,0,0', 'OK'],
        ]);
        module.close();
      }
    });

    it('§6.8.5.1 server authentication, 2G: cipher 1, CA in PEM', async () => {
      module = await Module.start({ platform: '10' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,1,1', 'OK'],
      ]);
      await module.uploadPem(1, 1, testPki().ca.cert);
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,0,1,0', 'OK');
    });

    it('§6.8.5.2 server authentication, 3G/4G: DER by size, then PEM to Ctrl-Z', async () => {
      module = await Module.start({ platform: '12' });
      const { ca } = testPki();
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,0,1,0', 'OK'],
      ]);
      await module.uploadDer(1, 1, ca.certDer);
      assert.equal(telitDevice(module.modem)!.slot(1).nvm.get(1)?.format, 'der');
      await module.expect('AT#SSLSECCFG=1,0,1,1', 'OK');
      await module.uploadPem(1, 1, ca.cert);
      assert.equal(telitDevice(module.modem)!.slot(1).nvm.get(1)?.format, 'pem');
    });

    it('§6.8.6.1 server/client authentication, 2G: certificate, CA and RSA key in PEM', async () => {
      module = await Module.start({ platform: '16' });
      const { ca, client } = testPki();
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,0,2', 'OK'],
      ]);
      await module.uploadPem(1, 0, client.cert);
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,1,1,1', 'OK');
    });

    it('§6.8.6.2 server/client authentication, 3G/4G: DER, then PEM', async () => {
      module = await Module.start({ platform: '20' });
      const { ca, client } = testPki();
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,0,2,0', 'OK'],
      ]);
      await module.uploadDer(1, 0, client.certDer);
      await module.uploadDer(1, 1, ca.certDer);
      await module.uploadDer(1, 2, client.keyRsaDer!);
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,1,1,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECDATA: ${n},0,0,0`), 'OK');
      await module.expect('AT#SSLSECCFG=1,0,2,1', 'OK');
      await module.uploadPem(1, 0, client.cert);
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
      await module.expect('AT#SSLSECCFG?', ...Array.from({ length: 6 }, (_, i) => (i === 0 ? '#SSLSECCFG: 1,0,2,1' : `#SSLSECCFG: ${i + 1},0,0`)), 'OK');
    });

    it('echoes a PEM upload as it is typed when echo is on (§6.8.5: `> -----BEGIN CERTIFICATE-----<LF>`)', async () => {
      module = await Module.start({ platform: '30' });
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.expect('ATE1', 'OK');
      const pem = testPki().ca.cert;
      const text = await module.prompted(`AT#SSLSECDATA=1,1,1,${pem.length}`, pem + CTRL_Z);
      assert.equal(text, `AT#SSLSECDATA=1,1,1,${pem.length}\r\r\n> ${pem}` + frame('OK'));
    });
  });

  describe('#SSLSECCFG and #SSLSECCFG2 per platform (§6.2, §6.3)', () => {
    it('reports <cert_format> only once it was given (§6.2.2), and forgets that at power-on', async () => {
      module = await Module.start({ platform: '23' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,3,1', 'OK'],
        ['AT#SSLSECCFG?', '#SSLSECCFG: 1,3,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECCFG: ${n},0,0`), 'OK'],
        ['AT#SSLSECCFG=1,3,1,1', 'OK'],
        ['AT#SSLSECCFG=1,5,1', 'OK'],
        ['AT#SSLSECCFG?', '#SSLSECCFG: 1,5,1,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECCFG: ${n},0,0`), 'OK'],
      ]);
      await module.modem.reboot();
      await module.echoOff();
      await module.transcript([
        ['AT#SSLEN?', ...[1, 2, 3, 4, 5, 6].map((n) => `#SSLEN: ${n},0`), 'OK'],
        ['AT#SSLEN=1,1', 'OK'],
        // #SSLSECCFG itself survives (stored in NVM), the format choice does not.
        ['AT#SSLSECCFG?', '#SSLSECCFG: 1,5,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECCFG: ${n},0,0`), 'OK'],
      ]);
    });

    it('takes the cipher suites of each platform (§6.2, §12.1), hex codes on 37, 25 ThreadX and 52', async () => {
      const cases: Array<[string, string[], string[], string]> = [
        ['10', ['1', '6'], ['7', '0x002F'], '#SSLSECCFG: (1),(0-6),(0-2)'],
        ['12', ['4', '5'], ['6'], '#SSLSECCFG: (1),(0-5),(0-2),(0,1)'],
        ['25-linux', ['10'], ['11'], '#SSLSECCFG: (1-6),(0-10),(0-2),(0,1)'],
        ['30', ['3', '13'], ['1', '0x002F'], '#SSLSECCFG: (1-6),(0,3,5,7,9-13),(0-2)'],
        ['37', ['3', '0x002F', '0xc02f', '0x1301'], ['1', '0xc004'], ''],
        ['52', ['0x002f', '0xC0A1'], ['3', '0x1301'], ''],
      ];
      for (const [platform, good, bad, test] of cases) {
        module = await Module.start({ platform: platform as '10' });
        await module.expect('AT+CMEE=1', 'OK');
        await module.expect('AT#SSLEN=1,1', 'OK');
        for (const suite of good) await module.expect(`AT#SSLSECCFG=1,${suite},0`, 'OK');
        for (const suite of bad) await module.expect(`AT#SSLSECCFG=1,${suite},0`, '+CME ERROR: 4');
        if (test) await module.expect('AT#SSLSECCFG=?', test, 'OK');
        module.close();
      }
      module = await Module.start({ platform: '37' });
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.expect('AT#SSLSECCFG=1,0x009C,1', 'OK');
      const read = await module.at('AT#SSLSECCFG?');
      assert.ok(read.startsWith('\r\n#SSLSECCFG: 1,0x009C,1\r\n'), read);
      const test = await module.at('AT#SSLSECCFG=?');
      assert.ok(test.startsWith('\r\n#SSLSECCFG: (1-6),(0,3,5,7,9-13,0x002F,0x0033,'), test);
    });

    it('2G modules have no #SSLSECCFG2 and no <cert_format> (§6.3.1, §6.2.1)', async () => {
      module = await Module.start({ platform: '13' });
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.expect('AT#SSLSECCFG2=?', 'ERROR');
      await module.expect('AT#SSLSECCFG2=1,3', 'ERROR');
      await module.expect('AT#SSLSECCFG=1,0,1,0', 'ERROR');
      await module.expect('AT#SSLSECCFG=1,0,1,1', 'ERROR');
    });

    it('platforms 30, 37 and 52 have no <cert_format>: no DER (§6.2.5, §6.5)', async () => {
      for (const platform of ['30', '37', '52'] as const) {
        module = await Module.start({ platform });
        await module.expect('AT+CMEE=2', 'OK');
        await module.expect('AT#SSLEN=1,1', 'OK');
        await module.expect('AT#SSLSECCFG=1,0,1,0', '+CME ERROR: operation not supported');
        module.close();
      }
    });

    it('#SSLSECCFG2 in the three forms of §6.3', async () => {
      module = await Module.start({ platform: '20' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG2=?', '#SSLSECCFG2: (1-6),(0-3),(0),(0),(0),(0)', 'OK'],
        ['AT#SSLSECCFG2=1,2', 'OK'],
        ['AT#SSLSECCFG2=1,3,0,0,0,0', 'OK'],
        ['AT#SSLSECCFG2=1,3,1', 'ERROR'],
        ['AT#SSLSECCFG2=1,4', 'ERROR'],
      ]);
      module.close();
      module = await Module.start({ platform: '30' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG2=?', '#SSLSECCFG2: (1-6),(1-3),(0,1),(0),(0),(0)', 'OK'],
        ['AT#SSLSECCFG2=1,3,1', 'OK'],
        // §12.1.6: TLS 1.3 only for FTP, not on SSL sockets.
        ['AT#SSLSECCFG2=1,4,1', 'ERROR'],
      ]);
      const read30 = await module.at('AT#SSLSECCFG2?');
      assert.ok(read30.startsWith('\r\n#SSLSECCFG2: 1,3,1,0,0,0\r\n'), read30);
      module.close();
      module = await Module.start({ platform: '37' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG2=?', '#SSLSECCFG2: (1-6),(1-4),(0,1),(0-255),(0-255),(1-4)', 'OK'],
        // §6.3.4: <SNI> is not optional here.
        ['AT#SSLSECCFG2=1,3', 'ERROR'],
        ['AT#SSLSECCFG2=1,3,1,1,1', 'OK'],
        ['AT#SSLSECCFG2=1,4,0,0,0,3', 'OK'],
        ['AT#SSLSECCFG2=1,3,0,0,0,4', 'ERROR'],
      ]);
      const read37 = await module.at('AT#SSLSECCFG2?');
      assert.ok(read37.startsWith('\r\n#SSLSECCFG2: 1,4,0,0,0,3\r\n'), read37);
    });
  });

  describe('#SSLCFG per platform (§6.7)', () => {
    it('takes the extras each platform has, with their ranges', async () => {
      module = await Module.start({ platform: '30' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLCFG=?', '#SSLCFG: (1-6),(1-5),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0-2),(0,1),(0,1)', 'OK'],
        // §10.1.2
        ['AT#SSLCFG=1,1,300,90,100,50,0,0,1,0', 'OK'],
        ['AT#SSLCFG=1,1,300,90,100,50,0,0,1,0,0', 'ERROR'],
        ['AT#SSLCFG=1,1,1501,90,100,50', 'ERROR'],
        ['AT#SSLCFG=1,1,300,90,9,50', 'ERROR'],
        ['AT#SSLCFG=1,6,300,90,100,50', 'ERROR'],
      ]);
      const read = await module.at('AT#SSLCFG?');
      assert.ok(read.startsWith(frame('#SSLCFG: 1,1,300,90,100,50,0,0,1,0')), read);
      module.close();
      module = await Module.start({ platform: '37' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLCFG=?', '#SSLCFG: (1-6),(1-5),(0-1500),(0-65535),(10-5000),(0-255),(0-2),(0-2),(0,1),(0,1),(0-1200),(0)', 'OK'],
        // §10.1.3
        ['AT#SSLCFG=1,1,300,90,100,50,0,0,1,0,0,0', 'OK'],
      ]);
      module.close();
      module = await Module.start({ platform: '12' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        // §6.7.1: <noCarrierMode> 0–2; the read form's two reserved zeros may be written back.
        ['AT#SSLCFG=1,1,300,90,100,50,2,2', 'OK'],
        ['AT#SSLCFG?', '#SSLCFG: 1,1,300,90,100,50,2,2,0,0', 'OK'],
        ['AT#SSLCFG=1,1,300,90,100,50,1,0,0,0', 'OK'],
        ['AT#SSLCFG=1,1,300,90,100,50,1,0,1', 'ERROR'],
        // §6.8.1: the HE910 takes only context 1 for SSL.
        ['AT#SSLCFG=1,2,300,90,100,50', 'ERROR'],
      ]);
    });
  });

  describe('#SSLSECDATA (§6.5)', () => {
    it('answers its test form per platform', async () => {
      for (const [platform, answer] of [
        ['10', '#SSLSECDATA: (1),(0-2),(0-2),(1-2047)'],
        ['23', '#SSLSECDATA: (1-6),(0-3),(0-2),(1-4096)'],
        ['37', '#SSLSECDATA: (1-6),(0-2),(0-2),(1-8192)'],
      ] as const) {
        module = await Module.start({ platform });
        await module.expect('AT#SSLSECDATA=?', answer, 'OK');
        module.close();
      }
    });

    it('reads a certificate back, never the private key, and deletes', async () => {
      module = await Module.start({ platform: '30' });
      const { ca, client } = testPki();
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.expect('AT+CMEE=1', 'OK');
      await module.expect('AT#SSLSECDATA=1,2,1', '+CME ERROR: 837');
      await module.uploadPem(1, 1, ca.cert);
      await module.uploadPem(1, 2, client.keyRsaPem!);
      const lines = ca.cert.trimEnd().split('\n');
      assert.equal(await module.at('AT#SSLSECDATA=1,2,1'), frame('#SSLSECDATA: 1,1') + lines.map((l) => `${l}\r\n`).join('') + frame('OK'));
      await module.expect('AT#SSLSECDATA=1,2,2', '+CME ERROR: 3');
      await module.expect('AT#SSLSECDATA=1,0,1', 'OK');
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,0,0,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECDATA: ${n},0,0,0`), 'OK');
    });

    it('reads DER uploads back as PEM text', async () => {
      module = await Module.start({ platform: '12' });
      const { ca } = testPki();
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,0,1,0', 'OK'],
      ]);
      await module.uploadDer(1, 1, ca.certDer);
      const text = await module.at('AT#SSLSECDATA=1,2,1');
      assert.equal(text, frame('#SSLSECDATA: 1,1') + ca.cert.trimEnd().split('\n').map((l) => `${l}\r\n`).join('') + frame('OK'));
    });

    it('refuses what is not a certificate or key, CR line ends, more than <Size>, and a disabled SSId', async () => {
      module = await Module.start({ platform: '30' });
      const { ca, client } = testPki();
      await module.expect('AT+CMEE=2', 'OK');
      await module.expect(`AT#SSLSECDATA=1,1,1,${ca.cert.length}`, '+CME ERROR: SSL not activated');
      await module.expect('AT#SSLEN=1,1', 'OK');
      const refused = '\r\n> ' + frame('+CME ERROR: SSL certs and keys wrong or not stored');
      assert.equal(await module.prompted('AT#SSLSECDATA=1,1,1,100', `not a certificate\n${CTRL_Z}`), refused);
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,1,${ca.cert.length + 40}`, ca.cert.replace(/\n/g, '\r\n') + CTRL_Z), refused);
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,1,${ca.cert.length - 1}`, ca.cert + CTRL_Z), refused);
      // A key where a certificate belongs, and the other way round.
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,0,${client.keyRsaPem!.length}`, client.keyRsaPem! + CTRL_Z), refused);
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,2,${client.cert.length}`, client.cert + CTRL_Z), refused);
      // An encrypted key: the module has no way to be given its password.
      const encrypted = client.encryptedKey('secret');
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,2,${encrypted.length}`, encrypted + CTRL_Z), refused);
      // Over the platform's limit (4096 on platform 30) as <Size>.
      await module.expect('AT#SSLSECDATA=1,1,1,4097', '+CME ERROR: operation not supported');
      await module.expect('AT#SSLSECDATA?', ...[1, 2, 3, 4, 5, 6].map((n) => `#SSLSECDATA: ${n},0,0,0`), 'OK');
    });

    it('aborts a PEM upload on ESC: nothing stored, OK', async () => {
      module = await Module.start({ platform: '30' });
      await module.expect('AT#SSLEN=1,1', 'OK');
      const pem = testPki().ca.cert;
      assert.equal(await module.prompted(`AT#SSLSECDATA=1,1,1,${pem.length}`, pem.slice(0, 100) + ESC), '\r\n> ' + frame('OK'));
      assert.equal(telitDevice(module.modem)!.slot(1).nvm.size, 0);
    });

    it('takes ESC and backspace as data in a DER upload (§6.5)', async () => {
      module = await Module.start({ platform: '20' });
      await module.transcript([
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#SSLSECCFG=1,0,1,0', 'OK'],
      ]);
      // Search for a certificate whose DER holds both control bytes: the PKI's CA and server in turn.
      const { ca, server, client } = testPki();
      const der = [ca.certDer, server.certDer, client.certDer].find((d) => d.includes(0x1b) || d.includes(0x08) || d.includes(0x1a)) ?? ca.certDer;
      await module.uploadDer(1, 1, der);
      assert.deepEqual(telitDevice(module.modem)!.slot(1).nvm.get(1)?.bytes, der);
    });

    it('keeps <Action> 3 data in RAM only (platform 23): lost at power-off, NVM data stays', async () => {
      module = await Module.start({ platform: '23' });
      const { ca, client } = testPki();
      await module.expect('AT#SSLEN=1,1', 'OK');
      await module.uploadPem(1, 1, ca.cert, 1);
      await module.uploadPem(1, 0, client.cert, 3);
      await module.uploadPem(1, 2, client.keyRsaPem!, 3);
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,1,1,1', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECDATA: ${n},0,0,0`), 'OK');
      await module.modem.reboot();
      await module.echoOff();
      await module.expect('AT#SSLSECDATA?', '#SSLSECDATA: 1,0,1,0', ...[2, 3, 4, 5, 6].map((n) => `#SSLSECDATA: ${n},0,0,0`), 'OK');
      module.close();
      module = await Module.start({ platform: '30' });
      await module.expect('AT#SSLEN=1,1', 'OK');
      assert.equal(await module.at(`AT#SSLSECDATA=1,3,1,${ca.cert.length}`), frame('ERROR'));
    });
  });

  describe('the SSL resource shared with HTTP, FTP and MQTT (§6.1 warning)', () => {
    it('refuses #SSLEN while another service holds SSL, and the services while sockets hold it', async () => {
      module = await Module.start({ platform: '30' });
      await module.transcript([
        ['AT+CMEE=2', 'OK'],
        ['AT#HTTPCFG=0,"example.com",443,0,,,1,120,1', 'OK'],
        ['AT#SSLEN=1,1', '+CME ERROR: SSL already activated'],
        ['AT#FTPCFG=100,0,1', '+CME ERROR: SSL already activated'],
        ['AT#HTTPCFG=0,"example.com",443,0,,,0,120,1', 'OK'],
        ['AT#SSLEN=1,1', 'OK'],
        ['AT#HTTPCFG=0,"example.com",443,0,,,1,120,1', '+CME ERROR: SSL already activated'],
        ['AT#MQEN=1,1', 'OK'],
        ['AT#MQCFG=1,"broker",8883,1,1', '+CME ERROR: SSL already activated'],
        ['AT#SSLEN=1,0', 'OK'],
        ['AT#MQCFG=1,"broker",8883,1,1', 'OK'],
        ['AT#MQEN=2,1', 'OK'],
        ['AT#MQCFG=2,"broker",8883,1,1', '+CME ERROR: SSL already activated'],
        ['AT#SSLEN=1,1', '+CME ERROR: SSL already activated'],
        // §10.1.1: with TLS on for MQTT instance 1, the #SSL commands work on SSId 1 without #SSLEN.
        ['AT#SSLSECCFG=1,0,2', 'OK'],
        ['AT#SSLS=1', '#SSLS: 1,1', 'OK'],
        ['AT#SSLSECCFG=2,0,2', '+CME ERROR: SSL not activated'],
      ]);
    });
  });

  describe('network commands (§5)', () => {
    it('activates only a defined context, once, and lists them', async () => {
      module = await Module.start({ platform: '30' });
      await module.transcript([
        ['AT+CMEE=1', 'OK'],
        ['AT#SGACT=2,1', '+CME ERROR: 555'],
        ['AT+CGDCONT=2,"IP","apn2"', 'OK'],
        ['AT#SGACT=2,1', '#SGACT: 10.7.125.8', 'OK'],
        ['AT#SGACT=2,1', '+CME ERROR: 553'],
        ['AT#SGACT?', '#SGACT: 2,1', 'OK'],
        ['AT#SGACT=2,0', 'OK'],
        ['AT#SGACT?', '#SGACT: 2,0', 'OK'],
        ['AT#SGACT=?', '#SGACT: (1-5),(0,1)', 'OK'],
        ['AT+CGDCONT=6,"IP","x"', '+CME ERROR: 4'],
      ]);
    });
  });
});
