/**
 * +USECPRF on the simulated u-blox module: every op code's examples from the manual set and read
 * back byte for byte (on `generic`, which takes every documented value), the SARA-R5 refusals
 * the manual's Notes and "Allowed values" give, profile reset, and what a power cycle keeps.
 */
import { strict as assert } from 'node:assert';
import { frame, Module } from './ublox-harness.test';

/** The manual's session data examples (tag 2 as printed; the elided ones given concrete base64 of the announced sizes). */
const SESSION_ID = 'VWY5UENs0Hh3VWR1MjB2WTVMYVZ5TTdE0WpMeWZWeHo=';
const MASTER = 'SHVSODByUit0My9OMEtIT2ZsVVFRcUsyTkdvaz0nWVFhRzdQZUpndG9IMzN4ZTBo';
const ENC_SESSION_ID = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/Ljgstf1cLaEO2D8IMbxHcQlGfhVxC0in6aGVlSJGBWCAAKJo6Qw5Q+ugXaRZFquG0O69WeHnPRBkcwY2SN4bwnDbyR+709i0pt2nlaYMSCL77MAA=';
const b64 = (size: number, seed: number): string => Buffer.from(Array.from({ length: Math.ceil(size * 0.75) + 3 }, (_, i) => (i * seed + 7) & 0xff)).toString('base64').slice(0, size - 4).padEnd(size, 'A');

