import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentCertificate } from './self-signed.ts';

describe('the development STARTTLS certificate', () => {
  it('is generated once into the data folder, private, and reused at the next start', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'carnet-smtp-cert-'));
    const first = await developmentCertificate(dataDir, ['localhost', '127.0.0.1']);
    const certificate = new X509Certificate(first.cert);
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now() + 365 * 24 * 3600 * 1000);
    // The key is the certificate's.
    expect(createPublicKey(createPrivateKey(first.key)).export({ format: 'pem', type: 'spki' })).toBe(
      certificate.publicKey.export({ format: 'pem', type: 'spki' }),
    );
    expect(readdirSync(path.join(dataDir, 'smtp'))).toEqual(['self-signed.pem']);
    expect(statSync(path.join(dataDir, 'smtp', 'self-signed.pem')).mode & 0o077).toBe(0);

    const second = await developmentCertificate(dataDir, ['localhost']);
    expect(second).toEqual(first);
  });
});
