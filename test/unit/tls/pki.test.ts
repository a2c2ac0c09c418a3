import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { createCertificateAuthority, createTestPki, generateKeyPair, issueCertificate, type IssuedCertificate, type TestPki } from '../../../src/simulator/pki';

/** A DER node: tag, content, and children for constructed tags. Just enough to inspect a certificate. */
interface Node {
  tag: number;
  content: Buffer;
  children: Node[];
}

function parseDer(der: Buffer): Node[] {
  const nodes: Node[] = [];
  let offset = 0;
  while (offset < der.length) {
    const tag = der[offset]!;
    let length = der[offset + 1]!;
    let start = offset + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!;
      start += count;
    }
    const content = der.subarray(start, start + length);
    nodes.push({ tag, content, children: tag & 0x20 ? parseDer(content) : [] });
    offset = start + length;
  }
  return nodes;
}

function decodeOid(content: Buffer): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return [Math.floor(arcs[0]! / 40), arcs[0]! % 40, ...arcs.slice(1)].join('.');
}

function tbs(certDer: Buffer): Node[] {
  return parseDer(certDer)[0]!.children[0]!.children;
}

/** Extensions by OID: whether critical, and the DER inside extnValue. */
function extensions(certDer: Buffer): Map<string, { critical: boolean; value: Buffer }> {
  const wrapper = tbs(certDer).find((node) => node.tag === 0xa3)!;
  const out = new Map<string, { critical: boolean; value: Buffer }>();
  for (const extension of wrapper.children[0]!.children) {
    const [id, ...rest] = extension.children;
    const critical = rest.length === 2 && rest[0]!.content[0] === 0xff;
    out.set(decodeOid(id!.content), { critical, value: rest[rest.length - 1]!.content });
  }
  return out;
}

const hex = (value: Buffer): string => value.toString('hex');