describe('simulator: u-blox +USECPRF', () => {
  let module: Module;
  afterEach(() => module?.close());

  it('op codes 0-12, 14-16: the manual\'s set examples, then each read form', async () => {
    module = await Module.start({ platform: 'generic' });
    await module.transcript([
      ['AT+USECPRF=?', '+USECPRF: (0-4),(0-16)', 'OK'],
      ['AT+USECPRF=0,0,0', 'OK'],
      ['AT+USECPRF=0,0', '+USECPRF: 0,0,0', 'OK'],
      ['AT+USECPRF=0,0,2', 'OK'],
      ['AT+USECPRF=0,0', '+USECPRF: 0,0,2', 'OK'],
      ['AT+USECPRF=0,1,4', 'OK'],
      ['AT+USECPRF=0,1', '+USECPRF: 0,1,4', 'OK'],
      ['AT+USECPRF=0,2,2', 'OK'],
      ['AT+USECPRF=0,2', '+USECPRF: 0,2,2', 'OK'],
      ['AT+USECPRF=0,2,99,"C0","2B"', 'OK'],
      ['AT+USECPRF=0,2', '+USECPRF: 0,2,99,"C0","2B"', 'OK'],
      ['AT+USECPRF=0,2,100,"C0","2A",0', 'OK'],
      ['AT+USECPRF=0,2,100,"C0","2B",0', 'OK'],
      ['AT+USECPRF=0,2,100,"C0","2C",0', 'OK'],
      ['AT+USECPRF=0,2,100,"C0","2B",1', 'OK'],
      ['AT+USECPRF=0,2', '+USECPRF: 0,2,100,"C02A;C02C"', 'OK'],
      // "when all added cipher suites are removed the cipher suite is automatically set to 0".
      ['AT+USECPRF=0,2,100,"C0","2A",1', 'OK'],
      ['AT+USECPRF=0,2,100,"C0","2C",1', 'OK'],
      ['AT+USECPRF=0,2', '+USECPRF: 0,2,0', 'OK'],
      ['AT+USECPRF=0,3,"ca_iname"', 'OK'],
      ['AT+USECPRF=0,3', '+USECPRF: 0,3,"ca_iname"', 'OK'],
      ['AT+USECPRF=0,4,"server_hostname"', 'OK'],
      ['AT+USECPRF=0,4', '+USECPRF: 0,4,"server_hostname"', 'OK'],
      ['AT+USECPRF=0,5,"cc_iname"', 'OK'],
      ['AT+USECPRF=0,5', '+USECPRF: 0,5,"cc_iname"', 'OK'],
      ['AT+USECPRF=0,6,"pk_iname"', 'OK'],
      ['AT+USECPRF=0,6', '+USECPRF: 0,6,"pk_iname"', 'OK'],
      ['AT+USECPRF=0,7,"xxxxx"', 'OK'],
      // Secrets are write-only (the simulator's choice, see profile.ts).
      ['AT+USECPRF=0,7', '+CME ERROR: 3'],
      ['AT+USECPRF=0,8,"0sFpZ0AZqE0N6Ti9s0qt40ZP5Eqx"', 'OK'],
      ['AT+USECPRF=0,8,"00112233445566778899AABBCCDDEEFF",1', 'OK'],
      ['AT+USECPRF=0,8', '+CME ERROR: 3'],
      ['AT+USECPRF=0,9,"0ceEZ0AZqP0K60i9o04xz0ZP8zyu0Eqx"', 'OK'],
      ['AT+USECPRF=0,9', '+USECPRF: 0,9,"0ceEZ0AZqP0K60i9o04xz0ZP8zyu0Eqx"', 'OK'],
      ['AT+USECPRF=0,9,"6964656E74",1', 'OK'],
      ['AT+USECPRF=0,9', '+USECPRF: 0,9,"6964656E74",1', 'OK'],
      ['AT+USECPRF=0,10,"server_sni"', 'OK'],
      ['AT+USECPRF=0,10', '+USECPRF: 0,10,"server_sni"', 'OK'],
      ['AT+USECPRF=0,11,0', 'OK'],
      ['AT+USECPRF=0,11', '+USECPRF: 0,11,0', 'OK'],
      ['AT+USECPRF=0,12,"my_srv_cert",0', 'OK'],
      ['AT+USECPRF=0,12', '+USECPRF: 0,12,"my_srv_cert",0', 'OK'],
      ['AT+USECPRF=0,14,0', 'OK'],
      ['AT+USECPRF=0,14,2', 'OK'],
      ['AT+USECPRF=0,14', '+USECPRF: 0,14,2', 'OK'],
      ['AT+USECPRF=0,15,"FTP"', 'OK'],
      ['AT+USECPRF=0,15', '+USECPRF: 0,15,"FTP"', 'OK'],
      ['AT+USECPRF=0,16,1', 'OK'],
      ['AT+USECPRF=0,16,2', 'OK'],
      ['AT+USECPRF=0,16', '+USECPRF: 0,16,2', 'OK'],
      // "To reset … issue the AT+USECPRF=<profile_id> command": factory values (validation level 1).
      ['AT+USECPRF=0', 'OK'],
      ['AT+USECPRF=0,0', '+USECPRF: 0,0,1', 'OK'],
      ['AT+USECPRF=0,2', '+USECPRF: 0,2,0', 'OK'],
      ['AT+USECPRF=0,3', '+USECPRF: 0,3,""', 'OK'],
      ['AT+USECPRF=0,12', '+USECPRF: 0,12,"",0', 'OK'],
      ['AT+USECPRF=4,15', '+USECPRF: 4,15,""', 'OK'],
    ]);
  });

  it('op code 13, (D)TLS session resumption: every <sess_tag> set and read as the manual shows', async () => {
    module = await Module.start({ platform: 'generic' });
    const ticket = b64(332, 3);
    const encTicket = b64(364, 5);
    const pskTicket = b64(2320, 7);
    const encPskTicket = b64(2408, 11);
    await module.transcript([
      ['AT+USECPRF=0,13,0,1', 'OK'],
      ['AT+USECPRF=0,13,0', '+USECPRF: 0,13,0,1', 'OK'],
      ['AT+USECPRF=0,13,1,0', 'OK'],
      ['AT+USECPRF=0,13,1', '+USECPRF: 0,13,1,0', 'OK'],
      [`AT+USECPRF=0,13,2,"${SESSION_ID}","${MASTER}"`, 'OK'],
      ['AT+USECPRF=0,13,2', `+USECPRF: 0,13,2,"${SESSION_ID}","${MASTER}"`, 'OK'],
      // Setting session data makes the status "2: session data configured".
      ['AT+USECPRF=0,13,0', '+USECPRF: 0,13,0,2', 'OK'],
      [`AT+USECPRF=0,13,3,"${ticket}",332`, 'OK'],
      ['AT+USECPRF=0,13,3', `+USECPRF: 0,13,3,"${ticket}",332`, 'OK'],
      [`AT+USECPRF=0,13,12,"${ENC_SESSION_ID}",156`, 'OK'],
      ['AT+USECPRF=0,13,12', `+USECPRF: 0,13,12,"${ENC_SESSION_ID}",156`, 'OK'],
      [`AT+USECPRF=0,13,13,"${encTicket}",364`, 'OK'],
      ['AT+USECPRF=0,13,13', `+USECPRF: 0,13,13,"${encTicket}",364`, 'OK'],
      // <size> must be the string's length.
      [`AT+USECPRF=0,13,3,"${ticket}",331`, '+CME ERROR: 50'],
      // PSK-based tickets: "TLS v1.3 must be enabled (+USECPRF: <profile_id>,1,4)".
      ['AT+USECPRF=0,13,5,2320', '+CME ERROR: 3'],
      ['AT+USECPRF=0,13,1,3', '+CME ERROR: 3'],
      ['AT+USECPRF=0,1,4', 'OK'],
      ['AT+USECPRF=0,13,1,3', 'OK'],
    ]);
    assert.equal(await module.prompted('AT+USECPRF=0,13,5,2320', pskTicket), '>' + frame('OK'));
    await module.expect('AT+USECPRF=0,13,5', `+USECPRF: 0,13,5,"${pskTicket}",2320`, 'OK');
    assert.equal(await module.prompted('AT+USECPRF=0,13,15,2408', encPskTicket), '>' + frame('OK'));
    await module.expect('AT+USECPRF=0,13,15', `+USECPRF: 0,13,15,"${encPskTicket}",2408`, 'OK');
    await module.transcript([
      ['AT+USECPRF=0,13', '+CME ERROR: 50'],
      ['AT+USECPRF=0,13,4', '+CME ERROR: 50'],
      ['AT+USECPRF=0,13,0,0', 'OK'],
      ['AT+USECPRF=0,13,3', '+CME ERROR: 3'],
    ]);
  });

  it('SARA-R5 refuses what its Notes and "Allowed values" exclude; any platform refuses out-of-range values', async () => {
    module = await Module.start();
    await module.transcript([
      ['AT+USECPRF=?', '+USECPRF: (0-4),(0-16)', 'OK'],
      // Notes: TLS 1.3, <legacy_cs> 100, <legacy_cs> 10, 11, 12, 15, 16, the <string_type> of op 9.
      ['AT+USECPRF=0,1,4', '+CME ERROR: 4'],
      ['AT+USECPRF=0,2,100,"C0","2A",0', '+CME ERROR: 4'],
      ['AT+USECPRF=0,2,12', '+CME ERROR: 4'],
      ['AT+USECPRF=0,2,16', '+CME ERROR: 4'],
      ['AT+USECPRF=0,9,"6964",1', '+CME ERROR: 4'],
      // "Allowed values: 0, 1, … 10, 12, 13, 15, 16": no RoT PSK, no ZTP.
      ['AT+USECPRF=0,11,0', '+CME ERROR: 4'],
      ['AT+USECPRF=0,14,0', '+CME ERROR: 4'],
      // <sess_tag> 0, 1, 3 and <sess_type> 1 only (l. 920–921, 939–940): a profile holds the one type allowed.
      ['AT+USECPRF=0,13,1', '+USECPRF: 0,13,1,1', 'OK'],
      ['AT+USECPRF=0,13,1,0', '+CME ERROR: 4'],
      ['AT+USECPRF=0,13,1,10', '+CME ERROR: 4'],
      [`AT+USECPRF=0,13,2,"${SESSION_ID}","${MASTER}"`, '+CME ERROR: 4'],
      [`AT+USECPRF=0,13,12,"${ENC_SESSION_ID}",156`, '+CME ERROR: 4'],
      ['AT+USECPRF=0,13,15,2408', '+CME ERROR: 4'],
      ['AT+USECPRF=0,13,1,1', 'OK'],
      ['AT+USECPRF=0', 'OK'],
      ['AT+USECPRF=0,13,1', '+USECPRF: 0,13,1,1', 'OK'],
      // A suite of Table 26 that is not in SARA-R5's applicability list, and one that is.
      ['AT+USECPRF=0,2,99,"00","41"', '+CME ERROR: 4'],
      ['AT+USECPRF=0,2,99,"C0","2F"', 'OK'],
      ['AT+USECPRF=0,2,32', 'OK'],
      ['AT+USECPRF=0,2,99,"C0","FF"', '+CME ERROR: 50'],
      ['AT+USECPRF=0,2,34', '+CME ERROR: 50'],
      ['AT+USECPRF=5,0,0', '+CME ERROR: 50'],
      ['AT+USECPRF=0,17,0', '+CME ERROR: 50'],
      ['AT+USECPRF=0,0,4', '+CME ERROR: 50'],
      ['AT+USECPRF=0,1,5', '+CME ERROR: 50'],
      [`AT+USECPRF=0,8,"${'k'.repeat(65)}"`, '+CME ERROR: 50'],
      ['AT+USECPRF=0,8,"ABC",1', '+CME ERROR: 50'],
      ['AT+USECPRF=0,8,"ABCD",2', '+CME ERROR: 50'],
      [`AT+USECPRF=0,4,"${'h'.repeat(257)}"`, '+CME ERROR: 50'],
      ['AT+USECPRF=0,12,"pin"', '+CME ERROR: 50'],
      ['AT+USECPRF=0,12,"pin",3', '+CME ERROR: 50'],
      ['AT+USECPRF=0,0,"1"', '+CME ERROR: 50'],
    ]);
  });

  it('a power cycle keeps the profile settings and loses the session resumption (not stored in NVM)', async () => {
    module = await Module.start({ platform: 'generic' });
    const settings: Array<[string, string]> = [
      ['0,3', '+USECPRF: 1,0,3'],
      ['1,3', '+USECPRF: 1,1,3'],
      ['2,99,"C0","30"', '+USECPRF: 1,2,99,"C0","30"'],
      ['3,"root"', '+USECPRF: 1,3,"root"'],
      ['4,"example.com"', '+USECPRF: 1,4,"example.com"'],
      ['10,"sni.example.com"', '+USECPRF: 1,10,"sni.example.com"'],
      ['12,"pin",2', '+USECPRF: 1,12,"pin",2'],
      ['15,"mqtt"', '+USECPRF: 1,15,"mqtt"'],
      ['16,1', '+USECPRF: 1,16,1'],
    ];
    for (const [value] of settings) await module.expect(`AT+USECPRF=1,${value}`, 'OK');
    await module.expect('AT+USECPRF=1,13,1,1', 'OK');
    await module.expect('AT+USECPRF=1,13,0,1', 'OK');
    await module.modem.reboot();
    await module.at('ATE0');
    for (const [value, answer] of settings) await module.expect(`AT+USECPRF=1,${value.split(',')[0]}`, answer, 'OK');
    await module.expect('AT+USECPRF=1,13,0', '+USECPRF: 1,13,0,0', 'OK');
    await module.expect('AT+USECPRF=1,13,1', '+USECPRF: 1,13,1,0', 'OK');
  });
});
