import { strict as assert } from 'node:assert';
import { parseCommandLine } from '../../../src/simulator';

describe('simulator: command line syntax (V.250 §5.3–5.4)', () => {
  const shape = (body: string) => parseCommandLine(body)?.map((c) => [c.name, c.form, c.args]);

  it('reads the four forms of an extended command', () => {
    assert.deepEqual(shape('+CMEE'), [['+CMEE', 'exec', []]]);
    assert.deepEqual(shape('+CMEE?'), [['+CMEE', 'read', []]]);
    assert.deepEqual(shape('+CMEE=2'), [['+CMEE', 'write', [2]]]);
    assert.deepEqual(shape('+CMEE=?'), [['+CMEE', 'test', []]]);
    assert.deepEqual(shape('+CMEE='), [['+CMEE', 'write', []]]);
  });

  it('takes vendor prefixes and V.250 name characters', () => {
    assert.deepEqual(shape('#SSLSECDATA=1,0,1,1200'), [['#SSLSECDATA', 'write', [1, 0, 1, 1200]]]);
    assert.deepEqual(shape('+USECMNG=0,0,"ca.pem",1'), [['+USECMNG', 'write', [0, 0, 'ca.pem', 1]]]);
    assert.deepEqual(shape('^X.Y_Z-1/2:3?'), [['^X.Y_Z-1/2:3', 'read', []]]);
  });

  it('keeps a `;` inside a quoted argument', () => {
    const [cmd] = parseCommandLine('+X="a;b",1;+Y')!;
    assert.equal(cmd.rawArgs, '"a;b",1');
    assert.deepEqual(cmd.args, ['a;b', 1]);
    assert.deepEqual(shape('+X="a;b",1;+Y')![1], ['+Y', 'exec', []]);
  });

  it('reads basic commands with and without their number, &-commands and S-parameters', () => {
    assert.deepEqual(shape('E0V1I&F Z'), [
      ['E', 'exec', [0]],
      ['V', 'exec', [1]],
      ['I', 'exec', []],
      ['&F', 'exec', []],
      ['Z', 'exec', []],
    ]);
    assert.deepEqual(shape('S0=2S3?'), [
      ['S0', 'write', [2]],
      ['S3', 'read', []],
    ]);
    assert.deepEqual(shape('e1+cgmi'), [
      ['E', 'exec', [1]],
      ['+CGMI', 'exec', []],
    ]);
  });

  it('gives the dial command the rest of the line', () => {
    assert.deepEqual(shape('D*99#;'), [['D', 'exec', ['*99#;']]]);
  });

  it('keeps each command text as received', () => {
    assert.deepEqual(
      parseCommandLine('e0+cmee=2;+cgmi')!.map((c) => c.text),
      ['e0', '+cmee=2', '+cgmi'],
    );
  });

  it('returns an empty list for a bare AT, and null for what is not syntax', () => {
    assert.deepEqual(parseCommandLine(''), []);
    assert.equal(parseCommandLine('?'), null);
    assert.equal(parseCommandLine('+'), null);
    assert.equal(parseCommandLine('S'), null);
    assert.equal(parseCommandLine('S7'), null);
  });
});
