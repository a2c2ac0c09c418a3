/**
 * The Inventek eS-WiFi adapter's own parts, and the adapter against transcripts in the module's
 * forms (seeds/002 and the IWIN answers the contract fixes byte for byte): R0's raw answers taken
 * whole whatever the data holds, the one-time-programmable decision table, every check made
 * before the first byte, PF before every PG and P6=1, the record of the sets (persisted without
 * key text), profiles noted host-side, the Wi-Fi join, the open sequence and a poll.
 */
import { strict as assert } from 'node:assert';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModemError } from '../../../src/at';
import { EswifiAdapter, eswifiCapabilities, profileSettings } from '../../../src/adapters/eswifi/adapter';
import { eswifiDialect } from '../../../src/adapters/eswifi/dialect';
import { eswifiVendor } from '../../../src/adapters/eswifi';
import { parseReadReply, readReplyEnd, resolvedAddress, sentCount, showsNotConnected, joinedState } from '../../../src/adapters/eswifi/reply';
import { checkPair, decide, hasBasicConstraints, prepareItem } from '../../../src/adapters/eswifi/sets';
import { SetsRecord, type SetItem } from '../../../src/adapters/eswifi/state';
import { joinCommands } from '../../../src/adapters/eswifi/wifi';
import { R0_RECEIVE, S3_SEND } from '../../../src/adapters/eswifi/transfer';
import { transferTime } from '../../../src/adapters/transfer';
import type { WifiOptions } from '../../../src/adapters/vendor';
import { issueCertificate, createTestPki, type TestPki } from '../../../src/simulator/pki';
import { parseSecurityData, toPem, type CertType } from '../../../src/tls/certificates';
import { readProfile } from '../../../src/tls/profile';
import { closeEngines, done, engineRig, refused, type EngineRig } from '../../support/adapter-rig';

const OK_END = '\r\nOK\r\n> ';
const INFO = 'ISM43362-M3G-L44-UART,C3.5.2.5.STM,v3.5.2,v1.4.0.rc1,v8.2.1,120000000,Inventek eS-WiFi';

/** `<cmd>` CR answered with its information lines and OK (an empty line when there are none). */
const ok = (command: string, ...lines: string[]): { host: string; modem: string } => ({
  host: `${command}\r`,
  modem: lines.length > 0 ? `\r\n${lines.join('\r\n')}${OK_END}` : `\r\n${OK_END}`,
});
/** `<cmd>` CR answered with the error form: `ERROR: <text>`, `Usage: <usage>`, the prompt — no OK. */
const error = (command: string, text: string, usage: string): { host: string; modem: string } => ({ host: `${command}\r`, modem: `\r\nERROR: ${text}\r\nUsage: ${usage}\r\n> ` });
const pg = (set: number, type: number, pem: string, modem: string): { host: string; modem: string } => ({ host: `PG=${set},${type},${pem.length},${pem}`, modem });
const PG_OK = `\r\n${OK_END}`;
const PG_MATCH = `\r\nMatch${OK_END}`;
const PG_MISMATCH = '\r\nERROR: Certificate Mismatch\r\nUsage: PG=<set>,<type>,<length>,<data>\r\n> ';
const sync = ok('I?', INFO);

let pki: TestPki;
let ec: TestPki;

function rig(options: ConstructorParameters<typeof EswifiAdapter>[1] = {}): EngineRig & { adapter: EswifiAdapter; warnings: string[] } {
  const r = engineRig(eswifiDialect, { sync: false });
  r.link.expect(sync);
  const adapter = new EswifiAdapter(r.engine, options);
  const warnings: string[] = [];
  adapter.on('warning', (w: string) => warnings.push(w));
  return { ...r, adapter, warnings };
}

const caps = eswifiCapabilities();
const profile = (own: Record<string, unknown>): ReturnType<typeof readProfile> => readProfile({ tlsVersion: 'auto', ...own }, {}, caps);
const upload = (adapter: EswifiAdapter, certType: CertType, name: string, pem: string, vendorOptions?: Record<string, unknown>, extra: { force?: boolean } = {}) =>
  adapter.uploadSecurityData({ certType, name, parsed: parseSecurityData(pem, certType), format: 'auto', ...(vendorOptions ? { vendorOptions } : {}), ...extra });
const subjectOf = (pem: string): string => (parseSecurityData(pem, 'ca') as { subject: string }).subject;
const certPem = (pem: string): string => toPem('CERTIFICATE', parseSecurityData(pem, 'cert').der);
const rsaKeyPem = (pem: string): string => toPem('RSA PRIVATE KEY', (parseSecurityData(pem, 'key') as { key: import('node:crypto').KeyObject }).key.export({ format: 'der', type: 'pkcs1' }));

/** A v1 root without any extension (as old roots are), made once with OpenSSL: no basicConstraints at all. */
const V1_ROOT = `-----BEGIN CERTIFICATE-----
MIIBKDCBzwIUc8RVZBARYwKctSeGsMKjUBlkyCcwCgYIKoZIzj0EAwIwFjEUMBIG
A1UEAwwLbGVnYWN5LXJvb3QwIBcNMjYxMjAzMTU0MTIxWhgPMjEyNjExMDkxNTQx
MjFaMBYxFDASBgNVBAMMC2xlZ2FjeS1yb290MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAETwAjaW69dG7zXeZu07Ag1vcX/USr9iEwv4c6hF+V91BjGmmQSBXCEWwE
T6GogGtgkoKaWIuJD5gP7IXfuxr/YzAKBggqhkjOPQQDAgNIADBFAiEA9Z/iNKao
5/WF9ngz7N//L1lCL2QcbEZ5YDOsy1Xvgf4CIBHCRXy3UIpGH2IKfaGEoSevAY3X
aYJYUHkD76aClWs9
-----END CERTIFICATE-----
`;

