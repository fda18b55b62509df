import { randomBytes, webcrypto } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A self-signed server certificate for `names` (DNS names and IP addresses), valid ten years from now. */
export async function createSelfSignedPair(commonName: string, names: readonly string[]): Promise<PemPair> {
  const x509 = await import('./x509.ts');
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  // Real time, not ctx.clock: the clients checking this certificate run on real clocks.
  const notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(8).toString('hex')}`, // leading 01: a positive integer
    name: `CN=${commonName}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((value) => ({
          type: /^[\d.]+$|:/.test(value) ? ('ip' as const) : ('dns' as const),
          value,
        })),
      ),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/**
 * Development only: the gateway's STARTTLS certificate, generated once into `<dataDir>/smtp/` and reused
 * (clients that pinned it keep working across restarts). Key and certificate sit in one file written by
 * rename, so two instances starting together never pair one's key with the other's certificate.
 */
export async function developmentCertificate(dataDir: string, names: readonly string[]): Promise<PemPair> {
  const dir = path.join(dataDir, 'smtp');
  const file = path.join(dir, 'self-signed.pem');
  if (!existsSync(file)) {
    const pair = await createSelfSignedPair(names[0] ?? 'localhost', names);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temporary, `${pair.key}\n${pair.cert}\n`, { mode: 0o600, flush: true });
    renameSync(temporary, file);
  }
  const pem = readFileSync(file, 'utf8');
  return { key: pemBlock(pem, 'PRIVATE KEY'), cert: pemBlock(pem, 'CERTIFICATE') };
}

function pemBlock(pem: string, label: string): string {
  const match = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(pem);
  if (!match) throw new Error(`no ${label} block in the development SMTP certificate file`);
  return `${match[0]}\n`;
}
