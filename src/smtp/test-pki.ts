import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from './x509.ts';

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Issued {
  readonly cert: string;
  readonly key: string;
}

interface Authority {
  readonly pem: string;
  readonly name: string;
  readonly keys: CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
}

const day = 24 * 3600 * 1000;

async function authority(name: string): Promise<Authority> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    name,
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 30 * day),
    keys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { pem: certificate.toString('pem'), name, keys, certificate };
}

async function issue(
  ca: Authority,
  subject: string,
  usage: x509.ExtendedKeyUsage,
  names: string[],
): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(8).toString('hex')}`,
    subject,
    issuer: ca.name,
    notBefore: new Date(Date.now() - day),
    notAfter: new Date(Date.now() + 30 * day),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
      ...(names.length
        ? [new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value })))]
        : []),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: certificate.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/**
 * A stand-in for IGC-Santé in tests: a CA, the gateway's server certificate, client certificates it signed for
 * two operators (`cabinet.mssante.fr` by its subject CN, `hopital.mssante.fr` by its DNS names), and a client
 * certificate from an unrelated CA.
 */
export async function createTestPki(): Promise<{
  caPem: string;
  server: Issued;
  operator: Issued;
  otherOperator: Issued;
  stranger: Issued;
}> {
  const ca = await authority('CN=Test IGC-Sante,O=Carnet tests');
  const other = await authority('CN=Some other CA');
  const client = x509.ExtendedKeyUsage.clientAuth;
  return {
    caPem: ca.pem,
    server: await issue(ca, 'CN=localhost', x509.ExtendedKeyUsage.serverAuth, ['localhost']),
    operator: await issue(ca, 'CN=cabinet.mssante.fr,O=Operateur', client, []),
    otherOperator: await issue(ca, 'CN=Hopital,O=Operateur', client, ['hopital.mssante.fr']),
    stranger: await issue(other, 'CN=stranger', client, []),
  };
}