describe('Inventek eS-WiFi adapter', function () {
  this.timeout(10000);

  before(() => {
    pki = createTestPki({ keyType: 'rsa' });
    ec = createTestPki({ keyType: 'ec' });
  });

  afterEach(() => closeEngines());

  describe('capabilities and the registry', () => {
    it('a profile is a certificate set 0..2; uploads are verified by a match, one-time programmable; 4 sockets polled and pushed', () => {
      assert.deepEqual(caps.profiles.ids, { min: 0, max: 2 });
      assert.deepEqual(caps.certificates.slots, { min: 0, max: 2 });
      assert.equal(caps.certificates.naming, 'slot');
      assert.equal(caps.certificates.verification, 'match');
      assert.equal(caps.certificates.oneTimeProgrammable, true);
      assert.equal(caps.certificates.maxBytes, 8192);
      assert.deepEqual(caps.certificates.formats, ['pem']);
      assert.deepEqual(caps.profiles.vendorOptions.map((r) => r.name), ['verification']);
      assert.deepEqual(caps.certificates.vendorOptions.map((r) => [r.name, r.default]), [['programOneTime', false], ['firmwareFlashed', false]]);
      assert.deepEqual(caps.sockets.openOptions.map((r) => [r.name, r.min, r.max, r.default]), [['pollMs', 10, 10000, 100]]);
      assert.deepEqual([caps.sockets.ids, caps.sockets.maxConcurrent, caps.sockets.maxSendChunk, caps.sockets.maxReceiveChunk, caps.sockets.push], [{ min: 0, max: 3 }, 4, 1460, 1460, true]);
      assert.deepEqual([caps.profiles.checkHostname, caps.profiles.checkDate, caps.profiles.sni, caps.profiles.tlsVersions], ['never', 'never', false, ['auto']]);
    });

    it('the vendor record has TLS support, kind wifi, every operation, and decodes the module’s errors', () => {
      assert.equal(eswifiVendor.kind, 'wifi');
      assert.ok(eswifiVendor.tls);
      assert.equal(eswifiVendor.tls.capabilities('ISM43362').label, 'Inventek ISM43362');
      assert.equal(eswifiVendor.tls.decodeError({ line: 'ERROR: Certificate Mismatch' }).vendor, 'eswifi');
    });

    it('the dialect ends answers at the ready prompt, masks C2 whole and never traces the answer of C?', () => {
      assert.equal(eswifiDialect.answerEndsAtReadyPrompt, true);
      assert.ok(eswifiDialect.finals?.[0].pattern.test('ERROR: Unknown Error'));
      assert.ok(eswifiDialect.finals?.[0].pattern.test('ERROR'));
      assert.ok(!eswifiDialect.finals?.[0].pattern.test('ERRORS'));
      assert.equal(eswifiDialect.redactCommand('C2=a,b;c'), 'C2=***');
      assert.equal(eswifiDialect.secretResponse('C?'), true);
      assert.equal(eswifiDialect.secretResponse('CS'), false);
      assert.equal(eswifiDialect.secretResponse('P?'), false);
    });
  });

  describe('R0 answers (reply.ts)', () => {
    const frame = (data: Buffer): Buffer => Buffer.concat([Buffer.from('\r\n'), data, Buffer.from(OK_END, 'latin1')]);
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

    it('whole with exactly R1 bytes: done; fewer: taken once quiet (the data may go on); the bytes untouched', () => {
      const full = frame(every);
      assert.equal(readReplyEnd(256)(full), 'done');
      assert.equal(readReplyEnd(1460)(full), 'quiet');
      const parsed = parseReadReply(full);
      assert.equal(parsed.kind, 'data');
      assert.deepEqual(parsed.kind === 'data' && parsed.data, every);
    });

    it('data holding "\\r\\nOK\\r\\n> " and "-1": no prefix of the answer is ever done before its last byte, and the data comes out intact', () => {
      const data = Buffer.concat([Buffer.from('-1\r\nOK\r\n> ', 'latin1'), every, Buffer.from('\r\nOK\r\n> ERROR: x\r\n> ', 'latin1'), Buffer.from('-1')]);
      const full = frame(data);
      const end = readReplyEnd(data.length);
      for (let n = 0; n < full.length; n++) {
        const verdict = end(full.subarray(0, n));
        assert.notEqual(verdict, 'done', `a prefix of ${n} bytes is not the whole answer`);
      }
      assert.equal(end(full), 'done');
      // Split where the data itself ends like an answer: only quiet, so a following byte keeps it open.
      const inner = full.indexOf('\r\nOK\r\n> ', 2) + OK_END.length;
      assert.equal(end(full.subarray(0, inner)), 'quiet');
      assert.deepEqual((parseReadReply(full) as { data: Buffer }).data, data);
      // Asked for more than came: quiet at the end too, and still the same bytes.
      assert.equal(readReplyEnd(1460)(full), 'quiet');
    });

    it('the empty answer: done at once (an idle poll must not hold the modem), no data; its prefixes wait for more', () => {
      const empty = Buffer.from(`\r\n${OK_END}`, 'latin1');
      assert.equal(readReplyEnd(1460)(empty), 'done');
      for (let n = 0; n < empty.length; n++) assert.equal(readReplyEnd(1460)(empty.subarray(0, n)), 'more');
      assert.deepEqual(parseReadReply(empty), { kind: 'data', data: Buffer.alloc(0) });
    });

    it('"-1" alone is told apart for P? to decide; two bytes "-1" inside longer data are data', () => {
      assert.deepEqual(parseReadReply(frame(Buffer.from('-1'))), { kind: 'minus-one', data: Buffer.from('-1') });
      assert.equal(readReplyEnd(1460)(frame(Buffer.from('-1'))), 'quiet');
      assert.equal(parseReadReply(frame(Buffer.from('-1\r\n'))).kind, 'data');
    });

    it('the error form ends quiet and gives its ERROR line; data that starts with ERROR inside an OK answer stays data', () => {
      const err = Buffer.from('\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ', 'latin1');
      assert.equal(readReplyEnd(1460)(err), 'quiet');
      assert.equal(readReplyEnd(1460)(err.subarray(0, err.length - 1)), 'more');
      assert.deepEqual(parseReadReply(err), { kind: 'error', line: 'ERROR: Socket Not Connected' });
      const looksLikeError = frame(Buffer.from('ERROR: not really\r\nUsage: x\r\n> ', 'latin1'));
      assert.equal(parseReadReply(looksLikeError).kind, 'data');
    });

    it('anything else is refused as garbled, naming the command', () => {
      assert.throws(() => parseReadReply(Buffer.from('> '), 'R0'), (e: ModemError) => e.kind === 'GARBLED' && /^R0: /.test(e.message));
    });

    it('the short answers: S3 count, D0 address, CS, P? remote address', () => {
      assert.equal(sentCount(['', '1460']), 1460);
      assert.equal(sentCount(['-1']), -1);
      assert.equal(sentCount(['']), undefined);
      assert.equal(resolvedAddress(['', '93.184.216.34']), '93.184.216.34');
      assert.equal(resolvedAddress(['no address']), undefined);
      assert.equal(joinedState(['1']), true);
      assert.equal(joinedState(['', '0']), false);
      assert.equal(joinedState(['maybe']), undefined);
      assert.equal(showsNotConnected(['3,192.168.1.50,0,0.0.0.0,0,0,0,0,0,0']), true);
      assert.equal(showsNotConnected(['3,192.168.1.50,49152,93.184.216.34,443,0,0,0,0,0']), false);
    });
  });

  describe('the one-time programmable decision (sets.ts)', () => {
    const at = '2026-01-02T03:04:05.000Z';
    const cert = { set: 1, certType: 'ca' as const, kind: 'certificate' as const, sha256: 'aa', publicKey: 'pk' };
    const states: Record<string, SetItem | undefined> = {
      nothing: undefined,
      'this data': { content: 'known', sha256: 'aa', publicKey: 'pk', subject: 'CN=root', at },
      'other data': { content: 'known', sha256: 'bb', publicKey: 'pk2', subject: 'CN=old root', notAfter: '2030-01-01T00:00:00.000Z', at },
      'unknown content': { content: 'unknown', at, answer: 'ERROR: Certificate Mismatch' },
    };
    const table: Array<[string, boolean, string]> = [
      ['nothing', false, 'refused:vendorOptions.programOneTime'],
      ['nothing', true, 'program'],
      ['this data', false, 'verify'],
      ['this data', true, 'verify'],
      ['other data', false, 'refused:name'],
      ['other data', true, 'program'],
      ['unknown content', false, 'refused:name'],
      ['unknown content', true, 'program'],
    ];
    for (const [state, programOneTime, expected] of table) {
      it(`record: ${state}, programOneTime ${programOneTime} → ${expected}`, () => {
        if (expected.startsWith('refused:')) {
          assert.throws(() => decide(states[state], cert, programOneTime), (e: ModemError) => e.kind === 'PARAMETER' && e.field === expected.slice(8) && /complete firmware flash/.test(e.message));
        } else {
          assert.equal(decide(states[state], cert, programOneTime), expected);
        }
      });
    }

    it('the refusals say what is noted and why nothing is sent', () => {
      assert.throws(() => decide(undefined, cert, false), /set 1 has no root CA this package knows of; writing one programs it for good .*nothing was sent — to program it, tick "Program one-time set" on the load-cert node \(vendorOptions\.programOneTime true\)/);
      assert.throws(() => decide(states['other data'], cert, false), /set 1 is programmed with another root CA \("CN=old root", valid until 2030-01-01T00:00:00\.000Z, programmed 2026-01-02T03:04:05\.000Z\) and cannot be rewritten/);
      assert.throws(() => decide(states['unknown content'], cert, false), /content is unknown here \(the module answered ERROR: Certificate Mismatch on 2026-01-02/);
    });

    it('a key is the same data when its public key is (a key’s text is never noted nor hashed)', () => {
      const key = { set: 0, certType: 'key' as const, kind: 'key' as const, publicKey: 'pk' };
      assert.equal(decide({ content: 'known', publicKey: 'pk', at }, key, false), 'verify');
      assert.throws(() => decide({ content: 'known', publicKey: 'other', at }, key, false), (e: ModemError) => e.field === 'name');
    });

    it('a key needs the certificate of its set, known and matching; a certificate must match a key noted there', () => {
      const record = new SetsRecord();
      assert.throws(() => checkPair(record, { set: 0, certType: 'key', publicKey: 'pk' }), /program the certificate of set 0 first, so the key can be checked against it/);
      record.note(0, 'cert', { content: 'unknown', at });
      assert.throws(() => checkPair(record, { set: 0, certType: 'key', publicKey: 'pk' }), /program the certificate of set 0 first/);
      record.note(0, 'cert', { content: 'known', sha256: 'c', publicKey: 'pk', subject: 'CN=dev', at });
      checkPair(record, { set: 0, certType: 'key', publicKey: 'pk' });
      assert.throws(() => checkPair(record, { set: 0, certType: 'key', publicKey: 'other' }), /does not belong to the certificate of set 0 \("CN=dev"\): their public keys differ/);
      record.note(1, 'key', { content: 'known', publicKey: 'pk', at });
      assert.throws(() => checkPair(record, { set: 1, certType: 'cert', publicKey: 'other' }), /does not belong to the private key programmed in set 1/);
      checkPair(record, { set: 1, certType: 'cert', publicKey: 'pk' });
    });
  });

  describe('checks before anything is sent (prepareItem)', () => {
    it('a certificate goes as canonical PEM (64-column base64, LF, final LF), DER input included', () => {
      const der = parseSecurityData(pki.ca.cert, 'ca').der;
      const item = prepareItem({ certType: 'ca', name: '2', parsed: parseSecurityData(der, 'ca'), format: 'auto' });
      assert.equal(item.set, 2);
      assert.equal(item.pem.toString('latin1'), toPem('CERTIFICATE', der));
      assert.ok(item.pem.toString('latin1').split('\n').slice(1, -3).every((l) => l.length === 64));
      assert.ok(item.sha256 && item.publicKey);
    });

    it('a root CA must not say CA:FALSE; a CA:TRUE root and a v1 root without extensions are taken', () => {
      assert.equal(hasBasicConstraints(parseSecurityData(pki.server.cert, 'cert').der), true);
      assert.equal(hasBasicConstraints(parseSecurityData(pki.ca.cert, 'ca').der), true);
      assert.equal(hasBasicConstraints(parseSecurityData(V1_ROOT, 'ca').der), false);
      const err = (() => {
        try {
          prepareItem({ certType: 'ca', name: '0', parsed: parseSecurityData(pki.server.cert, 'ca'), format: 'auto' });
        } catch (e) {
          return e as ModemError;
        }
        return null;
      })();
      assert.equal(err?.field, 'msg.payload');
      assert.match(err!.message, /says it is not a CA \(basicConstraints CA:FALSE\)/);
      assert.equal(prepareItem({ certType: 'ca', name: '0', parsed: parseSecurityData(V1_ROOT, 'ca'), format: 'auto' }).subject, 'CN=legacy-root');
      // A leaf as the client certificate is what it should be.
      assert.equal(prepareItem({ certType: 'cert', name: '0', parsed: parseSecurityData(pki.client.cert, 'cert'), format: 'pem' }).certType, 'cert');
    });

    it('keys: RSA as PKCS#1, EC as SEC1, an encrypted one decrypted; other algorithms refused', () => {
      const rsa = prepareItem({ certType: 'key', name: '1', parsed: parseSecurityData(pki.client.key, 'key'), format: 'auto' });
      assert.match(rsa.pem.toString('latin1'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.equal(rsa.sha256, undefined, 'no hash of a key’s text');
      assert.equal(rsa.publicKey, prepareItem({ certType: 'cert', name: '1', parsed: parseSecurityData(pki.client.cert, 'cert'), format: 'auto' }).publicKey);
      const sec1 = prepareItem({ certType: 'key', name: '1', parsed: parseSecurityData(ec.client.key, 'key'), format: 'auto' });
      assert.match(sec1.pem.toString('latin1'), /^-----BEGIN EC PRIVATE KEY-----\n/);
      const encrypted = ec.client.encryptedKey('s3cret');
      const decrypted = prepareItem({ certType: 'key', name: '1', parsed: parseSecurityData(encrypted, 'key', { password: 's3cret' }), format: 'auto' });
      assert.deepEqual(decrypted.pem, sec1.pem);
      const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
      assert.throws(() => prepareItem({ certType: 'key', name: '1', parsed: parseSecurityData(ed, 'key'), format: 'auto' }), /ED25519 private key; the Inventek eS-WiFi takes RSA and EC keys/);
    });

    it('refuses a set outside 0..2, DER as the format, a type mismatch and more than 8192 bytes, naming the field', () => {
      const parsed = parseSecurityData(pki.ca.cert, 'ca');
      assert.throws(() => prepareItem({ certType: 'ca', name: '3', parsed, format: 'auto' }), (e: ModemError) => e.field === 'name' && /3 is above the maximum 2/.test(e.message));
      assert.throws(() => prepareItem({ certType: 'ca', name: 'zero', parsed, format: 'auto' }), (e: ModemError) => e.field === 'name');
      assert.throws(() => prepareItem({ certType: 'ca', name: '0', parsed, format: 'der' }), (e: ModemError) => e.field === 'format');
      assert.throws(() => prepareItem({ certType: 'key', name: '0', parsed, format: 'auto' }), (e: ModemError) => e.field === 'msg.payload' && /certType is "key"/.test(e.message));
      const hosts = Array.from({ length: 160 }, (_, i) => `host-${i}-${'x'.repeat(48)}.example`);
      const big = issueCertificate({ subject: 'big', issuer: ec.ca, keyType: 'ec', hosts });
      assert.throws(() => prepareItem({ certType: 'cert', name: '0', parsed: parseSecurityData(big.cert, 'cert'), format: 'auto' }), (e: ModemError) => e.field === 'msg.payload' && /bytes as PEM; a set of the Inventek eS-WiFi takes at most 8192 bytes/.test(e.message));
    });
  });

  describe('uploads against the module (transcripts)', () => {
    it('a set this package knows nothing of is not written without programOneTime: refused, nothing sent', async () => {
      const r = rig();
      const err = await refused(upload(r.adapter, 'ca', '0', pki.ca.cert), 'vendorOptions.programOneTime');
      assert.match(err.message, /set 0 has no root CA this package knows of/);
      assert.equal(r.link.hostWrites.length, 0);
    });

    it('programOneTime: PF, then PG with the PEM right after the comma; noted; the same data again is a verification answered by a match', async () => {
      const r = rig();
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=0'), pg(0, 0, pem, PG_OK));
      const first = await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      assert.deepEqual([first.verified, first.unchanged, first.name, first.bytes, first.format], [true, false, '0', pem.length, 'pem']);
      r.link.expect(ok('PF=0'), pg(0, 0, pem, PG_MATCH));
      const again = await upload(r.adapter, 'ca', '0', pki.ca.cert);
      assert.deepEqual([again.verified, again.unchanged], [true, true]);
      done(r.link);
      const [listed] = await r.adapter.listSecurityData();
      assert.equal(listed.certType, 'ca');
      assert.equal(listed.name, '0');
      assert.equal(listed.subject, subjectOf(pki.ca.cert));
      assert.ok(listed.writtenAt);
      // The PEM travelled as a count only.
      assert.ok(r.traces.some((t) => t.dir === 'tx' && t.kind === 'payload' && t.text === `<${pem.length} bytes>`));
      assert.ok(!r.traces.some((t) => t.text.includes('BEGIN CERTIFICATE')));
    });

    it('a first write answered by a match: the set held exactly this already — unchanged, with a warning', async () => {
      const r = rig();
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=2'), pg(2, 0, pem, PG_MATCH));
      const result = await upload(r.adapter, 'ca', '2', pki.ca.cert, { programOneTime: true });
      done(r.link);
      assert.deepEqual([result.verified, result.unchanged], [true, true]);
      assert.match(result.warnings.join('\n'), /set 2 already held exactly this root CA/);
    });

    it('a mismatch on a first write: noted as unknown content and reported; without programOneTime the set is then refused locally', async () => {
      const r = rig();
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=1'), pg(1, 0, pem, PG_MISMATCH));
      const err = await upload(r.adapter, 'ca', '1', pki.ca.cert, { programOneTime: true }).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.equal(err?.kind, 'FINAL');
      assert.equal(err?.line, 'ERROR: Certificate Mismatch');
      assert.match(err!.message, /set 1 already holds another root CA — the module answered ERROR: Certificate Mismatch and nothing changed; only a complete firmware flash/);
      const listed = await r.adapter.listSecurityData();
      assert.deepEqual(listed.map((i) => [i.certType, i.name, i.unknownContent]), [['ca', '1', true]]);
      const writes = r.link.hostWrites.length;
      await refused(upload(r.adapter, 'ca', '1', pki.ca.cert), 'name');
      assert.equal(r.link.hostWrites.length, writes, 'nothing sent');
    });

    it('the link lost while PG is written: the set is noted as holding data of unknown content (never as programmed), a plain load is refused, and the retry with programOneTime is answered by the module — a match', async () => {
      const r = rig();
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=0'), { host: `PG=0,0,${pem.length},${pem}` });
      const pending = upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true }).then(() => null, (e: ModemError) => e);
      while (r.link.remaining > 0) await new Promise((resolve) => setImmediate(resolve));
      r.link.drop('unplugged');
      const err = await pending;
      done(r.link);
      assert.equal(err?.kind, 'LINK_DOWN');
      assert.match(err!.message, new RegExp(`^PG=0,0,${pem.length}: the link to the modem was lost while the root CA was written \\(`));
      assert.match(err!.message, /set 0 may now hold this root CA for good, or nothing new: it is noted as holding a root CA of unknown content and is not reported programmed/);
      const listed = await r.adapter.listSecurityData();
      assert.deepEqual(listed.map((i) => [i.certType, i.name, i.unknownContent]), [['ca', '0', true]]);
      r.link.reopen();
      const writes = r.link.hostWrites.length;
      const plain = await refused(upload(r.adapter, 'ca', '0', pki.ca.cert), 'name');
      assert.match(plain.message, /data whose content is unknown here \(no answer to PG=0,0,\d+ \(the link to the modem was lost\) on /);
      assert.equal(r.link.hostWrites.length, writes, 'nothing sent');
      // Before the next command the engine ends what the module may still be collecting of the cut
      // PG (ESC filler, which no certificate check passes), then resynchronises.
      r.link.expect({ host: `${'\x1b'.repeat(pem.length)}\r`, modem: '\r\nERROR: Invalid Certificate\r\nUsage: PG=<set>,<type>,<length>,<data>\r\n> ' }, sync, ok('PF=0'), pg(0, 0, pem, PG_MATCH));
      const again = await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      done(r.link);
      assert.deepEqual([again.verified, again.unchanged], [true, true]);
      assert.deepEqual((await r.adapter.listSecurityData()).map((i) => [i.certType, i.name, i.unknownContent]), [['ca', '0', undefined]]);
    });

    it('noted data the module disagrees with: the verification fails, the record marks it unknown and says so', async () => {
      const r = rig();
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=0'), pg(0, 0, pem, PG_OK), ok('PF=0'), pg(0, 0, pem, PG_MISMATCH));
      await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      const err = await upload(r.adapter, 'ca', '0', pki.ca.cert).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.match(err!.message, /set 0 was noted to hold this root CA .* but the module answered ERROR: Certificate Mismatch: it holds other data than noted\. The record now marks its root CA unknown/);
      assert.equal((await r.adapter.listSecurityData())[0].unknownContent, true);
    });

    it('other data noted: refused without programOneTime, naming it; with it the module answers for itself and the record keeps what it knew', async () => {
      const r = rig();
      r.link.expect(ok('PF=0'), pg(0, 0, certPem(pki.ca.cert), PG_OK));
      await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      const err = await refused(upload(r.adapter, 'ca', '0', pki.unrelatedCa.cert), 'name');
      assert.match(err.message, /set 0 is programmed with another root CA \("O=node-red-contrib-modem-tls, CN=Modem TLS Test CA", valid until .*, programmed .*\) and cannot be rewritten: only a complete firmware flash/);
      r.link.expect(ok('PF=0'), pg(0, 0, certPem(pki.unrelatedCa.cert), PG_MISMATCH));
      const sent = await upload(r.adapter, 'ca', '0', pki.unrelatedCa.cert, { programOneTime: true }).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.equal(sent?.line, 'ERROR: Certificate Mismatch');
      const [listed] = await r.adapter.listSecurityData();
      assert.equal(listed.subject, subjectOf(pki.ca.cert));
      assert.equal(listed.unknownContent, undefined);
    });

    it('a key waits for its set’s certificate, must belong to it, and travels as PKCS#1 with only its size in the trace', async () => {
      const r = rig();
      await refused(upload(r.adapter, 'key', '1', pki.client.key, { programOneTime: true }), 'msg.payload');
      assert.equal(r.link.hostWrites.length, 0);
      r.link.expect(ok('PF=1'), pg(1, 1, certPem(pki.client.cert), PG_OK));
      await upload(r.adapter, 'cert', '1', pki.client.cert, { programOneTime: true });
      const wrong = await refused(upload(r.adapter, 'key', '1', pki.server.key, { programOneTime: true }), 'msg.payload');
      assert.match(wrong.message, /does not belong to the certificate of set 1/);
      const keyPem = rsaKeyPem(pki.client.key);
      r.link.expect(ok('PF=1'), pg(1, 2, keyPem, PG_OK));
      const key = await upload(r.adapter, 'key', '1', pki.client.key, { programOneTime: true });
      done(r.link);
      assert.deepEqual([key.verified, key.unchanged, key.bytes], [true, false, keyPem.length]);
      assert.ok(r.traces.some((t) => t.text === `<${keyPem.length} bytes, secret>`));
      const body = keyPem.split('\n').filter((l) => l.length > 40);
      for (const t of r.traces) for (const l of body) assert.ok(!t.text.includes(l), 'no key text in the trace');
      // The same key again is a verification: its pair is not checked again, nothing changes.
      r.link.expect(ok('PF=1'), pg(1, 2, keyPem, PG_MATCH));
      assert.equal((await upload(r.adapter, 'key', '1', pki.client.key)).unchanged, true);
      done(r.link);
    });

    it('dates: refused when programming, only a warning when a set is verified; force changes nothing and says so', async () => {
      let now = new Date();
      const r = rig({ now: () => now });
      const expired = await refused(upload(r.adapter, 'cert', '0', pki.expiredServer.cert, { programOneTime: true }), 'msg.payload');
      assert.match(expired.message, /expired on .*: not programmed/);
      assert.equal(r.link.hostWrites.length, 0);
      const pem = certPem(pki.ca.cert);
      r.link.expect(ok('PF=0'), pg(0, 0, pem, PG_OK));
      await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      now = new Date(Date.now() + 20 * 365 * 86400000);
      r.link.expect(ok('PF=0'), pg(0, 0, pem, PG_MATCH));
      const checked = await upload(r.adapter, 'ca', '0', pki.ca.cert, {}, { force: true });
      done(r.link);
      assert.match(checked.warnings.join('\n'), /expired on .*; set 0 holds it all the same/);
      assert.match(checked.warnings.join('\n'), /force has no effect here/);
    });

    it('remove: refused (sets cannot be erased) unless firmwareFlashed, which forgets the set and sends nothing', async () => {
      const r = rig();
      r.link.expect(ok('PF=0'), pg(0, 0, certPem(pki.ca.cert), PG_OK));
      await upload(r.adapter, 'ca', '0', pki.ca.cert, { programOneTime: true });
      done(r.link);
      const writes = r.link.hostWrites.length;
      const err = await refused(r.adapter.removeSecurityData('ca', '0'), 'action');
      assert.match(err.message, /cannot be erased: they are one-time programmable.*vendorOptions\.firmwareFlashed true/);
      await r.adapter.removeSecurityData('ca', '0', { vendorOptions: { firmwareFlashed: true } });
      assert.deepEqual(await r.adapter.listSecurityData(), []);
      assert.equal(r.link.hostWrites.length, writes);
      await refused(upload(r.adapter, 'ca', '0', pki.ca.cert, { firmwareFlashed: true }), 'vendorOptions.firmwareFlashed');
      await refused(upload(r.adapter, 'ca', '0', pki.ca.cert, { verification: 1 }), 'vendorOptions.verification');
    });

    it('the record is noted in the state folder without key text, and a new process reads it back', async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'eswifi-state-'));
      try {
        const endpoint = `/dev/ttyES-${Math.random()}`;
        const r = rig({ endpoint, stateDir: dir });
        const keyPem = toPem('EC PRIVATE KEY', (parseSecurityData(ec.client.key, 'key') as { key: import('node:crypto').KeyObject }).key.export({ format: 'der', type: 'sec1' }));
        r.link.expect(ok('PF=2'), pg(2, 1, certPem(ec.client.cert), PG_OK), ok('PF=2'), pg(2, 2, keyPem, PG_OK));
        await upload(r.adapter, 'cert', '2', ec.client.cert, { programOneTime: true });
        await upload(r.adapter, 'key', '2', ec.client.key, { programOneTime: true });
        await r.adapter.applyProfile(profile({ profile: '2', verify: 'mutual', ca: '2', cert: '2', key: '2' }));
        done(r.link);
        const [file] = readdirSync(dir);
        assert.match(file, /^eswifi-.*\.json$/);
        const text = readFileSync(path.join(dir, file), 'utf8');
        assert.ok(!text.includes('BEGIN'), 'no PEM text at all');
        for (const line of keyPem.split('\n').filter((l) => l.length > 20)) assert.ok(!text.includes(line), 'no key material');
        const noted = new SetsRecord(path.join(dir, file));
        const key = noted.item(2, 'key')!;
        assert.equal(key.sha256, undefined);
        assert.equal(key.publicKey, noted.item(2, 'cert')!.publicKey);
        assert.deepEqual(noted.profiles.get(2), { verify: 'mutual', p9: 2 });
        const spki = createPublicKey(ec.client.key).export({ format: 'der', type: 'spki' });
        assert.ok(!text.includes(spki.toString('base64')), 'not even the public key itself, only its hash');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('profiles (noted host-side, nothing sent)', () => {
    it('a profile is its set: server and mutual need no certificate names, and a name given must be the set', () => {
      const record = new SetsRecord();
      assert.equal(profileSettings(profile({ profile: '2', verify: 'server' }), record).p9, 2);
      assert.equal(profileSettings(profile({ profile: '2', verify: 'mutual' }), record).p9, 2);
      assert.equal(profileSettings(profile({ profile: '2', verify: 'mutual', ca: '2', cert: '2', key: '2' }), record).set, 2);
      assert.throws(() => profileSettings(profile({ profile: '2', verify: 'server', ca: '1' }), record), (e: ModemError) => e.field === 'ca' && /is set 1, but a profile is its certificate set/.test(e.message));
    });

    it('verify gives P9 (none 0, server and mutual 2), vendorOptions.verification overrides; warnings say what the module will do', () => {
      const record = new SetsRecord();
      const none = profileSettings(profile({ profile: '0', verify: 'none' }), record);
      assert.deepEqual([none.set, none.p9], [0, 0]);
      assert.match(none.warnings.join('\n'), /does not verify the server \(P9=0\)/);
      const server = profileSettings(profile({ profile: '1', verify: 'server', ca: '1' }), record);
      assert.equal(server.p9, 2);
      assert.match(server.warnings.join('\n'), /set 1 holds no root CA this package knows of: with P9=2/);
      const optional = profileSettings(profile({ profile: '1', verify: 'server', ca: '1', vendorOptions: { verification: 1 } }), record);
      assert.equal(optional.p9, 1);
      assert.match(optional.warnings.join('\n'), /P9=1 verifies the server only when set 1 holds a root CA; without one the module verifies nothing/);
      const mutual = profileSettings(profile({ profile: '2', verify: 'mutual', ca: '2', cert: '2', key: '2', tlsVersion: '1.2' }), record);
      assert.match(mutual.warnings.join('\n'), /set 2 has no certificate and no private key this package knows of/);
      assert.match(mutual.warnings.join('\n'), /tlsVersion 1\.2 is not sent/);
      record.note(2, 'ca', { content: 'known', at: 'now' });
      record.note(2, 'cert', { content: 'known', at: 'now' });
      record.note(2, 'key', { content: 'known', at: 'now' });
      assert.deepEqual(profileSettings(profile({ profile: '2', verify: 'mutual', ca: '2', cert: '2', key: '2' }), record).warnings, []);
    });

    it('names must be the profile’s own set; written is 0 and the module hears nothing', async () => {
      const r = rig();
      await refused(r.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: '1' })), 'ca');
      const applied = await r.adapter.applyProfile(profile({ profile: '0', verify: 'server', ca: '0' }));
      assert.deepEqual([applied.profile, applied.applied, applied.written], ['0', { set: 0, P9: 2 }, 0]);
      assert.equal(r.link.hostWrites.length, 0);
    });
  });

  describe('Wi-Fi', () => {
    const wifi: WifiOptions = { ssid: 'Grove Island, 2nd', passphrase: 'simulated-pass', security: 'wpa2' };

    it('the join commands: values as they are, the passphrase masked in the display, security as C3 numbers it', () => {
      const lines = joinCommands(wifi);
      assert.deepEqual(lines.map((l) => l.text), ['C1=Grove Island, 2nd', 'C2=simulated-pass', 'C3=3', 'C4=1']);
      assert.deepEqual(lines.map((l) => l.display), ['C1=Grove Island, 2nd', 'C2=***', 'C3=3', 'C4=1']);
      assert.equal(joinCommands({ ssid: 'open', security: 'open' })[1].text, 'C2=');
      assert.equal(joinCommands({ ssid: 'w', passphrase: 'abcde', security: 'wep' })[2].text, 'C3=1');
      assert.equal(joinCommands({ ssid: 'w', passphrase: 'a'.repeat(64).replace(/a/g, 'f'), security: 'wpa-wpa2' })[2].text, 'C3=4');
    });

    it('refuses what the module could not join with, naming the modem config field and never the passphrase', () => {
      const cases: Array<[WifiOptions, string, RegExp]> = [
        [{ ...wifi, passphrase: 'qz7x1' }, 'wifiPassphrase', /is shorter than 8 characters: a WPA2 passphrase is 8\.\.63 printable ASCII characters, or exactly 64 hex digits/],
        [{ ...wifi, passphrase: 'z'.repeat(64) }, 'wifiPassphrase', /64 characters, the length of a raw key, but not all hex digits/],
        [{ ...wifi, security: 'wep', passphrase: 'sixsix' }, 'wifiPassphrase', /a WEP key is 5 or 13 printable ASCII characters, or 10 or 26 hex digits/],
        [{ ...wifi, security: 'open' }, 'wifiPassphrase', /must be empty for an open network/],
        [{ ...wifi, ssid: 'x'.repeat(33) }, 'wifiSsid', /is 33 bytes in UTF-8, more than the 32/],
        [{ ...wifi, ssid: 'a\rP6=0' }, 'wifiSsid', /carriage return/],
        [{ ...wifi, passphrase: 'pass\nword!' }, 'wifiPassphrase', /holds a character outside printable ASCII/],
      ];
      for (const [options, field, message] of cases) {
        assert.throws(() => joinCommands(options), (e: ModemError) => e.field === field && message.test(e.message) && !(options.passphrase && options.passphrase.length > 3 && e.message.includes(options.passphrase)), field);
      }
    });

    it('bring-up: a joined module is left alone (CS 1); otherwise C1..C4 in the section and the join behind it, C2 masked in the trace', async () => {
      const joined = rig({ wifi });
      joined.link.expect(ok('CS', '1'));
      await joined.adapter.prepare();
      done(joined.link);

      const r = rig({ wifi });
      r.link.expect(ok('CS', '0'), ok('C1=Grove Island, 2nd'), ok('C2=simulated-pass'), ok('C3=3'), ok('C4=1'), ok('C0', '[JOIN   ] Grove Island, 2nd,192.168.1.50,0,0'));
      await r.adapter.prepare();
      await r.link.waitForCommand('C0');
      await new Promise((resolve) => setTimeout(resolve, 20));
      done(r.link);
      assert.ok(r.traces.some((t) => t.dir === 'tx' && t.text === 'C2=***'));
      assert.ok(!r.traces.some((t) => t.text.includes('simulated-pass')), 'the passphrase never reaches the trace');
    });

    it('a join that fails at bring-up is a warning, and the next open fails with it, naming the network and never the passphrase', async () => {
      const r = rig({ wifi });
      r.link.expect(ok('CS', '0'), ok('C1=Grove Island, 2nd'), ok('C2=simulated-pass'), ok('C3=3'), ok('C4=1'), {
        host: 'C0\r',
        modem: '\r\n[JOIN   ] Grove Island, 2nd\r\n[JOIN   ] Failed\r\nERROR: Unknown Error\r\nUsage: C0 \r\n> ',
      });
      await r.adapter.prepare();
      const err = await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' }).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.equal(err?.line, 'ERROR: Unknown Error');
      assert.match(err!.message, /did not join the Wi-Fi network "Grove Island, 2nd" \(the module answered ERROR: Unknown Error\): check wifiSsid, wifiPassphrase and wifiSecurity/);
      assert.match(r.warnings.join('\n'), /the Wi-Fi join \(Grove Island, 2nd\) did not succeed/);
      for (const text of [err!.message, ...r.warnings, ...r.traces.map((t) => t.text)]) assert.ok(!text.includes('simulated-pass'));
    });

    it('a modem config the module could not join with: a warning at bring-up, the open refused naming the field, nothing sent', async () => {
      const r = rig({ wifi: { ...wifi, passphrase: 'short' } });
      await r.adapter.prepare();
      assert.match(r.warnings.join('\n'), /wifiPassphrase: is shorter than 8 characters/);
      await refused(r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' }), 'wifiPassphrase');
      assert.equal(r.link.hostWrites.length, 0);
    });
  });

  describe('connections (transcripts)', () => {
    const openSteps = (set: number, p9: number, host = 'example.com', ip = '93.184.216.34', port = 443) => [
      ok('CS', '1'),
      ok('P0=0'),
      ok('P6=0'),
      ok('P1=3'),
      ok(`PF=${set}`),
      ok(`D0=${host}`, ip),
      ok(`P3=${ip}`),
      ok(`P4=${port}`),
      ok(`P9=${p9}`),
      ok('R1=1460'),
      ok('R2=0'),
      ok('P6=1', `[TCP  RC] Connecting to ${ip}`),
    ];

    it('refuses before anything is sent: a set outside 0..2, online mode, an IPv6 or odd host, pollMs out of range', async () => {
      const r = rig();
      const base = { profile: '0', host: 'example.com', port: 443, mode: 'command' as const };
      await refused(r.adapter.openSocket({ ...base, profile: '3' }), 'profile');
      await refused(r.adapter.openSocket({ ...base, mode: 'online' }), 'mode');
      await refused(r.adapter.openSocket({ ...base, host: '::1' }), 'host');
      await refused(r.adapter.openSocket({ ...base, host: 'a,b' }), 'host');
      await refused(r.adapter.openSocket({ ...base, vendorOptions: { pollMs: 5 } }), 'vendorOptions.pollMs');
      await refused(r.adapter.openSocket({ ...base, vendorOptions: { keepAlive: 1 } }), 'vendorOptions.keepAlive');
      assert.equal(r.link.hostWrites.length, 0);
    });

    it('opens in the seed’s order with PF before P6=1 and the applied P9; without a profile P9=2 and a warning; close stops the poller, then P6=0', async () => {
      const r = rig();
      await r.adapter.applyProfile(profile({ profile: '1', verify: 'none' }));
      // The poller reads at once (nothing there), then the close stops it before its next read.
      const firstRead = [ok('P0=0'), { host: 'R0\r', modem: `\r\n${OK_END}` }];
      r.link.expect(...openSteps(1, 0), ...firstRead, ok('P0=0'), ok('P6=0'));
      const info = await r.adapter.openSocket({ profile: '1', host: 'example.com', port: 443, mode: 'command' });
      assert.deepEqual(info, { socket: '0', host: 'example.com', port: 443, mode: 'command' });
      await r.adapter.closeSocket('0');
      done(r.link);
      r.link.expect(...openSteps(2, 2), ...firstRead, ok('P0=0'), ok('P6=0'));
      await r.adapter.openSocket({ profile: '2', host: 'example.com', port: 443, mode: 'command' });
      assert.match(r.warnings.join('\n'), /no tls-profile applied for set 2: P9=2/);
      await r.adapter.closeSocket('0');
      done(r.link);
      await refused(r.adapter.send('0', Buffer.from('x')), 'msg.socket');
    });

    it('a failed handshake stops the socket on the module and reports the module’s answer with the server, the set and P9', async () => {
      const r = rig();
      r.link.expect(...openSteps(0, 2).slice(0, -1), error('P6=1', 'SSL Handshake Failed', 'P6=<0|1>'), ok('P0=0'), ok('P6=0'));
      const err = await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' }).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.equal(err?.kind, 'FINAL');
      assert.equal(err?.line, 'ERROR: SSL Handshake Failed');
      assert.equal(err?.code, 'SSL Handshake Failed', 'the code is the text after ERROR:, as error-decode names it');
      assert.equal(err?.message, 'the connection to example.com:443 (set 0, P9=2) failed: P6=1: ERROR: SSL Handshake Failed');
    });

    it('a name that does not resolve: the D0 error, the socket stopped', async () => {
      const r = rig();
      r.link.expect(...openSteps(0, 2, 'nowhere.invalid').slice(0, 5), error('D0=nowhere.invalid', 'DNS Lookup Failed', 'D0=<host>'), ok('P0=0'), ok('P6=0'));
      const err = await r.adapter.openSocket({ profile: '0', host: 'nowhere.invalid', port: 443, mode: 'command' }).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.match(err!.message, /nowhere\.invalid:443 .* failed: D0=nowhere\.invalid: ERROR: DNS Lookup Failed/);
    });

    it('the poller pushes R0 data untouched (CR LF OK CR LF "> " and -1 inside); -1 with a remote address is data; an ERROR to R0 is the server’s close', async () => {
      const r = rig();
      const got: Buffer[] = [];
      const closed: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const tricky = Buffer.concat([Buffer.from('\r\nOK\r\n> -1', 'latin1'), Buffer.from([0, 255, 13, 10])]);
      r.link.expect(
        ...openSteps(0, 2),
        ok('P0=0'),
        { host: 'R0\r', modem: Buffer.concat([Buffer.from('\r\n'), tricky, Buffer.from(OK_END, 'latin1')]) },
        ok('P0=0'),
        { host: 'R0\r', modem: `\r\n-1${OK_END}` },
        ok('P?', '3,192.168.1.50,49152,93.184.216.34,443,0,0,0,0,0'),
        ok('P0=0'),
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        // Still joined: the server closed it.
        ok('CS', '1'),
        ok('P6=0'),
      );
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const deadline = Date.now() + 3000;
      while (closed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      done(r.link);
      assert.deepEqual(Buffer.concat(got), Buffer.concat([tricky, Buffer.from('-1')]));
      assert.deepEqual(closed, ['0: closed by the server']);
      await r.adapter.closeSocket('0');
      done(r.link);
    });

    it('S3 answered -1: what the module still holds is read, the socket stopped, the send fails saying the server closed it', async () => {
      const r = rig();
      const got: Buffer[] = [];
      const closed: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      r.link.expect(
        ...openSteps(0, 2),
        ok('P0=0'),
        { host: 'R0\r', modem: `\r\n${OK_END}` },
        ok('P0=0'),
        { host: 'S3=5\rhello', modem: `\r\n-1${OK_END}` },
        { host: 'R0\r', modem: `\r\nlast words${OK_END}` },
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        // Still joined: the server closed it.
        ok('CS', '1'),
        ok('P6=0'),
      );
      const info = await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const err = await r.adapter.send(info.socket, Buffer.from('hello')).then(() => null, (e: ModemError) => e);
      done(r.link);
      assert.equal(err?.code, '-1');
      assert.equal(err?.message, 'S3=5: socket 0 was closed by the server (the module answered -1); 0 of 5 bytes were sent');
      assert.equal(Buffer.concat(got).toString(), 'last words');
      assert.deepEqual(closed, ['0: closed by the server']);
    });

    it('a send goes in S3 chunks of 1460 bytes in one burst: P0 once for all of them', async () => {
      const r = rig();
      const closed: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 13) % 256));
      const s3 = (from: number, n: number) => ({ host: Buffer.concat([Buffer.from(`S3=${n}\r`), payload.subarray(from, from + n)]), modem: `\r\n${n}${OK_END}` });
      r.link.expect(
        ...openSteps(0, 2),
        ok('P0=0'),
        { host: 'R0\r', modem: `\r\n${OK_END}` },
        ok('P0=0'),
        s3(0, 1460),
        s3(1460, 1460),
        s3(2920, 80),
        // The poller's next read comes after the burst; the server has gone meanwhile.
        ok('P0=0'),
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        // Still joined: the server closed it.
        ok('CS', '1'),
        ok('P6=0'),
      );
      const info = await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      assert.equal(await r.adapter.send(info.socket, payload), 3000);
      const deadline = Date.now() + 3000;
      while (closed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      done(r.link);
      assert.deepEqual(closed, ['0: closed by the server']);
    });

    it('the poller reads on in the same section while R0 answers a full R1 (1460 bytes); a shorter answer ends the burst', async () => {
      const r = rig();
      const got: Buffer[] = [];
      const closed: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const held = Buffer.from(Array.from({ length: 3020 }, (_, i) => (i * 31) % 256));
      Buffer.from(OK_END, 'latin1').copy(held, 1460 - OK_END.length);
      const r0 = (from: number, n: number) => ({ host: 'R0\r', modem: Buffer.concat([Buffer.from('\r\n'), held.subarray(from, from + n), Buffer.from(OK_END, 'latin1')]) });
      r.link.expect(
        ...openSteps(0, 2),
        ok('P0=0'),
        r0(0, 1460),
        r0(1460, 1460),
        r0(2920, 100),
        ok('P0=0'),
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        // Still joined: the server closed it.
        ok('CS', '1'),
        ok('P6=0'),
      );
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const deadline = Date.now() + 3000;
      while (closed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      done(r.link);
      assert.deepEqual(got.map((d) => d.length), [1460, 1460, 100]);
      assert.ok(Buffer.concat(got).equals(held), 'every byte, in order');
      assert.deepEqual(closed, ['0: closed by the server']);
    });

    it('holdReceive: a held connection is not polled (no R0 on the wire); a burst under way stops after its current R0; on release what it read comes first, then the poller reads on, in order', async () => {
      const r = rig();
      const got: Buffer[] = [];
      const closed: string[] = [];
      r.adapter.on('data', (_s: string, d: Buffer) => got.push(d));
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      const stream = Buffer.from(Array.from({ length: 1560 }, (_, i) => (i * 7) % 256));
      const r0 = (from: number, n: number) => ({ host: 'R0\r', modem: Buffer.concat([Buffer.from('\r\n'), stream.subarray(from, from + n), Buffer.from(OK_END, 'latin1')]) });
      // The first poll's R0 is on the wire when the hold comes; its answer is full (the module may hold more).
      r.link.expect(...openSteps(0, 2), ok('P0=0'), { host: 'R0\r' });
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command', vendorOptions: { pollMs: 10 } });
      while (r.link.remaining > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(r.adapter.holdReceive('0', true), true);
      assert.equal(r.adapter.holdReceive('0', true), true, 'holding twice is the same hold');
      r.link.feed(r0(0, 1460).modem);
      const reads = (): number => r.link.hostWrites.filter((w) => w.toString('latin1') === 'R0\r').length;
      // A poller of pollMs 10 would have read some twenty times in this while.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(reads(), 1, 'no R0 while held');
      assert.deepEqual(got, [], 'no data event while held');
      r.link.expect(
        ok('P0=0'),
        r0(1460, 100),
        ok('P0=0'),
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        ok('CS', '1'),
        ok('P6=0'),
      );
      assert.equal(r.adapter.holdReceive('0', false), true);
      while (closed.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      done(r.link);
      assert.ok(Buffer.concat(got).equals(stream), 'every byte once, in order');
      assert.deepEqual(closed, ['0: closed by the server']);
      assert.equal(r.adapter.holdReceive('0', true), false, 'the hold ended with the connection; a socket not open answers false');
      assert.equal(r.adapter.holdReceive('0', false), false, 'a release when nothing is held is harmless');
    });

    it('holdReceive: a close while held stops the poller; the next connection on the same socket is polled at once', async () => {
      const r = rig();
      r.link.expect(...openSteps(0, 2), ok('P0=0'), { host: 'R0\r', modem: `\r\n${OK_END}` });
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command', vendorOptions: { pollMs: 10000 } });
      while (r.link.remaining > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(r.adapter.holdReceive('0', true), true);
      r.link.expect(ok('P0=0'), ok('P6=0'));
      await r.adapter.closeSocket('0');
      done(r.link);
      // Held again as its first data comes, so that the poller stops there and the transcript ends.
      const got = new Promise<Buffer>((resolve) => r.adapter.once('data', (_s: string, d: Buffer) => {
        r.adapter.holdReceive('0', true);
        resolve(d);
      }));
      r.link.expect(...openSteps(0, 2), ok('P0=0'), { host: 'R0\r', modem: `\r\nfresh${OK_END}` });
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command', vendorOptions: { pollMs: 10000 } });
      assert.equal((await got).toString(), 'fresh');
      await new Promise((resolve) => setTimeout(resolve, 50));
      done(r.link);
      r.link.expect(ok('P0=0'), ok('P6=0'));
      await r.adapter.closeSocket('0');
    });

    it('S3 answered with another count than sent is an error naming both', async () => {
      const r = rig();
      r.link.expect(...openSteps(0, 2), ok('P0=0'), { host: 'R0\r', modem: `\r\n${OK_END}` }, ok('P0=0'), { host: 'S3=5\rhello', modem: `\r\n3${OK_END}` });
      const info = await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const err = await r.adapter.send(info.socket, Buffer.from('hello')).then(() => null, (e: ModemError) => e);
      assert.equal(err?.message, 'S3=5: the module answered 3 bytes sent for 5; 0 of 5 bytes were sent before');
      assert.equal(r.link.failures.length, 0);
    });

    it('-1 to R0 with P? showing no remote address: the server closed it', async () => {
      const r = rig();
      const closed: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      r.link.expect(...openSteps(0, 2), ok('P0=0'), { host: 'R0\r', modem: `\r\n-1${OK_END}` }, ok('P?', '3,192.168.1.50,0,0.0.0.0,0,0,0,0,0,0'), ok('CS', '1'), ok('P6=0'));
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const deadline = Date.now() + 3000;
      while (closed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      done(r.link);
      assert.deepEqual(closed, ['0: closed by the server']);
    });

    it('a read that finds the socket gone while CS answers 0 (the module restarted, or lost the access point): every connection ends with that reason, and a send on one says so', async () => {
      const r = rig();
      const closed: string[] = [];
      r.adapter.on('closed', (s: string, why: string) => closed.push(`${s}: ${why}`));
      r.link.expect(
        ...openSteps(0, 2),
        ok('P0=0'),
        { host: 'R0\r', modem: '\r\nERROR: Socket Not Connected\r\nUsage: P6=1\r\n> ' },
        ok('CS', '0'),
        ok('P6=0'),
      );
      await r.adapter.openSocket({ profile: '0', host: 'example.com', port: 443, mode: 'command' });
      const deadline = Date.now() + 3000;
      while (closed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      done(r.link);
      assert.deepEqual(closed, ['0: the module is no longer joined to the Wi-Fi network (it restarted, or lost the access point): open it again']);
      const err = await r.adapter.send('0', Buffer.from('late')).then(() => null, (e: ModemError) => e);
      assert.equal(err?.kind, 'PARAMETER');
      assert.match(err!.message, /socket 0 is no longer open \(the module is no longer joined to the Wi-Fi network/);
      done(r.link);
    });
  });
  describe('the transfer description (transfer.ts)', () => {
    const bytes = (text: string): number => Buffer.byteLength(text, 'latin1');

    it('an S3 chunk is its command line and its bytes, answered with the count; an R0 is three bytes answered with the data; P0 once', () => {
      assert.equal(S3_SEND.chunk, 1460);
      assert.equal(S3_SEND.perChunk.hostBytes(1460), bytes('S3=1460\r') + 1460);
      assert.equal(S3_SEND.perChunk.moduleBytes(1460), bytes(`\r\n1460${OK_END}`));
      assert.equal(S3_SEND.perChunk.hostBytes(5), bytes('S3=5\rhello'));
      assert.equal(S3_SEND.perChunk.moduleBytes(5), bytes(`\r\n5${OK_END}`));
      assert.equal(R0_RECEIVE.chunk, 1460, 'R1 at its largest');
      assert.equal(R0_RECEIVE.perChunk.hostBytes(1460), bytes('R0\r'));
      assert.equal(R0_RECEIVE.perChunk.moduleBytes(1460), 2 + 1460 + bytes(OK_END));
      for (const method of [S3_SEND, R0_RECEIVE]) {
        assert.equal(method.perChunk.flow, 'turns', 'each answer before the next command');
        assert.deepEqual(method.once, { hostBytes: bytes('P0=0\r'), moduleBytes: bytes(`\r\n${OK_END}`), waitMs: 0 });
      }
    });

    it('is the vendor record’s, whatever the size and the rate; its ceiling adds both directions of every turn', () => {
      for (const baud of [115200, 921600]) {
        assert.equal(eswifiVendor.transfer?.send(262144, baud), S3_SEND);
        assert.equal(eswifiVendor.transfer?.receive(262144, baud), R0_RECEIVE);
      }
      const t = transferTime(S3_SEND, 2920, 115200);
      assert.equal(t.chunks, 2);
      assert.equal(t.hostBytes, 5 + 2 * 1468);
      assert.equal(t.moduleBytes, 10 + 2 * 14);
      assert.ok(Math.abs(t.ms - ((5 + 10 + 2 * (1468 + 14)) * 10 * 1000) / 115200) < 1e-9);
    });
  });
});