describe('tls: test PKI issuer (pki.ts)', () => {
  let rsa: TestPki;
  let ec: TestPki;

  before(() => {
    rsa = createTestPki();
    ec = createTestPki({ keyType: 'ec' });
  });

  describe('certificate fields', () => {
    it('writes v3 certificates with the names, serial and issuer OpenSSL reads back', () => {
      const ca = new crypto.X509Certificate(rsa.ca.cert);
      const server = new crypto.X509Certificate(rsa.server.cert);
      assert.equal(ca.subject, 'O=node-red-contrib-modem-tls\nCN=Modem TLS Test CA');
      assert.equal(ca.issuer, ca.subject);
      assert.equal(server.subject, 'O=node-red-contrib-modem-tls\nCN=localhost');
      assert.equal(server.issuer, ca.subject);
      assert.equal(rsa.server.subject, 'O=node-red-contrib-modem-tls, CN=localhost');
      assert.equal(rsa.server.issuer, rsa.ca.subject);
      assert.equal(server.serialNumber, rsa.server.serialNumber);
      assert.equal(tbs(rsa.server.certDer)[0]!.tag, 0xa0, 'explicit version field');
      assert.equal(hex(tbs(rsa.server.certDer)[0]!.content), '020102', 'version v3 (2)');
      assert.ok(server.raw.equals(rsa.server.certDer), 'PEM and DER hold the same certificate');
    });

    it('gives each certificate a positive 16-octet serial of its own, or the one asked for', () => {
      const serials = [rsa.ca, rsa.server, rsa.client, rsa.expiredServer, rsa.unrelatedCa].map((c) => c.serialNumber);
      assert.equal(new Set(serials).size, serials.length);
      for (const serial of serials) assert.match(serial, /^[0-7][0-9A-F]{31}$/);
      const chosen = issueCertificate({ subject: 'x', keyType: 'ec', serialNumber: 'ff01' });
      assert.equal(new crypto.X509Certificate(chosen.cert).serialNumber, 'FF01');
      assert.equal(hex(tbs(chosen.certDer)[1]!.content), '00ff01', 'a leading zero keeps a high-bit serial positive');
    });

    it('writes every name attribute, country as PrintableString and the rest as UTF8String', () => {
      const cert = issueCertificate({ subject: { C: 'DE', ST: 'Bayern', L: 'München', O: 'Acme', OU: 'IoT', CN: 'gerät-7' }, keyType: 'ec' });
      assert.equal(new crypto.X509Certificate(cert.cert).subject, 'C=DE\nST=Bayern\nL=München\nO=Acme\nOU=IoT\nCN=gerät-7');
      const subject = tbs(cert.certDer)[5]!;
      const valueTags = subject.children.map((rdn) => rdn.children[0]!.children[1]!.tag);
      assert.deepEqual(valueTags, [0x13, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c]);
    });

    it('marks CAs with basicConstraints CA:TRUE and leaves with an empty (CA:FALSE) one, both critical', () => {
      assert.equal(new crypto.X509Certificate(rsa.ca.cert).ca, true);
      assert.equal(new crypto.X509Certificate(rsa.server.cert).ca, false);
      const caExt = extensions(rsa.ca.certDer).get('2.5.29.19')!;
      assert.deepEqual([caExt.critical, hex(caExt.value)], [true, '30030101ff']);
      const leafExt = extensions(rsa.server.certDer).get('2.5.29.19')!;
      assert.deepEqual([leafExt.critical, hex(leafExt.value)], [true, '3000']);
      const limited = createCertificateAuthority({ subject: 'sub', keyType: 'ec', pathLength: 0 });
      assert.equal(hex(extensions(limited.certDer).get('2.5.29.19')!.value), '30060101ff020100');
    });

    it('encodes keyUsage as DER named bits (RFC 5280 §4.2.1.3), critical', () => {
      const usage = (cert: IssuedCertificate): string => hex(extensions(cert.certDer).get('2.5.29.15')!.value);
      assert.equal(usage(rsa.ca), '03020106', 'keyCertSign, cRLSign');
      assert.equal(usage(rsa.server), '030205a0', 'digitalSignature, keyEncipherment');
      assert.equal(usage(ec.server), '03020780', 'digitalSignature');
      const both = issueCertificate({ subject: 'x', keyType: 'ec', keyUsage: ['digitalSignature', 'decipherOnly'] });
      assert.equal(hex(extensions(both.certDer).get('2.5.29.15')!.value), '0303078080', 'bit 8 spills into a second octet');
      assert.equal(extensions(rsa.server.certDer).get('2.5.29.15')!.critical, true);
    });

    it('sets extendedKeyUsage serverAuth on servers and clientAuth on clients', () => {
      assert.deepEqual(new crypto.X509Certificate(rsa.server.cert).keyUsage, ['1.3.6.1.5.5.7.3.1']);
      assert.deepEqual(new crypto.X509Certificate(rsa.client.cert).keyUsage, ['1.3.6.1.5.5.7.3.2']);
      assert.deepEqual(new crypto.X509Certificate(rsa.unrelatedClient.cert).keyUsage, ['1.3.6.1.5.5.7.3.2']);
    });

    it('derives subjectKeyIdentifier by RFC 5280 §4.2.1.2 method 1 and points authorityKeyIdentifier at the issuer', () => {
      const sha1 = (data: Buffer): string => crypto.createHash('sha1').update(data).digest('hex');
      // The subjectPublicKey bits, obtained another way: PKCS#1 for RSA, the uncompressed point for EC.
      const rsaBits = rsa.ca.publicKey.export({ type: 'pkcs1', format: 'der' });
      const jwk = ec.ca.publicKey.export({ format: 'jwk' });
      const ecBits = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const ski = (cert: IssuedCertificate): string => hex(parseDer(extensions(cert.certDer).get('2.5.29.14')!.value)[0]!.content);
      const aki = (cert: IssuedCertificate): string => hex(parseDer(extensions(cert.certDer).get('2.5.29.35')!.value)[0]!.children[0]!.content);
      assert.equal(ski(rsa.ca), sha1(rsaBits));
      assert.equal(ski(ec.ca), sha1(ecBits));
      assert.equal(aki(rsa.server), ski(rsa.ca));
      assert.equal(aki(rsa.unrelatedServer), ski(rsa.unrelatedCa));
      assert.equal(aki(rsa.ca), ski(rsa.ca));
    });

    it('signs with sha256WithRSAEncryption (NULL parameters) or ecdsa-with-SHA256 (none)', () => {
      const algorithm = (cert: IssuedCertificate): string => hex(parseDer(cert.certDer)[0]!.children[1]!.content);
      assert.equal(algorithm(rsa.server), '06092a864886f70d01010b0500');
      assert.equal(algorithm(ec.server), '06082a8648ce3d040302');
      assert.equal(hex(tbs(rsa.server.certDer)[2]!.content), algorithm(rsa.server), 'TBS signature field matches (§4.1.2.3)');
    });
  });

  describe('validity', () => {
    it('puts the windows of createTestPki around its `now`', () => {
      const now = new Date('2030-06-15T12:00:00Z');
      const pki = createTestPki({ keyType: 'ec', now });
      const window = (cert: IssuedCertificate): [number, number] => {
        const x = new crypto.X509Certificate(cert.cert);
        return [Date.parse(x.validFrom), Date.parse(x.validTo)];
      };
      for (const cert of [pki.ca, pki.server, pki.client, pki.wrongHostServer, pki.unrelatedServer, pki.unrelatedClient]) {
        const [from, to] = window(cert);
        assert.ok(from < now.getTime() && now.getTime() < to, `${cert.subject} is valid at now`);
        assert.deepEqual([from, to], [cert.notBefore.getTime(), cert.notAfter.getTime()]);
      }
      assert.ok(window(pki.expiredServer)[1] < now.getTime(), 'expired before now');
      assert.ok(window(pki.notYetValidServer)[0] > now.getTime() + 300 * 24 * 3_600_000, 'valid from about a year later');
      const [caFrom, caTo] = window(pki.ca);
      assert.ok(caFrom < window(pki.expiredServer)[0] && caTo > window(pki.notYetValidServer)[1], 'the CA outlives every leaf');
    });

    it('uses UTCTime through 2049 and GeneralizedTime before 1950 and from 2050 (RFC 5280 §4.1.2.5)', () => {
      const cert = issueCertificate({ subject: 'x', keyType: 'ec', notBefore: new Date('2049-12-31T23:59:59.900Z'), notAfter: new Date('2050-01-01T00:00:00Z') });
      const validity = tbs(cert.certDer)[4]!.children;
      assert.deepEqual(validity.map((t) => [t.tag, t.content.toString()]), [
        [0x17, '491231235959Z'],
        [0x18, '20500101000000Z'],
      ]);
      const old = issueCertificate({ subject: 'x', keyType: 'ec', notBefore: new Date('1949-06-01T00:00:00Z'), notAfter: new Date('1950-01-01T00:00:00Z') });
      assert.deepEqual(tbs(old.certDer)[4]!.children.map((t) => [t.tag, t.content.toString()]), [
        [0x18, '19490601000000Z'],
        [0x17, '500101000000Z'],
      ]);
      const x = new crypto.X509Certificate(cert.cert);
      assert.equal(x.validTo, 'Jan  1 00:00:00 2050 GMT');
      assert.equal(cert.notBefore.toISOString(), '2049-12-31T23:59:59.000Z', 'fractions of a second are dropped');
    });

    it('refuses a window that ends before it starts', () => {
      assert.throws(() => issueCertificate({ subject: 'x', keyType: 'ec', notBefore: new Date('2030-01-02'), notAfter: new Date('2030-01-01') }), /notAfter/);
    });
  });

  describe('names and signatures', () => {
    it('writes DNS and IP subjectAltNames that checkHost and checkIP find', () => {
      const server = new crypto.X509Certificate(rsa.server.cert);
      assert.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
      assert.equal(server.checkHost('localhost'), 'localhost');
      assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1');
      assert.equal(server.checkIP('::1'), '::1');
      assert.equal(server.checkHost('other.example'), undefined);
      const wrong = new crypto.X509Certificate(rsa.wrongHostServer.cert);
      assert.equal(wrong.checkHost('other.example'), 'other.example');
      assert.equal(wrong.checkHost('localhost'), undefined);
      const custom = new crypto.X509Certificate(issueCertificate({ subject: 'x', keyType: 'ec', hosts: ['*.example.com', '10.0.0.1', 'fe80::1:2', '::ffff:10.0.0.2'] }).cert);
      assert.equal(custom.subjectAltName, 'DNS:*.example.com, IP Address:10.0.0.1, IP Address:FE80:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:A00:2');
      assert.equal(custom.checkHost('a.example.com'), '*.example.com');
    });

    it('signs every certificate so that only its own CA verifies it', () => {
      for (const pki of [rsa, ec]) {
        const ca = new crypto.X509Certificate(pki.ca.cert);
        const unrelated = new crypto.X509Certificate(pki.unrelatedCa.cert);
        assert.ok(ca.verify(ca.publicKey), 'the root is self-signed');
        for (const cert of [pki.server, pki.client, pki.expiredServer, pki.notYetValidServer, pki.wrongHostServer]) {
          const x = new crypto.X509Certificate(cert.cert);
          assert.ok(x.verify(ca.publicKey), `${cert.subject} verifies with the CA`);
          assert.ok(x.checkIssued(ca));
          assert.ok(!x.verify(unrelated.publicKey));
        }
        for (const cert of [pki.unrelatedServer, pki.unrelatedClient]) {
          const x = new crypto.X509Certificate(cert.cert);
          assert.ok(x.verify(unrelated.publicKey) && !x.verify(ca.publicKey));
        }
      }
    });

    it('chains through an intermediate CA', () => {
      const intermediate = createCertificateAuthority({ subject: { CN: 'Intermediate' }, issuer: ec.ca, keyType: 'ec', pathLength: 0 });
      const leaf = new crypto.X509Certificate(issueCertificate({ subject: 'leaf', issuer: intermediate, keyType: 'ec' }).cert);
      const middle = new crypto.X509Certificate(intermediate.cert);
      assert.ok(middle.verify(new crypto.X509Certificate(ec.ca.cert).publicKey));
      assert.ok(leaf.verify(middle.publicKey));
      assert.equal(leaf.issuer, 'CN=Intermediate');
    });
  });

  describe('keys', () => {
    it('gives each key as PKCS#8 PEM and DER, and RSA keys also as PKCS#1, all matching the certificate', () => {
      const cert = new crypto.X509Certificate(rsa.client.cert);
      assert.match(rsa.client.key, /^-----BEGIN PRIVATE KEY-----\n/);
      assert.match(rsa.client.keyRsaPem!, /^-----BEGIN RSA PRIVATE KEY-----\n/);
      const forms = [
        crypto.createPrivateKey(rsa.client.key),
        crypto.createPrivateKey({ key: rsa.client.keyDer, format: 'der', type: 'pkcs8' }),
        crypto.createPrivateKey(rsa.client.keyRsaPem!),
        crypto.createPrivateKey({ key: rsa.client.keyRsaDer!, format: 'der', type: 'pkcs1' }),
      ];
      for (const key of forms) {
        assert.ok(cert.checkPrivateKey(key));
        assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
      }
      assert.ok(!cert.checkPrivateKey(crypto.createPrivateKey(rsa.ca.key)));
      assert.equal(ec.client.keyRsaPem, undefined, 'PKCS#1 is for RSA keys only');
      assert.equal(crypto.createPrivateKey(ec.client.key).asymmetricKeyDetails?.namedCurve, 'prime256v1');
      assert.ok(new crypto.X509Certificate(ec.client.cert).checkPrivateKey(crypto.createPrivateKey(ec.client.key)));
    });

    it('encrypts a key with a password and reads it back only with that password', () => {
      for (const [cert, format] of [[rsa.client, 'pkcs8'], [rsa.client, 'pkcs1'], [ec.client, 'pkcs8']] as const) {
        const pem = cert.encryptedKey('correct horse', format);
        assert.match(pem, format === 'pkcs8' ? /^-----BEGIN ENCRYPTED PRIVATE KEY-----/ : /Proc-Type: 4,ENCRYPTED/);
        assert.ok(!pem.includes(cert.key.split('\n')[1]!));
        const back = crypto.createPrivateKey({ key: pem, passphrase: 'correct horse' });
        assert.ok(back.export({ type: 'pkcs8', format: 'der' }).equals(cert.keyDer));
        assert.throws(() => crypto.createPrivateKey({ key: pem, passphrase: 'wrong' }));
      }
      assert.throws(() => ec.client.encryptedKey('x', 'pkcs1'), /RSA/);
    });

    it('shares the server key among server certificates and the client key among client certificates', () => {
      assert.equal(rsa.expiredServer.key, rsa.server.key);
      assert.equal(rsa.unrelatedServer.key, rsa.server.key);
      assert.equal(rsa.unrelatedClient.key, rsa.client.key);
      assert.notEqual(rsa.client.key, rsa.server.key);
      assert.notEqual(rsa.unrelatedCa.key, rsa.ca.key);
    });

    it('certifies a key pair it is given', () => {
      const keys = generateKeyPair('ec');
      const cert = issueCertificate({ subject: 'given', keys });
      assert.ok(new crypto.X509Certificate(cert.cert).publicKey.equals(keys.publicKey));
    });
  });

  describe('OpenSSL as the judge: real handshakes with its own verification', () => {
    const servers: tls.Server[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    });

    /** Handshake with OpenSSL verifying both sides against the host clock; resolves to the client's verdict. */
    async function handshake(pki: TestPki, server: IssuedCertificate, client: IssuedCertificate, host = 'localhost'): Promise<string> {
      const srv = tls.createServer({ cert: server.cert, key: server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false });
      servers.push(srv);
      let serverVerdict = '';
      srv.on('secureConnection', (socket) => {
        serverVerdict = socket.authorized ? 'client ok' : `client ${String(socket.authorizationError)}`;
        socket.end();
      });
      await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
      const { port } = srv.address() as { port: number };
      const verdict = await new Promise<string>((resolve) => {
        const name = net.isIP(host) ? {} : { servername: host }; // RFC 6066: no IP address in SNI
        const socket = tls.connect({ host: '127.0.0.1', port, ...name, ca: pki.ca.cert, cert: client.cert, key: client.keyRsaPem ?? client.key, rejectUnauthorized: false });
        socket.on('error', () => undefined);
        socket.once('secureConnect', () => {
          const reason = socket.authorized ? 'ok' : String(socket.authorizationError);
          socket.once('close', () => resolve(reason));
          socket.resume();
        });
      });
      return `${verdict} / ${serverVerdict}`;
    }

    for (const keyType of ['rsa', 'ec'] as const) {
      it(`${keyType}: accepts the server and the client, and names what is wrong with the bad ones`, async () => {
        const pki = keyType === 'rsa' ? rsa : ec;
        assert.equal(await handshake(pki, pki.server, pki.client), 'ok / client ok');
        assert.equal(await handshake(pki, pki.server, pki.client, '127.0.0.1'), 'ok / client ok');
        assert.equal(await handshake(pki, pki.expiredServer, pki.client), 'CERT_HAS_EXPIRED / client ok');
        assert.equal(await handshake(pki, pki.notYetValidServer, pki.client), 'CERT_NOT_YET_VALID / client ok');
        assert.match(await handshake(pki, pki.wrongHostServer, pki.client), /^ERR_TLS_CERT_ALTNAME_INVALID/);
        assert.equal(await handshake(pki, pki.unrelatedServer, pki.unrelatedClient), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE / client UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      });
    }
  });
});
