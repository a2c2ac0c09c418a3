/**
 * Every vendor dialect masks the 3GPP TS 27.007 secrets as well as its own, through one
 * parameter-position redactor. The loops run over `VENDORS`, so a dialect added later is held to
 * the same lines without touching this file.
 */
import { strict as assert } from 'node:assert';
import { AtEngine, type TraceEntry, type Urc } from '../../../src/at';
import { dialectOf, VENDORS } from '../../../src/adapters';
import { ubloxDialect } from '../../../src/adapters/ublox/dialect';
import { dialectRedaction, type VendorDialect } from '../../../src/adapters/types';
import { FakeLink } from '../../support/fake-link';

describe('secrets in raw command lines, per dialect', () => {
  describe('the 27.007 secrets, in every dialect', () => {
    for (const vendor of VENDORS) {
      const dialect = dialectOf(vendor);

      it(`${vendor}: the SIM PIN and the APN password, quoted or not, alone or after another command`, () => {
        assert.equal(dialect.redactCommand('AT+CPIN="8642"'), 'AT+CPIN="***"');
        assert.equal(dialect.redactCommand('AT+CPIN=8642'), 'AT+CPIN=***');
        assert.equal(dialect.redactCommand('at+cpin = 8642'), 'at+cpin = ***');
        assert.equal(dialect.redactCommand('AT+CMEE=1;+CPIN="8642"'), 'AT+CMEE=1;+CPIN="***"');
        assert.equal(dialect.redactCommand('AT+CGAUTH=1,1,"user","pw"'), 'AT+CGAUTH=1,1,"user","***"');
        assert.equal(dialect.redactCommand('AT+CGAUTH=1,1,user,pw'), 'AT+CGAUTH=1,1,user,***');
        assert.equal(dialect.redactCommand('AT+CPWD="SC","8642","2468"'), 'AT+CPWD="SC","***","***"');
      });

      it(`${vendor}: raw SIM answers and stored passwords are never traced; ordinary commands are left alone`, () => {
        assert.equal(dialect.secretResponse('AT+CRSM=176,28589,0,0,4'), true);
        assert.equal(dialect.secretResponse('AT+CGAUTH?'), true);
        assert.equal(dialect.secretResponse('AT+CGMI'), false);
        assert.equal(dialect.redactCommand('AT+CGDCONT=1,"IP","internet"'), 'AT+CGDCONT=1,"IP","internet"');
        assert.equal(dialect.redactCommand('AT+CPIN?'), 'AT+CPIN?');
      });
    }

    it('a dialect cannot be written with a redactor of its own that skips the standard rules', () => {
      const base = dialectOf('xbee3');
      // A hand-written function is not a CommandRedactor: only dialectRedaction() makes one.
      // @ts-expect-error the type refuses it (the build fails if it ever accepts it)
      const handWritten: VendorDialect = { ...base, redactCommand: (line: string) => line };
      assert.ok(handWritten);
      const composed: VendorDialect = { ...base, ...dialectRedaction({ parameters: [{ name: '#OWN', secret: [0] }] }) };
      assert.equal(composed.redactCommand('AT#OWN=x;+CPIN=8642'), 'AT#OWN=***;+CPIN=***');
    });
  });

  describe('Telit', () => {
    const redact = dialectOf('telit').redactCommand;

    it('#SGACT, #FTPOPEN, #MQCONN, #HTTPCFG passwords, quoted or not', () => {
      assert.equal(redact('AT#SGACT=1,1,"user","s3cret"'), 'AT#SGACT=1,1,"user","***"');
      assert.equal(redact('AT#SGACT=1,1,user,s3cret'), 'AT#SGACT=1,1,user,***');
      assert.equal(redact('AT#FTPOPEN="ftp.example:21","anne","s3cret",1'), 'AT#FTPOPEN="ftp.example:21","anne","***",1');
      assert.equal(redact('at#ftpopen="ftp.example:21",anne,s3cret,1'), 'at#ftpopen="ftp.example:21",anne,***,1');
      assert.equal(redact('AT#MQCONN=1,"client_id","user","s3cret"'), 'AT#MQCONN=1,"client_id","user","***"');
      assert.equal(redact('AT#MQCONN=1,client_id,user,s3cret'), 'AT#MQCONN=1,client_id,user,***');
      assert.equal(redact('AT#HTTPCFG=0,"server",443,1,"user","s3cret",1,120,1'), 'AT#HTTPCFG=0,"server",443,1,"user","***",1,120,1');
      assert.equal(redact('AT#HTTPCFG=0,"a,b",443,1,user,s3cret,1,120,1'), 'AT#HTTPCFG=0,"a,b",443,1,user,***,1,120,1');
      assert.equal(redact('AT#SSLD=1,443,"example.com",0,1'), 'AT#SSLD=1,443,"example.com",0,1');
      assert.equal(redact('AT+CMEE=1;#SGACT=1,1,"u","s3cret"'), 'AT+CMEE=1;#SGACT=1,1,"u","***"');
    });

    it('the read form of #HTTPCFG is secret', () => {
      assert.equal(dialectOf('telit').secretResponse('AT#HTTPCFG?'), true);
      assert.equal(dialectOf('telit').secretResponse('AT#SSLCFG?'), false);
    });
  });

  describe('u-blox', () => {
    const redact = dialectOf('ublox').redactCommand;
    const secret = dialectOf('ublox').secretResponse;

    it('+USECPRF op 7, 8, 9, quoted or not', () => {
      assert.equal(redact('AT+USECPRF=0,7,"xxxxx"'), 'AT+USECPRF=0,7,"***"');
      assert.equal(redact('AT+USECPRF=0,7,xxxxx'), 'AT+USECPRF=0,7,***');
      assert.equal(redact('AT+USECPRF=0,8,"0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx",0'), 'AT+USECPRF=0,8,"***",0');
      assert.equal(redact('at+usecprf = 0 , 8 , psk , 1'), 'at+usecprf = 0 , 8 , *** , 1');
      assert.equal(redact('AT+USECPRF=0,9,"identity"'), 'AT+USECPRF=0,9,"***"');
      assert.equal(redact('AT+USECPRF=0,10,"server_sni"'), 'AT+USECPRF=0,10,"server_sni"');
    });

    it('+USECPRF op 13: the session data of every tag the manual lists, not the sizes, status or type', () => {
      assert.equal(redact('AT+USECPRF=0,13,2,"VWY5","SHVS"'), 'AT+USECPRF=0,13,2,"***","***"');
      assert.equal(redact('AT+USECPRF=0,13,2,VWY5,SHVS'), 'AT+USECPRF=0,13,2,***,***');
      assert.equal(redact('AT+USECPRF=0,13,3,"MIHOAgEC",332'), 'AT+USECPRF=0,13,3,"***",332');
      assert.equal(redact('AT+USECPRF=0,13,12,"AAECAwQF",156'), 'AT+USECPRF=0,13,12,"***",156');
      assert.equal(redact('AT+USECPRF=0,13,13,"MIHOAgEC",364'), 'AT+USECPRF=0,13,13,"***",364');
      // Tags 5 and 15 send the data after a prompt: the line only has its size.
      assert.equal(redact('AT+USECPRF=0,13,5,2320'), 'AT+USECPRF=0,13,5,2320');
      assert.equal(redact('AT+USECPRF=0,13,15,2408'), 'AT+USECPRF=0,13,15,2408');
      // A tag the manual does not list is treated as session data.
      assert.equal(redact('AT+USECPRF=0,13,7,"x",1'), 'AT+USECPRF=0,13,7,"***",***');
      assert.equal(redact('AT+USECPRF=0,13,0,1'), 'AT+USECPRF=0,13,0,1');
      assert.equal(redact('AT+USECPRF=0,13,1,10'), 'AT+USECPRF=0,13,1,10');
    });

    it('+USECMNG op 0/1 password, +UAUTHREQ password, and nothing else', () => {
      assert.equal(redact('AT+USECMNG=0,2,"key",1200,"pw"'), 'AT+USECMNG=0,2,"key",1200,"***"');
      assert.equal(redact('AT+USECMNG=1,2,"key","key.der",pw'), 'AT+USECMNG=1,2,"key","key.der",***');
      assert.equal(redact('AT+USECMNG=0,0,"AddTrustCA",1327'), 'AT+USECMNG=0,0,"AddTrustCA",1327');
      assert.equal(redact('AT+USECMNG=2,0,"AddTrustCA"'), 'AT+USECMNG=2,0,"AddTrustCA"');
      assert.equal(redact('AT+UAUTHREQ=1,3,"user","pw"'), 'AT+UAUTHREQ=1,3,"user","***"');
      assert.equal(redact('AT+UAUTHREQ=1,3,user,pw'), 'AT+UAUTHREQ=1,3,user,***');
    });

    it('reading a secret op or session data back is secret; status, type and other ops are not', () => {
      for (const line of ['AT+USECPRF=0,7', 'AT+USECPRF=0,8', 'AT+USECPRF=0,9', 'AT+USECPRF=0,13', 'AT+USECPRF=0,13,2', 'AT+USECPRF=0,13,3', 'AT+USECPRF=0,13,5', 'AT+USECPRF=0,13,12', 'AT+USECPRF=0,13,13', 'AT+USECPRF=0,13,15', 'AT+UAUTHREQ?']) {
        assert.equal(secret(line), true, line);
      }
      for (const line of ['AT+USECPRF=0,3', 'AT+USECPRF=0,13,0', 'AT+USECPRF=0,13,1', 'AT+USECPRF=?', 'AT+USECMNG=3']) {
        assert.equal(secret(line), false, line);
      }
    });

    describe('+UUSECPRF: session data (tags 2 and 12) never in the trace nor in the published line', () => {
      const ID = 'VWY5UENs0Hh3VWR1MjB2WTVMYVZ5TTdE0WpMeWZWeHo=';
      const MASTER = 'SHVSODByUit0My9OMEtIT2ZsVVFRcUsyTkdvaz0nWVFhRzdQZUpndG9IMzN4ZTBo';
      const ENCRYPTED = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/Ljgstf1cLaEO2D8IMbxHcQlGfhVxC0in6aGVlSJGBWCAAKJo6Qw5Q+ugXaRZFquG0O69WeHnPRBkcwY2SN4bwnDbyR+709i0pt2nlaYMSCL77MAA=';
      let engine: AtEngine | undefined;

      afterEach(() => engine?.close('test over'));

      async function through(...lines: string[]): Promise<{ urcs: Urc[]; traces: TraceEntry[] }> {
        const link = new FakeLink();
        link.respond((command) => (command === 'AT' ? '\r\nOK\r\n' : undefined));
        const traces: TraceEntry[] = [];
        const urcs: Urc[] = [];
        engine = new AtEngine({ link, dialect: ubloxDialect, defaultTimeoutMs: 1000, trace: (t) => traces.push(t) });
        engine.on('urc', (urc: Urc) => urcs.push(urc));
        await engine.sync();
        link.feed(lines.map((l) => `\r\n${l}\r\n`).join(''));
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { urcs, traces };
      }

      it('tag 2: session id and master secret (seeds/003 line 659)', async () => {
        const { urcs, traces } = await through(`+UUSECPRF: 0,13,2,"${ID}","${MASTER}"`);
        assert.deepEqual(urcs.map((u) => u.raw), ['+UUSECPRF: 0,13,2,"***","***"']);
        assert.ok(traces.some((t) => t.text === '+UUSECPRF: 0,13,2,"***","***"'), 'the URC is traced, masked');
        const said = JSON.stringify([urcs, traces]);
        assert.ok(!said.includes(ID) && !said.includes(MASTER), said);
      });

      it('tag 12: encrypted session data; its size stays (seeds/003 line 713)', async () => {
        const { urcs, traces } = await through(`+UUSECPRF: 0,13,12,"${ENCRYPTED}",156`);
        assert.deepEqual(urcs.map((u) => u.raw), ['+UUSECPRF: 0,13,12,"***",156']);
        assert.ok(traces.some((t) => t.text === '+UUSECPRF: 0,13,12,"***",156'), 'the URC is traced, masked');
        assert.ok(!JSON.stringify([urcs, traces]).includes(ENCRYPTED.slice(0, 24)));
      });

      it('status and type are published as they are, and parsed', async () => {
        const { urcs } = await through('+UUSECPRF: 0,13,0,2', '+UUSECPRF: 0,13,1,0');
        assert.deepEqual(urcs.map((u) => u.raw), ['+UUSECPRF: 0,13,0,2', '+UUSECPRF: 0,13,1,0']);
        assert.deepEqual(urcs[0].fields, { profile: 0, op: 13, tag: 0, value: 2 });
      });
    });
  });

  describe('Fibocom', () => {
    it('+MIPCALL password, quoted or not', () => {
      const redact = dialectOf('fibocom').redactCommand;
      assert.equal(redact('AT+MIPCALL=1,"CMNET","user","s3cret"'), 'AT+MIPCALL=1,"CMNET","user","***"');
      assert.equal(redact('AT+MIPCALL=1,CMNET,user,s3cret'), 'AT+MIPCALL=1,CMNET,user,***');
      assert.equal(redact('AT+MIPCALL=1,"CMNET"'), 'AT+MIPCALL=1,"CMNET"');
    });
  });

  describe('Inventek eS-WiFi', () => {
    it('C2 (the passphrase) is masked whole, commas and semicolons included', () => {
      const redact = dialectOf('eswifi').redactCommand;
      assert.equal(redact('C2=s3cret'), 'C2=***');
      assert.equal(redact('c2=s3c,ret;more'), 'c2=***');
      assert.equal(redact('C1=my-network'), 'C1=my-network');
      assert.equal(redact('P1=3'), 'P1=3');
    });
  });
});
