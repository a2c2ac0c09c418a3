/**
 * Masking secrets in raw command lines by parameter position: the 3GPP TS 27.007 commands every
 * dialect masks, however the user typed them (quoted or not, lower case, spaces, several commands
 * on one line), and nothing else.
 */
import { strict as assert } from 'node:assert';
import {
  answersWithSecret,
  redactParameters,
  redactStandardSecrets,
  redactValues,
  standardSecretResponse,
  STANDARD_SECRET_PARAMETERS,
} from '../../../src/at';

const redact = redactStandardSecrets;

describe('secrets in command lines', () => {
  describe('the 27.007 commands, quoted and unquoted', () => {
    // [command line, masked form]; each secret is a digit string that appears nowhere else on the line.
    const cases: Array<[string, string]> = [
      ['AT+CPIN="8642"', 'AT+CPIN="***"'],
      ['AT+CPIN=8642', 'AT+CPIN=***'],
      ['AT+CPIN="86427531","2468"', 'AT+CPIN="***","***"'],
      ['AT+CPIN=86427531,2468', 'AT+CPIN=***,***'],
      ['AT+CPIN2="8642"', 'AT+CPIN2="***"'],
      ['AT+CPIN2=86427531,2468', 'AT+CPIN2=***,***'],
      ['AT+CPWD="SC","8642","2468"', 'AT+CPWD="SC","***","***"'],
      ['AT+CPWD=SC,8642,2468', 'AT+CPWD=SC,***,***'],
      ['AT+CLCK="SC",1,"8642"', 'AT+CLCK="SC",1,"***"'],
      ['AT+CLCK="AO",1,8642,7', 'AT+CLCK="AO",1,***,7'],
      ['AT+CGAUTH=1,1,"user","s3cret"', 'AT+CGAUTH=1,1,"user","***"'],
      ['AT+CGAUTH=1,2,user,s3cret', 'AT+CGAUTH=1,2,user,***'],
      ['AT+CACM="8642"', 'AT+CACM="***"'],
      ['AT+CACM=8642', 'AT+CACM=***'],
      ['AT+CAMM="00001E","8642"', 'AT+CAMM="00001E","***"'],
      ['AT+CAMM=30,8642', 'AT+CAMM=30,***'],
      ['AT+CPUC="GBP","0.20","8642"', 'AT+CPUC="GBP","0.20","***"'],
      ['AT+CPUC=GBP,0.20,8642', 'AT+CPUC=GBP,0.20,***'],
      ['AT+CMAR="8642"', 'AT+CMAR="***"'],
      ['AT+CMAR=8642', 'AT+CMAR=***'],
      // A VERIFY PIN APDU (CLA 00, INS 20, P2 01, Lc 08, PIN 8642 padded with FF).
      ['AT+CSIM=26,"002000010838363432FFFFFFFF"', 'AT+CSIM=26,"***"'],
      ['AT+CSIM=26,002000010838363432FFFFFFFF', 'AT+CSIM=26,***'],
      ['AT+CRSM=214,28423,0,0,3,"864200"', 'AT+CRSM=214,28423,0,0,3,"***"'],
      ['AT+CRSM=214,28423,0,0,3,864200,"3F007FFF"', 'AT+CRSM=214,28423,0,0,3,***,"3F007FFF"'],
      ['AT+CGLA=1,26,"002000010838363432FFFFFFFF"', 'AT+CGLA=1,26,"***"'],
      ['AT+CRLA=1,214,28423,0,0,3,"864200"', 'AT+CRLA=1,214,28423,0,0,3,"***"'],
      ['AT+CSCC=2,0,"8642ABCD"', 'AT+CSCC=2,0,"***"'],
    ];
    for (const [line, masked] of cases) {
      it(`${line} → ${masked}`, () => {
        assert.equal(redact(line), masked);
      });
    }

    it('every standard rule is exercised above', () => {
      const covered = new Set(cases.map(([line]) => /^AT(\+[A-Z0-9]+)=/.exec(line)![1]));
      assert.deepEqual(STANDARD_SECRET_PARAMETERS.map((r) => r.name).filter((name) => !covered.has(name)), []);
    });
  });

  describe('however the line is written', () => {
    it('lower case, spaces around = and commas, a trailing line end', () => {
      assert.equal(redact('at+cpin="8642"'), 'at+cpin="***"');
      assert.equal(redact('at+cpin=8642'), 'at+cpin=***');
      assert.equal(redact('AT+CPIN = "8642"'), 'AT+CPIN = "***"');
      assert.equal(redact('AT+CPIN= 8642 , 2468 '), 'AT+CPIN= *** , *** ');
      assert.equal(redact('AT + CPIN = 8642'), 'AT + CPIN = ***');
      assert.equal(redact('AT+CPIN=8642\r\n'), 'AT+CPIN=***\r\n');
    });

    it('several commands joined by ;, and a trailing ;', () => {
      assert.equal(redact('AT+CMEE=1;+CPIN="1234"'), 'AT+CMEE=1;+CPIN="***"');
      assert.equal(redact('AT+CMEE=1;+CPIN=1234;+CGMI'), 'AT+CMEE=1;+CPIN=***;+CGMI');
      assert.equal(redact('AT+CPIN="1234";'), 'AT+CPIN="***";');
      assert.equal(redact('AT+CPIN=1234;+CLCK="SC",1,5678'), 'AT+CPIN=***;+CLCK="SC",1,***');
      assert.equal(redact('AT+CGDCONT=1,"IP","a;b";+CGAUTH=1,1,"u","pw"'), 'AT+CGDCONT=1,"IP","a;b";+CGAUTH=1,1,"u","***"');
      // A basic command needs no separator before an extended one (V.250 §5.2.1).
      assert.equal(redact('ATE0+CPIN=1234'), 'ATE0+CPIN=***');
    });

    it('commas and semicolons inside quotes do not split', () => {
      assert.equal(redact('AT+CGAUTH=1,1,"us,er","p,w;x"'), 'AT+CGAUTH=1,1,"us,er","***"');
      assert.equal(redact('AT+CPIN="12,34"'), 'AT+CPIN="***"');
    });

    it('empty parameters stay empty, the others keep their places', () => {
      assert.equal(redact('AT+CLCK="SC",1,,7'), 'AT+CLCK="SC",1,,7');
      assert.equal(redact('AT+CGAUTH=1,1,,"pw"'), 'AT+CGAUTH=1,1,,"***"');
      assert.equal(redact('AT+CACM='), 'AT+CACM=');
      assert.equal(redact('AT+CPIN=""'), 'AT+CPIN="***"');
    });

    it('an unclosed quote or an escaped quote masks more, never less', () => {
      assert.equal(redact('AT+CPIN="8642'), 'AT+CPIN="***"');
      assert.equal(redact('AT+CPIN="86\\"42,1357"'), 'AT+CPIN="***"');
      assert.equal(redact('AT+CPIN="8642;+CGMI'), 'AT+CPIN="***"');
    });

    it('a second line after CR or LF is a new command line', () => {
      assert.equal(redact('AT+CGMI\rAT+CPIN=8642'), 'AT+CGMI\rAT+CPIN=***');
      assert.equal(redact('AT+CPIN="8642\nAT+CPIN=1357'), 'AT+CPIN="***"\nAT+CPIN=***');
    });
  });

  describe('nothing else is touched', () => {
    const untouched = [
      'AT+CGDCONT=1,"IP","internet"',
      'AT+CPIN?',
      'AT+CPIN=?',
      'AT+CLCK=?',
      'AT+CLCK="SC",2',
      'AT+CGAUTH=1',
      'AT+CGAUTH=1,1,"user"',
      'AT+CGAUTH?',
      'AT+CRSM=176,28589,0,0,4',
      'AT+CPINR="SIM PIN"',
      'AT+CPINX=8642',
      'AT+XCPIN=8642',
      'AT#SGACT=1,1,"user","pw"',
      'ATI',
      'ATD*99#',
      'AT+CMEE=1;+CGMI',
      '',
    ];
    for (const line of untouched) {
      it(JSON.stringify(line), () => {
        assert.equal(redact(line), line);
      });
    }
  });

  describe('answers that carry a secret', () => {
    it('raw SIM access, EAP keys and the read form of +CGAUTH', () => {
      for (const line of ['AT+CSIM=10,"00B0000004"', 'AT+CRSM=176,28589,0,0,4', 'AT+CGLA=1,10,"00B0000004"', 'AT+CRLA=1,176,28589,0,0,4', 'AT+CERP=1,1', 'AT+CGAUTH?', 'at+cgauth?', 'AT+CMEE=1;+CRSM=176,28589,0,0,4', 'AT+CGAUTH?;+CGMI', 'AT+CMEE=1;+CGAUTH?']) {
        assert.equal(standardSecretResponse(line), true, line);
      }
    });

    it('not the test forms, nor other commands', () => {
      for (const line of ['AT+CSIM=?', 'AT+CRSM=?', 'AT+CGAUTH=?', 'AT+CGAUTH=1,1,"u","p"', 'AT+CPIN?', 'AT+CGMI', 'AT+CGDCONT?']) {
        assert.equal(standardSecretResponse(line), false, line);
      }
    });

    it('a vendor rule can look at the parameters', () => {
      const rules = [{ name: '+USECPRF', form: 'set' as const, when: (p: readonly string[]) => p[1] === '8' }];
      assert.equal(answersWithSecret('AT+USECPRF=0,8', rules), true);
      assert.equal(answersWithSecret('AT+USECPRF=0,10', rules), false);
    });
  });

  describe('vendor rules through the same redactor', () => {
    it('positions, a range from a position, a condition, and the whole value', () => {
      const rules = [
        { name: '#X', secret: [1, 3] },
        { name: '#Y', secret: { from: 2 } },
        { name: '#Z', secret: [2], when: (p: readonly string[]) => p[1] === '7' },
        { name: 'C2', secret: 'whole' as const },
      ];
      assert.equal(redactParameters('AT#X=a,"b",c,d,e', rules), 'AT#X=a,"***",c,***,e');
      assert.equal(redactParameters('AT#Y=1,2,"x",y', rules), 'AT#Y=1,2,"***",***');
      assert.equal(redactParameters('AT#Z=0,7,secret', rules), 'AT#Z=0,7,***');
      assert.equal(redactParameters('AT#Z=0,8,public', rules), 'AT#Z=0,8,public');
      assert.equal(redactParameters('C2=pass,with;odd "chars', rules), 'C2=***');
      // A bare name is the whole command, never the tail of another.
      assert.equal(redactParameters('AC2=visible', rules), 'AC2=visible');
      // The standard rules are not part of a vendor's list by themselves.
      assert.equal(redactParameters('AT+CPIN=8642', rules), 'AT+CPIN=8642');
    });

    it('the values of a URC, by position', () => {
      assert.equal(redactValues('"id","master"', [0, 1]), '"***","***"');
      assert.equal(redactValues('"data",156', [0]), '"***",156');
      assert.equal(redactValues('a,b,c', { from: 1 }), 'a,***,***');
    });
  });
});
